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
Items and batteries
    A column is an item candidate when its answers (after
    :func:`wai.lexicon.answer_key`, blanks and the known non-scale answers
    :data:`KNOWN_NON_SCALE` set aside, and an SPSS/Stata file's declared
    user-missing labels too) are value-labelled codes, or labels of a scale
    of :data:`wai.lexicon.LEXICON`, or whole numbers ``0/1..K`` with
    ``2 <= K <= 11`` (3 distinct values or a header that says it is a
    rating). Columns sharing one answer set form a *battery*, which gets one
    scale, its order from, in this priority: the file's value labels (code
    order; a label set the lexicon does not know needs 3 columns and 3
    labels), the lexicon (all columns of one family; the scale is the one
    of the length the answers reach, never a K-point set on a scale of
    another length), or the numeric range (columns of one range; a lone
    column is an item only when its header says it is a rating). The
    largest battery's scale is ``[scale]``, the others ``[[scales]]``;
    every item names its scale.
Factors
    A Low/Medium/High (level) column under a header that does not say it
    is a rating ("Sat", "satisfaction", "rating", "how", ...) describes the
    respondent as often as it asks a question: it is drafted as a field,
    with the scale's order, and listed as undecided.
Evidence and guesses
    How each scale was decided is in :attr:`Recognition.evidence` ("6
    labels shared by 15 columns; order from value labels 1..6"); every
    guess to confirm (K inferred from the highest answer seen, a scale
    whose answers reach fewer points than it has, a factor, a yes/no item,
    a value-label set the lexicon does not know, a column that looks like a
    case weight) is in :attr:`Recognition.undecided`.
Demographics
    A column that is not an item, with at most 12 distinct answers and fewer
    than half as many as rows: a ``[[fields]]`` entry, ``compare = false``.
    Categories come in value-label order, else in order of first appearance,
    except when every one starts with a number ("18-29", "30-44", "65+"):
    then in numeric order.
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
    between grids, then the row label; a header that is already an
    identifier (``q_253``) stays as it is, lower case; other headers a slug
    of their first meaningful words. Ids are lower_snake ASCII, at most 30
    characters, unique (``_2``, ``_3`` appended). Items sharing a grid
    question and a scale form one ``[[figures]]`` (kind "wai", titled by the
    question); the others one ``[[tables]]`` per scale ("table1" "Items").

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
('agreement5', ("Don't know",), ('Female', 'Male'))
>>> text = draft_codebook(frame, data_name="answers.csv", study_id="demo")
>>> [line for line in text.splitlines() if line.startswith("id = ")]
['id = "demo"', 'id = "gender"', 'id = "figure1"', 'id = "rate_speed"', 'id = "rate_price"']
"""

from __future__ import annotations

import math
import re
import unicodedata
from dataclasses import dataclass, replace
from dataclasses import field as dc_field
from types import MappingProxyType
from typing import Any, Mapping, Sequence

import pandas as pd

from wai._checks import is_blank
from wai.errors import ScaleError
from wai.lexicon import FAMILIES, LEXICON, Fit, answer_key, best_fit, fitting
from wai.scales import LikertScale, normalize_label
from wai.study.schema import SECTIONS

__all__ = [
    "ColumnRecognition", "Recognition", "recognise", "draft_codebook", "slug",
    "LEXICON", "KNOWN_NON_SCALE", "KINDS", "is_id_name",
]

KNOWN_NON_SCALE = ("Don't know", "N/A", "Not applicable", "Refused", "Prefer not to say", "No opinion")
"""Answers that are valid but not scale points; matched in any case, with or without apostrophe."""

KINDS = ("item", "demographic", "id", "other")
"""The kinds of column :func:`recognise` tells apart."""

MAX_POINTS = 11
MAX_CATEGORIES = 12
ID_LENGTH = 30

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
_WORD_HINT = re.compile(r"\b(scale|rating|rate|rated|score|sat|satisf\w*|agree\w*|often|frequen\w*|likel\w*|"
                        r"importan\w*|quality|accura\w*|opinion|how)\b")
_WEIGHT_NAME = re.compile(r"\b(freq|frequency|count|counts|n|weight|weights|wt|wgt|pweight|fweight)\b")
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
    """Comparison form of an answer (:func:`wai.lexicon.answer_key`: "dont know" = "Don't know")."""
    return answer_key(text)


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


def _floatable(text: str) -> bool:
    try:
        return math.isfinite(float(text)) and float(text) >= 0
    except ValueError:
        return False


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
        For an item: the id of its battery's scale in
        :attr:`Recognition.scales` (``"agreement7"``, ``"numeric_1_6"``, ...).
    fits : tuple of str
        Every known scale its answers fit (:data:`wai.lexicon.LEXICON`
        names, then ``"numeric_LO_HI"`` for whole numbers).
    on_study_scale : bool
        True for an item (every item is written active, on its own scale).
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
        The id of the study's main scale, the largest battery's (``None``
        when no item was found); the draft's ``[scale]``.
    scale : LikertScale or None
        That scale, with ``non_scale`` = the non-scale answers seen in its
        items, then the defaults (:data:`KNOWN_NON_SCALE`).
    respondent_id : str or None
        The respondent id column.
    undecided : tuple of str
        What the draft could not decide and every guess to confirm, one sentence each.
    scales : mapping of str to LikertScale
        Every battery's scale by id, largest battery first (the others are the
        draft's ``[[scales]]``).
    evidence : tuple of str
        How each scale was decided ("6 labels shared by 15 columns; order
        from value labels 1..6").
    """

    n_rows: int
    columns: tuple[ColumnRecognition, ...]
    scale_name: str | None
    scale: LikertScale | None
    respondent_id: str | None
    undecided: tuple[str, ...]
    scales: Mapping[str, LikertScale] = dc_field(default_factory=lambda: MappingProxyType({}))
    evidence: tuple[str, ...] = ()

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
    labelled: tuple[tuple[int, str], ...] | None = None  # value labels (code, label) in code order
    fits: list[Fit] = dc_field(default_factory=list)
    numeric: tuple[int, int] | None = None
    hint: bool = False  # the header says it holds a rating
    kind: str = "other"
    reason: str = ""
    categories: tuple[str, ...] = ()
    scale: str | None = None
    spelt: dict[str, int] = dc_field(default_factory=dict)  # each spelling of an answer and its count


def _numeric_fit(col: _Column) -> tuple[tuple[int, int] | None, str]:
    """``((lo, hi), why)`` when the column's answers are a 0/1..K range, else ``(None, why not)``."""
    if col.numbers is None or not col.numbers:
        return None, ""
    values = sorted(set(col.numbers.values()))
    lo_seen, hi_seen = values[0], values[-1]
    hint = _RANGE_HINT.search(normalize_label(col.text))
    if lo_seen < 0:
        return None, f"whole numbers down to {lo_seen}: not a 0/1..K scale"
    if hint and int(hint.group(1)) <= lo_seen and hi_seen <= int(hint.group(2)) <= MAX_POINTS \
            and int(hint.group(2)) >= 2:
        return (int(hint.group(1)), int(hint.group(2))), f"the header names the range {hint.group(0)}"
    if not 2 <= hi_seen <= MAX_POINTS:
        return None, f"whole numbers up to {hi_seen}: more than {MAX_POINTS} points, not taken as a scale"
    lo = 0 if lo_seen == 0 else 1
    if len(values) >= 3 or col.hint:
        return (lo, hi_seen), f"{len(values)} distinct whole numbers from {lo_seen} to {hi_seen}"
    return None, f"only {len(values)} distinct whole numbers {values}"


def _value_labels(frame: pd.DataFrame, column: str, non_scale: set[str]) -> tuple[tuple[int, str], ...] | None:
    """An SPSS/Stata column's value labels ``(code, label)`` in code order, the non-scale ones left out."""
    mapping = (frame.attrs.get("value_labels") or {}).get(str(column)) or {}
    pairs = []
    for code, label in mapping.items():
        number = _whole(code)
        if number is None:
            return None
        if _key(label) not in non_scale:
            pairs.append((number, str(label)))
    return tuple(sorted(pairs)) if len(pairs) >= 2 else None


def _facts(frame: pd.DataFrame, column: str, text: str) -> _Column:
    series = frame[column]
    # every check looks at distinct answers only, so a large export costs one pass per column
    counts = series.astype(object).value_counts(dropna=False, sort=False)
    uniques = [v for v in pd.unique(series.to_numpy(dtype=object)) if not is_blank(v)]
    n_answered = int(sum(n for v, n in counts.items() if not is_blank(v)))
    declared = {_key(x) for x in (frame.attrs.get("missing_labels") or {}).get(str(column), ())}
    non_scale_keys = _NON_SCALE_KEYS | declared
    non_scale: dict[str, str] = {}
    rest: dict[str, str] = {}
    for value in uniques:
        key = _key(value)
        if key in non_scale_keys:
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
    col = _Column(column, text, uniques, n_answered, non_scale, rest, numbers)
    for value, n in counts.items():
        if not is_blank(value):
            col.spelt[_text(value)] = col.spelt.get(_text(value), 0) + int(n)
    col.hint = bool(_WORD_HINT.search(normalize_label(text)) or _RANGE_HINT.search(normalize_label(text)))
    labelled = _value_labels(frame, column, non_scale_keys)
    if labelled is not None and rest and all(k in {_key(lab) for _, lab in labelled} or
                                             (numbers is not None and k in numbers) for k in rest):
        col.labelled = labelled
    if rest:
        col.fits = fitting(rest)
        col.numeric, col.reason = _numeric_fit(col)
    return col


def _near_miss(col: _Column) -> str | None:
    """A reason when the answers almost fit a known scale (a typo or two), else None."""
    best = None
    for known in LEXICON:
        hits = [k for k in col.rest if known.point_of(k) is not None]
        misses = [k for k in col.rest if known.point_of(k) is None]
        if len(hits) >= 3 and len(misses) <= 2 and (best is None or len(hits) > best[1]):
            best = (known, len(hits), misses)
    if best is None:
        return None
    known, _, misses = best
    scale = known.likert()
    shown = []
    for k in misses:
        guess = scale.suggest(col.rest[k])
        shown.append(repr(col.rest[k]) + (f" (did you mean {guess!r}?)" if guess else ""))
    return (f"the answers fit the {known.name} scale except {', '.join(shown)}; fix or declare those answers, "
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
    if col.labelled is not None:  # value-label order, then anything unlabelled
        labelled = [lab for _, lab in col.labelled if normalize_label(lab) in seen]
        return tuple(dict.fromkeys([seen[normalize_label(x)] for x in labelled] + cats))
    leading = [re.match(r"\s*[<>]?\s*(\d+(?:\.\d+)?)", c) for c in cats]
    if all(leading):
        order = sorted(range(len(cats)), key=lambda i: (float(leading[i].group(1)), cats[i]))  # type: ignore[union-attr]
        cats = [cats[i] for i in order]
    return tuple(cats)


def recognise(frame: pd.DataFrame) -> Recognition:
    """Tell the columns of a survey export apart: Likert items (in batteries), demographics, the id, the rest.

    Parameters
    ----------
    frame : pandas.DataFrame
        An export as :func:`wai.input.readers.read_responses` returns it (any
        frame works; an SPSS/Stata frame's ``attrs["variable_labels"]`` are
        used as the question texts, ``attrs["value_labels"]`` give the order
        of the answers, ``attrs["missing_labels"]`` are non-scale answers).

    Returns
    -------
    Recognition
        Per column its kind, scale, the non-scale answers seen and why; the
        scales (one per battery); the respondent id; the evidence of every
        decision and what stays undecided. See the module notes for the rules.

    Examples
    --------
    >>> frame = pd.DataFrame({"Q1 (1-7)": ["1", "7", "4"], "Note": ["ok", "fine", "good enough"]})
    >>> rec = recognise(frame)
    >>> rec["Q1 (1-7)"].kind, rec.scale_name, rec["Note"].kind
    ('item', 'numeric_1_7', 'other')
    """
    n_rows = len(frame)
    labels = frame.attrs.get("variable_labels") or {}
    cols = [_facts(frame, c, str(labels.get(c) or c)) for c in frame.columns]
    respondent_id: str | None = None
    for col in cols:
        respondent_id = _classify(col, n_rows, respondent_id)
    notes: list[str] = []
    evidence: list[str] = []
    scales = _batteries([c for c in cols if c.kind == "item"], n_rows, notes, evidence)
    for col in cols:
        if col.kind == "other" and _WEIGHT_NAME.search(normalize_label(col.column)) and col.rest \
                and all(_floatable(v) for v in col.rest.values()):
            col.reason = ("numbers under a header naming a count or weight: a frequency or case weight? The "
                          "report counts one answer per row; expand the rows, or score with python -m wai.score "
                          f"--weights {col.column}")
            notes.append(f"column {_oneline(col.column)!r}: {col.reason}")
        elif col.kind == "other":
            notes.append(f"column {_oneline(col.column)!r}: {col.reason}; not used (make it a [[fields]] "
                         "entry or leave it out)")
    if not scales:
        notes.insert(0, "no Likert items were recognised: add [[items]] and a [scale] by hand")
    if respondent_id is None:
        notes.append("no respondent id column (no column holds a value used once on every row); rows "
                     "are numbered instead")
    out = tuple(_verdict(col) for col in cols)
    main = next(iter(scales), None)
    return Recognition(n_rows, out, main, scales[main] if main else None, respondent_id, tuple(notes),
                       MappingProxyType(scales), tuple(evidence))


def _classify(col: _Column, n_rows: int, respondent_id: str | None) -> str | None:
    """Set the column's kind ("item" for a candidate) and reason; the respondent id column, once found."""
    if not col.uniques:
        col.kind, col.reason = "other", "no answers (every cell blank)"
    elif respondent_id is None and _ID_NAME.search(normalize_label(col.column)) and _looks_like_id(col, n_rows):
        col.kind, col.reason = "id", "a value used once on every row, under an id-like header"
        return col.column
    elif col.labelled is not None or col.fits or col.numeric is not None:
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
    else:
        _field_or_other(col, n_rows)
    return respondent_id


def _field_or_other(col: _Column, n_rows: int, why: str = "") -> None:
    """A column that is no item: a demographic field when it has few categories, else undecided."""
    distinct = len({normalize_label(v) for v in col.uniques})
    if distinct <= MAX_CATEGORIES and distinct < n_rows / 2:
        col.kind, col.categories = "demographic", _categories(col)
        col.reason = why or f"{distinct} categories in {n_rows} rows, not on a known scale"
        return
    what = "free text" if any(" " in _text(v) for v in col.uniques) else "many values"
    col.kind = "other"
    col.reason = f"{what}: {distinct} distinct answers in {n_rows} rows" + (f" ({col.reason})" if col.reason else "")


# ---------------------------------------------------------------------------
# batteries: columns sharing one answer set, and their scale

@dataclass
class _Battery:
    name: str  # the scale's id in the codebook
    columns: list[_Column]
    scale: LikertScale
    evidence: str


def _plural(n: int, word: str) -> str:
    return f"{n} {word}" if n == 1 else f"{n} {word}s"


def _batteries(cands: list[_Column], n_rows: int, notes: list[str], evidence: list[str]) -> dict[str, LikertScale]:
    """Group the candidate item columns into batteries, one scale each; the scales by id, largest first.

    Order of the answers: the file's value labels (codes), else the lexicon, else a numeric range.
    Columns that end in no battery become fields or stay undecided, with a note.
    """
    batteries = (_labelled_batteries([c for c in cands if c.labelled is not None], notes)
                 + _lexicon_batteries([c for c in cands if c.labelled is None and c.fits], n_rows, notes)
                 + _numeric_batteries([c for c in cands if c.labelled is None and not c.fits], n_rows, notes))
    batteries.sort(key=lambda b: -len(b.columns))
    taken: set[str] = set()
    scales: dict[str, LikertScale] = {}
    for b in batteries:
        name = _unique(re.sub(r"[^a-z0-9]+", "_", b.name.lower()).strip("_") or "scale", taken)
        non_scale: dict[str, str] = {}
        for c in b.columns:
            for k, v in c.non_scale.items():
                non_scale.setdefault(k, v)
        for x in KNOWN_NON_SCALE:
            non_scale.setdefault(_key(x), x)
        scales[name] = replace(b.scale, non_scale=tuple(non_scale.values()))
        for c in b.columns:
            c.scale = name
        evidence.append(f"scale {name}: {b.evidence}")
    return scales


def _labelled_batteries(cols: list[_Column], notes: list[str]) -> list[_Battery]:
    """Columns with the same value labels form a battery; the order is the labels' code order."""
    groups: dict[tuple[tuple[int, str], ...], list[_Column]] = {}
    for c in cols:
        groups.setdefault(c.labelled, []).append(c)  # type: ignore[arg-type]
    out = []
    for pairs, members in groups.items():
        labels = [lab for _, lab in pairs]
        fit = best_fit([_key(x) for x in labels])
        known = fit is not None and fit.complete and fit.scale.points == len(labels)
        if not known and (len(members) < 3 or len(labels) < 3 or len(labels) > MAX_POINTS):
            for c in members:
                _field_or_other(c, 2 * MAX_CATEGORIES + 1, f"value labels {_codes_text(pairs)}, not a known scale "
                                "and not shared by 3 columns")
                notes.append(f"column {_oneline(c.column)!r}: drafted as a field (value labels "
                             f"{_codes_text(pairs)}); if it is a rating, make it an item on a scale of these labels")
            continue
        try:
            scale = LikertScale(tuple(labels), codes=tuple(code for code, _ in pairs), name=_labels_name(labels))
        except ScaleError as exc:
            for c in members:
                c.kind, c.reason = "other", f"value labels that are no scale ({exc})"
            continue
        if known and fit is not None and fit.scale.family == "level":
            factors = [c for c in members if not c.hint and not _GRID.match(_oneline(c.text))]
            for c in factors:
                _field_or_other(c, 2 * MAX_CATEGORIES + 1, f"value labels {_codes_text(pairs)} ({', '.join(labels)})")
                notes.append(f"column {_oneline(c.column)!r}: {', '.join(labels)} under a header that does not say "
                             f"it is a rating: drafted as a field (a factor); if it is a question, make it an item "
                             f"on the {fit.scale.name} scale")
            members = [c for c in members if c not in factors]
            if not members:
                continue
        name = fit.scale.name if known and fit is not None else f"labels_{len(labels)}"
        where = f" (the lexicon's {fit.scale.name})" if known and fit is not None else ""
        text = (f"{_plural(len(labels), 'label')} shared by {_plural(len(members), 'column')}; order from value "
                f"labels {_codes_text(pairs)}{where}")
        for c in members:
            c.reason = f"value labels {_codes_text(pairs)}"
        if not known:
            notes.append(f"scale {name}: {text}, not a scale the lexicon knows: check that the codes run from "
                         "lowest to highest")
        out.append(_Battery(name, members, scale, text))
    return out


def _codes_text(pairs: Sequence[tuple[int, str]]) -> str:
    codes = [code for code, _ in pairs]
    if codes == list(range(codes[0], codes[0] + len(codes))):
        return f"{codes[0]}..{codes[-1]}"
    return ", ".join(map(str, codes))


def _labels_name(labels: Sequence[str]) -> str:
    return f"{len(labels)}-point ({_shorten(labels[0], 25)} .. {_shorten(labels[-1], 25)})"


def _family(col: _Column, count: dict[str, int]) -> str:
    """The family a column of several possible families goes with: the one most columns fit."""
    families = list(dict.fromkeys(f.scale.family for f in col.fits))
    return max(families, key=lambda f: (count[f], -FAMILIES.index(f)))


def _lexicon_batteries(cols: list[_Column], n_rows: int, notes: list[str]) -> list[_Battery]:
    """Columns of one lexicon family form a battery; its scale is the one of the length their answers reach."""
    count = {f: sum(any(x.scale.family == f for x in c.fits) for c in cols) for f in FAMILIES}
    groups: dict[str, list[_Column]] = {}
    for c in cols:
        groups.setdefault(_family(c, count), []).append(c)
    out = []
    for family, members in groups.items():
        if family == "level":  # Low/Medium/High name a factor's levels as often as an answer's
            factors = [c for c in members if not c.hint and not _GRID.match(_oneline(c.text))]
            for c in factors:
                fit = best_fit(c.rest, family)
                assert fit is not None
                points = fit.points
                c.labelled = tuple((p + 1, fit.scale.labels[p]) for p in sorted(set(points.values())))
                c.rest = {k: c.rest[k] for k in sorted(c.rest, key=lambda k: points[k])}
                _field_or_other(c, n_rows, f"answers on the {fit.scale.name} scale ({', '.join(c.rest.values())})")
                c.categories = tuple(c.rest.values())
                notes.append(f"column {_oneline(c.column)!r}: {', '.join(c.rest.values())} under a header that does "
                             "not say it is a rating: drafted as a field (a factor); if it is a question, make it "
                             f"an item on the {fit.scale.name} scale")
            members = [c for c in members if c not in factors]
            if not members:
                continue
        keys = dict.fromkeys(k for c in members for k in c.rest)
        fit = best_fit(keys, family)
        assert fit is not None  # the family's longest scale holds every answer of the family
        if family == "yes/no":
            notes.append(f"scale {fit.scale.name}: {', '.join(repr(_oneline(c.column)) for c in members[:5])}"
                         f"{' ...' if len(members) > 5 else ''} drafted as items (their WAI is the share of Yes); a "
                         "column that describes the respondent belongs in [[fields]]")
        out.append(_lexicon_battery(fit, members, notes))
    return out


def _lexicon_battery(fit: Fit, members: list[_Column], notes: list[str]) -> _Battery:
    known = fit.scale
    spelt: dict[int, dict[str, int]] = {}  # point -> spelling -> count, over the battery
    for c in members:
        for text, n in c.spelt.items():
            point = fit.points.get(_key(text))
            if point is not None:
                spelt.setdefault(point, {})[text] = spelt.get(point, {}).get(text, 0) + n
    # each point's label: its most frequent spelling in the file (the lexicon's when never answered)
    labels = [max(spelt[p], key=lambda t: spelt[p][t]) if p in spelt else known.labels[p]
              for p in range(known.points)]
    synonyms: dict[str, str] = {}  # alias -> label
    for p, texts in spelt.items():
        for text in texts:
            if normalize_label(text) not in {normalize_label(x) for x in [*labels, *synonyms]}:
                synonyms[text] = labels[p]
    for variant, label in [*zip(known.labels, known.labels), *known.variants]:  # for answers still to come
        if normalize_label(variant) not in {normalize_label(x) for x in [*labels, *synonyms]}:
            synonyms[variant] = labels[known.labels.index(label)]
    scale = LikertScale(tuple(labels), synonyms=tuple(synonyms.items()), name=f"{known.name} ({labels[0]} .. {labels[-1]})")
    keys = {k for c in members for k in c.rest}
    text = (f"{_plural(len(keys), 'answer')} shared by {_plural(len(members), 'column')}; order from the "
            f"lexicon's {known.name}")
    for c in members:
        c.reason = f"every answer is a label of the {known.name} scale"
    if not fit.complete:
        unseen = [known.labels[p] for p in range(known.points) if p not in set(fit.points.values())]
        notes.append(f"scale {known.name}: the answers reach {fit.reached} of its {known.points} points "
                     f"(never answered: {', '.join(unseen)}); no known {fit.reached}-point scale holds them: check "
                     "the questionnaire's scale")
    others = sorted({f.scale.family for c in members for f in c.fits} - {known.family})
    if others and all(len({f.scale.family for f in c.fits}) > 1 for c in members):
        notes.append(f"scale {known.name}: {', '.join(c.column for c in members[:3])} fit the "
                     f"{', '.join(others)} scale(s) too; {known.family} was chosen")
    return _Battery(known.name, members, scale, text)


def _stem(column: str) -> str:
    return re.sub(r"\d+", "#", str(column))


def _numeric_batteries(cols: list[_Column], n_rows: int, notes: list[str]) -> list[_Battery]:
    """Columns of one range ``lo..hi`` form a battery; a lone column is an item only when its header says so."""
    groups: dict[tuple[int, int], list[_Column]] = {}
    for c in cols:
        groups.setdefault(c.numeric, []).append(c)  # type: ignore[arg-type]
    big = {r: m for r, m in groups.items() if len(m) >= 3}
    for rng, members in list(groups.items()):
        if len(members) >= 3:
            continue
        home = next((r for r in sorted(big, key=lambda r: -len(big[r])) if r[0] == rng[0] and rng[1] < r[1]
                     and all(any(_stem(c.column) == _stem(b.column) for b in big[r]) for c in members)), None)
        if home is not None:
            for c in members:
                notes.append(f"column {_oneline(c.column)!r}: its answers reach only {rng[1]}; put on the "
                             f"{home[0]}..{home[1]} scale of the columns named like it")
            big[home] += members
            del groups[rng]
    out = []
    for rng, members in groups.items():
        members = big.get(rng, members)
        lone = [c for c in members if not c.hint] if len(members) == 1 else []
        for c in lone:
            why = c.reason
            _field_or_other(c, n_rows, f"{why}, in one column whose header does not say it is a rating")
            if c.kind == "demographic":
                notes.append(f"column {_oneline(c.column)!r}: whole numbers {rng[0]}..{rng[1]} in one column: "
                             f"drafted as a field; if it is a rating, make it an item on numeric {rng[0]}..{rng[1]}")
        members = [c for c in members if c not in lone]
        if not members:
            continue
        lo, hi = rng
        for c in members:
            c.reason = f"a numeric scale: {c.reason}"
        stems = [_stem(c.column) for c in members]
        usual = max(set(stems), key=stems.count)
        if len(members) >= 3 and stems.count(usual) > len(members) / 2:
            for c in members:
                if _stem(c.column) != usual and not c.hint:
                    notes.append(f"column {_oneline(c.column)!r}: whole numbers {lo}..{hi} like the columns named "
                                 f"{usual!r}, so drafted as an item of their battery; if it is not one of them, "
                                 "make it a field")
        hinted = all(_RANGE_HINT.search(normalize_label(c.text)) for c in members)
        if not hinted:
            notes.append(f"scale numeric {lo}..{hi}: K = {hi - lo + 1} points was inferred from the highest answer "
                         f"seen in {_plural(len(members), 'column')}; check the questionnaire's scale")
        text = (f"whole numbers {lo}..{hi} in {_plural(len(members), 'column')}; "
                + ("range from the header" if hinted else "range from the answers seen"))
        out.append(_Battery(f"numeric_{lo}_{hi}", members, LikertScale.numeric(lo, hi), text))
    return out


def _verdict(col: _Column) -> ColumnRecognition:
    """A column's recognition."""
    return ColumnRecognition(
        column=col.column, kind=col.kind, scale=col.scale if col.kind == "item" else None,
        fits=tuple(dict.fromkeys([f.scale.name for f in col.fits] + (
            [f"numeric_{col.numeric[0]}_{col.numeric[1]}"] if col.numeric else []))),
        on_study_scale=col.kind == "item",
        non_scale=tuple(col.non_scale.values()), categories=col.categories,
        n_answered=col.n_answered, n_distinct=len({normalize_label(v) for v in col.uniques}),
        text=col.text, reason=col.reason)


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


_IDENT = re.compile(r"[A-Za-z][A-Za-z0-9_]{0,29}")


def _column_id(column: str, text: str) -> str:
    """An id from a column: its name when it is already a short identifier (``q_253``), else a slug."""
    if _IDENT.fullmatch(str(column)):
        return str(column).lower()
    return slug(text)


def _grid_parts(items: list[_Item]) -> tuple[dict[int, tuple[str, str]], dict[tuple[str, str | None], list[int]]]:
    """Grid rows "Question [Row]": each item's (question, row), and the grids of 2 rows or more by (question, scale)."""
    parts: dict[int, tuple[str, str]] = {}
    for n, it in enumerate(items):
        match = _GRID.match(_oneline(it.rec.text))
        if match:
            parts[n] = (match.group(1), match.group(2).strip())
    grids: dict[tuple[str, str | None], list[int]] = {}
    for n, (question, _) in parts.items():
        grids.setdefault((question, items[n].rec.scale), []).append(n)
    return parts, {g: ns for g, ns in grids.items() if len(ns) >= 2}


def _plan(rec: Recognition) -> tuple[list[_Display], dict[str, str]]:
    """Item ids, wordings and displays (one scale each, main scale first); field ids."""
    taken: set[str] = set()
    field_ids = {c.column: _unique(_column_id(c.column, c.column), taken) for c in rec.of_kind("demographic")}
    items = [_Item(c) for c in rec.of_kind("item")]
    parts, grids = _grid_parts(items)
    prefixes: dict[str, str] = {}
    for question in dict.fromkeys(q for q, _ in grids):
        words = _meaningful(question)
        used = set(prefixes.values())
        choice = next((w for w in words if w not in used and len(w) <= 15), None)
        prefixes[question] = choice or _join(words[:2], 15) or "grid"
    in_grid = {n: g for g, ns in grids.items() for n in ns}
    for n, it in enumerate(items):
        if n in in_grid:
            question, row = parts[n]
            it.group, it.wording = question, _shorten(row)
            prefix = prefixes[question]
            row_id = _join(_meaningful(row), ID_LENGTH - len(prefix) - 1) or str(len(grids[in_grid[n]]))
            it.id = _unique(f"{prefix}_{row_id}", taken)
        else:
            it.wording = _shorten(it.rec.text)
            it.id = _unique(_column_id(it.rec.column, it.rec.text), taken)
    order = {name: n for n, name in enumerate(rec.scales)}
    figures = [_Display("", q, False, [items[n] for n in ns])
               for (q, _), ns in sorted(grids.items(), key=lambda g: order.get(g[0][1] or "", 0))]
    loose: dict[str | None, list[_Item]] = {}
    for n, it in enumerate(items):
        if n not in in_grid:
            loose.setdefault(it.rec.scale, []).append(it)
    several = len(rec.scales) > 1
    tables = [_Display("", f"Items on the {rec.scales[name].name} scale"
                       if several and name is not None and name in rec.scales else "Items", True, its)
              for name, its in sorted(loose.items(), key=lambda x: order.get(x[0] or "", 0))]
    for n, d in enumerate(figures, start=1):
        d.id = f"figure{n}"
    for n, d in enumerate(tables, start=1):
        d.id = f"table{n}"
    for d in figures + tables:
        for it in d.items:
            it.display = d.id
    return figures + tables, field_ids


_HEADER = """\
# codebook.toml: a DRAFT written by `python -m wai.init` from {data} ({rows} rows, {cols} columns).
#
# It was guessed from the answers alone; it loads and runs as it is, but check and edit it:
#   [study]    the title is a placeholder; add citation and notes; respondent_id names the id column.
#   [scale]    the labels (lowest first) and non_scale (answers counted but never scored);
#              [[scales]] one more entry per battery on another scale (its items say scale = "id").
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
        five), ``[[scales]]`` for every other battery's scale, ``[[fields]]``,
        ``[[figures]]``/``[[tables]]`` (one scale each), ``[[items]]`` (each
        naming its scale when it is not ``[scale]``); how each scale was decided
        and what stays undecided listed in comments near the top.
    """
    rec = recognition if recognition is not None else recognise(frame)
    displays, field_ids = _plan(rec)
    stem = data_name.replace("\\", "/").rsplit("/", 1)[-1].rsplit(".", 1)[0]
    sid = study_id if study_id is not None else slug(stem, max_words=6)
    lines = _HEADER.format(data=_oneline(data_name), rows=rec.n_rows, cols=len(rec.columns),
                           study=study_dir or "<study folder>").splitlines()
    lines += ["# How the scales were decided:"]
    lines += [f"#   - {_oneline(n)}" for n in rec.evidence] or ["#   (no scale)"]
    lines += ["# Undecided (guesses to confirm):"]
    lines += [f"#   - {_oneline(n)}" for n in rec.undecided] or ["#   (nothing)"]
    lines += [""] + _study_lines(rec, sid, data_name, {"encoding": encoding, "delimiter": delimiter, "sheet": sheet})
    lines += [""] + _scale_lines(rec, rec.scale, "scale")
    for name, scale in list(rec.scales.items())[1:]:
        lines += ["", f"# Another battery's scale; its items say scale = {_q(name)}."]
        lines += _scale_lines(rec, scale, "scales", name)
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
    return ["", _head(section), _set(section, "id", _q(d.id)), _set(section, "kind", '"wai"'),
            _set(section, "title", _q(_oneline(d.title)))]


def _item_lines(d: _Display, main: str | None) -> list[str]:
    what = f"{'Table' if d.is_table else 'Figure'} {d.id[len('table' if d.is_table else 'figure'):]}"
    lines = ["", f"# --- {what}: {_shorten(d.title, 80)} ---"]
    for n, it in enumerate(d.items):
        if n:
            lines.append("")
        lines += [_head("items"), _set("items", "id", _q(it.id)), _set("items", "in", _q(it.display)),
                  _set("items", "column", _q(it.rec.column)), _set("items", "wording", _q(it.wording))]
        if it.rec.scale is not None and it.rec.scale != main:
            lines.append(_set("items", "scale", _q(it.rec.scale)))
    return lines


def _categories_sorted(cats: Sequence[str]) -> bool:
    return bool(cats) and all(re.match(r"\s*[<>]?\s*\d", c) for c in cats)


def _scale_lines(rec: Recognition, scale: LikertScale | None, section: str, name: str = "") -> list[str]:
    """``[scale]`` (the main scale) or a ``[[scales]]`` entry."""
    if scale is None:
        return [_head("scale"), "# No Likert items were recognised: set the labels, lowest first.",
                _set("scale", "labels", '["TODO: lowest", "TODO: highest"]')]
    on_it = [c for c in rec.of_kind("item") if c.scale == (name or rec.scale_name)]
    seen = {_key(x) for c in on_it for x in c.non_scale}
    lines = [_head(section)] + ([_set(section, "id", _q(name))] if name else [])
    lines.append(_set(section, "name", _q(scale.name)))
    if scale.labels == tuple(str(c) for c in scale.codes):
        lo, hi = scale.codes[0], scale.codes[-1]
        lines += [_set(section, "numeric", f"[{lo}, {hi}]"),
                  f"# K = {hi - lo + 1} points ({lo}..{hi}) was inferred from the answers seen (or the header); if "
                  "the questionnaire's scale is longer, change it."]
    else:
        lines.append(_set(section, "labels", _list(scale.labels), "lowest first"))
        if scale.codes != tuple(range(1, scale.points + 1)):
            lines.append(_set(section, "codes", "[" + ", ".join(map(str, scale.codes)) + "]",
                              "the file's value-label codes"))
        if scale.synonyms:
            lines.append(_set(section, "synonyms", "{ " + ", ".join(f"{_q(a)} = {_q(b)}" for a, b in scale.synonyms)
                              + " }"))
    shown = [x for x in scale.non_scale if _key(x) in seen]
    note = (f"seen in the items: {', '.join(shown)}; " if shown else "none seen in the items; ") + \
        "the others are the usual defaults"
    lines += [_set(section, "non_scale", _list(scale.non_scale)), f"# non_scale: {note}",
              "# weights default to equally spaced 0 .. 1 (the WAI)"]
    return lines
