"""The link between the audience screen and a presenter console: one small state file.

Both sides write the presentation's state (position, blackout, the clock, class length) to a
JSON file in the user's runtime folder, and poll it for the other side's changes.
Nothing touches the network; the file is replaced atomically.

The file is outside data: it is read only when it is a regular file of at most
:data:`STATE_LIMIT` bytes (never through a link, never blocking on a FIFO), and
decoded strictly into :class:`LinkState` (bounded numbers, no NaN, no nesting), so
that a bad file is ignored. The folder must be private, as tmux insists for its
socket folder: a real folder (not a link), owned by the user, closed to group and
others. Otherwise the link is off and :attr:`PresenterLink.problem` says why.
"""

from __future__ import annotations

import contextlib
import os
import stat
import tempfile
import uuid
from pathlib import Path
from typing import Annotated

import msgspec
from msgspec import Meta

from casebook.model.load.safe_files import read_regular, remove_stale_temporaries, write_atomic

ENV_RUNTIME_DIR = "CASEBOOK_RUNTIME_DIR"
STATE_LIMIT = 64 * 1024
"""The largest state file read; a real one is under 200 bytes."""


class LinkState(msgspec.Struct, forbid_unknown_fields=True):
    """What one side tells the other: where the talk is, and who said it."""

    position: Annotated[int, Meta(ge=0, le=1_000_000)]
    blackout: bool
    started: Annotated[float, Meta(ge=0, le=1e11)]
    """When the talk started (Unix time)."""
    seq: Annotated[int, Meta(ge=0, le=2**53)]
    origin: Annotated[str, Meta(max_length=64)]
    paused: bool = False
    """Whether the clock is stopped, showing ``elapsed`` seconds (else it runs from ``started``)."""
    elapsed: Annotated[float, Meta(ge=0, le=1e7)] = 0.0
    minutes: Annotated[int, Meta(ge=0, le=24 * 60)] = 0
    """The class length set (0: the teaching plan's own)."""


_DECODER = msgspec.json.Decoder(LinkState)


def decode_state(data: bytes) -> LinkState | None:
    """The state in ``data``, or ``None`` when it is not exactly a :class:`LinkState`."""
    try:
        return _DECODER.decode(data)
    except (msgspec.DecodeError, RecursionError, ValueError):
        return None


class UnsafeRuntimeDir(OSError):
    """A runtime folder that others could read or write (or that is not a folder)."""


def runtime_dir() -> Path:
    """Where live presentation state goes: $CASEBOOK_RUNTIME_DIR, the runtime dir, or tmp."""
    override = os.environ.get(ENV_RUNTIME_DIR)
    if override:
        return Path(override)
    xdg = os.environ.get("XDG_RUNTIME_DIR")
    if xdg and Path(xdg).is_absolute() and Path(xdg).is_dir():
        return Path(xdg) / "casebook"
    user = getattr(os, "getuid", lambda: "user")()
    return Path(tempfile.gettempdir()) / f"casebook-{user}"


def private_dir(path: Path) -> Path:
    """``path`` as a folder only the user can use: created mode 0700 when missing.

    Raises :class:`UnsafeRuntimeDir` when it is a symlink, not a folder, owned by
    someone else or open to group or others (any of ``0o077``); another ``OSError``
    when it cannot be created.
    """
    with contextlib.suppress(FileExistsError):
        path.mkdir(mode=0o700, parents=True)
    info = os.lstat(path)
    if stat.S_ISLNK(info.st_mode):
        raise UnsafeRuntimeDir(f"{path} is a symbolic link")
    if not stat.S_ISDIR(info.st_mode):
        raise UnsafeRuntimeDir(f"{path} is not a folder")
    if hasattr(os, "getuid"):  # POSIX; Windows has no owners or modes to check here
        if info.st_uid != os.getuid():
            raise UnsafeRuntimeDir(f"{path} belongs to another user (uid {info.st_uid})")
        if info.st_mode & 0o077:
            mode = stat.S_IMODE(info.st_mode)
            raise UnsafeRuntimeDir(f"{path} is open to other users (mode {mode:04o})")
    return path


class PresenterLink:
    """Publishes this side's state and picks up the other side's, by sequence number.

    When the runtime folder is not private, the link is off: ``publish`` and ``poll``
    do nothing and ``problem`` says why (for the presenter to show once).
    """

    def __init__(self, case_id: str, directory: Path | None = None) -> None:
        folder = directory or runtime_dir()
        self.path = folder / f"present-{case_id}.json"
        self.seq = 0
        self.origin = uuid.uuid4().hex
        self._seen: tuple[int, int, int] | None = None
        self.problem: str | None = None
        """Why the link is off, or ``None`` when it works."""
        try:
            private_dir(folder)
        except OSError as error:
            self.problem = str(error) if isinstance(error, UnsafeRuntimeDir) else repr(error)
            return
        remove_stale_temporaries(folder, self.path.name)

    @property
    def active(self) -> bool:
        return self.problem is None

    def publish(self, state: dict[str, object]) -> None:
        """Write ``state`` for the other side; a failure to write only loses the sync."""
        if not self.active:
            return
        self.seq += 1
        try:
            checked = msgspec.convert({**state, "seq": self.seq, "origin": self.origin}, LinkState)
        except msgspec.ValidationError:
            return
        try:
            write_atomic(self.path, msgspec.json.encode(checked), mode=0o600, durable=False)
            self._seen = _stamp(os.lstat(self.path))
        except OSError:
            pass

    def poll(self) -> dict[str, object] | None:
        """The other side's newer state, if the file changed since last seen.

        Anything but a regular file of at most :data:`STATE_LIMIT` bytes holding
        exactly a :class:`LinkState` is ignored, without blocking."""
        if not self.active:
            return None
        try:
            info = os.lstat(self.path)
        except OSError:
            return None
        if not stat.S_ISREG(info.st_mode):
            return None
        stamp = _stamp(info)
        if stamp == self._seen:
            return None
        self._seen = stamp
        try:
            data = read_regular(self.path, STATE_LIMIT)
        except OSError:
            return None
        state = decode_state(data)
        if state is None or state.origin == self.origin:
            return None
        self.seq = max(self.seq, state.seq)
        return msgspec.structs.asdict(state)


def _stamp(info: os.stat_result) -> tuple[int, int, int]:
    """What changes when the file is replaced or rewritten."""
    return (info.st_mtime_ns, info.st_ino, info.st_size)
