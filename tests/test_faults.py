"""Faults: a killed report leaves whole outputs and no process; stale staging is cleaned; bad folders exit 2."""

from __future__ import annotations

import errno
import hashlib
import json
import os
import random
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

import wai.staging
from wai.cli.report import main
from wai.errors import OutputError
from wai.report import build_report
from wai.staging import recover, staged_dirs

ROOT = Path(__file__).resolve().parents[1]

CODEBOOK = """
[study]
id = "club"
title = "Members' views of the club"
responses = "export.csv"
respondent_id = "id"

[scale]
numeric = [1, 7]
non_scale = ["No opinion"]

[bands]
ranges = [["Poor", "0.0", "0.3"], ["Fair", "0.4", "0.6"], ["Good", "0.7", "1.0"]]

[[fields]]
id = "age"
column = "Age group"
categories = ["Under 40", "40 and over"]

[[figures]]
id = "fig_age"
kind = "distribution"
field = "age"
title = "Members by age"

[[tables]]
id = "tab1"
title = "Views"

[[items]]
id = "venue"
column = "How good is the venue?"
in = "tab1"

[[items]]
id = "events"
column = "How good are the events?"
in = "tab1"
"""

OLD = """id,Age group,How good is the venue?,How good are the events?
a,Under 40,4,7
b,40 and over,5,6
c,40 and over,No opinion,7
d,Under 40,7,7
"""
NEW = OLD + "e,40 and over,2,6\n"  # one more row: every table's bytes change


def tree_hashes(folder: Path) -> dict[str, str]:
    return {p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.fixture
def club(tmp_path):
    study = tmp_path / "club"
    study.mkdir()
    (study / "codebook.toml").write_text(CODEBOOK)
    (study / "export.csv").write_text(OLD)
    return study


def tables_of(out: Path) -> dict[str, dict[str, str]]:
    """The table hashes ``out/manifest.json`` promises (reports and derived)."""
    return json.loads((out / "manifest.json").read_text())["outputs"]


def matches(folder: Path, hashes: dict[str, str]) -> bool:
    actual = tree_hashes(folder)
    return all(actual.get(name) == digest for name, digest in hashes.items())


def leftovers(parent: Path) -> list[str]:
    return sorted(p.name for p in parent.iterdir() if p.name.startswith((".out.", ".derived.")))


# ------------------------------------------------------------------ (a) workers die with their parent

def _children(pid: int) -> set[int]:
    """Every descendant of ``pid``, from /proc."""
    parents: dict[int, int] = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                stat = Path(f"/proc/{entry}/stat").read_text()
            except OSError:
                continue
            parents[int(entry)] = int(stat.rsplit(")", 1)[1].split()[1])
    found, frontier = set(), {pid}
    while frontier:
        frontier = {child for child, parent in parents.items() if parent in frontier} - found
        found |= frontier
    return found


def _running(pid: int) -> bool:
    """``pid`` is a process that has not ended (a zombie has ended): psutil if installed, else /proc."""
    try:
        import psutil
    except ImportError:
        try:
            return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] != "Z"
        except OSError:
            return False
    try:
        return psutil.Process(pid).status() != psutil.STATUS_ZOMBIE
    except psutil.Error:  # NoSuchProcess: it ended
        return False


def _wait_gone(pids: set[int], seconds: float = 5.0) -> set[int]:
    deadline = time.monotonic() + seconds
    alive = set(pids)
    while alive and time.monotonic() < deadline:
        alive = {pid for pid in alive if _running(pid)}
        time.sleep(0.05)
    return alive


@pytest.mark.skipif(not Path("/proc/self/stat").exists() or not hasattr(os, "fork"), reason="needs /proc and fork")
def test_figure_workers_die_with_a_killed_parent(tmp_path):
    # A parent that starts the report's figure pool, then is killed with SIGKILL while its workers run.
    script = tmp_path / "parent.py"
    script.write_text(
        "import time\n"
        "from wai.report.render_figures import FigureQueue\n"
        "q = FigureQueue()\n"
        "assert q._pool is not None\n"
        "futures = [q._pool.submit(time.sleep, 60) for _ in range(2)]\n"
        "print('ready', flush=True)\n"
        "time.sleep(60)\n")
    env = dict(os.environ, PYTHONPATH=str(ROOT / "src"))
    proc = subprocess.Popen([sys.executable, str(script)], stdout=subprocess.PIPE, env=env)
    try:
        assert proc.stdout is not None and proc.stdout.readline().strip() == b"ready"
        deadline = time.monotonic() + 5
        while len(_children(proc.pid)) < 2 and time.monotonic() < deadline:
            time.sleep(0.05)
        workers = _children(proc.pid)
        assert len(workers) >= 2
    finally:
        proc.kill()
        proc.wait()
    assert _wait_gone(workers) == set()  # without PR_SET_PDEATHSIG they sleep on, children of init


def _in_sys_modules(name: str) -> bool:
    return name in sys.modules


def _fail(message: str) -> None:
    raise ValueError(message)


def _touch_later(path: str, delay: float) -> None:
    time.sleep(delay)
    Path(path).write_text("late")


@pytest.mark.skipif(not Path("/proc/self/stat").exists() or not hasattr(os, "fork"), reason="needs /proc and fork")
def test_figure_workers_start_with_matplotlib_from_one_drawing_process(monkeypatch):
    from wai.report.render_figures import FigureQueue

    monkeypatch.setattr(os, "cpu_count", lambda: 2)
    with FigureQueue() as queue:
        assert queue._pool is not None
        calls = [queue._pool.submit(_in_sys_modules, "matplotlib") for _ in range(4)]
        assert list(queue._pool.answers(calls)) == [(True, None)] * 4  # loaded before any figure
        drawing = queue._pool._process.pid
        # one child of this process (the drawing process), whose children are the two workers
        assert _children(os.getpid()) >= {drawing} and len(_children(drawing)) == 2
    assert not _running(drawing)


@pytest.mark.skipif(not hasattr(os, "fork"), reason="needs fork")
def test_figure_queue_raises_a_worker_error_after_every_figure_answered(tmp_path, monkeypatch):
    from wai.report.render_figures import FigureQueue

    monkeypatch.setattr(os, "cpu_count", lambda: 2)
    queue = FigureQueue()
    with pytest.raises(ValueError, match="^no such figure$"):
        with queue:
            queue._jobs += [queue._pool.submit(_fail, "no such figure"),
                            queue._pool.submit(_touch_later, str(tmp_path / "late"), 0.3)]
            queue.wait()
    # the figure being drawn was waited for (nothing writes after the error is raised)
    assert (tmp_path / "late").read_text() == "late"
    assert not _running(queue._pool._process.pid)


class _PicklesOnce:
    """Pickles where it is made (a worker), not again where it was unpickled (the drawing process)."""

    def __init__(self) -> None:
        self.copied = False

    def __reduce__(self):
        if self.copied:
            raise TypeError("pickled a second time")
        return (_copied, ())


def _copied() -> _PicklesOnce:
    made = _PicklesOnce()
    made.copied = True
    return made


def _pickles_once() -> _PicklesOnce:
    return _PicklesOnce()


@pytest.mark.skipif(not hasattr(os, "fork"), reason="needs fork")
def test_an_answer_that_will_not_pickle_is_an_error_not_a_hang(monkeypatch):
    import threading

    from wai.report.render_figures import FigureQueue

    monkeypatch.setattr(os, "cpu_count", lambda: 2)
    errors: list[BaseException] = []
    with FigureQueue() as queue:
        queue._jobs.append(queue._pool.submit(_pickles_once))

        def wait() -> None:
            try:
                queue.wait()
            except RuntimeError as exc:
                errors.append(exc)

        waiter = threading.Thread(target=wait, daemon=True)
        waiter.start()
        waiter.join(60)
        assert not waiter.is_alive(), "the call was never answered"
    assert len(errors) == 1 and "could not be sent back" in str(errors[0]) and "pickled a second time" in str(errors[0])


@pytest.mark.skipif(not hasattr(os, "fork"), reason="needs fork")
def test_figure_queue_cancel_drops_what_has_not_started(tmp_path, monkeypatch):
    from wai.report.render_figures import FigureQueue

    monkeypatch.setattr(os, "cpu_count", lambda: 2)
    with FigureQueue() as queue:
        assert list(queue._pool.answers([queue._pool.submit(_in_sys_modules, "os")])) == [(True, None)]
        paths = [tmp_path / f"f{i}" for i in range(8)]
        queue._jobs += [queue._pool.submit(_touch_later, str(p), 0.4) for p in paths]
        time.sleep(0.2)  # the workers are ready: two have started
        queue.cancel()
        written = [p for p in paths if p.exists()]
        # Those running, and those the pool had already handed on to its call queue (which holds
        # workers + 1), were waited for: at most 2 x 2 + 1 = 5 of the 8; the others never ran.
        assert 1 <= len(written) <= 5
        time.sleep(0.6)
        assert [p for p in paths if p.exists()] == written


@pytest.mark.skipif(not Path("/proc/self/stat").exists() or not hasattr(os, "fork"), reason="needs /proc and fork")
def test_a_killed_drawing_process_breaks_the_queue_and_takes_its_workers(monkeypatch):
    from concurrent.futures.process import BrokenProcessPool

    from wai.report.render_figures import FigureQueue

    monkeypatch.setattr(os, "cpu_count", lambda: 2)
    queue = FigureQueue()
    queue._jobs.append(queue._pool.submit(time.sleep, 30))
    drawing = queue._pool._process.pid
    deadline = time.monotonic() + 10
    while len(_children(drawing)) < 2 and time.monotonic() < deadline:
        time.sleep(0.05)
    workers = _children(drawing)
    os.kill(drawing, signal.SIGKILL)
    with pytest.raises(BrokenProcessPool):
        queue.wait()
    queue.cancel()  # nothing left to cancel: quiet
    queue._pool.shutdown()
    assert _wait_gone(workers) == set()


def test_a_queue_never_closed_does_not_hold_up_the_exit(tmp_path):
    script = tmp_path / "forgot.py"
    script.write_text("from wai.report.render_figures import FigureQueue\nq = FigureQueue()\nprint('made')\n")
    env = dict(os.environ, PYTHONPATH=str(ROOT / "src"))
    done = subprocess.run([sys.executable, str(script)], capture_output=True, text=True, env=env, timeout=60)
    assert done.returncode == 0 and done.stdout == "made\n", done.stderr


def test_exit_now_runs_the_exit_handlers_and_flushes_both_streams():
    code = ("import atexit, sys\nfrom wai.cli._common import exit_now\n"
            "atexit.register(lambda: print('handler ran'))\n"
            "print('unflushed', end=''); print('error', end='', file=sys.stderr)\nexit_now(3)\n")
    env = dict(os.environ, PYTHONPATH=str(ROOT / "src"))
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, timeout=60)
    assert (done.returncode, done.stdout, done.stderr) == (3, "unflushedhandler ran\n", "error")


# ------------------------------------------------------------------ (c) the kill test

def _kill_once(club: Path, tmp_path: Path, at_switch: bool, offset: float) -> tuple[set[int], bool]:
    """Run the report as a subprocess; SIGKILL it ``offset`` s after start, or after its switch began."""
    env = dict(os.environ, PYTHONPATH=str(ROOT / "src"), WAI_TEST_SWITCH_DELAY="0.6")
    proc = subprocess.Popen([sys.executable, "-m", "wai.report", "--study", str(club), "--out",
                             str(tmp_path / "out"), "--derived", str(tmp_path / "derived")],
                            env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    seen: set[int] = set()
    try:
        start = time.monotonic()
        while proc.poll() is None:
            seen |= _children(proc.pid)
            journal = any(p.name.startswith((".derived.switch-", ".out.link-")) for p in tmp_path.iterdir())
            if at_switch and journal and time.monotonic() - start > 0:
                start, at_switch = time.monotonic(), False  # the switch began: now count the offset
            if not at_switch and time.monotonic() - start >= offset:
                break
            time.sleep(0.02)
        seen |= _children(proc.pid)
        running = proc.poll() is None
        proc.send_signal(signal.SIGKILL)
    finally:
        proc.kill()
        proc.wait()
    return seen, running and not at_switch


def _unlink_out(out: Path) -> None:
    """Turn the link ``out`` back into a real folder with the same files: the layout of earlier versions."""
    if not out.is_symlink():
        return  # a kill before its exchange left it a folder
    real = out.parent / "unlinked"
    shutil.copytree(out, real)
    out.unlink()
    real.rename(out)


@pytest.mark.slow
def test_kill_at_random_instants_leaves_the_whole_old_or_new_set_and_no_process(club, tmp_path):
    out, derived = tmp_path / "out", tmp_path / "derived"
    sets = {}
    for data, folder in ((NEW, "new"), (OLD, "old")):  # each data's tables, then the old set in place
        (club / "export.csv").write_text(data)
        build_report(club, tmp_path / folder if folder == "new" else out, tmp_path / f"{folder}_derived"
                     if folder == "new" else derived)
        sets[data] = tables_of(tmp_path / folder if folder == "new" else out)
    assert sets[OLD]["reports"]["tab1.csv"] != sets[NEW]["reports"]["tab1.csv"]
    assert sets[OLD]["derived"]["item_scores.csv"] != sets[NEW]["derived"]["item_scores.csv"]
    rng = random.Random(20261201)
    # one kill while the run works; then kills during the slowed switch (0.6 s a step), one in each step:
    # while out/, a real folder as earlier versions left it, is turned into the link (after its files were
    # linked into the old holder: before and after the exchange), and while the holder is switched (after
    # the journal, after the exchange, during the clean-up)
    instants = [(False, rng.uniform(0.3, 1.5), False),
                (True, rng.uniform(0.1, 0.5), True), (True, rng.uniform(0.7, 1.1), True),
                (True, rng.uniform(0.1, 0.5), False), (True, rng.uniform(0.7, 1.1), False),
                (True, rng.uniform(1.3, 1.7), False)]
    shown_before = []
    for at_switch, offset, unlinked in instants:
        if unlinked:
            _unlink_out(out)
        old = tables_of(out)
        data = OLD if old == sets[NEW] else NEW  # the run writes the other set
        (club / "export.csv").write_text(data)
        processes, killed = _kill_once(club, tmp_path, at_switch, offset)
        assert killed  # the run was killed, not finished (and, at_switch, after its switch began)
        assert _wait_gone(processes) == set(), f"processes left after the kill: {processes}"
        shown = tables_of(out)
        assert shown in (old, sets[data])
        assert matches(out, shown["reports"])  # reports/ is whole: its manifest matches every table
        assert matches(derived, shown["derived"])  # and the derived folder beside it is of the same set
        recover(out, derived)  # what the next run does first: a switch whose journal was written is completed
        after = tables_of(out)
        assert after in (old, sets[data]) and matches(out, after["reports"]) and matches(derived, after["derived"])
        assert leftovers(tmp_path) == [] and _held(derived) == [_held(derived)[0]]
        shown_before.append(shown == old)
        print("kill", at_switch, round(offset, 2), "unlinked" if unlinked else "linked",
              "the pair", "old" if shown == old else "new")
    assert shown_before[0]  # killed before its switch: the old set
    assert shown_before[4:] == [False, False]  # killed once the holder was exchanged: the new set


def _held(derived: Path) -> list[str]:
    return sorted(p.name for p in derived.iterdir() if p.name.startswith(".wai-"))


# ------------------------------------------------------------------ (c) recovery of each half-done state

def _half_done(tmp_path: Path, pid: int, token: str, exchanged: bool) -> tuple[Path, Path]:
    """The state a kill leaves midway through a switch: derived switched, reports not yet."""
    out, derived = tmp_path / "out", tmp_path / "derived"
    staged = {f: tmp_path / f".{f.name}.staging-{pid}-{token}" for f in (out, derived)}
    aside = {f: tmp_path / f".{f.name}.old-{pid}-{token}" for f in (out, derived)}
    for f in (out, derived):
        f.mkdir()
        (f / "t.csv").write_text("old\n")
        staged[f].mkdir()
        (staged[f] / "t.csv").write_text("new\n")
    entries = [{"final": str(f), "staged": str(staged[f]), "aside": str(aside[f]),
                "ino": staged[f].stat().st_ino, "dev": staged[f].stat().st_dev} for f in (out, derived)]
    if exchanged:  # derived swapped with its staging folder in one step
        os.rename(derived, tmp_path / "swap")
        os.rename(staged[derived], derived)
        os.rename(tmp_path / "swap", staged[derived])
    else:  # derived done by two renames, reports renamed aside only
        os.rename(derived, aside[derived])
        os.rename(staged[derived], derived)
        os.rename(out, aside[out])
    for f in (out, derived):
        (tmp_path / f".{f.name}.switch-{pid}-{token}.json").write_text(json.dumps({"entries": entries}))
    return out, derived


@pytest.mark.parametrize("exchanged", [True, False])
def test_next_run_completes_a_switch_a_kill_interrupted(tmp_path, exchanged):
    dead = _dead_pid()
    out, derived = _half_done(tmp_path, dead, "0123456789abcdef", exchanged)
    recover(out, derived)
    assert (out / "t.csv").read_text() == "new\n" and (derived / "t.csv").read_text() == "new\n"
    assert leftovers(tmp_path) == []


def test_a_switch_of_a_live_run_is_left_alone(tmp_path):
    out, derived = _half_done(tmp_path, os.getpid(), "0123456789abcdef", True)
    before = leftovers(tmp_path)
    assert recover(out, derived) == []
    assert leftovers(tmp_path) == before and (out / "t.csv").read_text() == "old\n"


def test_a_journal_naming_other_paths_touches_nothing(tmp_path):
    victim = tmp_path / "precious"
    victim.mkdir()
    (victim / "data.csv").write_text("keep\n")
    out = tmp_path / "out"
    entry = {"final": str(out), "staged": str(victim), "aside": str(victim), "ino": 1, "dev": 1}
    (tmp_path / f".out.switch-{_dead_pid()}-0123456789abcdef.json").write_text(json.dumps({"entries": [entry]}))
    recover(out)
    assert (victim / "data.csv").read_text() == "keep\n" and leftovers(tmp_path) == []


# ------------------------------------------------------------------ (b) stale staging folders

def _dead_pid() -> int:
    proc = subprocess.Popen([sys.executable, "-c", "pass"])
    proc.wait()
    return proc.pid


def test_staging_folders_of_a_dead_run_are_removed_and_no_others(tmp_path):
    dead, token = _dead_pid(), "0123456789abcdef"
    out, derived = tmp_path / "out", tmp_path / "derived"
    removed = [f".out.staging-{dead}-{token}", f".derived.staging-{dead}-{token}", f".out.old-{dead}-{token}",
               ".out.staging-ab12cd_9"]  # the last: an earlier version's name, unmodified for two hours
    kept = [f".out.staging-{os.getpid()}-{token}",  # a live run's
            ".out.staging-notmine", f".out.staging-{dead}-{token}x", f".outx.staging-{dead}-{token}",
            f".other.staging-{dead}-{token}", ".out.staging-fresh123",  # earlier version's, but recent
            f"out.staging-{dead}-{token}"]
    for name in removed + kept:
        (tmp_path / name).mkdir()
        (tmp_path / name / "f.csv").write_text("x\n")
    hours_ago = time.time() - 7200
    os.utime(tmp_path / ".out.staging-ab12cd_9", (hours_ago, hours_ago))
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (elsewhere / "f.csv").write_text("x\n")
    (tmp_path / f".derived.old-{dead}-{token}").symlink_to(elsewhere)  # a link by that name: not followed
    (tmp_path / f".out.old-{dead}-1234").write_text("a file, not our name\n")
    with staged_dirs(out, derived) as (new_out, new_derived):  # what every report run does
        (new_out / "t.csv").write_text("new\n")
    names = {p.name for p in tmp_path.iterdir()}
    assert not names & set(removed)
    assert set(kept) <= names and (tmp_path / kept[0] / "f.csv").exists()
    assert (elsewhere / "f.csv").exists() and (tmp_path / f".out.old-{dead}-1234").exists()


def test_a_plain_folder_of_an_earlier_version_keeps_the_files_the_run_does_not_write(tmp_path):
    out = tmp_path / "out"
    (out / "sub").mkdir(parents=True)
    (out / ".gitkeep").write_text("")
    (out / "sub" / "notes.txt").write_text("mine\n")
    (out / "tab1.csv").write_text("stale\n")
    (out / "link").symlink_to(tmp_path / "elsewhere")  # a link is carried as a link, never followed
    (tmp_path / "elsewhere").mkdir()
    (tmp_path / "elsewhere" / "big.bin").write_text("not carried\n")
    with staged_dirs(out) as (new,):
        (new / "tab1.csv").write_text("new\n")
    assert (out / "sub" / "notes.txt").read_text() == "mine\n" and (out / ".gitkeep").exists()
    assert (out / "tab1.csv").read_text() == "new\n" and leftovers(tmp_path) == []
    assert (out / "link").is_symlink() and os.readlink(out / "link") == str(tmp_path / "elsewhere")


# ------------------------------------------------------------------ read-only, full, other filesystem

def _run(club: Path, tmp_path: Path, capsys) -> tuple[int, str]:
    code = main(["--study", str(club), "--out", str(tmp_path / "out"), "--derived", str(tmp_path / "derived")])
    return code, capsys.readouterr().err


@pytest.mark.skipif(os.name != "posix" or os.geteuid() == 0, reason="root writes into read-only folders")
def test_a_read_only_output_folder_exits_2(club, tmp_path, capsys):
    build_report(club, tmp_path / "out", tmp_path / "derived")
    before = tree_hashes(tmp_path / "out")
    (tmp_path / "out").chmod(0o555)
    try:
        code, err = _run(club, tmp_path, capsys)
    finally:
        (tmp_path / "out").chmod(0o755)
    assert code == 2 and err == f"error: cannot write the outputs to {tmp_path / 'out'}: the folder is read-only; " \
                                "the previous outputs are unchanged\n"
    assert tree_hashes(tmp_path / "out") == before


def _refuse_switch(monkeypatch, code: int, target: str = "out") -> None:
    real_rename = os.rename

    def refuse(a, b):
        if Path(a).name.startswith(f".{target}.staging-") or Path(b).name.startswith(f".{target}.old-"):
            raise OSError(code, os.strerror(code), str(b))
        return real_rename(a, b)

    monkeypatch.setattr(wai.staging, "_exchange", lambda a, b: False)
    monkeypatch.setattr(os, "rename", refuse)


@pytest.mark.parametrize("code, reason", [(errno.EROFS, "Read-only file system (EROFS)"),
                                          (errno.ENOSPC, "No space left on device (ENOSPC)"),
                                          (errno.EXDEV, "Invalid cross-device link (EXDEV)")])
def test_a_switch_the_system_refuses_is_an_output_error_and_keeps_the_old_set(tmp_path, monkeypatch, code, reason):
    out, derived = tmp_path / "out", tmp_path / "derived"
    for folder in (out, derived):
        folder.mkdir()
        (folder / "t.csv").write_text("old\n")
    _refuse_switch(monkeypatch, code)
    with pytest.raises(OutputError) as caught:
        with staged_dirs(out, derived) as folders:
            for folder in folders:
                (folder / "t.csv").write_text("new\n")
    assert str(caught.value) == f"cannot write the outputs to {out}: {reason}; the previous outputs are unchanged"
    assert caught.value.errno == code and isinstance(caught.value, OSError)
    # derived was switched first, then put back when reports/ could not be: the old pair
    assert (out / "t.csv").read_text() == "old\n" and (derived / "t.csv").read_text() == "old\n"
    assert leftovers(tmp_path) == []


def test_a_read_only_file_system_at_the_switch_exits_2_and_keeps_the_old_outputs(club, tmp_path, capsys,
                                                                                 monkeypatch):
    build_report(club, tmp_path / "out", tmp_path / "derived")
    before = tree_hashes(tmp_path / "out"), tree_hashes(tmp_path / "derived")
    (club / "export.csv").write_text(NEW)
    _refuse_switch(monkeypatch, errno.EROFS, "derived")  # the one folder switched: out/ is held inside it
    status, err = _run(club, tmp_path, capsys)
    assert status == 2
    assert err == f"error: cannot write the outputs to {tmp_path / 'derived'}: Read-only file system (EROFS); " \
                  "the previous outputs are unchanged\n"
    assert (tree_hashes(tmp_path / "out"), tree_hashes(tmp_path / "derived")) == before
    assert leftovers(tmp_path) == []


def test_a_disk_full_while_writing_exits_2_and_keeps_the_old_outputs(club, tmp_path, capsys, monkeypatch):
    build_report(club, tmp_path / "out", tmp_path / "derived")
    before = tree_hashes(tmp_path / "out"), tree_hashes(tmp_path / "derived")
    (club / "export.csv").write_text(NEW)

    def full(fd):
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(os, "fsync", full)  # atomic_write's flush to disk: where a full disk shows
    status, err = _run(club, tmp_path, capsys)
    assert status == 2
    assert err == f"error: cannot write the outputs to {tmp_path / 'out'} and {tmp_path / 'derived'}: " \
                  "No space left on device (ENOSPC); the previous outputs are unchanged\n"
    assert (tree_hashes(tmp_path / "out"), tree_hashes(tmp_path / "derived")) == before
    assert leftovers(tmp_path) == []


def test_a_mount_point_as_output_folder_exits_2_before_any_work(club, tmp_path, capsys, monkeypatch):
    mount = tmp_path / "out"
    mount.mkdir()
    monkeypatch.setattr(os.path, "ismount", lambda p: Path(p) == mount)
    status, err = _run(club, tmp_path, capsys)
    assert status == 2 and err.count("\n") == 1
    assert f"cannot write the outputs to {mount}: it is a mount point" in err
    assert list(mount.iterdir()) == [] and not (tmp_path / "derived").exists()


@pytest.mark.parametrize("second", ["a", "b/../a", "a/derived"])
def test_output_folders_that_are_one_or_nested_are_refused(tmp_path, second):
    with pytest.raises(OutputError, match="must differ, neither inside the other"):
        with staged_dirs(tmp_path / "a", tmp_path / second):
            pass
    assert list(tmp_path.iterdir()) == []


# ------------------------------------------------------------------ (d) the linked pair

def test_a_linked_pair_turns_a_plain_folder_into_the_link_and_keeps_its_files(tmp_path):
    out, derived = tmp_path / "out", tmp_path / "data" / "derived"
    (out / "sub").mkdir(parents=True)
    (out / ".gitkeep").write_text("")
    (out / "sub" / "notes.txt").write_text("mine\n")
    (out / "tab1.csv").write_text("old\n")
    with staged_dirs(out, derived, holder=1) as (new_out, new_derived):
        assert new_derived not in new_out.parents and new_out.parent == new_derived.parent  # apart until the switch
        (new_out / "tab1.csv").write_text("new\n")
        (new_derived / "d.csv").write_text("new\n")
    held = [p.name for p in derived.iterdir() if p.name.startswith(".wai-out-")]
    assert out.is_symlink() and os.readlink(out) == f"data/derived/{held[0]}"  # relative: the tree can move
    assert (out / "tab1.csv").read_text() == "new\n" and (out / "sub" / "notes.txt").read_text() == "mine\n"
    assert (out / ".gitkeep").exists() and (derived / "d.csv").read_text() == "new\n"
    assert leftovers(tmp_path) == [] and sorted(p.name for p in tmp_path.iterdir()) == ["data", "out"]
    with staged_dirs(out, derived, holder=1) as (new_out, new_derived):  # the next run: one switch
        (new_out / "tab1.csv").write_text("newer\n")
    assert (out / "tab1.csv").read_text() == "newer\n" and (out / "sub" / "notes.txt").read_text() == "mine\n"
    assert (derived / "d.csv").read_text() == "new\n"  # files the run did not write are kept, as before
    assert len([p for p in derived.iterdir() if p.name.startswith(".wai-")]) == 1


def test_two_reports_held_by_one_derived_folder_keep_their_own_files(tmp_path):
    derived = tmp_path / "derived"
    for name in ("a", "b"):
        with staged_dirs(tmp_path / name, derived, holder=1) as (new_out, _):
            (new_out / "who.txt").write_text(name)
    assert (tmp_path / "a" / "who.txt").read_text() == "a" and (tmp_path / "b" / "who.txt").read_text() == "b"


def test_a_link_the_user_made_is_followed_and_left_a_link(tmp_path):
    elsewhere = tmp_path / "site"
    elsewhere.mkdir()
    (tmp_path / "out").symlink_to(elsewhere)
    with staged_dirs(tmp_path / "out", tmp_path / "derived", holder=1) as (new_out, _):
        (new_out / "t.csv").write_text("new\n")
    assert os.readlink(tmp_path / "out") == str(elsewhere) and (elsewhere / "t.csv").read_text() == "new\n"


def test_a_failure_before_the_switch_leaves_the_plain_folder_alone(tmp_path):
    out, derived = tmp_path / "out", tmp_path / "derived"
    out.mkdir()
    (out / "t.csv").write_text("old\n")
    with pytest.raises(KeyboardInterrupt):
        with staged_dirs(out, derived, holder=1) as (new_out, _):
            (new_out / "t.csv").write_text("new\n")
            raise KeyboardInterrupt
    assert not out.is_symlink() and (out / "t.csv").read_text() == "old\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out"]


def test_a_report_moved_to_another_derived_folder_is_linked_into_the_new_one(tmp_path):
    out, first, second = tmp_path / "out", tmp_path / "d1", tmp_path / "d2"
    with staged_dirs(out, first, holder=1) as (new_out, _):
        (new_out / "t.csv").write_text("first\n")
    (out / "notes.txt").write_text("mine\n")
    with staged_dirs(out, second, holder=1) as (new_out, new_derived):
        (new_out / "t.csv").write_text("second\n")
        (new_derived / "d.csv").write_text("second\n")
    # out/ now switches with d2 (its manifest would describe d2): the link points into d2, the user's file kept
    assert os.readlink(out).startswith("d2/.wai-out-")
    assert (out / "t.csv").read_text() == "second\n" and (out / "notes.txt").read_text() == "mine\n"
    assert leftovers(tmp_path) == []
