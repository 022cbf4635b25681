"""Band schemes: naming an index value Very Low .. Very High.

A :class:`BandScheme` is an ordered list of bands with printed closed ranges
such as ``0.00-0.20, 0.21-0.40, ...`` (chapter 11's five bands are the
default). Two rules classify a value:

``"rounded"`` (default)
    Round the exact value half up to the scheme's decimals, then find the
    printed range that holds it. This is what a reader of the printed table
    does.
``"exact"``
    Classify the unrounded value with right-closed breaks at each band's
    upper bound (``value <= 0.20`` is Very Low, ``0.20 < value <= 0.40`` is
    Low, ...).

The two disagree for values just above a break: 238/396 = 0.6010 prints as
0.60 (Neutral) but exceeds 0.60 (High). :meth:`BandScheme.classify_both`
returns both and says whether they differ.

Band labels have synonyms in the wild (Neutral = Medium = Moderate);
:meth:`BandScheme.canonical` maps a printed label to the scheme's own.

Examples
--------
>>> b = CHAPTER11_BANDS
>>> b.classify(Fraction(238, 396)), b.classify(Fraction(238, 396), rule="exact")
('Neutral', 'High')
>>> b.canonical("medium")
'Neutral'
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from typing import Literal, Mapping, Sequence

from wai.errors import BandError, OptionError
from wai.exact import Number, as_fraction, parse_reported, round_half_up
from wai.scales import normalize_label

__all__ = ["Band", "BandScheme", "BandVerdict", "CHAPTER11_BANDS", "RULES"]

Rule = Literal["rounded", "exact"]
RULES: tuple[str, ...] = ("rounded", "exact")


@dataclass(frozen=True)
class Band:
    """One band: its label and the closed range printed for it."""

    label: str
    low: Fraction
    high: Fraction


@dataclass(frozen=True)
class BandVerdict:
    """A value's band under both rules."""

    value: Fraction
    rounded: Decimal
    band: str
    band_exact: str

    @property
    def depends_on_rule(self) -> bool:
        """True when rounding first and classifying the exact value give different bands."""
        return self.band != self.band_exact


@dataclass(frozen=True)
class BandScheme:
    """Ordered bands with printed closed ranges, contiguous at ``decimals`` resolution.

    Parameters
    ----------
    bands : sequence of Band
        Lowest first. Each band's ``low`` must be one unit of the last
        printed decimal above the previous band's ``high``.
    decimals : int
        Decimals of the printed ranges (2 for ``0.21-0.40``).
    synonyms : mapping of str to str
        Other names of a band, ``{"Medium": "Neutral"}``.
    """

    bands: tuple[Band, ...]
    decimals: int = 2
    synonyms: tuple[tuple[str, str], ...] = ()

    def __post_init__(self) -> None:
        bands = tuple(self.bands)
        if not bands:
            raise BandError("a band scheme needs at least one band")
        step = Fraction(1, 10**self.decimals)
        for prev, band in zip(bands, bands[1:]):
            if band.low != prev.high + step:
                raise BandError(
                    f"bands must be contiguous at {self.decimals} decimals: {prev.label!r} ends at "
                    f"{float(prev.high):.{self.decimals}f} so {band.label!r} should start at "
                    f"{float(prev.high + step):.{self.decimals}f}, not {float(band.low):.{self.decimals}f}"
                )
        for band in bands:
            if band.high < band.low:
                raise BandError(f"band {band.label!r} ends before it starts")
        keys = [normalize_label(b.label) for b in bands]
        if len(set(keys)) != len(keys):
            raise BandError(f"band labels must be distinct, got {[b.label for b in bands]}")
        pairs = self.synonyms.items() if isinstance(self.synonyms, Mapping) else self.synonyms
        synonyms = tuple((str(a), str(t)) for a, t in pairs)
        for alias, target in synonyms:
            if normalize_label(target) not in keys:
                raise BandError(f"band synonym {alias!r} points to {target!r}, which is not a band")
        object.__setattr__(self, "bands", bands)
        object.__setattr__(self, "synonyms", synonyms)

    @classmethod
    def from_ranges(
        cls,
        ranges: Sequence[tuple[str, str, str]],
        synonyms: Mapping[str, str] | None = None,
    ) -> "BandScheme":
        """Build a scheme from printed ranges ``(label, low, high)``, lowest first.

        The decimals are read from the printed text (``"0.21"`` has 2).

        >>> s = BandScheme.from_ranges([("Low", "0.0", "0.5"), ("High", "0.6", "1.0")])
        >>> s.decimals, s.classify("0.55")
        (1, 'High')
        """
        if not ranges:
            raise BandError("a band scheme needs at least one band")
        parsed = [(str(label), parse_reported(lo), parse_reported(hi)) for label, lo, hi in ranges]
        decimals = {r.decimals for _, lo, hi in parsed for r in (lo, hi)}
        if len(decimals) != 1:
            raise BandError(f"band ranges must all be printed with the same decimals, got {sorted(decimals)}")
        bands = tuple(Band(label, Fraction(lo.value), Fraction(hi.value)) for label, lo, hi in parsed)
        return cls(bands, decimals=decimals.pop(), synonyms=tuple((synonyms or {}).items()))

    @property
    def labels(self) -> tuple[str, ...]:
        return tuple(b.label for b in self.bands)

    @property
    def breaks(self) -> tuple[Fraction, ...]:
        """Upper bounds of every band but the last (the right-closed breaks)."""
        return tuple(b.high for b in self.bands[:-1])

    def canonical(self, label: str) -> str:
        """The scheme's own name for a printed band label (case and synonyms resolved).

        Raises
        ------
        BandError
            If the label is neither a band nor a declared synonym.
        """
        key = normalize_label(label)
        for band in self.bands:
            if normalize_label(band.label) == key:
                return band.label
        for alias, target in self.synonyms:
            if normalize_label(alias) == key:
                return self.canonical(target)
        raise BandError(
            f"band label {label!r} is not one of {list(self.labels)} "
            f"(synonyms: {[a for a, _ in self.synonyms]})"
        )

    def classify(self, value: Number, rule: Rule = "rounded") -> str:
        """The band of a value under one rule.

        Values below the first band or above the last are placed in the first
        or last band; index values never leave the scheme's range when the
        scheme covers 0..1.

        >>> [CHAPTER11_BANDS.classify(v) for v in ("0.20", "0.2049", "0.205", "0.81")]
        ['Very Low', 'Very Low', 'Low', 'Very High']
        >>> CHAPTER11_BANDS.classify("0.2001", rule="exact")
        'Low'
        """
        if rule == "rounded":
            x = Fraction(round_half_up(value, self.decimals))
        elif rule == "exact":
            x = as_fraction(value)
        else:
            raise OptionError("rule", rule, "one of " + ", ".join(map(repr, RULES)))
        for band in self.bands[:-1]:
            if x <= band.high:
                return band.label
        return self.bands[-1].label

    def classify_both(self, value: Number) -> BandVerdict:
        """Both rules at once, and whether they disagree.

        >>> v = CHAPTER11_BANDS.classify_both(Fraction(238, 396))
        >>> v.band, v.band_exact, v.depends_on_rule
        ('Neutral', 'High', True)
        """
        exact = as_fraction(value)
        return BandVerdict(
            value=exact,
            rounded=round_half_up(exact, self.decimals),
            band=self.classify(exact, "rounded"),
            band_exact=self.classify(exact, "exact"),
        )


CHAPTER11_BANDS = BandScheme.from_ranges(
    [
        ("Very Low", "0.00", "0.20"),
        ("Low", "0.21", "0.40"),
        ("Neutral", "0.41", "0.60"),
        ("High", "0.61", "0.80"),
        ("Very High", "0.81", "1.00"),
    ],
    synonyms={"Medium": "Neutral", "Moderate": "Neutral"},
)
"""Chapter 11's five bands for a 0..1 index, printed at 2 decimals."""
