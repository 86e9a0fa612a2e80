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
deleted) and the store starts empty, with :attr:`Store.warning` saying so; one
written by a newer casebook (a higher ``version``) is shown but never written.
What this version does not understand survives a rewrite: unknown fields, at
the top and in each record, and records it cannot read (skipped, not dropped).
A note whose save failed can be kept as a draft (:meth:`Store.keep_draft`).

This module is plain Python: the command line uses it without the UI.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import re
import threading
import time
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import msgspec
import platformdirs

from casebook.model.format.text import Lang
from casebook.model.format.words import t
from casebook.model.load.safe_files import (
    UnsafeFile,
    read_regular,
    remove_stale_temporaries,
    write_atomic,
)

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
    "StoreReadOnly",
    "data_dir",
    "export_markdown",
]

ENV_VAR = "CASEBOOK_DATA_DIR"
STORE_NAME = "store.json"
LOCK_NAME = "store.lock"
STORE_VERSION = 1
MAX_STORE_BYTES = 16 * 1024 * 1024
"""A larger store file is not read (it is moved aside like an unreadable one)."""
DRAFT_LIMIT = 4 * 1024 * 1024

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


class StoreReadOnly(OSError):
    """The store cannot be written now (nothing was written, the file is untouched).

    ``key`` and ``values`` name the reason in :mod:`casebook.model.format.words`, so the UI
    can say it in either language; ``str()`` of it is the English text.
    """

    def __init__(self, key: str, **values: object) -> None:
        super().__init__(t(key, "en", **values))
        self.key = key
        self.values = values

    def in_lang(self, lang: Lang) -> str:
        return t(self.key, lang, **self.values)


class _Corrupt(Exception):
    """The store file cannot be understood; the argument says why."""


class _Bad(Exception):
    """One record of the store cannot be understood (it is skipped, and kept)."""


def _item_sort_key(item: Item) -> tuple[tuple[int, int, str], ...]:
    return tuple((0, part, "") if isinstance(part, int) else (1, 0, part) for part in item)


def _bookmark_sort_key(bookmark: Bookmark) -> tuple[Any, ...]:
    return (bookmark.case_id, bookmark.pane, _item_sort_key(bookmark.item))


_TOP_FIELDS = ("version", "notes", "bookmarks", "progress")
_NOTE_FIELDS = ("case_id", "pane", "text", "updated")
_BOOKMARK_FIELDS = ("case_id", "pane", "item", "label", "created")


class _Data(msgspec.Struct):
    """Everything in the store, keyed for lookups. Compared to skip needless writes.

    What this version does not understand is kept as read and written back: fields
    it does not know (``extra``, and each record's in ``note_extra`` and
    ``bookmark_extra``), and records it cannot read (``bad_*``, never loaded).
    """

    notes: dict[tuple[str, str], Note] = msgspec.field(default_factory=dict)
    bookmarks: dict[tuple[str, str, Item], Bookmark] = msgspec.field(default_factory=dict)
    progress: dict[str, frozenset[str]] = msgspec.field(default_factory=dict)
    extra: dict[str, Any] = msgspec.field(default_factory=dict)
    note_extra: dict[tuple[str, str], dict[str, Any]] = msgspec.field(default_factory=dict)
    bookmark_extra: dict[tuple[str, str, Item], dict[str, Any]] = msgspec.field(
        default_factory=dict
    )
    bad_notes: list[Any] = msgspec.field(default_factory=list)
    bad_bookmarks: list[Any] = msgspec.field(default_factory=list)
    bad_progress: dict[str, Any] = msgspec.field(default_factory=dict)

    def copy(self) -> _Data:
        return _Data(
            dict(self.notes),
            dict(self.bookmarks),
            dict(self.progress),
            dict(self.extra),
            dict(self.note_extra),
            dict(self.bookmark_extra),
            list(self.bad_notes),
            list(self.bad_bookmarks),
            dict(self.bad_progress),
        )

    @property
    def skipped(self) -> int:
        """How many records could not be read."""
        return len(self.bad_notes) + len(self.bad_bookmarks) + len(self.bad_progress)


# ------------------------------------------------------- reading and writing


def _is_str(value: object) -> bool:
    return isinstance(value, str)


def _is_time(value: object) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def _is_item_part(value: object) -> bool:
    return isinstance(value, str) or (isinstance(value, int) and not isinstance(value, bool))


def _record(value: object, fields: Mapping[str, Callable[[object], bool]]) -> dict:
    """``value`` if it is an object with ``fields`` of the right types; else :class:`_Bad`."""
    if not isinstance(value, dict):
        raise _Bad
    for name, check in fields.items():
        if name not in value or not check(value[name]):
            raise _Bad
    return value


def _unknown(record: dict, known: tuple[str, ...]) -> dict[str, Any]:
    return {name: value for name, value in record.items() if name not in known}


_NOTE_CHECKS = {"case_id": _is_str, "pane": _is_str, "text": _is_str, "updated": _is_time}
_BOOKMARK_CHECKS = {"case_id": _is_str, "pane": _is_str, "created": _is_time}


def _parse(raw: bytes) -> tuple[int, _Data]:
    """The store's version and contents; raises :class:`_Corrupt` if it is not a store.

    A record that cannot be read is skipped (and kept, see :class:`_Data`). A store of
    a newer version is read as far as this version understands it.
    """
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
    if version < STORE_VERSION:
        raise _Corrupt(f"unknown version {version}")
    if version == STORE_VERSION:
        return version, _parse_contents(doc)
    try:  # a newer version: show what can be understood, never write it
        return version, _parse_contents(doc)
    except _Corrupt:
        return version, _Data()


def _parse_contents(doc: dict[str, Any]) -> _Data:
    data = _Data(extra=_unknown(doc, _TOP_FIELDS))
    notes = doc.get("notes", [])
    if not isinstance(notes, list):
        raise _Corrupt("'notes' is not a list")
    for entry in notes:
        try:
            rec = _record(entry, _NOTE_CHECKS)
        except _Bad:
            data.bad_notes.append(entry)
            continue
        key = (rec["case_id"], rec["pane"])
        data.note_extra.pop(key, None)  # a later record for the same pane wins
        data.notes.pop(key, None)
        if rec["text"].strip():
            data.notes[key] = Note(key[0], key[1], rec["text"], float(rec["updated"]))
            extra = _unknown(rec, _NOTE_FIELDS)
            if extra:
                data.note_extra[key] = extra

    bookmarks = doc.get("bookmarks", [])
    if not isinstance(bookmarks, list):
        raise _Corrupt("'bookmarks' is not a list")
    for entry in bookmarks:
        try:
            rec = _record(entry, _BOOKMARK_CHECKS)
            item = rec.get("item", [])
            label = rec.get("label", "")
            if not isinstance(item, list) or not all(_is_item_part(part) for part in item):
                raise _Bad
            if not isinstance(label, str):
                raise _Bad
        except _Bad:
            data.bad_bookmarks.append(entry)
            continue
        mark = Bookmark(
            rec["case_id"], rec["pane"], tuple(item), label, created=float(rec["created"])
        )
        data.bookmarks[mark.key] = mark
        data.bookmark_extra.pop(mark.key, None)
        extra = _unknown(rec, _BOOKMARK_FIELDS)
        if extra:
            data.bookmark_extra[mark.key] = extra

    progress = doc.get("progress", {})
    if not isinstance(progress, dict):
        raise _Corrupt("'progress' is not an object")
    for case_id, panes in progress.items():
        if not isinstance(panes, list) or not all(isinstance(p, str) for p in panes):
            data.bad_progress[case_id] = panes
        elif panes:
            data.progress[case_id] = frozenset(panes)
    return data


def _encode(data: _Data) -> bytes:
    """The file contents for ``data``, in a stable order so diffs stay small.

    Fields and records this version does not understand are written back as read.
    """
    notes = [
        {
            "case_id": n.case_id,
            "pane": n.pane,
            "text": n.text,
            "updated": n.updated,
            **data.note_extra.get(n.key, {}),
        }
        for n in sorted(data.notes.values(), key=lambda n: n.key)
    ]
    bookmarks = [
        {
            "case_id": b.case_id,
            "pane": b.pane,
            "item": list(b.item),
            "label": b.label,
            "created": b.created,
            **data.bookmark_extra.get(b.key, {}),
        }
        for b in sorted(data.bookmarks.values(), key=_bookmark_sort_key)
    ]
    progress: dict[str, Any] = {
        case: sorted(panes) for case, panes in sorted(data.progress.items())
    }
    progress.update(data.bad_progress)
    doc = {
        "version": STORE_VERSION,
        "notes": notes + data.bad_notes,
        "bookmarks": bookmarks + data.bad_bookmarks,
        "progress": progress,
        **data.extra,
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

    Make one with :meth:`Store.open` (or :meth:`Store.in_memory`). Writes raise
    :class:`OSError` if the file cannot be written (:class:`StoreLockTimeout` if
    another instance holds the lock too long, :class:`StoreReadOnly` if a newer
    casebook wrote the file or it is unreadable and cannot be moved aside); the
    file is then left as it was, and the in-memory view shows what it holds.
    """

    def __init__(self, directory: Path, *, clock: Clock, lock_timeout: float) -> None:
        self.directory = directory
        self.path = directory / STORE_NAME
        self.lock_path = directory / LOCK_NAME
        self.recovered_from: Path | None = None
        """Where an unreadable store file was moved, if that happened."""
        self.read_only = False
        """True while the file, as last read, cannot be written: a newer casebook wrote
        it, or it cannot be read or moved aside. Reading progress is then kept in memory
        only; notes and bookmarks still try, and are refused with the reason."""
        self._problems: dict[str, dict[str, object]] = {}
        self._clock = clock
        self._lock_timeout = lock_timeout
        self._data = _Data()
        self._drafts: dict[tuple[str, str], str] = {}
        self._mutex = threading.RLock()
        self._in_memory = False

    @classmethod
    def in_memory(cls, *, clock: Clock = time.time) -> Store:
        """A store that starts empty and reads and writes nothing on disk.

        For a served, shared app: notes, bookmarks, progress and drafts last as long
        as the store object, and no file is ever created, read or locked.
        """
        store = cls(Path(os.devnull), clock=clock, lock_timeout=0.0)
        store._in_memory = True
        return store

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
        file is moved aside (see :attr:`recovered_from` and :attr:`warning`); one
        written by a newer casebook is opened read-only. Temporary files left by
        writers that were killed are removed. Never blocks on a FIFO or device in
        place of the file, and never raises for a file it cannot use: it starts
        empty and :attr:`warning` says why.
        """
        store = cls(
            Path(directory) if directory is not None else data_dir(),
            clock=clock,
            lock_timeout=lock_timeout,
        )
        remove_stale_temporaries(store.directory, STORE_NAME)
        store.reload()
        return store

    # ------------------------------------------------------------ warnings

    @property
    def warning(self) -> str | None:
        """One message for the UI when the store file cannot be used as it is."""
        return self.warning_in("en")

    def warning_in(self, lang: Lang) -> str | None:
        """:attr:`warning` in ``lang``."""
        if not self._problems:
            return None
        return " ".join(t(key, lang, **values) for key, values in self._problems.items())

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
                data.note_extra.pop(key, None)
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
                data.bookmark_extra.pop(key, None)
            return data

        self._update(change)
        return want

    def mark_opened(self, case_id: str, pane: str) -> None:
        """Record that ``pane`` of ``case_id`` was opened (no write if already recorded).

        While the store is :attr:`read_only`, this is kept in memory only, silently:
        the warning at start has said that nothing is saved.
        """
        if pane in self.opened_panes(case_id):
            return
        case_id, pane = _name(case_id, "case_id"), _name(pane, "pane")

        def change(data: _Data) -> _Data | None:
            panes = data.progress.get(case_id, frozenset())
            if pane in panes:
                return None
            data = data.copy()
            data.progress[case_id] = panes | {pane}
            data.bad_progress.pop(case_id, None)
            return data

        if self.read_only:
            with self._mutex:
                self._data = change(self._data) or self._data
            return
        self._update(change)

    def reload(self) -> None:
        """Re-read the file, e.g. when the app regains focus. Moves it aside if unreadable.

        Never raises for a file it cannot use: the store then shows nothing, is
        :attr:`read_only`, and :attr:`warning` says why.
        """
        with self._mutex:
            if self._in_memory:
                return
            try:
                loaded = _parse(self._read_raw())
            except _Corrupt:
                # Look again under the lock: another instance may be mid-recovery.
                try:
                    with _locked(self.lock_path, self._lock_timeout):
                        loaded = self._load_locked()
                except StoreReadOnly:
                    return  # _load_locked has said why
                except OSError as error:  # e.g. a read-only folder: no lock file
                    self._stuck(error)
                    return
            except OSError as error:  # e.g. no permission to read it
                self._data = _Data()
                self.read_only = True
                self._problems["store_unreadable"] = {"path": self.path, "error": _why(error)}
                return
            self._accept(*loaded)

    # ----------------------------------------------------------- drafts

    def keep_draft(self, case_id: str, pane: str, text: str) -> None:
        """Keep ``text`` as the unsaved draft of a note whose save failed.

        It is kept in memory, and, where the data folder allows, in a file of its own
        beside the store (``store.json.draft-…``), so it outlives the app. Never raises.
        """
        key = (case_id, pane)
        text = _clean(text)
        self._drafts[key] = text
        if self._in_memory:
            return
        payload = msgspec.json.encode({"case_id": case_id, "pane": pane, "text": text})
        with contextlib.suppress(OSError):
            self.directory.mkdir(parents=True, exist_ok=True)
            write_atomic(self._draft_path(key), payload, mode=0o600)

    def draft(self, case_id: str, pane: str) -> str | None:
        """The unsaved draft of this note, if a save of it failed."""
        key = (case_id, pane)
        if key in self._drafts or self._in_memory:
            return self._drafts.get(key)
        try:
            doc = msgspec.json.decode(read_regular(self._draft_path(key), DRAFT_LIMIT))
        except (OSError, msgspec.DecodeError, RecursionError):
            return None
        if (
            isinstance(doc, dict)
            and doc.get("case_id") == case_id
            and doc.get("pane") == pane
            and isinstance(doc.get("text"), str)
        ):
            return doc["text"]
        return None

    def drop_draft(self, case_id: str, pane: str) -> None:
        """Forget the draft of this note (it was saved). Never raises."""
        key = (case_id, pane)
        self._drafts.pop(key, None)
        if not self._in_memory:
            with contextlib.suppress(OSError):
                self._draft_path(key).unlink()

    def _draft_path(self, key: tuple[str, str]) -> Path:
        digest = hashlib.sha256(f"{key[0]}\0{key[1]}".encode("utf-8", "surrogatepass"))
        return self.directory / f"{STORE_NAME}.draft-{digest.hexdigest()[:16]}"

    # ---------------------------------------------------------- machinery

    def _read_raw(self) -> bytes:
        """The file's bytes; a valid empty store if there is no file.

        Anything but a regular file of at most :data:`MAX_STORE_BYTES` (a folder, a
        FIFO, a device, a symlink) is :class:`_Corrupt`, read without blocking.
        """
        try:
            return read_regular(self.path, MAX_STORE_BYTES)
        except (FileNotFoundError, NotADirectoryError):
            return b'{"version": 1}'
        except UnsafeFile as error:
            raise _Corrupt(str(error)) from None

    def _accept(self, version: int, data: _Data) -> None:
        """Show ``data``, read from the file, and say what about it needs saying."""
        self._data = data
        for key in ("store_unreadable", "store_stuck"):
            self._problems.pop(key, None)
        self.read_only = version > STORE_VERSION
        if self.read_only:
            self._problems["store_newer"] = {"path": self.path, "version": version}
        else:
            self._problems.pop("store_newer", None)
        if data.skipped:
            self._problems["store_skipped"] = {"path": self.path, "count": data.skipped}
        else:
            self._problems.pop("store_skipped", None)

    def _stuck(self, error: OSError) -> StoreReadOnly:
        """Note that the file is unreadable and cannot be moved aside; the error to raise."""
        self._data = _Data()
        self.read_only = True
        values = {"path": self.path, "error": _why(error)}
        self._problems["store_stuck"] = values
        return StoreReadOnly("store_stuck_write", **values)

    def _load_locked(self) -> tuple[int, _Data]:
        """The file's version and contents, moving it aside if unreadable.

        Call with the lock held. Raises :class:`StoreReadOnly` when an unreadable
        file cannot be moved aside.
        """
        try:
            return _parse(self._read_raw())
        except _Corrupt:
            pass
        try:
            self._move_aside()
        except OSError as error:
            raise self._stuck(error) from None
        return STORE_VERSION, _Data()

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
        self._problems["store_moved"] = {"path": target}

    def _update(self, change: Callable[[_Data], _Data | None]) -> None:
        """Apply one change to the file as it is now, under the lock, and refresh memory."""
        with self._mutex:
            if self._in_memory:
                changed = change(self._data)
                if changed is not None:
                    self._data = changed
                return
            self.directory.mkdir(parents=True, exist_ok=True)
            with _locked(self.lock_path, self._lock_timeout):
                version, current = self._load_locked()
                self._accept(version, current)
                if version > STORE_VERSION:
                    raise StoreReadOnly("store_newer_write", path=self.path, version=version)
                changed = change(current)
                if changed is not None and changed != current:
                    self._write(changed)
                    self._data = changed

    def _write(self, data: _Data) -> None:
        """Replace the file with ``data`` atomically (see :func:`write_atomic`)."""
        write_atomic(self.path, _encode(data), mode=0o600)


def _why(error: OSError) -> str:
    """What went wrong, in a few words (the OS's, else the error's own)."""
    return error.strerror or str(error)


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
