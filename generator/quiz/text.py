"""Text folded for comparison: two options that print alike are one option.

Case, spaces and number format are folded, so "44.0 %" and "44%" compare equal; the
linter and the bank use the same folding.
"""

from __future__ import annotations

import functools
import re

_NUMBER = re.compile(r"\d[\d,]*(?:\.\d+)?")


@functools.lru_cache(maxsize=1 << 16)
def normalise(text: str) -> str:
    """Case, spaces and number format folded: "44.0 %" and "44%" compare equal."""

    def number(match: re.Match[str]) -> str:
        return repr(_as_float(match[0]))

    folded = re.sub(r"\s+", " ", text.strip().lower())
    folded = folded.replace(" %", "%")
    return _NUMBER.sub(number, folded)


def _as_float(number: str) -> float:
    return float(number.replace(",", ""))  # "1,092" is printed with a thousands comma


def leading_number(text: str) -> float | None:
    match = _NUMBER.search(text)
    return _as_float(match[0]) if match else None


def numbers_in(text: str) -> list[float]:
    """Every number printed in `text`, in order."""
    return [_as_float(n) for n in _NUMBER.findall(text)]
