"""Rebuild a plausible raw-response file from a study's published numbers, by a seeded procedure.

Chapter 11's raw responses were never published. This module makes a
*reconstruction*: a respondent-level file that reproduces every published
number that can be reproduced, and is labelled as a reconstruction wherever
it is used. The procedure reads nothing but the codebook, and with the same
seed writes the same bytes (it uses :class:`random.Random`, whose streams
are stable across Python versions, and no numpy randomness).

The procedure, in order:

1. **Sample size** ``N``: the one published ``n`` marked ``reproduce``.
2. **Demographic fields**: published counts are used as they are. Published
   percentages are turned into counts by the exact consistency search
   (:func:`wai.consistency.consistent_sample_sizes`): if they fit ``N``,
   counts out of ``N``; if not, the largest ``m < N`` they fit, and the
   other ``N - m`` respondents leave the field blank (the percentages are
   then shares of those who answered). Within the rounding intervals,
   counts are chosen by the seed so that they sum to ``m``.
3. **A latent attitude** per respondent (standard normal), so items
   correlate as real attitude items do.
4. **Each item**: its target is the published WAI, else the codebook's
   illustrative ``target_wai``. Items with illustrative targets get 0-3
   non-answers ("Don't know" or blank); items with a published WAI are
   answered by all ``N``. The seed picks a total ``S`` among those whose
   WAI ``S / (n (K - 1))`` rounds to the target
   (:func:`wai.consistency.wai_sum_range`); category counts come from a
   discretised normal around ``S / n`` and are nudged one answer at a time
   until they total ``S``. Respondents are ranked by attitude plus item
   noise and given categories in that order.

Examples
--------
>>> from wai.study import load_study
>>> import pathlib
>>> study = load_study(pathlib.Path("data/raw/chapter11"))  # doctest: +SKIP
>>> frame = reconstruct(study)  # doctest: +SKIP
"""

from __future__ import annotations

import math
import random

import pandas as pd

from wai.consistency import consistent_sample_sizes, wai_sum_range
from wai.feasible import feasible_counts
from wai.errors import CodebookError, Problem
from wai.study import Field, Item, Study

__all__ = ["reconstruct", "category_counts_for_sum"]

_NOISE_SD = 1.0
_MAX_CANDIDATES = 10_000
_SPREAD_SD = 0.9


def _normal_cdf(x: float) -> float:
    return 0.5 * (1.0 + math.erf(x / math.sqrt(2.0)))


def category_counts_for_sum(n: int, total: int, points: int, rng: random.Random) -> list[int]:
    """Counts of ``n`` answers on ``points`` categories coded ``0..K-1`` whose codes sum to ``total``.

    Starts from a discretised normal around ``total / n`` and moves single
    answers one category up or down (chosen by ``rng``) until the sum is met.

    >>> c = category_counts_for_sum(99, 238, 5, random.Random(1))
    >>> sum(c), sum(k * x for k, x in enumerate(c))
    (99, 238)
    """
    if not 0 <= total <= n * (points - 1):
        raise ValueError(f"total {total} is impossible for {n} answers on {points} points")
    mu = total / n
    probs = []
    for k in range(points):
        lo = -math.inf if k == 0 else (k - 0.5 - mu) / _SPREAD_SD
        hi = math.inf if k == points - 1 else (k + 0.5 - mu) / _SPREAD_SD
        probs.append(_normal_cdf(hi) - _normal_cdf(lo))
    raw = [p * n for p in probs]
    counts = [math.floor(x) for x in raw]
    by_remainder = sorted(range(points), key=lambda k: (-(raw[k] - counts[k]), k))
    for k in by_remainder[: n - sum(counts)]:
        counts[k] += 1
    current = sum(k * c for k, c in enumerate(counts))
    while current != total:
        step = 1 if current < total else -1
        movable = [k for k in range(points) if counts[k] > 0 and 0 <= k + step < points]
        k = rng.choice(movable)
        counts[k] -= 1
        counts[k + step] += 1
        current += step
    return counts


def _sample_size(study: Study) -> int:
    ns = [p for p in study.published if p.quantity == "n" and p.reproduce]
    if len(ns) != 1:
        raise CodebookError([Problem(str(study.codebook_path), None, "published", [p.value for p in ns],
                                     "exactly one published n with reproduce = true",
                                     "the reconstruction needs one sample size to build")])
    return int(ns[0].value)


def _field_values(study: Study, fld: Field, n: int, rng: random.Random) -> list[str | None]:
    counts = {p.category: int(p.value) for p in study.published
              if p.field == fld.id and p.quantity == "count" and p.reproduce}
    percents = [(p.category, p.value) for p in study.published
                if p.field == fld.id and p.quantity == "percent" and p.reproduce]
    where = str(study.codebook_path)
    if counts:
        if sum(counts.values()) > n:
            raise CodebookError([Problem(where, None, f"published counts of {fld.id}", sum(counts.values()),
                                         f"at most n = {n}")])
    elif percents:
        printed = [v for _, v in percents]
        sizes = consistent_sample_sizes(printed, max_n=n)
        if not sizes:
            raise CodebookError([Problem(where, None, f"published percentages of {fld.id}", printed,
                                         f"percentages some sample size up to {n} can produce")])
        m = sizes[-1]
        candidates = list(feasible_counts(m, len(printed), percents=printed).vectors(limit=_MAX_CANDIDATES))
        chosen = candidates[0] if len(candidates) == 1 else rng.choice(candidates)
        counts = {cat: c for (cat, _), c in zip(percents, chosen)}
    else:
        return [None] * n
    values: list[str | None] = [cat for cat, c in counts.items() for _ in range(c)]
    values += [None] * (n - len(values))
    rng.shuffle(values)
    return values


def _item_answers(study: Study, item: Item, attitude: list[float], rng: random.Random) -> list[str | None]:
    n_all = len(attitude)
    k = study.scale.points
    target = item.target
    if target is None:
        raise CodebookError([Problem(str(study.codebook_path), None, f"items.{item.id}", None,
                                     "published_wai or target_wai", "the reconstruction needs a target")])
    skipped = 0 if item.published_wai else rng.randrange(0, 4)
    respondents = list(range(n_all))
    non_answer = set(rng.sample(respondents, skipped))
    answering = [i for i in respondents if i not in non_answer]
    sums = wai_sum_range(target, len(answering), k)
    if sums is None:
        raise CodebookError([Problem(str(study.codebook_path), None, f"items.{item.id}", target,
                                     f"a WAI that {len(answering)} answers can produce")])
    total = rng.choice(list(sums))
    counts = category_counts_for_sum(len(answering), total, k, rng)
    order = sorted(answering, key=lambda i: (attitude[i] + rng.gauss(0.0, _NOISE_SD), i))
    answers: list[str | None] = [None] * n_all
    position = 0
    for category, c in enumerate(counts):
        for i in order[position:position + c]:
            answers[i] = study.scale.labels[category]
        position += c
    dont_know = study.scale.non_scale[0] if study.scale.non_scale else None
    for i in sorted(non_answer):
        answers[i] = dont_know if rng.random() < 0.5 else None
    return answers


def reconstruct(study: Study, seed: int | None = None) -> pd.DataFrame:
    """A respondent-level response frame reproducing the study's published numbers.

    Parameters
    ----------
    study : Study
        Its codebook gives n, the published counts/percentages and each
        item's target.
    seed : int, optional
        Default: the codebook's ``seed``.

    Returns
    -------
    pandas.DataFrame
        Columns: the respondent id, each field's column, each item's column,
        with text answers (blank cells as ``None``).
    """
    if not study.scale.equally_spaced:
        raise CodebookError([Problem(str(study.codebook_path), None, "scale.weights", study.scale.weights,
                                     "equally spaced weights for a reconstruction")])
    seed = study.seed if seed is None else seed
    if seed is None:
        raise CodebookError([Problem(str(study.codebook_path), None, "study.seed", None,
                                     "a whole-number seed (or pass --seed)")])
    rng = random.Random(seed)
    n = _sample_size(study)
    columns: dict[str, list] = {}
    columns[study.respondent_id or "respondent_id"] = [f"R{i:03d}" for i in range(1, n + 1)]
    for fld in study.fields:
        columns[fld.column] = _field_values(study, fld, n, rng)
    attitude = [rng.gauss(0.0, 1.0) for _ in range(n)]
    for item in study.items:
        columns[item.column] = _item_answers(study, item, attitude, rng)
    return pd.DataFrame(columns, dtype=object)
