"""What a report run is doing, said on a terminal: one line per stage, a bar on long stages.

:class:`Progress` writes to a stream (the terminal's standard error) only
when it is enabled: :func:`terminal_progress` enables it when the stream is
a terminal and ``quiet`` is false, so a run in a pipe, a log or a test says
nothing. It never touches an output file: the report's bytes are the same
with or without it.

>>> import io
>>> out = io.StringIO()
>>> p = Progress(out, enabled=True, width=10)
>>> p.stage("analysing")
>>> bar = p.bar("drawing figures", 4)
>>> bar.advance(); bar.advance(3); p.done()
>>> print(out.getvalue().replace("\\r", "|"))
analysing ...
|drawing figures [          ] 0/4|drawing figures [##        ] 1/4|drawing figures [##########] 4/4
done
<BLANKLINE>
"""

from __future__ import annotations

from typing import TextIO

__all__ = ["Progress", "ProgressBar", "terminal_progress"]


class ProgressBar:
    """A bar of one stage: ``advance()`` as each unit of work ends."""

    def __init__(self, progress: Progress, label: str, total: int):
        self.progress, self.label, self.total, self.count = progress, label, max(int(total), 0), 0
        self._draw()

    def advance(self, n: int = 1) -> None:
        """``n`` more units done."""
        self.count = min(self.count + n, self.total) if self.total else self.count + n
        self._draw()

    def set_total(self, total: int) -> None:
        """The number of units, once known (a bar started with 0 counts without a bar meanwhile)."""
        self.total = max(int(total), self.count)
        self._draw()

    def _draw(self) -> None:
        p = self.progress
        if not p.enabled:
            return
        if not self.total:
            p.write(f"\r{self.label} {self.count}")
            return
        filled = p.width * self.count // self.total
        p.write(f"\r{self.label} [{'#' * filled}{' ' * (p.width - filled)}] {self.count}/{self.total}")


class Progress:
    """Stage lines and bars on ``stream`` when ``enabled``; silent otherwise.

    Parameters
    ----------
    stream : text stream
        Where to write (a terminal's standard error).
    enabled : bool
        False: every call does nothing.
    width : int
        Characters of a bar.
    """

    def __init__(self, stream: TextIO | None = None, *, enabled: bool = False, width: int = 30):
        self.stream, self.enabled, self.width = stream, bool(enabled and stream is not None), width
        self._open_bar = False

    def write(self, text: str) -> None:
        if self.enabled and self.stream is not None:
            self.stream.write(text)
            self.stream.flush()
            self._open_bar = not text.endswith("\n")

    def stage(self, label: str) -> None:
        """A new stage: ``label ...`` on a line of its own."""
        self._end_bar()
        self.write(f"{label} ...\n")

    def bar(self, label: str, total: int) -> ProgressBar:
        """A stage with a bar of ``total`` units."""
        self._end_bar()
        return ProgressBar(self, label, total)

    def done(self, label: str = "done") -> None:
        """The end of the run."""
        self._end_bar()
        self.write(f"{label}\n")

    def _end_bar(self) -> None:
        if self._open_bar:
            self.write("\n")


def terminal_progress(stream: TextIO, quiet: bool = False) -> Progress:
    """Progress on ``stream`` if it is a terminal and not ``quiet``; else a silent one.

    >>> import io
    >>> terminal_progress(io.StringIO()).enabled  # not a terminal
    False
    """
    isatty = getattr(stream, "isatty", None)
    return Progress(stream, enabled=bool(not quiet and callable(isatty) and isatty()))
