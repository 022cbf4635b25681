"""``python -m wai.report``: rebuild a study's figures and tables from its raw responses (:mod:`wai.report`)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Sequence

from wai.cli import _common
from wai.cli.score import add_design_options, design_of
from wai.errors import OptionError
from wai.paths import check_output, raw_folders
from wai.report.build import DEFAULT_STUDY, build_report
from wai.report.progress import terminal_progress
from wai.study import CODEBOOK_NAME

__all__ = ["main"]


def build_parser() -> argparse.ArgumentParser:
    """The parser of ``python -m wai.report``."""
    parser = _common.parser(
        "python -m wai.report",
        "Rebuild a study's figures and tables from raw responses and compare them with the "
        "published numbers.",
        "example: python -m wai.report --study data/raw/chapter11 --out reports",
        raw=False,
    )
    parser.add_argument("--study", default=str(DEFAULT_STUDY),
                        help="study folder holding codebook.toml (default: %(default)s)")
    parser.add_argument("--out", default="reports", help="folder for figures and tables (default: %(default)s)")
    parser.add_argument("--derived", default=None,
                        help="folder for derived data (default: data/derived/<study id>)")
    parser.add_argument("--on-error", choices=["stop", "report"], default="stop",
                        help="stop on unreadable answers (exit 2, default), or report: leave those rows out "
                             "and write them, with reasons, to rejected.csv in the derived folder")
    _common.add_csv_formulas_option(parser)
    add_design_options(parser)  # the survey design, in place of the codebook's [design]
    parser.add_argument("--quiet", action="store_true",
                        help="say nothing while running (progress is shown only on a terminal anyway)")
    return parser


def check_options(args: argparse.Namespace) -> None:
    """Every option, checked before the study is read: a study folder, output folders that can be folders."""
    check_study(args.study)
    _common.check_output_dir("--out", args.out)
    check_output("--out", args.out, protected=raw_folders(args.study), folder=True)
    if args.derived is not None:
        _common.check_output_dir("--derived", args.derived)
        check_output("--derived", args.derived, protected=raw_folders(args.study), folder=True)


def check_study(study: str, option: str = "--study") -> Path:
    """A study folder: an existing folder (its codebook is read and checked by :func:`wai.study.load_study`)."""
    p = Path(study)
    if not p.exists():
        raise OptionError(option, study, f"a study folder holding {CODEBOOK_NAME}", "no such folder")
    if not p.is_dir() and p.suffix.lower() != ".toml":
        raise OptionError(option, study, f"a study folder holding {CODEBOOK_NAME}", "it is a file")
    return p


def _report(args: argparse.Namespace) -> int:
    check_options(args)
    try:
        result = build_report(args.study, args.out, args.derived, on_error=args.on_error,
                              csv_formulas=args.csv_formulas, design=design_of(args),
                              progress=terminal_progress(sys.stderr, quiet=args.quiet))
    except OptionError as exc:  # the API's spelling of an option, as the command line spells it
        if exc.option not in ("out", "derived"):
            raise
        raise exc.renamed(f"--{exc.option}") from None
    failed = result.failed
    n_out = len(result.outputs)
    rejected = [p for p in result.outputs if p.name == "rejected.csv"]
    if rejected:
        print(f"rows with unreadable answers were left out; they are listed in {rejected[0]}", file=sys.stderr)
    compared = (f"published numbers: {len(result.reproduction)} compared, "
                f"{(result.reproduction['verdict'] != 'differs').sum()} reproduced" if len(result.reproduction)
                else "nothing published to compare: every value is observed")
    _common.emit(f"{result.study.id}: wrote {n_out} files to {args.out} and "
                 f"{args.derived or Path('data/derived') / result.study.id}\n{compared}\n")
    if len(failed):
        for row in failed.itertuples():
            print(f"NOT REPRODUCED: {row.what}: published {row.published}, regenerated {row.regenerated}",
                  file=sys.stderr)
        return 1
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    """Run ``python -m wai.report``; returns the exit status (0 reproduced, 1 not, 2 bad input or option)."""
    return _common.run(lambda: _report(build_parser().parse_args(argv)))
