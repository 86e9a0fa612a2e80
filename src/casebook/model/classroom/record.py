"""The class record: who joined, what was shown, every answer — in SQLite, as it happens.

One file, :data:`RECORD_NAME` in the user's data folder, holds every class taught. Each
event is committed as it happens (WAL mode), so a trainer's process killed at any moment
loses nothing already acknowledged, and ``casebook class resume`` picks the class up
where it was, with the same class code, host and port (students reconnect on their own).

The file is the user's own: created mode 0600 in a folder owned by the user and closed to
others' writes, never opened through a symbolic link. Names and answers are stored as the
server passed them (already cleaned); they are hostile text for whatever shows them.
"""

from __future__ import annotations

import contextlib
import os
import secrets
import sqlite3
import stat
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from casebook.state.paths import data_dir

RECORD_NAME = "classes.sqlite3"
SCHEMA_VERSION = 1
"""The record's layout (``PRAGMA user_version``); a newer one is refused, never changed."""
BUSY_TIMEOUT_MS = 5000

_SCHEMA = """
CREATE TABLE classes (
    id TEXT PRIMARY KEY, case_id TEXT NOT NULL, title TEXT NOT NULL, lang TEXT NOT NULL,
    code TEXT NOT NULL, host TEXT NOT NULL, port INTEGER NOT NULL,
    started REAL NOT NULL, ended REAL
);
CREATE TABLE students (
    class_id TEXT NOT NULL REFERENCES classes(id), id TEXT NOT NULL, name TEXT NOT NULL,
    key_hash TEXT NOT NULL, client TEXT NOT NULL, PRIMARY KEY (class_id, id)
);
CREATE TABLE connections (
    class_id TEXT NOT NULL, student TEXT NOT NULL, joined REAL NOT NULL, left REAL
);
CREATE INDEX connections_of ON connections (class_id, student);
CREATE TABLE slides (class_id TEXT NOT NULL, at REAL NOT NULL, slide INTEGER, step INTEGER);
CREATE TABLE questions (
    class_id TEXT NOT NULL, at REAL NOT NULL, question INTEGER NOT NULL, opened INTEGER NOT NULL
);
CREATE TABLE answers (
    class_id TEXT NOT NULL, student TEXT NOT NULL, question INTEGER NOT NULL,
    revision INTEGER NOT NULL, at REAL NOT NULL, text TEXT NOT NULL, choice INTEGER,
    PRIMARY KEY (class_id, student, question, revision)
);
CREATE TABLE contributions (
    class_id TEXT NOT NULL, student TEXT NOT NULL, at REAL NOT NULL, quality INTEGER
);
CREATE TABLE calls (class_id TEXT NOT NULL, student TEXT NOT NULL, at REAL NOT NULL);
CREATE TABLE boards (class_id TEXT NOT NULL, at REAL NOT NULL, text TEXT NOT NULL);
"""

_EVENT_TABLES = ("connections", "slides", "questions", "answers", "contributions", "calls")


class RecordError(Exception):
    """A record that cannot be used, or a class it does not hold: one line for the user."""


@dataclass(frozen=True)
class StudentRow:
    """A student of a class, as first joined (``key_hash``: the hash of the reconnect key)."""

    id: str
    name: str
    key_hash: str
    client: str


@dataclass(frozen=True)
class ClassSummary:
    """One class in the list of classes."""

    class_id: str
    title: str
    case_id: str
    started: float
    ended: float | None
    participants: int
    answers: int


@dataclass(frozen=True)
class Participation:
    """A student's part in a class: contributions marked (and their mean quality, if any
    was marked), questions answered, times called on, seconds connected, first join."""

    student: str
    name: str
    contributions: int
    quality: float | None
    answers: int
    calls: int
    seconds: float
    first_join: float


def record_path() -> Path:
    """Where the class record lives: :data:`RECORD_NAME` in the user's data folder."""
    return data_dir() / RECORD_NAME


def _own_folder(folder: Path) -> None:
    """Create ``folder`` (0700) if missing; refuse it unless it is a real folder owned by
    the user that others cannot write to."""
    with contextlib.suppress(FileExistsError):
        folder.mkdir(mode=0o700, parents=True)
    info = os.lstat(folder)
    if stat.S_ISLNK(info.st_mode) or not stat.S_ISDIR(info.st_mode):
        raise RecordError(f"{folder} is not a folder (a link?); not keeping the class record there")
    if hasattr(os, "getuid"):
        if info.st_uid != os.getuid():
            raise RecordError(
                f"{folder} belongs to another user; not keeping the class record there"
            )
        if info.st_mode & 0o022:
            mode = stat.S_IMODE(info.st_mode)
            raise RecordError(f"{folder} is writable by other users (mode {mode:04o})")


def connect(path: Path, *, create: bool) -> sqlite3.Connection:
    """The record at ``path``, checked: a regular file (never a link), of a schema this
    casebook knows; created (0600, in the user's own folder) when ``create``.

    Raises :class:`RecordError`; ``FileNotFoundError`` when it is missing and not ``create``.
    """
    path = Path(path)
    if create:
        _own_folder(path.parent)
    flags = os.O_RDWR | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0)
    if create:
        flags |= os.O_CREAT
    try:
        fd = os.open(path, flags, 0o600)
    except FileNotFoundError:
        raise
    except OSError as error:
        if path.is_symlink():
            raise RecordError(f"{path} is a symbolic link; not opening it") from None
        raise RecordError(f"{path}: {error.strerror}") from None
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            raise RecordError(f"{path} is not a regular file; not opening it")
    finally:
        os.close(fd)
    try:
        db = sqlite3.connect(path, timeout=BUSY_TIMEOUT_MS / 1000, check_same_thread=False)
    except sqlite3.Error as error:
        raise RecordError(f"{path}: {error}") from None
    try:
        db.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        version = db.execute("PRAGMA user_version").fetchone()[0]
        if version > SCHEMA_VERSION:
            raise RecordError(
                f"{path} was written by a newer casebook (record schema {version}; "
                f"this one knows {SCHEMA_VERSION}): update casebook"
            )
        db.execute("PRAGMA journal_mode = WAL")
        db.execute("PRAGMA synchronous = NORMAL")
        db.execute("PRAGMA foreign_keys = ON")
        if version == 0:
            with db:
                db.executescript(
                    f"BEGIN; {_SCHEMA} PRAGMA user_version = {SCHEMA_VERSION}; COMMIT;"
                )
    except sqlite3.DatabaseError as error:
        db.close()
        raise RecordError(f"{path} is not a class record ({error})") from None
    except RecordError:
        db.close()
        raise
    return db


def _new_class_id(now: float) -> str:
    """A short id to type: the minute it started and four random hex digits."""
    return f"{time.strftime('%Y%m%d-%H%M', time.localtime(now))}-{secrets.token_hex(2)}"


class ClassRecord:
    """One class in the record: every method commits its event before it returns."""

    def __init__(
        self, db: sqlite3.Connection, row: sqlite3.Row | tuple, clock: Callable[[], float]
    ) -> None:
        self._db = db
        self._lock = threading.Lock()
        self._clock = clock
        (
            self.class_id,
            self.case_id,
            self.title,
            self.lang,
            self.code,
            self.host,
            self.port,
            self.started,
        ) = row[:8]

    # ---- opening ----------------------------------------------------------------------

    @classmethod
    def create(
        cls,
        path: Path,
        *,
        case_id: str,
        title: str,
        lang: str,
        code: str,
        host: str,
        port: int,
        clock: Callable[[], float] = time.time,
    ) -> ClassRecord:
        """A new class in the record at ``path`` (created if missing)."""
        db = connect(path, create=True)
        now = clock()
        row = (_new_class_id(now), case_id, title, lang, code, host, port, now)
        try:
            with db:
                while db.execute("SELECT 1 FROM classes WHERE id = ?", row[:1]).fetchone():
                    row = (_new_class_id(now), *row[1:])
                db.execute("INSERT INTO classes VALUES (?, ?, ?, ?, ?, ?, ?, ?, NULL)", row)
        except sqlite3.Error as error:
            db.close()
            raise RecordError(f"{path}: {error}") from None
        return cls(db, row, clock)

    @classmethod
    def resume(
        cls, path: Path, class_id: str | None = None, *, clock: Callable[[], float] = time.time
    ) -> ClassRecord:
        """A class to go on with: ``class_id``, or the latest class not ended. Connections
        left open by a crash are closed at the class's last recorded event; an ended class
        is opened again."""
        try:
            db = connect(path, create=False)
        except FileNotFoundError:
            raise RecordError(f"no class recorded yet ({path} does not exist)") from None
        try:
            row = _class_row(db, class_id)
            with db:
                last = _last_event(db, row[0])
                db.execute(
                    "UPDATE connections SET left = max(joined, ?) "
                    "WHERE class_id = ? AND left IS NULL",
                    (last, row[0]),
                )
                db.execute("UPDATE classes SET ended = NULL WHERE id = ?", (row[0],))
        except BaseException:
            db.close()
            raise
        return cls(db, row, clock)

    # ---- events -------------------------------------------------------------------------

    @contextlib.contextmanager
    def _write(self) -> Iterator[sqlite3.Connection]:
        with self._lock, self._db:
            yield self._db

    def joined(self, student: str, name: str, key_hash: str, client: str) -> None:
        """A student joined, first or again: a new connection interval begins."""
        now = self._clock()
        with self._write() as db:
            db.execute(
                "INSERT INTO students VALUES (?, ?, ?, ?, ?) ON CONFLICT (class_id, id) "
                "DO UPDATE SET name = excluded.name, client = excluded.client",
                (self.class_id, student, name, key_hash, client),
            )
            _close_intervals(db, self.class_id, student, now)
            db.execute(
                "INSERT INTO connections VALUES (?, ?, ?, NULL)", (self.class_id, student, now)
            )

    def left(self, student: str) -> None:
        """A student's connection ended."""
        with self._write() as db:
            _close_intervals(db, self.class_id, student, self._clock())

    def slide(self, slide: int, step: int) -> None:
        """The trainer showed ``slide`` (logical, 1-based) at ``step``."""
        with self._write() as db:
            db.execute(
                "INSERT INTO slides VALUES (?, ?, ?, ?)",
                (self.class_id, self._clock(), slide, step),
            )

    def question(self, question: int, opened: bool) -> None:
        """The trainer opened or closed question ``question``."""
        with self._write() as db:
            db.execute(
                "INSERT INTO questions VALUES (?, ?, ?, ?)",
                (self.class_id, self._clock(), question, int(opened)),
            )

    def answer(self, student: str, question: int, text: str, choice: int | None) -> int:
        """Keep a student's answer as its next revision; return the revision (1, 2, …)."""
        with self._write() as db:
            (revision,) = db.execute(
                "INSERT INTO answers SELECT ?1, ?2, ?3, coalesce(max(revision), 0) + 1, ?4, ?5, ?6 "
                "FROM answers WHERE class_id = ?1 AND student = ?2 AND question = ?3 "
                "RETURNING revision",
                (self.class_id, student, question, self._clock(), text, choice),
            ).fetchone()
        return int(revision)

    def contribution(self, student: str, quality: int | None) -> None:
        """The trainer marked a contribution of ``student`` (quality 1–3, or unmarked)."""
        with self._write() as db:
            db.execute(
                "INSERT INTO contributions VALUES (?, ?, ?, ?)",
                (self.class_id, student, self._clock(), quality),
            )

    def called(self, student: str) -> None:
        """The trainer called on ``student``."""
        with self._write() as db:
            db.execute(
                "INSERT INTO calls VALUES (?, ?, ?)", (self.class_id, student, self._clock())
            )

    def board(self, text: str) -> None:
        """The board as it now stands."""
        with self._write() as db:
            db.execute("INSERT INTO boards VALUES (?, ?, ?)", (self.class_id, self._clock(), text))

    def end(self) -> None:
        """The class ended: every open connection closes now."""
        now = self._clock()
        with self._write() as db:
            db.execute(
                "UPDATE connections SET left = ? WHERE class_id = ? AND left IS NULL",
                (now, self.class_id),
            )
            db.execute("UPDATE classes SET ended = ? WHERE id = ?", (now, self.class_id))

    def close(self) -> None:
        """Close the file (everything is already committed)."""
        with self._lock:
            self._db.close()

    # ---- reading ------------------------------------------------------------------------

    def students(self) -> list[StudentRow]:
        """Every student who joined, in order of first join."""
        with self._lock:
            return _students(self._db, self.class_id)

    def latest_answers(self) -> dict[tuple[str, int], tuple[str, int | None, int]]:
        """Each student's last revision per question: (student, question) → (text, choice,
        revision)."""
        with self._lock:
            rows = self._db.execute(
                "SELECT student, question, text, choice, max(revision) FROM answers "
                "WHERE class_id = ? GROUP BY student, question",
                (self.class_id,),
            ).fetchall()
        return {(s, q): (text, choice, revision) for s, q, text, choice, revision in rows}

    def state(self) -> tuple[int, int, int | None]:
        """The last slide and step shown (1, 1 before any), and the open question, if any."""
        with self._lock:
            shown = self._db.execute(
                "SELECT slide, step FROM slides WHERE class_id = ? ORDER BY rowid DESC LIMIT 1",
                (self.class_id,),
            ).fetchone()
            asked = self._db.execute(
                "SELECT question, opened FROM questions WHERE class_id = ? "
                "ORDER BY rowid DESC LIMIT 1",
                (self.class_id,),
            ).fetchone()
        slide, step = shown if shown else (1, 1)
        return slide, step, (asked[0] if asked and asked[1] else None)

    def participation(self) -> list[Participation]:
        """Each student's part in this class, open connections counted to now."""
        with self._lock:
            return participation(self._db, self.class_id, self._clock())


# ---- queries shared by the record and its exports ---------------------------------------


def _class_row(db: sqlite3.Connection, class_id: str | None) -> tuple:
    columns = "id, case_id, title, lang, code, host, port, started, ended"
    if class_id is None:
        row = db.execute(
            f"SELECT {columns} FROM classes WHERE ended IS NULL ORDER BY started DESC LIMIT 1"
        ).fetchone()
        if row is None:
            raise RecordError("no class to resume: every recorded class has ended")
        return row
    row = db.execute(f"SELECT {columns} FROM classes WHERE id = ?", (class_id,)).fetchone()
    if row is None:
        raise RecordError(f"no class {class_id!r} in the record (casebook class list shows them)")
    return row


def _last_event(db: sqlite3.Connection, class_id: str) -> float:
    """When the last event of a class was recorded (its start if none was)."""
    times = [
        db.execute(f"SELECT max(at) FROM {table} WHERE class_id = ?", (class_id,)).fetchone()[0]
        for table in _EVENT_TABLES
        if table != "connections"
    ]
    joins = db.execute(
        "SELECT max(max(joined), coalesce(max(left), 0)) FROM connections WHERE class_id = ?",
        (class_id,),
    ).fetchone()[0]
    started = db.execute("SELECT started FROM classes WHERE id = ?", (class_id,)).fetchone()[0]
    return max(value for value in (*times, joins, started) if value is not None)


def _close_intervals(db: sqlite3.Connection, class_id: str, student: str, now: float) -> None:
    db.execute(
        "UPDATE connections SET left = max(joined, ?) "
        "WHERE class_id = ? AND student = ? AND left IS NULL",
        (now, class_id, student),
    )


def _students(db: sqlite3.Connection, class_id: str) -> list[StudentRow]:
    rows = db.execute(
        "SELECT s.id, s.name, s.key_hash, s.client FROM students s "
        "LEFT JOIN connections c ON c.class_id = s.class_id AND c.student = s.id "
        "WHERE s.class_id = ? GROUP BY s.id ORDER BY min(c.joined), s.rowid",
        (class_id,),
    ).fetchall()
    return [StudentRow(*row) for row in rows]


def participation(db: sqlite3.Connection, class_id: str, now: float) -> list[Participation]:
    """Each student's part in class ``class_id``, in order of first join; connections
    still open are counted to ``now``."""
    rows = db.execute(
        """
        SELECT s.id, s.name,
            (SELECT count(*) FROM contributions c
                WHERE c.class_id = s.class_id AND c.student = s.id),
            (SELECT avg(quality) FROM contributions c
                WHERE c.class_id = s.class_id AND c.student = s.id),
            (SELECT count(DISTINCT question) FROM answers a
                WHERE a.class_id = s.class_id AND a.student = s.id),
            (SELECT count(*) FROM calls k WHERE k.class_id = s.class_id AND k.student = s.id),
            (SELECT coalesce(sum(max(0, coalesce(left, ?2) - joined)), 0) FROM connections n
                WHERE n.class_id = s.class_id AND n.student = s.id),
            (SELECT min(joined) FROM connections n
                WHERE n.class_id = s.class_id AND n.student = s.id)
        FROM students s WHERE s.class_id = ?1 ORDER BY 8, s.rowid
        """,
        (class_id, now),
    ).fetchall()
    return [
        Participation(sid, name, n, quality, answers, calls, float(seconds), first or 0.0)
        for sid, name, n, quality, answers, calls, seconds, first in rows
    ]


@contextlib.contextmanager
def reading(path: Path) -> Iterator[sqlite3.Connection | None]:
    """The record at ``path`` to read, or ``None`` when there is none yet."""
    try:
        db = connect(path, create=False)
    except FileNotFoundError:
        yield None
        return
    try:
        yield db
    finally:
        db.close()


def list_classes(path: Path) -> list[ClassSummary]:
    """Every class in the record, the latest first."""
    with reading(path) as db:
        if db is None:
            return []
        rows = db.execute(
            """
            SELECT id, title, case_id, started, ended,
                (SELECT count(*) FROM students s WHERE s.class_id = classes.id),
                (SELECT count(*) FROM (SELECT DISTINCT student, question FROM answers a
                    WHERE a.class_id = classes.id))
            FROM classes ORDER BY started DESC
            """
        ).fetchall()
    return [ClassSummary(*row) for row in rows]


def classes_of_group(path: Path, title: str) -> list[str]:
    """The ids of the classes titled ``title`` (a group taught as a series), oldest first."""
    with reading(path) as db:
        if db is None:
            return []
        rows = db.execute(
            "SELECT id FROM classes WHERE title = ? ORDER BY started", (title,)
        ).fetchall()
    return [row[0] for row in rows]


def export_classes(
    path: Path,
    class_ids: Sequence[str],
    fmt: Literal["md", "html", "csv"],
    lang: Literal["en", "zh"] | None = None,
) -> str:
    """Classes of the record as Markdown, HTML (their events) or CSV (a gradebook); in
    ``lang``, by default the first class's. See :mod:`.record_export`."""
    from casebook.model.classroom.record_export import export

    return export(path, class_ids, fmt, lang)
