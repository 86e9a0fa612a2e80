"""The head start: a large library's first files parsed in a forked child process."""

from __future__ import annotations

import os
import shutil
import threading
import time
from pathlib import Path

import pytest

from casebook.model.format.case import to_builtins
from casebook.model.load import answers, head_start
from casebook.model.load.head_start import HeadStart
from casebook.model.load.library import bundled_cases_dir
from casebook.model.load.loader import LoadedFile, load_file
from casebook.model.load.workers import ENV_WORKERS

DATA = Path(__file__).resolve().parent.parent / "data"

pytestmark = pytest.mark.skipif(not hasattr(os, "fork"), reason="no fork here")


@pytest.fixture
def files(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> list[Path]:
    """Valid, invalid and hostile case files, and a folder; forking allowed (a test
    process runs threads of its own, which the child never touches)."""
    for name in ("valid", "invalid", "hostile"):
        shutil.copytree(DATA / name, tmp_path / name)
    shutil.copytree(bundled_cases_dir(), tmp_path / "bundled")
    monkeypatch.setattr(head_start, "_may_fork", lambda: True)
    found = sorted(path for path in tmp_path.rglob("*.y*ml") if path.is_file())
    return [*found, tmp_path / "valid"]


def described(loaded: LoadedFile) -> tuple:
    document = None if loaded.document is None else to_builtins(loaded.document)
    return (loaded.path, document, loaded.diagnostics)


def counting_parses(monkeypatch: pytest.MonkeyPatch) -> list[Path]:
    """The files parsed in this process from now on."""
    parsed: list[Path] = []

    def counted(path: Path, display: str | None = None) -> LoadedFile:
        parsed.append(path)
        return load_file(path, display)

    monkeypatch.setattr(head_start, "load_file", counted)
    return parsed


def gone(pid: int) -> bool:
    """The child has ended and been reaped: it is no longer this process's child."""
    try:
        os.waitpid(pid, os.WNOHANG)
    except ChildProcessError:
        return True
    return False


def test_the_child_answers_what_this_process_would_load(
    files: list[Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    head = HeadStart.fork(files)
    assert head is not None
    pid = head._pid
    assert pid is not None
    parsed = counting_parses(monkeypatch)
    for path in files:
        shown = f"shown/{path.name}"
        assert described(head.load(path, shown)) == described(load_file(path, shown))
    assert parsed == [files[-1]]  # the folder: not a file the child could answer for
    assert gone(pid)


def test_a_file_changed_after_the_child_read_it_is_parsed_again(
    files: list[Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    path = next(path for path in files if path.parent.name == "bundled")
    head = HeadStart.fork([path])
    assert head is not None
    head._answered()  # the child has read it
    path.write_text(path.read_text(encoding="utf-8") + "\nlate: [\n", encoding="utf-8")
    parsed = counting_parses(monkeypatch)
    got = head.load(path, "shown")
    assert parsed == [path]
    assert got.diagnostics, "the file as it is now, broken"


def raises(paths: list[str]) -> bytes:
    raise RuntimeError("a bug")


def garbage(paths: list[str]) -> bytes:
    return b"\xc1 not msgpack"


def other_files(paths: list[str]) -> bytes:
    return answers.ENCODER.encode([])


def hangs(paths: list[str]) -> bytes:
    time.sleep(60)
    return b""


@pytest.mark.parametrize("behaviour", [raises, garbage, other_files, hangs])
def test_a_failing_child_costs_time_never_results(
    files: list[Path], monkeypatch: pytest.MonkeyPatch, behaviour
) -> None:
    monkeypatch.setattr(head_start, "parse_chunk", behaviour)  # the child is a fork: it has it
    monkeypatch.setattr(head_start, "PATIENCE", 0.5)
    head = HeadStart.fork(files)
    assert head is not None
    pid = head._pid
    assert pid is not None
    parsed = counting_parses(monkeypatch)
    began = time.monotonic()
    for path in files:
        assert described(head.load(path, "shown")) == described(load_file(path, "shown"))
    assert time.monotonic() - began < 30
    assert parsed == files
    assert gone(pid), "the child is stopped and reaped"


def test_closed_before_it_answers_the_child_is_stopped(files: list[Path]) -> None:
    head = HeadStart.fork(files)
    assert head is not None
    pid = head._pid
    assert pid is not None
    head.close()
    head.close()  # twice: nothing left to do
    assert gone(pid)


def test_no_child_without_fork_safety_or_a_core_to_spare(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    path = tmp_path / "case.yaml"
    shutil.copy(bundled_cases_dir() / "huayi-precision.yaml", path)
    monkeypatch.setattr(head_start.sys, "platform", "linux")
    monkeypatch.setattr(head_start.threading, "active_count", lambda: 1)
    monkeypatch.setenv(ENV_WORKERS, "0")
    assert HeadStart.fork([path]) is None, "no worker process wanted"
    monkeypatch.setenv(ENV_WORKERS, "1")
    assert HeadStart.fork([]) is None, "nothing to parse"
    monkeypatch.setattr(head_start.threading, "active_count", lambda: 2)
    assert HeadStart.fork([path]) is None, "forking a process that runs threads is unsafe"
    monkeypatch.setattr(head_start.sys, "platform", "darwin")
    monkeypatch.setattr(head_start.threading, "active_count", lambda: 1)
    assert HeadStart.fork([path]) is None, "Linux only"


def test_the_thread_check_counts_real_threads() -> None:
    """``_may_fork`` sees a thread started here (the check the tests above replace)."""
    release = threading.Event()
    thread = threading.Thread(target=release.wait, daemon=True)
    thread.start()
    try:
        assert not head_start._may_fork()
    finally:
        release.set()
        thread.join()
