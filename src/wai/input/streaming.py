"""Counts tables of chunks summed into the table of the whole, and the chunked and dask counters.

Every estimate in :mod:`wai` is a function of the counts table that
:func:`wai.counting.count_items` returns, and counts add: the counts of the
chunks of a file sum to the counts of the file. :func:`combine_counts` uses
that. The counters that use it live in their own modules and are
re-exported here:

:func:`~wai.input.chunked.count_csv` (:mod:`wai.input.chunked`)
    streams a text file in chunks of rows and returns exactly the table
    ``count_items(read_responses(path), ...)`` would, holding one chunk in
    memory at a time;
:func:`~wai.input.dask.count_dask` (:mod:`wai.input.dask`)
    counts each partition of a ``dask.dataframe.DataFrame`` where it lives
    and combines the partition tables on the client (needs
    ``pip install "wai[dask]"``).

Examples
--------
>>> import pandas as pd
>>> from wai.counting import count_items
>>> from wai.scales import LEVEL5
>>> frame = pd.DataFrame({"g": ["b", "a", "b", None], "q": ["High", "Low", "high", "Low"]})
>>> parts = [count_items(frame.iloc[:2], ["q"], LEVEL5, by="g"),
...          count_items(frame.iloc[2:], ["q"], LEVEL5, by="g")]
>>> combine_counts(parts, ["q"], by="g").equals(count_items(frame, ["q"], LEVEL5, by="g"))
True
"""

from __future__ import annotations

import re
from typing import Any, Iterable, Sequence

import numpy as np
import pandas as pd

__all__ = ["combine_counts", "count_csv", "count_dask", "is_dask_frame", "PROGRESS_BYTES"]


def combine_counts(
    tables: Iterable[pd.DataFrame],
    items: Sequence[str],
    by: str | None = None,
    *,
    groups: Sequence[Any] | None = None,
) -> pd.DataFrame:
    """Sum the counts tables of chunks into the counts table of the whole.

    Parameters
    ----------
    tables : iterable of pandas.DataFrame
        Counts tables as :func:`wai.counting.count_items` returns them, all
        with the same columns (all weighted or all unweighted). Consumed
        one at a time, so a generator of chunk tables is never held whole.
    items : sequence of str
        The items, in the order the result lists them within each group. A
        table may lack an item (it counts zero); it may not hold another.
    by : str, optional
        The group column of the tables, if they have one.
    groups : sequence, optional
        The groups in the order wanted, e.g. the categories of a
        categorical group column (each is listed, even if no table holds
        it). Default: the groups found in the tables, sorted as pandas
        sorts the categories of the values (``pd.Series(values)
        .astype("category").cat.categories``), which is the order
        ``count_items`` gives a column that is not categorical.

    Returns
    -------
    pandas.DataFrame
        The columns of the tables, in their order and dtypes; one row per
        group and item, groups in order (the blank group, if any table has
        it, last), items in the given order. ``n`` is recomputed as the sum
        of the counts and ``n_missing`` as ``n_blank + n_nonscale``, as
        ``count_items`` defines them.

    Raises
    ------
    ValueError
        No tables; tables with different columns; a table without the
        group column, or with an item or group not asked for.

    Notes
    -----
    Unweighted counts are integers and their sums are exact: the result
    equals ``count_items`` on the whole data (``pandas.testing
    .assert_frame_equal`` holds). Weighted counts are floating-point sums
    of weights, and a sum of chunk sums may differ from the sum of the
    whole in the last bits (not at all when every weight is a multiple of
    a power of two, such as 0.5 or 1.25).

    Examples
    --------
    >>> from wai.counting import count_items
    >>> from wai.scales import LikertScale
    >>> s = LikertScale(("No", "Yes"))
    >>> a = count_items(pd.DataFrame({"g": ["y"], "q": ["No"]}), ["q"], s, by="g")
    >>> b = count_items(pd.DataFrame({"g": ["x", None], "q": ["Yes", "yes"]}), ["q"], s, by="g")
    >>> combine_counts([a, b], ["q"], by="g")
         g item  count_1  count_2  n  n_blank  n_nonscale  n_missing
    0    x    q        0        1  1        0           0          0
    1    y    q        1        0  1        0           0          0
    2  NaN    q        0        1  1        0           0          0
    """
    items = list(items)
    item_index = pd.Index(items)
    if not item_index.is_unique:
        raise ValueError(f"items must be distinct; got {items!r}")
    k = len(items)
    columns: list[str] | None = None
    sums: dict[str, np.ndarray] = {}  # column -> (group slots, items), int64 until a float comes
    keys: dict[Any, int] = {}  # group key -> its slot
    firsts: list[Any] = []  # a value of each group, as first seen
    blank_slot: int | None = None
    capacity = 0

    def slot_of(value: Any) -> int:
        nonlocal blank_slot, capacity
        blank = _is_blank(value)
        key = _BLANK if blank else value
        slot = keys.get(key)
        if slot is None:
            slot = keys[key] = len(firsts)
            firsts.append(None if blank else value)
            if blank:
                blank_slot = slot
            if slot >= capacity:  # grow by doubling
                capacity = max(8, 2 * capacity)
                for c, acc in sums.items():
                    sums[c] = np.concatenate([acc, np.zeros((capacity - len(acc), k), acc.dtype)])
        return slot

    if groups is not None:
        if by is None:
            raise ValueError("groups= needs by=, the group column")
        if not pd.Index(list(groups)).is_unique or any(_is_blank(g) for g in groups):
            raise ValueError(f"groups must be distinct and not blank; got {list(groups)!r}")
        for value in groups:
            slot_of(value)
    for table in tables:
        if not isinstance(table, pd.DataFrame):
            raise ValueError(f"tables must be pandas DataFrames; got {type(table).__name__}")
        names = [str(c) for c in table.columns]
        if columns is None:
            columns = names
            if "item" not in columns:
                raise ValueError(f"a counts table has an 'item' column; got columns {columns}")
            if by is not None and by not in columns:
                raise ValueError(f"by={by!r} is not a column of the tables; they have {columns}")
            sums = {c: np.zeros((capacity, k), np.int64) for c in columns if c not in ("item", by)}
        elif names != columns:
            raise ValueError(f"the tables must have the same columns; got {columns} and {names}")
        where = item_index.get_indexer(table["item"])
        if (where < 0).any():
            extra = sorted({str(v) for v in table["item"][where < 0]})
            raise ValueError(f"a table holds items that were not asked for: {extra}; "
                             f"items are {items}")
        if by is None:
            if not firsts:
                slot_of(None)
            slots = np.zeros(len(table), dtype=np.intp)
        else:
            before = len(firsts)
            slots = np.fromiter((slot_of(v) for v in table[by]), dtype=np.intp, count=len(table))
            new = [v for v in firsts[before:] if v is not None]  # the blank group is always allowed
            if groups is not None and new:
                raise ValueError(f"a table holds groups not in groups=: {new!r}")
        for c, acc in sums.items():
            dtype = table[c].dtype
            if pd.api.types.is_integer_dtype(dtype) and not pd.api.types.is_bool_dtype(dtype):
                column = table[c].to_numpy(dtype=np.int64)
            elif pd.api.types.is_float_dtype(dtype):
                column = table[c].to_numpy(dtype=np.float64)
                if acc.dtype != np.float64:  # weighted counts: floats from now on
                    acc = sums[c] = acc.astype(np.float64)
            else:
                raise ValueError(f"column {c!r} of a counts table must be numeric; got {dtype}")
            np.add.at(acc, (slots, where), column)
    if columns is None:
        raise ValueError("combine_counts needs at least one counts table")

    # the groups' order, and their values as count_items writes them
    values: pd.Index | None = None
    if by is None:
        order = [0] if firsts else []
    else:
        named = [s for s in range(len(firsts)) if s != blank_slot]
        if groups is not None:
            values = groups if isinstance(groups, pd.Index) else pd.Index(list(groups))
            order = named
        else:
            values = pd.Series([firsts[s] for s in named]).astype("category").cat.categories
            order = [keys[_key(v)] for v in values]
        if blank_slot is not None:
            values = values.append(pd.Index([np.nan]))
            order = order + [blank_slot]
    out = pd.DataFrame({c: acc[order].reshape(len(order) * k) for c, acc in sums.items()})
    counts = [c for c in columns if re.fullmatch(r"count_\d+", c)]
    if "n" in out.columns and counts:
        out["n"] = out[counts].sum(axis=1).astype(out["n"].dtype)
    if {"n_missing", "n_blank", "n_nonscale"} <= set(out.columns):
        out["n_missing"] = (out["n_blank"] + out["n_nonscale"]).astype(out["n_missing"].dtype)
    out.insert(0, "item", items * len(order))
    if by is not None:
        out.insert(0, by, np.repeat(np.asarray(values, dtype=object), k))
    return out[columns]


class _Blank:
    """The key of the blank group (None, NaN, NA)."""

    def __repr__(self) -> str:
        return "<blank>"


_BLANK = _Blank()


def _is_blank(value: Any) -> bool:
    # Not wai._checks.is_blank: a group value of whitespace text is a group of
    # its own in count_items (a category), so only a missing value is blank here.
    if value is None:
        return True
    try:
        return bool(pd.isna(value))
    except (TypeError, ValueError):  # not a scalar
        return False


def _key(value: Any) -> Any:
    return _BLANK if _is_blank(value) else value


# re-exported: the counters that were defined here (they import combine_counts when they run)
from wai.input.chunked import PROGRESS_BYTES, count_csv  # noqa: E402
from wai.input.dask import count_dask, is_dask_frame  # noqa: E402
