"""A study: its codebook (TOML) and the raw responses it describes.

A study folder holds ``codebook.toml`` and the responses file it names. The
codebook says everything the pipeline needs and nothing is guessed:

``[study]``
    ``id``, ``title``, ``citation``, ``responses`` (file name in the folder:
    CSV, Excel, SPSS or Stata, see :mod:`wai.readers`; optional ``encoding``,
    ``delimiter``, ``sheet``),
    ``respondent_id`` (column), ``reconstruction`` (true when the responses
    are not the real data), ``seed`` (for a reconstruction), ``notes``.
``[scale]``
    ``labels`` (lowest first) or ``numeric = [lo, hi]``; optional
    ``weights``, ``non_scale``, ``synonyms``.
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
        published.append(Published(r.get(p, "id", where, str, default=f"published{i}"), quantity, value,
                                   r.get(p, "source", where, str, default=""), fld,
                                   r.get(p, "category", where, str),
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
    for key in ("weights", "non_scale"):
        if key in spec:
            kwargs[key] = tuple(spec[key])
    if "synonyms" in spec:
        kwargs["synonyms"] = dict(spec["synonyms"])
    if "name" in spec:
        kwargs["name"] = str(spec["name"])
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
    if "ranges" not in spec:
        return CHAPTER11_BANDS, rule
    try:
        ranges = [tuple(map(str, x)) for x in spec["ranges"]]
        return BandScheme.from_ranges(ranges, synonyms=dict(spec.get("synonyms", {}))), rule  # type: ignore[arg-type]
    except (BandError, TypeError, ValueError) as exc:
        r.bad("bands.ranges", spec.get("ranges"), "printed ranges [[label, low, high], ...], lowest first",
              str(exc))
        return CHAPTER11_BANDS, rule
