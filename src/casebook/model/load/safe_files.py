"""Reading and writing files that others may have tampered with.

Every file casebook reads from outside (case files, caches, the notes store, the
presenter's state file) may be a symlink, a FIFO, a device or far too large; every file
it writes must be written whole or not at all, and never through a symlink.
"""

from __future__ import annotations

import contextlib
import os
import stat
import tempfile
import time
import weakref
from pathlib import Path

TEMP_SUFFIX = ".tmp"
STALE_TEMP_SECONDS = 60.0
"""A temporary file older than this was left by a writer that died (a write takes
milliseconds), and may be removed."""

_READ_FLAGS = (
    os.O_RDONLY
    | getattr(os, "O_NOFOLLOW", 0)
    | getattr(os, "O_NONBLOCK", 0)
    | getattr(os, "O_CLOEXEC", 0)
    | getattr(os, "O_BINARY", 0)
)


class UnsafeFile(OSError):
    """A file that is not a regular file of bounded size (a link, FIFO, device, folder)."""


def read_regular(path: Path | str, limit: int) -> bytes:
    """The bytes of a regular file of at most ``limit`` bytes.

    Never follows a symlink at ``path`` itself and never blocks on a FIFO or device:
    anything but a regular file raises :class:`UnsafeFile` (an ``OSError``), as does a
    file larger than ``limit``. A file that grows while being read is cut at the limit
    and refused.
    """
    fd, size = _open_regular(path, limit)
    try:
        return _read_whole(fd, size, limit, path)
    finally:
        os.close(fd)


def _read_whole(fd: int, size: int, limit: int, path: Path | str) -> bytes:
    chunks = []
    remaining = limit + 1
    # The size it has, and a byte more, in one read (no chunks to join): then more only
    # if it grew meanwhile.
    size += 1
    while remaining > 0:
        chunk = os.read(fd, min(remaining, size))
        size = 1 << 20
        if not chunk:
            break
        chunks.append(chunk)
        remaining -= len(chunk)
    data = b"".join(chunks)
    if len(data) > limit:
        raise UnsafeFile(f"{path}: larger than {limit} bytes")
    return data


def _open_regular(path: Path | str, limit: int) -> tuple[int, int]:
    """A descriptor of the regular file at ``path`` (never a link, FIFO or device) of at
    most ``limit`` bytes, and its size; :class:`UnsafeFile` for anything else."""
    try:
        fd = os.open(path, _READ_FLAGS)
    except OSError as error:
        if Path(path).is_symlink():
            raise UnsafeFile(f"{path}: is a symbolic link") from None
        raise error
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise UnsafeFile(f"{path}: not a regular file")
        if info.st_size > limit:
            raise UnsafeFile(f"{path}: larger than {limit} bytes")
    except BaseException:
        os.close(fd)
        raise
    return fd, info.st_size


class OpenFile:
    """A regular file held open for reading parts of it, at offsets, when they are needed
    (see :func:`read_regular` for what it refuses to open). Replacing the file at its
    path does not change what it reads; it is closed when let go of.

    Where there is no ``pread`` (Windows, where a file held open cannot be replaced
    either), it is read whole at once and closed, and its parts read from memory."""

    def __init__(self, path: Path | str, limit: int) -> None:
        fd, self.size = _open_regular(path, limit)
        self._fd = fd
        self._data: bytes | None = None
        if hasattr(os, "pread"):
            weakref.finalize(self, os.close, fd)
            return
        try:
            self._data = _read_whole(fd, self.size, limit, path)
        finally:
            os.close(fd)
        self.size = len(self._data)

    def read(self, offset: int, size: int) -> bytes:
        """Exactly ``size`` bytes at ``offset``: ``OSError`` when the file no longer has them."""
        if offset < 0 or size < 0 or offset + size > self.size:
            raise OSError(f"{size} bytes at {offset}: past the end of the file")
        if self._data is not None:
            return self._data[offset : offset + size]
        data = os.pread(self._fd, size, offset)
        if len(data) != size:
            raise OSError(f"{size} bytes at {offset}: the file was cut short")
        return data


def write_atomic(path: Path, data: bytes, *, mode: int = 0o644, durable: bool = True) -> None:
    """Replace ``path`` with ``data``, whole or not at all.

    The bytes go to a temporary file beside ``path`` (named ``.NAME.*.tmp``), are
    flushed to disk when ``durable``, then renamed over ``path``. A symlink or anything
    but a regular file at ``path`` is refused (:class:`UnsafeFile`): the write never goes
    through a link. On any failure the temporary file is removed and ``path`` is as it was.
    """
    path = Path(path)
    with contextlib.suppress(FileNotFoundError):
        info = path.lstat()
        if stat.S_ISLNK(info.st_mode):
            raise UnsafeFile(f"{path}: is a symbolic link; not writing through it")
        if not stat.S_ISREG(info.st_mode):
            raise UnsafeFile(f"{path}: not a regular file")
    fd, name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=TEMP_SUFFIX, dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as stream:
            if hasattr(os, "fchmod"):  # mkstemp makes 0600; honour the wanted mode
                os.fchmod(stream.fileno(), mode & ~_UMASK)
            stream.write(data)
            stream.flush()
            if durable:
                os.fsync(stream.fileno())
        Path(name).replace(path)
    except BaseException:
        with contextlib.suppress(OSError):
            Path(name).unlink()
        raise
    if durable:
        fsync_directory(path.parent)


def _read_umask() -> int:
    current = os.umask(0o022)
    os.umask(current)
    return current


_UMASK = _read_umask()
"""The process's umask, read once at import (reading it means setting it)."""


def fsync_directory(directory: Path) -> None:
    """Make a rename in ``directory`` durable where the platform allows it."""
    try:
        fd = os.open(directory, os.O_RDONLY)
    except OSError:  # e.g. Windows cannot open a directory
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def remove_stale_temporaries(directory: Path, name: str, now: float | None = None) -> int:
    """Remove the temporary files that killed writers of ``directory/name`` left behind
    (older than :data:`STALE_TEMP_SECONDS`); return how many went."""
    now = time.time() if now is None else now
    removed = 0
    try:
        entries = list(os.scandir(directory))
    except OSError:
        return 0
    prefix = f".{name}."
    for entry in entries:
        if not (entry.name.startswith(prefix) and entry.name.endswith(TEMP_SUFFIX)):
            continue
        try:
            info = entry.stat(follow_symlinks=False)
            if stat.S_ISREG(info.st_mode) and now - info.st_mtime > STALE_TEMP_SECONDS:
                Path(entry.path).unlink()
                removed += 1
        except OSError:
            continue
    return removed
