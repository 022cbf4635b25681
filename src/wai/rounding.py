"""Rounding rules, as a named parameter: which exact values a printed number may stand for.

A printed number such as ``"0.60"`` says its precision by its decimals; the
rounding rule says which exact values become it. Every rule maps a printed
value ``v`` with ``d`` decimals (unit ``u = 10^-d``, half unit ``h = u / 2``)
to one interval of exact values, with its ends open or closed:

=================  ==========================================  ====================
rule               what the rule does                          ``v > 0`` stands for
=================  ==========================================  ====================
``up``             half up, away from zero (spreadsheets,      ``[v - h, v + h)``
                   SPSS, SAS, this package's printed values)
``down``           half down, towards zero                     ``(v - h, v + h]``
``even``           half to even (R's and Python's ``round``,   ``[v - h, v + h]`` if
                   numpy, IEEE 754)                            the last digit is
                                                               even, else open
``ceiling``        always up                                   ``(v - u, v]``
``floor``          always down                                 ``[v, v + u)``
``truncate``       digits cut off (towards zero)               ``[v, v + u)``
``anti_truncate``  away from zero                              ``(v - u, v]``
=================  ==========================================  ====================

(For negative values the ``up``, ``down``, ``truncate`` and ``anti_truncate``
intervals are mirrored; scrutiny's non-symmetric ``up`` differs from this
package's only on negative halves.) A ``rounding`` argument is one of those
names, a sequence of them, or one of the named sets:

``up_or_down``         ``up`` and ``down`` (scrutiny's default: either way at a half)
``ceiling_or_floor``   ``ceiling`` and ``floor``
``usual``              ``up``, ``down``, ``even`` and ``truncate``: the rules papers
                       actually use (the audit's default)
``anything``           every rule

A set of rules reproduces a printed value when *some* rule in it does; the
checks say which rules do (:func:`reproducing_rules`). Every interval
contains the printed value itself, so the union over any set of rules is
one interval again (:func:`union_interval`).

Examples
--------
>>> interval("0.60", "up")
Interval(low=Fraction(119, 200), high=Fraction(121, 200), low_closed=True, high_closed=False)
>>> interval("0.60", "truncate").contains(Fraction(6051, 10000))
True
>>> reproducing_rules(Fraction(6051, 10000), "0.60", "usual")
('truncate',)
>>> round_by(Fraction(125, 1000), 2, "even"), round_by(Fraction(125, 1000), 2, "up")
(Decimal('0.12'), Decimal('0.13'))
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from typing import Sequence

from wai.errors import OptionError
from wai.exact import Number, ReportedValue, as_fraction, parse_reported

__all__ = [
    "RULES",
    "RULE_SETS",
    "DEFAULT_ROUNDING",
    "Interval",
    "resolve_rounding",
    "interval",
    "union_interval",
    "round_by",
    "reproducing_rules",
    "integers_in",
    "describe_rules",
]

RULES = ("up", "down", "even", "ceiling", "floor", "truncate", "anti_truncate")
"""The single rounding rules."""
RULE_SETS: dict[str, tuple[str, ...]] = {
    "up_or_down": ("up", "down"),
    "ceiling_or_floor": ("ceiling", "floor"),
    "usual": ("up", "down", "even", "truncate"),
    "anything": RULES,
}
"""Named sets of rules."""
DEFAULT_ROUNDING = "usual"
"""The audit's default: the rules papers actually use."""
_GLOSS = {
    "up": "half up", "down": "half down", "even": "half to even", "ceiling": "ceiling",
    "floor": "floor", "truncate": "truncation", "anti_truncate": "rounding away from zero",
}
_EXPECTED = ("a rounding rule (" + ", ".join(RULES) + "), a set (" + ", ".join(RULE_SETS)
             + ") or a list of rules")


@dataclass(frozen=True)
class Interval:
    """Exact values from ``low`` to ``high``; each end included when its flag says so."""

    low: Fraction
    high: Fraction
    low_closed: bool
    high_closed: bool

    def contains(self, value: Number) -> bool:
        """Whether the exact value lies in the interval.

        >>> Interval(Fraction(0), Fraction(1), True, False).contains(1)
        False
        """
        x = as_fraction(value)
        above = x >= self.low if self.low_closed else x > self.low
        below = x <= self.high if self.high_closed else x < self.high
        return above and below

    def squared(self) -> "Interval":
        """The squares of the interval's non-negative part (for an SD: its variances).

        >>> Interval(Fraction(-1, 2), Fraction(3), False, True).squared()
        Interval(low=Fraction(0, 1), high=Fraction(9, 1), low_closed=True, high_closed=True)
        """
        if self.low < 0:
            return Interval(Fraction(0), self.high**2, True, self.high_closed)
        return Interval(self.low**2, self.high**2, self.low_closed, self.high_closed)


def resolve_rounding(rounding: str | Sequence[str]) -> tuple[str, ...]:
    """The single rules a ``rounding`` argument names, in :data:`RULES` order.

    >>> resolve_rounding("up_or_down"), resolve_rounding(["even", "up"])
    (('up', 'down'), ('up', 'even'))
    """
    if isinstance(rounding, str):
        if rounding in RULE_SETS:
            return RULE_SETS[rounding]
        if rounding in RULES:
            return (rounding,)
        from wai._checks import nearest

        raise OptionError("rounding", rounding, _EXPECTED, nearest(rounding, (*RULES, *RULE_SETS)))
    try:
        names = list(rounding)
    except TypeError:
        raise OptionError("rounding", rounding, _EXPECTED) from None
    if not names or not all(isinstance(r, str) and r in RULES for r in names):
        raise OptionError("rounding", rounding, _EXPECTED)
    return tuple(r for r in RULES if r in names)


def _printed(value: str | ReportedValue) -> ReportedValue:
    return value if isinstance(value, ReportedValue) else parse_reported(value)


def interval(printed: str | ReportedValue, rule: str) -> Interval:
    """The exact values that ``rule`` rounds to the printed value.

    >>> interval("0.5", "even")  # 5 is odd: both halves round away from it
    Interval(low=Fraction(9, 20), high=Fraction(11, 20), low_closed=False, high_closed=False)
    >>> interval("-1.2", "truncate")
    Interval(low=Fraction(-13, 10), high=Fraction(-6, 5), low_closed=False, high_closed=True)
    """
    p = _printed(printed)
    v = Fraction(p.value)
    unit = Fraction(1, 10**p.decimals)
    half = unit / 2
    sign = (v > 0) - (v < 0)
    if rule in ("up", "down"):
        if sign == 0:
            closed = rule == "down"
            return Interval(-half, half, closed, closed)
        away = rule == "up"  # half up: the lower half (in size) belongs to v
        near_closed, far_closed = away, not away
        if sign > 0:
            return Interval(v - half, v + half, near_closed, far_closed)
        return Interval(v - half, v + half, far_closed, near_closed)
    if rule == "even":
        closed = int(abs(v) / unit) % 2 == 0
        return Interval(v - half, v + half, closed, closed)
    if rule == "ceiling":
        return Interval(v - unit, v, False, True)
    if rule == "floor":
        return Interval(v, v + unit, True, False)
    if rule in ("truncate", "anti_truncate"):
        if sign == 0:
            if rule == "truncate":
                return Interval(-unit, unit, False, False)
            return Interval(Fraction(0), Fraction(0), True, True)
        outward = rule == "truncate"  # the values beyond v (in size) round to v
        if outward:
            return Interval(v, v + unit, True, False) if sign > 0 else Interval(v - unit, v, False, True)
        return Interval(v - unit, v, False, True) if sign > 0 else Interval(v, v + unit, True, False)
    raise OptionError("rule", rule, "one of " + ", ".join(RULES))


def union_interval(printed: str | ReportedValue, rounding: str | Sequence[str] = "up") -> Interval:
    """The exact values that some rule of ``rounding`` rounds to the printed value.

    Every rule's interval contains the printed value, so their union is an interval.

    >>> union_interval("0.60", "usual")
    Interval(low=Fraction(119, 200), high=Fraction(61, 100), low_closed=True, high_closed=False)
    """
    parts = [interval(printed, r) for r in resolve_rounding(rounding)]
    low = min(p.low for p in parts)
    high = max(p.high for p in parts)
    return Interval(low, high, any(p.low_closed for p in parts if p.low == low),
                    any(p.high_closed for p in parts if p.high == high))


def round_by(value: Number, decimals: int, rule: str) -> Decimal:
    """Round the exact value to ``decimals`` places by one rule.

    >>> [str(round_by("2.675", 2, r)) for r in ("up", "down", "even", "truncate", "ceiling")]
    ['2.68', '2.67', '2.68', '2.67', '2.68']
    """
    if isinstance(decimals, bool) or not isinstance(decimals, int) or decimals < 0:
        raise OptionError("decimals", decimals, "a whole number of at least 0")
    x = as_fraction(value) * 10**decimals
    a = abs(x)
    sign = -1 if x < 0 else 1
    if rule == "up":
        q = sign * math.floor(a + Fraction(1, 2))
    elif rule == "down":
        q = sign * math.ceil(a - Fraction(1, 2))
    elif rule == "even":
        q = sign * round(a)  # Fraction.__round__ rounds exact halves to even
    elif rule == "ceiling":
        q = math.ceil(x)
    elif rule == "floor":
        q = math.floor(x)
    elif rule == "truncate":
        q = sign * math.floor(a)
    elif rule == "anti_truncate":
        q = sign * math.ceil(a)
    else:
        raise OptionError("rule", rule, "one of " + ", ".join(RULES))
    return Decimal(f"{q}E-{decimals}")


def reproducing_rules(value: Number, printed: str | ReportedValue,
                      rounding: str | Sequence[str] = "up") -> tuple[str, ...]:
    """The rules of ``rounding`` that round the exact value to the printed one.

    >>> reproducing_rules(Fraction(5, 8), "0.62", "anything")
    ('down', 'even', 'floor', 'truncate')
    """
    return tuple(r for r in resolve_rounding(rounding) if interval(printed, r).contains(value))


def integers_in(span: Interval, scale: Fraction | int = 1, offset: int = 0) -> range:
    """The integers ``c`` with ``(c + offset) / scale`` in ``span`` (``scale > 0``); maybe empty.

    >>> integers_in(interval("0.60", "up"), 396)  # WAI = S / 396 from 99 answers
    range(236, 240)
    """
    scale = Fraction(scale)
    lo, hi = span.low * scale, span.high * scale
    first = math.ceil(lo) if span.low_closed else math.floor(lo) + 1
    last = math.floor(hi) if span.high_closed else math.ceil(hi) - 1
    return range(first - offset, max(first, last + 1) - offset)


def describe_rules(rules: Sequence[str]) -> str:
    """Rules in words, for a finding.

    >>> describe_rules(("up", "truncate"))
    'half up or truncation'
    """
    return " or ".join(_GLOSS[r] for r in rules) if rules else "no rule"
