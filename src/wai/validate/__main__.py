"""``python -m wai.validate``: the same as ``python -m wai validate`` (:mod:`wai.cli.validate`)."""

from wai.cli._common import exit_now
from wai.cli.validate import main

if __name__ == "__main__":
    exit_now(main())
