"""wai: score Likert surveys with the Weighted Average Index, band the scores,
rebuild published studies from raw responses and audit published tables.

The WAI of an item answered on a K-point scale is ``sum(F_k W_k) / sum(F_k)``
with equally spaced weights ``W_k = (k - 1)/(K - 1)`` (0, 0.25, 0.5, 0.75, 1
on five points), computed exactly from the category counts and rounded half
up. See :mod:`wai.index` for the arithmetic and :mod:`wai.bands` for banding.

>>> import wai
>>> str(wai.round_half_up(wai.wai_from_counts([0, 1, 2, 1, 0])))
'0.50'
"""

import importlib
import sys
import types
from typing import TYPE_CHECKING, Any

# Every public name and the module that defines it. Nothing is imported until a name is first
# used, so ``import wai`` pulls neither numpy nor pandas, scipy or statsmodels (start-up: the
# report and the command lines import only what they use).
_WHERE = {
    "wai.bands": ("CHAPTER11_BANDS", "Band", "BandScheme", "BandVerdict"),
    "wai.errors": ("BandError", "CodebookError", "InputError", "OptionError", "OutputError", "Problem",
                   "ScaleError", "WaiError"),
    "wai.exact": ("parse_reported", "round_half_up"),
    "wai.feasible": ("FeasibleCounts", "feasible_counts"),
    "wai.index": ("ItemIndex", "convert", "index_from_counts", "item_index", "scheme_weights", "wai_from_counts"),
    "wai.scales": ("AGREEMENT5", "CHAPTER11_SCALE", "FREQUENCY5", "LEVEL5", "SATISFACTION5", "LikertScale"),
    "wai.counting": ("count_items",),
    "wai.counts": ("Counts", "count"),
    "wai.scoring": ("score_counts", "score"),
    "wai.audit": ("validate", "validate_tables"),
    "wai.inference": ("BandCertainty", "IndexInterval", "band_certainty", "category_intervals", "kish_effective_n",
                      "wai_interval", "weighted_wai"),
    "wai.reliability": ("AlphaResult", "alpha"),
    "wai.groups": ("compare",),
    "wai.design": ("Design", "DesignCounts", "count_design"),
}
_HOME = {name: module for module, names in _WHERE.items() for name in names}
_SHADOWED = ("score", "validate")  # subpackages (python -m wai.score) named like the functions


def __getattr__(name: str) -> Any:
    module = _HOME.get(name)
    if module is None:
        raise AttributeError(f"module 'wai' has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(_HOME))


class _Package(types.ModuleType):
    """Keeps ``wai.score`` and ``wai.validate`` the functions when their subpackages are imported."""

    def __setattr__(self, name: str, value: object) -> None:
        if name in _SHADOWED and isinstance(value, types.ModuleType):
            return  # the subpackage stays in sys.modules; the attribute stays the function
        super().__setattr__(name, value)


sys.modules[__name__].__class__ = _Package

if TYPE_CHECKING:  # the names as type checkers and editors see them
    from wai.audit import validate, validate_tables
    from wai.bands import CHAPTER11_BANDS, Band, BandScheme, BandVerdict
    from wai.counting import count_items
    from wai.counts import Counts, count
    from wai.design import Design, DesignCounts, count_design
    from wai.errors import (BandError, CodebookError, InputError, OptionError, OutputError, Problem, ScaleError,
                            WaiError)
    from wai.exact import parse_reported, round_half_up
    from wai.feasible import FeasibleCounts, feasible_counts
    from wai.groups import compare
    from wai.index import ItemIndex, convert, index_from_counts, item_index, scheme_weights, wai_from_counts
    from wai.inference import (BandCertainty, IndexInterval, band_certainty, category_intervals,
                               kish_effective_n, wai_interval, weighted_wai)
    from wai.reliability import AlphaResult, alpha
    from wai.scales import AGREEMENT5, CHAPTER11_SCALE, FREQUENCY5, LEVEL5, SATISFACTION5, LikertScale
    from wai.scoring import score, score_counts

__version__ = "0.1.0"

__all__ = [
    "AGREEMENT5", "Band", "BandError", "BandScheme", "BandVerdict", "CHAPTER11_BANDS",
    "CHAPTER11_SCALE", "CodebookError", "FREQUENCY5", "SATISFACTION5", "FeasibleCounts", "feasible_counts", "InputError", "ItemIndex", "LEVEL5", "LikertScale",
    "OptionError", "OutputError", "Problem", "ScaleError", "Counts", "count", "WaiError", "convert", "count_items", "index_from_counts",
    "item_index", "parse_reported", "round_half_up", "scheme_weights", "score", "score_counts",
    "validate", "validate_tables", "wai_from_counts", "__version__",
    "AlphaResult", "BandCertainty", "IndexInterval", "alpha", "band_certainty", "category_intervals", "compare",
    "kish_effective_n", "wai_interval", "weighted_wai", "Design", "DesignCounts", "count_design",
]
