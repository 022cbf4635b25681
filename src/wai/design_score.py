"""``wai.score(..., design=)``: scoring under a survey design.

Counting goes by what the frame is (a DataFrame, a path read whole or in
chunks, a dask frame, or :class:`wai.design.DesignCounts` made before), all
giving the same :class:`~wai.design.DesignCounts`; the index and band
columns then come from :func:`wai.scoring.score_counts` on the design's
counts table, and the inference columns from
:func:`wai.design.design_inference`. With frequency weights only, the counts
are whole numbers and every column, intervals and bootstrap included, is
that of the expanded rows.
"""

from __future__ import annotations

import os
from typing import Any, Sequence

import pandas as pd

from wai.design import Design, DesignCounts, count_design, design_inference
from wai.errors import OptionError
from wai.scales import LikertScale, default_scale

__all__ = ["count_with_design", "score_design"]


def count_with_design(frame: Any, items: Sequence[str] | None, scale: LikertScale | None, by: str | None,
                      design: Design, *, file: str | None = None, chunksize: int | None = None,
                      encoding: str | None = None, delimiter: str | None = None) -> DesignCounts:
    """The :class:`DesignCounts` of whatever ``score`` was given.

    >>> from wai.scales import LEVEL5
    >>> df = pd.DataFrame({"q": ["High", "Low"], "f": [3, 1]})
    >>> count_with_design(df, ["q"], LEVEL5, None, Design(frequency="f")).table()["n"].tolist()
    [4]
    """
    if not isinstance(design, Design):
        raise OptionError("design", design, "a wai.Design")
    if isinstance(frame, DesignCounts):
        if frame.design != design:
            raise OptionError("design", design, "the design the DesignCounts were made with")
        return frame
    if items is None:
        raise OptionError("items", None, "the item columns to score (a sequence of column names)")
    scale = default_scale(scale)
    if isinstance(frame, (str, os.PathLike)):
        from wai.input.designed import count_design_csv, count_design_file

        if chunksize is not None:
            return count_design_csv(frame, items, scale, design, by, chunksize=chunksize, encoding=encoding,
                                    delimiter=delimiter)
        return count_design_file(frame, items, scale, design, by, encoding=encoding, delimiter=delimiter,
                                 file=file)
    from wai.input.dask import is_dask_frame

    if is_dask_frame(frame):
        from wai.input.designed import count_design_dask

        return count_design_dask(frame, items, scale, design, by)
    if not isinstance(frame, pd.DataFrame):
        raise OptionError("frame", type(frame).__name__, "a DataFrame, a path, a dask frame or DesignCounts "
                          "with design= (Counts carry no strata or clusters)")
    return count_design(frame, items, scale, design, by, file=file)


def score_design(dc: DesignCounts, bands: Any, *, rule: str, decimals: int, ci_method: str,
                 confidence_level: float, n_resamples: int, seed: int | None) -> pd.DataFrame:
    """The :func:`wai.score` table of design counts (the ``n_obs`` and ``wsq_`` columns dropped).

    ``ci_method`` ``"logit"`` asks for the logit-scale interval; any other
    choice gives the design's normal interval (cut to [0, 1], flagged),
    except with frequency weights only, where the choice is that of
    unweighted counts.

    >>> from wai.bands import CHAPTER11_BANDS
    >>> from wai.scales import LEVEL5
    >>> dc = count_design(pd.DataFrame({"q": ["High", "Low", "Neutral", "High"], "c": [1, 1, 2, 3]}), ["q"],
    ...                   LEVEL5, Design(clusters="c"))
    >>> score_design(dc, CHAPTER11_BANDS, rule="rounded", decimals=2, ci_method="t", confidence_level=0.95,
    ...              n_resamples=99, seed=0)[["item", "n", "wai_rounded", "se", "ci_method"]].round(4)
      item    n wai_rounded      se      ci_method
    0    q  4.0        0.56  0.0716  linearization
    """
    from wai.counting import wsq_columns
    from wai.inference import INFERENCE_COLUMNS
    from wai.scoring import score_counts

    from wai.counting import count_columns

    table = dc.table()
    plain = dc.design.frequency_only
    lead = ([dc.by] if dc.by else []) + ["item", "n", "n_missing", "n_blank", "n_nonscale"]
    extra = [] if plain else ["n_obs"] + wsq_columns(dc.scale.points)
    table = table[lead + count_columns(dc.scale.points) + extra]  # the column order of score()
    scored = score_counts(table, dc.scale, bands, rule=rule, decimals=decimals,  # type: ignore[arg-type]
                          ci_method=ci_method if plain else "t", confidence_level=confidence_level,
                          n_resamples=n_resamples, seed=seed)
    if not plain:
        bands_of_rows = [None if pd.isna(b) else str(b) for b in scored["band"]]
        inference = design_inference(dc, bands, bands_of_rows, rule=rule, confidence_level=confidence_level,
                                     ci_method="logit" if ci_method == "logit" else "linearization")
        inference.index = scored.index
        for column in INFERENCE_COLUMNS:
            scored[column] = inference[column]
    return scored.drop(columns=[c for c in ["n_obs"] + wsq_columns(dc.scale.points) if c in scored.columns])
