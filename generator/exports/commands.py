"""`python -m generator export` and `python -m generator pdf`: argument parsing and I/O."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from ..evidence import load_evidence
from ..quiz import TOPICS, load_bank
from . import (
    DOWNLOADS,
    DOWNLOADS_DIR,
    FORMATS,
    export_bytes,
    select_topic,
    write_downloads,
    write_export,
)

ROOT = Path(__file__).resolve().parent.parent.parent


def _bank(args):
    """The evidence and the bank beside the content folder, as every command reads them."""
    root = args.content.resolve().parent
    ev = load_evidence(args.content, root)
    # The linter is the gate of `check` and `build` (which `make site` runs first); the
    # print edition and the exports print the bank as it is built.
    return ev, load_bank(ev, root, strict=False).items


def cmd_export(args) -> int:
    ev, items = _bank(args)
    chosen = select_topic(items, args.topic)
    if not chosen:
        print(f"export: no items for topic {args.topic!r}; nothing was written.", file=sys.stderr)
        return 1
    if args.format == "gift":
        skipped = [i for i in chosen if i.type == "ordering"]
        if skipped:
            print(f"export: {len(skipped)} ordering item(s) written as matching (item → position)")
    write_export(args.out, export_bytes(args.format, chosen, ev, args.topic))
    print(f"export: wrote {args.out} ({args.format}, {len(chosen)} items)")
    return 0


def cmd_pdf(args) -> int:
    from ..pdf import build_pdf

    ev, items = _bank(args)
    site = args.site
    downloads = site / DOWNLOADS_DIR
    out = args.out or downloads / DOWNLOADS["pdf"][0]
    print(f"pdf: quiz bank built ({len(items)} items)")
    # Kept beside site/, which `build` replaces whole: an unchanged edition is copied
    # from here instead of typeset again.
    cache = args.cache or site.resolve().parent / "build" / "pdf"
    build_pdf(site, ev, items, out, cache=cache, reuse=not args.rebuild)
    write_downloads(downloads, items, ev)
    return 0


def add_commands(sub: argparse._SubParsersAction) -> None:
    export = sub.add_parser("export", help="write the quiz bank as GIFT, QTI 2.1, Anki or JSON")
    export.add_argument("--format", required=True, choices=FORMATS)
    export.add_argument("--out", required=True, type=Path, help="file to write")
    export.add_argument("--topic", choices=TOPICS, help="one topic only (default: the whole bank)")
    export.set_defaults(func=cmd_export)

    pdf = sub.add_parser(
        "pdf", help="print edition of the built site, plus every export, into site/downloads/"
    )
    pdf.add_argument("--site", type=Path, default=ROOT / "site", help="built site (default: site/)")
    pdf.add_argument("--out", type=Path, help="PDF path (default: site/downloads/<name>.pdf)")
    pdf.add_argument(
        "--cache",
        type=Path,
        help="folder keeping the last PDF and its inputs' hash (default: build/pdf/ beside site/)",
    )
    pdf.add_argument(
        "--rebuild",
        action="store_true",
        help="typeset even if the inputs are unchanged (and refresh the cache)",
    )
    pdf.set_defaults(func=cmd_pdf)
