"""``wai.validate``: check a published table; ``python -m wai.validate``: the same as a command.

The checks live in :mod:`wai.audit`; this package re-exports them so that
``wai.validate(...)`` and ``python -m wai.validate`` share one name.
"""

from wai.audit import validate, validate_tables

__all__ = ["validate", "validate_tables"]
