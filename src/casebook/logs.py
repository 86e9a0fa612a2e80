"""Where casebook's log goes: nowhere by default, or to a file the reader names.

Every module logs through ``logging.getLogger(__name__)``, under the ``casebook``
logger. By default that logger has a :class:`logging.NullHandler` and nothing more:
no record is printed, least of all over the app's screen (Python would otherwise
print warnings and errors on stderr). ``casebook --log FILE`` (or ``CASEBOOK_LOG=FILE``)
sends everything casebook logs, from DEBUG up, to the end of ``FILE``: a cache that
could not be written, a cached case not used, a reload that failed, with tracebacks.

The file is opened for appending only, never through a symbolic link (of its last
component), never a FIFO, device or folder, never another user's; a new one is created
private (mode 0600).
"""

from __future__ import annotations

import logging
import os
import stat
import sys
from pathlib import Path
from typing import TextIO

ENV_LOG = "CASEBOOK_LOG"
"""The environment variable naming the log file when ``--log`` is not given."""

ROOT = "casebook"
"""The logger every casebook module's logger is under."""

FORMAT = "%(asctime)s %(process)d %(levelname)s %(name)s: %(message)s"

_handlers: list[logging.Handler] = []
"""The handlers :func:`configure` added (replaced by its next call)."""


class LogFileError(OSError):
    """The log file cannot be used (a symbolic link, not a regular file, another user's)."""


def log_path(option: Path | None) -> Path | None:
    """The log file: ``option`` (``--log``), else ``$CASEBOOK_LOG``, else none."""
    if option is not None:
        return option
    named = os.environ.get(ENV_LOG, "")
    return Path(named) if named else None


def configure(path: Path | None, *, warnings_to_stderr: bool = False) -> None:
    """Send casebook's log to ``path`` (from DEBUG up), or, with ``path`` None, nowhere
    (with ``warnings_to_stderr``, warnings and errors to stderr: for ``casebook serve``,
    which has no screen to spoil). Replaces what an earlier call set. Raises
    :class:`OSError` (:class:`LogFileError` among them) when ``path`` cannot be used."""
    logger = logging.getLogger(ROOT)
    handlers: list[logging.Handler] = [logging.NullHandler()]
    level = logging.NOTSET
    if path is not None:
        stream = open_log(path)
        handler: logging.Handler = logging.StreamHandler(stream)
        handler.setFormatter(logging.Formatter(FORMAT))
        handlers.append(handler)
        level = logging.DEBUG
    elif warnings_to_stderr:
        handler = logging.StreamHandler(sys.stderr)
        handler.setLevel(logging.WARNING)
        handler.setFormatter(logging.Formatter("%(name)s: %(message)s"))
        handlers.append(handler)
    for old in _handlers:
        logger.removeHandler(old)
        old.close()
    _handlers[:] = handlers
    for handler in handlers:
        logger.addHandler(handler)
    logger.setLevel(level)


def open_log(path: Path) -> TextIO:
    """``path`` opened for appending, line-buffered: never through a symbolic link,
    only a regular file of this user's, created with mode 0600."""
    flags = (
        os.O_WRONLY
        | os.O_APPEND
        | os.O_CREAT
        | getattr(os, "O_NOFOLLOW", 0)
        | getattr(os, "O_NONBLOCK", 0)  # a FIFO must not block the start
        | getattr(os, "O_CLOEXEC", 0)
    )
    if not hasattr(os, "O_NOFOLLOW") and path.is_symlink():
        raise LogFileError(f"{path}: a symbolic link; not logging through it")
    try:
        fd = os.open(path, flags, 0o600)
    except OSError as error:
        if path.is_symlink():
            raise LogFileError(f"{path}: a symbolic link; not logging through it") from None
        raise OSError(error.errno, error.strerror, str(path)) from None
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise LogFileError(f"{path}: not a regular file; not logging to it")
        if hasattr(os, "geteuid") and info.st_uid != os.geteuid():
            raise LogFileError(f"{path}: another user's file; not logging to it")
        if hasattr(os, "set_blocking"):
            os.set_blocking(fd, True)
        return os.fdopen(fd, "a", encoding="utf-8", errors="backslashreplace", buffering=1)
    except BaseException:
        os.close(fd)
        raise
