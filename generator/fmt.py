"""How numbers read on every page, figure and test: one formatter, one spelling.

Values keep the precision the content gives them (a YAML `24.0` prints "24.0",
`29` prints "29"), because that is the precision the review printed. Hazard
ratios and their intervals share a number of decimals, at least two, since YAML
cannot keep the trailing zero of "0.80" and the review always gives two or three.
"""

from __future__ import annotations

from .model import (
    NOT_ESTIMABLE,
    AdverseEvent,
    Comparison,
    Dose,
    DrugProperty,
    Endpoint,
    Interval,
    Measurement,
    Number,
)

EN_DASH = "\u2013"
NOT_REACHED = "not reached"

# Units that read after a space, with their singular where a value of 1 needs one.
_UNIT_WORDS = {
    "months": "month",
    "days": "day",
    "weeks": "week",
    "years": "year",
    "patients": "patient",
    "points": "point",
}
_UNIT_SYMBOLS = {"mg/m2": "mg/m²"}


def number(value: Number) -> str:
    """An int with thousands separators ("1,092"); a float exactly as the content wrote it."""
    if isinstance(value, bool):
        raise TypeError("a boolean is not a number")
    if isinstance(value, int):
        return f"{value:,}"
    text = repr(float(value))
    if "e" in text or "inf" in text or "nan" in text:
        raise ValueError(f"cannot print {value!r} as the article would")
    whole, _, fraction = text.partition(".")
    return f"{int(whole):,}.{fraction}" if abs(value) >= 1000 else text


def count(value: int) -> str:
    return number(value)


def percent(value: Number) -> str:
    return f"{number(value)}%"


def months(value: Number) -> str:
    return quantity(value, "months")


def quantity(value: Number, unit: str | None) -> str:
    """A value with its unit: "43.6%", "9.6 months", "1 month", "3.6 mg/kg", "25-fold"."""
    if unit == "ratio":
        return hazard_ratio(value)
    shown = number(value)
    if unit is None:
        return shown
    if unit == "%":
        return f"{shown}%"
    if unit == "fold":
        return f"{shown}-fold"
    if unit in _UNIT_WORDS:
        word = _UNIT_WORDS[unit] if value == 1 else unit
        return f"{shown} {word}"
    return f"{shown} {_UNIT_SYMBOLS.get(unit, unit)}"


def _decimals(value: Number) -> int:
    if isinstance(value, int):
        return 0
    return len(repr(float(value)).partition(".")[2])


def _fixed(value: Number, places: int) -> str:
    return f"{value:.{places}f}"


def hazard_ratio(estimate: Number, ci: Interval | None = None) -> str:
    """ "0.65 (0.55–0.77)": estimate and interval at the same precision, two decimals at least."""
    values = [estimate] + ([ci.low, ci.upper] if ci else [])
    places = max(2, *(_decimals(v) for v in values if v is not None))
    text = _fixed(estimate, places)
    if ci:
        high = NOT_ESTIMABLE if ci.upper is None else _fixed(ci.upper, places)
        text += f" ({_fixed(ci.low, places)}{EN_DASH}{high})"
    return text


def interval(ci: Interval, unit: str | None = None) -> str:
    """ "2.7–6.8 months", "16.2–29.2%", "0.44–1.67" (a ratio has no unit word); "4.6
    months–NE" when the upper bound was not estimable (the unit goes with the number)."""
    bare = unit in (None, "ratio")
    if ci.upper is None:
        low = number(ci.low) if bare else quantity(ci.low, unit)
        return f"{low}{EN_DASH}{NOT_ESTIMABLE}"
    low, high = number(ci.low), number(ci.upper)
    if bare:
        return f"{low}{EN_DASH}{high}"
    return quantity_range(low, high, unit)


def quantity_range(low: str, high: str, unit: str) -> str:
    if unit == "%":
        return f"{low}{EN_DASH}{high}%"
    word = _UNIT_SYMBOLS.get(unit, unit)
    return f"{low}{EN_DASH}{high} {word}"


def p_value(p: str) -> str:
    """P as the review printed it, without a leading "=": "<0.001", "0.012"."""
    return p.removeprefix("=")


def endpoint_value(ep: Endpoint) -> str:
    """ "9.6 months", "34.5% (38/110)", or "not reached"."""
    if not ep.reached or ep.value is None:
        return NOT_REACHED
    text = quantity(ep.value, ep.unit)
    if ep.numerator is not None and ep.denominator is not None:
        text += f" ({count(ep.numerator)}/{count(ep.denominator)})"
    return text


def measurement_value(m: Measurement) -> str:
    """As `quantity`; a hazard ratio with its interval reads "0.39 (0.18–0.85)"."""
    if not m.reached or m.value is None:
        return NOT_REACHED
    if m.unit == "ratio":
        return hazard_ratio(m.value, m.ci)
    return quantity(m.value, m.unit)


def comparison_value(cmp: Comparison) -> str:
    """ "0.65 (0.55–0.77)" for a hazard ratio; a difference with its unit-less interval;
    an empty string when the review gives only a P value."""
    if cmp.estimate is None:
        return interval(cmp.ci) if cmp.ci else ""
    if cmp.measure == "HR":
        return hazard_ratio(cmp.estimate, cmp.ci)
    text = number(cmp.estimate)
    if cmp.ci:
        text += f" ({interval(cmp.ci)})"
    return text


def adverse_event_value(ae: AdverseEvent) -> str:
    """ "40.8%", "1 patient", or "8% (9 patients)" when both are given."""
    parts = []
    if ae.rate is not None:
        parts.append(percent(ae.rate))
    if ae.count is not None:
        patients = quantity(ae.count, "patients")
        parts.append(f"({patients})" if parts else patients)
    return " ".join(parts)


def property_value(prop: DrugProperty) -> str:
    """A drug property's number with its unit: "3.5", "25–270 times"."""
    if prop.range is not None:
        low, high = number(prop.range.low), number(prop.range.high)
        return quantity_range(low, high, prop.unit) if prop.unit else f"{low}{EN_DASH}{high}"
    assert prop.value is not None
    return quantity(prop.value, prop.unit)


_SMALL = ("no", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten")


def in_words(n: int) -> str:
    """A small count as a word ("three"), as running text writes it; larger in digits."""
    return _SMALL[n] if 0 <= n < len(_SMALL) else count(n)


def dose(d: Dose) -> str:
    """ "Drug X 3.6 mg/kg IV every 3 weeks"."""
    parts = [d.drug]
    if d.amount is not None:
        parts.append(quantity(d.amount, d.unit))
    if d.route:
        parts.append(d.route)
    if d.schedule:
        parts.append(d.schedule)
    return " ".join(parts)


def grade(band: str) -> str:
    """Grade bands as a reader expects them: "3-4" -> "3–4", "3+" -> "≥3"."""
    if band == "any":
        return "any grade"
    if band == "not-stated":
        return "grade not stated"
    if band == "3+":
        return "grade ≥3"
    return f"grade {band.replace('-', EN_DASH)}"
