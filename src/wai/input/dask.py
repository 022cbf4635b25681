"""Counting a dask DataFrame on its cluster: each partition where it lives, combined on the client.

:func:`count_dask` needs ``pip install "wai[dask]"``; :func:`is_dask_frame`
tells a dask frame without importing dask. Problems are collected from
every partition and raised together as one :class:`~wai.errors.InputError`,
as the readers do, capped as :mod:`wai.input.problems` caps them.
"""

from __future__ import annotations

import sys
from typing import Any, Callable, Sequence

import numpy as np
import pandas as pd

from wai._checks import missing_columns
from wai.counting import count_items
from wai.errors import InputError, Problem
from wai.input.problems import ProblemList
from wai.scales import LikertScale

__all__ = ["count_dask", "is_dask_frame"]

_DASK_HINT = 'install it with: pip install "wai[dask]"'


def is_dask_frame(obj: Any) -> bool:
    """Whether ``obj`` is a ``dask.dataframe.DataFrame``, without importing dask.

    If dask's dataframe module was never imported, nothing can be one.

    >>> import pandas as pd
    >>> is_dask_frame(pd.DataFrame({"q": ["High"]}))
    False
    """
    module = sys.modules.get("dask.dataframe")
    frame_type = getattr(module, "DataFrame", None) if module is not None else None
    return frame_type is not None and isinstance(obj, frame_type)


def count_dask(
    ddf: Any,
    items: Sequence[str],
    scale: LikertScale,
    by: str | None = None,
    *,
    weights: str | None = None,
) -> pd.DataFrame:
    """Count a dask DataFrame: each partition where it lives, combined on the client.

    Parameters
    ----------
    ddf : dask.dataframe.DataFrame
        One row per respondent, as :func:`wai.counting.count_items` takes.
    items, scale, by, weights
        As :func:`wai.counting.count_items`.

    Returns
    -------
    pandas.DataFrame
        The counts table of the whole frame: equal to ``count_items(
        ddf.compute(), ...)`` (weighted counts up to floating-point rounding,
        see :func:`wai.counts.combine_counts`). Groups of a categorical ``by`` column
        whose categories are known follow the categories' order, the others
        are sorted as ``count_items`` sorts them.

    Raises
    ------
    ImportError
        If dask is not installed (``pip install "wai[dask]"``).
    TypeError
        If ``ddf`` is not a dask DataFrame.
    InputError
        Missing columns, before anything is computed; else every problem
        found in any partition, after all are counted. A partition does not
        know the file its rows came from: each problem's ``file`` is
        ``"dask partition i"`` (partitions numbered from 0) and its ``row``
        the row's position in the partition + 2, the row it would have if
        the partition alone were written out with a header row (position 0
        is row 2); the hint names the position and the row's index label.

    Notes
    -----
    Each partition becomes one ``dask.delayed`` call of ``count_items``,
    computed with whatever scheduler is active: the ``dask.distributed``
    ``Client`` if one was created, else dask's default. Only the small
    counts tables travel back to the client.

    Examples
    --------
    >>> import dask.dataframe as dd  # doctest: +SKIP
    >>> from wai.scales import LEVEL5
    >>> frame = pd.DataFrame({"q": ["High", "Low", "high", "Low"]})
    >>> count_dask(dd.from_pandas(frame, npartitions=2), ["q"], LEVEL5)  # doctest: +SKIP
      item  count_1  count_2  count_3  count_4  count_5  n  n_blank  n_nonscale  n_missing
    0    q        0        2        0        2        0  4        0           0          0
    """
    try:
        import dask.dataframe  # noqa: F401  (the partitions are computed by compute_partitions)
    except ImportError:
        raise ImportError(f"count_dask needs the optional package dask; {_DASK_HINT}") from None
    if not is_dask_frame(ddf):
        raise TypeError(f"count_dask takes a dask.dataframe.DataFrame; got {type(ddf).__name__} "
                        "(count a pandas DataFrame with wai.counting.count_items)")
    items = list(items)
    # Missing columns from the column names alone, before anything is computed.
    missing = missing_columns(items + [by, weights], [str(c) for c in ddf.columns], file="dask frame")
    if missing:
        raise InputError(missing)
    groups = None
    if by is not None:
        dtype = ddf.dtypes[by]
        if isinstance(dtype, pd.CategoricalDtype) and ddf[by].cat.known:
            groups = dtype.categories
    tables = compute_partitions(ddf, _count_partition, items, scale, by, weights)
    from wai.counts import combine_counts

    return combine_counts(tables, items, by, groups=groups)


def compute_partitions(ddf: Any, task: Callable[..., tuple[Any, list[Problem]]], *args: Any) -> list[Any]:
    """``task(partition, *args, number)`` on every partition where it lives; the results, or every problem.

    Each task returns ``(result, problems)`` and never raises, so all
    partitions report; the problems of all of them are raised as one
    :class:`~wai.errors.InputError` naming the dask frame.
    """
    import dask

    tasks = [dask.delayed(task, pure=True)(part, *args, i) for i, part in enumerate(ddf.to_delayed())]
    results = dask.compute(*tasks)
    problems = ProblemList()
    for _, found in results:
        problems.extend(found)
    if problems:
        raise problems.error("dask frame")
    return [result for result, _ in results]


def _count_partition(
    part: pd.DataFrame, items: list[str], scale: LikertScale, by: str | None,
    weights: str | None, number: int,
) -> tuple[pd.DataFrame | None, list[Problem]]:
    """One partition's counts table, or its problems (never raised: all partitions report)."""
    part = part.copy(deep=False)
    part.attrs = {}
    name = f"dask partition {number}"
    try:
        return count_items(part, items, scale, by, weights=weights, file=name), []
    except InputError as error:
        found = []
        for p in error.problems:
            hint = p.hint
            if p.row is not None and 0 <= p.row - 2 < len(part):
                label = part.index[p.row - 2]
                label = label.item() if isinstance(label, np.generic) else label
                where = f"position {p.row - 2} in the partition, index label {label!r}"
                hint = f"{where}; {hint}" if hint else where
            found.append(Problem(name, p.row, p.column, p.value, p.expected, hint, n_more=p.n_more))
        return None, found
