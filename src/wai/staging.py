"""Output folders switched from old to new in one atomic step, and cleaned after a killed run.

A run writes each output folder (``reports/``, ``data/derived/<study>/``) in
full into a *staging folder* beside it, in the same parent folder, so on the
same filesystem. Only when every file is written does the switch happen:

1. files of the old folder that the run did not write (``.gitkeep``, a
   ``rejected.csv`` of an earlier run, a user's notes) are carried into the
   staging folder (hard links, else copies), as a run always left them alone;
2. a *journal* ``.<name>.switch-<pid>-<token>.json`` is written (atomically)
   beside every target, naming each target, its staging folder and that
   folder's inode;
3. each target is switched in **one atomic step**: on Linux
   ``renameat2(RENAME_EXCHANGE)`` swaps the staging folder and the old folder
   (the path never goes missing; a kill leaves the whole old or the whole new
   folder); where that is not available the old folder is renamed aside and
   the new one renamed into place (a kill between the two leaves the target
   missing, restored by the next run). The targets are switched last to
   first: ``reports/``, whose ``manifest.json`` holds the hash of every table
   of both folders, goes last, so a new ``reports/`` always sits beside a new
   derived folder;
4. the journals are removed, then the old folders.

**The next run recovers** (:func:`recover`, called on entry): a journal whose
run is dead means every staging folder it names was complete, so the switch
is finished (the target whose inode is not yet the staged one is switched);
a staging or aside folder of a dead run without a journal is removed. Only
names this module makes are touched (``.<target>.staging-<pid>-<token>``,
``.<target>.old-<pid>-<token>``, the journal, and the
``.<target>.staging-XXXXXXXX`` of earlier versions when unmodified for an
hour); a name whose pid is a live process is left alone (a reused pid only
delays the clean-up; on Windows, where a pid cannot be probed harmlessly, leftovers are
kept).

Folders that cannot take the outputs are refused before anything is
written, as :class:`~wai.errors.OutputError` (exit 2, one line): an existing
target that is read-only, a target that is a mount point (it cannot be
renamed; write into a folder inside it), a parent where no staging folder
can be made. An :class:`OSError` while writing or switching (``ENOSPC``,
``EROFS``, ``EXDEV``, ...) becomes an :class:`~wai.errors.OutputError`
naming the folder and the reason; the staging folders are removed and the
previous outputs stay whole.

The targets must differ and neither may hold another (each is replaced
as a whole). A run needs room for a second set beside the first until the
switch (carried-over files are hard links, so they cost nothing).

``WAI_TEST_SWITCH_DELAY`` (seconds) slows each step of the switch; it exists
only for the kill test (``tests/test_faults.py``) and is read nowhere else.
"""

from __future__ import annotations

import ctypes
import errno
import json
import os
import re
import secrets
import shutil
import sys
import time
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Iterator

from wai.errors import OutputError

__all__ = ["staged_dirs", "recover", "check_targets"]

_LEGACY = re.compile(r"\.staging-[a-z0-9_]{8}$")
_LEGACY_AGE = 3600.0
_RENAME_EXCHANGE = 2
_AT_FDCWD = -100


def _names(final: Path) -> re.Pattern[str]:
    return re.compile(re.escape(f".{final.name}.") + r"(staging|old|switch)-(\d+)-([0-9a-f]{16})(\.json)?$")


def _alive(pid: int) -> bool:
    """Whether ``pid`` may be a live process (on Windows always: ``os.kill`` there would end it)."""
    if pid == os.getpid() or os.name == "nt":
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    except OSError:
        return True
    return True


def _delay() -> None:
    seconds = os.environ.get("WAI_TEST_SWITCH_DELAY")
    if seconds:
        time.sleep(float(seconds))


def _is_dir(path: Path) -> bool:
    try:
        return path.is_dir() and not path.is_symlink()
    except OSError:
        return False


def _fail(target: Path | str, exc: OSError) -> OutputError:
    name = errno.errorcode.get(exc.errno or 0, "")
    reason = exc.strerror or str(exc)
    return OutputError(str(target), f"{reason}{f' ({name})' if name else ''}", exc.errno)


def check_targets(*targets: str | os.PathLike) -> list[Path]:
    """Each target, resolved, checked to take a switched-in folder; :class:`OutputError` if not.

    Refused: an existing target that is not a folder, is read-only, or is a
    mount point; a target whose nearest existing ancestor cannot be written.

    >>> import tempfile
    >>> with tempfile.NamedTemporaryFile() as f:
    ...     check_targets(f.name)  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    wai.errors.OutputError: cannot write the outputs to ...: it is a file, not a folder; the previous outputs are unchanged
    """
    finals = []
    for target in targets:
        final = Path(target).resolve()
        if final.exists():
            if not final.is_dir():
                raise OutputError(str(target), "it is a file, not a folder")
            if os.path.ismount(final):
                raise OutputError(str(target), "it is a mount point (another filesystem than its parent), so it "
                                  "cannot be renamed; write into a folder inside it")
            if not os.access(final, os.W_OK):
                raise OutputError(str(target), "the folder is read-only")
        parent = final.parent
        while not parent.exists() and parent != parent.parent:
            parent = parent.parent
        if not os.access(parent, os.W_OK):
            raise OutputError(str(target), f"{parent} is read-only (staging folders are made beside the outputs)")
        finals.append(final)
    return finals


def _exchange(a: Path, b: Path) -> bool:
    """Swap two paths atomically (Linux ``renameat2``); ``False`` where that is not available."""
    if not sys.platform.startswith("linux"):
        return False
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        renameat2 = libc.renameat2
    except (OSError, AttributeError):
        return False
    if renameat2(_AT_FDCWD, os.fsencode(a), _AT_FDCWD, os.fsencode(b), _RENAME_EXCHANGE) == 0:
        return True
    code = ctypes.get_errno()
    if code in (errno.EINVAL, errno.ENOSYS, errno.ENOTSUP, errno.EOPNOTSUPP):
        return False
    raise OSError(code, os.strerror(code), str(b))


def _switch_one(staged: Path, final: Path, aside: Path) -> None:
    """Put ``staged`` at ``final`` in one step; the old folder ends at ``staged`` or ``aside``."""
    if not final.exists():
        os.rename(staged, final)
    elif not _exchange(staged, final):
        os.rename(final, aside)
        _delay()
        os.rename(staged, final)
    _fsync_dir(final.parent)


def _fsync_dir(folder: Path) -> None:
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def _carry_over(final: Path, staged: Path) -> None:
    """Files (and links, not followed) of the old ``final`` the run did not write, linked or copied into ``staged``."""
    if not _is_dir(final):
        return
    for folder, subfolders, files in os.walk(final):
        here = Path(folder)
        links = [name for name in subfolders if (here / name).is_symlink()]
        for name in sorted(files + links):
            path = here / name
            destination = staged / path.relative_to(final)
            if os.path.lexists(destination) or any(_is_file(p) for p in destination.parents if staged in p.parents):
                continue
            destination.parent.mkdir(parents=True, exist_ok=True)
            if path.is_symlink():
                os.symlink(os.readlink(path), destination)
                continue
            try:
                os.link(path, destination)
            except OSError:
                shutil.copy2(path, destination)
        subfolders[:] = [name for name in subfolders if name not in links]


def _is_file(path: Path) -> bool:
    return os.path.lexists(path) and not path.is_dir()


def _entry(final: Path, staged: Path, aside: Path) -> dict[str, Any]:
    info = staged.stat()
    return {"final": str(final), "staged": str(staged), "aside": str(aside), "ino": info.st_ino, "dev": info.st_dev}


def _journal_path(final: Path, pid: int, token: str) -> Path:
    return final.parent / f".{final.name}.switch-{pid}-{token}.json"


def _write_journal(path: Path, entries: list[dict[str, Any]]) -> None:
    from wai.io import write_text

    write_text(path, json.dumps({"entries": entries}, indent=1) + "\n")
    _fsync_dir(path.parent)


@contextmanager
def staged_dirs(*targets: str | os.PathLike) -> Iterator[list[Path]]:
    """Staging folders for ``targets``; switched in, as one set, only if the block succeeds.

    See the module for the protocol. A failure (any exception, a kill) before
    the switch leaves every target as it was.

    >>> import tempfile, pathlib
    >>> d = pathlib.Path(tempfile.mkdtemp())
    >>> from wai.io import write_text
    >>> with staged_dirs(d / "reports", d / "derived") as (reports, derived):
    ...     _ = write_text(reports / "a.md", "new"), write_text(derived / "b.csv", "x\\n")
    >>> (d / "reports" / "a.md").read_text(), sorted(p.name for p in d.iterdir())
    ('new', ['derived', 'reports'])
    """
    finals = check_targets(*targets)
    for i, a in enumerate(finals):
        for b in finals[i + 1:]:
            if a == b or a in b.parents or b in a.parents:
                raise OutputError(f"{targets[i]} and {targets[finals.index(b)]}",
                                  "the output folders must differ, neither inside the other")
    recover(*finals)
    pid, token = os.getpid(), secrets.token_hex(8)
    staged: list[Path] = []
    try:
        for final in finals:
            final.parent.mkdir(parents=True, exist_ok=True)
            path = final.parent / f".{final.name}.staging-{pid}-{token}"
            path.mkdir()
            staged.append(path)
        yield list(staged)
        for final, path in zip(finals, staged):
            _carry_over(final, path)
    except OutputError:
        _remove(staged)
        raise
    except OSError as exc:
        _remove(staged)
        raise _blame(exc, targets, finals, staged) from None
    except BaseException:
        _remove(staged)
        raise
    _switch(finals, staged, pid, token, targets)


def _blame(exc: OSError, targets: tuple[Any, ...], finals: list[Path], staged: list[Path]) -> OutputError | OSError:
    """The target whose staging folder the failed path is in (every target when no path is named)."""
    where = str(exc.filename or "")
    for target, final, path in zip(targets, finals, staged):
        if where.startswith(str(path)) or where.startswith(str(final)):
            return _fail(target, exc)
    if where:
        return exc  # not an output: reading something failed
    return _fail(" and ".join(map(str, targets)), exc)  # a write() of no named file: ENOSPC, EIO


def _switch(finals: list[Path], staged: list[Path], pid: int, token: str, targets: tuple[Any, ...]) -> None:
    asides = [f.parent / f".{f.name}.old-{pid}-{token}" for f in finals]
    entries = [_entry(f, s, a) for f, s, a in zip(finals, staged, asides)]
    journals = sorted({_journal_path(f, pid, token) for f in finals})
    done = []
    try:
        for journal in journals:
            _write_journal(journal, entries)
        _delay()
        for i in reversed(range(len(finals))):
            _switch_one(staged[i], finals[i], asides[i])
            done.append(i)
            _delay()
    except OSError as exc:
        for i in done:  # put back what was switched: the set stays the old one
            _unswitch(staged[i], finals[i], asides[i])
        _remove(staged + asides + journals)
        i = min(set(range(len(finals))) - set(done), default=0)
        raise _fail(targets[i], exc) from None
    _remove(journals)
    _delay()
    _remove(staged + asides)


def _unswitch(staged: Path, final: Path, aside: Path) -> None:
    try:
        if os.path.lexists(aside):
            os.rename(final, staged)
            os.rename(aside, final)
        else:
            _exchange(staged, final)
    except OSError:
        pass


def _remove(paths: list[Path]) -> None:
    for path in paths:
        if _is_dir(path):
            shutil.rmtree(path, ignore_errors=True)
        elif os.path.lexists(path):
            try:
                os.unlink(path)
            except OSError:
                pass


def recover(*targets: str | os.PathLike) -> list[Path]:
    """Finish or clean up what a killed run left beside ``targets``; returns the paths removed.

    A journal of a dead run: its switch is completed. Staging and aside
    folders of dead runs, and journals once acted on: removed. Nothing else
    is touched (see the module).

    >>> import tempfile, pathlib
    >>> d = pathlib.Path(tempfile.mkdtemp())
    >>> (d / ".reports.staging-999999999-0123456789abcdef").mkdir()
    >>> (d / ".reports.staging-notmine").mkdir()
    >>> [p.name for p in recover(d / "reports")], sorted(p.name for p in d.iterdir())
    (['.reports.staging-999999999-0123456789abcdef'], ['.reports.staging-notmine'])
    """
    removed: list[Path] = []
    finals = [Path(t).resolve() for t in targets]
    for final in finals:
        for journal, pid in _leftovers(final, "switch"):
            if not _alive(pid):
                removed += _replay(journal)
    for final in finals:
        for kind in ("staging", "old"):
            for path, pid in _leftovers(final, kind):
                if not _alive(pid) and _is_dir(path):
                    shutil.rmtree(path, ignore_errors=True)
                    removed.append(path)
        removed += _legacy(final)
    return removed


def _leftovers(final: Path, kind: str) -> list[tuple[Path, int]]:
    try:
        names = os.listdir(final.parent)
    except OSError:
        return []
    found = []
    pattern = _names(final)
    for name in sorted(names):
        match = pattern.match(name)
        if match and match.group(1) == kind and (match.group(4) is not None) == (kind == "switch"):
            found.append((final.parent / name, int(match.group(2))))
    return found


def _legacy(final: Path) -> list[Path]:
    """Staging folders of earlier versions (``tempfile.mkdtemp`` names), unmodified for an hour."""
    removed = []
    prefix = f".{final.name}"
    try:
        names = os.listdir(final.parent)
    except OSError:
        return []
    for name in sorted(names):
        path = final.parent / name
        if name.startswith(prefix) and _LEGACY.fullmatch(name[len(prefix):]) and _is_dir(path):
            if time.time() - path.stat().st_mtime > _LEGACY_AGE:
                shutil.rmtree(path, ignore_errors=True)
                removed.append(path)
    return removed


def _replay(journal: Path) -> list[Path]:
    """Complete the switch a journal describes; returns what was removed."""
    run = re.search(r"\.switch-(\d+)-([0-9a-f]{16})\.json$", journal.name)
    try:
        entries = json.loads(journal.read_text(encoding="utf-8"))["entries"]
    except (OSError, ValueError, KeyError, TypeError):
        entries = []
    checked = []
    for entry in entries if run is not None and isinstance(entries, list) else []:
        try:
            final, staged, aside = Path(entry["final"]), Path(entry["staged"]), Path(entry["aside"])
            ino, dev = int(entry["ino"]), int(entry["dev"])
        except (KeyError, TypeError, ValueError):
            continue
        tail = f"-{run.group(1)}-{run.group(2)}" if run is not None else ""
        if staged != final.parent / f".{final.name}.staging{tail}" or aside != final.parent / f".{final.name}.old{tail}":
            continue  # not names this module made: touch nothing
        checked.append((final, staged, aside, ino, dev))
    for final, staged, aside, ino, dev in reversed(checked):
        try:
            info = final.stat() if os.path.lexists(final) else None
            if info is not None and (info.st_ino, info.st_dev) == (ino, dev):
                continue  # already switched
            if _is_dir(staged) and (staged.stat().st_ino, staged.stat().st_dev) == (ino, dev):
                _switch_one(staged, final, aside)
            elif info is None and _is_dir(aside):
                os.rename(aside, final)  # nothing to switch in: put the old folder back
        except OSError:
            continue
    journals = [journal] + [f.parent / f".{f.name}.switch{staged.name[len(f'.{f.name}.staging'):]}.json"
                            for f, staged, *_ in checked]
    removed = [p for p in dict.fromkeys(journals) if os.path.lexists(p)]
    _remove(removed)
    for _final, staged, aside, _ino, _dev in checked:
        for path in (staged, aside):
            if _is_dir(path):
                shutil.rmtree(path, ignore_errors=True)
                removed.append(path)
    return removed
