"""A study: its codebook (TOML) and the raw responses it describes.

A study folder holds ``codebook.toml`` and the responses file it names. The
codebook says everything the pipeline needs and nothing is guessed. Its
tables are ``[study]`` (what the study is, where its responses are),
``[scale]`` (the answer scale), ``[bands]`` (the verbal bands), ``[[fields]]``
(demographic columns), ``[[figures]]`` and ``[[tables]]`` (the displays of the
publication), ``[[items]]`` (the Likert items) and ``[[published]]`` (every
other number the publication prints).

Every key, its type, default and allowed values are written down once, in
:data:`wai.study.schema.SECTIONS`; :func:`load_study` checks a codebook
against that table (unknown keys, with the nearest known key suggested, wrong
types and values outside a key's choices are errors, so a typo never passes
silently), then checks what the keys mean together (references between
tables, duplicate ids, the scale and band scheme). The full reference,
generated from the same table, is ``docs/codebook.md``; ``help(wai.study)``
lists the keys too.

Examples
--------
>>> import tempfile, pathlib
>>> d = pathlib.Path(tempfile.mkdtemp())
>>> _ = (d / "codebook.toml").write_text('''
... [study]
... id = "mini"
... title = "A small study"
... responses = "answers.csv"
... [scale]
... labels = ["Never", "Sometimes", "Often"]
... [[tables]]
... id = "t"
... title = "Use"
... [[items]]
... id = "q1"
... column = "How often?"
... wording = "How often"
... in = "t"
... ''')
>>> s = load_study(d)
>>> s.id, s.scale.points, [i.id for i in s.items_in("t")]
('mini', 3, ['q1'])
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType
from typing import Any, Mapping, Sequence

from wai._checks import nearest
from wai.bands import CHAPTER11_BANDS, BandScheme
from wai.constructs import Construct
from wai.design import Design
from wai.errors import BandError, CodebookError, OptionError, Problem, ScaleError
from wai.exact import parse_reported
from wai.scales import LikertScale, scale_from_spec
from wai.study.schema import SECTIONS, Key, Section, accepts, is_name

__all__ = ["Study", "Item", "Field", "Display", "Published", "load_study", "CODEBOOK_NAME"]

CODEBOOK_NAME = "codebook.toml"


@dataclass(frozen=True)
class Field:
    """A demographic field: a column of categories."""

    id: str
    column: str
    label: str
    categories: tuple[str, ...]
    compare: bool = False


@dataclass(frozen=True)
class Display:
    """A figure or table of the publication."""

    id: str
    title: str
    kind: str  # "wai" or "distribution"
    field: str | None = None
    note: str = ""
    is_table: bool = False
    label: str = ""

    def __post_init__(self) -> None:
        if not self.label:
            match = re.fullmatch(r"([A-Za-z_]+?)_?(\d+)", self.id)
            label = f"{match.group(1).capitalize()} {match.group(2)}" if match else self.id
            object.__setattr__(self, "label", label)


@dataclass(frozen=True)
class Item:
    """A Likert item: where its answers are and what was published about it."""

    id: str
    column: str
    wording: str
    display: str
    published_wai: str | None = None
    published_band: str | None = None
    band_source: str = ""
    target_wai: str | None = None
    target_status: str = "published"
    reverse: bool = False
    scale: str | None = None

    @property
    def target(self) -> str | None:
        """The value the item is built to reproduce: published WAI, else the illustrative target."""
        return self.published_wai or self.target_wai


@dataclass(frozen=True)
class Published:
    """A study-level number the publication prints (n, a count, a percentage)."""

    id: str
    quantity: str
    value: str
    source: str = ""
    field: str | None = None
    category: str | None = None
    reproduce: bool = True
    why: str = ""


@dataclass(frozen=True)
class Study:
    """A study folder's codebook, resolved and checked."""

    root: Path
    id: str
    title: str
    responses: Path
    scale: LikertScale
    bands: BandScheme
    rule: str = "rounded"
    citation: str = ""
    respondent_id: str | None = None
    reconstruction: bool = False
    seed: int | None = None
    notes: str = ""
    encoding: str | None = None
    delimiter: str | None = None
    sheet: str | None = None
    fields: tuple[Field, ...] = ()
    displays: tuple[Display, ...] = ()
    items: tuple[Item, ...] = ()
    published: tuple[Published, ...] = ()
    codebook_path: Path = field(default=Path(CODEBOOK_NAME))
    constructs: tuple[Construct, ...] = ()  # items and reverse hold item ids
    design: Design | None = None
    scales: Mapping[str, LikertScale] = field(default_factory=lambda: MappingProxyType({}))
    scale_bands: Mapping[str, BandScheme] = field(default_factory=lambda: MappingProxyType({}))

    def scale_of(self, item: Item) -> LikertScale:
        """The scale an item is on: its ``[[scales]]`` entry, else ``[scale]``."""
        return self.scales[item.scale] if item.scale is not None else self.scale

    def bands_of(self, item: Item) -> BandScheme:
        """The bands an item's WAI is classified into: its scale's, else ``[bands]``."""
        return self.scale_bands.get(item.scale or "", self.bands)

    def scale_groups(self, items: Sequence[Item] | None = None) -> list[tuple[str | None, tuple[Item, ...]]]:
        """The items (default: all) by scale id (``None`` for ``[scale]``), in order of first appearance."""
        groups: dict[str | None, list[Item]] = {}
        for i in self.items if items is None else items:
            groups.setdefault(i.scale, []).append(i)
        return [(k, tuple(v)) for k, v in groups.items()]

    def display_scale(self, display_id: str) -> LikertScale:
        """The scale of a display's items (one per display; ``[scale]`` for a display without items)."""
        items = self.items_in(display_id)
        return self.scale_of(items[0]) if items else self.scale

    def items_in(self, display_id: str) -> tuple[Item, ...]:
        """Items of one figure or table, in codebook order."""
        return tuple(i for i in self.items if i.display == display_id)

    def field_by_id(self, field_id: str) -> Field:
        for f in self.fields:
            if f.id == field_id:
                return f
        raise KeyError(field_id)

    def display(self, display_id: str) -> Display:
        for d in self.displays:
            if d.id == display_id:
                return d
        raise KeyError(display_id)


class _Values:
    """One codebook table's values, checked against its :class:`~wai.study.schema.Section`.

    ``values[key]`` is the value given (when it has the right type and is one of the
    key's choices), else the schema's default; ``key in values`` says whether a
    good value was given; ``values.get(key, fallback)`` is the value given or ``fallback``.
    """

    def __init__(self, section: Section, given: dict[str, Any], bad: set[str]):
        self.section = section
        self.given = given
        self.bad = bad

    def __getitem__(self, name: str) -> Any:
        return self.given.get(name, self.section.key(name).default)

    def __contains__(self, name: str) -> bool:
        self.section.key(name)
        return name in self.given

    def get(self, name: str, fallback: Any = None) -> Any:
        self.section.key(name)
        return self.given.get(name, fallback)


class _Reader:
    """Collects codebook problems instead of stopping at the first."""

    def __init__(self, path: Path):
        self.path = path
        self.problems: list[Problem] = []

    def bad(self, key: str, value: Any, expected: str, hint: str = "") -> None:
        self.problems.append(Problem(str(self.path), None, key, value, expected, hint, in_codebook=True))

    def unknown_keys(self, table: dict[str, Any], known: tuple[str, ...], where: str) -> None:
        """An unknown key is an error, with the nearest known key suggested."""
        for key in table:
            if key not in known:
                self.bad(f"{where}.{key}" if where else key, table[key], f"one of the keys {', '.join(known)}",
                         nearest(key, known) or "unknown key")

    def top(self, data: dict[str, Any], name: str) -> Any:
        """A top-level table (a dict) or array of tables (a list): an empty one when it is optional
        and absent, ``None`` (and a problem) when it is missing or of the wrong type."""
        section = SECTIONS[name]
        if name not in data:
            if section.required:
                self.bad(name, None, f"{section.expects()} (the key is required)")
                return None
            return [] if section.array else {}
        value = data[name]
        if not isinstance(value, list if section.array else dict):
            self.bad(name, value, section.expects())
            return None
        return value

    def entries(self, data: dict[str, Any], name: str) -> list[tuple[int, _Values]]:
        """``(position, values)`` of every table of an array of tables (``[[items]]``)."""
        out = []
        for i, entry in enumerate(self.top(data, name) or []):
            where = f"{name}[{i}]"
            if not isinstance(entry, dict):
                self.bad(where, entry, f"a table (a [[{name}]] entry)")
                continue
            out.append((i, self.table(entry, SECTIONS[name], where)))
        return out

    def table(self, table: dict[str, Any] | None, section: Section, where: str) -> _Values:
        """Check one table's keys against the schema: unknown keys, required keys, types, choices.

        ``None`` (a table already reported missing or wrong) has no values, every key bad.
        """
        if table is None:
            return _Values(section, {}, set(section.names))
        self.unknown_keys(table, section.names, where)
        given: dict[str, Any] = {}
        bad: set[str] = set()
        for key in section.keys:
            if key.name not in table:
                if key.required:
                    self.bad(f"{where}.{key.name}", None, f"{key.expects()} (the key is required)")
                continue
            value = table[key.name]
            if self._good(key, value, f"{where}.{key.name}"):
                given[key.name] = value
            else:
                bad.add(key.name)
        return _Values(section, given, bad)

    def _good(self, key: Key, value: Any, where: str) -> bool:
        if not accepts(key, value):
            self.bad(where, value, key.expects())
            return False
        if key.choices and value not in key.choices:
            self.bad(where, value, key.expects(), nearest(value, key.choices))
            return False
        if key.name_only and not is_name(value):  # reported, and kept: what refers to it is not blamed too
            self.bad(where, value, key.expects(), "ids are names, never paths")
        return True


def _inside(root: Path, name: str) -> Path | None:
    """``root / name`` if it stays inside ``root`` (no absolute paths, no ``..`` escapes)."""
    candidate = (root / name).resolve()
    try:
        candidate.relative_to(root.resolve())
    except ValueError:
        return None
    return candidate


def load_study(path: str | Path) -> Study:
    """Read and check a study folder's ``codebook.toml`` (or a codebook file path).

    Raises
    ------
    CodebookError
        Listing every problem found: unknown keys, missing keys, wrong types
        or values (see :mod:`wai.study.schema`), unknown figure/table
        references, duplicate ids, a responses path outside the study
        folder, a malformed scale or band scheme.
    """
    codebook = _codebook_file(Path(path))
    data = _parse(codebook)
    r = _Reader(codebook)
    r.unknown_keys(data, tuple(SECTIONS), "")
    study = r.table(r.top(data, "study"), SECTIONS["study"], "study")
    responses = _responses(r, codebook.parent, study)
    scale = _read_scale(r, data)
    bands, rule = _read_bands(r, r.top(data, "bands"))
    scales, scale_bands = _read_scales(r, data, bands)
    fields = _read_fields(r, data)
    displays = _read_displays(r, data, fields)
    items = _read_items(r, data, displays, bands, scales)
    _no_duplicates(r, [i.column for i in items] + [f.column for f in fields], "column")
    published = _read_published(r, data, fields)
    design = _read_design(r, r.top(data, "design") if "design" in data else None)
    constructs = _read_constructs(r, data, items)
    if r.problems:
        raise CodebookError(r.problems)
    sid = study.get("id", "study")
    return Study(
        root=codebook.parent, id=sid, title=study.get("title", sid), responses=responses, scale=scale,
        bands=bands, rule=rule, citation=study["citation"], respondent_id=study["respondent_id"],
        reconstruction=study["reconstruction"], seed=study["seed"], notes=study["notes"],
        encoding=study["encoding"], delimiter=study["delimiter"], sheet=study["sheet"],
        fields=fields, displays=displays, items=items, published=published, codebook_path=codebook,
        scales=MappingProxyType(scales), scale_bands=MappingProxyType(scale_bands),
        design=design,
        constructs=constructs,
    )


def _codebook_file(path: Path) -> Path:
    codebook = path / CODEBOOK_NAME if path.is_dir() else path
    if not codebook.is_file():
        raise CodebookError([Problem(str(codebook), None, None, None, "a codebook.toml file",
                                     "pass --study with the folder that holds codebook.toml")])
    return codebook


def _parse(codebook: Path) -> dict[str, Any]:
    """The codebook's TOML; CodebookError for a file that cannot be read, is not UTF-8 or not TOML."""
    def bad(line: int | None, value: object, expected: str, hint: str = "") -> CodebookError:
        return CodebookError([Problem(str(codebook), line, None, value, expected, hint, in_codebook=True)])

    try:
        raw = codebook.read_bytes()
    except OSError as exc:
        raise bad(None, f"{type(exc).__name__}: {exc.strerror or exc}", "a readable codebook.toml file") from None
    try:
        text = raw.decode("utf-8").removeprefix("\ufeff")
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        try:
            raw.decode("cp1252")
            hint = "it reads as cp1252 (Windows); save codebook.toml as UTF-8"
        except UnicodeDecodeError:
            hint = "this does not look like a text file; save codebook.toml as UTF-8 text"
        raise bad(line, f"byte 0x{raw[exc.start]:02x} at offset {exc.start}", "TOML text in UTF-8",
                  hint) from None
    if "\x00" in text:
        raise bad(text.count("\n", 0, text.index("\x00")) + 1, "a NUL character", "TOML text",
                  "this does not look like a text file") from None
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise CodebookError([Problem(str(codebook), getattr(exc, "lineno", None), None, str(exc),
                                     "valid TOML", in_codebook=True)]) from None


def _responses(r: _Reader, root: Path, study: _Values) -> Path:
    name = study.get("responses", "responses.csv")
    if "\x00" in name:
        r.bad("study.responses", name, "a file name without NUL characters")
        return root / "responses.csv"
    responses = _inside(root, name)
    if responses is None:
        r.bad("study.responses", name, "a file inside the study folder",
              "codebook paths may not point outside the study folder")
        return root / "responses.csv"
    return responses


def _read_fields(r: _Reader, data: dict[str, Any]) -> tuple[Field, ...]:
    fields = []
    for i, f in r.entries(data, "fields"):
        fid = f.get("id", f"field{i}")
        fields.append(Field(fid, f.get("column", fid), f.get("label", fid), tuple(map(str, f["categories"])),
                            f["compare"]))
    return tuple(fields)


def _read_constructs(r: _Reader, data: dict[str, Any], items: tuple[Item, ...]) -> tuple[Construct, ...]:
    """The ``[[constructs]]``: items and reverse keys that are item ids, a reachable ``min_items``."""
    known = {i.id: i for i in items}
    constructs = []
    for i, c in r.entries(data, "constructs"):
        where = f"constructs[{i}]"
        cid = c.get("id", f"construct{i}")
        members = [str(x) for x in c.get("items", [])]
        for key, ids in (("items", members), ("reverse", [str(x) for x in c.get("reverse", [])])):
            for x in ids:
                if x not in known or (key == "reverse" and x not in members):
                    r.bad(f"{where}.{key}", x, "the id of an item in [[items]]" if key == "items"
                          else "the id of one of the construct's items", nearest(x, members or list(known)))
        if len(set(members)) != len(members):
            r.bad(f"{where}.items", members, "each item once")
        reverse = ([str(x) for x in c["reverse"]] if "reverse" in c
                   else [x for x in members if x in known and known[x].reverse])
        least = c["min_items"]
        if members and not 1 <= least <= len(members):
            r.bad(f"{where}.min_items", least, f"a whole number from 1 to {len(members)} (the construct's items)")
            least = 1
        constructs.append(Construct(cid, tuple(members), tuple(reverse), least, c.get("label", cid)))
    _no_duplicates(r, [c.id for c in constructs], "construct id")
    return tuple(constructs)


def _read_displays(r: _Reader, data: dict[str, Any], fields: tuple[Field, ...]) -> tuple[Display, ...]:
    displays = []
    field_ids = {f.id for f in fields}
    for name, is_table in (("figures", False), ("tables", True)):
        for i, d in r.entries(data, name):
            where = f"{name}[{i}]"
            kind = d["kind"]
            fld = d["field"]
            if kind == "distribution" and "field" not in d and "field" not in d.bad:
                r.bad(f"{where}.field", None, f"{d.section.key('field').expects()} (the key is required)")
            if fld is not None and fld not in field_ids:
                r.bad(f"{where}.field", fld, "the id of a field in [[fields]]")
            displays.append(Display(d.get("id", f"{name}{i}"), d["title"], kind, fld, d["note"], is_table,
                                    d.get("label", "")))
    _no_duplicates(r, [d.id for d in displays], "figures/tables id")
    return tuple(displays)


def _read_items(r: _Reader, data: dict[str, Any], displays: tuple[Display, ...],
                bands: BandScheme, scales: dict[str, LikertScale]) -> tuple[Item, ...]:
    display_ids = [d.id for d in displays]
    items = []
    for i, it in r.entries(data, "items"):
        where = f"items[{i}]"
        iid = it.get("id", f"item{i}")
        shown_in = it.get("in", "")
        if shown_in and shown_in not in display_ids:
            r.bad(f"{where}.in", shown_in, f"one of the figure/table ids {display_ids}")
        pw, tw, pb = it["published_wai"], it["target_wai"], it["published_band"]
        for key, value in (("published_wai", pw), ("target_wai", tw)):
            if value is not None and not _printed_number(value):
                r.bad(f"{where}.{key}", value, 'a number as printed, in quotes, e.g. "0.60"')
        if pb is not None and not _is_band(bands, pb):
            r.bad(f"{where}.published_band", pb, f"one of the bands {list(bands.labels)} or a synonym")
        status = it.get("target_status", "published" if pw else "illustrative" if tw else "observed")
        on = it["scale"]
        if on is not None and on not in scales:
            r.bad(f"{where}.scale", on, f"the id of a [[scales]] entry ({', '.join(scales) or 'none given'})",
                  nearest(on, list(scales)))
            on = None
        items.append(Item(iid, it.get("column", iid), it.get("wording", iid), shown_in, pw, pb,
                          it["band_source"], tw, status, it["reverse"], on))
    _no_duplicates(r, [i.id for i in items], "item id")
    _one_scale_per_display(r, items, scales)
    return tuple(items)


def _one_scale_per_display(r: _Reader, items: list[Item], scales: dict[str, LikertScale]) -> None:
    """Every item of a figure or table is on one scale (its bars, shares and alpha need one)."""
    first: dict[str, Item] = {}
    for n, item in enumerate(items):
        other = first.setdefault(item.display, item)
        if other.scale != item.scale:
            def name(s: str | None) -> str:
                return f"[[scales]] {s!r}" if s else "[scale]"
            r.bad(f"items[{n}].scale", item.scale or "(none: [scale])", f"the scale of the other items of "
                  f"{item.display!r} ({name(other.scale)}, as item {other.id!r})",
                  "put items of another scale in a figure or table of their own")


def _printed_number(value: str) -> bool:
    try:
        parse_reported(value)
    except ValueError:
        return False
    return True


def _is_band(bands: BandScheme, label: str) -> bool:
    try:
        bands.canonical(label)
    except BandError:
        return False
    return True


def _read_published(r: _Reader, data: dict[str, Any], fields: tuple[Field, ...]) -> tuple[Published, ...]:
    published = []
    for i, p in r.entries(data, "published"):
        where = f"published[{i}]"
        quantity = p.get("quantity", "n")
        fld, category = p["field"], p["category"]
        for key, value in (("field", fld), ("category", category)):
            if quantity != "n" and value is None and key not in p.bad:
                r.bad(f"{where}.{key}", None, f"{p.section.key(key).expects()} (the key is required)")
        if fld is not None and fld not in {f.id for f in fields}:
            r.bad(f"{where}.field", fld, "the id of a field in [[fields]]")
        if category is not None and fld is not None:
            known = {c.casefold() for f in fields if f.id == fld for c in f.categories}
            if known and category.casefold() not in known:
                r.bad(f"{where}.category", category, f"one of the categories of field {fld!r}")
        published.append(Published(p.get("id", f"published{i}"), quantity, p.get("value", "0"), p["source"],
                                   fld, category, p["reproduce"], p["why"]))
    _no_duplicates(r, [p.id for p in published], "published id")
    return tuple(published)


def _no_duplicates(r: _Reader, values: list[str], what: str) -> None:
    seen: set[str] = set()
    for v in values:
        if v in seen:
            r.bad(what, v, f"each {what} once", "it appears more than once in the codebook")
        seen.add(v)


def _read_scale(r: _Reader, data: dict[str, Any]) -> LikertScale:
    fallback = LikertScale(("low", "high"))
    table = r.top(data, "scale")
    if table is None:
        return fallback
    return _scale_of(r, r.table(table, SECTIONS["scale"], "scale"), table, "scale") or fallback


def _scale_of(r: _Reader, spec: _Values, table: dict[str, Any], where: str) -> LikertScale | None:
    """The scale a ``[scale]`` or ``[[scales]]`` table describes, or None (and a problem)."""
    numeric = spec.get("numeric")
    if numeric is not None and len(numeric) != 2:
        r.bad(f"{where}.numeric", numeric, SECTIONS["scale"].key("numeric").expects())
        return None
    if spec.bad:
        return None
    kwargs: dict[str, Any] = {}
    for key, cast in (("non_scale", tuple), ("weights", tuple), ("synonyms", dict), ("codes", tuple)):
        if key in spec:
            kwargs[key] = cast(spec[key])
    if "name" in spec:
        kwargs["name"] = spec["name"]
    if numeric is not None and "codes" in kwargs:
        r.bad(f"{where}.codes", spec["codes"], "no codes for a numeric scale (its codes are lo..hi)")
        return None
    try:
        return scale_from_spec(spec["labels"], numeric=tuple(numeric) if numeric else None, **kwargs)
    except (ScaleError, TypeError, ValueError) as exc:
        r.bad(where, table, "a valid Likert scale", str(exc))
        return None


def _read_scales(r: _Reader, data: dict[str, Any],
                 bands: BandScheme) -> tuple[dict[str, LikertScale], dict[str, BandScheme]]:
    """The ``[[scales]]`` by id, and the bands of those that give their own."""
    scales: dict[str, LikertScale] = {}
    scale_bands: dict[str, BandScheme] = {}
    given = data.get("scales")
    tables: list[Any] = given if isinstance(given, list) else []
    for i, spec in r.entries(data, "scales"):
        where = f"scales[{i}]"
        sid = spec.get("id", f"scale{i}")
        if sid in scales:
            r.bad(f"{where}.id", sid, "each [[scales]] id once", "it appears more than once in the codebook")
        scale = _scale_of(r, spec, tables[i], where)
        scales[sid] = scale if scale is not None else LikertScale(("low", "high"))
        ranges = spec.get("bands")
        if ranges is not None:
            try:
                scale_bands[sid] = BandScheme.from_ranges([tuple(map(str, x)) for x in ranges],  # type: ignore[misc]
                                                          synonyms={a: t for a, t in bands.synonyms
                                                                    if t in {str(x[0]) for x in ranges}})
            except (BandError, TypeError, ValueError) as exc:
                r.bad(f"{where}.bands", ranges, "printed ranges [[label, low, high], ...], lowest first", str(exc))
    return scales, scale_bands


def _read_design(r: _Reader, table: Any) -> Design | None:
    """The ``[design]`` table as a :class:`wai.Design` (None when absent)."""
    if table is None:
        return None
    spec = r.table(table if isinstance(table, dict) else None, SECTIONS["design"], "design")
    if not isinstance(table, dict) or spec.bad or r.problems:
        return None
    given = {k: v for k, v in table.items() if k in SECTIONS["design"].names}
    for key in ("replicates", "replicate_rscales"):
        if key in given:
            given[key] = tuple(given[key])
    try:
        return Design(**given)
    except OptionError as exc:
        r.bad(f"design.{exc.option}", exc.value, exc.expected, exc.hint)
        return None


def _read_bands(r: _Reader, table: dict[str, Any] | None) -> tuple[BandScheme, str]:
    spec = r.table(table, SECTIONS["bands"], "bands")
    if table is None:
        return CHAPTER11_BANDS, "rounded"
    rule = spec["rule"]
    synonyms = dict(spec.get("synonyms", {}))
    ranges = spec.get("ranges")
    if "ranges" in spec.bad:
        return CHAPTER11_BANDS, rule
    if ranges is None:
        ranges = [[b.label, f"{float(b.low):.2f}", f"{float(b.high):.2f}"] for b in CHAPTER11_BANDS.bands]
        synonyms = dict(CHAPTER11_BANDS.synonyms) | synonyms
    elif not all(len(x) == 3 for x in ranges):
        r.bad("bands.ranges", ranges, SECTIONS["bands"].key("ranges").expects())
        return CHAPTER11_BANDS, rule
    try:
        return BandScheme.from_ranges([tuple(map(str, x)) for x in ranges], synonyms=synonyms), rule  # type: ignore[misc]
    except (BandError, TypeError, ValueError) as exc:
        r.bad("bands.ranges", ranges, "printed ranges [[label, low, high], ...], lowest first",
              str(exc))
        return CHAPTER11_BANDS, rule
