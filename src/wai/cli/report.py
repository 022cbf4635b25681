"""``python -m wai.report``: rebuild a study's figures and tables from its raw responses (:mod:`wai.report`)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Sequence

from wai.errors import WaiError
from wai.report.build import DEFAULT_STUDY, build_report

__all__ = ["main"]


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m wai.report",
        description="Rebuild a study's figures and tables from raw responses and compare them with the "
                    "published numbers.",
        epilog="example: python -m wai.report --study data/raw/chapter11 --out reports",
    )
    parser.add_argument("--study", default=str(DEFAULT_STUDY),
                        help="study folder holding codebook.toml (default: %(default)s)")
    parser.add_argument("--out", default="reports", help="folder for figures and tables (default: %(default)s)")
    parser.add_argument("--derived", default=None,
                        help="folder for derived data (default: data/derived/<study id>)")
    parser.add_argument("--on-error", choices=["stop", "report"], default="stop",
                        help="stop on unreadable answers (exit 2, default), or report: leave those rows out "
                             "and write them, with reasons, to rejected.csv in the derived folder")
    args = parser.parse_args(argv)
    try:
        result = build_report(args.study, args.out, args.derived, on_error=args.on_error)
    except WaiError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    failed = result.failed
    n_out = len(result.outputs)
    rejected = [p for p in result.outputs if p.name == "rejected.csv"]
    if rejected:
        print(f"rows with unreadable answers were left out; they are listed in {rejected[0]}", file=sys.stderr)
    print(f"{result.study.id}: wrote {n_out} files to {args.out} and "
          f"{args.derived or Path('data/derived') / result.study.id}")
    print(f"published numbers: {len(result.reproduction)} compared, "
          f"{(result.reproduction['verdict'] != 'differs').sum()} reproduced")
    if len(failed):
        for row in failed.itertuples():
            print(f"NOT REPRODUCED: {row.what}: published {row.published}, regenerated {row.regenerated}",
                  file=sys.stderr)
        return 1
    return 0
