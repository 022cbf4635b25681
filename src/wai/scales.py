"""Likert scales: ordered categories, their weights, and how answers map onto them.

A :class:`LikertScale` holds K ordered category labels (lowest first), the
numeric code of each (1..K by default) and the weight each category carries
in the index (equally spaced from 0 to 1 by default, the WAI weights). It
also knows which answers are *not* scale points ("Don't know", "Refused"):
those are counted but never enter an index.

Answers are matched to labels after Unicode (NFKC) normalisation, case
folding and whitespace collapsing, so ``" very  HIGH"`` is ``"Very High"``.
Numeric answers match the codes.

Examples
--------
>>> s = LikertScale(("Never", "Sometimes", "Often"))
>>> s.points, [str(w) for w in s.weights]
(3, ['0', '1/2', '1'])
>>> s.category_of(" OFTEN "), s.category_of(2), s.category_of("Don't know"), s.category_of("")
(2, 1, -2, -1)
"""

from __future__ import annotations

import difflib
import math
import re
import unicodedata
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any, Mapping, Sequence

from wai.errors import ScaleError
from wai.exact import as_fraction

__all__ = [
    "LikertScale",
    "default_scale",
    "MISSING",
    "NON_SCALE",
    "normalize_label",
    "LEVEL5",
    "AGREEMENT5",
    "FREQUENCY5",
    "SATISFACTION5",
    "CHAPTER11_SCALE",
    "PRESETS",
    "parse_scale",
]

MISSING = -1
"""Category index of a blank answer."""
NON_SCALE = -2
"""Category index of a declared non-scale answer such as "Don't know"."""
MAX_POINTS = 20
"""The most categories a scale given on a command line, or by :meth:`LikertScale.numeric`
(a codebook's ``numeric = [lo, hi]``), may have; raise it for a longer numeric scale."""

_SPACE = re.compile(r"\s+")
_QUOTES = str.maketrans({"\u2018": "'", "\u2019": "'", "\u201b": "'", "\u2032": "'", "`": "'"})


def _whole_code(value: Any) -> int:
    """A category code as an int: a whole number (not a bool, not 2.5, not NaN)."""
    if isinstance(value, bool) or not isinstance(value, (int, float, str)) and not hasattr(value, "__index__"):
        raise TypeError(f"a code must be a whole number, got {value!r}")
    number = float(value) if isinstance(value, (float, str)) else int(value)
    if not math.isfinite(number) or number != int(number):
        raise ValueError(f"a code must be a whole number, got {value!r}")
    return int(number)


def normalize_label(text: str) -> str:
    """The form in which answers and labels are compared.

    NFKC normalisation, typographic apostrophes made straight, case folded,
    runs of whitespace collapsed to one space, ends stripped.

    >>> normalize_label("  Don\u2019t   KNOW ")
    "don't know"
    """
    text = unicodedata.normalize("NFKC", str(text)).translate(_QUOTES)
    return _SPACE.sub(" ", text).strip().casefold()


def _is_blank(value: Any) -> bool:
    if value is None:
        return True
    if isinstance(value, float) and math.isnan(value):
        return True
    try:
        import pandas as pd

        if value is pd.NA or value is pd.NaT:
            return True
    except ImportError:  # pragma: no cover - pandas is a dependency
        pass
    return isinstance(value, str) and value.strip() == ""


@dataclass(frozen=True)
class LikertScale:
    """An ordered K-point answer scale with index weights.

    Parameters
    ----------
    labels : sequence of str
        Category labels, lowest first. At least two, distinct after
        normalisation.
    weights : sequence of numbers, optional
        Weight of each category in the index, strictly increasing. Default:
        equally spaced from 0 to 1, ``(k - 1)/(K - 1)``, the WAI weights.
    codes : sequence of int, optional
        Numeric code of each category, default ``1..K``. A numeric answer is
        matched to these codes.
    non_scale : sequence of str
        Answers that are valid but not scale points (counted, never scored).
    synonyms : mapping of str to str
        Other spellings of a label, ``{"Medium": "Neutral"}``.
    name : str
        A short name for messages and reports.
    """

    labels: tuple[str, ...]
    weights: tuple[Fraction, ...] = ()
    codes: tuple[int, ...] = ()
    non_scale: tuple[str, ...] = ("Don't know", "Refused", "N/A", "Prefer not to say")
    synonyms: tuple[tuple[str, str], ...] = ()
    name: str = ""
    _lookup: dict = field(default_factory=dict, init=False, repr=False, compare=False, hash=False)

    def __post_init__(self) -> None:
        try:
            self._build()
        except ScaleError:
            raise
        except (TypeError, ValueError, AttributeError) as exc:  # a weight, code or synonym of the wrong type
            raise ScaleError(f"a malformed scale: {exc}") from None

    def _build(self) -> None:
        """The checks and normal forms of :meth:`__post_init__`."""
        if isinstance(self.labels, (str, bytes)):
            raise ScaleError(f"labels must be a sequence of texts, got the text {self.labels!r}")
        labels = tuple(str(x) for x in self.labels)
        if len(labels) < 2:
            raise ScaleError(f"a Likert scale needs at least 2 categories, got {list(labels)!r}")
        k = len(labels)
        weights = (
            tuple(as_fraction(w) for w in self.weights)
            if self.weights
            else tuple(Fraction(i, k - 1) for i in range(k))
        )
        if len(weights) != k:
            raise ScaleError(f"scale has {k} labels but {len(weights)} weights; give one weight per label")
        if any(b <= a for a, b in zip(weights, weights[1:])):
            raise ScaleError(
                f"weights must increase from the lowest category to the highest, got "
                f"{[str(w) for w in weights]}"
            )
        codes = tuple(_whole_code(c) for c in self.codes) if self.codes else tuple(range(1, k + 1))
        if len(codes) != k or len(set(codes)) != k:
            raise ScaleError(f"scale needs {k} distinct codes, got {list(codes)!r}")
        pairs = self.synonyms.items() if isinstance(self.synonyms, Mapping) else self.synonyms
        synonyms = tuple((str(a), str(b)) for a, b in pairs)
        non_scale = tuple(str(x) for x in self.non_scale)

        lookup: dict[str, int] = {}

        def add(token: str, index: int, what: str) -> None:
            key = normalize_label(token)
            if not key:
                raise ScaleError(f"{what} {token!r} is empty after normalisation")
            if key in lookup and lookup[key] != index:
                raise ScaleError(f"{what} {token!r} is already used for another category")
            lookup[key] = index

        for i, label in enumerate(labels):
            add(label, i, "label")
        for alias, target in synonyms:
            key = normalize_label(target)
            if key not in lookup or lookup[key] < 0:
                raise ScaleError(f"synonym {alias!r} points to {target!r}, which is not a label of the scale")
            add(alias, lookup[key], "synonym")
        for token in non_scale:
            add(token, NON_SCALE, "non-scale answer")

        object.__setattr__(self, "labels", labels)
        object.__setattr__(self, "weights", weights)
        object.__setattr__(self, "codes", codes)
        object.__setattr__(self, "synonyms", synonyms)
        object.__setattr__(self, "non_scale", non_scale)
        object.__setattr__(self, "_lookup", lookup)

    # -- construction -----------------------------------------------------
    @classmethod
    def numeric(cls, lo: int, hi: int, **kwargs: Any) -> "LikertScale":
        """A scale of numeric codes ``lo..hi``, labelled by the codes.

        >>> s = LikertScale.numeric(1, 6)
        >>> s.labels[0], s.labels[-1], [str(w) for w in s.weights]
        ('1', '6', ['0', '1/5', '2/5', '3/5', '4/5', '1'])
        """
        try:
            lo, hi = _whole_code(lo), _whole_code(hi)
        except (TypeError, ValueError):
            raise ScaleError(f"numeric scale needs whole numbers lo < hi, got lo={lo!r}, hi={hi!r}") from None
        if hi <= lo:
            raise ScaleError(f"numeric scale needs lo < hi, got lo={lo}, hi={hi}")
        if hi - lo + 1 > MAX_POINTS:
            raise ScaleError(f"numeric scale {lo}..{hi} has {hi - lo + 1:,} points; at most {MAX_POINTS} "
                             f"(the limit is wai.scales.MAX_POINTS; raise it for a longer scale)")
        codes = tuple(range(lo, hi + 1))
        kwargs.setdefault("name", f"numeric {lo}..{hi}")
        return cls(tuple(str(c) for c in codes), codes=codes, **kwargs)

    # -- properties -------------------------------------------------------
    @property
    def points(self) -> int:
        """Number of scale categories, K."""
        return len(self.labels)

    @property
    def equally_spaced(self) -> bool:
        """Whether the weights are ``(k - 1)/(K - 1)``, so WAI, RII and mean convert exactly."""
        k = self.points
        return self.weights == tuple(Fraction(i, k - 1) for i in range(k))

    # -- matching answers -------------------------------------------------
    def category_of(self, answer: Any) -> int:
        """Category index (0..K-1) of an answer, ``MISSING`` (-1) or ``NON_SCALE`` (-2).

        Raises
        ------
        KeyError
            If the answer is neither a label, a synonym, a code nor a declared
            non-scale answer. :meth:`suggest` proposes the nearest label.
        """
        if _is_blank(answer):
            return MISSING
        if isinstance(answer, (int, float)) and not isinstance(answer, bool):
            as_float = float(answer)
            if as_float.is_integer() and int(as_float) in self.codes:
                return self.codes.index(int(as_float))
            raise KeyError(answer)
        key = normalize_label(answer)
        if key in self._lookup:
            return self._lookup[key]
        try:
            number = float(key)
        except ValueError:
            raise KeyError(answer) from None
        if number.is_integer() and int(number) in self.codes:
            return self.codes.index(int(number))
        raise KeyError(answer)

    def suggest(self, answer: Any) -> str | None:
        """The allowed label nearest to an unknown answer, or None.

        >>> LEVEL5.suggest("Hihg")
        'High'
        """
        names = list(self.labels) + [a for a, _ in self.synonyms] + list(self.non_scale)
        by_key = {normalize_label(n): n for n in names}
        found = difflib.get_close_matches(normalize_label(answer), list(by_key), n=1, cutoff=0.6)
        return by_key[found[0]] if found else None

    def allowed(self) -> str:
        """The allowed answers, for messages."""
        codes = ", ".join(str(c) for c in self.codes)
        return f"one of {', '.join(repr(x) for x in self.labels)} (or codes {codes})"


LEVEL5 = LikertScale(
    ("Very Low", "Low", "Neutral", "High", "Very High"),
    synonyms=(("Medium", "Neutral"), ("Moderate", "Neutral")),
    name="five-point level (Very Low .. Very High)",
)
"""Five-point level scale, Very Low .. Very High, weights 0, 1/4, 1/2, 3/4, 1."""

CHAPTER11_SCALE = LEVEL5
"""The scale chapter 11 reports its WAI on."""

AGREEMENT5 = LikertScale(
    ("Strongly disagree", "Disagree", "Neither agree nor disagree", "Agree", "Strongly agree"),
    synonyms=(("Neutral", "Neither agree nor disagree"), ("Neither", "Neither agree nor disagree")),
    name="five-point agreement",
)
"""Five-point agreement scale, Strongly disagree .. Strongly agree."""

FREQUENCY5 = LikertScale(
    ("Never", "Rarely", "Sometimes", "Often", "Always"),
    name="five-point frequency (Never .. Always)",
)
"""Five-point frequency scale, Never .. Always."""

SATISFACTION5 = LikertScale(
    ("Very dissatisfied", "Dissatisfied", "Neither satisfied nor dissatisfied", "Satisfied", "Very satisfied"),
    synonyms=(("Neutral", "Neither satisfied nor dissatisfied"), ("Neither", "Neither satisfied nor dissatisfied")),
    name="five-point satisfaction (Very dissatisfied .. Very satisfied)",
)
"""Five-point satisfaction scale, Very dissatisfied .. Very satisfied."""


def default_scale(scale: "LikertScale | None", option: str = "scale") -> LikertScale:
    """The scale a function uses: ``scale``, or :data:`LEVEL5` for ``None`` -- the one default.

    Every function of the package that reads answers takes ``scale=None``
    and means :data:`LEVEL5` by it (a function of counts alone means the WAI
    weights on as many points as counts, which are LEVEL5's on five).

    >>> default_scale(None) is LEVEL5
    True
    >>> default_scale("level5")
    Traceback (most recent call last):
    ...
    wai.errors.OptionError: scale: got 'level5', expected a wai.scales.LikertScale (e.g. wai.LEVEL5) or None (wai.scales.parse_scale reads a spelling such as 'level5' or 'numeric:1-7')
    """
    if scale is None:
        return LEVEL5
    if not isinstance(scale, LikertScale):
        from wai.errors import OptionError

        raise OptionError(option, scale, "a wai.scales.LikertScale (e.g. wai.LEVEL5) or None",
                          "wai.scales.parse_scale reads a spelling such as 'level5' or 'numeric:1-7'")
    return scale


def scale_from_spec(labels: Sequence[str] | None = None, *, numeric: tuple[int, int] | None = None,
                    **kwargs: Any) -> LikertScale:
    """Build a scale from either labels or a numeric range (used by codebooks and the CLI).

    >>> scale_from_spec(numeric=(1, 7)).points
    7
    """
    if (labels is None) == (numeric is None):
        raise ScaleError("give either labels or a numeric range for the scale, not both or neither")
    if numeric is not None:
        return LikertScale.numeric(*numeric, **kwargs)
    return LikertScale(tuple(labels), **kwargs)  # type: ignore[arg-type]


PRESETS: dict[str, LikertScale] = {
    "level5": LEVEL5,
    "agreement5": AGREEMENT5,
    "frequency5": FREQUENCY5,
    "satisfaction5": SATISFACTION5,
}
"""The one registry of named scales, for ``--scale NAME``, codebooks and :mod:`wai.study.draft`."""


def parse_scale(spec: str, non_scale: Sequence[str] | None = None, *, option: str = "scale") -> LikertScale:
    """A scale from its text spelling: a preset name, ``numeric:LO-HI`` or ``labels:A|B|C``.

    Raises :class:`~wai.errors.OptionError` naming ``option`` when the spelling is not one of these.

    >>> parse_scale("numeric:1-6").points, parse_scale("labels:No|Yes").labels
    (6, ('No', 'Yes'))
    >>> parse_scale("agreement5").labels[0]
    'Strongly disagree'
    """
    from wai.errors import OptionError

    allowed = f"one of {', '.join(PRESETS)}, numeric:LO-HI or labels:A|B|C (lowest first)"
    if not isinstance(spec, str):
        raise OptionError(option, spec, allowed)
    text = spec.strip()
    extra: dict[str, Any] = {} if non_scale is None else {"non_scale": tuple(non_scale)}
    if text.lower() in PRESETS:
        preset = PRESETS[text.lower()]
        if not extra:
            return preset
        return LikertScale(preset.labels, non_scale=extra["non_scale"], synonyms=preset.synonyms, name=preset.name)
    kind, _, rest = text.partition(":")
    if kind == "numeric":
        lo, _, hi = rest.partition("-")
        try:
            low, high = int(lo), int(hi)
        except ValueError:
            raise OptionError(option, spec, "numeric:LO-HI with whole numbers, e.g. numeric:1-5") from None
        if not 2 <= high - low + 1 <= MAX_POINTS:
            raise OptionError(option, spec, f"numeric:LO-HI with 2 to {MAX_POINTS} points")
        return LikertScale.numeric(low, high, **extra)
    if kind == "labels":
        labels = tuple(x.strip() for x in rest.split("|"))
        expected = f"labels:A|B|C with 2 to {MAX_POINTS} non-empty labels"
        if not 2 <= len(labels) <= MAX_POINTS or any(not x for x in labels):
            raise OptionError(option, spec, expected)
        try:
            return LikertScale(labels, **extra)
        except ScaleError as exc:
            raise OptionError(option, spec, expected, str(exc)) from None
    from wai._checks import nearest

    raise OptionError(option, spec, allowed, nearest(text, PRESETS))
