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

from wai.errors import WaiError
from wai.study.draft import Recognition, draft_codebook, recognise, slug
from wai.io import write_bytes, write_text
from wai.input.readers import add_reader_options, read_responses
from wai.study import CODEBOOK_NAME

__all__ = ["main"]

EXAMPLES = """\
examples:
  python -m wai.init export.csv --out data/raw/mystudy
  python -m wai.init export.xlsx --out data/raw/mystudy --sheet Responses
  python -m wai.init export.csv --out data/raw/mystudy --force       # replace an existing draft
then edit data/raw/mystudy/codebook.toml and run
  python -m wai.report --study data/raw/mystudy --out data/raw/mystudy/reports --derived data/raw/mystudy/derived

exit status: 0 written; 1 refused to overwrite (codebook.toml exists: use --force);
2 the export cannot be read.
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
    except Exception:  # the reader names the problem
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
        parts = [f"{n} on the {name} scale" + ("" if name == rec.scale_name else " (commented out: not the "
                                                                                   "study's scale)")
                 for name, n in per_scale.items()]
        lines.append(f"items: {len(items)} ({'; '.join(parts)}); study scale: {rec.scale_name}")
    else:
        lines.append("items: none recognised")
    demo = rec.of_kind("demographic")
    lines.append("demographics: " + (", ".join(f"{c.column} ({len(c.categories)} categories)" for c in demo)
                                     if demo else "none"))
    lines.append(f"respondent id: {rec.respondent_id or 'none'}")
    lines.append(f"undecided: {len(rec.undecided)}")
    lines += [f"  - {n}" for n in rec.undecided]
    return lines


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m wai.init",
        description="Start a study folder from a survey export: recognise the Likert items, demographics and "
                    "respondent id, write a draft codebook.toml to edit, and copy the export beside it.",
        epilog=EXAMPLES,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("data", help="survey export, one row per respondent under a header row: CSV (.csv, .txt, "
                        ".tsv), Excel (.xlsx) or SPSS/Stata (.sav, .dta)")
    parser.add_argument("--out", required=True, help="the study folder to write (created if missing)")
    parser.add_argument("--force", action="store_true",
                        help="replace an existing codebook.toml (and a different file of the export's name)")
    add_reader_options(parser)
    parser.add_argument("--sheet", default=None, help="Excel sheet name or position from 0 (default: the first)")
    args = parser.parse_args(argv)

    data, out = Path(args.data), Path(args.out)
    codebook = out / CODEBOOK_NAME
    if codebook.exists() and not args.force:
        print(f"error: {codebook} already exists; not overwriting it (use --force to replace it)",
              file=sys.stderr)
        return 1
    try:
        sheet_read, sheet_name = _sheet(data, args.sheet)
        frame = read_responses(data, encoding=args.encoding, delimiter=args.delimiter, sheet=sheet_read)
    except WaiError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    except OSError as exc:
        print(f"error: {data}: cannot read it ({exc.strerror or exc})", file=sys.stderr)
        return 2

    # where the responses live in the study folder: already inside it, or copied in
    try:
        inside = data.resolve().relative_to(out.resolve()).as_posix()
    except ValueError:
        inside = None
    copy_to = None if inside is not None else out / data.name
    if copy_to is not None and copy_to.exists() and not args.force:
        try:
            same = copy_to.read_bytes() == data.read_bytes()
        except OSError as exc:
            print(f"error: cannot compare {copy_to} with {data} ({exc.strerror or exc})", file=sys.stderr)
            return 2
        if same:
            copy_to = None
        else:
            print(f"error: {copy_to} already exists and differs from {data}; not overwriting it "
                  "(use --force to replace it)", file=sys.stderr)
            return 1

    rec = recognise(frame)
    study_id = slug(out.resolve().name, max_words=6)
    text = draft_codebook(frame, data_name=inside or data.name, study_id=study_id, study_dir=str(out),
                          encoding=args.encoding, delimiter=args.delimiter, sheet=sheet_name, recognition=rec)
    try:
        if copy_to is not None:
            write_bytes(copy_to, data.read_bytes())
        write_text(codebook, text)
    except OSError as exc:
        print(f"error: cannot write to {out} ({exc.strerror or exc})", file=sys.stderr)
        return 2

    copied = f"copied {data.name} into {out}" if copy_to is not None else f"{inside or data.name} already in {out}"
    print(f"wrote {codebook} (a draft: check it before use); {copied}")
    for line in _summary(rec):
        print(line)
    print(f"next: edit {codebook} (title, scale, fields, items), then run\n"
          f"  python -m wai.report --study {out} --out {out / 'reports'} --derived {out / 'derived'}")
    return 0
