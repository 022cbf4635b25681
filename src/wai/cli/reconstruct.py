"""``python -m wai.reconstruct``: regenerate a study's reconstructed responses (:mod:`wai.study.reconstruct`)."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Sequence

from wai._checks import check_seed
from wai.cli import _common
from wai.cli.report import check_study
from wai.io import csv_text, write_csv
from wai.paths import check_output, raw_folders
from wai.study import load_study
from wai.study.reconstruct import reconstruct

__all__ = ["main"]


def build_parser() -> argparse.ArgumentParser:
    """The parser of ``python -m wai.reconstruct``."""
    parser = _common.parser(
        "python -m wai.reconstruct",
        "Regenerate a study's reconstructed responses from its codebook, byte for byte.",
        "example: python -m wai.reconstruct --study data/raw/chapter11 --check",
        raw=False,
    )
    parser.add_argument("--study", default="data/raw/chapter11", help="study folder holding codebook.toml "
                        "(default: data/raw/chapter11)")
    parser.add_argument("--seed", type=int, default=None, help="seed, 0 or more (default: the codebook's)")
    parser.add_argument("--out", default="-", help="file to write, or - for standard output (default)")
    parser.add_argument("--check", action="store_true",
                        help="compare with the study's responses file instead of writing; exit 1 if different")
    return parser


def check_options(args: argparse.Namespace) -> None:
    """Every option, checked before the study is read."""
    check_study(args.study)
    check_seed(args.seed, "--seed")
    if args.out != "-":
        _common.check_output_file("--out", args.out)
        check_output("--out", args.out, protected=raw_folders(args.study))


def _reconstruct(args: argparse.Namespace) -> int:
    check_options(args)
    study = load_study(args.study)
    frame = reconstruct(study, seed=args.seed)
    # Responses for the package to read back (and compared byte for byte with the shipped file by --check):
    # written as the answers are, never formula-escaped.
    text = csv_text(frame, formula_escape=False)
    if args.check:
        shipped = study.responses.read_bytes() if study.responses.is_file() else b""
        same = shipped == text.encode("utf-8")
        _common.emit(f"{study.responses}: {'identical to' if same else 'DIFFERS from'} "
                     "the regenerated reconstruction\n")
        return 0 if same else 1
    if args.out == "-":
        _common.emit(text)
    else:
        write_csv(Path(args.out), frame, formula_escape=False)
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    """Run ``python -m wai.reconstruct``; returns the exit status (0 done, 1 differs, 2 bad input or option)."""
    return _common.run(lambda: _reconstruct(build_parser().parse_args(argv)))
