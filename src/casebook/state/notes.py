"""A student's private notes, bookmarks and reading progress, kept per user.

Nothing here is ever written into a case file. Everything lives in one JSON
file, ``store.json`` (its records: :mod:`casebook.state.records`), in
:func:`data_dir` (``$CASEBOOK_DATA_DIR`` if set, else the platform's user data
folder), next to a lock file ``store.lock``.

Every write takes an exclusive lock (:mod:`filelock`), re-reads the file, applies
only its own change and replaces the file atomically, so two copies of the app
open at once never lose each other's work. A file that cannot be read is moved
aside (never deleted) and the store starts empty, with :attr:`Store.warning`
saying so; one written by a newer casebook (a higher ``version``) is shown but
never written. What this version does not understand survives a rewrite. A note
whose save failed can be kept as a draft (:meth:`Store.keep_draft`).

This module is plain Python: the command line uses it without the UI.
"""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path

from casebook.model.format.addresses import ALL_PANES
from casebook.model.format.text import Lang
from casebook.model.format.words import t
from casebook.model.load.safe_files import (
    UnsafeFile,
    read_regular,
    remove_stale_temporaries,
    write_atomic,
)
from casebook.state.drafts import Drafts
from casebook.state.locking import LOCK_TIMEOUT, StoreLockTimeout, exclusive_lock
from casebook.state.paths import ENV_VAR, LOCK_NAME, STORE_NAME, data_dir
from casebook.state.records import (
    STORE_VERSION,
    Answer,
    Bookmark,
    Clock,
    Contents,
    Item,
    Note,
    StoreCorrupt,
    bookmark_order,
    checked_name,
    clean,
    decode,
    encode,
    item_part,
)

__all__ = [
    "ENV_VAR",
    "LOCK_NAME",
    "STORE_NAME",
    "STORE_VERSION",
    "Answer",
    "Bookmark",
    "Item",
    "Note",
    "Store",
    "StoreLockTimeout",
    "StoreReadOnly",
    "data_dir",
    "export_html",
    "export_markdown",
    "prep_sheet",
]

MAX_STORE_BYTES = 16 * 1024 * 1024
"""A larger store file is not read (it is moved aside like an unreadable one)."""


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


# -------------------------------------------------------------------- store


class Store:
    """The per-user store. Reads come from memory; each write persists at once.

    Make one with :meth:`Store.open` (or :meth:`Store.in_memory`). Writes raise
    :class:`OSError` if the file cannot be written (:class:`StoreLockTimeout` if
    another instance holds the lock too long, :class:`StoreReadOnly` if a newer
    casebook wrote the file or it is unreadable and cannot be moved aside); the
    file is then left as it was, and the in-memory view shows what it holds.
    """

    def __init__(
        self, directory: Path, *, clock: Clock, lock_timeout: float, in_memory: bool = False
    ) -> None:
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
        self._data = Contents()
        self._drafts = Drafts(None if in_memory else self.path)
        self._mutex = threading.RLock()
        self._in_memory = in_memory

    @classmethod
    def in_memory(cls, *, clock: Clock = time.time) -> Store:
        """A store that starts empty and reads and writes nothing on disk.

        For a served, shared app: notes, bookmarks, progress and drafts last as long
        as the store object, and no file is ever created, read or locked.
        """
        return cls(Path(os.devnull), clock=clock, lock_timeout=0.0, in_memory=True)

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

    def answers(self) -> list[Answer]:
        """Every answer to a discussion question, by case id then question."""
        return sorted(self._data.answers.values(), key=lambda a: a.key)

    def answers_for(self, case_id: str) -> dict[int, str]:
        """The answers on one case: question index → text."""
        return {a.question: a.text for a in self.answers() if a.case_id == case_id}

    def bookmarks(self) -> list[Bookmark]:
        """Every bookmark, by case id, pane, then item."""
        return sorted(self._data.bookmarks.values(), key=bookmark_order)

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
        key = (checked_name(case_id, "case_id"), checked_name(pane, "pane"))
        if not isinstance(text, str):
            raise TypeError(f"note text must be a string, not {type(text).__name__}")
        text = clean(text)
        self._update(lambda data: data.with_note(*key, text, self._clock))

    def set_answer(self, case_id: str, question: int, text: str) -> None:
        """Save the answer to question ``question`` (its index) of ``case_id``; blank deletes it."""
        case_id = checked_name(case_id, "case_id")
        if isinstance(question, bool) or not isinstance(question, int) or question < 0:
            raise ValueError(f"question must be an index (an int >= 0), not {question!r}")
        if not isinstance(text, str):
            raise TypeError(f"answer text must be a string, not {type(text).__name__}")
        text = clean(text)
        self._update(lambda data: data.with_answer(case_id, question, text, self._clock))

    def toggle_bookmark(self, case_id: str, pane: str, item: Item = (), label: str = "") -> bool:
        """Add the bookmark, or remove it if present; True if it is now bookmarked.

        "Present" is judged by what this instance shows, so a toggle always does
        what the student saw it would, even if another instance changed the file.
        """
        case_id, pane = checked_name(case_id, "case_id"), checked_name(pane, "pane")
        item = tuple(item)
        if not all(item_part(part) for part in item):
            raise TypeError(f"bookmark item parts must be str or int, not {item!r}")
        item = tuple(clean(p) if isinstance(p, str) else p for p in item)
        label = clean(label)
        key = (case_id, pane, item)
        want = key not in self._data.bookmarks
        self._update(lambda data: data.with_bookmark(key, label, self._clock, present=want))
        return want

    def add_bookmark(
        self,
        case_id: str,
        pane: str,
        item: Item = (),
        label: str = "",
        *,
        scroll: float | None = None,
        name: str = "",
    ) -> None:
        """Bookmark this place, with how far its pane is scrolled and the reader's name."""
        key = self._bookmark_key(case_id, pane, item)
        label, name = clean(label), clean(name)
        self._update(
            lambda data: data.with_bookmark(
                key, label, self._clock, present=True, scroll=scroll, name=name
            )
        )

    def remove_bookmark(self, case_id: str, pane: str, item: Item = ()) -> None:
        """Remove the bookmark of this place, if there is one."""
        key = self._bookmark_key(case_id, pane, item)
        self._update(lambda data: data.with_bookmark(key, "", self._clock, present=False))

    def rename_bookmark(self, case_id: str, pane: str, item: Item, name: str) -> None:
        """Give the bookmark of this place the name ``name`` (blank: no name)."""
        key = self._bookmark_key(case_id, pane, item)
        name = clean(name.strip())
        self._update(lambda data: data.with_bookmark_name(key, name))

    def bookmark(self, case_id: str, pane: str, item: Item = ()) -> Bookmark | None:
        return self._data.bookmarks.get((case_id, pane, tuple(item)))

    def _bookmark_key(self, case_id: str, pane: str, item: Item) -> tuple[str, str, Item]:
        case_id, pane = checked_name(case_id, "case_id"), checked_name(pane, "pane")
        item = tuple(item)
        if not all(item_part(part) for part in item):
            raise TypeError(f"bookmark item parts must be str or int, not {item!r}")
        return (case_id, pane, tuple(clean(p) if isinstance(p, str) else p for p in item))

    def mark_opened(self, case_id: str, pane: str) -> None:
        """Record that ``pane`` of ``case_id`` was opened (no write if already recorded).

        While the store is :attr:`read_only`, this is kept in memory only, silently:
        the warning at start has said that nothing is saved.
        """
        if pane in self.opened_panes(case_id):
            return
        case_id, pane = checked_name(case_id, "case_id"), checked_name(pane, "pane")
        if self.read_only:
            with self._mutex:
                self._data = self._data.with_opened(case_id, pane) or self._data
            return
        self._update(lambda data: data.with_opened(case_id, pane))

    def reload(self) -> None:
        """Re-read the file, e.g. when the app regains focus. Moves it aside if unreadable.

        Never raises for a file it cannot use: the store then shows nothing, is
        :attr:`read_only`, and :attr:`warning` says why.
        """
        with self._mutex:
            if self._in_memory:
                return
            try:
                loaded = decode(self._read_raw())
            except StoreCorrupt:
                # Look again under the lock: another instance may be mid-recovery.
                try:
                    with exclusive_lock(self.lock_path, self._lock_timeout):
                        loaded = self._load_locked()
                except StoreReadOnly:
                    return  # _load_locked has said why
                except OSError as error:  # e.g. a read-only folder: no lock file
                    self._stuck(error)
                    return
            except OSError as error:  # e.g. no permission to read it
                self._data = Contents()
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
        self._drafts.keep(case_id, pane, text)

    def draft(self, case_id: str, pane: str) -> str | None:
        """The unsaved draft of this note, if a save of it failed."""
        return self._drafts.get(case_id, pane)

    def drop_draft(self, case_id: str, pane: str) -> None:
        """Forget the draft of this note (it was saved). Never raises."""
        self._drafts.drop(case_id, pane)

    # ---------------------------------------------------------- machinery

    def _read_raw(self) -> bytes:
        """The file's bytes; a valid empty store if there is no file.

        Anything but a regular file of at most :data:`MAX_STORE_BYTES` (a folder, a
        FIFO, a device, a symlink) is :class:`StoreCorrupt`, read without blocking.
        """
        try:
            return read_regular(self.path, MAX_STORE_BYTES)
        except (FileNotFoundError, NotADirectoryError):
            return b'{"version": 1}'
        except UnsafeFile as error:
            raise StoreCorrupt(str(error)) from None

    def _accept(self, version: int, data: Contents) -> None:
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
        self._data = Contents()
        self.read_only = True
        values = {"path": self.path, "error": _why(error)}
        self._problems["store_stuck"] = values
        return StoreReadOnly("store_stuck_write", **values)

    def _load_locked(self) -> tuple[int, Contents]:
        """The file's version and contents, moving it aside if unreadable.

        Call with the lock held. Raises :class:`StoreReadOnly` when an unreadable
        file cannot be moved aside.
        """
        try:
            return decode(self._read_raw())
        except StoreCorrupt:
            pass
        try:
            self._move_aside()
        except OSError as error:
            raise self._stuck(error) from None
        return STORE_VERSION, Contents()

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

    def _update(self, change: Callable[[Contents], Contents | None]) -> None:
        """Apply one change to the file as it is now, under the lock, and refresh memory."""
        with self._mutex:
            if self._in_memory:
                changed = change(self._data)
                if changed is not None:
                    self._data = changed
                return
            self.directory.mkdir(parents=True, exist_ok=True)
            with exclusive_lock(self.lock_path, self._lock_timeout):
                version, current = self._load_locked()
                self._accept(version, current)
                if version > STORE_VERSION:
                    raise StoreReadOnly("store_newer_write", path=self.path, version=version)
                changed = change(current)
                if changed is not None and changed != current:
                    self._write(changed)
                    self._data = changed

    def _write(self, data: Contents) -> None:
        """Replace the file with ``data`` atomically (see :func:`write_atomic`)."""
        write_atomic(self.path, encode(data), mode=0o600)


def _why(error: OSError) -> str:
    """What went wrong, in a few words (the OS's, else the error's own)."""
    return error.strerror or str(error)


# ------------------------------------------------------------------- export


PrepSheet = list[tuple[str, list[tuple[str, str, list[tuple[str, str]]]]]]
"""Notes and answers grouped for export: per case (its title), its sections; a section
is (kind, heading, entries), an entry (heading, text); kind is "note" or "answers"."""


def prep_sheet(
    store: Store,
    titles: Mapping[str, str] | None = None,
    lang: Lang = "en",
    questions: Mapping[str, Sequence[str]] | None = None,
) -> PrepSheet:
    """Every note and answer, grouped for export (see :data:`PrepSheet`).

    Cases are ordered by title (then id); the notes by pane id, each headed by the
    pane's name in ``lang`` ("Challenges"; an unknown pane by its id), in a section of
    their own; then the answers, under "Discussion questions", each headed by its
    question's number and text (``questions``: each case's in ``lang``).
    """
    titles, questions = titles or {}, questions or {}
    notes: dict[str, list[Note]] = {}
    for note in store.notes():
        notes.setdefault(note.case_id, []).append(note)
    answers: dict[str, list[Answer]] = {}
    for answer in store.answers():
        answers.setdefault(answer.case_id, []).append(answer)

    def title(case_id: str) -> str:
        named = titles.get(case_id)
        return named if named and named.strip() else case_id

    def pane_name(pane: str) -> str:
        return t(pane, lang) if pane in ALL_PANES else pane

    def question(case_id: str, index: int) -> str:
        asked = questions.get(case_id, ())
        text = asked[index] if index < len(asked) else ""
        return f"{index + 1}. {text}" if text.strip() else f"{t('answer', lang)} {index + 1}"

    sheet: PrepSheet = []
    for case_id in sorted({*notes, *answers}, key=lambda c: (title(c).casefold(), title(c), c)):
        sections = [("note", pane_name(n.pane), [("", n.text)]) for n in notes.get(case_id, [])]
        if case_id in answers:
            entries = [(question(case_id, a.question), a.text) for a in answers[case_id]]
            sections.append(("answers", t("questions", lang), entries))
        sheet.append((title(case_id), sections))
    return sheet


def export_markdown(
    store: Store,
    titles: Mapping[str, str] | None = None,
    lang: Lang = "en",
    questions: Mapping[str, Sequence[str]] | None = None,
) -> str:
    """All notes and answers as Markdown: a section per case (by title), a subsection
    per pane, then the answers, one sub-subsection per question (see :func:`prep_sheet`).

    Note text is kept as written, escaped (:func:`escape_md_text`) so nothing in it is
    read as Markdown or HTML; headings through :func:`escape_md`.
    """
    from casebook.model.export.markdown import escape_md, escape_md_text  # not at start-up

    parts = [f"# {t('notes_title', lang)}"]
    sheet = prep_sheet(store, titles, lang, questions)
    if not sheet:
        parts.append(f"_{t('no_notes', lang)}_")
    for case_title, sections in sheet:
        parts.append(f"## {escape_md(case_title)}")
        for kind, heading, entries in sections:
            parts.append(f"### {escape_md(heading)}")
            for entry_heading, text in entries:
                if kind == "answers":
                    parts.append(f"#### {escape_md(entry_heading)}")
                parts.append(escape_md_text(text))
    return "\n\n".join(parts) + "\n"


def export_html(
    store: Store,
    titles: Mapping[str, str] | None = None,
    lang: Lang = "en",
    questions: Mapping[str, Sequence[str]] | None = None,
) -> str:
    """All notes and answers as one printable HTML page (see :func:`prep_sheet`)."""
    from casebook.model.export.html import prep_sheet_page

    sheet = prep_sheet(store, titles, lang, questions)
    return prep_sheet_page(t("notes_title", lang), t("no_notes", lang), sheet, lang)
