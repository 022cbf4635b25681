"""The commands, one module each, every one ``main(argv=None) -> int``.

``python -m wai <command>``, the ``wai`` console script and ``python -m wai.<command>``
all run the same ``main``: ``score``, ``validate``, ``init``, ``report``, ``reconstruct``.
Exit status: 0 done; 1 the command's finding (something inconsistent, a number not
reproduced, a refused overwrite); 2 bad input or a bad option.
"""

from __future__ import annotations

import importlib
import sys
from typing import Sequence

__all__ = ["COMMANDS", "main", "console"]

COMMANDS = {
    "score": "score Likert items in a survey file (tidy CSV on standard output)",
    "validate": "audit published tables for arithmetic that cannot be true",
    "init": "draft a study folder and codebook from a survey export",
    "report": "rebuild a study's figures and tables from its raw responses",
    "reconstruct": "regenerate a study's reconstructed responses",
}


def _usage() -> str:
    width = max(map(len, COMMANDS))
    lines = ["usage: wai <command> [options]   (or: python -m wai <command> [options])", "", "commands:"]
    lines += [f"  {name:<{width}}  {text}" for name, text in COMMANDS.items()]
    lines += ["", "wai <command> --help describes each command."]
    return "\n".join(lines) + "\n"


def main(argv: Sequence[str] | None = None) -> int:
    """Run ``wai <command> ...``: dispatch to the command's own ``main``.

    >>> main(["--help"])  # doctest: +ELLIPSIS
    usage: wai <command> [options] ...
    0
    """
    args = list(sys.argv[1:] if argv is None else argv)
    if not args or args[0] in ("-h", "--help"):
        (sys.stdout if args else sys.stderr).write(_usage())
        return 0 if args else 2
    if args[0] == "--version":
        from wai import __version__

        print(f"wai {__version__}")
        return 0
    name, rest = args[0], args[1:]
    if name not in COMMANDS:
        import difflib

        near = difflib.get_close_matches(name, COMMANDS, n=1)
        hint = f" (did you mean {near[0]!r}?)" if near else ""
        sys.stderr.write(f"error: unknown command {name!r}{hint}; expected one of {', '.join(COMMANDS)}\n")
        return 2
    module = importlib.import_module(f"wai.cli.{name}")
    return int(module.main(rest))


def console() -> None:
    """The ``wai`` console script: :func:`main` on the command line, ended as ``python -m wai`` ends.

    That is :func:`wai.cli._common.exit_now`: the ``atexit`` handlers run and both streams are
    flushed, without the interpreter's teardown.
    """
    from wai.cli._common import exit_now

    exit_now(main())

