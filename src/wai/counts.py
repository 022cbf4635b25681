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

import numpy as np
import pandas as pd

from wai.counting import count_columns, count_items, wsq_columns
from wai.errors import OptionError
from wai.scales import LikertScale

__all__ = ["Counts", "count", "COUNT_LEAD_COLUMNS"]

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
        object.__setattr__(self, "table", self.table[wanted].reset_index(drop=True))

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
        :func:`wai.input.streaming.combine_counts`.
        """
        from wai.input.streaming import combine_counts

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
