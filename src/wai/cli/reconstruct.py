"""``python -m wai.reconstruct``: regenerate a study's reconstructed responses (:mod:`wai.study.reconstruct`)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Sequence

from wai.errors import WaiError
from wai.io import write_csv
from wai.study import load_study
from wai.study.reconstruct import reconstruct

__all__ = ["main"]


def main(argv: Sequence[str] | None = None) -> int:
    """Run ``python -m wai.reconstruct``; returns the exit status."""
    parser = argparse.ArgumentParser(
        prog="python -m wai.reconstruct",
        description="Regenerate a study's reconstructed responses from its codebook, byte for byte.",
        epilog="example: python -m wai.reconstruct --study data/raw/chapter11 --check",
    )
    parser.add_argument("--study", default="data/raw/chapter11", help="study folder holding codebook.toml "
                        "(default: data/raw/chapter11)")
    parser.add_argument("--seed", type=int, default=None, help="seed (default: the codebook's)")
    parser.add_argument("--out", default="-", help="file to write, or - for standard output (default)")
    parser.add_argument("--check", action="store_true",
                        help="compare with the study's responses file instead of writing; exit 1 if different")
    args = parser.parse_args(argv)
    try:
        study = load_study(args.study)
        frame = reconstruct(study, seed=args.seed)
    except WaiError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    text = frame.to_csv(index=False, lineterminator="\n")
    if args.check:
        shipped = study.responses.read_bytes() if study.responses.is_file() else b""
        same = shipped == text.encode("utf-8")
        print(f"{study.responses}: {'identical to' if same else 'DIFFERS from'} the regenerated reconstruction")
        return 0 if same else 1
    if args.out == "-":
        sys.stdout.write(text)
    else:
        write_csv(Path(args.out), frame)
    return 0
