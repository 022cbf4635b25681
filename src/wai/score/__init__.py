"""``wai.score``: the scoring function, and ``python -m wai.score``, the same as a command.

The function lives in :mod:`wai.scoring`; this package re-exports it so that
``wai.score(...)`` and ``python -m wai.score`` share one name.
"""

from wai.scoring import score

__all__ = ["score"]
