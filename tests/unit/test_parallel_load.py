"""Parsing in worker processes: the same results as parsing alone, whatever the workers do."""

from __future__ import annotations

import io
import os
import shutil
import subprocess
import sys
import threading
import time
from pathlib import Path
from types import SimpleNamespace

import msgspec
import pytest

from casebook.model.format.case import Case, to_builtins
from casebook.model.load import cache, codec, parallel, worker
from casebook.model.load.library import Library, bundled_cases_dir, case_files, load_library
from casebook.model.load.loader import LoadedFile, load_file

DATA = Path(__file__).resolve().parent.parent / "data"
COPIES = 15
"""Copies of each bundled case (with a new id) in the test library."""


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
    monkeypatch.setenv(parallel.ENV_WORKERS, "2")
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
        patch.setenv(parallel.ENV_WORKERS, "0")
        return load_library([folder], **options)  # type: ignore[arg-type]


def slow_here(monkeypatch: pytest.MonkeyPatch) -> list[Path]:
    """Make parsing in this process slow (so that workers surely take a share); record it."""
    parsed: list[Path] = []
    real = cache.load_file

    def load_file(path: Path, display: str | None = None) -> LoadedFile:
        parsed.append(path)
        time.sleep(0.01)
        return real(path, display)

    monkeypatch.setattr(cache, "load_file", load_file)
    return parsed


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

    parsed_here = slow_here(monkeypatch)
    got = load_library([many], cache=False)
    assert described(got) == described(expected)
    assert 0 < len(parsed_here) < files  # the workers took a share, and so did this process


def test_a_parallel_cold_load_fills_the_cache_as_a_serial_one(
    many: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(cache, "RACY_NS", 0)
    expected = alone(many, monkeypatch, cache=False)
    cold = load_library([many])
    assert described(cold) == described(expected)
    parsed = slow_here(monkeypatch)
    warm = alone(many, monkeypatch)
    assert described(warm) == described(expected)
    assert parsed == [f.path for f in expected.files if f.document is None]  # the invalid only


def test_progress_is_reported_file_by_file_in_the_calling_thread(many: Path) -> None:
    calls: list[tuple[int, int, int]] = []

    def progress(done: int, total: int) -> None:
        calls.append((done, total, threading.get_ident()))

    library = load_library([many], cache=False, progress=progress)
    total = len(library.files)
    assert calls == [(done, total, threading.get_ident()) for done in range(1, total + 1)]


# -- workers that fail ------------------------------------------------------------------------

FAKE = r"""
import os, sys, time
sys.path[:] = sys.argv[2:]
import msgspec
from casebook.model.load import worker
behaviour = sys.argv[1]
worker.read_frame(sys.stdin.buffer)  # the paths
requests = msgspec.msgpack.Decoder(list[int])
while (body := worker.read_frame(sys.stdin.buffer)) is not None:
    chunk = requests.decode(body)
    if behaviour == "hangs":
        time.sleep(3600)
    if behaviour == "dies":
        os._exit(1)
    if behaviour == "garbage":
        answer = b"not msgpack"
    elif behaviour == "other files":
        answer = worker.ENCODER.encode([worker.Answer(index + 1) for index in chunk])
    elif behaviour == "cut off":
        sys.stdout.buffer.write(b"\x00\x00\x10\x00abc")
        sys.stdout.buffer.flush()
        os._exit(0)
    else:  # "parse there": nothing it could send
        answer = worker.ENCODER.encode([worker.Answer(index, here=True) for index in chunk])
    worker.write_frame(sys.stdout.buffer, answer)
"""


@pytest.mark.parametrize(
    "behaviour",
    ["cannot start", "exits at once", "garbage", "other files", "cut off", "dies", "hangs", "here"],
)
def test_a_failing_worker_loses_nothing_and_never_hangs(
    many: Path, monkeypatch: pytest.MonkeyPatch, behaviour: str
) -> None:
    expected = alone(many, monkeypatch, cache=False)
    if behaviour == "cannot start":
        command = [str(many.resolve() / "no-such-python")]
    elif behaviour == "exits at once":
        command = [sys.executable, "-c", "pass"]
    else:
        command = [sys.executable, "-c", FAKE, behaviour, *sys.path]
    monkeypatch.setattr(parallel, "_command", lambda: command)
    started: list[subprocess.Popen] = []
    real_popen = subprocess.Popen

    def popen(*args, **kwargs) -> subprocess.Popen:
        process = real_popen(*args, **kwargs)
        started.append(process)
        return process

    monkeypatch.setattr(parallel.subprocess, "Popen", popen)
    ticks: list[int] = []
    began = time.monotonic()
    got = load_library([many], cache=False, progress=lambda done, _total: ticks.append(done))
    assert time.monotonic() - began < 60
    assert described(got) == described(expected)
    assert ticks == list(range(1, len(expected.files) + 1))
    assert len(started) == (0 if behaviour == "cannot start" else 2)
    assert all(process.poll() is not None for process in started)  # none left running


def test_a_worker_without_a_thread_to_feed_it_is_stopped(many: Path, monkeypatch) -> None:
    expected = alone(many, monkeypatch, cache=False)

    class NoThread(threading.Thread):
        def start(self) -> None:
            raise RuntimeError("can't start new thread")

    started: list[subprocess.Popen] = []
    real_popen = subprocess.Popen

    def popen(*args, **kwargs) -> subprocess.Popen:
        started.append(real_popen(*args, **kwargs))
        return started[-1]

    monkeypatch.setattr(parallel.subprocess, "Popen", popen)
    no_threads = SimpleNamespace(Thread=NoThread, Lock=threading.Lock)
    monkeypatch.setattr(parallel, "threading", no_threads)
    assert described(load_library([many], cache=False)) == described(expected)
    assert len(started) == 1  # the first worker started; then no more were tried
    assert started[0].poll() is not None


def test_without_workers_files_are_parsed_here(many: Path, monkeypatch) -> None:
    def no_workers() -> None:
        raise AssertionError("no worker should start")

    monkeypatch.setattr(parallel, "_command", no_workers)
    monkeypatch.setenv(parallel.ENV_WORKERS, "0")
    assert described(load_library([many], cache=False)) == described(
        alone(many, monkeypatch, cache=False)
    )


def test_how_many_workers(monkeypatch: pytest.MonkeyPatch) -> None:
    per = parallel.FILES_PER_WORKER
    assert parallel.worker_count(10_000, {parallel.ENV_WORKERS: "0"}) == 0
    assert parallel.worker_count(10_000, {parallel.ENV_WORKERS: "3"}) == 3
    assert parallel.worker_count(2 * per, {parallel.ENV_WORKERS: "3"}) == 2
    assert parallel.worker_count(per - 1, {parallel.ENV_WORKERS: "3"}) == 0
    assert parallel.worker_count(10_000, {parallel.ENV_WORKERS: "99"}) == parallel.MAX_WORKERS
    monkeypatch.setattr(parallel.os, "sched_getaffinity", lambda _pid: {0}, raising=False)
    assert parallel.worker_count(10_000, {}) == 0  # one core: no worker
    monkeypatch.setattr(parallel.os, "sched_getaffinity", lambda _pid: {0, 1, 2}, raising=False)
    assert parallel.worker_count(10_000, {parallel.ENV_WORKERS: "many"}) == 2


def test_text_msgpack_cannot_carry_is_parsed_by_the_parent() -> None:
    case = msgspec.convert(
        {"id": "odd", "company": {"name": "\ud800"}, "summary": "s"}, Case, strict=False
    )
    raw = worker._answer(7, LoadedFile(Path("odd.yaml"), case, []))
    decoder = msgspec.msgpack.Decoder(worker.Answer, dec_hook=codec.dec_hook)
    answer = decoder.decode(raw)
    assert (answer.index, answer.here, answer.case) == (7, True, None)
    sound = load_file(DATA / "valid" / "full.yaml")
    assert decoder.decode(worker._answer(8, sound)).case == sound.document


# -- the worker process --------------------------------------------------------------------


def test_a_worker_imports_the_loader_and_never_textual(tmp_path: Path) -> None:
    command = parallel._command()
    assert command is not None
    command[1:1] = ["-X", "importtime"]
    files = [DATA / "valid" / "full.yaml", DATA / "hostile" / "encoding-gbk.yaml"]
    request = io.BytesIO()
    worker.write_frame(request, worker.ENCODER.encode([b"", b"", b"", *map(os.fsencode, files)]))
    worker.write_frame(request, worker.ENCODER.encode([3]))
    worker.write_frame(request, worker.ENCODER.encode([4]))
    result = subprocess.run(
        command, input=request.getvalue(), capture_output=True, timeout=60, check=False
    )
    assert result.returncode == 0, result.stderr.decode()
    answers = io.BytesIO(result.stdout)
    decoder = msgspec.msgpack.Decoder(list[worker.Answer], dec_hook=codec.dec_hook)
    (valid,) = decoder.decode(worker.read_frame(answers) or b"")
    (invalid,) = decoder.decode(worker.read_frame(answers) or b"")
    assert worker.read_frame(answers) is None
    assert valid.index == 3 and valid.case == load_file(files[0]).document
    assert invalid.index == 4 and invalid.case is None
    assert [tuple(d) for d in invalid.diagnostics] == [
        (d.line, d.col, d.message, d.severity) for d in load_file(files[1]).diagnostics
    ]
    imported = [line.rsplit("|", 1)[-1].strip() for line in result.stderr.decode().splitlines()]
    assert "casebook.model.load.loader" in imported  # the check can see what is imported
    assert not [name for name in imported if name.split(".")[0] in ("textual", "rich")]


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
