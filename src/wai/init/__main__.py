"""``python -m wai.init``: the same as ``python -m wai init`` (:mod:`wai.cli.init`)."""

import sys

from wai.cli.init import main

if __name__ == "__main__":
    sys.exit(main())
