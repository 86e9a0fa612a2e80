"""Parsing many case files at once: this process and worker processes share the files.

:func:`load_files` returns exactly what ``[load(path, shown(path)) for path in paths]``
would, in the same order. When there are enough files and more than one core, it
starts worker processes: fresh interpreters (``python -I -S -c``) that import only
the model, never textual nor the caller's ``__main__``, so no process that may run
threads is ever forked and no script is run twice. Workers take chunks of files from
the front of the list (see ``casebook.model.load.worker``) and answer with documents or
diagnostics on a pipe; this process parses from the back of the list and, once the
list is empty, takes back file by file whatever the workers have not answered yet.
A worker that is slow, cannot start, dies or answers garbage therefore costs time,
never results: at worst this process parses every file itself, as it would alone.

``CASEBOOK_WORKERS=N`` sets how many worker processes may run (0: none); the default
is one fewer than the cores this process may use.
"""

from __future__ import annotations

import contextlib
import os
import queue
import subprocess
import sys
import threading
from collections import deque
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import IO

import msgspec

import casebook
from casebook.model.load import codec
from casebook.model.load.diagnostics import Diagnostic
from casebook.model.load.loader import LoadedFile, load_file
from casebook.model.load.worker import ENCODER, Answer, read_frame, write_frame

ENV_WORKERS = "CASEBOOK_WORKERS"
FILES_PER_WORKER = 50
"""A worker costs an interpreter start: each must have at least this many files."""
MAX_WORKERS = 8
CHUNK = 32
"""The most files sent to a worker at once; chunks shrink as the list runs out."""
IN_FLIGHT = 2
"""Chunks a worker holds at once, so that the next is there when it finishes one."""
PATIENCE = 10.0
"""Seconds to wait for an answer that must be on its way before parsing here instead."""

_BOOT = (
    "import sys; sys.path[:] = sys.argv[1:]; from casebook.model.load.worker import serve; serve()"
)

Load = Callable[[Path, str], LoadedFile]


def worker_count(files: int, environ: Mapping[str, str] | None = None) -> int:
    """How many worker processes to start for ``files`` files (0: parse them here)."""
    environ = os.environ if environ is None else environ
    configured = environ.get(ENV_WORKERS, "").strip()
    if configured.isdigit():
        wanted = int(configured)
    else:
        try:
            cores = len(os.sched_getaffinity(0))
        except (AttributeError, OSError):  # not on Linux
            cores = os.cpu_count() or 1
        wanted = cores - 1
    return max(0, min(wanted, MAX_WORKERS, files // FILES_PER_WORKER))


def load_files(
    paths: Sequence[Path],
    shown: Callable[[Path], str],
    progress: Callable[[], None] | None = None,
    *,
    load: Load = load_file,
    environ: Mapping[str, str] | None = None,
) -> list[LoadedFile]:
    """``load(path, shown(path))`` for each path, in order, shared with worker processes.

    ``progress()`` is called once per file as its result arrives, in this thread.
    """
    tick = progress or (lambda: None)
    count = worker_count(len(paths), environ)
    command = _command() if count else None
    if command is None:
        found = []
        for path in paths:
            found.append(load(path, shown(path)))
            tick()
        return found
    pool = _Pool(paths, shown, tick, load)
    try:
        pool.start(command, count)
        return pool.run()
    finally:
        pool.close()


def _command() -> list[str] | None:
    """How to start a worker: this interpreter, with this process's import path."""
    if not sys.executable or getattr(sys, "frozen", False):
        return None
    package = str(Path(casebook.__file__).absolute().parent.parent)
    path = [entry for entry in sys.path if isinstance(entry, str)]
    flags = ["-I", "-S", "-B"] if sys.dont_write_bytecode else ["-I", "-S"]  # -I: no PYTHON*
    return [sys.executable, *flags, "-c", _BOOT, *path, package]


class _Worker:
    """One worker process, and the chunks of file indexes it holds, oldest first."""

    def __init__(self, process: subprocess.Popen[bytes]) -> None:
        self.process = process
        self.held: deque[list[int]] = deque()
        self.thread: threading.Thread | None = None


class _Pool:
    """The files, who parses which, and what has come back."""

    def __init__(
        self,
        paths: Sequence[Path],
        shown: Callable[[Path], str],
        tick: Callable[[], None],
        load: Load,
    ) -> None:
        self.paths = paths
        self.shown = shown
        self.tick = tick
        self.load = load
        self.results: list[LoadedFile | None] = [None] * len(paths)
        self.missing = len(paths)
        self.todo: deque[int] = deque(range(len(paths)))
        self.taken_back: set[int] = set()
        self.workers: list[_Worker] = []
        self.lock = threading.Lock()
        self.arrived: queue.SimpleQueue[list[Answer]] = queue.SimpleQueue()

    # -- this thread ------------------------------------------------------------------

    def start(self, command: list[str], count: int) -> None:
        """Start up to ``count`` workers; those that cannot start are done without."""
        for _ in range(count):
            try:
                process = subprocess.Popen(
                    command,
                    stdin=subprocess.PIPE,
                    stdout=subprocess.PIPE,
                    stderr=subprocess.DEVNULL,
                    close_fds=True,
                    creationflags=getattr(subprocess, "CREATE_NO_WINDOW", 0),  # Windows
                )
            except (OSError, ValueError, subprocess.SubprocessError):
                break
            worker = _Worker(process)
            self.workers.append(worker)  # from here on, close() stops it
            thread = threading.Thread(
                target=self._serve, args=(worker,), name="casebook-parse", daemon=True
            )
            try:
                thread.start()
            except RuntimeError:  # no thread to feed it: do without
                break
            worker.thread = thread

    def run(self) -> list[LoadedFile]:
        """Parse here until every file has a result, merging workers' answers as they come."""
        while self.missing:
            self._merge(block=False)
            if not self.missing:
                break
            with self.lock:
                index = self._next_here()
            if index is None:  # every file left is in an answer on its way
                if not self._merge(block=True):
                    self._parse_all_missing()
                continue
            self._keep(index, self.load(self.paths[index], self.shown(self.paths[index])))
        return self.results  # type: ignore[return-value]

    def close(self) -> None:
        """Stop the workers (they hold nothing that matters once every file is done)."""
        for worker in self.workers:
            with contextlib.suppress(OSError):
                worker.process.kill()
            with contextlib.suppress(OSError, subprocess.SubprocessError):
                worker.process.wait(PATIENCE)
        for worker in self.workers:
            if worker.thread is not None:
                worker.thread.join(PATIENCE)
            for stream in (worker.process.stdin, worker.process.stdout):
                if stream is not None:
                    with contextlib.suppress(OSError):
                        stream.close()

    def _next_here(self) -> int | None:
        """The next file to parse here: the back of the list, else one a worker still holds."""
        while self.todo:
            index = self.todo.pop()
            if self.results[index] is None:  # not given back by a failed worker once done
                return index
        for worker in self.workers:
            for chunk in reversed(worker.held):
                for index in reversed(chunk):
                    if self.results[index] is None and index not in self.taken_back:
                        self.taken_back.add(index)
                        return index
        return None

    def _merge(self, *, block: bool) -> bool:
        """Keep the answers that have arrived (waiting for one if ``block``); False if
        none came in time."""
        try:
            answers = self.arrived.get(timeout=PATIENCE) if block else self.arrived.get_nowait()
        except queue.Empty:
            return False
        while True:
            for answer in answers:
                self._keep_answer(answer)
            try:
                answers = self.arrived.get_nowait()
            except queue.Empty:
                return True

    def _keep_answer(self, answer: Answer) -> None:
        index = answer.index
        if self.results[index] is not None:
            return
        path = self.paths[index]
        if answer.here:
            self._keep(index, self.load(path, self.shown(path)))
            return
        document = answer.case if answer.case is not None else answer.collection
        shown = self.shown(path) if answer.diagnostics else ""
        diagnostics = [Diagnostic(shown, *found) for found in answer.diagnostics]  # type: ignore[arg-type]
        self._keep(index, LoadedFile(path, document, diagnostics))

    def _keep(self, index: int, loaded: LoadedFile) -> None:
        if self.results[index] is None:
            self.results[index] = loaded
            self.missing -= 1
            self.tick()

    def _parse_all_missing(self) -> None:
        """The last resort, if answers owed never come: parse every file left here."""
        for index, found in enumerate(self.results):
            if found is None:
                self._keep(index, self.load(self.paths[index], self.shown(self.paths[index])))

    # -- one thread per worker ------------------------------------------------------

    def _serve(self, worker: _Worker) -> None:
        """Feed a worker chunks and pass its answers on; if it fails, give its files back."""
        decoder = msgspec.msgpack.Decoder(list[Answer], dec_hook=codec.dec_hook)
        process = worker.process
        try:
            assert process.stdin is not None and process.stdout is not None
            write_frame(process.stdin, ENCODER.encode([os.fsencode(p) for p in self.paths]))
            for _ in range(IN_FLIGHT):
                self._send(worker, process.stdin)
            while worker.held:
                body = read_frame(process.stdout)
                if body is None:
                    raise EOFError("the worker stopped")
                answers = decoder.decode(body)
                with self.lock:
                    if [answer.index for answer in answers] != worker.held[0]:
                        raise ValueError("the worker answered for other files")
                    worker.held.popleft()
                    self.arrived.put(answers)
                self._send(worker, process.stdin)
        except Exception:  # anything at all: this process parses the worker's files
            with self.lock:
                held = [index for chunk in worker.held for index in chunk]
                self.todo.extend(index for index in held if self.results[index] is None)
                worker.held.clear()
        finally:
            with contextlib.suppress(OSError):
                process.stdin.close()  # type: ignore[union-attr]

    def _send(self, worker: _Worker, stream: IO[bytes]) -> None:
        """Give a worker the next chunk from the front of the list, if any is left."""
        with self.lock:
            if not self.todo:
                return
            size = max(1, min(CHUNK, len(self.todo) // (2 * (len(self.workers) + 1))))
            chunk = [self.todo.popleft() for _ in range(min(size, len(self.todo)))]
            worker.held.append(chunk)
        write_frame(stream, ENCODER.encode(chunk))
