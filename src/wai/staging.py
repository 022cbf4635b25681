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

**A linked set** (``staged_dirs(out, derived, holder=1)``, what ``wai.report``
does) switches in *one* atomic step, so that no instant shows a new
``derived`` beside an old ``reports/``: the other targets are held inside
the holder, as ``<holder>/.wai-<name>-<digits>``, and each is a relative
symbolic link to its held folder. The run writes each target in a staging
folder of its own beside the holder's, moves the others' into the holder's
staging folder once every file is written, and switches only the holder as
in step 3; every link then shows
the new files at the same instant. A target that is still a real folder
(an output of an earlier version, or ``reports/`` of a fresh clone) is
turned into the link first, without a visible change: its files are
hard-linked into the *old* holder and the folder and the new link are
exchanged in one step. Where links cannot be made (Windows) or a target is
a link the user made, the targets are switched one by one as above.

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
import hashlib
import json
import os
import re
import secrets
import shutil
import sys
import time
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterator

from wai.errors import OutputError

__all__ = ["staged_dirs", "recover", "check_targets", "linked_targets"]

_HELD = re.compile(r"\.wai-.+-[0-9a-f]{12}")
_LEGACY = re.compile(r"\.staging-[a-z0-9_]{8}$")
_LEGACY_AGE = 3600.0
_RENAME_EXCHANGE = 2
_AT_FDCWD = -100


def _names(final: Path) -> re.Pattern[str]:
    return re.compile(re.escape(f".{final.name}.") + r"(staging|old|switch|link)-(\d+)-([0-9a-f]{16})(\.json)?$")


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
def staged_dirs(*targets: str | os.PathLike, holder: int | None = None) -> Iterator[list[Path]]:
    """Staging folders for ``targets``; switched in, as one set, only if the block succeeds.

    See the module for the protocol. A failure (any exception, a kill) before
    the switch leaves every target as it was. With ``holder`` (the index of
    one target), the other targets are held inside that one and linked to
    (:func:`linked_targets`), so the whole set switches in one atomic step.

    >>> import tempfile, pathlib
    >>> d = pathlib.Path(tempfile.mkdtemp())
    >>> from wai.io import write_text
    >>> with staged_dirs(d / "reports", d / "derived") as (reports, derived):
    ...     _ = write_text(reports / "a.md", "new"), write_text(derived / "b.csv", "x\\n")
    >>> (d / "reports" / "a.md").read_text(), sorted(p.name for p in d.iterdir())
    ('new', ['derived', 'reports'])
    """
    links = linked_targets(targets, holder) if holder is not None else None
    if links is not None:
        with _staged_linked(targets, links) as linked:
            yield linked
        return
    finals = check_targets(*targets)
    _check_apart(targets, finals)
    recover(*finals)
    pid, token = os.getpid(), secrets.token_hex(8)
    staged: list[Path] = []
    with _removed_on_failure(staged, targets, finals):
        for final in finals:
            final.parent.mkdir(parents=True, exist_ok=True)
            path = final.parent / f".{final.name}.staging-{pid}-{token}"
            path.mkdir()
            staged.append(path)
        yield list(staged)
        for final, path in zip(finals, staged):
            _carry_over(final, path)
    _switch(finals, staged, pid, token, targets)


@contextmanager
def _removed_on_failure(staged: list[Path], targets: tuple[Any, ...], finals: list[Path]) -> Iterator[None]:
    """Remove the staging folders when the block fails; an :class:`OSError` becomes the target's OutputError."""
    try:
        yield
    except OutputError:
        _remove(staged)
        raise
    except OSError as exc:
        _remove(staged)
        raise _blame(exc, targets, finals, staged) from None
    except BaseException:
        _remove(staged)
        raise


def _check_apart(targets: tuple[Any, ...], finals: list[Path]) -> None:
    for i, a in enumerate(finals):
        for b in finals[i + 1:]:
            if a == b or a in b.parents or b in a.parents:
                raise OutputError(f"{targets[i]} and {targets[finals.index(b)]}",
                                  "the output folders must differ, neither inside the other")


@dataclass(frozen=True)
class _Link:
    """A target held inside the holder: ``path`` (a link, once switched) points at ``holder/held``."""

    path: Path
    held: str
    text: str

    def ours(self) -> bool:
        return os.path.islink(self.path) and os.readlink(self.path) == self.text


def _absolute(target: str | os.PathLike) -> Path:
    """``target`` made absolute, its folder resolved, its own name not (a link stays the link)."""
    path = Path(os.path.abspath(target))
    return path.parent.resolve() / path.name


def linked_targets(targets: tuple[str | os.PathLike, ...], holder: int) -> tuple[Path, list[_Link | None]] | None:
    """How ``targets`` are held in ``targets[holder]``; ``None`` where a set cannot be linked.

    Each other target ``T`` becomes a relative symbolic link to
    ``<holder>/.wai-<T's name>-<12 hex digits>`` (the digits name ``T``'s path
    relative to the holder's folder, so several targets, or moving the whole
    tree, keep their own), and the holder is switched in one step. ``None``
    (each target then switched on its own) where links cannot be made (Windows),
    or where a target is a link the user made.

    >>> import tempfile, pathlib
    >>> d = pathlib.Path(tempfile.mkdtemp())
    >>> holder, links = linked_targets((d / "reports", d / "data" / "derived"), holder=1)
    >>> holder.name, links[0].text[:25], len(links[0].held), links[1]
    ('derived', 'data/derived/.wai-reports', 25, None)
    """
    if os.name == "nt" or not hasattr(os, "symlink"):
        return None
    paths = [_absolute(t) for t in targets]
    hold = paths[holder]
    if hold.is_symlink():
        return None
    links: list[_Link | None] = []
    for i, path in enumerate(paths):
        if i == holder:
            links.append(None)
            continue
        digest = hashlib.sha256(os.path.relpath(path, hold.parent).encode("utf-8", "surrogateescape")).hexdigest()
        held = f".wai-{path.name}-{digest[:12]}"
        link = _Link(path, held, os.path.relpath(hold / held, path.parent))
        if path.is_symlink() and not link.ours() and not _HELD.fullmatch(Path(os.readlink(path)).name):
            return None  # a link the user made; a link into another holder (another --derived) is moved
        links.append(link)
    return hold, links


@contextmanager
def _staged_linked(targets: tuple[Any, ...], plan: tuple[Path, list[_Link | None]]) -> Iterator[list[Path]]:
    """:func:`staged_dirs` for a linked set: one staging folder (the holder's), one atomic switch."""
    hold, links = plan
    check_targets(hold, *[link.path for link in links if link is not None and not link.ours()])
    paths = [hold if link is None else link.path for link in links]
    _check_apart(targets, paths)
    recover(*paths)
    pid, token = os.getpid(), secrets.token_hex(8)
    staged_hold = hold.parent / f".{hold.name}.staging-{pid}-{token}"
    # each other target is written in a staging folder of its own beside the holder's (so a file name that
    # climbs out of it lands in neither), then moved into the holder's before the switch
    staged = [staged_hold if link is None else hold.parent / f".{hold.name}.staging-{pid}-{secrets.token_hex(8)}"
              for link in links]
    holder = links.index(None)
    with _removed_on_failure(staged, targets, paths):
        hold.parent.mkdir(parents=True, exist_ok=True)
        for path in staged:
            path.mkdir()
        yield list(staged)
        for link, path in zip(links, staged):
            if link is not None:
                os.rename(path, staged_hold / link.held)
        _carry_over(hold, staged_hold)  # the held folders of the other targets come with it
        for link in links:
            if link is not None and not link.ours():
                _carry_over(Path(os.path.realpath(link.path)), staged_hold / link.held)
                _link_in(link, hold, pid, token)
    _switch([hold], [staged_hold], pid, token, (targets[holder],))


def _link_in(link: _Link, hold: Path, pid: int, token: str) -> None:
    """Make ``link.path`` the link into the (old) holder, showing the same files at every instant.

    The old folder's files are first linked into ``hold/held``, then the
    folder and a new link are exchanged in one step.
    """
    hold.mkdir(parents=True, exist_ok=True)  # an old set without the holder gains an empty one
    held = hold / link.held
    _remove([held])
    if _is_dir(link.path) or (link.path.is_symlink() and link.path.is_dir()):  # a folder, or a link to one
        held.mkdir()
        _carry_over(Path(os.path.realpath(link.path)), held)
    link.path.parent.mkdir(parents=True, exist_ok=True)
    new = link.path.parent / f".{link.path.name}.link-{pid}-{token}"
    os.symlink(link.text, new)
    _delay()
    if not os.path.lexists(link.path):
        os.rename(new, link.path)
    elif _exchange(new, link.path):
        _remove([new])  # now the old folder, its files shown by the link
    else:
        aside = link.path.parent / f".{link.path.name}.old-{pid}-{token}"
        os.rename(link.path, aside)
        os.rename(new, link.path)
        _remove([aside])
    _fsync_dir(link.path.parent)
    _delay()


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
    finals = list(dict.fromkeys(p for t in targets for p in (_absolute(t), Path(t).resolve())))
    for final in finals:
        for journal, pid in _leftovers(final, "switch"):
            if not _alive(pid):
                removed += _replay(journal)
    for final in finals:
        for kind in ("staging", "old", "link"):
            for path, pid in _leftovers(final, kind):
                if not _alive(pid) and (_is_dir(path) or (kind == "link" and os.path.islink(path))):
                    _remove([path])
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
