"""``python -m wai.validate``: audit published tables for arithmetic that cannot be true."""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Sequence

import pandas as pd

from wai._checks import check_int
from wai.audit import MAX_N, MAX_POINTS, MIN_POINTS, table_kind, validate_tables
from wai.bands import CHAPTER11_BANDS, BandScheme
from wai.cli import _common
from wai.errors import InputError, OptionError
from wai.io import read_published_table
from wai.pasted import DELIMITERS, PastedTable, read_pasted
from wai.rounding import RULE_SETS, RULES, resolve_rounding

EXAMPLES = """\
table kinds (told apart by their columns; numbers are read as text, so 0.60 means 2 decimals):
  index table         item, any of wai|rii|mean|sum [, sd] [, rank] [, n] [, band]
                      [, count_1..count_K] [, pct_1..pct_K]   (lowest category first)
  distribution table  category, percent and/or count [, n]
  sample sizes        source, n     (every place a study states its n)

tables as pasted from a paper (text files: tabs, runs of spaces or semicolons, a caption and a note,
"(n=99)" under the header, "9 (15%)" cells, categories highest first) are read as they stand; every
recognition is echoed as a "reading" note. Rounding: a value is flagged only when no rule of
--rounding reproduces it (default usual: half up, half down, half even, truncation).

examples:
  python -m wai.validate table1.csv --n 99
  python -m wai.validate table1_as_pasted.txt
  python -m wai.validate means.txt --items 6 --scale-min 0 --scale-max 4 --rounding up_or_down
  python -m wai.validate table.txt --delimiter semicolon --decimal , --encoding cp1252
  python -m wai.validate figure1.csv --n 99 --max-n 500
  python -m wai.validate data/raw/chapter11/published/*.csv --json
  python -m wai.validate means.csv --points 7 --bands "Low:1.00-3.00,High:3.01-7.00"

exit status: 0 nothing inconsistent; 1 something is inconsistent; 2 a bad option, or a table could not be read.
"""


def parse_bands(spec: str, option: str = "--bands") -> BandScheme:
    """``chapter11`` or ``LABEL:LO-HI,LABEL:LO-HI,...`` (lowest first, as printed).

    Raises :class:`~wai.errors.OptionError` naming ``option``.

    >>> parse_bands("Low:0.0-0.5,High:0.6-1.0").labels
    ('Low', 'High')
    >>> parse_bands("Low:abc-xyz")
    Traceback (most recent call last):
    ...
    wai.errors.OptionError: --bands: got 'Low:abc-xyz', expected chapter11 or LABEL:LO-HI,LABEL:LO-HI,... (e.g. Low:0.0-0.5,High:0.6-1.0) (text: got 'abc', expected a printed number such as '0.60')
    """
    if spec.strip().lower() == "chapter11":
        return CHAPTER11_BANDS
    expected = "chapter11 or LABEL:LO-HI,LABEL:LO-HI,... (e.g. Low:0.0-0.5,High:0.6-1.0)"
    ranges = []
    for part in spec.split(","):
        label, _, span = part.rpartition(":")
        lo, _, hi = span.partition("-")
        if not label.strip() or not lo.strip() or not hi.strip():
            raise OptionError(option, spec, expected, f"{part!r} is not LABEL:LO-HI")
        ranges.append((label.strip(), lo.strip(), hi.strip()))
    try:
        return BandScheme.from_ranges(ranges)
    except ValueError as exc:  # a BandError, or a bound that is not a printed number
        raise OptionError(option, spec, expected, str(exc)) from None


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


def build_parser() -> argparse.ArgumentParser:
    """The parser of ``python -m wai.validate``."""
    parser = _common.parser(
        "python -m wai.validate",
        "Check published Likert tables (WAI, RII or mean indexes, percentage breakdowns, "
        "sample sizes) for numbers that no set of answers can produce together.",
        EXAMPLES,
    )
    parser.add_argument("tables", nargs="+", help="table files of one study, checked together: CSV, or text as pasted from a paper")
    parser.add_argument("--n", type=int, default=None,
                        help="sample size for every row without an n column (at least 1)")
    parser.add_argument("--points", type=int, default=None,
                        help=f"scale length K when no count_/pct_ columns say it, {MIN_POINTS} to {MAX_POINTS} "
                             "(default 5)")
    parser.add_argument("--max-n", type=int, default=1000,
                        help=f"largest sample size tried for percentage breakdowns, 1 to {MAX_N} (default 1000)")
    parser.add_argument("--bands", default="chapter11",
                        help="the stated bands: chapter11 (default) or LABEL:LO-HI,... as printed")
    parser.add_argument("--rounding", default="usual",
                        help="rounding rule(s) a printed number may come from: " + ", ".join((*RULES, *RULE_SETS))
                             + ", or several joined by + (default usual)")
    parser.add_argument("--items", type=int, default=1, help="items per person behind each mean (default 1)")
    parser.add_argument("--scale-min", type=int, default=None, help="the lowest code (default 1; 0 for a 0-based scale)")
    parser.add_argument("--scale-max", type=int, default=None, help="the highest code (default scale-min + points - 1)")
    parser.add_argument("--scale", default=None,
                        help="the codes from a scale spelling instead: numeric:LO-HI, a preset or labels:A|B|C")
    parser.add_argument("--highest-first", action="store_true",
                        help="category columns run from the highest category (pasted tables: detected from labels)")
    parser.add_argument("--delimiter", default=None, choices=sorted(k for k in DELIMITERS if len(k) > 1),
                        help="how cells are split (default: CSV, or detected in pasted text)")
    parser.add_argument("--decimal", default=".", choices=[".", ","], help="the decimal mark (default .)")
    parser.add_argument("--encoding", default="utf-8-sig", help="the files' text encoding (default UTF-8)")
    parser.add_argument("--json", action="store_true", help='print {"findings": [...]} instead of text')
    return parser


def check_options(args: argparse.Namespace) -> BandScheme:
    """Every option, checked before any table is read; the band scheme of ``--bands``."""
    if args.n is not None:
        check_int("--n", args.n, 1, what="a whole number (a sample size)")
    if args.points is not None:
        check_int("--points", args.points, MIN_POINTS, MAX_POINTS, what="a whole number of scale points")
    check_int("--max-n", args.max_n, 1, MAX_N, what="a whole number (the largest sample size tried)")
    bands = parse_bands(args.bands)
    try:
        args.rounding = resolve_rounding(args.rounding.split("+") if "+" in args.rounding else args.rounding)
    except OptionError as exc:
        raise exc.renamed("--rounding") from None
    check_int("--items", args.items, 1, what="a whole number of items (at least 1)")
    if args.scale is not None:
        from wai.scales import parse_scale

        if args.scale_min is not None or args.scale_max is not None:
            raise OptionError("--scale", args.scale, "either --scale or --scale-min/--scale-max")
        args.scale = parse_scale(args.scale, option="--scale")
    for path in args.tables:
        _common.check_file(path, "an existing CSV file")
    return bands


def _findings_json(findings: pd.DataFrame) -> str:
    records = []
    for f in findings.itertuples(index=False):
        records.append({"table": f.table, "row": None if pd.isna(f.row) else int(f.row), "item": f.item,
                        "check": f.check, "status": f.status, "detail": f.detail,
                        "consistent_n": None if f.consistent_n is None else list(f.consistent_n)})
    return json.dumps({"findings": records}, indent=2) + "\n"


def read_table(path: str, args: argparse.Namespace) -> pd.DataFrame | PastedTable:
    """A table file: a CSV of the audit's columns as it is, anything else read as pasted text."""
    name = Path(path).name
    csv_error = None
    if args.delimiter in (None, "comma", ",") and args.decimal == ".":
        try:
            frame = read_published_table(path, encoding=args.encoding)
            table_kind(frame)
            return frame
        except InputError as exc:
            if any(p.row is None for p in exc.problems) and "no rows" not in str(exc):
                raise  # the file itself cannot be read
            csv_error = exc
    try:
        text = Path(path).read_text(encoding=args.encoding)
        return read_pasted(text, delimiter=args.delimiter, decimal=args.decimal,
                           highest_first=True if args.highest_first else None, name=name)
    except InputError:
        if csv_error is not None:
            raise csv_error from None
        raise
    except (UnicodeDecodeError, LookupError) as exc:
        raise InputError([_problem(path, str(exc))]) from None


def _problem(path: str, why: str):
    from wai.errors import Problem

    return Problem(path, None, None, None, f"a text table in the encoding {why}")


def _validate(args: argparse.Namespace) -> int:
    bands = check_options(args)
    tables = {}
    for path in args.tables:
        tables[Path(path).name if Path(path).name not in tables else path] = read_table(path, args)
    findings = validate_tables(tables, n=args.n, points=args.points, bands=bands, max_n=args.max_n,
                               rounding=args.rounding, items=args.items, scale_min=args.scale_min,
                               scale_max=args.scale_max, scale=args.scale, highest_first=args.highest_first)
    _common.emit(_findings_json(findings) if args.json else render(findings))
    return 1 if (findings["status"] == "inconsistent").any() else 0


def main(argv: Sequence[str] | None = None) -> int:
    """Run ``python -m wai.validate``; returns the exit status (0 consistent, 1 inconsistent, 2 bad input)."""
    return _common.run(lambda: _validate(build_parser().parse_args(argv)))
