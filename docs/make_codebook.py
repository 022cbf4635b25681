"""Write the key tables of docs/codebook.md from the codebook schema (wai.study.schema).

    python docs/make_codebook.py            # (re)write the tables in docs/codebook.md
    python docs/make_codebook.py --check    # exit 1 if they are not what this would write

docs/codebook.md is written by hand except for its key tables: each sits between
``<!-- keys: NAME -->`` and ``<!-- /keys -->``, where NAME is a section of
:data:`wai.study.schema.SECTIONS` (``study``, ``scale``, ...; ``figures, tables`` for the
two that share one table). Every section must have its table, once; a marker naming a
section the schema does not have is an error. Only the text between the markers changes.
"""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path

DOCS = Path(__file__).resolve().parent
OUTPUT = DOCS / "codebook.md"
sys.path.insert(0, str(DOCS.parent / "src"))

from wai.study.schema import SECTIONS, Key, Section  # noqa: E402

BLOCK = re.compile(r"^<!-- keys: (?P<names>[\w, ]+?) -->\n(?P<body>.*?)^<!-- /keys -->$", re.M | re.S)
NOTE = "<!-- generated from wai.study.schema by docs/make_codebook.py: edit the schema, not this table -->"


def _cell(text: str) -> str:
    return text.replace("|", "\\|")


def _row(key: Key) -> str:
    cells = [f"`{key.name}`", key.type_text(), key.default_text(), key.meaning(), f"`{key.example}`"]
    return "| " + " | ".join(_cell(c) for c in cells) + " |"


def table(sections: list[Section]) -> str:
    """The key table of one or more sections that share their keys (figures and tables)."""
    names = {s.names for s in sections}
    if len(names) != 1:
        raise SystemExit(f"sections {[s.name for s in sections]} share a table but not their keys")
    lines = [NOTE, "| key | type | default | meaning | example |", "|---|---|---|---|---|"]
    lines += [_row(k) for k in sections[0].keys]
    return "\n".join(lines) + "\n"


def build(text: str) -> str:
    """``text`` with every key table rewritten from the schema."""
    seen: list[str] = []

    def replace(match: re.Match[str]) -> str:
        names = [n.strip() for n in match.group("names").split(",")]
        unknown = [n for n in names if n not in SECTIONS]
        if unknown:
            raise SystemExit(f"{OUTPUT.name}: a key table names {unknown}, not sections of the schema")
        seen.extend(names)
        return f"<!-- keys: {', '.join(names)} -->\n{table([SECTIONS[n] for n in names])}<!-- /keys -->"

    out = BLOCK.sub(replace, text)
    missing = [n for n in SECTIONS if n not in seen]
    twice = sorted({n for n in seen if seen.count(n) > 1})
    if missing or twice:
        raise SystemExit(f"{OUTPUT.name}: sections without a key table {missing}, with two {twice}; "
                         "add <!-- keys: NAME --> ... <!-- /keys --> where the section is described")
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python docs/make_codebook.py", description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true",
                        help="do not write; exit 1 if docs/codebook.md differs from what would be written")
    args = parser.parse_args(argv)
    current = OUTPUT.read_text(encoding="utf-8")
    text = build(current)
    if args.check:
        if current != text:
            print(f"{OUTPUT.name}'s key tables are out of date: run python docs/make_codebook.py", file=sys.stderr)
            return 1
        print(f"{OUTPUT.name}'s key tables are up to date")
        return 0
    OUTPUT.write_text(text, encoding="utf-8", newline="\n")
    print(f"wrote the key tables of {OUTPUT.relative_to(DOCS.parent).as_posix()}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
