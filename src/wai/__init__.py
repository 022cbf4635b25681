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

from wai.bands import CHAPTER11_BANDS, Band, BandScheme, BandVerdict
from wai.errors import BandError, CodebookError, InputError, OptionError, OutputError, Problem, ScaleError, WaiError
from wai.exact import parse_reported, round_half_up
from wai.feasible import FeasibleCounts, feasible_counts
from wai.index import ItemIndex, convert, index_from_counts, item_index, scheme_weights, wai_from_counts
from wai.scales import AGREEMENT5, CHAPTER11_SCALE, FREQUENCY5, LEVEL5, SATISFACTION5, LikertScale
from wai.counting import count_items
from wai.counts import Counts, count
from wai.scoring import score_counts
from wai.score import score
from wai.validate import validate, validate_tables
from wai.inference import (BandCertainty, IndexInterval, band_certainty, category_intervals, kish_effective_n,
                           wai_interval, weighted_wai)
from wai.reliability import AlphaResult, alpha
from wai.groups import compare
from wai.design import Design, DesignCounts, count_design

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
