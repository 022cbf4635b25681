"""The index itself: an exact function of category counts.

For counts ``F_1..F_K`` of answers on a scale with weights ``W_1..W_K``::

    index = sum(F_k * W_k) / sum(F_k)

With the WAI weights ``W_k = (k - 1)/(K - 1)`` this is ``(mean - 1)/(K - 1)``
for answers coded 1..K. Two other schemes are in use and convert exactly on
an equally spaced scale:

========  ====================  ==================================
scheme    weights               relation to the WAI
========  ====================  ==================================
``wai``   ``(k - 1)/(K - 1)``   --
``rii``   ``k / K``             ``RII = 1/K + (K - 1)/K * WAI``
``mean``  ``k``                 ``mean = 1 + (K - 1) * WAI``
========  ====================  ==================================

Counts may be integers (unweighted) or non-negative weighted totals; the
result is an exact :class:`~fractions.Fraction` either way (float totals
are taken by their shortest decimal representation, as
:func:`wai.exact.as_fraction` does).

Examples
--------
>>> from wai.scales import LEVEL5
>>> r = item_index([5, 15, 28, 37, 14], LEVEL5)
>>> int(r.n), r.value, str(r.rounded), r.band
(99, Fraction(119, 198), '0.60', 'Neutral')
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from typing import Literal, Sequence

from wai._checks import check_decimals, nearest
from wai.bands import CHAPTER11_BANDS, BandScheme, BandVerdict
from wai.errors import OptionError, ScaleError
from wai.exact import Number, as_fraction, round_half_up
from wai.scales import LikertScale

__all__ = [
    "SCHEMES",
    "scheme_weights",
    "index_from_counts",
    "wai_from_counts",
    "convert",
    "ItemIndex",
    "item_index",
]

Scheme = Literal["wai", "rii", "mean"]
SCHEMES: tuple[str, ...] = ("wai", "rii", "mean")


def scheme_weights(points: int, scheme: Scheme = "wai") -> tuple[Fraction, ...]:
    """Weights of each category, lowest first, under a scheme.

    >>> [str(w) for w in scheme_weights(5, "rii")]
    ['1/5', '2/5', '3/5', '4/5', '1']
    """
    if points < 2:
        raise ScaleError(f"a scale needs at least 2 points, got {points}")
    if scheme == "wai":
        return tuple(Fraction(k, points - 1) for k in range(points))
    if scheme == "rii":
        return tuple(Fraction(k, points) for k in range(1, points + 1))
    if scheme == "mean":
        return tuple(Fraction(k) for k in range(1, points + 1))
    raise OptionError("scheme", scheme, "one of " + ", ".join(map(repr, SCHEMES)), nearest(scheme, SCHEMES))


def _check_counts(counts: Sequence[Number], points: int) -> tuple[Fraction, ...]:
    values = tuple(as_fraction(c) for c in counts)
    if len(values) != points:
        raise ScaleError(f"expected {points} counts (one per category), got {len(values)}")
    if any(v < 0 for v in values):
        raise ScaleError(f"counts must be non-negative, got {[str(v) for v in values]}")
    if sum(values) == 0:
        raise ScaleError("the index is undefined when no answer is on the scale (all counts are 0)")
    return values


def index_from_counts(counts: Sequence[Number], weights: Sequence[Number]) -> Fraction:
    """``sum(F_k W_k) / sum(F_k)`` exactly.

    >>> index_from_counts([1, 0, 1], [0, "0.5", 1])
    Fraction(1, 2)
    """
    w = tuple(as_fraction(x) for x in weights)
    f = _check_counts(counts, len(w))
    return sum((fi * wi for fi, wi in zip(f, w)), Fraction(0)) / sum(f)


def wai_from_counts(
    counts: Sequence[Number], scale: LikertScale | None = None, scheme: Scheme = "wai"
) -> Fraction:
    """The WAI (or RII, or mean) of category counts, as an exact fraction.

    Parameters
    ----------
    counts : sequence of int or weighted totals
        One per category, lowest first.
    scale : LikertScale, optional
        Its weights are used for ``scheme="wai"``; default equally spaced.
    scheme : {"wai", "rii", "mean"}
        ``rii`` and ``mean`` need an equally spaced scale.

    Examples
    --------
    >>> wai_from_counts([0, 0, 0, 0, 99])
    Fraction(1, 1)
    >>> wai_from_counts([1, 1, 1, 1, 1], scheme="mean")
    Fraction(3, 1)
    """
    points = len(counts)
    if scale is not None and scale.points != points:
        raise ScaleError(f"scale {scale.name or scale.labels!r} has {scale.points} points, got {points} counts")
    if scheme == "wai" and scale is not None:
        return index_from_counts(counts, scale.weights)
    if scale is not None and not scale.equally_spaced:
        raise ScaleError(f"the {scheme!r} scheme needs an equally spaced scale")
    return index_from_counts(counts, scheme_weights(points, scheme))


def convert(value: Number, points: int, source: Scheme, target: Scheme) -> Fraction:
    """Convert an index exactly between the ``wai``, ``rii`` and ``mean`` schemes.

    >>> convert("0.5", 5, "wai", "mean"), convert(3, 5, "mean", "rii")
    (Fraction(3, 1), Fraction(3, 5))
    """
    if points < 2:
        raise ScaleError(f"a scale needs at least 2 points, got {points}")
    x = as_fraction(value)
    k = points
    if source == "wai":
        wai = x
    elif source == "rii":
        wai = (x * k - 1) / (k - 1)
    elif source == "mean":
        wai = (x - 1) / (k - 1)
    else:
        raise OptionError("source", source, "one of " + ", ".join(map(repr, SCHEMES)), nearest(source, SCHEMES))
    if target == "wai":
        return wai
    if target == "rii":
        return Fraction(1, k) + Fraction(k - 1, k) * wai
    if target == "mean":
        return 1 + (k - 1) * wai
    raise OptionError("target", target, "one of " + ", ".join(map(repr, SCHEMES)), nearest(target, SCHEMES))


@dataclass(frozen=True)
class ItemIndex:
    """An item's WAI from its counts: exact value, printed value and its band verdict.

    The band under both rules is the :class:`~wai.bands.BandVerdict` in
    ``verdict``; ``band``, ``band_exact`` and ``depends_on_rule`` read it, so
    the two classes share one vocabulary. ``rounded`` is the value rounded to
    the ``decimals`` asked of :func:`item_index` (``verdict.rounded`` to the
    band scheme's).
    """

    counts: tuple[Fraction, ...]
    n: Fraction
    value: Fraction
    rounded: Decimal
    verdict: BandVerdict

    @property
    def band(self) -> str:
        """The band of the value rounded to the scheme's decimals (the rounded rule)."""
        return self.verdict.band

    @property
    def band_exact(self) -> str:
        """The band of the exact value (the exact rule)."""
        return self.verdict.band_exact

    @property
    def depends_on_rule(self) -> bool:
        """True when the rounded-then-classified band differs from the exact one."""
        return self.verdict.depends_on_rule


def item_index(
    counts: Sequence[Number],
    scale: LikertScale | None = None,
    bands: BandScheme = CHAPTER11_BANDS,
    decimals: int = 2,
) -> ItemIndex:
    """WAI of one item with its rounded value and band verdicts.

    >>> r = item_index([0, 0, 0, 1, 0])
    >>> str(r.rounded), r.band, r.depends_on_rule
    ('0.75', 'High', False)
    """
    value = wai_from_counts(counts, scale)
    verdict = bands.classify_both(value)
    f = tuple(as_fraction(c) for c in counts)
    return ItemIndex(
        counts=f,
        n=sum(f, Fraction(0)),
        value=value,
        rounded=round_half_up(value, check_decimals(decimals)),
        verdict=verdict,
    )
