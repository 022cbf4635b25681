"""Counting under a survey design from a file (whole or in chunks) or a dask frame.

The design's counts (:class:`wai.design.DesignCounts`: weighted counts per
stratum x cluster x group x item x category, and per replicate) add across
chunks and partitions, PSUs split across chunks joining, so the three ways
of reading give the same estimates as :func:`wai.design.count_design` on the
frame in memory (weighted sums up to floating-point rounding, as
:func:`wai.counts.combine_counts`).
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any, Sequence

import pandas as pd

from wai.design import Design, DesignCounts, combine_design_counts, count_design
from wai.errors import InputError
from wai.input.problems import ProblemList, cap_problems
from wai.input.readers import codes_for_scale, read_responses
from wai.input.records import TextRecords, fail, frame_of
from wai.scales import LikertScale

__all__ = ["count_design_csv", "count_design_file", "count_design_dask"]


def count_design_csv(path: str | os.PathLike, items: Sequence[str], scale: LikertScale, design: Design,
                     by: str | None = None, *, chunksize: int = 100_000, encoding: str | None = None,
                     delimiter: str | None = None) -> DesignCounts:
    """Count a text file under a design in chunks of rows, holding one chunk (and the running counts) at a time.

    Examples
    --------
    >>> import pathlib, tempfile
    >>> from wai.scales import LEVEL5
    >>> path = pathlib.Path(tempfile.mkdtemp()) / "a.csv"
    >>> _ = path.write_text("q,f\\nHigh,2\\nLow,1\\nHigh,1\\n")
    >>> count_design_csv(path, ["q"], LEVEL5, Design(frequency="f"), chunksize=2).table()[["count_2", "count_4"]]
       count_2  count_4
    0        1        3
    """
    items = list(items)
    name = str(path)
    p = Path(path)
    if not p.is_file():
        raise fail(name, None, "an existing file")
    problems = ProblemList()
    total: DesignCounts | None = None
    with TextRecords(p, name, encoding=encoding, delimiter=delimiter, tab=p.suffix.lower() == ".tsv") as records:
        early = records.check_header(items + [by] + list(design.columns))
        if early:
            raise InputError(early)
        for columns, rows in records.chunks(int(chunksize)):
            if records.malformed:
                continue
            frame = frame_of(columns, rows, records.name)
            try:
                part = count_design(frame, items, scale, design, by, file=name)
            except InputError as error:
                problems.extend(error.problems)
                continue
            if not problems:
                total = part if total is None else combine_design_counts([total, part])
        shape = records.shape_problems()
    if shape:
        raise InputError(cap_problems(shape, name))
    if problems:
        raise problems.error(name)
    if total is None:
        return count_design(pd.DataFrame({c: pd.Series(dtype=object) for c in
                                          items + ([by] if by else []) + list(design.columns)}),
                            items, scale, design, by, file=name)
    return total


def count_design_file(path: str | os.PathLike, items: Sequence[str], scale: LikertScale, design: Design,
                      by: str | None = None, *, encoding: str | None = None, delimiter: str | None = None,
                      file: str | None = None) -> DesignCounts:
    """Count a file read whole (any kind :func:`wai.input.readers.read_responses` reads) under a design."""
    wanted = list(items) + ([by] if by else []) + list(design.columns)
    try:
        frame = read_responses(path, encoding=encoding, delimiter=delimiter, columns=wanted)
        frame, scale = codes_for_scale(frame, items, scale)  # a numeric scale on a labelled SPSS/Stata file
        return count_design(frame, items, scale, design, by, file=file)
    except InputError as error:
        raise InputError(cap_problems(error.problems, file or str(path))) from None


def count_design_dask(ddf: Any, items: Sequence[str], scale: LikertScale, design: Design,
                      by: str | None = None) -> DesignCounts:
    """Count a dask DataFrame under a design: each partition where it lives, combined on the client."""
    from wai._checks import missing_columns
    from wai.input.dask import compute_partitions

    items = list(items)
    missing = missing_columns(items + [by] + list(design.columns), [str(c) for c in ddf.columns],
                              file="dask frame")
    if missing:
        raise InputError(missing)
    parts = compute_partitions(ddf, _partition, items, scale, design, by)
    return combine_design_counts([r for r in parts if r is not None])


def _partition(part: pd.DataFrame, items: list[str], scale: LikertScale, design: Design, by: str | None,
               number: int) -> tuple[DesignCounts | None, list]:
    part = part.copy(deep=False)
    part.attrs = {}
    try:
        return count_design(part, items, scale, design, by, file=f"dask partition {number}"), []
    except InputError as error:
        return None, list(error.problems)
