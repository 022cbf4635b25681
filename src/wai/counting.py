"""From raw answers to category counts: the count-based core's only contact with rows.

:func:`encode_answers` turns a column of raw answers (labels in any case
and spacing, synonyms, numeric codes, blanks, "Don't know") into small
integer category codes, mapping each *distinct* answer once. Unknown answers
are collected as :class:`~wai.errors.Problem` records naming their row.

:func:`count_categories` turns codes into counts with one ``bincount`` per
item (per group too), and :func:`count_items` does both for a whole frame,
returning the tidy counts table every estimate is computed from. Counts
add: the counts of two chunks of a file sum to the counts of the file.

Rows are reported as a spreadsheet shows them: the header is row 1, the
first respondent row 2.

Every kind of column takes a vectorised path, and the scale is consulted
once per *distinct* answer, never per row:

* integer codes (numpy ``int8``..``int64``, unsigned, pandas ``Int*``) and
  whole-number float codes (``3.0``; NaN and NA are blanks) are counted per
  code value, with one ``==`` pass per value when there are a few (cheaper
  than ``bincount`` on bytes) or one ``bincount`` over the values offset by
  the smallest, and the counts of the codes are then folded into
  categories;
* pandas ``Categorical`` columns map their categories in use once and
  count ``cat.codes`` the same way;
* text in an object column is counted by the identity of its cells'
  objects (a reader keeps one object per distinct answer, so a few ``==``
  passes over the array's pointers count it, with no string hashed per
  row); other text (the ``str``/``string`` dtype with either storage,
  arrow strings, or an object column of strings built row by row) is
  tallied by ``value_counts`` when only counts are needed, and factorized
  when per-row codes are (groups, weights, :func:`encode_answers`).

Any answer not on the scale sends the column down the one general path
(``pd.factorize`` and a lookup per distinct answer), which writes the
problems; so counts, codes and problems are the same whatever the column's
dtype. Only the counts meet exact arithmetic, later.

Examples
--------
>>> import pandas as pd
>>> from wai.scales import LikertScale
>>> s = LikertScale(("No", "Maybe", "Yes"))
>>> df = pd.DataFrame({"q1": ["yes", "No", " YES", None, "Don't know"]})
>>> count_items(df, ["q1"], s)[["item", "count_1", "count_2", "count_3", "n", "n_blank", "n_nonscale"]]
  item  count_1  count_2  count_3  n  n_blank  n_nonscale
0   q1        1        0        2  3        1           1
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any, Sequence

import numpy as np
import pandas as pd

from wai._checks import is_blank, repeated_columns
from wai.errors import InputError, Problem
from wai.scales import MISSING, LikertScale, default_scale

__all__ = [
    "encode_answers", "count_categories", "count_items", "count_columns", "wsq_columns", "FIRST_DATA_ROW",
]

FIRST_DATA_ROW = 2
"""Spreadsheet row number of the first respondent (the header is row 1)."""

_MAX_ROWS_PER_UNKNOWN = 20


def count_columns(points: int) -> list[str]:
    """Names of the count columns, lowest category first.

    >>> count_columns(3)
    ['count_1', 'count_2', 'count_3']
    """
    return [f"count_{k}" for k in range(1, points + 1)]


def wsq_columns(points: int) -> list[str]:
    """Names of the sum-of-squared-weights columns of a weighted counts table, lowest category first.

    >>> wsq_columns(3)
    ['wsq_1', 'wsq_2', 'wsq_3']
    """
    return [f"wsq_{k}" for k in range(1, points + 1)]


def encode_answers(
    answers: pd.Series,
    scale: LikertScale,
    *,
    column: str | None = None,
    file: str | None = None,
    rows: Sequence[int] | None = None,
) -> tuple[np.ndarray, list[Problem]]:
    """Category codes of raw answers, and the problems found.

    Returns
    -------
    codes : numpy.ndarray of int8
        ``0..K-1`` for scale answers, ``MISSING`` (-1) for blanks,
        ``NON_SCALE`` (-2) for declared non-scale answers. Unknown answers
        are coded ``MISSING`` and reported in ``problems``.
    problems : list of Problem
        One per row holding an answer that is not on the scale (at most 20
        rows per distinct unknown answer, then one summary). Rows are
        ``rows[position]`` when given (a file's own row numbers), else
        ``position + 2``.

    Examples
    --------
    >>> from wai.scales import LEVEL5
    >>> codes, problems = encode_answers(pd.Series(["High", "hgh", 5]), LEVEL5, column="q")
    >>> codes.tolist(), str(problems[0])
    ([3, -1, 4], "<data>, row 3, column 'q': got 'hgh', expected one of 'Very Low', 'Low', 'Neutral', 'High', 'Very High' (or codes 1, 2, 3, 4, 5) (did you mean 'High'?)")
    """
    if isinstance(answers, pd.Series):
        fast = _encode_fast(answers, scale, need_rows=True)
        if fast is not None:
            index, lut, _ = fast
            return lut[index], []
    return _encode_general(hashable_answers(answers), scale, column=column, file=file, rows=rows)


def hashable_answers(answers: Any) -> Any:
    """The answers, a signalling NaN (``Decimal('sNaN')``, which cannot be hashed) made a plain NaN.

    Only an object column holding a ``Decimal`` is looked at, so other columns cost nothing.

    >>> from decimal import Decimal
    >>> hashable_answers(pd.Series([Decimal("sNaN"), "High"], dtype=object)).isna().tolist()
    [True, False]
    """
    if not isinstance(answers, pd.Series) or answers.dtype != object:
        return answers
    try:
        answers.unique()  # hashes every answer, as the counting will
        return answers
    except TypeError:
        return answers.map(lambda v: float("nan") if isinstance(v, Decimal) and v.is_nan() else v)


def _lookup(uniques: Sequence[object], scale: LikertScale) -> tuple[np.ndarray, list[int]]:
    """Category code of each distinct answer (one slot more, ``MISSING``, for NA), and the unknown ones."""
    lut = np.empty(len(uniques) + 1, dtype=np.int8)
    lut[-1] = MISSING  # factorize's sentinel -1 indexes the last slot
    unknown: list[int] = []
    for j, value in enumerate(uniques):
        try:
            lut[j] = scale.category_of(value)
        except KeyError:
            lut[j] = MISSING
            unknown.append(j)
    return lut, unknown


def _encode_general(
    answers: pd.Series,
    scale: LikertScale,
    *,
    column: str | None = None,
    file: str | None = None,
    rows: Sequence[int] | None = None,
) -> tuple[np.ndarray, list[Problem]]:
    """:func:`encode_answers` for any column: factorize, look each distinct answer up, report unknowns."""
    positions, uniques = pd.factorize(answers, use_na_sentinel=True)
    lut, unknown = _lookup(uniques, scale)
    problems: list[Problem] = []
    codes = lut[positions]
    name = column if column is not None else str(answers.name)
    for j in unknown:
        value = uniques[j]
        code = _as_number(value)
        if code is not None:
            hint = (f"code {code:g} is outside the scale's codes {scale.codes[0]}..{scale.codes[-1]}"
                    if code.is_integer() else "codes are whole numbers")
        else:
            suggestion = scale.suggest(value)
            hint = f"did you mean {suggestion!r}?" if suggestion else ""
        where = np.flatnonzero(positions == j)
        for r in where[:_MAX_ROWS_PER_UNKNOWN]:
            row = int(rows[r]) if rows is not None else int(r) + FIRST_DATA_ROW
            problems.append(Problem(file, row, name, _plain(value), scale.allowed(), hint))
        if len(where) > _MAX_ROWS_PER_UNKNOWN:
            problems.append(Problem(file, None, name, _plain(value), scale.allowed(),
                                    n_more=len(where) - _MAX_ROWS_PER_UNKNOWN))
    problems.sort(key=lambda p: (p.row is None, p.row or 0))
    return codes, problems


def _weight_problems(column: pd.Series, w: np.ndarray, file: str | None,
                     rows: Sequence[int] | None) -> list[Problem]:
    """Rows whose case weight is not a non-negative number: at most 20 per distinct value, as answers."""
    bad = np.flatnonzero(~np.isfinite(w) | (w < 0))
    if not len(bad):
        return []
    positions, uniques = pd.factorize(column.iloc[bad], use_na_sentinel=False)
    problems: list[Problem] = []
    expected = "a non-negative number (a case weight)"
    for j, value in enumerate(uniques):
        where = bad[positions == j]
        for r in where[:_MAX_ROWS_PER_UNKNOWN]:
            row = int(rows[r]) if rows is not None else int(r) + FIRST_DATA_ROW
            problems.append(Problem(file, row, str(column.name), _plain(value), expected))
        if len(where) > _MAX_ROWS_PER_UNKNOWN:
            problems.append(Problem(file, None, str(column.name), _plain(value), expected,
                                    n_more=len(where) - _MAX_ROWS_PER_UNKNOWN))
    problems.sort(key=lambda p: (p.row is None, p.row or 0))
    return problems


def _as_number(value: object) -> float | None:
    """The value as a number if it is one (or numeric text), else None."""
    if isinstance(value, (bool, np.bool_)):
        return None
    try:
        number = float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return None
    return number if np.isfinite(number) else None


def _plain(value: object) -> object:
    """A numpy scalar as a plain Python value, for readable messages."""
    return value.item() if isinstance(value, np.generic) else value


# --------------------------------------------------------------------------
# fast paths: one vectorised pass per column, the scale asked once per distinct answer
# --------------------------------------------------------------------------

_SPAN_LIMIT = 1 << 16
"""Widest range of integer codes counted by offset; a wider one takes the general path."""
_COMPARE_BYTES = 16
"""Count by comparisons (one ``==`` pass per code value) while ``span * itemsize`` is at most this:
a pass over int8 codes costs a fraction of ``bincount``'s conversion of them to intp."""

_Encoded = tuple  # (index or None, lut, tally or None); see _encode_fast


def _encode_fast(answers: pd.Series, scale: LikertScale, *, need_rows: bool) -> _Encoded | None:
    """The column encoded without a per-row lookup, if every answer in it is known to the scale.

    Returns ``(index, lut, tally)``: ``lut[index]`` are the rows' category
    codes (int8; ``index`` may hold -1, which reads ``lut``'s last slot),
    and ``tally[j]``, when not None, counts the rows with ``index == j``.
    ``index`` is None only when ``need_rows`` is false and the column was
    tallied without per-row codes. Returns None when the column holds an
    answer not on the scale, or is of a kind without a fast path; the
    general path (:func:`_encode_general`) then decides and reports, so
    results never depend on which path ran.

    The scale sees the same distinct values, of the same Python types, as
    the general path's ``pd.factorize`` would give it (an ``Int64`` value
    arrives as ``numpy.int64``, an ``int8`` one as ``int``), so every
    answer lands in the same category.
    """
    dtype = answers.dtype
    if isinstance(dtype, pd.CategoricalDtype):
        return _encode_categorical(answers, scale, need_rows)
    if (isinstance(dtype, pd.StringDtype) or pd.api.types.is_object_dtype(dtype)
            or (isinstance(dtype, pd.ArrowDtype) and dtype.kind == "U")):
        return _encode_text(answers, scale, need_rows)
    if dtype.kind in "iuf":
        return _encode_numeric(answers, scale, need_rows)
    return None


def _bins(values: np.ndarray, need_rows: bool) -> tuple | None:
    """Integer values sorted into bins: small ones by bit pattern, wider ones by offset from the least.

    Returns ``(index, nbins, tally, present, present_values)``: each row's
    bin (None unless ``need_rows``), the number of bins, the rows per bin,
    the bins holding rows and their values. None if the values span more
    than :data:`_SPAN_LIMIT`. A few distinct values are tallied with one
    ``==`` pass each, which is cheaper than ``bincount``'s conversion of the
    values to intp; others with ``bincount``.
    """
    lo, hi = (int(values.min()), int(values.max())) if values.size else (0, 0)
    span = hi - lo + 1
    if span > _SPAN_LIMIT:
        return None
    if values.dtype.itemsize > 1 and -128 <= lo and hi <= 127:
        values = values.astype(np.int8)  # one pass; counting bytes is what is cheap below
    itemsize = values.dtype.itemsize
    compare = span * itemsize <= _COMPARE_BYTES
    if itemsize <= 2:  # bytes and shorts: the bit pattern is the bin, no subtraction pass
        unsigned = np.dtype(f"u{itemsize}")
        nbins = 1 << (8 * itemsize)
        index = values.view(unsigned)
        if compare:
            # every value lies in lo..hi, so the rows left over after lo..hi-1 are the rows equal to hi
            counts = np.array(_count_equal(values, np.arange(lo, hi, dtype=values.dtype)) + [0], dtype=np.int64)
            counts[-1] = values.size - counts.sum()
            present_values = np.flatnonzero(counts) + lo
            present = present_values & (nbins - 1)
            tally = np.zeros(nbins, dtype=np.int64)
            tally[present] = counts[counts > 0]
        else:
            tally = np.bincount(index, minlength=nbins)
            present = np.flatnonzero(tally)
            present_values = present.astype(unsigned).view(values.dtype).astype(np.int64)
        return (index if need_rows else None), nbins, tally, present, present_values
    index = (values - values.dtype.type(lo)).astype(np.intp, copy=False)
    tally = np.bincount(index, minlength=span)
    present = np.flatnonzero(tally)
    return index, span, tally, present, present + lo


def _table_for_bins(
    present: np.ndarray, uniques: Sequence[object], nbins: int, scale: LikertScale
) -> np.ndarray | None:
    """Category code of every bin (``MISSING`` where empty or blank); None if one in use is unknown."""
    codes, unknown = _lookup(uniques, scale)
    if unknown or len(codes) - 1 != len(present):
        return None
    lut = np.full(nbins, MISSING, dtype=np.int8)
    lut[present] = codes[:-1]
    return lut


def _blank_fill(scale: LikertScale, dtype: np.dtype) -> int | None:
    """A value to stand in for blanks: next to the scale's codes (the span stays small), not one."""
    candidates = (min(scale.codes) - 1, max(scale.codes) + 1)
    if dtype.kind == "f":
        return candidates[0]
    info = np.iinfo(dtype)
    return next((c for c in candidates if info.min <= c <= info.max), None)


def _encode_numeric(answers: pd.Series, scale: LikertScale, need_rows: bool) -> _Encoded | None:
    """Integer or whole float codes: counted per code value, then each code value looked up once.

    Blanks (NA, NaN) are given a value next to the scale's codes but not
    one of them; its bin holds the blanks, unless some answer really is
    that value, which the general path then reports.
    """
    dtype = answers.dtype
    n_blank = 0
    if isinstance(dtype, np.dtype):
        values = answers.to_numpy()
        kind = dtype
    else:  # nullable (Int64, Float64) or arrow-backed numbers: NA becomes the fill value (or NaN)
        numpy_kind = getattr(dtype, "numpy_dtype", None)
        if not isinstance(numpy_kind, np.dtype) or numpy_kind.kind not in "iuf":
            return None
        kind = numpy_kind
        n_blank = int(answers.isna().sum())
        if kind.kind == "f":
            values = answers.to_numpy(dtype=kind, na_value=np.nan)
        else:
            fill = _blank_fill(scale, kind)
            if fill is None:
                return None
            values = answers.to_numpy(dtype=kind, na_value=fill)
    if kind.kind == "f":  # whole numbers within int64's exact range, or NaN, else the general path
        nan = np.isnan(values)
        n_blank = int(np.count_nonzero(nan))
        fill = _blank_fill(scale, kind)
        if n_blank:
            values = np.where(nan, fill, values)
        if values.size:
            lo, hi = values.min(), values.max()
            if not (-(2**53) < lo <= hi < 2**53) or hi - lo >= _SPAN_LIMIT:  # inf, or too far apart
                return None
            whole = values.astype(np.int8 if -128 <= lo and hi <= 127 else np.int64)
            if not np.array_equal(whole, values):  # 2.5: the general path explains
                return None
            values = whole
        else:
            values = values.astype(np.int64)
    binned = _bins(values, need_rows)
    if binned is None:
        return None
    index, nbins, tally, present, present_values = binned
    if n_blank:  # the fill value's bin: exactly the blanks, or an answer equal to it is there too
        at = np.flatnonzero(present_values == fill)
        if len(at) != 1 or tally[present[at[0]]] != n_blank:
            return None
        present, present_values = np.delete(present, at), np.delete(present_values, at)
    if isinstance(dtype, np.dtype):  # factorize's uniques of a numpy column iterate as Python scalars
        uniques = present_values.astype(kind).tolist()
    else:
        uniques = pd.factorize(pd.Series(present_values.astype(kind), dtype=dtype))[1]
    lut = _table_for_bins(present, uniques, nbins, scale)
    return None if lut is None else (index, lut, tally)


def _encode_categorical(answers: pd.Series, scale: LikertScale, need_rows: bool) -> _Encoded | None:
    """Categorical: the rows counted by ``cat.codes``, each category in use looked up once."""
    codes = answers.cat.codes.to_numpy()  # -1 for a blank
    binned = _bins(codes, need_rows)
    if binned is None:
        return None
    index, nbins, tally, present, present_values = binned
    blank = present_values < 0
    # factorize's uniques of a categorical iterate as categories.take(codes).tolist()
    uniques = answers.dtype.categories.take(present_values[~blank]).tolist()
    lut = _table_for_bins(present[~blank], uniques, nbins, scale)
    return None if lut is None else (index, lut, tally)


def _text_or_blank(value: object) -> bool:
    return isinstance(value, str) or is_blank(value)


_SAMPLE = 4096
"""Rows whose distinct cell objects are taken as the next candidates (see :func:`_tally_objects`)."""
_MAX_OBJECTS = 48
"""Most distinct cell objects counted by comparisons; a column with more is hashed by value."""


def _object_ids(values: np.ndarray) -> np.ndarray | None:
    """The identity of every cell's object (CPython's ``id()``) as one uint64 array, without a copy.

    An object array stores one pointer per cell, and in CPython ``id(x)``
    is that pointer, so the array's own buffer, read as unsigned integers,
    holds every cell's ``id()``. The view is only valid while ``values``
    lives (it also keeps the objects alive); None where this does not hold
    (another interpreter, a non-contiguous or empty array).

    >>> values = np.array(["a", "b", None], dtype=object)
    >>> _object_ids(values).tolist() == [id(v) for v in values]
    True
    """
    import ctypes
    import sys

    if (sys.implementation.name != "cpython" or values.dtype != object or values.ndim != 1
            or not values.size or not values.flags.c_contiguous or values.itemsize != 8):
        return None
    buffer = (ctypes.c_uint64 * values.size).from_address(values.ctypes.data)
    ids = np.ctypeslib.as_array(buffer)
    ids.flags.writeable = False
    return ids


def _tally_objects(ids: np.ndarray, need_rows: bool) -> tuple[np.ndarray, np.ndarray, np.ndarray | None] | None:
    """Distinct cell objects of a column, by identity: ``(first, tally, index)``, or None if too many.

    ``first[j]`` is the row of the first cell holding object ``j`` (objects
    numbered in order of that row), ``tally[j]`` the rows holding it and,
    when ``need_rows``, ``index`` each row's object number (int8). A
    column read by pandas or wai holds one object per distinct answer, so
    a few ``==`` passes over the identities count it: the candidates are
    the distinct objects of the first :data:`_SAMPLE` rows not yet
    counted, each counted over the rows not yet counted, round after
    round until every row is.
    None when more than :data:`_MAX_OBJECTS` distinct objects turn up
    (text built row by row, say): then hashing by value is cheaper.

    >>> a, b = "x", "y"
    >>> values = np.array([b, a, b, b, None], dtype=object)
    >>> first, tally, index = _tally_objects(_object_ids(values), need_rows=True)
    >>> first.tolist(), tally.tolist(), index.tolist()
    ([0, 1, 4], [3, 1, 1], [0, 1, 0, 0, 2])
    """
    n = ids.size
    firsts: list[np.ndarray] = []
    tallies: list[int] = []
    index = np.full(n, -1, dtype=np.int8) if need_rows else None  # numbered in the order found, for now
    left: np.ndarray | None = None  # rows no candidate has matched yet (None: all of them)
    while True:
        pool = ids if left is None else ids[left]  # each round counts only the rows still unmatched
        candidates, at = np.unique(pool[:_SAMPLE], return_index=True)
        if len(tallies) + len(candidates) > _MAX_OBJECTS:
            return None
        firsts.append(at if left is None else left[at])
        numbers = None if index is None else (index if left is None else np.full(pool.size, -1, dtype=np.int8))
        counted = _count_equal(pool, candidates, numbers, len(tallies))
        tallies += counted
        if numbers is not None and left is not None:
            index[left] = numbers  # type: ignore[index]
        if sum(counted) == pool.size:
            break
        unmatched = np.flatnonzero((numbers < 0) if numbers is not None else ~np.isin(pool, candidates))
        left = unmatched if left is None else left[unmatched]
    first = np.concatenate(firsts)
    order = np.argsort(first, kind="stable")
    first, tally = first[order], np.asarray(tallies, dtype=np.int64)[order]
    if index is not None:  # renumbered in the order of the objects' first rows
        rank = np.empty(len(order), dtype=np.int8)
        rank[order] = np.arange(len(order), dtype=np.int8)
        index = rank[index]
    return first, tally, index


_BLOCK_BYTES = 1 << 19
"""Bytes per block of :func:`_count_equal`: a block stays in the core's cache across its passes."""


def _count_equal(values: np.ndarray, candidates: np.ndarray, index: np.ndarray | None = None,
                 first: int = 0) -> list[int]:
    """How many of ``values`` equal each candidate: one ``==`` pass per candidate, block by block.

    With ``index`` (-1 where no candidate has matched yet), the rows equal to
    candidate ``j`` are also given the number ``first + j`` there (other rows
    keep theirs).

    >>> index = np.full(4, -1, dtype=np.int8)
    >>> _count_equal(np.array([3, 1, 3, 3], dtype=np.uint64), np.array([1, 3, 4], dtype=np.uint64), index)
    [1, 3, 0]
    >>> index.tolist()
    [1, 0, 1, 1]
    """
    totals = [0] * len(candidates)
    rows = _BLOCK_BYTES // values.dtype.itemsize
    scratch = np.empty(min(rows, values.size), dtype=bool)
    targets = [values.dtype.type(c) for c in candidates.tolist()]
    for start in range(0, values.size, rows):
        block = values[start:start + rows]
        equal = scratch[:block.size]
        for j, c in enumerate(targets):
            np.equal(block, c, out=equal)
            totals[j] += int(np.count_nonzero(equal))
            if index is not None:  # -1 plus (number + 1) where equal: one add, cheaper than a masked write
                part = index[start:start + rows]
                part += equal.view(np.int8) * np.int8(first + j + 1)
    return totals


def _encode_objects(answers: pd.Series, scale: LikertScale, need_rows: bool) -> _Encoded | None | bool:
    """An object column of text and blanks, counted by the identity of its cells' objects.

    Returns the encoding, None if an answer is off the scale or a cell is
    not text (the general path reports and decides), or False if the
    column does not suit counting by identity (then hash by value). Equal
    answers held in different objects are different candidates that look
    up to the same category, so counts never depend on how a column was
    built. The scale sees each distinct object once, as it would see each
    distinct value.
    """
    values = answers.to_numpy()
    ids = _object_ids(values) if isinstance(values, np.ndarray) else None
    tallied = None if ids is None else _tally_objects(ids, need_rows)
    if tallied is None:
        return False
    first, tally, index = tallied
    uniques = values[first].tolist()
    if not all(_text_or_blank(u) for u in uniques):
        return None
    lut, unknown = _lookup(uniques, scale)
    if unknown:
        return None
    return index, (lut if need_rows else lut[:-1]), tally


def _encode_text(answers: pd.Series, scale: LikertScale, need_rows: bool) -> _Encoded | None:
    """Text: objects counted by identity, else tallied by ``value_counts`` or factorized."""
    if pd.api.types.is_object_dtype(answers.dtype):
        by_identity = _encode_objects(answers, scale, need_rows)
        if by_identity is not False:
            return by_identity  # type: ignore[return-value]
    try:
        return _encode_hashed(answers, scale, need_rows)
    except TypeError:  # an unhashable answer (a signalling NaN): the general path copes
        return None


def _encode_hashed(answers: pd.Series, scale: LikertScale, need_rows: bool) -> _Encoded | None:
    """Text hashed by value: tallied by ``value_counts`` when only counts are needed, else factorized."""
    if not need_rows:
        tallied = answers.value_counts(dropna=False, sort=False)
        uniques = tallied.index
        # a column of text alone: equal answers are equal strings, so no representative
        # of mixed types (1, 1.0, True) can differ from the one factorize would keep
        if all(_text_or_blank(u) for u in uniques):
            lut, unknown = _lookup(uniques, scale)
            if unknown:
                return None
            return None, lut[:-1], tallied.to_numpy(dtype=np.int64)
    # the python-storage string array factorizes faster keeping NA as a value (it maps to MISSING)
    python_strings = isinstance(answers.dtype, pd.StringDtype) and answers.dtype.storage == "python"
    positions, uniques = pd.factorize(answers, use_na_sentinel=not python_strings)
    lut, unknown = _lookup(uniques, scale)
    return None if unknown else (positions, lut, None)


def _fold(lut: np.ndarray, tally: np.ndarray, points: int) -> np.ndarray:
    """Counts ``[non-scale, blank, category 1..K]`` from counts per distinct answer."""
    counts = np.zeros(points + 2, dtype=np.int64)
    np.add.at(counts, lut.astype(np.intp) + 2, tally)
    return counts


def count_categories(
    codes: np.ndarray,
    points: int,
    groups: np.ndarray | None = None,
    n_groups: int = 1,
    weights: np.ndarray | None = None,
) -> np.ndarray:
    """Counts per group: an array ``(n_groups, points + 2)``.

    Columns are ``[non-scale, blank, category 1, ..., category K]``. With
    ``weights`` the counts are weighted totals (floats).

    >>> count_categories(np.array([0, 2, 2, -1, -2]), 3).tolist()
    [[1, 1, 1, 0, 2]]
    >>> count_categories(np.array([0, 2, 1]), 3, groups=np.array([0, 1, 1]), n_groups=2).tolist()
    [[0, 0, 1, 0, 0], [0, 0, 0, 1, 1]]
    """
    width = points + 2
    slot = np.add(codes, 2, dtype=np.intp, casting="unsafe")  # one pass, as astype(intp) + 2
    if groups is not None:
        slot += np.multiply(groups, width, dtype=np.intp, casting="unsafe")
    flat = np.bincount(slot, weights=weights, minlength=n_groups * width)
    return flat.reshape(n_groups, width)


def _group_codes(frame: pd.DataFrame, by: str) -> tuple[np.ndarray, pd.Index]:
    """Group code of every row, and the group values; blank values (whitespace too) form the last group."""
    column = frame[by]
    if isinstance(column.dtype, pd.CategoricalDtype):
        cat = column
    else:
        cat = column.astype("category")
    gone = [c for c in cat.cat.categories if is_blank(c)]
    if gone:
        cat = cat.cat.remove_categories(gone)
    values = cat.cat.categories
    codes = cat.cat.codes.to_numpy()
    if (codes < 0).any():  # blank group values form a group of their own, last
        values = values.append(pd.Index([np.nan]))
        codes = np.where(codes < 0, len(values) - 1, codes)
    return codes, values


def count_items(
    frame: pd.DataFrame,
    items: Sequence[str],
    scale: LikertScale | None = None,
    by: str | None = None,
    *,
    weights: str | None = None,
    file: str | None = None,
) -> pd.DataFrame:
    """The tidy counts table: one row per item (per group), one column per category.

    Parameters
    ----------
    frame : pandas.DataFrame
        One row per respondent, raw answers in the item columns.
    items : sequence of str
        The item columns, all on ``scale``.
    scale : LikertScale, optional
        Default (``None``): :data:`wai.scales.LEVEL5`, as everywhere.
    by : str, optional
        A column whose values split the respondents into groups; it keeps
        its name in the output.
    weights : str, optional
        A column of non-negative case weights; counts become weighted totals,
        and the table gains what a design-based standard error needs.
    file : str, optional
        Name of the file the frame came from, for error messages.

    Returns
    -------
    pandas.DataFrame
        Columns ``[by], item, count_1..count_K, n, n_blank, n_nonscale,
        n_missing``. ``n`` is the number of answers on the scale (the index's
        denominator); ``n_missing = n_blank + n_nonscale``.

        With ``weights`` the counts, ``n``, ``n_blank``, ``n_nonscale`` and
        ``n_missing`` are sums of weights (floats), and two more groups of
        columns follow: ``n_obs``, the *unweighted* number of answers on the
        scale (int), and ``wsq_1..wsq_K``, the sum of squared weights of the
        answers in each category. With ``count_k`` = sum of w, these give the
        survey-weighted WAI's linearization standard error
        (:func:`wai.inference.weighted_wai`) and Kish's effective n. An
        unweighted table has neither: there every weight is 1, so
        ``wsq_k = count_k`` and ``n_obs = n``. All columns add across chunks
        of a file.

    Examples
    --------
    >>> from wai.scales import LEVEL5
    >>> df = pd.DataFrame({"q": ["High", "Low", "High"], "w": [0.5, 1.5, 2.0]})
    >>> count_items(df, ["q"], LEVEL5, weights="w")[["count_2", "count_4", "n", "n_obs", "wsq_2", "wsq_4"]]
       count_2  count_4    n  n_obs  wsq_2  wsq_4
    0      1.5      2.5  4.0      3   2.25   4.25

    Raises
    ------
    InputError
        Listing every missing column and every answer not on the scale.
    """
    scale = default_scale(scale)
    file = file if file is not None else frame.attrs.get("source_file")
    source_rows = frame.attrs.get("source_rows")
    if source_rows is not None and len(source_rows) != len(frame):
        source_rows = None
    problems: list[Problem] = []
    wanted = list(items) + ([by] if by else []) + ([weights] if weights else [])
    for name in wanted:
        if name not in frame.columns:
            import difflib

            near = difflib.get_close_matches(str(name), [str(c) for c in frame.columns], n=1)
            problems.append(Problem(file, None, name, None, "a column of that name in the data",
                                    f"did you mean {near[0]!r}?" if near else "columns are: " +
                                    ", ".join(map(repr, frame.columns[:10]))))
    absent = {p.column for p in problems}
    repeated = repeated_columns(wanted, frame.columns, file=file)
    if repeated or (by and by in absent) or (weights and weights in absent):
        raise InputError(problems + repeated)

    w = None
    if weights:
        w = pd.to_numeric(frame[weights], errors="coerce").to_numpy(dtype=float)
        problems.extend(_weight_problems(frame[weights], w, file, source_rows))
    if by:
        group_codes, group_values = _group_codes(frame, by)
    else:
        group_codes, group_values = None, pd.Index([None])
    n_groups = len(group_values)

    k = scale.points
    width = k + 2
    # per-row slot offsets of the groups and the squared weights, once for all items
    base = None if group_codes is None else np.multiply(group_codes, width, dtype=np.intp)
    w2 = None if w is None else w * w
    need_rows = base is not None or w is not None

    blocks, plain_blocks, square_blocks = [], [], []
    for item in items:
        if item in absent:
            continue
        column = frame[item]
        fast = _encode_fast(column, scale, need_rows=need_rows) if isinstance(column, pd.Series) else None
        if fast is None:  # the general path: an answer off the scale, or an unusual column
            codes, found = _encode_general(hashable_answers(column), scale, column=item, file=file,
                                           rows=source_rows)
            problems.extend(found)
            if problems:  # the counts will not be used; keep collecting problems
                continue
            blocks.append(count_categories(codes, k, group_codes, n_groups, w))
            if w is not None:
                plain_blocks.append(count_categories(codes, k, group_codes, n_groups))
                square_blocks.append(count_categories(codes, k, group_codes, n_groups, w2))
            continue
        if problems:
            continue
        index, lut, tally = fast
        if not need_rows and tally is not None:  # counts of the distinct answers, folded
            blocks.append(_fold(lut, tally, k).reshape(1, width))
            continue
        slots = (lut.astype(np.intp) + 2)[index]  # the same slots count_categories makes
        if base is not None:
            slots += base
        size = n_groups * width
        blocks.append(np.bincount(slots, weights=w, minlength=size).reshape(n_groups, width))
        if w is not None:
            plain_blocks.append(np.bincount(slots, minlength=size).reshape(n_groups, width))
            square_blocks.append(np.bincount(slots, weights=w2, minlength=size).reshape(n_groups, width))
    if problems:
        raise InputError(problems)

    def rows_of(parts: list[np.ndarray]) -> np.ndarray:
        if not parts:
            return np.zeros((0, k + 2))
        return np.stack(parts, axis=1).reshape(len(items) * n_groups, k + 2)

    table = rows_of(blocks)
    if not weights:
        table = table.astype(np.int64)
    # rows ordered group-major: group 0 items..., group 1 items...; the frame is built in one step
    data: dict[str, Any] = {}
    if by:
        data[by] = np.repeat(np.asarray(group_values, dtype=object), len(items))
    data["item"] = list(items) * n_groups
    data.update(zip(count_columns(k), table[:, 2:].T))
    data["n"] = table[:, 2:].sum(axis=1)
    data["n_blank"], data["n_nonscale"] = table[:, 1], table[:, 0]
    data["n_missing"] = table[:, 1] + table[:, 0]
    if weights:
        data["n_obs"] = rows_of(plain_blocks)[:, 2:].sum(axis=1).astype("int64")
        data.update(zip(wsq_columns(k), rows_of(square_blocks)[:, 2:].T))
    out = pd.DataFrame(data)
    return out
