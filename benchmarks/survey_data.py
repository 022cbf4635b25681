"""Deterministic survey data for the benchmarks: the same answers as text, int8 codes or categoricals.

Each respondent answers every item on the five-point level scale
(:data:`wai.scales.LEVEL5`), with "Don't know" and blanks among the text
answers. The answers are drawn once, as small integer *slots*, from a seeded
``numpy.random.Generator``; every input kind is built from the same slots,
so every method counts the same answers.

Slots: ``0..4`` the categories Very Low .. Very High, ``5`` "Don't know",
``6`` a blank.

Text columns hold one Python string object per distinct answer, shared by
every cell with that answer, as pandas' ``read_csv`` and wai's own readers
build them (both keep one object per distinct value of a column).
"""

from __future__ import annotations

import gc
import time
from typing import Callable

import numpy as np
import pandas as pd

from wai.scales import LEVEL5

SHARES = np.array([0.10, 0.20, 0.30, 0.20, 0.12, 0.04, 0.04])
"""Share of each slot: five categories, Don't know, blank."""
LABELS = list(LEVEL5.labels) + ["Don't know"]
"""The text of slots 0..5 as an export has them (slot 6 is blank)."""
LABEL_TO_WEIGHT = {label: float(w) for label, w in zip(LEVEL5.labels, LEVEL5.weights)}
"""What a straightforward pandas script maps labels to (Don't know and blanks become NaN)."""
CODE_TO_WEIGHT = {code: float(w) for code, w in zip(LEVEL5.codes, LEVEL5.weights)}
"""The same for numeric codes 1..5."""


def item_names(items: int) -> list[str]:
    return [f"q{i + 1}" for i in range(items)]


def slots(
    rows: int, items: int, seed: int = 20240601, answered_only: bool = False
) -> dict[str, np.ndarray]:
    """Per item, an int8 array of slots (see the module docstring), drawn from ``default_rng(seed)``.

    ``answered_only`` draws only the five categories (shares renormalised):
    integer code columns have no cell for a blank.
    """
    shares = SHARES[:5] / SHARES[:5].sum() if answered_only else SHARES
    edges = np.cumsum(shares)[:-1]
    rng = np.random.default_rng(seed)
    return {name: np.searchsorted(edges, rng.random(rows), side="right").astype(np.int8)
            for name in item_names(items)}


def text_frame(drawn: dict[str, np.ndarray], dtype: str = "object") -> pd.DataFrame:
    """Labels as a survey export has them; blanks are None (object) or NaN (``str``)."""
    table = np.array(LABELS + [None], dtype=object)
    frame = pd.DataFrame({name: table[s] for name, s in drawn.items()}, dtype=object)
    return frame if dtype == "object" else frame.astype(dtype)


def code_frame(drawn: dict[str, np.ndarray]) -> pd.DataFrame:
    """int8 codes 1..5 (slots must be answered-only)."""
    return pd.DataFrame({name: (s + 1).astype(np.int8) for name, s in drawn.items()})


def categorical_frame(drawn: dict[str, np.ndarray]) -> pd.DataFrame:
    """pandas Categorical columns of the labels; blanks are missing (code -1)."""
    dtype = pd.CategoricalDtype(LABELS)
    return pd.DataFrame({name: pd.Categorical.from_codes(np.where(s == 6, -1, s), dtype=dtype)
                         for name, s in drawn.items()})


def floor_codes(drawn: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
    """The pre-coded int8 arrays the numpy floor counts (the slots themselves, 0..6)."""
    return drawn


def best_of(repeat: int, run: Callable[[], object]) -> float:
    """Best wall time of ``repeat`` calls of ``run``, each after a garbage collection."""
    best = float("inf")
    for _ in range(repeat):
        gc.collect()
        start = time.perf_counter()
        run()
        best = min(best, time.perf_counter() - start)
    return best
