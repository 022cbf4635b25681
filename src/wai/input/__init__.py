"""Reading survey files: readers for CSV, Excel, SPSS and Stata, chunked and dask counting.

- :mod:`wai.input.readers`: :func:`read_responses`, one frame from any supported file.
- :mod:`wai.input.records`: the one record loop of text files, read whole or in chunks.
- :mod:`wai.input.chunked`: counting a CSV in chunks (:func:`~wai.input.chunked.count_csv`) or whole.
- :mod:`wai.input.dask`: counting a dask DataFrame on its cluster.
- :mod:`wai.input.problems`: problems of many chunks listed as the whole file lists them.
- :mod:`wai.input.streaming`: summing counts tables of chunks; re-exports the counters.
"""

from wai.input.readers import read_responses

__all__ = ["read_responses"]
