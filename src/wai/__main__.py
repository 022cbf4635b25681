"""``python -m wai <command> ...``: dispatch to :mod:`wai.cli`."""

import sys

from wai.cli import main

if __name__ == "__main__":
    sys.exit(main())
