"""``python -m wai.reconstruct``: the same as ``python -m wai reconstruct`` (:mod:`wai.cli.reconstruct`)."""

from wai.cli._common import exit_now
from wai.cli.reconstruct import main

if __name__ == "__main__":
    exit_now(main())
