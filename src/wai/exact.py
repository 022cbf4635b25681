"""Exact numbers and rounding, in one place.

A WAI computed from integer counts is a rational number. Everything that
compares, rounds or bands it works on :class:`fractions.Fraction`, and the
only rounding rule the package uses is *half up* (away from zero at exact
halves, as spreadsheets do), applied to the exact value. Float ``round()``
never enters: ``round(0.125, 2)`` gives ``0.12`` (Python rounds ties to
even) and ``round(2.675, 2)`` gives ``2.67`` (the float is just below
2.675), while the exact rule gives ``0.13`` and ``2.68``.

Reported (published) numbers are read as **text**, because the number of
decimals printed says how they were rounded: ``"0.60"`` is any value in
``[0.595, 0.605)``, ``"0.6"`` any value in ``[0.55, 0.65)``.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from fractions import Fraction
from numbers import Rational

from wai.errors import OptionError

__all__ = [
    "as_fraction",
    "round_half_up",
    "format_fixed",
    "ReportedValue",
    "parse_reported",
]

Number = int | Fraction | Decimal | float | str


def as_fraction(value: Number) -> Fraction:
    """Convert a number or numeric text to an exact :class:`Fraction`.

    Floats are taken by their shortest decimal representation (``0.1`` is
    one tenth), which is what a user typing a weight means.

    Examples
    --------
    >>> as_fraction("0.25"), as_fraction(0.1), as_fraction(3)
    (Fraction(1, 4), Fraction(1, 10), Fraction(3, 1))
    >>> as_fraction("2/3")
    Fraction(2, 3)
    """
    if isinstance(value, bool):
        raise TypeError(f"expected a number, got the boolean {value!r}")
    if isinstance(value, Fraction):
        return value
    if isinstance(value, (int, Rational)):
        return Fraction(value)
    if isinstance(value, Decimal):
        if not value.is_finite():
            raise OptionError("value", value, "a finite number")
        return Fraction(value)
    if isinstance(value, float):
        if not math.isfinite(value):
            raise OptionError("value", value, "a finite number")
        return Fraction(Decimal(repr(float(value))))  # float(): numpy's repr is 'np.float64(...)'
    if isinstance(value, str):
        text = value.strip()
        try:
            return Fraction(text)
        except (ValueError, ZeroDivisionError):
            raise OptionError("value", value, "a number (text such as '0.25' or '2/3')") from None
    # numpy scalars and other number types
    try:
        return as_fraction(value.item())
    except AttributeError:
        raise TypeError(f"expected a number, got {type(value).__name__} {value!r}") from None


def round_half_up(value: Number, decimals: int = 2) -> Decimal:
    """Round the exact value half up (away from zero) to ``decimals`` places.

    Parameters
    ----------
    value : int, Fraction, Decimal, float or str
        The value; converted exactly with :func:`as_fraction`.
    decimals : int
        Number of decimal places kept (may be 0).

    Returns
    -------
    Decimal
        With exactly ``decimals`` digits after the point, so ``str()`` prints
        trailing zeros (``Decimal('0.60')``).

    Examples
    --------
    >>> round_half_up("0.125"), round_half_up(Fraction(238, 396)), round_half_up("-0.005")
    (Decimal('0.13'), Decimal('0.60'), Decimal('-0.01'))
    >>> round_half_up(Fraction(2, 3), 0)
    Decimal('1')
    """
    if isinstance(decimals, bool) or not isinstance(decimals, int) or decimals < 0:
        raise OptionError("decimals", decimals, "a whole number of at least 0")
    x = as_fraction(value)
    scaled = abs(x) * 10**decimals
    q = math.floor(scaled + Fraction(1, 2))
    sign = -1 if x < 0 and q != 0 else 1
    return Decimal(f"{sign * q}E-{decimals}")  # exact; scaleb() would round to 28 digits


def format_fixed(value: Number, decimals: int = 2) -> str:
    """Text of ``value`` rounded half up to ``decimals`` places.

    >>> format_fixed(Fraction(119, 198)), format_fixed(1, 2)
    ('0.60', '1.00')
    """
    return str(round_half_up(value, decimals))


@dataclass(frozen=True)
class ReportedValue:
    """A number as printed: its text, its decimals and the exact values it may stand for.

    Under half-up rounding a printed value ``v`` with ``d`` decimals stands
    for every exact value in the half-open interval ``[low, high)`` with
    ``low = v - 5/10^(d+1)`` and ``high = v + 5/10^(d+1)``. For a negative
    printed value the interval is ``(low, high]`` instead, and for zero
    ``(low, high)``; :meth:`contains` is exact in every case.
    """

    text: str
    value: Decimal
    decimals: int
    low: Fraction
    high: Fraction

    def contains(self, exact: Number) -> bool:
        """Whether the exact value rounds (half up) to this printed value.

        >>> parse_reported("0.60").contains(Fraction(119, 198))
        True
        >>> parse_reported("0.60").contains(Fraction(605, 1000))
        False
        """
        return round_half_up(exact, self.decimals) == self.value


def parse_reported(text: str) -> ReportedValue:
    """Read a printed number, keeping the precision its trailing zeros state.

    Examples
    --------
    >>> r = parse_reported("0.60")
    >>> r.decimals, r.low, r.high
    (2, Fraction(119, 200), Fraction(121, 200))
    >>> parse_reported("27.7").decimals
    1
    """
    raw = str(text).strip()
    try:
        value = Decimal(raw)
    except InvalidOperation:
        raise OptionError("text", text, "a printed number such as '0.60'") from None
    if not value.is_finite():
        raise OptionError("text", text, "a finite printed number such as '0.60'")
    exponent = value.as_tuple().exponent
    decimals = max(0, -int(exponent))
    half = Fraction(5, 10 ** (decimals + 1))
    exact = Fraction(value)
    return ReportedValue(text=raw, value=value, decimals=decimals, low=exact - half, high=exact + half)
