"""A student's private notes, bookmarks and reading progress, kept per user.

Nothing here is ever written into a case file. Everything lives in one JSON
file, ``store.json``, in :func:`data_dir` (``$CASEBOOK_DATA_DIR`` if set, else
the platform's user data folder), next to a lock file ``store.lock``::

    {
      "version": 1,
      "notes": [{"case_id": "acme", "pane": "summary", "text": "...", "updated": 1.5}],
      "bookmarks": [{"case_id": "acme", "pane": "exhibits", "item": ["table", 2],
                     "label": "Table 2", "created": 1.5}],
      "progress": {"acme": ["exhibits", "summary"]}
    }

Every write takes an exclusive lock, re-reads the file, applies only its own
change and replaces the file atomically, so two copies of the app open at once
never lose each other's work. A file that cannot be read is moved aside (never
deleted) and the store starts empty, with :attr:`Store.warning` saying so.

This module is plain Python: the command line uses it without the UI.
"""

from __future__ import annotations

import contextlib
import os
import re
import tempfile
import threading
import time
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import msgspec
import platformdirs

try:  # POSIX
    import fcntl
except ImportError:  # pragma: no cover - Windows
    fcntl = None  # type: ignore[assignment]

try:  # Windows
    import msvcrt
except ImportError:  # POSIX
    msvcrt = None  # type: ignore[assignment]

__all__ = [
    "ENV_VAR",
    "LOCK_NAME",
    "STORE_NAME",
    "STORE_VERSION",
    "Bookmark",
    "Item",
    "Note",
    "Store",
    "StoreLockTimeout",
    "data_dir",
    "export_markdown",
]

ENV_VAR = "CASEBOOK_DATA_DIR"
STORE_NAME = "store.json"
LOCK_NAME = "store.lock"
STORE_VERSION = 1

LOCK_TIMEOUT = 10.0
"""Seconds a write waits for another instance to finish before giving up."""

STALE_LOCK_AFTER = 5.0
"""Age (seconds) after which an ``O_EXCL`` lock file is taken to be left by a crash."""

Item = tuple[str | int, ...]
"""Where in a pane a bookmark points, e.g. ``("exhibits", 2)``; ``()`` is the pane itself."""

Clock = Callable[[], float]

# How writers exclude each other: fcntl.flock where there is fcntl, else
# msvcrt.locking, else a lock file created with O_EXCL. Tests override it.
_LOCK_KIND = "fcntl" if fcntl is not None else "msvcrt" if msvcrt is not None else "excl"


def data_dir() -> Path:
    """Where the store lives: ``$CASEBOOK_DATA_DIR`` if set, else the user data folder."""
    override = os.environ.get(ENV_VAR)
    if override:
        return Path(override).expanduser()
    return Path(platformdirs.user_data_dir("casebook"))


# ---------------------------------------------------------------- the model


class Note(msgspec.Struct, frozen=True):
    """A student's private note on one pane of one case (at most one per pair)."""

    case_id: str
    pane: str
    text: str
    updated: float

    @property
    def key(self) -> tuple[str, str]:
        return (self.case_id, self.pane)


@dataclass(frozen=True)
class Bookmark:
    """A marked place: a pane of a case, or an item within it, with an optional label."""

    case_id: str
    pane: str
    item: Item = ()
    label: str = ""
    created: float = field(kw_only=True)

    @property
    def key(self) -> tuple[str, str, Item]:
        return (self.case_id, self.pane, self.item)


class StoreLockTimeout(TimeoutError):
    """Another instance held the store's lock for too long; nothing was written."""


class _Corrupt(Exception):
    """The store file cannot be understood; the argument says why."""


def _item_sort_key(item: Item) -> tuple[tuple[int, int, str], ...]:
    return tuple((0, part, "") if isinstance(part, int) else (1, 0, part) for part in item)


def _bookmark_sort_key(bookmark: Bookmark) -> tuple[Any, ...]:
    return (bookmark.case_id, bookmark.pane, _item_sort_key(bookmark.item))


class _Data(msgspec.Struct):
    """Everything in the store, keyed for lookups. Compared to skip needless writes."""

    notes: dict[tuple[str, str], Note] = msgspec.field(default_factory=dict)
    bookmarks: dict[tuple[str, str, Item], Bookmark] = msgspec.field(default_factory=dict)
    progress: dict[str, frozenset[str]] = msgspec.field(default_factory=dict)

    def copy(self) -> _Data:
        return _Data(dict(self.notes), dict(self.bookmarks), dict(self.progress))


# ------------------------------------------------------- reading and writing


def _is_str(value: object) -> bool:
    return isinstance(value, str)


def _is_time(value: object) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def _is_item_part(value: object) -> bool:
    return isinstance(value, str) or (isinstance(value, int) and not isinstance(value, bool))


def _record(value: object, what: str, fields: Mapping[str, Callable[[object], bool]]) -> dict:
    if not isinstance(value, dict):
        raise _Corrupt(f"a {what} is not an object")
    for name, check in fields.items():
        if name not in value:
            raise _Corrupt(f"a {what} has no {name!r}")
        if not check(value[name]):
            raise _Corrupt(f"a {what} has a {name!r} of the wrong type")
    return value


def _parse(raw: bytes) -> _Data:
    """The store in ``raw``; raises :class:`_Corrupt` if it is not a version-1 store."""
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise _Corrupt("not UTF-8 text") from None
    try:
        doc = msgspec.json.decode(text)
    except (msgspec.DecodeError, RecursionError):
        raise _Corrupt("not valid JSON") from None
    if not isinstance(doc, dict):
        raise _Corrupt("not a JSON object")
    version = doc.get("version")
    if not isinstance(version, int) or isinstance(version, bool):
        raise _Corrupt("no version number")
    if version != STORE_VERSION:
        raise _Corrupt(f"unknown version {version}")

    data = _Data()
    notes = doc.get("notes", [])
    if not isinstance(notes, list):
        raise _Corrupt("'notes' is not a list")
    note_fields = {"case_id": _is_str, "pane": _is_str, "text": _is_str, "updated": _is_time}
    for entry in notes:
        rec = _record(entry, "note", note_fields)
        if rec["text"].strip():
            note = Note(rec["case_id"], rec["pane"], rec["text"], float(rec["updated"]))
            data.notes[note.key] = note

    bookmarks = doc.get("bookmarks", [])
    if not isinstance(bookmarks, list):
        raise _Corrupt("'bookmarks' is not a list")
    bookmark_fields = {"case_id": _is_str, "pane": _is_str, "created": _is_time}
    for entry in bookmarks:
        rec = _record(entry, "bookmark", bookmark_fields)
        item = rec.get("item", [])
        label = rec.get("label", "")
        if not isinstance(item, list) or not all(_is_item_part(part) for part in item):
            raise _Corrupt("a bookmark has an 'item' of the wrong type")
        if not isinstance(label, str):
            raise _Corrupt("a bookmark has a 'label' of the wrong type")
        mark = Bookmark(
            rec["case_id"], rec["pane"], tuple(item), label, created=float(rec["created"])
        )
        data.bookmarks[mark.key] = mark

    progress = doc.get("progress", {})
    if not isinstance(progress, dict):
        raise _Corrupt("'progress' is not an object")
    for case_id, panes in progress.items():
        if not isinstance(panes, list) or not all(isinstance(p, str) for p in panes):
            raise _Corrupt("a progress entry is not a list of pane names")
        if panes:
            data.progress[case_id] = frozenset(panes)
    return data


def _encode(data: _Data) -> bytes:
    """The file contents for ``data``, in a stable order so diffs stay small."""
    doc = {
        "version": STORE_VERSION,
        "notes": [
            {"case_id": n.case_id, "pane": n.pane, "text": n.text, "updated": n.updated}
            for n in sorted(data.notes.values(), key=lambda n: n.key)
        ],
        "bookmarks": [
            {
                "case_id": b.case_id,
                "pane": b.pane,
                "item": list(b.item),
                "label": b.label,
                "created": b.created,
            }
            for b in sorted(data.bookmarks.values(), key=_bookmark_sort_key)
        ],
        "progress": {case: sorted(panes) for case, panes in sorted(data.progress.items())},
    }
    return msgspec.json.format(msgspec.json.encode(doc), indent=2) + b"\n"


_LONE_SURROGATE = re.compile("[\ud800-\udfff]")


def _clean(text: str) -> str:
    """``text`` made encodable as UTF-8: lone surrogates (from odd pastes) become U+FFFD."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        # Pair up any surrogate pairs, then replace whatever is left alone.
        text = text.encode("utf-16", "surrogatepass").decode("utf-16", "surrogatepass")
        return _LONE_SURROGATE.sub("\ufffd", text)
    return text


def _name(value: str, what: str) -> str:
    if not isinstance(value, str) or not value:
        raise ValueError(f"{what} must be a non-empty string, not {value!r}")
    return _clean(value)


def _fsync_directory(directory: Path) -> None:
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


# ------------------------------------------------------------------ locking


@contextlib.contextmanager
def _locked(path: Path, timeout: float) -> Iterator[None]:
    """Hold the store's exclusive lock; raise :class:`StoreLockTimeout` after ``timeout``."""
    kind = _LOCK_KIND
    if kind == "excl":
        with _excl_locked(path, timeout):
            yield
        return
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
    try:
        _wait(lambda: _try_lock(fd, kind), path, timeout)
        try:
            yield
        finally:
            _unlock(fd, kind)
    finally:
        os.close(fd)


def _try_lock(fd: int, kind: str) -> bool:
    try:
        if kind == "fcntl":
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        else:  # pragma: no cover - Windows
            os.lseek(fd, 0, os.SEEK_SET)
            msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)
    except (BlockingIOError, PermissionError):
        return False
    except OSError:  # pragma: no cover - msvcrt reports "busy" as EDEADLK/EACCES
        if kind == "msvcrt":
            return False
        raise
    return True


def _unlock(fd: int, kind: str) -> None:
    if kind == "fcntl":
        fcntl.flock(fd, fcntl.LOCK_UN)
    else:  # pragma: no cover - Windows
        os.lseek(fd, 0, os.SEEK_SET)
        msvcrt.locking(fd, msvcrt.LK_UNLCK, 1)


def _wait(attempt: Callable[[], bool], path: Path, timeout: float) -> None:
    """Call ``attempt`` until it succeeds, backing off, for at most ``timeout`` seconds."""
    deadline = time.monotonic() + timeout
    delay = 0.001
    while not attempt():
        if time.monotonic() >= deadline:
            raise StoreLockTimeout(f"{path} is held by another casebook; nothing was saved")
        time.sleep(delay)
        delay = min(delay * 2, 0.02)


@contextlib.contextmanager
def _excl_locked(path: Path, timeout: float) -> Iterator[None]:
    """Best-effort lock: create ``path`` exclusively; break it when older than it can be."""

    def attempt() -> bool:
        try:
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:
            try:
                if time.time() - path.stat().st_mtime > STALE_LOCK_AFTER:
                    path.unlink()  # left by a crashed instance
            except FileNotFoundError:
                pass
            return False
        try:
            os.write(fd, str(os.getpid()).encode())  # for a curious human only
        finally:
            os.close(fd)
        return True

    _wait(attempt, path, timeout)
    try:
        yield
    finally:
        with contextlib.suppress(FileNotFoundError):
            path.unlink()


# -------------------------------------------------------------------- store


class Store:
    """The per-user store. Reads come from memory; each write persists at once.

    Make one with :meth:`Store.open`. Writes raise :class:`OSError` if the file
    cannot be written (:class:`StoreLockTimeout` if another instance holds the
    lock too long); the file is then left as it was, and the in-memory view
    shows what it holds.
    """

    def __init__(self, directory: Path, *, clock: Clock, lock_timeout: float) -> None:
        self.directory = directory
        self.path = directory / STORE_NAME
        self.lock_path = directory / LOCK_NAME
        self.recovered_from: Path | None = None
        """Where an unreadable store file was moved, if that happened."""
        self.warning: str | None = None
        """One message for the UI when the store file had to be moved aside."""
        self._clock = clock
        self._lock_timeout = lock_timeout
        self._data = _Data()
        self._mutex = threading.RLock()

    @classmethod
    def open(
        cls,
        directory: Path | None = None,
        *,
        clock: Clock = time.time,
        lock_timeout: float = LOCK_TIMEOUT,
    ) -> Store:
        """The store in ``directory`` (default :func:`data_dir`), loaded if it exists.

        A missing directory is not created until the first write. An unreadable
        file is moved aside (see :attr:`recovered_from` and :attr:`warning`).
        Raises :class:`OSError` only when the file cannot be reached at all
        (no permission, say) or cannot be moved aside.
        """
        store = cls(
            Path(directory) if directory is not None else data_dir(),
            clock=clock,
            lock_timeout=lock_timeout,
        )
        store.reload()
        return store

    # ------------------------------------------------------------ reads

    def notes(self) -> list[Note]:
        """Every note, by case id then pane."""
        return sorted(self._data.notes.values(), key=lambda n: n.key)

    def note(self, case_id: str, pane: str) -> Note | None:
        return self._data.notes.get((case_id, pane))

    def notes_for(self, case_id: str) -> list[Note]:
        """The notes on one case, by pane."""
        return [n for n in self.notes() if n.case_id == case_id]

    def bookmarks(self) -> list[Bookmark]:
        """Every bookmark, by case id, pane, then item."""
        return sorted(self._data.bookmarks.values(), key=_bookmark_sort_key)

    def is_bookmarked(self, case_id: str, pane: str, item: Item = ()) -> bool:
        return (case_id, pane, tuple(item)) in self._data.bookmarks

    def opened_panes(self, case_id: str) -> frozenset[str]:
        """The panes of ``case_id`` the student has opened."""
        return self._data.progress.get(case_id, frozenset())

    def progress(self) -> dict[str, frozenset[str]]:
        """Opened panes for every case with any."""
        return dict(self._data.progress)

    # ----------------------------------------------------------- writes

    def set_note(self, case_id: str, pane: str, text: str) -> None:
        """Save the note on ``pane`` of ``case_id``; empty (or blank) text deletes it."""
        key = (_name(case_id, "case_id"), _name(pane, "pane"))
        if not isinstance(text, str):
            raise TypeError(f"note text must be a string, not {type(text).__name__}")
        text = _clean(text)

        def change(data: _Data) -> _Data | None:
            old = data.notes.get(key)
            if not text.strip():
                if old is None:
                    return None
                data = data.copy()
                del data.notes[key]
                return data
            if old is not None and old.text == text:
                return None
            data = data.copy()
            data.notes[key] = Note(key[0], key[1], text, self._clock())
            return data

        self._update(change)

    def toggle_bookmark(self, case_id: str, pane: str, item: Item = (), label: str = "") -> bool:
        """Add the bookmark, or remove it if present; True if it is now bookmarked.

        "Present" is judged by what this instance shows, so a toggle always does
        what the student saw it would, even if another instance changed the file.
        """
        case_id, pane = _name(case_id, "case_id"), _name(pane, "pane")
        item = tuple(item)
        if not all(_is_item_part(part) for part in item):
            raise TypeError(f"bookmark item parts must be str or int, not {item!r}")
        item = tuple(_clean(p) if isinstance(p, str) else p for p in item)
        label = _clean(label)
        key = (case_id, pane, item)
        want = key not in self._data.bookmarks

        def change(data: _Data) -> _Data | None:
            if (key in data.bookmarks) == want:
                return None
            data = data.copy()
            if want:
                data.bookmarks[key] = Bookmark(case_id, pane, item, label, created=self._clock())
            else:
                del data.bookmarks[key]
            return data

        self._update(change)
        return want

    def mark_opened(self, case_id: str, pane: str) -> None:
        """Record that ``pane`` of ``case_id`` was opened (no write if already recorded)."""
        if pane in self.opened_panes(case_id):
            return
        case_id, pane = _name(case_id, "case_id"), _name(pane, "pane")

        def change(data: _Data) -> _Data | None:
            panes = data.progress.get(case_id, frozenset())
            if pane in panes:
                return None
            data = data.copy()
            data.progress[case_id] = panes | {pane}
            return data

        self._update(change)

    def reload(self) -> None:
        """Re-read the file, e.g. when the app regains focus. Moves it aside if unreadable."""
        with self._mutex:
            try:
                self._data = _parse(self._read_raw())
                return
            except _Corrupt:
                pass
            # Look again under the lock: another instance may be mid-recovery.
            with _locked(self.lock_path, self._lock_timeout):
                self._data = self._load_locked()

    # ---------------------------------------------------------- machinery

    def _read_raw(self) -> bytes:
        """The file's bytes; a valid empty store if there is no file."""
        try:
            return self.path.read_bytes()
        except (FileNotFoundError, NotADirectoryError):
            return b'{"version": 1}'
        except IsADirectoryError:
            raise _Corrupt("a folder is in its place") from None

    def _load_locked(self) -> _Data:
        """The file's contents, moving it aside if unreadable. Call with the lock held."""
        try:
            return _parse(self._read_raw())
        except _Corrupt:
            self._move_aside()
            return _Data()

    def _move_aside(self) -> None:
        stamp = time.strftime("%Y%m%d-%H%M%S", time.localtime(self._clock()))
        base = f"{STORE_NAME}.corrupt-{stamp}"
        target = self.directory / base
        n = 1
        while target.exists() or target.is_symlink():
            n += 1
            target = self.directory / f"{base}-{n}"
        self.path.rename(target)
        self.recovered_from = target
        self.warning = (
            f"Your notes file was unreadable; it was moved to {target} and a new one started."
        )

    def _update(self, change: Callable[[_Data], _Data | None]) -> None:
        """Apply one change to the file as it is now, under the lock, and refresh memory."""
        with self._mutex:
            self.directory.mkdir(parents=True, exist_ok=True)
            with _locked(self.lock_path, self._lock_timeout):
                current = self._load_locked()
                self._data = current
                changed = change(current)
                if changed is not None and changed != current:
                    self._write(changed)
                    self._data = changed

    def _write(self, data: _Data) -> None:
        """Replace the file with ``data`` atomically: temp file, fsync, rename."""
        payload = _encode(data)
        fd, name = tempfile.mkstemp(prefix=f".{STORE_NAME}.", suffix=".tmp", dir=self.directory)
        tmp = Path(name)
        try:
            with os.fdopen(fd, "wb") as handle:
                handle.write(payload)
                handle.flush()
                os.fsync(handle.fileno())
            tmp.replace(self.path)
        except BaseException:
            with contextlib.suppress(OSError):
                tmp.unlink()
            raise
        _fsync_directory(self.directory)


# ------------------------------------------------------------------- export

# Characters that mean something anywhere in a line of Markdown (CommonMark or
# GitHub's): backslash escapes, code, emphasis, links, HTML, entities, tables,
# strikethrough. Each is backslash-escaped, which renders as the character.
_INLINE_SPECIAL = re.compile(r"[\\`*_\[\]<>&|~]")
_HEADING_SPECIAL = re.compile(r"[\\`*_\[\]<>&|~#]")
# At the start of a line: headings, lists, quotes, setext underlines, breaks.
_LINE_START_SPECIAL = "#+-=>"
_ORDERED_MARKER = re.compile(r"(\d+)([.)])")
_NBSP = "\u00a0"


def _escape_line(line: str) -> str:
    line = line.rstrip(" \t")
    body = line.lstrip(" \t")
    # Leading spaces would make a code block or vanish; non-breaking ones keep
    # the indentation visible without meaning anything to Markdown.
    indent = line[: len(line) - len(body)].replace("\t", "    ").replace(" ", _NBSP)
    body = _INLINE_SPECIAL.sub(r"\\\g<0>", body)
    if body[:1] in _LINE_START_SPECIAL:
        body = "\\" + body
    else:
        marker = _ORDERED_MARKER.match(body)
        if marker:
            body = f"{marker[1]}\\{body[len(marker[1]) :]}"
    return indent + body


def _escape_text(text: str) -> str:
    """``text`` as Markdown that renders as written, line breaks included."""
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    out: list[str] = []
    for line in lines:
        if not line.strip(" \t"):
            out.append("")
            continue
        if out and out[-1]:
            out[-1] += "\\"  # a hard line break, so the note's newlines survive
        out.append(_escape_line(line))
    return "\n".join(out).strip("\n")


def _escape_heading(text: str) -> str:
    return _HEADING_SPECIAL.sub(r"\\\g<0>", " ".join(text.split()))


def export_markdown(store: Store, titles: Mapping[str, str] | None = None) -> str:
    """All notes as Markdown: a section per case (by title), a subsection per pane.

    Cases are ordered by title (then id), panes by name. Note text is kept as
    written, escaped so nothing in it is read as Markdown or HTML.
    """
    titles = titles or {}
    by_case: dict[str, list[Note]] = {}
    for note in store.notes():
        by_case.setdefault(note.case_id, []).append(note)

    def title(case_id: str) -> str:
        named = titles.get(case_id)
        return named if named and named.strip() else case_id

    parts = ["# Casebook notes"]
    if not by_case:
        parts.append("_No notes yet._")
    for case_id in sorted(by_case, key=lambda c: (title(c).casefold(), title(c), c)):
        parts.append(f"## {_escape_heading(title(case_id))}")
        for note in by_case[case_id]:  # already sorted by pane
            parts.append(f"### {_escape_heading(note.pane)}")
            parts.append(_escape_text(note.text))
    return "\n\n".join(parts) + "\n"
