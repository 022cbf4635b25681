"""``python -m wai.init``: start a study folder from a survey export, with a draft codebook.

Reads the export, recognises its Likert items, demographics and respondent
id (:func:`wai.init.recognise`), writes ``STUDY_DIR/codebook.toml``
(:func:`wai.init.draft_codebook`) and copies the export beside it, bytes
unchanged, so the folder is self-contained. The original is only read.

Exit status: 0 written; 1 refused (``codebook.toml`` exists, or a different
file of the export's name is in the folder; ``--force`` replaces them); 2 the
export cannot be read.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Sequence

from wai.cli import _common
from wai.errors import OptionError
from wai.study.draft import Recognition, draft_codebook, recognise, slug
from wai.io import write_bytes, write_text
from wai.paths import check_output
from wai.input.readers import add_reader_options, read_responses
from wai.study import CODEBOOK_NAME

__all__ = ["main"]

EXAMPLES = """\
examples:
  python -m wai.init export.csv --out data/raw/mystudy
  python -m wai.init export.xlsx --out data/raw/mystudy --sheet Responses
  python -m wai.init export.csv --out data/raw/mystudy --force       # replace an existing draft
then edit data/raw/mystudy/codebook.toml and run
  python -m wai.report --study data/raw/mystudy --out reports/mystudy --derived data/derived/mystudy
(outputs go outside data/raw/: raw data are never written)

exit status: 0 written; 1 refused to overwrite (codebook.toml exists: use --force);
2 a bad option, or the export cannot be read.
"""


def _sheet(data: Path, sheet: str | None) -> tuple[str | int | None, str | None]:
    """The sheet to read (a position when a number names no sheet) and the name for the codebook."""
    if sheet is None or not sheet.strip().isdigit() or data.suffix.lower() != ".xlsx":
        return sheet, sheet
    try:
        import openpyxl

        book = openpyxl.load_workbook(data, read_only=True)
        names = list(book.sheetnames)
        book.close()
    except Exception:  # noqa: BLE001 - the reader names the problem
        return int(sheet), sheet
    if sheet in names:
        return sheet, sheet
    position = int(sheet)
    return position, names[position] if 0 <= position < len(names) else sheet


def _summary(rec: Recognition) -> list[str]:
    items = rec.of_kind("item")
    per_scale: dict[str, int] = {}
    for c in items:
        per_scale[c.scale or "?"] = per_scale.get(c.scale or "?", 0) + 1
    lines = [f"{rec.n_rows} rows, {len(rec.columns)} columns"]
    if items:
        parts = [f"{n} on scale {name}" for name, n in per_scale.items()]
        lines.append(f"items: {len(items)} ({'; '.join(parts)}); main scale: {rec.scale_name}")
    else:
        lines.append("items: none recognised")
    lines += [f"  - {e}" for e in rec.evidence]
    demo = rec.of_kind("demographic")
    lines.append("demographics: " + (", ".join(f"{c.column} ({len(c.categories)} categories)" for c in demo)
                                     if demo else "none"))
    lines.append(f"respondent id: {rec.respondent_id or 'none'}")
    lines.append(f"undecided: {len(rec.undecided)}")
    lines += [f"  - {n}" for n in rec.undecided]
    return lines


def build_parser() -> argparse.ArgumentParser:
    """The parser of ``python -m wai.init``."""
    parser = _common.parser(
        "python -m wai.init",
        "Start a study folder from a survey export: recognise the Likert items, demographics and "
        "respondent id, write a draft codebook.toml to edit, and copy the export beside it.",
        EXAMPLES,
    )
    parser.add_argument("data", help="survey export, one row per respondent under a header row: CSV (.csv, .txt, "
                        ".tsv), Excel (.xlsx) or SPSS/Stata (.sav, .dta)")
    parser.add_argument("--out", required=True, help="the study folder to write (created if missing)")
    parser.add_argument("--force", action="store_true",
                        help="replace an existing codebook.toml (and a different file of the export's name)")
    add_reader_options(parser)
    parser.add_argument("--sheet", default=None, help="Excel sheet name or position from 0 (default: the first)")
    return parser


def check_options(args: argparse.Namespace) -> tuple[Path, Path]:
    """Every option, checked before the export is read: (export, study folder)."""
    _common.check_reader_options(args)
    data = _common.check_file(args.data)
    out = _common.check_output_dir("--out", args.out)
    check_output("--out", out / CODEBOOK_NAME, inputs=[data])  # never over the export it reads
    if (out / CODEBOOK_NAME).is_dir():
        raise OptionError("--out", args.out, f"a folder where {CODEBOOK_NAME} can be written",
                          f"{out / CODEBOOK_NAME} is a folder")
    return data, out


def _copy_target(data: Path, out: Path, force: bool) -> tuple[str | None, Path | None, int]:
    """Where the export goes in the study folder: (path inside it, file to copy to, 0 or the refusal status)."""
    try:
        inside: str | None = data.resolve().relative_to(out.resolve()).as_posix()
    except ValueError:
        inside = None
    copy_to = None if inside is not None else out / data.name
    if copy_to is not None and copy_to.exists() and not force:
        if copy_to.is_dir():
            raise OptionError("--out", str(out), f"a folder without a folder named {data.name}",
                              f"{copy_to} is a folder: the export cannot be copied there")
        if copy_to.read_bytes() == data.read_bytes():
            return inside, None, 0
        print(f"error: {copy_to} already exists and differs from {data}; not overwriting it "
              "(use --force to replace it)", file=sys.stderr)
        return inside, copy_to, 1
    return inside, copy_to, 0


def _init(args: argparse.Namespace) -> int:
    data, out = check_options(args)
    codebook = out / CODEBOOK_NAME
    if codebook.exists() and not args.force:
        print(f"error: {codebook} already exists; not overwriting it (use --force to replace it)",
              file=sys.stderr)
        return 1
    sheet_read, sheet_name = _sheet(data, args.sheet)
    frame = read_responses(data, encoding=args.encoding, delimiter=args.delimiter, sheet=sheet_read)
    inside, copy_to, refused = _copy_target(data, out, args.force)
    if refused:
        return refused

    rec = recognise(frame)
    study_id = slug(out.resolve().name, max_words=6)
    text = draft_codebook(frame, data_name=inside or data.name, study_id=study_id, study_dir=str(out),
                          encoding=args.encoding, delimiter=args.delimiter, sheet=sheet_name, recognition=rec)
    if copy_to is not None:
        write_bytes(copy_to, data.read_bytes())
    write_text(codebook, text)

    copied = f"copied {data.name} into {out}" if copy_to is not None else f"{inside or data.name} already in {out}"
    lines = [f"wrote {codebook} (a draft: check it before use); {copied}", *_summary(rec),
             f"next: edit {codebook} (title, scale, fields, items), then run",
             f"  python -m wai.report --study {out} --out {Path('reports') / study_id} "
             f"--derived {Path('data/derived') / study_id}"]
    _common.emit("\n".join(lines) + "\n")
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    """Run ``python -m wai.init``; returns the exit status (0 written, 1 refused, 2 bad input or option)."""
    return _common.run(lambda: _init(build_parser().parse_args(argv)))
