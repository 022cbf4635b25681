"""Counts tables of chunks summed into the table of the whole, and the chunked and dask counters.

Every estimate in :mod:`wai` is a function of the counts table that
:func:`wai.counting.count_items` returns, and counts add: the counts of the
chunks of a file sum to the counts of the file. :func:`combine_counts` uses
that; it lives with the counts type in :mod:`wai.counts`. The counters
that use it live in their own modules; all are re-exported here:

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

from wai.counts import combine_counts
from wai.input.chunked import PROGRESS_BYTES, count_csv
from wai.input.dask import count_dask, is_dask_frame

__all__ = ["combine_counts", "count_csv", "count_dask", "is_dask_frame", "PROGRESS_BYTES"]
