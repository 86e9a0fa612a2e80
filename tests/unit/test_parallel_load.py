"""Parsing in worker processes: the same results as parsing alone, whatever the workers do."""

from __future__ import annotations

import multiprocessing
import os
import shutil
import signal
import subprocess
import sys
import threading
import time
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from multiprocessing.context import SpawnProcess
from pathlib import Path

import msgspec
import pytest

from casebook.model.format.case import Case, to_builtins
from casebook.model.load import answers, cache, codec, parallel
from casebook.model.load.library import Library, bundled_cases_dir, case_files, load_library
from casebook.model.load.loader import LoadedFile, load_file
from casebook.model.load.workers import ENV_WORKERS

DATA = Path(__file__).resolve().parent.parent / "data"
COPIES = 15
"""Copies of each bundled case (with a new id) in the test library."""
PATIENCE = 60
"""Seconds a test waits for what must happen much sooner."""


@pytest.fixture
def many(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """About 130 files, run from their parent folder (so paths are relative): every
    fixture (hostile, invalid, valid, the library's), the bundled cases and copies of
    them, duplicate ids, non-UTF-8 bytes, two collections; workers start for them."""
    root = tmp_path / "many"
    for name in ("hostile", "invalid", "valid", "lint"):
        shutil.copytree(DATA / name, root / name)
    shutil.copytree(DATA / "library", root / "library")
    shutil.copytree(bundled_cases_dir(), root / "bundled")
    for path in sorted(bundled_cases_dir().glob("*.yaml")):
        text = path.read_text(encoding="utf-8")
        case_id = path.stem
        if f"\nid: {case_id}\n" not in text:  # the collection
            continue
        for copy in range(COPIES):
            changed = text.replace(f"\nid: {case_id}\n", f"\nid: {case_id}-{copy}\n", 1)
            (root / "copies" / f"{case_id}-{copy}.yaml").parent.mkdir(exist_ok=True)
            (root / "copies" / f"{case_id}-{copy}.yaml").write_text(changed, encoding="utf-8")
    (root / "copies" / "twin.yaml").write_text(
        (bundled_cases_dir() / "huayi-precision.yaml").read_text(encoding="utf-8"), "utf-8"
    )
    (root / "copies" / "gbk.yaml").write_bytes("id: gbk\nsummary: 浙江\n".encode("gbk"))
    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr(cache, "_PARALLEL", 10)
    monkeypatch.setattr(parallel, "FILES_PER_WORKER", 1)
    monkeypatch.setenv(ENV_WORKERS, "2")
    return Path("many")


def described(library: Library) -> tuple:
    """Everything a load returns, as plain data."""
    return (
        [
            (f.path, None if f.document is None else to_builtins(f.document), f.diagnostics)
            for f in library.files
        ],
        [(case_id, to_builtins(case)) for case_id, case in library.cases.items()],
        None if library.collection is None else to_builtins(library.collection),
        library.diagnostics,
    )


def alone(folder: Path, monkeypatch: pytest.MonkeyPatch, **options: object) -> Library:
    with monkeypatch.context() as patch:
        patch.setenv(ENV_WORKERS, "0")
        return load_library([folder], **options)  # type: ignore[arg-type]


def parsed_here(monkeypatch: pytest.MonkeyPatch) -> list[Path]:
    """Record the files parsed in this process."""
    parsed: list[Path] = []
    real = cache.load_file

    def load_file(path: Path, display: str | None = None) -> LoadedFile:
        parsed.append(path)
        return real(path, display)

    monkeypatch.setattr(cache, "load_file", load_file)
    return parsed


def chunks_sent(monkeypatch: pytest.MonkeyPatch) -> list[Future]:
    """Record the chunks given to workers, as futures."""
    sent: list[Future] = []

    class Pool(ProcessPoolExecutor):
        def submit(self, *args, **kwargs) -> Future:
            sent.append(super().submit(*args, **kwargs))
            return sent[-1]

    monkeypatch.setattr(parallel, "ProcessPoolExecutor", Pool)
    return sent


def workers_answer_first(monkeypatch: pytest.MonkeyPatch) -> list[Path]:
    """Make this process wait, before it parses its first file, until a worker has
    answered for a chunk (so that workers surely take a share); record what is parsed
    here."""
    sent = chunks_sent(monkeypatch)
    parsed = parsed_here(monkeypatch)
    recorded = cache.load_file

    def load_file(path: Path, display: str | None = None) -> LoadedFile:
        if not parsed:
            assert sent, "no chunk was given to a worker"
            done, _ = wait(sent, timeout=PATIENCE, return_when=FIRST_COMPLETED)
            assert done, "no worker answered"
        return recorded(path, display)

    monkeypatch.setattr(cache, "load_file", load_file)
    return parsed


def no_worker_left() -> bool:
    """True once every worker process this process started has ended."""
    deadline = time.monotonic() + PATIENCE
    while multiprocessing.active_children():  # which also reaps those that have ended
        if time.monotonic() > deadline:
            return False
        time.sleep(0.01)
    return True


@pytest.mark.slow
def test_workers_load_what_one_process_loads(many: Path, monkeypatch) -> None:
    expected = alone(many, monkeypatch, cache=False)
    files = len(expected.files)
    assert files >= 120
    # The fixture holds what the comparison must cover.
    messages = [d.message for d in expected.diagnostics]
    assert any("also used by" in m for m in messages)  # a duplicate id
    assert any("not UTF-8" in m for m in messages)  # GBK bytes
    assert any("did not find expected" in m for m in messages)  # a broken file
    assert any("a second collection" in m for m in messages)
    assert len(expected.cases) > 4 * COPIES

    here = workers_answer_first(monkeypatch)
    got = load_library([many], cache=False)
    assert described(got) == described(expected)  # the same files, documents and diagnostics,
    assert 0 < len(here) < files  # in the same order; the workers took a share, and so did this
    assert no_worker_left()


@pytest.mark.slow
def test_a_parallel_cold_load_fills_the_cache_as_a_serial_one(
    many: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(cache, "RACY_NS", 0)
    expected = alone(many, monkeypatch, cache=False)
    cold = load_library([many])
    assert described(cold) == described(expected)
    parsed = parsed_here(monkeypatch)
    warm = alone(many, monkeypatch)
    assert described(warm) == described(expected)
    assert parsed == [f.path for f in expected.files if f.document is None]  # the invalid only


@pytest.mark.slow
def test_progress_is_reported_file_by_file_in_the_calling_thread(many: Path) -> None:
    calls: list[tuple[int, int, int]] = []

    def progress(done: int, total: int) -> None:
        calls.append((done, total, threading.get_ident()))

    library = load_library([many], cache=False, progress=progress)
    total = len(library.files)
    assert calls == [(done, total, threading.get_ident()) for done in range(1, total + 1)]


@pytest.mark.slow
def test_progress_that_raises_stops_the_load_and_its_workers(many: Path) -> None:
    """How the app stops reading a library it no longer needs (it quit): the exception
    comes out of the load, the files left are not parsed, and no worker is left."""

    class Stop(Exception):
        pass

    calls: list[int] = []

    def progress(done: int, total: int) -> None:
        calls.append(done)
        if done == 3:
            raise Stop

    with pytest.raises(Stop):
        load_library([many], cache=False, progress=progress)
    assert calls == [1, 2, 3]
    assert no_worker_left()


# -- workers that fail ------------------------------------------------------------------------
# What a failing worker runs instead of answers.parse_chunk (or its start): module-level
# functions, so that the worker can import them.


def killed(paths: list[str]) -> bytes:
    os.kill(os.getpid(), getattr(signal, "SIGKILL", signal.SIGTERM))
    raise AssertionError("not killed")


def raises(paths: list[str]) -> bytes:
    raise RuntimeError("a bug in the worker")


def hangs(paths: list[str]) -> bytes:
    threading.Event().wait()
    raise AssertionError("woke up")


def garbage(paths: list[str]) -> bytes:
    return b"not msgpack"


def other_files(paths: list[str]) -> bytes:
    return answers.parse_chunk(paths[1:])


def cannot_send(paths: list[str]) -> bytes:
    return answers.ENCODER.encode([answers.Answer(here=True) for _ in paths])


def exits_at_start() -> None:
    os._exit(3)


def no_pool(*args, **kwargs) -> None:
    raise OSError("no semaphores here")


def cannot_start(process: SpawnProcess) -> None:
    raise OSError("no process to spare")


@pytest.mark.slow
@pytest.mark.parametrize(
    "behaviour",
    [
        "no pool",
        "cannot start",
        "exits at start",
        "killed",
        "raises",
        "hangs",
        "garbage",
        "other files",
        "cannot send",
    ],
)
def test_a_failing_worker_loses_nothing_and_never_hangs(
    many: Path, monkeypatch: pytest.MonkeyPatch, behaviour: str
) -> None:
    expected = alone(many, monkeypatch, cache=False)
    if behaviour == "no pool":
        monkeypatch.setattr(parallel, "ProcessPoolExecutor", no_pool)
    elif behaviour == "cannot start":
        monkeypatch.setattr(SpawnProcess, "_Popen", staticmethod(cannot_start))
    elif behaviour == "exits at start":
        monkeypatch.setattr(parallel, "quiet", exits_at_start)
    else:
        monkeypatch.setattr(parallel, "parse_chunk", globals()[behaviour.replace(" ", "_")])
    monkeypatch.setattr(parallel, "PATIENCE", 0.5)  # then a worker still busy is hung
    ticks: list[int] = []
    began = time.monotonic()
    got = load_library([many], cache=False, progress=lambda done, _total: ticks.append(done))
    assert time.monotonic() - began < PATIENCE
    assert described(got) == described(expected)
    assert ticks == list(range(1, len(expected.files) + 1))
    assert no_worker_left()  # killed if hung


def test_without_workers_files_are_parsed_here(many: Path, monkeypatch) -> None:
    def no_pool(*args, **kwargs) -> None:
        raise AssertionError("no worker should start")

    expected = alone(many, monkeypatch, cache=False)
    monkeypatch.setattr(parallel, "ProcessPoolExecutor", no_pool)
    monkeypatch.setenv(ENV_WORKERS, "0")
    assert described(load_library([many], cache=False)) == described(expected)


def test_how_many_workers(monkeypatch: pytest.MonkeyPatch) -> None:
    per = parallel.FILES_PER_WORKER
    assert parallel.worker_count(10_000, {ENV_WORKERS: "0"}) == 0
    assert parallel.worker_count(10_000, {ENV_WORKERS: "3"}) == 3
    assert parallel.worker_count(2 * per, {ENV_WORKERS: "3"}) == 2
    assert parallel.worker_count(per - 1, {ENV_WORKERS: "3"}) == 0
    assert parallel.worker_count(10_000, {ENV_WORKERS: "99"}) == parallel.MAX_WORKERS
    monkeypatch.setattr(parallel.os, "sched_getaffinity", lambda _pid: {0}, raising=False)
    assert parallel.worker_count(10_000, {}) == 0  # one core: no worker
    monkeypatch.setattr(parallel.os, "sched_getaffinity", lambda _pid: {0, 1, 2}, raising=False)
    assert parallel.worker_count(10_000, {ENV_WORKERS: "many"}) == 2


def test_text_msgpack_cannot_carry_is_parsed_by_the_parent() -> None:
    case = msgspec.convert(
        {"id": "odd", "company": {"name": "\ud800"}, "summary": "s"}, Case, strict=False
    )
    raw = answers._answer(LoadedFile(Path("odd.yaml"), case, []))
    decoder = msgspec.msgpack.Decoder(answers.Answer, dec_hook=codec.dec_hook)
    answer = decoder.decode(raw)
    assert (answer.here, answer.case) == (True, None)
    sound = load_file(DATA / "valid" / "full.yaml")
    assert decoder.decode(answers._answer(sound)).case == sound.document


# -- the worker process --------------------------------------------------------------------

PROBE = r"""
import os, sys
from casebook.model.load import parallel

def parse_chunk(paths):
    answer = parallel.parse_chunk(paths)
    with open(os.environ["MARKS"], "a", encoding="utf-8") as marks:
        marks.write(f"worker {os.getpid()} {' '.join(sorted(sys.modules))}\n")
    return answer
"""

SCRIPT = r"""
import os, sys
from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait
from pathlib import Path

with open(os.environ["MARKS"], "a", encoding="utf-8") as marks:  # no __main__ guard: a worker
    marks.write(f"main {os.getpid()}\n")  # that ran this script again would write this again
from casebook.model.load import parallel
import probe

parallel.FILES_PER_WORKER = 1
parallel.parse_chunk = probe.parse_chunk
sent = []

class Pool(ProcessPoolExecutor):
    def submit(self, *args, **kwargs):
        sent.append(super().submit(*args, **kwargs))
        return sent[-1]

def load(path, shown):  # parse here only once a worker has answered
    assert wait(sent, timeout=60, return_when=FIRST_COMPLETED).done
    return parallel.load_file(path, shown)

parallel.ProcessPoolExecutor = Pool
paths = [Path(name) for name in sys.argv[1:]]
assert parallel.load_files(paths, str, load=load) == [parallel.load_file(p, str(p)) for p in paths]
"""


@pytest.mark.slow
def test_a_worker_imports_the_model_only_and_writes_no_bytecode(tmp_path: Path) -> None:
    """Workers import neither textual nor the main script; with PYTHONDONTWRITEBYTECODE,
    neither this process nor its workers write bytecode."""
    package = Path(parallel.__file__).parents[3]  # src/ or site-packages/
    shutil.copytree(
        package / "casebook",
        tmp_path / "copy" / "casebook",
        ignore=shutil.ignore_patterns("__pycache__"),
    )
    (tmp_path / "probe.py").write_text(PROBE, encoding="utf-8")
    (tmp_path / "script.py").write_text(SCRIPT, encoding="utf-8")
    files = sorted((DATA / "valid").glob("*.yaml")) + sorted((DATA / "invalid").glob("*.yaml"))
    marks = tmp_path / "marks"
    env = {
        **os.environ,
        "PYTHONPATH": str(tmp_path / "copy"),
        "PYTHONDONTWRITEBYTECODE": "1",
        "MARKS": str(marks),
        ENV_WORKERS: "1",
    }
    result = subprocess.run(
        [sys.executable, str(tmp_path / "script.py"), *map(str, files)],
        capture_output=True,
        text=True,
        env=env,
        timeout=PATIENCE,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    lines = marks.read_text(encoding="utf-8").splitlines()
    (main,) = [line.split()[1] for line in lines if line.startswith("main ")]  # run once
    workers = [line.split()[1:] for line in lines if line.startswith("worker ")]
    assert workers and all(pid != main for pid, *_ in workers)
    for _pid, *imported in workers:
        assert "casebook.model.load.loader" in imported and "yaml" in imported
        assert not [name for name in imported if name.split(".")[0] in ("textual", "rich")]
    assert not list((tmp_path / "copy").rglob("__pycache__"))


WARM = """
import sys
from pathlib import Path
from casebook.model.load import cache
from casebook.model.load.library import load_library

cache.RACY_NS = 0  # the files were just copied: cache them anyway
library = load_library([Path(sys.argv[1])])
assert len(library.cases) == 4 and not library.diagnostics, library.diagnostics
print(sorted(name for name in sys.modules if name == "yaml" or "yamlsafe" in name))
"""


@pytest.mark.slow
def test_a_warm_load_never_imports_yaml(tmp_path: Path) -> None:
    folder = tmp_path / "cases"
    shutil.copytree(bundled_cases_dir(), folder)
    env = {**os.environ, cache.ENV_DIR: str(tmp_path / "cache")}

    def imported() -> str:
        result = subprocess.run(
            [sys.executable, "-c", WARM, str(folder)],
            capture_output=True,
            text=True,
            env=env,
            timeout=60,
            check=False,
        )
        assert result.returncode == 0, result.stderr
        return result.stdout.strip()

    assert imported() == "['casebook.model.load.yamlsafe', 'yaml']"  # cold: files are parsed
    assert imported() == "[]"  # warm: every file from the cache
    assert len(case_files([folder])[0]) == 5


@pytest.mark.slow
def test_the_pool_starts_under_a_stderr_without_a_file_descriptor(many: Path) -> None:
    """As in a Textual app, whose stand-in stderr's descriptor is -1: the resource
    tracker multiprocessing starts with the pool gets the process's own stderr."""
    code = """if True:
        import sys
        from pathlib import Path
        from casebook.model.load import parallel

        class StandIn:
            def write(self, text): return len(text)
            def flush(self): pass
            def fileno(self): return -1

        sys.stderr = StandIn()
        paths = sorted(Path(".").glob("*.yaml"))
        share = parallel._Share(paths, str, lambda: None, parallel.load_file)
        share.start(1)
        print(share.workers, type(sys.stderr).__name__)
        share.stop()
    """
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=60, check=False
    )
    assert result.returncode == 0, result.stderr[-2000:]
    assert result.stdout.split() == ["1", "StandIn"]
