"""``python -m wai <command> ...``: dispatch to :mod:`wai.cli`."""

from wai.cli._common import exit_now
from wai.cli import main

if __name__ == "__main__":
    exit_now(main())
