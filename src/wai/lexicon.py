"""A lexicon of known ordered answer scales, for recognising a survey export's scales from its answers.

Each :class:`KnownScale` is one K-point scale of a family (agreement,
frequency, satisfaction, importance, likelihood, accuracy, quality, level,
yes/no), lowest first, with the common variant spellings of its labels
("Neutral" for "Neither agree nor disagree", "Seldom" for "Rarely").
Answers are compared in :func:`answer_key` form: NFKC, case folded,
apostrophes dropped, ``-`` and ``_`` read as spaces, runs of spaces one.

:func:`fitting` lists the scales every answer of a set belongs to, with how
many of their points the answers reach; :func:`best_fit` picks one **only
of the length the answers reach**: a set of K distinct points is never
mapped onto a scale of another length (the three answers Low, Medium, High
are the three-point level scale, not three points of the five-point one).
When no scale of that length holds them, the shortest that does is
returned with ``complete = False``, which a caller lists as a guess to
check.

Numeric scales (``0..10``, ``1..K``) are not listed here: a numeric answer
set is its own scale (:mod:`wai.study.draft`).

Examples
--------
>>> best_fit({"low", "medium", "high"}).scale.name
'level3'
>>> fit = best_fit({"very inaccurate", "slightly accurate", "very accurate"})
>>> fit.scale.name, fit.complete, fit.reached
('accuracy6', False, 3)
>>> [s.name for s in LEXICON if s.family == "agreement"]
['agreement2', 'agreement3', 'agreement4', 'agreement5', 'agreement6', 'agreement7']
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Iterable, Sequence

from wai.scales import LikertScale, normalize_label

__all__ = ["KnownScale", "Fit", "LEXICON", "FAMILIES", "answer_key", "fitting", "best_fit", "by_name"]


def answer_key(text: object) -> str:
    """The form in which answers are compared with the lexicon.

    >>> answer_key("  Don\u2019t_KNOW "), answer_key("Very-Inaccurate")
    ('dont know', 'very inaccurate')
    """
    key = normalize_label(str(text)).replace("'", "").replace("-", " ").replace("_", " ")
    return re.sub(r"\s+", " ", key).strip()


@dataclass(frozen=True)
class KnownScale:
    """One known K-point scale.

    Attributes
    ----------
    name : str
        ``<family><K>``, e.g. ``"agreement7"``.
    family : str
        One of :data:`FAMILIES`.
    labels : tuple of str
        The K labels, lowest first.
    variants : tuple of (str, str)
        ``(variant, label)``: other spellings of a label.
    """

    name: str
    family: str
    labels: tuple[str, ...]
    variants: tuple[tuple[str, str], ...] = ()

    @property
    def points(self) -> int:
        """K, the number of points."""
        return len(self.labels)

    def point_of(self, key: str) -> int | None:
        """The point (0..K-1) of an answer in :func:`answer_key` form, or None.

        >>> by_name("agreement5").point_of("neutral")
        2
        """
        for i, label in enumerate(self.labels):
            if answer_key(label) == key:
                return i
        for variant, label in self.variants:
            if answer_key(variant) == key:
                return self.labels.index(label)
        return None

    def likert(self, **kwargs: object) -> LikertScale:
        """This scale as a :class:`~wai.scales.LikertScale` (the variants its synonyms).

        >>> by_name("level3").likert().labels
        ('Low', 'Medium', 'High')
        """
        return LikertScale(self.labels, synonyms=self.variants, **kwargs)  # type: ignore[arg-type]


def _s(family: str, labels: Sequence[str], variants: dict[str, str] | None = None) -> KnownScale:
    return KnownScale(f"{family}{len(labels)}", family, tuple(labels), tuple((variants or {}).items()))


_NEUTRAL_AGREE = {"Neutral": "Neither agree nor disagree", "Neither": "Neither agree nor disagree",
                  "Neither agree or disagree": "Neither agree nor disagree",
                  "Neither disagree nor agree": "Neither agree nor disagree",
                  "Undecided": "Neither agree nor disagree"}
_STRONG_AGREE = {"Completely disagree": "Strongly disagree", "Totally disagree": "Strongly disagree",
                 "Disagree strongly": "Strongly disagree", "Completely agree": "Strongly agree",
                 "Totally agree": "Strongly agree", "Agree strongly": "Strongly agree"}
_SOMEWHAT_AGREE = {"Slightly disagree": "Somewhat disagree", "Mildly disagree": "Somewhat disagree",
                   "Tend to disagree": "Somewhat disagree", "Disagree somewhat": "Somewhat disagree",
                   "Slightly agree": "Somewhat agree", "Mildly agree": "Somewhat agree",
                   "Tend to agree": "Somewhat agree", "Agree somewhat": "Somewhat agree"}
_NEUTRAL_SAT = {"Neutral": "Neither satisfied nor dissatisfied", "Neither": "Neither satisfied nor dissatisfied",
                "Neither dissatisfied nor satisfied": "Neither satisfied nor dissatisfied"}
_SAT = {"Unsatisfied": "Dissatisfied", "Not satisfied": "Dissatisfied"}
_VERY_SAT = {"Extremely dissatisfied": "Very dissatisfied", "Completely dissatisfied": "Very dissatisfied",
             "Very unsatisfied": "Very dissatisfied", "Extremely satisfied": "Very satisfied",
             "Completely satisfied": "Very satisfied"}
_LIKELY = {"Neutral": "Neither likely nor unlikely", "Neither": "Neither likely nor unlikely",
           "Neither unlikely nor likely": "Neither likely nor unlikely"}
_VERY_LIKELY = {"Extremely unlikely": "Very unlikely", "Extremely likely": "Very likely"}
_FREQ = {"Seldom": "Rarely", "Occasionally": "Sometimes", "Frequently": "Often", "Very often": "Always",
         "Usually": "Often", "Almost always": "Always", "Almost never": "Rarely"}
_ACCURATE = {"Neither accurate nor inaccurate": "Neither inaccurate nor accurate",
             "Neutral": "Neither inaccurate nor accurate"}
_LEVEL = {"Neutral": "Medium", "Moderate": "Medium", "Average": "Medium", "Middle": "Medium"}

LEXICON: tuple[KnownScale, ...] = (
    _s("agreement", ["Disagree", "Agree"]),
    _s("agreement", ["Disagree", "Neither agree nor disagree", "Agree"], _NEUTRAL_AGREE),
    _s("agreement", ["Strongly disagree", "Disagree", "Agree", "Strongly agree"], _STRONG_AGREE),
    _s("agreement", ["Strongly disagree", "Disagree", "Neither agree nor disagree", "Agree", "Strongly agree"],
       _NEUTRAL_AGREE | _STRONG_AGREE),
    _s("agreement", ["Strongly disagree", "Disagree", "Somewhat disagree", "Somewhat agree", "Agree",
                     "Strongly agree"], _STRONG_AGREE | _SOMEWHAT_AGREE),
    _s("agreement", ["Strongly disagree", "Disagree", "Somewhat disagree", "Neither agree nor disagree",
                     "Somewhat agree", "Agree", "Strongly agree"], _NEUTRAL_AGREE | _STRONG_AGREE | _SOMEWHAT_AGREE),
    _s("frequency", ["Never", "Sometimes", "Often"], {"Occasionally": "Sometimes", "Frequently": "Often"}),
    _s("frequency", ["Never", "Sometimes", "Often", "Always"],
       {"Occasionally": "Sometimes", "Frequently": "Often", "Usually": "Often"}),
    _s("frequency", ["Never", "Rarely", "Sometimes", "Often", "Always"], _FREQ),
    _s("frequency", ["Never", "Rarely", "Occasionally", "Sometimes", "Frequently", "Usually", "Always"],
       {"Seldom": "Rarely", "Often": "Frequently", "Almost always": "Usually"}),
    _s("satisfaction", ["Dissatisfied", "Neither satisfied nor dissatisfied", "Satisfied"], _NEUTRAL_SAT | _SAT),
    _s("satisfaction", ["Very dissatisfied", "Dissatisfied", "Satisfied", "Very satisfied"], _SAT | _VERY_SAT),
    _s("satisfaction", ["Very dissatisfied", "Dissatisfied", "Neither satisfied nor dissatisfied", "Satisfied",
                        "Very satisfied"], _NEUTRAL_SAT | _SAT | _VERY_SAT),
    _s("satisfaction", ["Very dissatisfied", "Dissatisfied", "Somewhat dissatisfied",
                        "Neither satisfied nor dissatisfied", "Somewhat satisfied", "Satisfied", "Very satisfied"],
       _NEUTRAL_SAT | _SAT | _VERY_SAT | {"Slightly dissatisfied": "Somewhat dissatisfied",
                                          "Slightly satisfied": "Somewhat satisfied"}),
    _s("importance", ["Not important", "Somewhat important", "Very important"],
       {"Unimportant": "Not important", "Not at all important": "Not important"}),
    _s("importance", ["Not important", "Somewhat important", "Important", "Very important"],
       {"Unimportant": "Not important", "Not at all important": "Not important"}),
    _s("importance", ["Not at all important", "Slightly important", "Moderately important", "Very important",
                      "Extremely important"],
       {"Not important at all": "Not at all important", "Unimportant": "Not at all important",
        "Not important": "Not at all important", "Of little importance": "Slightly important",
        "Somewhat important": "Moderately important"}),
    _s("likelihood", ["Unlikely", "Neither likely nor unlikely", "Likely"], _LIKELY),
    _s("likelihood", ["Very unlikely", "Unlikely", "Likely", "Very likely"], _VERY_LIKELY),
    _s("likelihood", ["Very unlikely", "Unlikely", "Neither likely nor unlikely", "Likely", "Very likely"],
       _LIKELY | _VERY_LIKELY),
    _s("accuracy", ["Very inaccurate", "Moderately inaccurate", "Neither inaccurate nor accurate",
                    "Moderately accurate", "Very accurate"], _ACCURATE),
    _s("accuracy", ["Very inaccurate", "Moderately inaccurate", "Slightly inaccurate", "Slightly accurate",
                    "Moderately accurate", "Very accurate"]),
    _s("quality", ["Poor", "Fair", "Good"]),
    _s("quality", ["Poor", "Fair", "Good", "Excellent"]),
    _s("quality", ["Poor", "Fair", "Good", "Very good", "Excellent"]),
    _s("level", ["Low", "Medium", "High"], _LEVEL),
    _s("level", ["Very low", "Low", "High", "Very high"]),
    _s("level", ["Very low", "Low", "Medium", "High", "Very high"], _LEVEL),
    _s("yes/no", ["No", "Yes"]),
)
"""Every known scale, in the order ties between equally good fits are broken."""

FAMILIES: tuple[str, ...] = tuple(dict.fromkeys(s.family for s in LEXICON))
"""The families of :data:`LEXICON`, in order."""


def by_name(name: str) -> KnownScale:
    """The lexicon's scale of that name (``"agreement5"``); KeyError when there is none.

    >>> by_name("yes/no2").labels
    ('No', 'Yes')
    """
    for s in LEXICON:
        if s.name == name:
            return s
    raise KeyError(name)


@dataclass(frozen=True)
class Fit:
    """How a set of answers sits on one known scale.

    Attributes
    ----------
    scale : KnownScale
    points : dict of str to int
        Each answer (key form) and its point, 0..K-1.
    reached : int
        Distinct points the answers reach.
    complete : bool
        Every point of the scale is reached (``reached == K``).
    """

    scale: KnownScale
    points: dict[str, int]
    reached: int
    complete: bool


def fitting(keys: Iterable[str]) -> list[Fit]:
    """Every known scale holding all the answers (in :func:`answer_key` form), in lexicon order.

    >>> [f.scale.name for f in fitting({"agree", "disagree"})]
    ['agreement2', 'agreement3', 'agreement4', 'agreement5', 'agreement6', 'agreement7']
    """
    wanted = list(dict.fromkeys(keys))
    out: list[Fit] = []
    if not wanted:
        return out
    for s in LEXICON:
        points = {k: s.point_of(k) for k in wanted}
        if all(p is not None for p in points.values()):
            reached = len(set(points.values()))
            out.append(Fit(s, points, reached, reached == s.points))  # type: ignore[arg-type]
    return out


def best_fit(keys: Iterable[str], family: str | None = None) -> Fit | None:
    """The known scale the answers belong to: one whose every point they reach, else the shortest holding them.

    A scale on which two distinct answers share a point comes after every scale keeping them
    apart. ``family`` limits the choice to one family. Ties go to the lexicon's order.

    >>> best_fit({"never", "rarely", "sometimes", "often", "always"}).scale.name
    'frequency5'
    >>> best_fit({"no", "yes"}).scale.name, best_fit({"blue"}) is None
    ('yes/no2', True)
    """
    wanted = list(dict.fromkeys(keys))
    fits = [f for f in fitting(wanted) if family is None or f.scale.family == family]
    if not fits:
        return None
    # distinct answers on distinct points first: seven frequency words are never folded onto five points
    return min(fits, key=lambda f: (f.reached < len(wanted), not f.complete, f.scale.points))
