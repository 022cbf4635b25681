"""Reading survey files: readers for CSV, Excel, SPSS and Stata, chunked and dask counting.

- :mod:`wai.input.readers`: :func:`read_responses`, one frame from any supported file.
- :mod:`wai.input.streaming`: counting a CSV in chunks, and a dask DataFrame on its cluster.
"""

from wai.input.readers import read_responses

__all__ = ["read_responses"]
