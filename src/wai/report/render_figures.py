"""The report's figures, from a :class:`~wai.report.analysis.StudyResults` alone.

:func:`queue_figures` hands every figure of the report to a
:class:`FigureQueue`, which draws them with :mod:`wai.report.figures` (the
only place matplotlib enters) in worker processes when the machine has more
than one core.
"""

from __future__ import annotations

from pathlib import Path
from types import TracebackType
from typing import Any, Callable, Iterator, Sequence

import pandas as pd

from wai.io import write_roots, writes_within
from wai.report import group_views, views
from wai.report.analysis import StudyResults

__all__ = ["FigureQueue", "queue_figures", "drawing_order", "die_with_parent"]

_PR_SET_PDEATHSIG = 1


def die_with_parent(parent: int, poll: float = 0.5) -> None:
    """Make this (worker) process end when process ``parent`` does, a killed parent included.

    On Linux ``prctl(PR_SET_PDEATHSIG, SIGKILL)`` has the kernel kill this
    process when its parent ends; the parent is checked right after
    setting it (had it ended just before, this process was reparented and
    no signal would come), and if it is gone this process ends at once.
    Elsewhere (or if ``prctl`` cannot be called) a daemon thread polls
    :func:`os.getppid` every ``poll`` seconds and ends the process when it
    is no longer ``parent``.

    >>> import multiprocessing, os
    >>> worker = multiprocessing.get_context("fork").Process(target=die_with_parent, args=(os.getpid(),))
    >>> worker.start(); worker.join(); worker.exitcode  # the parent is alive: the worker goes on (and ends)
    0
    """
    import os
    import signal
    import sys

    if sys.platform.startswith("linux"):
        try:
            import ctypes

            libc = ctypes.CDLL(None, use_errno=True)
            if libc.prctl(_PR_SET_PDEATHSIG, int(signal.SIGKILL), 0, 0, 0) == 0:
                if os.getppid() != parent:
                    os._exit(1)
                return
        except (OSError, AttributeError):
            pass
    if os.getppid() != parent:
        os._exit(1)
    import threading
    import time

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(poll)
        os._exit(1)

    threading.Thread(target=watch, name="wai-die-with-parent", daemon=True).start()


class FigureQueue:
    """Draws the report's figures, in worker processes when the machine has more than one core.

    Figures are independent of each other and of the rest of the run, and
    drawing them is most of a report's time, so they are drawn while the
    main process writes the rest. When the queue is made, one process is
    forked (:class:`_Drawing`); it imports matplotlib, once, in parallel with
    whatever this process does next (a report makes the queue before it
    reads the responses), then forks the workers from itself, so they start
    with matplotlib loaded. This process never imports matplotlib; where
    ``fork`` is not available the figures are drawn here, one after the
    other. Either way each figure's files are the same bytes, and a worker
    writes only where :func:`wai.io.writes_within` lets this process write
    when the figure is queued. :meth:`wait`, or leaving the ``with`` block,
    waits for every figure (and re-raises a worker's error).

    Every process ends with the one that started it, even one killed with
    ``SIGKILL``: each runs :func:`die_with_parent` first. They are started
    from the thread that makes the queue (on Linux a process's death signal
    follows that thread), which outlives them, as the ``with`` block waits
    for them.
    """

    def __init__(self, on_done: Callable[[], None] | None = None) -> None:
        """``on_done`` is called (in this process) as each figure is finished: a progress bar's step.

        The drawing process starts at once and imports matplotlib while this
        process goes on (reading and analysing the responses, when the queue
        is made first): this process never imports it.
        """
        import multiprocessing
        import os

        self.on_done = on_done or (lambda: None)
        self._pool: _Drawing | None = None
        self._jobs: list[int] = []
        workers = min(4, os.cpu_count() or 1)
        if workers > 1 and "fork" in multiprocessing.get_all_start_methods():
            self._pool = _Drawing(workers)

    def add(self, name: str, table: pd.DataFrame, **kwargs: Any) -> list[Path]:
        """Queue one figure (a function of :mod:`wai.report.figures`); returns the paths it will write."""
        stem = str(kwargs["stem"])
        if self._pool is None:
            paths = _draw(name, table, kwargs, write_roots())
            self.on_done()
            return paths
        # the worker writes under the same limits as this process (wai.io.writes_within)
        self._jobs.append(self._pool.submit(_draw, name, table, kwargs, write_roots()))
        return [Path(stem + suffix) for suffix in (".png", ".svg", ".csv")]

    def add_all(self, jobs: Sequence[tuple[str, pd.DataFrame, dict[str, Any]]]) -> list[Path]:
        """Queue several figures ``(name, table, options)``, the longest to draw first; their paths in ``jobs`` order.

        Workers take the figures in the order queued, so the longest ones
        (:func:`drawing_order`) go first and the short ones fill in at the
        end: both cores stay busy until the last figure is done. Each
        figure's files are the same bytes whatever the order.
        """
        paths: dict[int, list[Path]] = {}
        for i in drawing_order(jobs) if self._pool is not None else range(len(jobs)):
            name, table, kwargs = jobs[i]
            paths[i] = self.add(name, table, **kwargs)
        return [p for i in range(len(jobs)) for p in paths[i]]

    def __enter__(self) -> FigureQueue:
        return self

    def wait(self) -> None:
        """Wait for every figure queued so far (re-raising a worker's error); the workers stay for more."""
        if self._pool is None:
            return
        jobs, self._jobs = self._jobs, []
        error = None
        for _, failure in self._pool.answers(jobs):
            if failure is not None:
                if error is None:  # the first error is raised, once every figure has answered
                    error = failure
                    self._pool.cancel()
            else:
                self.on_done()
        if error is not None:
            raise error

    def cancel(self) -> None:
        """Drop the figures not started and wait for those being drawn: afterwards no worker writes a file."""
        if self._pool is None:
            return
        from concurrent.futures.process import BrokenProcessPool

        jobs, self._jobs = self._jobs, []
        try:
            self._pool.cancel()
            for _ in self._pool.answers(jobs):
                pass
        except BrokenProcessPool:
            pass  # the drawing process is gone, and its workers with it: none writes any more

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None,
                 trace: TracebackType | None) -> None:
        if self._pool is None:
            return
        try:
            if kind is None:
                self.wait()
            else:
                self.cancel()
        finally:
            self._pool.shutdown()


class _Drawing:
    """The drawing process: forked once, it imports matplotlib and forks the workers from itself.

    Each of them would otherwise import matplotlib on its own. This process
    sends it calls ``(fn, args)`` (picklable, module-level functions) down a
    pipe; it runs them on its :class:`~concurrent.futures.ProcessPoolExecutor`
    and sends back one answer per call, in the order they end: its result,
    its error, or that it was cancelled. A worker that dies, or the drawing
    process itself, ends every call still running with
    :class:`~concurrent.futures.process.BrokenProcessPool`.
    """

    def __init__(self, workers: int) -> None:
        import multiprocessing
        import multiprocessing.util
        import os

        context = multiprocessing.get_context("fork")
        self._conn, theirs = context.Pipe()
        # not a daemon: a daemon may not start processes of its own
        self._process = context.Process(target=_drawing_process, args=(theirs, self._conn, workers, os.getpid()),
                                        name="wai-figures")
        self._process.start()
        theirs.close()
        # At exit, before multiprocessing joins its children, the pipe closes: the drawing process ends on
        # its own even if shutdown() was never called (as multiprocessing.Pool does with its own).
        multiprocessing.util.Finalize(self, self._conn.close, exitpriority=10)
        self._next = 0
        self._answers: dict[int, tuple[Any, BaseException | None]] = {}

    def submit(self, fn: Callable[..., Any], *args: Any) -> int:
        """Queue ``fn(*args)`` in a worker; returns the call's number, for :meth:`answers`."""
        self._next += 1
        self._send(("call", self._next, fn, args))
        return self._next

    def answers(self, calls: Sequence[int]) -> Iterator[tuple[Any, BaseException | None]]:
        """``(result, None)``, ``(None, error)`` or (cancelled) ``(None, CancelledError)`` of each call, as they end."""
        waiting = set(calls)
        for call in [c for c in waiting if c in self._answers]:
            waiting.discard(call)
            yield self._answers.pop(call)
        while waiting:
            call, answer = self._receive()
            if call in waiting:
                waiting.discard(call)
                yield answer
            else:
                self._answers[call] = answer

    def cancel(self) -> None:
        """Drop every call not yet started (each answers ``CancelledError``); those running go on."""
        self._send(("cancel",))

    def shutdown(self) -> None:
        """Let the workers and the drawing process end (each call running first ends), and wait for them."""
        from concurrent.futures.process import BrokenProcessPool

        try:
            self._send(("stop",))
        except BrokenProcessPool:  # (already gone)
            pass
        self._conn.close()
        self._process.join()

    def _send(self, message: tuple[Any, ...]) -> None:
        try:
            self._conn.send(message)
        except (OSError, EOFError) as exc:
            raise _gone() from exc

    def _receive(self) -> tuple[int, tuple[Any, BaseException | None]]:
        try:
            call, result, error = self._conn.recv()
        except (OSError, EOFError) as exc:
            raise _gone() from exc
        return call, (result, error)


def _gone() -> BaseException:
    """The error of a pipe to a drawing process that has ended."""
    from concurrent.futures.process import BrokenProcessPool

    return BrokenProcessPool("the figure process ended before the figures were drawn")


def _drawing_process(conn: Any, parents_end: Any, workers: int, parent: int) -> None:
    """The drawing process: import matplotlib, fork ``workers`` workers, run the calls ``conn`` sends.

    ``parents_end`` is the other end of the pipe, inherited by the fork: it is
    closed first, so that the pipe ends (``EOFError`` here) when the parent
    closes it or ends.
    """
    import functools
    import multiprocessing
    import os
    import threading
    from concurrent.futures import CancelledError, Future, ProcessPoolExecutor

    parents_end.close()
    die_with_parent(parent)
    from wai.report import figures  # noqa: F401  (the only place matplotlib enters; the workers inherit it)

    me = os.getpid()
    pool = ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("fork"),
                               initializer=die_with_parent, initargs=(me,))
    pool.submit(_started)  # with fork, the first submission forks every worker: now, not at the first figure
    lock = threading.Lock()
    running: dict[int, Future[Any]] = {}

    def answer(call: int, future: Future[Any]) -> None:
        if future.cancelled():
            reply: tuple[Any, ...] = (call, None, CancelledError())
        elif future.exception() is not None:
            reply = (call, None, future.exception())
        else:
            reply = (call, future.result(), None)
        with lock:
            running.pop(call, None)
            try:
                conn.send(reply)
            except (OSError, EOFError):
                pass  # this process's parent is gone: nothing to tell
            except Exception as exc:  # noqa: BLE001  (an answer that will not pickle: say so, never leave it unanswered)
                conn.send((call, None, RuntimeError(f"a figure's answer could not be sent back: {exc!r}")))

    try:
        while True:
            try:
                message = conn.recv()
            except (OSError, EOFError):
                break
            if message[0] == "call":
                _, call, fn, args = message
                future = pool.submit(fn, *args)
                with lock:
                    running[call] = future
                future.add_done_callback(functools.partial(answer, call))
            elif message[0] == "cancel":
                with lock:
                    futures = list(running.values())
                for future in futures:
                    future.cancel()
            else:  # "stop"
                break
    finally:
        pool.shutdown(wait=True, cancel_futures=True)


_DRAWING_RANK = {"grouped_diverging_figure": 3, "diverging_figure": 2, "wai_figure": 1, "distribution_figure": 0}
"""The figure kinds, longest to draw highest (a grouped chart draws a bar per item and group)."""


def drawing_order(jobs: Sequence[tuple[str, pd.DataFrame, dict[str, Any]]]) -> list[int]:
    """The positions of ``jobs`` ``(name, table, options)``, longest to draw first.

    By kind (grouped diverging bars, diverging bars, WAI bars, then a
    distribution), then by rows plotted; ties keep their order.

    >>> small, big = pd.DataFrame({"item": ["a"]}), pd.DataFrame({"item": ["a", "b"]})
    >>> drawing_order([("wai_figure", small, {}), ("grouped_diverging_figure", small, {}),
    ...                ("wai_figure", big, {})])
    [1, 2, 0]
    """
    return sorted(range(len(jobs)), key=lambda i: (-_DRAWING_RANK.get(jobs[i][0], 0), -len(jobs[i][1])))


def _started() -> None:
    """Nothing: submitted once so that the pool forks its workers at once."""


def _draw(name: str, table: pd.DataFrame, kwargs: dict[str, Any], roots: tuple[Path, ...]) -> list[Path]:
    from wai.report import figures

    with writes_within(*roots):
        paths: list[Path] = getattr(figures, name)(table, **kwargs)
    return paths


def queue_figures(results: StudyResults, out: Path, figures: FigureQueue, *,
                  formula_escape: bool = True) -> list[Path]:
    """Every figure of the report: the publication's, then each WAI display's answers; their paths.

    The figures are queued together, the longest to draw first
    (:meth:`FigureQueue.add_all`); the paths come in the order above.
    ``formula_escape`` is that of :func:`wai.io.write_csv`, for each figure's ``.csv``.
    """
    study = results.study
    jobs: list[tuple[str, pd.DataFrame, dict[str, Any]]] = []
    common = {"caption": False, "formula_escape": formula_escape}
    # Titles and captions are the page's (wai.report.page), printed once there: the images carry neither.
    for display in study.displays:
        if display.kind == "distribution":
            jobs.append(("distribution_figure", views.distribution_plotted(results, display),
                         dict(title=views.title(display), stem=out / display.id,
                              note=views.distribution_note(results, display), **common)))
        elif not display.is_table:
            items = study.items_in(display.id)
            jobs.append(("wai_figure", results.display_rows[display.id],
                         dict(title=views.title(display), bands=study.bands_of(items[0]) if items else study.bands,
                              stem=out / display.id, note=views.wai_figure_notes(results, display), **common)))
    for display in (d for d in study.displays if d.kind == "wai"):
        jobs.append(("diverging_figure", views.answers_plotted(results, display),
                     dict(title=f"{views.title(display)}: all answers",
                          labels=list(study.display_scale(display.id).labels), stem=out / f"{display.id}_answers",
                          note=views.answers_note(results), **common)))
    jobs += _grouped_figures(results, out, formula_escape=formula_escape)
    plotted = group_views.constructs_plotted(results)
    if len(plotted):
        jobs.append(("wai_figure", plotted, dict(title="Constructs", bands=study.bands, stem=out / "constructs_figure",
                                                 note=views.band_note(study), **common)))
    return figures.add_all(jobs)


def _grouped_figures(results: StudyResults, out: Path, *,
                     formula_escape: bool = True) -> list[tuple[str, pd.DataFrame, dict[str, Any]]]:
    """Each WAI display's answers by each compared field's groups: ``<display>_by_<field>.{png,svg,csv}``."""
    jobs = []
    study = results.study
    for comparison in results.comparisons:
        for display in (d for d in study.displays if d.kind == "wai"):
            jobs.append(("grouped_diverging_figure", group_views.grouped_answers(results, comparison, display),
                         dict(**group_views.grouped_figure_options(results, comparison, display),
                              stem=out / group_views.grouped_stem(comparison, display), caption=False,
                              formula_escape=formula_escape)))
    return jobs
