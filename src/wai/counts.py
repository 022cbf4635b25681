"""The counts type: category counts of items, per group, weighted or not.

Every estimate the package makes from raw answers is a function of these
counts (the count-based core): the WAI and its band, its interval, the band
certainty, the group contrasts. :class:`Counts` holds one tidy table with
fixed columns, the scale it was counted on, and the names of the group and
weight columns; counts of two chunks of a file add up to the counts of the
file (:meth:`Counts.combine`), which is what makes streaming and dask the
same code as the in-memory path.

:func:`count` makes one from a frame of raw answers. ``wai.score`` and
``wai.compare`` accept a :class:`Counts` in place of a frame, so a frame
is counted once for both:

>>> import pandas as pd
>>> import wai
>>> df = pd.DataFrame({"g": ["a", "a", "b", "b"], "q": ["Low", "High", "High", "Very High"]})
>>> c = wai.count(df, ["q"], wai.LEVEL5, by="g")
>>> c.items, c.groups, c.points, c.weighted
(('q',), ('a', 'b'), 5, False)
>>> c.table[["g", "item", "count_2", "count_4", "count_5", "n"]]
   g item  count_2  count_4  count_5  n
0  a    q        1        1        0  2
1  b    q        0        1        1  2
>>> wai.score(c)[["g", "item", "wai_rounded"]]
   g item wai_rounded
0  a    q        0.50
1  b    q        0.88
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Iterable, Sequence

import re

import numpy as np
import pandas as pd

from wai._checks import is_blank
from wai.counting import count_columns, count_items, wsq_columns
from wai.errors import OptionError
from wai.scales import LikertScale

__all__ = ["Counts", "count", "combine_counts", "COUNT_LEAD_COLUMNS"]

COUNT_LEAD_COLUMNS = ("item", "n", "n_missing", "n_blank", "n_nonscale")
"""The columns of :attr:`Counts.table` after the group column and before ``count_1..count_K``."""


@dataclass(frozen=True, eq=False)
class Counts:
    """Category counts of items on one scale, per group, weighted or not.

    Parameters
    ----------
    table : pandas.DataFrame
        Fixed columns, in order: ``[by], item, n, n_missing, n_blank,
        n_nonscale, count_1..count_K`` and, when weighted, ``n_obs,
        wsq_1..wsq_K`` (see :func:`wai.counting.count_items` for their
        meaning). One row per group and item, groups in order (the blank
        group, if any, last), items in the order given.
    scale : LikertScale
        The scale the answers were counted on.
    by : str or None
        The group column, which keeps its name in ``table``.
    weights : str or None
        The weight column the counts are sums of, or None (counts of answers).

    Examples
    --------
    >>> from wai.scales import LikertScale
    >>> s = LikertScale(("No", "Yes"))
    >>> a = count(pd.DataFrame({"q": ["No", "Yes"]}), ["q"], s)
    >>> b = count(pd.DataFrame({"q": ["yes", None]}), ["q"], s)
    >>> Counts.combine([a, b]).table[["item", "count_1", "count_2", "n_blank"]]
      item  count_1  count_2  n_blank
    0    q        1        2        1
    """

    table: pd.DataFrame
    scale: LikertScale
    by: str | None = None
    weights: str | None = None

    def __post_init__(self) -> None:
        lead = ([self.by] if self.by else []) + list(COUNT_LEAD_COLUMNS)
        wanted = lead + count_columns(self.scale.points)
        if self.weights:
            wanted += ["n_obs"] + wsq_columns(self.scale.points)
        missing = [c for c in wanted if c not in self.table.columns]
        if missing:
            raise OptionError("table", f"a frame with columns {list(self.table.columns)}",
                              f"a counts table with the columns {wanted}", f"missing {missing}")
        table = self.table
        if list(table.columns) == wanted and table.index.equals(pd.RangeIndex(len(table))):
            table = table.copy(deep=False)  # already in shape (as count() makes it): skip the reindexing
        else:
            table = table[wanted].reset_index(drop=True)
        object.__setattr__(self, "table", table)

    @property
    def points(self) -> int:
        """K, the number of categories of the scale."""
        return self.scale.points

    @property
    def weighted(self) -> bool:
        """Whether the counts are sums of case weights."""
        return self.weights is not None

    @property
    def items(self) -> tuple[str, ...]:
        """The items, in order."""
        return tuple(dict.fromkeys(self.table["item"]))

    @property
    def groups(self) -> tuple[Any, ...]:
        """The groups, in order (the blank group, NaN, last if present); ``(None,)`` without ``by``."""
        if not self.by:
            return (None,)
        return tuple(dict.fromkeys(self.table[self.by]))

    def categories(self) -> np.ndarray:
        """The counts as an array ``(rows, K)``, rows as in :attr:`table`."""
        return self.table[count_columns(self.points)].to_numpy()

    def group_table(self, item: str) -> tuple[list[Any], np.ndarray]:
        """The groups (blank group left out) and their ``(groups, K)`` counts of one item.

        >>> from wai.scales import LikertScale
        >>> df = pd.DataFrame({"g": ["x", "y", None], "q": ["No", "Yes", "Yes"]})
        >>> count(df, ["q"], LikertScale(("No", "Yes")), by="g").group_table("q")
        (['x', 'y'], array([[1, 0],
               [0, 1]]))
        """
        if not self.by:
            raise OptionError("by", None, "counts made with a group column (by=) to compare groups")
        part = self.table[(self.table["item"] == item) & self.table[self.by].notna()]
        return list(part[self.by]), part[count_columns(self.points)].to_numpy()

    def select(self, items: Sequence[str]) -> Counts:
        """The counts of some of the items, in the order given."""
        unknown = [i for i in items if i not in self.items]
        if unknown:
            raise OptionError("items", list(unknown), f"items that were counted: {list(self.items)}")
        order = {item: position for position, item in enumerate(items)}
        part = self.table[self.table["item"].isin(order)]
        group_rank = part[self.by].map({g: i for i, g in enumerate(self.groups)}) if self.by else 0
        ranked = part.assign(_g=group_rank, _i=part["item"].map(order)).sort_values(["_g", "_i"], kind="stable")
        return Counts(ranked.drop(columns=["_g", "_i"]), self.scale, self.by, self.weights)

    @classmethod
    def combine(cls, parts: Iterable[Counts], *, groups: Sequence[Any] | None = None) -> Counts:
        """The counts of the whole from the counts of its chunks (exact for unweighted counts).

        All parts must share the scale, the items, ``by`` and ``weights``;
        ``groups`` fixes the group order as for
        :func:`combine_counts`.
        """
        parts = list(parts)
        if not parts:
            raise OptionError("parts", [], "at least one Counts to combine")
        first = parts[0]
        for other in parts[1:]:
            same = (other.scale == first.scale, other.by == first.by, other.weights == first.weights)
            if not all(same):
                raise OptionError("parts", other, "counts on the same scale, by and weights as the first")
        table = combine_counts((p.table for p in parts), first.items, first.by, groups=groups)
        return cls(table, first.scale, first.by, first.weights)

    def __add__(self, other: Counts) -> Counts:
        return Counts.combine([self, other])


def count(frame: pd.DataFrame, items: Sequence[str], scale: LikertScale, by: str | None = None, *,
          weights: str | None = None, file: str | None = None) -> Counts:
    """Count the answers of a frame: the :class:`Counts` every estimate is computed from.

    Group values that are blank (missing, or text of only whitespace) form
    one blank group, listed last.

    Parameters
    ----------
    frame : pandas.DataFrame
        One row per respondent, raw answers in the item columns.
    items : sequence of str
        The item columns, all on ``scale``.
    scale : LikertScale
    by : str, optional
        A group column.
    weights : str, optional
        A column of non-negative case weights.
    file : str, optional
        Name of the file the frame came from, for error messages.

    Returns
    -------
    Counts

    Raises
    ------
    wai.errors.InputError
        Every missing column and every answer not on the scale, in one error.

    Examples
    --------
    >>> from wai.scales import LikertScale
    >>> c = count(pd.DataFrame({"q": ["No", "yes", " ", "Don't know"]}), ["q"], LikertScale(("No", "Yes")))
    >>> c.table[["item", "n", "n_blank", "n_nonscale", "count_1", "count_2"]]
      item  n  n_blank  n_nonscale  count_1  count_2
    0    q  2        1           1        1        1
    """
    table = count_items(frame, items, scale, by, weights=weights, file=file)
    return Counts(table, scale, by, weights)


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
        blank = is_blank(value)
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
        if not pd.Index(list(groups)).is_unique or any(is_blank(g) for g in groups):
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


def _key(value: Any) -> Any:
    return _BLANK if is_blank(value) else value
