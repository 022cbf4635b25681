"""``python -m wai.score``: the same as ``python -m wai score`` (:mod:`wai.cli.score`)."""

from wai.cli._common import exit_now
from wai.cli.score import main

if __name__ == "__main__":
    exit_now(main())
