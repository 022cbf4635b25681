"""``python -m wai.reconstruct``: the same as ``python -m wai reconstruct`` (:mod:`wai.cli.reconstruct`)."""

import sys

from wai.cli.reconstruct import main

if __name__ == "__main__":
    sys.exit(main())
