"""The store's lock: one writer at a time, across threads, processes and platforms.

A thin layer over :mod:`filelock` (the operating system's file locks where it has
them, else a lock file), so that a caller waiting too long sees :class:`StoreLockTimeout`.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from pathlib import Path

__all__ = ["LOCK_POLL", "LOCK_TIMEOUT", "StoreLockTimeout", "exclusive_lock"]

LOCK_TIMEOUT = 10.0
"""Seconds a write waits for another instance to finish before giving up."""

LOCK_POLL = 0.005
"""Seconds between two tries of a lock another instance holds."""


class StoreLockTimeout(TimeoutError):
    """Another instance held the store's lock for too long; nothing was written."""


@contextlib.contextmanager
def exclusive_lock(path: Path, timeout: float) -> Iterator[None]:
    """Hold the lock of the file ``path``; raise :class:`StoreLockTimeout` after ``timeout``.

    The lock file is made if missing, private to the user. An :class:`OSError` making
    it, e.g. in a read-only folder, is raised as it is.
    """
    import filelock  # some thirty modules: imported by the first write, not at start-up

    lock = filelock.FileLock(path, timeout=timeout, mode=0o600)
    try:
        lock.acquire(poll_interval=LOCK_POLL)
    except filelock.Timeout:
        raise StoreLockTimeout(f"{path} is held by another casebook; nothing was saved") from None
    try:
        yield
    finally:
        lock.release()
