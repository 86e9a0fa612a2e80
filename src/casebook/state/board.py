"""The board a trainer writes during a class, saved as it is typed.

A board is columns of short entries. In the instructor edition it starts as the case's
board plan (see :func:`plan_columns`); in the student edition it starts empty, one
untitled column. The trainer adds, edits and removes entries and columns live.

Each board is one JSON file in the user's data folder, named for its day::

    data_dir()/boards/<edition>/<case id>/<YYYY-MM-DD>.json

Every change takes the folder's lock, re-reads the file, applies only itself and
replaces the file atomically (:func:`write_atomic`): what was typed is on disk
before the next key is read, so a terminal closed or a process killed loses
nothing, and two terminals writing the same board (the slides and the presenter
console) never lose each other's entries. Text being typed is saved at each key
(without waiting for the disk: a killed process loses nothing, only a power cut
might); a finished entry is flushed to disk.

The file is outside data: read only when it is a regular file of bounded size, and
decoded strictly (bounded lengths and counts). A file that cannot be read as a
board is moved aside, never deleted, and the board starts again; entries or columns
that do not fit are left out, the file as it was kept aside. A board written by a
newer casebook is shown and never written. A served session keeps its boards in
memory (:meth:`Boards.in_memory`): nothing is written on the server.

:class:`BoardLink` tells the other terminal of a presentation (slides or presenter
console) that the board is shown or hidden, through a small file in the private
runtime folder, as :mod:`casebook.state.presenter_link` does for the slides.

This module is plain Python: the command line uses it without the UI.
"""

from __future__ import annotations

import contextlib
import datetime
import hashlib
import os
import re
import stat
import time
import uuid
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Literal

import msgspec
from msgspec import Meta

from casebook.model.export.markdown import GENERATED_MD, escape_md
from casebook.model.format.text import Bilingual, Lang, Text, pick, strip_unsafe
from casebook.model.format.words import t
from casebook.model.load.safe_files import read_regular, remove_stale_temporaries, write_atomic
from casebook.state.locking import LOCK_TIMEOUT, exclusive_lock
from casebook.state.paths import data_dir

__all__ = [
    "BOARD_VERSION",
    "Board",
    "BoardLink",
    "Boards",
    "Column",
    "Entry",
    "board_markdown",
    "plan_columns",
]

BOARD_VERSION = 1
FOLDER = "boards"
"""The folder of boards inside the data folder."""
LIMIT = 1024 * 1024
"""The largest board file read."""
MAX_TEXT = 500
"""The most characters of an entry or a column's title."""
MAX_COLUMNS = 24
MAX_ENTRIES = 200
"""The most entries of one column."""
CONTINUE_HOURS = 6
"""A board changed less than this many hours ago is continued, even on the next day (a
class past midnight); an older one, of an earlier day, is kept and a new one started."""
LOCK_NAME = "board.lock"
MAX_TIME = 1e11
"""Unix times above this (year 5138) are not times."""

_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_SAFE_NAME = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
_TITLE_SPLIT = re.compile(r"[:：]")
_ENTRY_SPLIT = re.compile(r"[;；]")
_TITLE_MAX = 40
"""A board plan line's part before its first colon is a column title if this short."""

Edition = Literal["student", "instructor"]
BoardText = Annotated[str, Meta(max_length=MAX_TEXT)]
Id = Annotated[str, Meta(min_length=1, max_length=64, pattern=r"^[A-Za-z0-9_-]+$")]


class Words(Bilingual, kw_only=True):
    """A text of the board plan, in both languages (typed text is one plain string)."""

    en: BoardText = ""
    zh: BoardText = ""


Said = BoardText | Words
"""What an entry or a title says: typed text, or the plan's text in both languages."""


class Entry(msgspec.Struct, frozen=True, kw_only=True, omit_defaults=True):
    """One thing written on the board."""

    id: Id
    text: Said
    planned: bool = False
    """From the board plan, not changed since."""


class Column(msgspec.Struct, frozen=True, kw_only=True, omit_defaults=True):
    """A column of the board: a title (maybe empty) and its entries, top to bottom."""

    id: Id
    title: Said = ""
    entries: Annotated[tuple[Entry, ...], Meta(max_length=MAX_ENTRIES)] = ()


class Board(msgspec.Struct, frozen=True, kw_only=True):
    """One case's board on one day."""

    version: Annotated[int, Meta(ge=1)] = BOARD_VERSION
    case_id: Annotated[str, Meta(min_length=1, max_length=200)]
    edition: Edition
    date: Annotated[str, Meta(pattern=r"^\d{4}-\d{2}-\d{2}$")]
    """The day of the class (local time), as YYYY-MM-DD."""
    updated: Annotated[float, Meta(ge=0, le=MAX_TIME)] = 0.0
    """When it last changed (Unix time)."""
    columns: Annotated[tuple[Column, ...], Meta(max_length=MAX_COLUMNS)] = ()

    def column(self, column_id: str) -> Column | None:
        return next((c for c in self.columns if c.id == column_id), None)

    def entry(self, entry_id: str) -> tuple[Column, Entry] | None:
        """The entry ``entry_id`` and its column, if it is on the board."""
        for column in self.columns:
            for entry in column.entries:
                if entry.id == entry_id:
                    return column, entry
        return None

    def __len__(self) -> int:
        """How many entries it holds."""
        return sum(len(column.entries) for column in self.columns)


# -- making and changing boards (pure: each returns a new board) --------------------------


def new_id() -> str:
    """A fresh id for an entry or a column (unique across terminals)."""
    return uuid.uuid4().hex[:12]


def clean(text: str) -> str:
    """Typed text as an entry holds it: one line, no control characters, bounded."""
    return " ".join(strip_unsafe(text).split())[:MAX_TEXT]


def _split_plan_line(line: str) -> tuple[str, list[str]]:
    """'Before 2017: a, b; c' → ('Before 2017', ['a, b', 'c'])."""
    title, body = "", line
    found = _TITLE_SPLIT.search(line)
    if found is not None and 0 < found.start() <= _TITLE_MAX:
        title, body = line[: found.start()].strip(), line[found.end() :]
    entries = [part.strip() for part in _ENTRY_SPLIT.split(body)]
    return title, [part for part in entries if part]


def _said(en: str, zh: str) -> Said:
    en, zh = clean(en), clean(zh)
    return en if en == zh else Words(en=en, zh=zh) if en or zh else ""


def plan_columns(board_plan: Sequence[Text]) -> tuple[Column, ...]:
    """The board plan as columns: one per line, titled by the words before its first
    colon when short ('Left:', 'Before 2017:'), with an entry per part of the rest
    between semicolons. Both languages are kept; where they split differently, the
    rest is one entry."""
    columns = []
    for number, line in enumerate(board_plan[:MAX_COLUMNS]):
        en_title, en_parts = _split_plan_line(pick(line, "en"))
        zh_title, zh_parts = _split_plan_line(pick(line, "zh"))
        if len(en_parts) != len(zh_parts) or bool(en_title) != bool(zh_title):
            en_title, zh_title = "", ""
            en_parts, zh_parts = [pick(line, "en")], [pick(line, "zh")]
        entries = tuple(
            Entry(id=f"plan-{number}-{index}", text=_said(en, zh), planned=True)
            for index, (en, zh) in enumerate(zip(en_parts, zh_parts, strict=True))
            if clean(en) or clean(zh)
        )
        title = _said(en_title, zh_title)
        columns.append(Column(id=f"plan-{number}", title=title, entries=entries[:MAX_ENTRIES]))
    return tuple(columns)


def new_board(
    case_id: str, edition: Edition, board_plan: Sequence[Text], day: str, now: float
) -> Board:
    """A board for the class of ``day``: the board plan's columns in the instructor
    edition; one empty, untitled column in the student edition (it holds no plan)."""
    columns = plan_columns(board_plan) if edition == "instructor" else ()
    if not columns:
        columns = (Column(id="first"),)
    return Board(case_id=case_id, edition=edition, date=day, updated=now, columns=columns)


def _replace_column(board: Board, column: Column) -> Board:
    columns = tuple(column if c.id == column.id else c for c in board.columns)
    return msgspec.structs.replace(board, columns=columns)


def add_entry(board: Board, column_id: str, entry_id: str, text: str) -> Board:
    """``text`` at the bottom of the column (unchanged when the column is gone or full)."""
    column = board.column(column_id)
    if column is None or len(column.entries) >= MAX_ENTRIES or board.entry(entry_id):
        return board
    entries = (*column.entries, Entry(id=entry_id, text=clean(text)))
    return _replace_column(board, msgspec.structs.replace(column, entries=entries))


def set_entry(board: Board, entry_id: str, text: str) -> Board:
    """The entry now says ``text`` (typed: no longer the plan's)."""
    found = board.entry(entry_id)
    if found is None:
        return board
    column, _ = found
    entries = tuple(
        Entry(id=e.id, text=clean(text)) if e.id == entry_id else e for e in column.entries
    )
    return _replace_column(board, msgspec.structs.replace(column, entries=entries))


def put_entry(board: Board, entry: Entry) -> Board:
    """The entry of the same id as ``entry`` was (an edit cancelled)."""
    found = board.entry(entry.id)
    if found is None:
        return board
    column, _ = found
    entries = tuple(entry if e.id == entry.id else e for e in column.entries)
    return _replace_column(board, msgspec.structs.replace(column, entries=entries))


def remove_entry(board: Board, entry_id: str) -> Board:
    found = board.entry(entry_id)
    if found is None:
        return board
    column, _ = found
    entries = tuple(e for e in column.entries if e.id != entry_id)
    return _replace_column(board, msgspec.structs.replace(column, entries=entries))


def add_column(board: Board, column_id: str, after: str | None, title: str = "") -> Board:
    """A new column after the column ``after`` (at the end when it is gone or None)."""
    if len(board.columns) >= MAX_COLUMNS or board.column(column_id) is not None:
        return board
    ids = [c.id for c in board.columns]
    at = ids.index(after) + 1 if after in ids else len(ids)
    columns = list(board.columns)
    columns.insert(at, Column(id=column_id, title=clean(title)))
    return msgspec.structs.replace(board, columns=tuple(columns))


def set_title(board: Board, column_id: str, title: str) -> Board:
    return put_title(board, column_id, clean(title))


def put_title(board: Board, column_id: str, title: Said) -> Board:
    """The column's title is ``title`` (as typed, or as it was: an edit cancelled)."""
    column = board.column(column_id)
    if column is None:
        return board
    return _replace_column(board, msgspec.structs.replace(column, title=title))


def remove_column(board: Board, column_id: str) -> Board:
    """Without the column and its entries (a board keeps at least one column)."""
    columns = tuple(c for c in board.columns if c.id != column_id)
    return msgspec.structs.replace(board, columns=columns or (Column(id=new_id()),))


# -- reading and writing ---------------------------------------------------------------


def today() -> str:
    """The local date, as boards are named."""
    return datetime.date.today().isoformat()


def valid_date(text: str) -> bool:
    """Whether ``text`` is a real day written YYYY-MM-DD."""
    if not _DATE.fullmatch(text):
        return False
    try:
        datetime.date.fromisoformat(text)
    except ValueError:
        return False
    return True


def folder_name(case_id: str) -> str:
    """The folder of ``case_id``'s boards: its id when a short slug (every valid case id
    is), else a digest of it (never a path)."""
    if _SAFE_NAME.fullmatch(case_id) and len(case_id) <= 100:
        return case_id
    return "case-" + hashlib.sha256(case_id.encode("utf-8", "surrogatepass")).hexdigest()


class BoardNotSaved(OSError):
    """A change that could not be written (it shows, and is kept in memory)."""


@dataclass(frozen=True)
class Read:
    """A board file as read: the board, or none; and what went wrong, if anything."""

    board: Board | None
    problem: tuple[str, dict[str, object]] | None = None
    """The words (a key in ``words``, and its values) saying what went wrong."""
    newer: bool = False
    """Written by a newer casebook: shown, never written."""


def decode(data: bytes) -> tuple[Board, int]:
    """The board in ``data`` and how many of its columns or entries were left out
    because they do not fit; ``ValueError`` when it is no board at all."""
    try:
        raw = msgspec.json.decode(data)
    except (msgspec.DecodeError, RecursionError) as error:
        raise ValueError(str(error)) from None
    if not isinstance(raw, dict):
        raise ValueError("not a board")
    try:
        return msgspec.convert(raw, Board), 0
    except (msgspec.ValidationError, RecursionError):
        pass
    columns = raw.pop("columns", None)
    try:
        head = msgspec.convert({**raw, "columns": ()}, Board)
    except (msgspec.ValidationError, RecursionError) as error:
        raise ValueError(str(error)) from None
    kept, lost = _salvage(columns if isinstance(columns, list) else [])
    return msgspec.structs.replace(head, columns=kept), lost + (not isinstance(columns, list))


def _salvage(columns: list[object]) -> tuple[tuple[Column, ...], int]:
    """The columns (and in them the entries) that fit, and how many did not."""
    kept: list[Column] = []
    lost = 0
    for raw in columns:
        if len(kept) >= MAX_COLUMNS or not isinstance(raw, dict):
            lost += 1
            continue
        entries = raw.get("entries", [])
        try:
            column = msgspec.convert({**raw, "entries": ()}, Column)
        except (msgspec.ValidationError, RecursionError):
            lost += 1
            continue
        good = []
        for entry in entries if isinstance(entries, list) else [entries]:
            try:
                good.append(msgspec.convert(entry, Entry))
            except (msgspec.ValidationError, RecursionError):
                lost += 1
        kept.append(msgspec.structs.replace(column, entries=tuple(good[:MAX_ENTRIES])))
        lost += max(0, len(good) - MAX_ENTRIES)
    return tuple(kept), lost


def encode(board: Board) -> bytes:
    return msgspec.json.format(msgspec.json.encode(board), indent=1)


class Boards:
    """The boards of one case in one edition: in files, or in memory only.

    :attr:`board` is the board shown; :meth:`change` applies a change to it and
    writes it at once; :meth:`refresh` picks up changes another terminal wrote.
    :attr:`problem` says, in words, what went wrong last (a file moved aside, a
    write that failed), for the UI to show once.
    """

    def __init__(
        self,
        case_id: str,
        edition: Edition,
        folder: Path | None,
        *,
        clock: Callable[[], float] = time.time,
        day: Callable[[], str] = today,
    ) -> None:
        self.case_id = case_id
        self.edition = edition
        self.folder = folder
        """Where the files are; ``None`` keeps the board in memory."""
        self.clock = clock
        self.day = day
        self.board: Board | None = None
        self.problem: tuple[str, dict[str, object]] | None = None
        self.read_only = False
        """The file was written by a newer casebook: changes show but are not saved."""
        self._seen: tuple[int, int, int] | None = None
        self._swept = False

    @classmethod
    def open(cls, case_id: str, edition: Edition, directory: Path | None = None) -> Boards:
        """``case_id``'s boards in ``directory`` (default: the user's data folder)."""
        base = directory if directory is not None else data_dir()
        return cls(case_id, edition, base / FOLDER / edition / folder_name(case_id))

    @classmethod
    def in_memory(cls, case_id: str, edition: Edition) -> Boards:
        """Boards that live as long as this object (a served session's)."""
        return cls(case_id, edition, None)

    # -- which board -----------------------------------------------------------------

    def path(self, day: str) -> Path | None:
        return self.folder / f"{day}.json" if self.folder is not None else None

    def days(self) -> list[str]:
        """The days that have a board file, oldest first."""
        if self.folder is None:
            return [self.board.date] if self.board is not None else []
        try:
            names = [entry.name for entry in os.scandir(self.folder)]
        except OSError:
            return []
        return sorted(
            name[:-5] for name in names if name.endswith(".json") and valid_date(name[:-5])
        )

    def read(self, day: str) -> Read:
        """The board of ``day`` as its file holds it (in memory: the board, if its day)."""
        path = self.path(day)
        if path is None:
            board = self.board if self.board is not None and self.board.date == day else None
            return Read(board)
        try:
            info = os.lstat(path)
            data = read_regular(path, LIMIT)
        except FileNotFoundError:
            return Read(None)
        except OSError as error:
            return Read(None, ("board_unreadable", {"path": path, "error": _reason(error)}))
        self._seen = _stamp(info)
        try:
            board, lost = decode(data)
        except ValueError as error:
            return Read(None, ("board_unreadable", {"path": path, "error": error}))
        if board.version > BOARD_VERSION:
            return Read(board, ("board_newer", {"path": path}), newer=True)
        if lost:
            return Read(board, ("board_partly", {"path": path, "n": lost}))
        return Read(board)

    def current(self, board_plan: Sequence[Text] = ()) -> Board:
        """The board to show now: today's, or the latest if it changed less than
        :data:`CONTINUE_HOURS` ago, else a new one for today (written at once)."""
        now, day = self.clock(), self.day()
        days = self.days()
        if days:
            latest = days[-1]
            found = self.read(latest)
            if found.newer:  # shown as it is, never written
                self.problem, self.read_only = found.problem, True
                self.board = found.board
                return self.board  # type: ignore[return-value]
            if found.problem is not None:
                self._set_aside(latest, found)
            board = found.board
            if board is not None and (
                latest == day or now - board.updated <= CONTINUE_HOURS * 3600
            ):
                self.board = board
                if found.problem is not None:  # what could be read, written back
                    self._try_write(board)
                return board
        self.board = new_board(self.case_id, self.edition, board_plan, day, now)
        self._try_write(self.board)
        return self.board

    def _try_write(self, board: Board) -> None:
        if self.folder is None:
            return
        try:
            with self._locked():
                self._write(board, durable=True)
        except OSError as error:
            self.problem = ("board_not_saved", {"error": _reason(error)})

    def _set_aside(self, day: str, found: Read) -> None:
        """Move an unreadable (or partly read) board file aside, never deleting it."""
        path = self.path(day)
        assert path is not None
        stamp = time.strftime("%Y%m%d-%H%M%S", time.localtime(self.clock()))
        aside = path.with_name(f"{path.name}.unreadable-{stamp}")
        try:
            path.replace(aside)
        except OSError as error:
            self.problem = ("board_stuck", {"path": path, "error": _reason(error)})
            self.read_only = True
            return
        key, values = found.problem or ("board_unreadable", {})
        self.problem = (
            ("board_moved", {"path": aside})
            if found.board is None
            else (key, {**values, "path": aside})
        )

    # -- changes ---------------------------------------------------------------------

    def change(self, change: Callable[[Board], Board], *, durable: bool = True) -> Board:
        """Apply ``change`` to the board as its file holds it now (another terminal may
        have changed it), write it, and return it. Raises :class:`BoardNotSaved` when it
        cannot be written: the change then holds in memory only."""
        assert self.board is not None, "current() first"
        if self.folder is None:
            self.board = self._stamped(change(self.board))
            return self.board
        try:
            with self._locked():
                found = self.read(self.board.date)
                base = found.board if found.board is not None and not found.problem else self.board
                self.board = self._stamped(change(base))
                self._write(self.board, durable=durable)
        except OSError as error:
            self.board = self._stamped(change(self.board))
            raise BoardNotSaved(str(error)) from None
        return self.board

    def _stamped(self, board: Board) -> Board:
        now = min(MAX_TIME, max(0.0, self.clock()))
        return msgspec.structs.replace(board, updated=now)

    @contextlib.contextmanager
    def _locked(self) -> Iterator[None]:
        assert self.folder is not None
        self.folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        with exclusive_lock(self.folder / LOCK_NAME, LOCK_TIMEOUT):
            yield

    def _write(self, board: Board, *, durable: bool) -> None:
        path = self.path(board.date)
        if path is None:
            return
        if self.read_only:
            raise BoardNotSaved(t("board_newer", "en", path=path))
        path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        if not self._swept:  # what writers killed mid-write left, once
            self._swept = True
            with contextlib.suppress(OSError):
                remove_stale_temporaries(path.parent, path.name)
        write_atomic(path, encode(board), mode=0o600, durable=durable)
        with contextlib.suppress(OSError):
            self._seen = _stamp(os.lstat(path))

    def refresh(self) -> bool:
        """Pick up the board as another terminal wrote it; whether it changed."""
        if self.folder is None or self.board is None:
            return False
        path = self.path(self.board.date)
        assert path is not None
        try:
            stamp = _stamp(os.lstat(path))
        except OSError:
            return False
        if stamp == self._seen:
            return False
        found = self.read(self.board.date)
        if found.board is None or found.problem is not None or found.board == self.board:
            return False
        self.board = found.board
        return True


def _reason(error: OSError) -> str:
    return error.strerror or str(error) or type(error).__name__


def _stamp(info: os.stat_result) -> tuple[int, int, int]:
    """What changes when the file is replaced or rewritten."""
    return (info.st_mtime_ns, info.st_ino, info.st_size)


# -- the board as Markdown ---------------------------------------------------------------


def board_markdown(board: Board, title: str, lang: Lang) -> str:
    """The board as Markdown, starting with :data:`GENERATED_MD`: a heading with the
    case's name and the day, then each column as a section of bullets. Every text is
    escaped (:func:`escape_md`): it renders as written, never as markup."""
    parts = [f"# {escape_md(t('board_heading', lang, title=title, date=board.date))}"]
    for number, column in enumerate(board.columns, start=1):
        heading = pick(column.title, lang) or t("board_column", lang, n=number)
        parts.append(f"## {escape_md(heading)}")
        rows = [f"- {escape_md(pick(entry.text, lang))}" for entry in column.entries]
        rows = [row for row in rows if row != "- "]
        parts.append("\n".join(rows) if rows else f"_{escape_md(t('board_empty', lang))}_")
    return GENERATED_MD + "\n" + "\n\n".join(parts) + "\n"


# -- the other terminal ------------------------------------------------------------------

LINK_LIMIT = 4096
"""The largest link file read; a real one is under 100 bytes."""


class LinkState(msgspec.Struct, forbid_unknown_fields=True):
    """Whether the board is shown, and who said so."""

    shown: bool
    seq: Annotated[int, Meta(ge=0, le=2**53)]
    origin: Annotated[str, Meta(max_length=64)]


_LINK_DECODER = msgspec.json.Decoder(LinkState)


class BoardLink:
    """Tells the other terminal of a presentation that the board is shown or hidden.

    A file ``board-<case>.json`` beside the presenter link's, in the same private
    runtime folder, checked the same way (see :mod:`casebook.state.presenter_link`):
    when the folder is not private, the link is off and :attr:`problem` says why.
    """

    def __init__(self, case_id: str, directory: Path | None = None) -> None:
        from casebook.state.presenter_link import UnsafeRuntimeDir, private_dir, runtime_dir

        folder = directory or runtime_dir()
        self.path = folder / f"board-{folder_name(case_id)}.json"
        self.seq = 0
        self.origin = uuid.uuid4().hex
        self.problem: str | None = None
        self._seen: tuple[int, int, int] | None = None
        try:
            private_dir(folder)
        except OSError as error:
            self.problem = str(error) if isinstance(error, UnsafeRuntimeDir) else repr(error)
            return
        with contextlib.suppress(OSError):  # what was said before this terminal started
            self._seen = _stamp(os.lstat(self.path))

    @property
    def active(self) -> bool:
        return self.problem is None

    def publish(self, shown: bool) -> None:
        """Say the board is ``shown`` (or hidden); a failure only loses the sync."""
        if not self.active:
            return
        self.seq += 1
        state = LinkState(shown=shown, seq=self.seq, origin=self.origin)
        try:
            write_atomic(self.path, msgspec.json.encode(state), mode=0o600, durable=False)
            self._seen = _stamp(os.lstat(self.path))
        except OSError:
            pass

    def poll(self) -> bool | None:
        """Whether the other terminal has shown (True) or hidden (False) the board since
        last asked; ``None`` when it said nothing new. Anything but a small regular file
        holding exactly a :class:`LinkState` is ignored, without blocking."""
        if not self.active:
            return None
        try:
            info = os.lstat(self.path)
        except OSError:
            return None
        if not stat.S_ISREG(info.st_mode) or _stamp(info) == self._seen:
            return None
        self._seen = _stamp(info)
        try:
            state = _LINK_DECODER.decode(read_regular(self.path, LINK_LIMIT))
        except (OSError, msgspec.DecodeError, RecursionError, ValueError):
            return None
        if state.origin == self.origin:
            return None
        self.seq = max(self.seq, state.seq)
        return state.shown
