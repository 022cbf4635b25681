"""``python -m wai.report``: the same as ``python -m wai report`` (:mod:`wai.cli.report`)."""

from wai.cli._common import exit_now
from wai.cli.report import main

if __name__ == "__main__":
    exit_now(main())
