"""Band certainty from the exact multinomial bootstrap distribution, and bands of many values at once.

The multinomial bootstrap of a counts row ``F_1..F_K`` (``n`` answers)
draws ``F* ~ Multinomial(n, F/n)``. With integer scores ``a_k`` and a
common denominator ``D`` (``W_k = a_k/D``; ``a_k = k - 1``, ``D = K - 1``
for the WAI weights) a replicate's WAI is ``S*/(n D)`` with the integer
``S* = sum_k a_k F*_k``: the sum of ``n`` independent draws, each ``a_k``
with probability ``F_k/n``. Its distribution is therefore the ``n``-fold
convolution of the observed shares, and the share of bootstrap replicates
in a band, as the number of replicates grows, is the probability of an
integer range of ``S*``. :func:`exact_band_shares` computes that
probability for every row of a counts array without drawing anything:

1. **Screen.** With ``T = S* - S`` (``S`` the observed sum; ``E T = 0``),
   ``sigma^2`` the variance of one draw and ``b`` the largest distance of
   an observed score from the mean, Bernstein's inequality bounds each
   tail, ``P(T >= t) <= exp(-t^2 / (2 (n sigma^2 + b t / 3)))``. A row
   whose two tails outside its band are bounded by ``2^-55`` together has
   share ``1.0`` to float precision (the nearest double below 1 is
   ``1 - 2^-53``): nothing more is computed. This is most rows of a large
   survey. The rows it leaves get Chernoff's bound,
   ``P(T >= t) <= min over l >= 0 of M(l)^n exp(-l t)`` (``M`` the moment
   generating function of one draw; a few Newton steps on ``l``), which is
   the large-deviation rate itself and clears the rows some ten standard
   errors from a band edge that Bernstein's looser bound cannot.
2. **Convolve the rest.** The distribution of ``T`` modulo ``M`` is the
   inverse discrete Fourier transform of its characteristic function at
   ``M`` points, ``phi(theta)^n`` with ``phi(theta) = sum_k p_k
   exp(i theta (a_k - S/n))``. ``M`` covers the whole support of ``T``
   (``n (max a - min a) + 1`` points: no wrap-around, the distribution
   itself) or, when that is longer, a window outside which Bernstein's
   bound leaves less than ``2^-60`` on each side (the wrapped mass).
   ``phi^n`` is taken as ``exp(n log1p(w))`` with ``w = phi - 1`` summed
   from ``expm1`` terms, so that the ``n``-th power does not multiply the
   rounding error of ``phi`` by ``n``. Rows with the same ``M`` are
   transformed together (``numpy.fft.irfft``).
3. **Band.** The share is the sum of the probabilities of the integer
   sums in the row's band, whose limits come from the same integer
   thresholds that classify the estimate (:func:`band_thresholds`): exact,
   with the rounded rule's half-up ties included.

The result agrees with brute-force enumeration of every multinomial
outcome and with a dynamic programme over integer sums to about
``1e-13`` (tests/test_inference.py). A row whose window would exceed
:data:`MAX_EXACT_POINTS` (scales with very fine weights, such as
denominators in the thousands, on very large samples) is left NaN for the
caller's seeded bootstrap.

Bands of values: :func:`band_thresholds` and :func:`classify_sums` give
the band of every ``S / N`` (integers, per-row denominators) under either
rule in int64 arithmetic, and :func:`classify_floats` the band of floats
(interval ends) exactly as :meth:`wai.bands.BandScheme.classify` would
give it on their shortest decimal text.

Examples
--------
>>> import numpy as np
>>> shares = exact_band_shares(np.array([[5, 15, 28, 37, 14], [0, 0, 0, 40, 0]]), (0, 1, 2, 3, 4), 4)
>>> [round(float(x), 4) for x in shares]
[0.5537, 1.0]
"""

from __future__ import annotations

import math
from decimal import Decimal
from fractions import Fraction
from typing import Sequence

import numpy as np

from wai.bands import CHAPTER11_BANDS, RULES, BandScheme
from wai.errors import OptionError

__all__ = ["MAX_EXACT_POINTS", "exact_band_shares", "band_thresholds", "classify_sums", "classify_floats",
           "score_units"]

MAX_EXACT_POINTS = 1 << 21
"""Largest number of points of the exact distribution of one row (beyond it: NaN, for the bootstrap)."""

_SCREEN_LOG = 55 * math.log(2)  # both tails <= 2^-55: the share is 1.0 in float
_WINDOW_LOG = 60 * math.log(2)  # mass outside the window <= 2^-60 on each side
_INT_LIMIT = 1 << 62
_BATCH_CELLS = 1 << 23  # rows x FFT length x categories held at once


def score_units(weights: Sequence[Fraction]) -> tuple[np.ndarray, int]:
    """Integer scores ``a_k`` and the common denominator ``D`` with ``W_k = a_k / D`` exactly.

    >>> a, d = score_units((Fraction(0), Fraction(1, 3), Fraction(1, 2), Fraction(1)))
    >>> a.tolist(), d
    ([0, 2, 3, 6], 6)
    """
    w = [Fraction(x) for x in weights]
    d = math.lcm(*(x.denominator for x in w))
    return np.array([int(x * d) for x in w], dtype=np.int64), d


def _rule(rule: str) -> str:
    if rule not in RULES:
        raise OptionError("rule", rule, "one of " + ", ".join(map(repr, RULES)))
    return rule


def band_thresholds(denominators: np.ndarray, bands: BandScheme = CHAPTER11_BANDS,
                    rule: str = "rounded") -> np.ndarray:
    """Integer thresholds ``t`` with ``S / N`` in band ``i`` iff ``t[i-1] < S <= t[i]``.

    One row of ``len(bands.breaks)`` thresholds per denominator ``N`` (int64,
    ``N >= 1``). ``rule="exact"``: ``t = floor(h N)`` for each break ``h``.
    ``rule="rounded"``: the value is rounded half up (away from zero) to
    ``d = bands.decimals`` places, ``r = round(S/N)`` in units ``1/u``,
    ``u = 10^d``, and ``r <= H = h u`` iff ``S <= floor((N (2H + 1) - 1) / (2u))``
    for ``H >= 0``, ``S <= -ceil(N (2|H| - 1) / (2u))`` for ``H < 0``.
    The caller keeps ``N * (2 h u + 1)`` below ``2^62``.

    >>> band_thresholds(np.array([396]), rule="rounded").tolist()  # 81/396 = 0.2045 prints 0.20
    [[81, 160, 239, 318]]
    >>> band_thresholds(np.array([396]), rule="exact").tolist()
    [[79, 158, 237, 316]]
    """
    rule = _rule(rule)
    n = np.asarray(denominators, dtype=np.int64)
    columns = []
    for h in bands.breaks:
        if rule == "exact":
            columns.append((n * h.numerator) // h.denominator)
            continue
        u = 10**bands.decimals
        big = h * u
        if big.denominator != 1:  # a break finer than the printed decimals: rounded values r <= floor(H)
            big = Fraction(math.floor(big))
        top = int(big)
        if top >= 0:
            columns.append((n * (2 * top + 1) - 1) // (2 * u))
        else:
            columns.append(-(-(n * (2 * -top - 1)) // (2 * u)))
    if not columns:
        return np.zeros((n.size, 0), dtype=np.int64)
    return np.stack(columns, axis=1)


def classify_sums(sums: np.ndarray, denominators: np.ndarray, bands: BandScheme = CHAPTER11_BANDS,
                  rule: str = "rounded") -> np.ndarray:
    """Band index (0 = lowest) of every ``sums[i] / denominators[i]``, exactly, in int64.

    Agrees with :meth:`BandScheme.classify` on ``Fraction(S, N)``; the
    caller keeps the numbers small enough (see :func:`band_thresholds`).

    >>> classify_sums(np.array([238, 238]), np.array([396, 396]), rule="rounded").tolist()
    [2, 2]
    >>> classify_sums(np.array([238]), np.array([396]), rule="exact").tolist()
    [3]
    """
    t = band_thresholds(denominators, bands, rule)
    s = np.asarray(sums, dtype=np.int64)
    return (s[:, None] > t).sum(axis=1).astype(np.int64)


def fits_int64(sums: np.ndarray, denominators: np.ndarray, bands: BandScheme) -> bool:
    """Whether :func:`classify_sums` and the rounding of ``S/N`` stay inside int64 for these numbers."""
    if sums.size == 0:
        return True
    top = max([abs(h) for h in bands.breaks] + [Fraction(1)])
    scale = 2 * 10**bands.decimals * (math.ceil(top) + 1) + 2
    return (int(np.abs(sums).max()) + int(denominators.max())) * scale < _INT_LIMIT


def classify_floats(values: np.ndarray, bands: BandScheme = CHAPTER11_BANDS, rule: str = "rounded") -> np.ndarray:
    """Band index of every finite float, as :meth:`BandScheme.classify` gives it (shortest decimal text).

    A float ``x`` is read as its shortest decimal text ``v`` (``0.1`` is one
    tenth, :func:`wai.exact.as_fraction`). For a break ``c`` that is itself
    the shortest text of ``float(c)``, ``v <= c`` iff ``x <= float(c)`` and
    ``v < c`` iff ``x < float(c)``, since rounding to the nearest double is
    monotone. The exact rule compares with each break ``h``; the rounded
    rule's ``round_half_up(v) <= H/u`` is ``v < (2H + 1)/(2u)`` for ``H >= 0``
    and ``v <= (2H + 1)/(2u)`` for ``H < 0``. Schemes whose cut points are
    not short decimals are classified one value at a time.

    >>> classify_floats(np.array([0.2, 0.2049, 0.205, 0.6049, -0.3]), rule="rounded").tolist()
    [0, 0, 1, 2, 0]
    >>> classify_floats(np.array([0.2, 0.2000001]), rule="exact").tolist()
    [0, 1]
    """
    rule = _rule(rule)
    x = np.asarray(values, dtype=float)
    cuts: list[tuple[float, bool]] = []  # (float cut, strict): the value is at or below the band when x (<|<=) cut
    for h in bands.breaks:
        if rule == "exact":
            c, strict = h, False
        else:
            u = 10**bands.decimals
            top = math.floor(h * u)
            c, strict = Fraction(2 * top + 1, 2 * u), top >= 0
        f = float(c)
        if Fraction(Decimal(repr(f))) != c:
            return np.array([bands.labels.index(bands.classify(float(v), rule))  # type: ignore[arg-type]
                             for v in x.ravel()], dtype=np.int64).reshape(x.shape)
        cuts.append((f, strict))
    index = np.zeros(x.shape, dtype=np.int64)
    for f, strict in cuts:
        index += (x >= f) if strict else (x > f)
    return index


def _smooth_size(m: int) -> int:
    """The smallest 2^a 3^b 5^c at least ``m`` (a fast FFT length)."""
    best = 1 << max(0, (m - 1).bit_length())
    p5 = 1
    while p5 < best:
        p35 = p5
        while p35 < best:
            q = p35
            while q < m:
                q *= 2
            best = min(best, q)
            p35 *= 3
        p5 *= 5
    return best


def _tail_width(n: np.ndarray, var: np.ndarray, reach: np.ndarray, log_bound: float) -> np.ndarray:
    """The ``t`` at which Bernstein's bound ``exp(-t^2 / (2 (n var + reach t / 3)))`` is ``exp(-log_bound)``."""
    lin = log_bound * reach / 3
    return lin + np.sqrt(lin**2 + 2 * log_bound * n * var)


def _chernoff_log_tail(p: np.ndarray, dev: np.ndarray, n: np.ndarray, gap: np.ndarray,
                       steps: int = 12) -> np.ndarray:
    """Log of Chernoff's bound on ``P(T >= gap)``, ``T`` the sum of ``n`` draws of ``dev`` with chances ``p``.

    ``P(T >= t) <= exp(n log M(l) - l t)`` for every ``l >= 0``, ``M`` the
    moment generating function of one draw: far tighter than Bernstein's
    bound in the tails the screen cares about (it is the large-deviation
    rate itself). The ``l`` are Newton steps on that convex exponent from
    ``t / (n var)``, kept at or above 0; the bound holds for each, so the
    smallest value met is returned, converged or not. ``-inf`` where
    ``gap`` exceeds ``n`` times the largest ``dev`` drawn (no sum gets
    there); 0 (no information) where ``gap`` is not positive.

    >>> p, dev = np.array([[0.5, 0.5]]), np.array([[-0.5, 0.5]])  # T = heads - n/2 of n fair coins
    >>> float(np.exp(_chernoff_log_tail(p, dev, np.array([100.0]), np.array([30.0]))[0])) < 2e-8
    True
    """
    drawn = p > 0
    top = np.where(drawn, dev, -np.inf).max(axis=1)
    with np.errstate(invalid="ignore", divide="ignore", over="ignore"):
        log_p = np.where(drawn, np.log(np.where(drawn, p, 1.0)), -np.inf)
        var = np.where(drawn, p * dev**2, 0.0).sum(axis=1)
        lam = np.where((gap > 0) & (var > 0), gap / (n * np.where(var > 0, var, 1.0)), 0.0)
        best = np.zeros(gap.shape)
        for _ in range(steps):
            x = log_p + lam[:, None] * dev
            peak = x.max(axis=1)
            e = np.exp(x - peak[:, None])
            total = e.sum(axis=1)
            tilted = (e * dev).sum(axis=1) / total
            spread = (e * dev**2).sum(axis=1) / total - tilted**2
            value = n * (np.log(total) + peak) - lam * gap
            best = np.minimum(best, np.where(np.isfinite(value), value, 0.0))
            lam = np.maximum(lam - (n * tilted - gap) / np.where(spread > 0, n * spread, np.inf), 0.0)
        out = np.where(gap > n * top, -np.inf, best)
    return np.where(gap > 0, out, 0.0)


def exact_band_shares(counts: np.ndarray, units: Sequence[int] | np.ndarray, denominator: int,
                      bands: BandScheme = CHAPTER11_BANDS, rule: str = "rounded") -> np.ndarray:
    """Probability, under the multinomial bootstrap, that each row's WAI stays in its band.

    Parameters
    ----------
    counts : array ``(rows, K)`` of int
        Answers per category, whole numbers, at least one answer per row.
    units, denominator
        Integer scores ``a_k`` and ``D`` with ``W_k = a_k / D``
        (:func:`score_units`).
    bands, rule
        Band scheme and rule (``"rounded"`` or ``"exact"``).

    Returns
    -------
    numpy.ndarray
        One share per row in ``[0, 1]``; NaN for a row too large to
        convolve (:data:`MAX_EXACT_POINTS`) or with no answers.

    Notes
    -----
    See the module docstring: Bernstein screening, then the distribution of
    ``S* - S`` from its characteristic function by an inverse FFT, summed
    over the band's integer range. The limiting share of
    :func:`wai.inference.band_certainty` with ``method="bootstrap"`` as
    ``n_resamples`` grows.

    Examples
    --------
    >>> exact_band_shares(np.array([[1, 1]]), [0, 1], 1, rule="exact").tolist()  # WAI 1/2 (Neutral): 2 of 4 outcomes
    [0.5]
    """
    rule = _rule(rule)
    f = np.asarray(counts, dtype=np.int64)
    a = np.asarray(units, dtype=np.int64)
    rows = f.shape[0]
    share = np.full(rows, np.nan)
    n = f.sum(axis=1)
    s = f @ a
    den = n * int(denominator)
    live = n > 0
    if not live.any():
        return share
    if not fits_int64(s[live], den[live], bands) or int(n.max()) * int(np.abs(a).max(initial=0) + 1) >= _INT_LIMIT:
        return share
    t = band_thresholds(np.where(live, den, 1), bands, rule)
    idx = (s[:, None] > t).sum(axis=1)  # the band of each row's own WAI
    big = np.int64(_INT_LIMIT)
    padded = np.concatenate([np.full((rows, 1), -big), t, np.full((rows, 1), big)], axis=1)
    lo = padded[np.arange(rows), idx] + 1  # the band holds lo <= S* <= hi
    hi = padded[np.arange(rows), idx + 1]
    p = f / np.where(live, n, 1)[:, None]
    observed = f > 0
    a_lo = np.where(observed, a[None, :], big).min(axis=1)
    a_hi = np.where(observed, a[None, :], -big).max(axis=1)
    mean = s / np.where(live, n, 1)
    dev = a[None, :] - mean[:, None]
    var = (p * dev**2).sum(axis=1)
    reach = np.maximum(a_hi - mean, mean - a_lo)
    nf = n.astype(float)
    below = (s - lo + 1).astype(float)  # leaving the band downwards: T <= -(S - lo + 1)
    above = (hi - s + 1).astype(float)
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        bound = np.zeros(rows)
        for gap in (below, above):
            expo = gap**2 / (2 * (nf * var + reach * gap / 3))
            bound += np.where(np.isfinite(gap) & (gap < 2.0**61), np.exp(-expo), 0.0)
    clear = live & ((var == 0) | (bound <= 2.0**-55))
    near = np.flatnonzero(live & ~clear)  # Bernstein's bound is loose: Chernoff's, on the rows it left
    if near.size:
        tight = sum(np.exp(_chernoff_log_tail(p[near], sign * dev[near], nf[near], gap[near]))
                    for sign, gap in ((-1, below), (1, above)))
        clear[near[tight <= 2.0**-55]] = True
    share[clear] = 1.0
    todo = np.flatnonzero(live & ~clear)
    if todo.size == 0:
        return share
    support = (a_hi - a_lo)[todo] * n[todo] + 1
    width = np.ceil(_tail_width(nf[todo], var[todo], reach[todo], _WINDOW_LOG)).astype(np.int64)
    full = support <= 2 * width + 1
    m = np.where(full, support, 2 * width + 1)
    start = np.where(full, a_lo[todo] * n[todo] - s[todo], -width)  # the window holds T in [start, start + m)
    lengths, which = np.unique(m, return_inverse=True)  # rows share few window lengths
    size = np.array([_smooth_size(int(x)) for x in lengths], dtype=np.int64)[which.reshape(-1)]
    for length in np.unique(size):
        if length > MAX_EXACT_POINTS:
            continue
        sel = np.flatnonzero(size == length)
        step = max(1, _BATCH_CELLS // (int(length) * f.shape[1]))
        for first in range(0, sel.size, step):
            part = sel[first:first + step]
            pick = todo[part]
            share[pick] = _convolved_shares(p[pick], dev[pick], n[pick], int(length), start[part],
                                            lo[pick] - s[pick], hi[pick] - s[pick])
    return share


def _convolved_shares(p: np.ndarray, dev: np.ndarray, n: np.ndarray, length: int, start: np.ndarray,
                      low: np.ndarray, high: np.ndarray) -> np.ndarray:
    """``P(low <= T <= high)`` for rows of the same FFT ``length``, from ``phi(theta)^n``.

    ``T = S* - S`` is the sum of ``n`` draws of ``dev`` (scores minus the
    mean) with probabilities ``p``; only the window ``[start, start + length)``
    is resolved (the rest of the mass is below ``2^-60`` per side, or absent).
    """
    theta = 2 * np.pi * np.arange(length // 2 + 1) / length
    angle = theta[None, :, None] * dev[:, None, :]
    half = np.sin(angle / 2)
    w_re = (p[:, None, :] * (-2 * half * half)).sum(axis=2)  # cos(x) - 1 = -2 sin^2(x/2)
    w_im = (p[:, None, :] * np.sin(angle)).sum(axis=2)
    with np.errstate(divide="ignore"):  # |1 + w| = 0 at some theta: phi^n is 0 there
        log_abs = 0.5 * np.log1p(2 * w_re + w_re**2 + w_im**2)  # log |1 + w|
    arg = np.arctan2(w_im, 1 + w_re)
    nn = n.astype(float)[:, None]
    with np.errstate(under="ignore"):
        phi_n = np.exp(nn * log_abs) * np.exp(1j * (nn * arg))
    # pmf of T mod length: (1/L) sum_j phi(theta_j)^n exp(-i theta_j r), real (phi is Hermitian)
    pmf = np.fft.irfft(np.conj(phi_n), n=length, axis=1)
    r = np.arange(length)[None, :]
    values = (r - start[:, None]) % length + start[:, None]  # the T of each residue, inside the window
    inside = (values >= low[:, None]) & (values <= high[:, None])
    return np.clip((pmf * inside).sum(axis=1), 0.0, 1.0)
