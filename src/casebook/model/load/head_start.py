"""A large library's first files, parsed in a child process while the app starts.

When the ``casebook`` command finds too many files to parse before its first screen
(see ``cli.LARGE_LIBRARY``), the app appears at once and loads them in a thread; its case
list shows the first page's files as soon as they are parsed. That thread shares the
interpreter with the app drawing its first screen, so the page came only after both.
:meth:`HeadStart.fork` forks a child, before the interface is even imported, that
parses those first files on another core and answers through a pipe; the loading
thread then takes its answers (:meth:`HeadStart.load`) instead of parsing them again.

Only on Linux, with another core to use (``CASEBOOK_WORKERS`` not 0), and only while
this process runs no other thread: forking a threaded process is unsafe. The child
answers for files unchanged since it read them (their stamps, see ``cache.stamp``),
within ``PATIENCE`` seconds, in at most ``MAX_ANSWER`` bytes; any other file, or any
failure of the child, costs time, never results: the file is parsed here.
"""

from __future__ import annotations

import contextlib
import logging
import os
import select
import signal
import sys
import threading
import time
from collections.abc import Sequence
from pathlib import Path

import msgspec

from casebook.model.load.answers import ANSWERS, Answer, loaded_from, parse_chunk, quiet
from casebook.model.load.cache import Stamp, stamp
from casebook.model.load.loader import LoadedFile, load_file
from casebook.model.load.workers import allowed_workers

logger = logging.getLogger(__name__)

PATIENCE = 2.0
"""Seconds the loading thread waits for the child's answer (it usually has it before it
asks); then the child is stopped, and the files are parsed here."""
MAX_ANSWER = 64 * 1024 * 1024
"""The most bytes of an answer read from the child."""

_DECODER = msgspec.msgpack.Decoder(tuple[list[Stamp | None], bytes])


class HeadStart:
    """A child process parsing ``paths``, and its answers once read."""

    def __init__(self, paths: Sequence[str | Path], pid: int, answer_fd: int) -> None:
        self.paths = [os.fspath(path) for path in paths]
        self._pid: int | None = pid
        self._fd: int | None = answer_fd
        self._answers: dict[str, tuple[Stamp, Answer]] | None = None

    @classmethod
    def fork(cls, paths: Sequence[str | Path]) -> HeadStart | None:
        """Start parsing ``paths`` in a child process (None: not here, see the module)."""
        if not (paths and _may_fork()):
            return None
        read_end, write_end = os.pipe()
        try:
            pid = os.fork()
        except OSError:
            logger.info("no head start: cannot fork", exc_info=True)
            os.close(read_end)
            os.close(write_end)
            return None
        if pid == 0:  # pragma: no cover (the child; it never returns to the caller)
            _answer_and_exit(paths, read_end, write_end)
        os.close(write_end)
        return cls(paths, pid, read_end)

    def load(self, path: Path, shown: str) -> LoadedFile:
        """``load_file(path, shown)``: the child's answer when it has one for the file as it
        is now (else parsed here). Called from one thread at a time."""
        answered = self._answered().get(os.fspath(path))
        if answered is not None and answered[0] == stamp(path) and not answered[1].here:
            return loaded_from(answered[1], path, lambda _path: shown)
        return load_file(path, shown)

    def close(self) -> None:
        """Stop the child if it still runs, and forget it (its answers, if read, are kept)."""
        if self._fd is not None:
            os.close(self._fd)
            self._fd = None
        if self._pid is not None:
            with contextlib.suppress(OSError):
                os.kill(self._pid, signal.SIGKILL)
            _reap(self._pid)
            self._pid = None

    def _answered(self) -> dict[str, tuple[Stamp, Answer]]:
        if self._answers is None:
            self._answers = self._read()
            self.close()
        return self._answers

    def _read(self) -> dict[str, tuple[Stamp, Answer]]:
        """The child's answers by path (empty if it failed, or took too long)."""
        assert self._fd is not None
        data = _read_all(self._fd, time.monotonic() + PATIENCE)
        if data is None:
            logger.warning("the head start did not answer: parsing its files here")
            return {}
        try:
            stamps, encoded = _DECODER.decode(data)
            answers = ANSWERS.decode(encoded)
            if not len(stamps) == len(answers) == len(self.paths):
                raise ValueError("an answer for other files")
        except (msgspec.DecodeError, ValueError):
            logger.warning("the head start answered garbage: parsing its files here")
            return {}
        return {
            path: (seen, answer)
            for path, seen, answer in zip(self.paths, stamps, answers, strict=True)
            if seen is not None
        }


def _may_fork() -> bool:
    return (
        sys.platform == "linux"
        and hasattr(os, "fork")
        and threading.active_count() == 1
        and allowed_workers() > 0
    )


def _answer_and_exit(paths: Sequence[str | Path], read_end: int, write_end: int) -> None:
    """In the child: parse, answer, and leave at once (none of the parent's exit
    handlers, buffers or terminal touched)."""
    status = 1
    try:
        os.close(read_end)
        quiet()
        files = [os.fspath(path) for path in paths]
        stamps = [stamp(path) for path in files]  # before reading: a later change shows
        encoded = msgspec.msgpack.encode((stamps, parse_chunk(files)))
        with open(write_end, "wb") as answer:
            answer.write(encoded)
        status = 0
    finally:
        os._exit(status)


def _read_all(fd: int, deadline: float) -> bytes | None:
    """Everything the child writes until it closes the pipe (None: not by ``deadline``,
    more than ``MAX_ANSWER`` bytes, or the pipe failed)."""
    chunks: list[bytes] = []
    size = 0
    while True:
        left = deadline - time.monotonic()
        try:
            ready, _, _ = select.select([fd], [], [], max(0.0, left))
            if not ready:
                return None
            chunk = os.read(fd, 1 << 20)
        except OSError:
            return None
        if not chunk:
            return b"".join(chunks)
        size += len(chunk)
        if size > MAX_ANSWER:
            return None
        chunks.append(chunk)


def _reap(pid: int) -> None:
    with contextlib.suppress(ChildProcessError, OSError):
        os.waitpid(pid, 0)
