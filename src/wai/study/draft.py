"""``wai.init``: draft a study's codebook from a survey export; ``python -m wai.init`` does it on disk.

A survey export (CSV, Excel, SPSS or Stata, anything :func:`wai.input.readers.read_responses`
reads) says a lot about itself: which columns hold Likert answers, on which
scale, which hold a few categories (demographics), which one numbers the
respondents. :func:`recognise` reads that off the answers, column by column,
and :func:`draft_codebook` turns it into a commented ``codebook.toml`` that a
person checks and edits. The draft loads with :func:`wai.study.load_study`
and runs through ``python -m wai.report`` as it is.

What the draft guesses, and how
-------------------------------
Items
    A column is a Likert item when every answer, after
    :func:`~wai.scales.normalize_label`, is a label (or synonym) of one
    known scale, ignoring blanks and the known non-scale answers
    (:data:`KNOWN_NON_SCALE`, in any case, with or without apostrophe). Not
    every label need occur. The known scales, lowest first:
    :data:`SCALES` (level, agreement, frequency, satisfaction: the presets of
    :data:`wai.scales.PRESETS`, see :data:`FAMILIES`) and numeric
    ``lo..K``: whole numbers, ``2 <= K <= 11`` (K the highest answer seen,
    ``lo`` 0 when a 0 is seen, else 1), with at least 3 distinct values or a
    header that says it is a scale ("1-7", "1 to 5", "scale", "rating").
The study's scale
    The scale most item columns fit (ties: the one more columns fit alone,
    then the order above). A codebook has one scale, so items on another
    scale are written commented out, with a note.
Demographics
    A column that is not an item, with at most 12 distinct answers and fewer
    than half as many as rows: a ``[[fields]]`` entry, ``compare = false``.
    Categories come in order of first appearance, except when every one
    starts with a number ("18-29", "30-44", "65+"): then in numeric order.
Respondent id
    A column whose every row holds a value used once (a header naming an id
    is checked before the scales; otherwise the values must look like
    identifiers, without spaces).
Undecided
    Everything else (free text, many values, empty columns, answers that
    almost fit a scale) is listed under ``# Undecided:`` in the codebook, and
    returned in :attr:`Recognition.undecided`.
Ids and groups
    A grid header "Question [Row label]" gives the id ``<word>_<row>``
    (``trust_government``): one meaningful word of the question, distinct
    between grids, then the row label; other headers a slug of their first
    meaningful words. Ids are lower_snake ASCII, at most 30 characters,
    unique (``_2``, ``_3`` appended). Items sharing a grid question form one
    ``[[figures]]`` (kind "wai", titled by the question); the others one
    ``[[tables]]`` "table1" titled "Items".

Examples
--------
>>> import pandas as pd
>>> frame = pd.DataFrame({
...     "id": ["a1", "a2", "a3", "a4", "a5", "a6"],
...     "Gender": ["Female", "Male", "Female", "male", "Female", "Male"],
...     "Rate it [Speed]": ["Agree", "strongly agree", "Don't know", "Neutral", "Disagree", None],
...     "Rate it [Price]": ["agree", "Agree", "Disagree", "Strongly disagree", "Agree", "Agree"],
... })
>>> rec = recognise(frame)
>>> rec.kinds()
{'id': 'id', 'Gender': 'demographic', 'Rate it [Speed]': 'item', 'Rate it [Price]': 'item'}
>>> rec.scale_name, rec["Rate it [Speed]"].non_scale, rec["Gender"].categories
('agreement', ("Don't know",), ('Female', 'Male'))
>>> text = draft_codebook(frame, data_name="answers.csv", study_id="demo")
>>> [line for line in text.splitlines() if line.startswith("id = ")]
['id = "demo"', 'id = "gender"', 'id = "figure1"', 'id = "rate_speed"', 'id = "rate_price"']
"""

from __future__ import annotations

import math
import re
import unicodedata
from dataclasses import dataclass, replace
from typing import Any, Sequence

import pandas as pd

from wai._checks import is_blank
from wai.scales import FREQUENCY5, PRESETS, SATISFACTION5, LikertScale, normalize_label
from wai.study.schema import SECTIONS

__all__ = [
    "ColumnRecognition", "Recognition", "recognise", "draft_codebook", "slug",
    "SCALES", "FAMILIES", "FREQUENCY5", "SATISFACTION5", "KNOWN_NON_SCALE", "KINDS", "is_id_name",
]

FAMILIES: dict[str, str] = {
    "level": "level5",
    "agreement": "agreement5",
    "frequency": "frequency5",
    "satisfaction": "satisfaction5",
}
"""The scale families :func:`recognise` tells apart, each a preset of :data:`wai.scales.PRESETS`,
in the order ties are broken."""

_DRAFT_NAMES = {"agreement": "five-point agreement (Strongly disagree .. Strongly agree)"}
"""The name a draft codebook gives a family's scale, when it is not the preset's own."""

SCALES: dict[str, LikertScale] = {
    family: replace(PRESETS[preset], name=_DRAFT_NAMES[family]) if family in _DRAFT_NAMES else PRESETS[preset]
    for family, preset in FAMILIES.items()
}
"""The labelled scales :func:`recognise` knows (:data:`wai.scales.PRESETS` by family), in the order
ties are broken."""

KNOWN_NON_SCALE = ("Don't know", "N/A", "Not applicable", "Refused", "Prefer not to say", "No opinion")
"""Answers that are valid but not scale points; matched in any case, with or without apostrophe."""

KINDS = ("item", "demographic", "id", "other")
"""The kinds of column :func:`recognise` tells apart."""

MAX_POINTS = 11
MAX_CATEGORIES = 12
ID_LENGTH = 30

_NUMERIC = "numeric"
_ID_WORDS = r"(id|ids|respondent|respondent ?id|response ?id|record|case|uuid|participant)"
_ID_NAME = re.compile(rf"(^|[^a-z]){_ID_WORDS}([^a-z]|$)")
_ID_WHOLE = re.compile(rf"{_ID_WORDS}( ?id)?")


def is_id_name(column: Any) -> bool:
    """Whether a column's whole name says it holds respondent ids: ``id``, ``respondent_id``, ``Case ID``, ...

    The words :func:`recognise` looks for in an id column's name, here as the
    whole name (case, ``_``, ``-`` and spacing aside), so that
    :func:`wai.score` can check such a column for duplicates without being told.

    >>> [is_id_name(c) for c in ("id", "Respondent_ID", "response-id", "UUID", "q1", "use case", "valid")]
    [True, True, True, True, False, False, False]
    """
    name = normalize_label(str(column)).replace("_", " ").replace("-", " ")
    return _ID_WHOLE.fullmatch(" ".join(name.split())) is not None
_RANGE_HINT = re.compile(r"(?<![\d.])([01])\s*(?:-|\u2013|\u2014|to|\.\.)\s*(\d{1,2})(?![\d.])")
_WORD_HINT = re.compile(r"\b(scale|rating|rate|score)\b")
_GRID = re.compile(r"^(.*\S)\s*\[([^\[\]]+)\]\s*$")
_STOPWORDS = frozenset("""
a an the of to in on at by for from with about as and or nor but if than then so
how what which who whom whose when where why whether
do does did done is are was were be been being am have has had
i me my mine you your yours we us our he she it its they them their this that these those
much many very more most any some each every all overall rather quite really just also
following please indicate tell say would could should will can may might shall
extent degree level there here own
""".split())
_SPACE = re.compile(r"\s+")


def _key(text: Any) -> str:
    """Comparison form of an answer: normalised, apostrophes dropped ("dont know" = "Don't know")."""
    return normalize_label(text).replace("'", "")


_NON_SCALE_KEYS = {_key(x) for x in KNOWN_NON_SCALE}


def _text(value: Any) -> str:
    """An answer as the user reads it (a whole-number float as an integer)."""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return _SPACE.sub(" ", str(value)).strip()


def _whole(value: Any) -> int | None:
    """The whole number an answer is, or None."""
    if isinstance(value, bool):
        return None
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        number = float(value)
    else:
        try:
            number = float(normalize_label(value))
        except ValueError:
            return None
    if not math.isfinite(number) or not number.is_integer():
        return None
    return int(number)


def _oneline(text: str) -> str:
    return _SPACE.sub(" ", "".join(c if c.isprintable() else " " for c in str(text))).strip()


# ---------------------------------------------------------------------------
# ids

def _words(text: str) -> list[str]:
    ascii_text = unicodedata.normalize("NFKD", str(text)).encode("ascii", "ignore").decode("ascii").lower()
    ascii_text = re.sub(r"'s\b", "", ascii_text.replace("\u2019", "'")).replace("'", "")
    return [w for w in re.split(r"[^a-z0-9]+", ascii_text) if w]


def _meaningful(text: str) -> list[str]:
    words = _words(text)
    kept = [w for n, w in enumerate(words) if w not in _STOPWORDS and (n == 0 or not w.isdigit())]
    return kept or words


def _join(words: Sequence[str], max_len: int = ID_LENGTH, max_words: int = 4) -> str:
    out = ""
    for w in list(words)[:max_words]:
        candidate = f"{out}_{w}" if out else w
        if len(candidate) > max_len:
            break
        out = candidate
    if not out and words:
        out = words[0][:max_len]
    return out


def slug(text: str, *, max_len: int = ID_LENGTH, max_words: int = 4) -> str:
    """A short lower_snake ASCII id from the first meaningful words of a text.

    Function words ("how", "the", "do you") are dropped unless nothing else
    is left; an id that would start with a digit gets a ``q`` in front.

    >>> slug("Overall, how satisfied are you with public services?")
    'satisfied_public_services'
    >>> slug("Ça va? Très bien"), slug("2. Age"), slug("???")
    ('ca_va_tres_bien', 'q2_age', 'x')
    """
    out = _join(_meaningful(text), max_len, max_words).strip("_") or "x"
    if out[0].isdigit():
        out = ("q" + out)[:max_len].rstrip("_")
    return out


def _unique(base: str, taken: set[str]) -> str:
    if base not in taken:
        taken.add(base)
        return base
    n = 2
    while True:
        suffix = f"_{n}"
        candidate = base[:ID_LENGTH - len(suffix)].rstrip("_") + suffix
        if candidate not in taken:
            taken.add(candidate)
            return candidate
        n += 1


def _shorten(text: str, limit: int = 60) -> str:
    text = _oneline(text)
    if len(text) <= limit:
        return text
    cut = text[:limit - 3].rsplit(" ", 1)[0].rstrip(" ,;:-")
    return (cut or text[:limit - 3]) + "..."


# ---------------------------------------------------------------------------
# recognition

@dataclass(frozen=True)
class ColumnRecognition:
    """What one column of an export looks like.

    Attributes
    ----------
    column : str
        The header, as in the file.
    kind : {"item", "demographic", "id", "other"}
        A Likert item, a demographic field, the respondent id, or undecided.
    scale : str or None
        For an item: the scale it is scored on, ``"level"``,
        ``"agreement"``, ``"frequency"``, ``"satisfaction"`` or
        ``"numeric LO..HI"`` (the study's range when the study is numeric).
    fits : tuple of str
        Every scale family its answers fit (``"numeric"`` for numbers).
    on_study_scale : bool
        An item on the study's scale (written active in the draft); False
        for items on another scale and for other kinds.
    non_scale : tuple of str
        Known non-scale answers seen, as first spelt in the file.
    categories : tuple of str
        For a demographic: its categories (see the module notes for order).
    n_answered, n_distinct : int
        Non-blank answers, and distinct ones after normalisation.
    text : str
        The question: the header, or an SPSS/Stata variable label.
    reason : str
        Why the column got its kind, in words.
    """

    column: str
    kind: str
    scale: str | None
    fits: tuple[str, ...]
    on_study_scale: bool
    non_scale: tuple[str, ...]
    categories: tuple[str, ...]
    n_answered: int
    n_distinct: int
    text: str
    reason: str


@dataclass(frozen=True)
class Recognition:
    """:func:`recognise`'s verdict on a whole export.

    Attributes
    ----------
    n_rows : int
        Respondents (rows) in the export.
    columns : tuple of ColumnRecognition
        One per column, in file order.
    scale_name : str or None
        The study's scale (``None`` when no item was found).
    scale : LikertScale or None
        That scale, with ``non_scale`` = the non-scale answers seen in its
        items, then the defaults (:data:`KNOWN_NON_SCALE`).
    respondent_id : str or None
        The respondent id column.
    undecided : tuple of str
        What the draft could not decide, one sentence each.
    """

    n_rows: int
    columns: tuple[ColumnRecognition, ...]
    scale_name: str | None
    scale: LikertScale | None
    respondent_id: str | None
    undecided: tuple[str, ...]

    def __getitem__(self, column: str) -> ColumnRecognition:
        for c in self.columns:
            if c.column == column:
                return c
        raise KeyError(column)

    def kinds(self) -> dict[str, str]:
        """``{column: kind}`` in file order."""
        return {c.column: c.kind for c in self.columns}

    def of_kind(self, kind: str) -> tuple[ColumnRecognition, ...]:
        """The columns of one kind, in file order."""
        if kind not in KINDS:
            raise ValueError(f"kind must be one of {list(KINDS)}, got {kind!r}")
        return tuple(c for c in self.columns if c.kind == kind)

    def to_frame(self) -> pd.DataFrame:
        """A tidy table, one row per column: ``column, kind, scale, on_study_scale, fits, non_scale,
        categories, n_answered, n_distinct, reason`` (lists joined with ``"; "``)."""
        return pd.DataFrame({
            "column": [c.column for c in self.columns],
            "kind": [c.kind for c in self.columns],
            "scale": [c.scale for c in self.columns],
            "on_study_scale": [c.on_study_scale for c in self.columns],
            "fits": ["; ".join(c.fits) for c in self.columns],
            "non_scale": ["; ".join(c.non_scale) for c in self.columns],
            "categories": ["; ".join(c.categories) for c in self.columns],
            "n_answered": [c.n_answered for c in self.columns],
            "n_distinct": [c.n_distinct for c in self.columns],
            "reason": [c.reason for c in self.columns],
        })


@dataclass
class _Column:
    """Working facts about one column."""

    column: str
    text: str
    uniques: list[Any]  # distinct non-blank answers, in order of first appearance
    n_answered: int
    non_scale: dict[str, str]
    rest: dict[str, str]  # key -> first spelling, non-blank answers other than non-scale ones
    numbers: dict[str, int] | None  # key -> whole number, when every rest answer is one
    fits: dict[str, tuple[int, int] | None]
    kind: str = "other"
    reason: str = ""
    categories: tuple[str, ...] = ()


def _numeric_fit(col: _Column) -> tuple[tuple[int, int] | None, str]:
    """``((lo, hi), why)`` when the column is a numeric scale, else ``(None, why not)``."""
    if col.numbers is None or not col.numbers:
        return None, ""
    values = sorted(set(col.numbers.values()))
    lo_seen, hi_seen = values[0], values[-1]
    name = normalize_label(col.text)
    hint = _RANGE_HINT.search(name)
    if lo_seen < 0:
        return None, f"whole numbers down to {lo_seen}: not a 0/1..K scale"
    if hint and int(hint.group(1)) <= lo_seen and hi_seen <= int(hint.group(2)) <= MAX_POINTS \
            and int(hint.group(2)) >= 2:
        return (int(hint.group(1)), int(hint.group(2))), f"the header names the range {hint.group(0)}"
    if not 2 <= hi_seen <= MAX_POINTS:
        return None, f"whole numbers up to {hi_seen}: more than {MAX_POINTS} points, not taken as a scale"
    lo = 0 if lo_seen == 0 else 1
    if len(values) >= 3:
        return (lo, hi_seen), f"{len(values)} distinct whole numbers from {lo_seen} to {hi_seen}"
    if _WORD_HINT.search(name):
        return (lo, hi_seen), f"whole numbers {values} and a header that says it is a rating"
    return None, f"only {len(values)} distinct whole numbers {values}"


def _facts(frame: pd.DataFrame, column: str, text: str) -> _Column:
    series = frame[column]
    # every check looks at distinct answers only, so a large export costs one pass per column
    counts = series.astype(object).value_counts(dropna=False, sort=False)
    uniques = [v for v in pd.unique(series.to_numpy(dtype=object)) if not is_blank(v)]
    n_answered = int(sum(n for v, n in counts.items() if not is_blank(v)))
    non_scale: dict[str, str] = {}
    rest: dict[str, str] = {}
    for value in uniques:
        key = _key(value)
        if key in _NON_SCALE_KEYS:
            non_scale.setdefault(key, _text(value))
        else:
            rest.setdefault(key, _text(value))
    numbers: dict[str, int] | None = {}
    for key, value in rest.items():
        number = _whole(value)
        if number is None:
            numbers = None
            break
        numbers[key] = number  # type: ignore[index]
    col = _Column(column, text, uniques, n_answered, non_scale, rest, numbers, {})
    if rest:
        for name, scale in SCALES.items():
            lookup = {_key(x) for x in scale.labels} | {_key(a) for a, _ in scale.synonyms}
            if all(k in lookup for k in rest):
                col.fits[name] = None
        numeric, why = _numeric_fit(col)
        if numeric is not None:
            col.fits[_NUMERIC] = numeric
        col.reason = why
    return col


def _near_miss(col: _Column) -> str | None:
    """A reason when the answers almost fit a labelled scale (a typo or two), else None."""
    best = None
    for name, scale in SCALES.items():
        lookup = {_key(x) for x in scale.labels} | {_key(a) for a, _ in scale.synonyms}
        hits = [k for k in col.rest if k in lookup]
        misses = [k for k in col.rest if k not in lookup]
        if len(hits) >= 3 and len(misses) <= 2 and (best is None or len(hits) > best[1]):
            best = (name, len(hits), misses, scale)
    if best is None:
        return None
    name, _, misses, scale = best
    shown = []
    for k in misses:
        guess = scale.suggest(col.rest[k])
        shown.append(repr(col.rest[k]) + (f" (did you mean {guess!r}?)" if guess else ""))
    return (f"the answers fit the {name} scale except {', '.join(shown)}; fix or declare those answers, "
            f"then add it as an item")


def _looks_like_id(col: _Column, n_rows: int) -> bool:
    if n_rows < 2 or col.n_answered != n_rows or len(col.uniques) != n_rows:
        return False
    return len({_text(v) for v in col.uniques}) == n_rows


def _categories(col: _Column) -> tuple[str, ...]:
    seen: dict[str, str] = {}
    for value in col.uniques:
        seen.setdefault(normalize_label(value), _text(value))
    cats = list(seen.values())
    leading = [re.match(r"\s*[<>]?\s*(\d+(?:\.\d+)?)", c) for c in cats]
    if all(leading):
        order = sorted(range(len(cats)), key=lambda i: (float(leading[i].group(1)), cats[i]))  # type: ignore[union-attr]
        cats = [cats[i] for i in order]
    return tuple(cats)


def _scale_label(name: str, rng: tuple[int, int] | None = None) -> str:
    if name == _NUMERIC and rng is not None:
        return f"numeric {rng[0]}..{rng[1]}"
    return name


def recognise(frame: pd.DataFrame) -> Recognition:
    """Tell the columns of a survey export apart: Likert items, demographics, the id, the rest.

    Parameters
    ----------
    frame : pandas.DataFrame
        An export as :func:`wai.input.readers.read_responses` returns it (any
        frame works; an SPSS/Stata frame's ``attrs["variable_labels"]`` are
        used as the question texts).

    Returns
    -------
    Recognition
        Per column its kind, scale, the non-scale answers seen and why; the
        study's scale; the respondent id; what stays undecided. See the
        module notes for the rules.

    Examples
    --------
    >>> frame = pd.DataFrame({"Q1 (1-7)": ["1", "7", "4"], "Note": ["ok", "fine", "good enough"]})
    >>> rec = recognise(frame)
    >>> rec["Q1 (1-7)"].kind, rec.scale_name, rec["Note"].kind
    ('item', 'numeric 1..7', 'other')
    """
    n_rows = len(frame)
    labels = frame.attrs.get("variable_labels") or {}
    cols = [_facts(frame, c, str(labels.get(c) or c)) for c in frame.columns]
    respondent_id: str | None = None
    for col in cols:
        respondent_id = _classify(col, n_rows, respondent_id)
    choice = _StudyScale.choose([c for c in cols if c.kind == "item"])
    notes: list[str] = []
    seen_non_scale: dict[str, str] = {}
    out = tuple(_verdict(col, choice, notes, seen_non_scale) for col in cols)
    study_scale = _study_scale(choice, seen_non_scale, notes)
    if respondent_id is None:
        notes.append("no respondent id column (no column holds a value used once on every row); rows "
                     "are numbered instead")
    return Recognition(n_rows, out, choice.name, study_scale, respondent_id, tuple(notes))


def _classify(col: _Column, n_rows: int, respondent_id: str | None) -> str | None:
    """Set the column's kind and reason; the respondent id column, once found."""
    if not col.uniques:
        col.kind, col.reason = "other", "no answers (every cell blank)"
    elif respondent_id is None and _ID_NAME.search(normalize_label(col.column)) and _looks_like_id(col, n_rows):
        col.kind, col.reason = "id", "a value used once on every row, under an id-like header"
        return col.column
    elif col.fits:
        col.kind = "item"
    elif not col.rest:
        col.kind, col.reason = "other", f"only non-scale answers ({', '.join(col.non_scale.values())})"
    elif (miss := _near_miss(col)) is not None:
        col.kind, col.reason = "other", miss
    elif _looks_like_id(col, n_rows) and all(len(_text(v)) <= 64 and " " not in _text(v) for v in col.uniques):
        if respondent_id is None:
            col.kind, col.reason = "id", "a value used once on every row"
            return col.column
        col.kind, col.reason = "other", (f"a value used once on every row, like the respondent id "
                                         f"{respondent_id!r}")
    elif (distinct := len({normalize_label(v) for v in col.uniques})) <= MAX_CATEGORIES \
            and distinct < n_rows / 2:
        col.kind, col.categories = "demographic", _categories(col)
        col.reason = f"{distinct} categories in {n_rows} rows, not on a known scale"
    else:
        what = "free text" if any(" " in _text(v) for v in col.uniques) else "many values"
        col.kind = "other"
        col.reason = f"{what}: {distinct} distinct answers in {n_rows} rows" + (
            f" ({col.reason})" if col.reason else "")
    return respondent_id


@dataclass(frozen=True)
class _StudyScale:
    """The study's scale family: the one most item columns fit (ties: the one more fit alone)."""

    family: str | None
    range: tuple[int, int] | None
    families: tuple[str, ...]
    count: dict[str, int]
    alone: dict[str, int]

    @classmethod
    def choose(cls, items: list[_Column]) -> _StudyScale:
        families = (*SCALES, _NUMERIC)
        count = {f: sum(f in c.fits for c in items) for f in families}
        alone = {f: sum(list(c.fits) == [f] for c in items) for f in families}
        family = max(families, key=lambda f: (count[f], alone[f], -families.index(f))) if items else None
        study_range: tuple[int, int] | None = None
        if family == _NUMERIC:
            ranges = [c.fits[_NUMERIC] for c in items if _NUMERIC in c.fits]
            study_range = (min(r[0] for r in ranges), max(r[1] for r in ranges))  # type: ignore[index]
        return cls(family, study_range, families, count, alone)

    @property
    def name(self) -> str | None:
        return _scale_label(self.family, self.range) if self.family else None

    def best(self, fits: dict[str, Any]) -> str:
        """The family of a column that is not on the study's scale."""
        return max(fits, key=lambda f: (self.count[f], self.alone[f], -self.families.index(f)))


def _verdict(col: _Column, choice: _StudyScale, notes: list[str],
             seen_non_scale: dict[str, str]) -> ColumnRecognition:
    """A column's recognition; notes what to check, and the non-scale answers of the study's items."""
    scale: str | None = None
    on_scale = False
    if col.kind == "item":
        on_scale = choice.family in col.fits
        family = choice.family if on_scale else choice.best(col.fits)
        assert family is not None
        rng = choice.range if (on_scale and family == _NUMERIC) else col.fits.get(family)
        scale = _scale_label(family, rng)
        col.reason = _item_reason(col, family, on_scale)
        if on_scale:
            for k, v in col.non_scale.items():
                seen_non_scale.setdefault(k, v)
            notes += _short_numeric_note(col, family, choice.range)
        else:
            notes.append(f"column {_oneline(col.column)!r}: on the {scale} scale, not the study's "
                         f"{choice.name} scale; written commented out (a codebook has one scale)")
    elif col.kind == "other":
        notes.append(f"column {_oneline(col.column)!r}: {col.reason}; not used (make it a [[fields]] "
                     "entry or leave it out)")
    return ColumnRecognition(
        column=col.column, kind=col.kind, scale=scale, fits=tuple(col.fits), on_study_scale=on_scale,
        non_scale=tuple(col.non_scale.values()), categories=col.categories,
        n_answered=col.n_answered, n_distinct=len({normalize_label(v) for v in col.uniques}),
        text=col.text, reason=col.reason)


def _item_reason(col: _Column, family: str, on_scale: bool) -> str:
    if family == _NUMERIC:
        why = f"a numeric scale: {col.reason}"
    else:
        why = f"every answer is a label of the {family} scale"
    if len(col.fits) > 1 and on_scale:
        others = ", ".join(f for f in col.fits if f != family)
        why += f" (and of the {others} scale; {family} is the study's)"
    return why


def _short_numeric_note(col: _Column, family: str, study_range: tuple[int, int] | None) -> list[str]:
    """A note when a numeric item's answers stop short of the study's highest point."""
    if family != _NUMERIC or study_range is None or not col.numbers:
        return []
    top = max(col.numbers.values())
    if top >= study_range[1]:
        return []
    return [f"column {_oneline(col.column)!r}: its answers reach only {top} on the "
            f"study's {study_range[0]}..{study_range[1]} scale; check it was asked on "
            "the same scale"]


def _study_scale(choice: _StudyScale, seen_non_scale: dict[str, str], notes: list[str]) -> LikertScale | None:
    """The study's scale, with the non-scale answers seen then the known ones; notes put first."""
    if choice.family is None:
        notes.insert(0, "no Likert items were recognised: add [[items]] and a [scale] by hand")
        return None
    non_scale = dict(seen_non_scale)
    for x in KNOWN_NON_SCALE:
        non_scale.setdefault(_key(x), x)
    if choice.family == _NUMERIC:
        assert choice.range is not None
        lo, hi = choice.range
        notes.insert(0, f"scale numeric {lo}..{hi}: K = {hi} was inferred from the answers seen; "
                        "check the questionnaire's scale")
        return LikertScale.numeric(lo, hi, non_scale=tuple(non_scale.values()))
    preset = SCALES[choice.family]
    return LikertScale(preset.labels, synonyms=preset.synonyms, non_scale=tuple(non_scale.values()),
                       name=preset.name)


# ---------------------------------------------------------------------------
# the draft

def _q(text: Any) -> str:
    """A TOML basic string."""
    out = ['"']
    for ch in str(text):
        if ch == '"':
            out.append('\\"')
        elif ch == "\\":
            out.append("\\\\")
        elif ch in "\n\t\r":
            out.append({"\n": "\\n", "\t": "\\t", "\r": "\\r"}[ch])
        elif ord(ch) < 0x20 or ord(ch) == 0x7F:
            out.append(f"\\u{ord(ch):04X}")
        else:
            out.append(ch)
    out.append('"')
    return "".join(out)


def _list(values: Sequence[Any]) -> str:
    return "[" + ", ".join(_q(v) for v in values) + "]"


@dataclass
class _Item:
    rec: ColumnRecognition
    id: str = ""
    wording: str = ""
    group: str | None = None  # grid question
    display: str = ""


@dataclass
class _Display:
    id: str
    title: str
    is_table: bool
    items: list[_Item]

    @property
    def active(self) -> bool:
        return any(i.rec.on_study_scale for i in self.items)


def _plan(rec: Recognition) -> tuple[list[_Display], dict[str, str]]:
    """Item ids, wordings and displays; field ids."""
    taken: set[str] = set()
    field_ids = {c.column: _unique(slug(c.column), taken) for c in rec.of_kind("demographic")}
    items = [_Item(c) for c in rec.of_kind("item")]
    parts: dict[int, tuple[str, str]] = {}
    for n, it in enumerate(items):
        match = _GRID.match(_oneline(it.rec.text))
        if match:
            parts[n] = (match.group(1), match.group(2).strip())
    grids: dict[str, list[int]] = {}
    for n, (question, _) in parts.items():
        grids.setdefault(question, []).append(n)
    grids = {q: ns for q, ns in grids.items() if len(ns) >= 2}
    prefixes: dict[str, str] = {}
    for question in grids:
        words = _meaningful(question)
        used = set(prefixes.values())
        choice = next((w for w in words if w not in used and len(w) <= 15), None)
        prefixes[question] = choice or _join(words[:2], 15) or "grid"
    for n, it in enumerate(items):
        if n in parts and parts[n][0] in grids:
            question, row = parts[n]
            it.group, it.wording = question, _shorten(row)
            prefix = prefixes[question]
            row_id = _join(_meaningful(row), ID_LENGTH - len(prefix) - 1) or str(len(grids[question]))
            it.id = _unique(f"{prefix}_{row_id}", taken)
        else:
            it.wording = _shorten(it.rec.text)
            it.id = _unique(slug(it.rec.text), taken)

    displays: list[_Display] = []
    for question in grids:
        displays.append(_Display("", question, False, [it for it in items if it.group == question]))
    loose = [it for it in items if it.group is None]
    ordered = [d for d in displays if d.active] + [d for d in displays if not d.active]
    for n, d in enumerate(ordered, start=1):
        d.id = f"figure{n}"
    tables = [_Display("table1", "Items", True, loose)] if loose else []
    for d in ordered + tables:
        for it in d.items:
            it.display = d.id
    return ordered + tables, field_ids


_HEADER = """\
# codebook.toml: a DRAFT written by `python -m wai.init` from {data} ({rows} rows, {cols} columns).
#
# It was guessed from the answers alone; it loads and runs as it is, but check and edit it:
#   [study]    the title is a placeholder; add citation and notes; respondent_id names the id column.
#   [scale]    the labels (lowest first) and non_scale (answers counted but never scored).
#   [bands]    the bands the WAI is classified into.
#   [[fields]] demographic columns: categories and their order; compare = true to compare
#              every item across a field's groups. A bar chart of a field is a [[figures]] entry
#              with kind = "distribution" and field = its id.
#   [[figures]], [[tables]]  titles, and which items go together (grid questions became figures).
#   [[items]]  ids (short, unique: other files refer to them), wordings, and reverse = true for a
#              reverse-keyed item.
#   and the "Undecided" list below: columns the draft could not place, and guesses to check.
# Every key is described in the docstring of wai.study (python -c "import wai.study; help(wai.study)").
# Then rebuild the figures and tables:
#   python -m wai.report --study {study} --out {study}/reports --derived {study}/derived
#"""


def draft_codebook(frame: pd.DataFrame, *, data_name: str, study_id: str | None = None,
                   study_dir: str | None = None, encoding: str | None = None, delimiter: str | None = None,
                   sheet: str | None = None, recognition: Recognition | None = None) -> str:
    """A commented draft ``codebook.toml`` for an export: frame in, TOML text out (nothing is written).

    Parameters
    ----------
    frame : pandas.DataFrame
        The responses, as :func:`wai.input.readers.read_responses` returns them.
    data_name : str
        The responses file's name (or path inside the study folder), for
        ``[study] responses``.
    study_id : str, optional
        ``[study] id``; default: a slug of ``data_name``'s stem.
    study_dir : str, optional
        The study folder as the user types it, for the command in the
        header comment (default ``<study folder>``).
    encoding, delimiter, sheet : str, optional
        How the responses were read; written to ``[study]`` when given, so
        the report reads them the same way.
    recognition : Recognition, optional
        :func:`recognise`'s result, when already computed.

    Returns
    -------
    str
        TOML that :func:`wai.study.load_study` accepts as it is: ``[study]``
        (title ``"TODO: title"``), ``[scale]``, ``[bands]`` (chapter 11's
        five), ``[[fields]]``, ``[[figures]]``/``[[tables]]``, ``[[items]]``;
        items on another scale, and their figure, commented out; what stays
        undecided listed in comments near the top.
    """
    rec = recognition if recognition is not None else recognise(frame)
    displays, field_ids = _plan(rec)
    stem = data_name.replace("\\", "/").rsplit("/", 1)[-1].rsplit(".", 1)[0]
    sid = study_id if study_id is not None else slug(stem, max_words=6)
    lines = _HEADER.format(data=_oneline(data_name), rows=rec.n_rows, cols=len(rec.columns),
                           study=study_dir or "<study folder>").splitlines()
    lines += ["# Undecided:"]
    lines += [f"#   - {_oneline(n)}" for n in rec.undecided] or ["#   (nothing)"]
    lines += [""] + _study_lines(rec, sid, data_name, {"encoding": encoding, "delimiter": delimiter, "sheet": sheet})
    lines += [""] + _scale_lines(rec)
    lines += [""] + _bands_lines()
    for c in rec.of_kind("demographic"):
        lines += [""] + _field_lines(c, field_ids[c.column])
    for d in displays:
        lines += _display_lines(d)
    for d in displays:
        lines += _item_lines(d, rec.scale_name)
    return "\n".join(line.rstrip() for line in lines).rstrip() + "\n"


def _set(section: str, key: str, value: str, comment: str = "", *, pre: str = "", with_help: bool = False) -> str:
    """``key = value`` for a key of :data:`wai.study.schema.SECTIONS` (an unknown key is a bug here),
    commented by ``comment``, or by the key's one-line help in the schema (``with_help``)."""
    spec = SECTIONS[section].key(key)
    note = spec.help if with_help else comment
    line = f"{pre}{spec.name} = {value}"
    return f"{line}   # {note}" if note else line


def _head(section: str, pre: str = "") -> str:
    """A section's header, ``[study]`` or ``[[items]]``."""
    return f"{pre}{SECTIONS[section].title}"


def _study_lines(rec: Recognition, sid: str, data_name: str, read_as: dict[str, str | None]) -> list[str]:
    lines = [_head("study"), _set("study", "id", _q(sid)),
             _set("study", "title", '"TODO: title"', "placeholder: " + SECTIONS["study"].key("title").help),
             _set("study", "responses", _q(data_name))]
    if rec.respondent_id is not None:
        lines.append(_set("study", "respondent_id", _q(rec.respondent_id)))
    else:
        lines.append(_set("study", "respondent_id", '"..."', "no column holds a value used once per row", pre="# "))
    lines += [_set("study", key, _q(value)) for key, value in read_as.items() if value is not None]
    return lines + [_set("study", "notes", '""', with_help=True)]


def _bands_lines() -> list[str]:
    return [
        _head("bands"),
        "# Chapter 11's five bands; they suit a WAI on 0..1 from any scale. Change them if your study",
        "# uses others (labels, and printed ranges lowest first, covering 0.00 to 1.00).",
        _set("bands", "ranges", "["),
        '    ["Very Low", "0.00", "0.20"],',
        '    ["Low", "0.21", "0.40"],',
        '    ["Neutral", "0.41", "0.60"],',
        '    ["High", "0.61", "0.80"],',
        '    ["Very High", "0.81", "1.00"],',
        "]",
        _set("bands", "rule", '"rounded"',
             'round the WAI to 2 decimals, then classify; "exact" classifies the exact value'),
    ]


def _field_lines(c: ColumnRecognition, field_id: str) -> list[str]:
    order = "in numeric order" if _categories_sorted(c.categories) else "in order of first appearance"
    return [_head("fields"), _set("fields", "id", _q(field_id)), _set("fields", "column", _q(c.column)),
            _set("fields", "label", _q(_shorten(c.text, 40))),
            _set("fields", "categories", _list(c.categories), f"{order}; reorder as the report should"),
            _set("fields", "compare", "false", with_help=True)]


def _display_lines(d: _Display) -> list[str]:
    section = "tables" if d.is_table else "figures"
    pre = "" if d.active else "# "
    lines = [""] if d.active else [
        "", "# Not on the study's scale, so left out (uncomment with its items in a study on their scale):"]
    return lines + [_head(section, pre), _set(section, "id", _q(d.id), pre=pre),
                    _set(section, "kind", '"wai"', pre=pre), _set(section, "title", _q(_oneline(d.title)), pre=pre)]


def _item_lines(d: _Display, scale_name: str | None) -> list[str]:
    what = f"{'Table' if d.is_table else 'Figure'} {d.id[len('table' if d.is_table else 'figure'):]}"
    lines = ["", f"# --- {what}: {_shorten(d.title, 80)} ---"]
    for n, it in enumerate(d.items):
        pre = "" if it.rec.on_study_scale else "# "
        if n:
            lines.append("")
        if not it.rec.on_study_scale:
            lines += [f"# On the {it.rec.scale} scale, not the study's {scale_name}: left out "
                      "(one scale per study)."]
        lines += [_head("items", pre), _set("items", "id", _q(it.id), pre=pre),
                  _set("items", "in", _q(it.display), pre=pre), _set("items", "column", _q(it.rec.column), pre=pre),
                  _set("items", "wording", _q(it.wording), pre=pre)]
    return lines


def _categories_sorted(cats: Sequence[str]) -> bool:
    return bool(cats) and all(re.match(r"\s*[<>]?\s*\d", c) for c in cats)


def _scale_lines(rec: Recognition) -> list[str]:
    scale = rec.scale
    if scale is None:
        return [_head("scale"), "# No Likert items were recognised: set the labels, lowest first.",
                _set("scale", "labels", '["TODO: lowest", "TODO: highest"]')]
    seen = {_key(x) for c in rec.columns if c.on_study_scale for x in c.non_scale}
    lines = [_head("scale"), _set("scale", "name", _q(scale.name))]
    if rec.scale_name and rec.scale_name.startswith(_NUMERIC):
        lo, hi = scale.codes[0], scale.codes[-1]
        lines += [_set("scale", "numeric", f"[{lo}, {hi}]"),
                  f"# K = {hi} was inferred from the answers seen (lowest scale point {lo}); if the "
                  "questionnaire's scale is longer, change it."]
    else:
        lines.append(_set("scale", "labels", _list(scale.labels), "lowest first"))
        if scale.synonyms:
            lines.append(_set("scale", "synonyms", "{ " + ", ".join(f"{_q(a)} = {_q(b)}" for a, b in scale.synonyms)
                              + " }"))
    shown = [x for x in scale.non_scale if _key(x) in seen]
    note = (f"seen in the items: {', '.join(shown)}; " if shown else "none seen in the items; ") + \
        "the others are the usual defaults"
    lines += [_set("scale", "non_scale", _list(scale.non_scale)), f"# non_scale: {note}",
              "# weights default to equally spaced 0 .. 1 (the WAI)"]
    return lines
