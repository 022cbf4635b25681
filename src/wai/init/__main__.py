"""``python -m wai.init``: the same as ``python -m wai init`` (:mod:`wai.cli.init`)."""

from wai.cli._common import exit_now
from wai.cli.init import main

if __name__ == "__main__":
    exit_now(main())
