"""``python -m wai.reconstruct``: the command; the procedure is :mod:`wai.study.reconstruct`."""

from wai.study.reconstruct import category_counts_for_sum, reconstruct

__all__ = ["category_counts_for_sum", "reconstruct"]
