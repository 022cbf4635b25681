"""``python -m wai.validate``: audit published tables for arithmetic that cannot be true."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Sequence

import pandas as pd

from wai.audit import validate_tables
from wai.bands import CHAPTER11_BANDS, BandScheme
from wai.errors import WaiError
from wai.io import read_published_table

EXAMPLES = """\
table kinds (told apart by their columns; numbers are read as text, so 0.60 means 2 decimals):
  index table         item, wai|rii|mean [, n] [, band] [, count_1..count_K | pct_1..pct_K]
  distribution table  category, percent and/or count [, n]
  sample sizes        source, n     (every place a study states its n)

examples:
  python -m wai.validate table1.csv --n 99
  python -m wai.validate figure1.csv --n 99 --max-n 500
  python -m wai.validate data/raw/chapter11/published/*.csv --json
  python -m wai.validate means.csv --points 7 --bands "Low:1.00-3.00,High:3.01-7.00"

exit status: 0 nothing inconsistent; 1 something is inconsistent; 2 a table could not be read.
"""


def parse_bands(spec: str) -> BandScheme:
    """``chapter11`` or ``LABEL:LO-HI,LABEL:LO-HI,...`` (lowest first, as printed).

    >>> parse_bands("Low:0.0-0.5,High:0.6-1.0").labels
    ('Low', 'High')
    """
    if spec.strip().lower() == "chapter11":
        return CHAPTER11_BANDS
    ranges = []
    for part in spec.split(","):
        label, _, span = part.rpartition(":")
        lo, _, hi = span.partition("-")
        if not label.strip() or not lo.strip() or not hi.strip():
            raise WaiError(f"--bands expects LABEL:LO-HI,LABEL:LO-HI,... (e.g. Low:0.0-0.5,High:0.6-1.0), "
                           f"got {part!r}")
        ranges.append((label.strip(), lo.strip(), hi.strip()))
    return BandScheme.from_ranges(ranges)


def render(findings: pd.DataFrame) -> str:
    """The findings as aligned plain text, grouped by table."""
    if findings.empty:
        return "no checks ran\n"
    lines = []
    for table, part in findings.groupby("table", sort=False):
        lines.append(str(table))
        for f in part.itertuples(index=False):
            row = f"row {f.row}" if pd.notna(f.row) else "table"
            item = (f.item[:30] + "...") if len(f.item) > 33 else f.item
            lines.append(f"  {row:<7} {item:<33} {f.check:<22} {f.status:<12} {f.detail}")
    counts = findings["status"].value_counts()
    lines.append(f"{len(findings)} checks: {counts.get('inconsistent', 0)} inconsistent, "
                 f"{counts.get('note', 0)} notes, {counts.get('ok', 0)} ok")
    return "\n".join(lines) + "\n"


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m wai.validate",
        description="Check published Likert tables (WAI, RII or mean indexes, percentage breakdowns, "
                    "sample sizes) for numbers that no set of answers can produce together.",
        epilog=EXAMPLES, formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("tables", nargs="+", help="CSV files of one study, checked together")
    parser.add_argument("--n", type=int, default=None, help="sample size for every row without an n column")
    parser.add_argument("--points", type=int, default=None,
                        help="scale length K when no count_/pct_ columns say it (default 5)")
    parser.add_argument("--max-n", type=int, default=1000,
                        help="largest sample size tried for percentage breakdowns (default 1000)")
    parser.add_argument("--bands", default="chapter11",
                        help="the stated bands: chapter11 (default) or LABEL:LO-HI,... as printed")
    parser.add_argument("--json", action="store_true", help='print {"findings": [...]} instead of text')
    args = parser.parse_args(argv)
    try:
        if args.n is not None and args.n < 1:
            raise WaiError(f"--n must be at least 1, got {args.n}")
        if args.points is not None and not 2 <= args.points <= 20:
            raise WaiError(f"--points must be between 2 and 20, got {args.points}")
        bands = parse_bands(args.bands)
        tables = {}
        for path in args.tables:
            tables[Path(path).name if Path(path).name not in tables else path] = read_published_table(path)
        findings = validate_tables(tables, n=args.n, points=args.points, bands=bands, max_n=args.max_n)
    except WaiError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    if args.json:
        records = []
        for f in findings.itertuples(index=False):
            records.append({"table": f.table, "row": None if pd.isna(f.row) else int(f.row), "item": f.item,
                            "check": f.check, "status": f.status, "detail": f.detail,
                            "consistent_n": None if f.consistent_n is None else list(f.consistent_n)})
        print(json.dumps({"findings": records}, indent=2))
    else:
        sys.stdout.write(render(findings))
    return 1 if (findings["status"] == "inconsistent").any() else 0
