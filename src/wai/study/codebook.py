"""A study: its codebook (TOML) and the raw responses it describes.

A study folder holds ``codebook.toml`` and the responses file it names. The
codebook says everything the pipeline needs and nothing is guessed:

``[study]``
    ``id``, ``title``, ``citation``, ``responses`` (file name in the folder:
    CSV, Excel, SPSS or Stata, see :mod:`wai.input.readers`; optional ``encoding``,
    ``delimiter``, ``sheet``),
    ``respondent_id`` (column), ``reconstruction`` (true when the responses
    are not the real data), ``seed`` (for a reconstruction), ``notes``.
``[scale]``
    ``labels`` (lowest first) or ``numeric = [lo, hi]``; optional
    ``weights``, ``non_scale``, ``synonyms``, ``name``.
``[bands]``
    ``ranges = [[label, low, high], ...]`` as printed, optional
    ``synonyms``, ``rule`` ("rounded" or "exact"). Default: chapter 11's.
``[[fields]]``
    Demographic fields: ``id``, ``column``, ``label``, ``categories``,
    ``compare`` (true: the report compares the items across its groups).
``[[figures]]`` and ``[[tables]]``
    ``id``, ``title``, ``kind`` ("wai" or, for figures, "distribution" with
    ``field``), ``note``, ``label`` (default from the id: "table1" is
    "Table 1").
``[[items]]``
    ``id``, ``column`` (the header in the responses file), ``wording``,
    ``in`` (figure or table id), ``published_wai``, ``published_band``,
    ``band_source``, ``target_wai``, ``target_status`` ("published" or
    "illustrative") and ``reverse`` (true for a reverse-keyed item: its
    codes are reversed for reliability).
Unknown keys are errors (with the nearest known key suggested), so a
typo never passes silently. The full reference is ``docs/codebook.md``.

``[[published]]``
    Every other number the publication prints: ``id``, ``quantity`` ("n",
    "count" or "percent"), ``field``, ``category``, ``value`` (as printed,
    text), ``source``, ``reproduce`` (whether the responses should
    reproduce it) and ``why`` (when not).

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
from typing import Any

from wai.bands import CHAPTER11_BANDS, RULES, BandScheme
from wai.errors import BandError, CodebookError, Problem, ScaleError
from wai.exact import parse_reported
from wai.scales import LikertScale, scale_from_spec

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


class _Reader:
    """Collects codebook problems instead of stopping at the first."""

    def __init__(self, path: Path):
        self.path = path
        self.problems: list[Problem] = []

    def bad(self, key: str, value: Any, expected: str, hint: str = "") -> None:
        self.problems.append(Problem(str(self.path), None, key, value, expected, hint, in_codebook=True))

    def get(self, table: dict, key: str, where: str, kind: type | tuple, required: bool = False,
            default: Any = None) -> Any:
        if key not in table:
            if required:
                self.bad(f"{where}.{key}", None, f"a {_kind_name(kind)} (the key is required)")
            return default
        value = table[key]
        if not isinstance(value, kind) or isinstance(value, bool) and kind is not bool:
            self.bad(f"{where}.{key}", value, f"a {_kind_name(kind)}")
            return default
        return value


_KEYS = {
    "": ("study", "scale", "bands", "fields", "figures", "tables", "items", "published"),
    "study": ("id", "title", "citation", "responses", "respondent_id", "reconstruction", "seed", "notes",
              "encoding", "delimiter", "sheet"),
    "scale": ("labels", "numeric", "weights", "non_scale", "synonyms", "name"),
    "bands": ("ranges", "synonyms", "rule"),
    "fields": ("id", "column", "label", "categories", "compare"),
    "figures": ("id", "title", "kind", "field", "note", "label"),
    "tables": ("id", "title", "kind", "field", "note", "label"),
    "items": ("id", "column", "wording", "in", "published_wai", "published_band", "band_source", "target_wai",
              "target_status", "reverse"),
    "published": ("id", "quantity", "value", "source", "field", "category", "reproduce", "why"),
}
"""Every key a codebook may hold, per table (a typo is an error, not silently ignored)."""


def _check_keys(r: "_Reader", table: Any, kind: str, where: str) -> None:
    import difflib

    if not isinstance(table, dict):
        return
    for key in table:
        if key not in _KEYS[kind]:
            near = difflib.get_close_matches(key, _KEYS[kind], n=1)
            r.bad(f"{where}.{key}" if where else key, table[key], f"one of the keys {', '.join(_KEYS[kind])}",
                  f"did you mean {near[0]!r}?" if near else "unknown key")


def _text_list(r: "_Reader", value: Any, where: str) -> tuple[str, ...] | None:
    if not isinstance(value, list) or not all(isinstance(x, str) for x in value):
        r.bad(where, value, 'a list of texts, e.g. ["Don\'t know", "N/A"]')
        return None
    return tuple(value)


def _kind_name(kind: type | tuple) -> str:
    names = {str: "text", int: "whole number", bool: "true/false", list: "list", dict: "table"}
    kinds = kind if isinstance(kind, tuple) else (kind,)
    return " or ".join(names.get(k, k.__name__) for k in kinds)


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
        Listing every problem found: missing keys, wrong types, unknown
        figure/table references, duplicate ids, a responses path outside
        the study folder, a malformed scale or band scheme.
    """
    path = Path(path)
    codebook = path / CODEBOOK_NAME if path.is_dir() else path
    root = codebook.parent
    if not codebook.is_file():
        raise CodebookError([Problem(str(codebook), None, None, None, "a codebook.toml file",
                                     "pass --study with the folder that holds codebook.toml")])
    try:
        with open(codebook, "rb") as handle:
            data = tomllib.load(handle)
    except tomllib.TOMLDecodeError as exc:
        raise CodebookError([Problem(str(codebook), getattr(exc, "lineno", None), None, str(exc),
                                     "valid TOML", in_codebook=True)]) from None
    r = _Reader(codebook)
    _check_keys(r, data, "", "")
    for name in ("study", "scale", "bands"):
        _check_keys(r, data.get(name), name, name)
    for name in ("fields", "figures", "tables", "items", "published"):
        for i, entry in enumerate(data.get(name, []) if isinstance(data.get(name), list) else []):
            _check_keys(r, entry, name, f"{name}[{i}]")

    study = r.get(data, "study", "", dict, required=True, default={})
    sid = r.get(study, "id", "study", str, required=True, default="study")
    title = r.get(study, "title", "study", str, default=sid)
    responses_name = r.get(study, "responses", "study", str, required=True, default="responses.csv")
    responses = _inside(root, responses_name)
    if responses is None:
        r.bad("study.responses", responses_name, "a file inside the study folder",
              "codebook paths may not point outside the study folder")
        responses = root / "responses.csv"

    scale = _read_scale(r, data.get("scale"))
    bands, rule = _read_bands(r, data.get("bands", {}))

    fields = []
    for i, f in enumerate(r.get(data, "fields", "", list, default=[])):
        where = f"fields[{i}]"
        fid = r.get(f, "id", where, str, required=True, default=f"field{i}")
        cats = r.get(f, "categories", where, list, default=[])
        fields.append(Field(fid, r.get(f, "column", where, str, required=True, default=fid),
                            r.get(f, "label", where, str, default=fid), tuple(map(str, cats)),
                            r.get(f, "compare", where, bool, default=False)))

    displays = []
    for key, is_table in (("figures", False), ("tables", True)):
        for i, d in enumerate(r.get(data, key, "", list, default=[])):
            where = f"{key}[{i}]"
            kind = r.get(d, "kind", where, str, default="wai")
            if kind not in ("wai", "distribution") or (is_table and kind != "wai"):
                r.bad(f"{where}.kind", kind, '"wai"' + ("" if is_table else ' or "distribution"'))
            fld = r.get(d, "field", where, str, required=kind == "distribution")
            if fld is not None and fld not in {f.id for f in fields}:
                r.bad(f"{where}.field", fld, "the id of a field in [[fields]]")
            displays.append(Display(r.get(d, "id", where, str, required=True, default=f"{key}{i}"),
                                    r.get(d, "title", where, str, default=""), kind, fld,
                                    r.get(d, "note", where, str, default=""), is_table,
                                    r.get(d, "label", where, str, default="")))
    display_ids = [d.id for d in displays]
    _no_duplicates(r, display_ids, "figures/tables id")

    items = []
    for i, it in enumerate(r.get(data, "items", "", list, default=[])):
        where = f"items[{i}]"
        iid = r.get(it, "id", where, str, required=True, default=f"item{i}")
        shown_in = r.get(it, "in", where, str, required=True, default="")
        if shown_in and shown_in not in display_ids:
            r.bad(f"{where}.in", shown_in, f"one of the figure/table ids {display_ids}")
        pw = r.get(it, "published_wai", where, str)
        tw = r.get(it, "target_wai", where, str)
        for key, value in (("published_wai", pw), ("target_wai", tw)):
            if value is not None:
                try:
                    parse_reported(value)
                except ValueError:
                    r.bad(f"{where}.{key}", value, 'a number as printed, in quotes, e.g. "0.60"')
        pb = r.get(it, "published_band", where, str)
        if pb is not None:
            try:
                bands.canonical(pb)
            except BandError:
                r.bad(f"{where}.published_band", pb, f"one of the bands {list(bands.labels)} or a synonym")
        status = r.get(it, "target_status", where, str, default="published" if pw else "illustrative")
        if status not in ("published", "illustrative"):
            r.bad(f"{where}.target_status", status, '"published" or "illustrative"')
        items.append(Item(iid, r.get(it, "column", where, str, required=True, default=iid),
                          r.get(it, "wording", where, str, default=iid), shown_in, pw, pb,
                          r.get(it, "band_source", where, str, default=""), tw, status,
                          r.get(it, "reverse", where, bool, default=False)))
    _no_duplicates(r, [i.id for i in items], "item id")
    _no_duplicates(r, [i.column for i in items] + [f.column for f in fields], "column")

    published = []
    for i, p in enumerate(r.get(data, "published", "", list, default=[])):
        where = f"published[{i}]"
        quantity = r.get(p, "quantity", where, str, required=True, default="n")
        if quantity not in ("n", "count", "percent"):
            r.bad(f"{where}.quantity", quantity, '"n", "count" or "percent"')
        value = r.get(p, "value", where, str, required=True, default="0")
        fld = r.get(p, "field", where, str, required=quantity != "n")
        if fld is not None and fld not in {f.id for f in fields}:
            r.bad(f"{where}.field", fld, "the id of a field in [[fields]]")
        category = r.get(p, "category", where, str, required=quantity != "n")
        if category is not None and fld is not None:
            known = {c.casefold() for f in fields if f.id == fld for c in f.categories}
            if known and category.casefold() not in known:
                r.bad(f"{where}.category", category, f"one of the categories of field {fld!r}")
        published.append(Published(r.get(p, "id", where, str, default=f"published{i}"), quantity, value,
                                   r.get(p, "source", where, str, default=""), fld, category,
                                   r.get(p, "reproduce", where, bool, default=True),
                                   r.get(p, "why", where, str, default="")))
    _no_duplicates(r, [p.id for p in published], "published id")

    if r.problems:
        raise CodebookError(r.problems)
    return Study(
        root=root, id=sid, title=title, responses=responses, scale=scale, bands=bands, rule=rule,
        citation=r.get(study, "citation", "study", str, default=""),
        respondent_id=r.get(study, "respondent_id", "study", str),
        reconstruction=r.get(study, "reconstruction", "study", bool, default=False),
        seed=r.get(study, "seed", "study", int), notes=r.get(study, "notes", "study", str, default=""),
        encoding=r.get(study, "encoding", "study", str), delimiter=r.get(study, "delimiter", "study", str),
        sheet=r.get(study, "sheet", "study", str),
        fields=tuple(fields), displays=tuple(displays), items=tuple(items), published=tuple(published),
        codebook_path=codebook,
    )


def _no_duplicates(r: _Reader, values: list[str], what: str) -> None:
    seen: set[str] = set()
    for v in values:
        if v in seen:
            r.bad(what, v, f"each {what} once", "it appears more than once in the codebook")
        seen.add(v)


def _read_scale(r: _Reader, spec: Any) -> LikertScale:
    fallback = LikertScale(("low", "high"))
    if not isinstance(spec, dict):
        r.bad("scale", spec, "a [scale] table with labels = [...] or numeric = [lo, hi]")
        return fallback
    kwargs: dict[str, Any] = {}
    ok = True
    if "labels" in spec and _text_list(r, spec["labels"], "scale.labels") is None:
        ok = False
    if "numeric" in spec and not (isinstance(spec["numeric"], list) and len(spec["numeric"]) == 2
                                  and all(isinstance(x, int) and not isinstance(x, bool) for x in spec["numeric"])):
        r.bad("scale.numeric", spec["numeric"], "two whole numbers [lo, hi], e.g. [1, 7]")
        ok = False
    if "non_scale" in spec:
        found = _text_list(r, spec["non_scale"], "scale.non_scale")
        ok = ok and found is not None
        kwargs["non_scale"] = found or ()
    if "weights" in spec:
        weights = spec["weights"]
        if not isinstance(weights, list) or not all(isinstance(w, (int, float, str)) and not isinstance(w, bool)
                                                    for w in weights):
            r.bad("scale.weights", weights, "a list of numbers, one per label, e.g. [0, 0.25, 0.5, 0.75, 1]")
            ok = False
        else:
            kwargs["weights"] = tuple(weights)
    if "synonyms" in spec:
        synonyms = spec["synonyms"]
        if not isinstance(synonyms, dict) or not all(isinstance(v, str) for v in synonyms.values()):
            r.bad("scale.synonyms", synonyms, 'a table of texts, e.g. { Medium = "Neutral" }')
            ok = False
        else:
            kwargs["synonyms"] = dict(synonyms)
    if "name" in spec:
        kwargs["name"] = str(spec["name"])
    if not ok:
        return fallback
    try:
        numeric = spec.get("numeric")
        return scale_from_spec(spec.get("labels"), numeric=tuple(numeric) if numeric else None, **kwargs)
    except (ScaleError, TypeError, ValueError) as exc:
        r.bad("scale", spec, "a valid Likert scale", str(exc))
        return fallback


def _read_bands(r: _Reader, spec: Any) -> tuple[BandScheme, str]:
    if not isinstance(spec, dict):
        r.bad("bands", spec, "a [bands] table")
        return CHAPTER11_BANDS, "rounded"
    rule = spec.get("rule", "rounded")
    if rule not in RULES:
        r.bad("bands.rule", rule, f"one of {list(RULES)}")
        rule = "rounded"
    synonyms = spec.get("synonyms", {})
    if not isinstance(synonyms, dict) or not all(isinstance(v, str) for v in synonyms.values()):
        r.bad("bands.synonyms", synonyms, 'a table of texts, e.g. { Medium = "Neutral" }')
        synonyms = {}
    ranges = spec.get("ranges")
    if ranges is None:
        ranges = [(b.label, f"{float(b.low):.2f}", f"{float(b.high):.2f}") for b in CHAPTER11_BANDS.bands]
        synonyms = dict(CHAPTER11_BANDS.synonyms) | dict(synonyms)
    elif not isinstance(ranges, list) or not all(isinstance(x, list) and len(x) == 3 for x in ranges):
        r.bad("bands.ranges", ranges, 'printed ranges [["Low", "0.00", "0.50"], ...], lowest first')
        return CHAPTER11_BANDS, rule
    try:
        return BandScheme.from_ranges([tuple(map(str, x)) for x in ranges], synonyms=dict(synonyms)), rule  # type: ignore[misc]
    except (BandError, TypeError, ValueError) as exc:
        r.bad("bands.ranges", spec.get("ranges"), "printed ranges [[label, low, high], ...], lowest first",
              str(exc))
        return CHAPTER11_BANDS, rule
