"""``python -m wai.validate``: the same as ``python -m wai validate`` (:mod:`wai.cli.validate`)."""

import sys

from wai.cli.validate import main

if __name__ == "__main__":
    sys.exit(main())
