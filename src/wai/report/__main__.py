"""``python -m wai.report``: the same as ``python -m wai report`` (:mod:`wai.cli.report`)."""

import sys

from wai.cli.report import main

if __name__ == "__main__":
    sys.exit(main())
