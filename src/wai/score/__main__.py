"""``python -m wai.score``: the same as ``python -m wai score`` (:mod:`wai.cli.score`)."""

import sys

from wai.cli.score import main

if __name__ == "__main__":
    sys.exit(main())
