"""Parsing many case files at once: this process and a pool of worker processes share them.

:func:`load_files` returns exactly what ``[load(path, shown(path)) for path in paths]``
would, in the same order. When there are enough files and more than one core, it
starts a :class:`~concurrent.futures.ProcessPoolExecutor` whose workers parse chunks
of files from the front of the list (``answers.parse_chunk``, which answers in
MessagePack, see ``casebook.model.load.answers``), while this process parses from the
back; once the list is empty, this process takes back, file by file, whatever the
workers have not answered for yet, so it never waits for them. A worker that cannot
start, fails, dies or hangs therefore costs time, never results: at worst this process
parses every file itself, as it would alone. Once every file has its result the pool
is shut down without waiting; a worker still busy then is killed if it hangs.

Workers are fresh interpreters (the ``spawn`` start method) that import only the model:
never textual, nor the caller's ``__main__`` (see :func:`_main_unseen`).

``CASEBOOK_WORKERS=N`` sets how many worker processes may run (0: none); the default
is one fewer than the cores this process may use.
"""

from __future__ import annotations

import contextlib
import logging
import multiprocessing
import os
import queue
import sys
import threading
import types
from collections import deque
from collections.abc import Callable, Iterator, Mapping, Sequence
from concurrent.futures import Future, ProcessPoolExecutor, wait
from multiprocessing.process import BaseProcess
from pathlib import Path

from casebook.model.load.answers import ANSWERS, Answer, loaded_from, parse_chunk, quiet
from casebook.model.load.loader import Load, LoadedFile, load_file
from casebook.model.load.workers import allowed_workers

logger = logging.getLogger(__name__)

FILES_PER_WORKER = 50
"""A worker costs an interpreter start: each must have at least this many files."""
MAX_WORKERS = 8
CHUNK = 32
"""The most files given to a worker at once; chunks shrink as the list runs out."""
IN_FLIGHT = 2
"""Chunks a worker holds at once, so that the next is there when it finishes one."""
PATIENCE = 10.0
"""Seconds a worker may take over a chunk once this process needs no more answers; after
that it is deemed hung, and killed."""
START_METHOD = "spawn"
"""Fresh interpreters, on every platform. Not ``fork``: the app loads in a thread while
Textual's run, and forking a process that runs threads is unsafe. Not ``forkserver``:
its first worker makes this process wait for the server to start (about 100 ms on the
benchmark machine, against about 15 ms to spawn a worker), and the server outlives
the load."""


def worker_count(files: int, environ: Mapping[str, str] | None = None) -> int:
    """How many worker processes to start for ``files`` files (0: parse them here)."""
    return max(0, min(allowed_workers(environ), MAX_WORKERS, files // FILES_PER_WORKER))


def load_files(
    paths: Sequence[Path],
    shown: Callable[[Path], str],
    progress: Callable[[], None] | None = None,
    *,
    load: Load = load_file,
    environ: Mapping[str, str] | None = None,
) -> list[LoadedFile]:
    """``load(path, shown(path))`` for each path, in order, shared with worker processes.

    ``progress()`` is called once per file as its result arrives, in this thread; an
    exception it raises stops the load (the workers are shut down) and comes out of it.
    """
    tick = progress or (lambda: None)
    count = worker_count(len(paths), environ)
    if not count:
        found = []
        for path in paths:
            found.append(load(path, shown(path)))
            tick()
        return found
    share = _Share(paths, shown, tick, load)
    share.start(count)
    try:
        return share.run()
    finally:
        share.stop()


# -- in this process ---------------------------------------------------------------------


@contextlib.contextmanager
def _real_stderr() -> Iterator[None]:
    """While the pool starts, the process's own stderr as ``sys.stderr``.

    The pool's first lock starts multiprocessing's resource tracker, handing it
    ``sys.stderr``'s file descriptor; a Textual app's stand-in stderr has none (-1), and
    the tracker would not start (``ValueError: bad value(s) in fds_to_keep``)."""
    stand_in = sys.stderr
    try:
        usable = stand_in is not None and stand_in.fileno() >= 0
    except (AttributeError, OSError, ValueError):
        usable = False
    if usable or sys.__stderr__ is None:
        yield
        return
    sys.stderr = sys.__stderr__
    try:
        yield
    finally:
        sys.stderr = stand_in


@contextlib.contextmanager
def _main_unseen() -> Iterator[None]:
    """While workers start, show multiprocessing a ``__main__`` with neither file nor spec.

    multiprocessing would otherwise run this process's main script again in each worker
    (as ``__mp_main__``; everything not under ``if __name__ == "__main__"``: a script
    that starts the app would start it again), or import its module. A worker needs
    none of it: it imports what :func:`parse_chunk` needs when the first chunk comes.
    """
    main = sys.modules.get("__main__")
    sys.modules["__main__"] = types.ModuleType("__main__")
    try:
        yield
    finally:
        if main is None:
            del sys.modules["__main__"]
        else:
            sys.modules["__main__"] = main


def _kill_if_hung(busy: list[Future[bytes]], processes: list[BaseProcess]) -> None:
    """Kill ``processes`` if the ``busy`` chunks are not all answered in time."""
    if wait(busy, timeout=PATIENCE).not_done:
        logger.warning("a parse worker hung: stopping the workers")
        for process in processes:
            with contextlib.suppress(OSError, ValueError):  # ended, or closed
                process.kill()


class _Share:
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
        self.pool: ProcessPoolExecutor | None = None
        self.workers = 0
        self.sending = False
        self.held: dict[Future[bytes], list[int]] = {}
        """Chunks given to the workers, oldest first, until their answer is merged."""
        self.taken_back: set[int] = set()
        self.done: queue.SimpleQueue[Future[bytes]] = queue.SimpleQueue()

    def start(self, count: int) -> None:
        """Start a pool of ``count`` workers and give each its first chunks; if the pool
        cannot start, do without."""
        try:
            with _real_stderr():
                self.pool = ProcessPoolExecutor(
                    count, mp_context=multiprocessing.get_context(START_METHOD), initializer=quiet
                )
        except (ImportError, NotImplementedError, OSError, ValueError):  # no semaphores here
            logger.info("no parse workers: parsing here", exc_info=True)
            return
        self.workers = count
        self.sending = True
        with _main_unseen():  # the pool starts a worker as each of the first chunks comes
            for _ in range(IN_FLIGHT * count):
                self._send()

    def run(self) -> list[LoadedFile]:
        """Parse here until every file has a result, merging workers' answers as they come."""
        while self.missing:
            if not self.done.empty():
                self._merge(self.done.get())
                continue
            index = self._next_here()
            assert index is not None  # a missing file is on the list or in a held chunk
            self._keep(index, self.load(self.paths[index], self.shown(self.paths[index])))
        return self.results  # type: ignore[return-value]

    def stop(self) -> None:
        """Shut the pool down without waiting for it. A worker still busy with a chunk
        (whose files were parsed here too) ends once it has answered; one that has not
        answered within ``PATIENCE`` seconds is hung, and is killed then. Not at once:
        killed while it writes an answer, it would leave the pool's thread waiting for the
        rest forever, and this process could not exit."""
        pool, self.pool = self.pool, None
        if pool is None:
            return
        # Nothing is cancelled (a worker holds two chunks at most, soon parsed): Python
        # 3.11's pool fails, printing a traceback, if it breaks with a cancelled chunk in it.
        busy = [future for future in self.held if not future.done()]
        # The pool's processes are private (Python 3.14 adds kill_workers(), which kills
        # them at once), and shutdown() forgets them.
        processes = list((getattr(pool, "_processes", None) or {}).values())
        pool.shutdown(wait=False)
        if busy:
            threading.Thread(
                target=_kill_if_hung, args=(busy, processes), name="casebook-parse", daemon=True
            ).start()

    def _send(self) -> None:
        """Give the workers the next chunk from the front of the list, if any is left."""
        if not self.sending or self.pool is None or not self.todo:
            return
        size = max(1, min(CHUNK, len(self.todo) // (2 * (self.workers + 1))))
        chunk = [self.todo.popleft() for _ in range(min(size, len(self.todo)))]
        try:
            future = self.pool.submit(parse_chunk, [os.fspath(self.paths[i]) for i in chunk])
        except (RuntimeError, OSError):  # a broken pool, a worker that cannot start
            logger.warning("parse workers stopped: parsing here", exc_info=True)
            self.todo.extend(chunk)
            self.sending = False
            return
        self.held[future] = chunk
        future.add_done_callback(self.done.put)  # in the pool's thread: just pass it on

    def _merge(self, future: Future[bytes]) -> None:
        """Keep a chunk's answers (if it failed, its files go back on the list to be
        parsed here), and give the workers another chunk."""
        chunk = self.held.pop(future)
        try:
            answers = ANSWERS.decode(future.result())
            if len(answers) != len(chunk):
                raise ValueError("an answer for other files")
        except Exception:  # anything at all (the worker's own errors too): parse them here
            logger.warning("a parse worker failed: parsing its files here", exc_info=True)
            self.todo.extend(index for index in chunk if self.results[index] is None)
            return
        for index, answer in zip(chunk, answers, strict=True):
            self._keep_answer(index, answer)
        self._send()

    def _next_here(self) -> int | None:
        """The next file to parse here: the back of the list, else one a worker still holds."""
        while self.todo:
            index = self.todo.pop()
            if self.results[index] is None:
                return index
        for chunk in reversed(self.held.values()):
            for index in reversed(chunk):
                if self.results[index] is None and index not in self.taken_back:
                    self.taken_back.add(index)
                    return index
        return None

    def _keep_answer(self, index: int, answer: Answer) -> None:
        if self.results[index] is not None:  # taken back and parsed here already
            return
        path = self.paths[index]
        if answer.here:
            self._keep(index, self.load(path, self.shown(path)))
            return
        self._keep(index, loaded_from(answer, path, self.shown))

    def _keep(self, index: int, loaded: LoadedFile) -> None:
        if self.results[index] is None:
            self.results[index] = loaded
            self.missing -= 1
            self.tick()
