"""What the store file holds, as typed records, and how it is read and written.

The store file (see :mod:`casebook.state.notes`) is JSON::

    {
      "version": 1,
      "notes": [{"case_id": "acme", "pane": "summary", "text": "...", "updated": 1.5}],
      "bookmarks": [{"case_id": "acme", "pane": "exhibits", "item": ["table", 2],
                     "label": "Table 2", "created": 1.5}],
      "progress": {"acme": ["exhibits", "summary"]},
      "answers": [{"case_id": "acme", "question": 0, "text": "...", "updated": 1.5}]
    }

Its records are decoded with msgspec, each on its own, against the types below, so
one record that does not fit is skipped without losing the rest. What this version
does not understand is kept as read (:class:`msgspec.Raw`) and written back as it
was: unknown fields, at the top and in each record, and the records it skipped.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Annotated, Any, TypeVar

import msgspec
from msgspec import Meta, Raw

from casebook.model.format.addresses import Item

__all__ = [
    "STORE_VERSION",
    "Answer",
    "Bookmark",
    "Clock",
    "Contents",
    "Item",
    "Note",
    "StoreCorrupt",
    "bookmark_order",
    "checked_name",
    "clean",
    "decode",
    "encode",
    "item_part",
]

STORE_VERSION = 1

Name = Annotated[str, Meta(min_length=1)]
"""A case id or pane name: never empty."""

Clock = Callable[[], float]


class Note(msgspec.Struct, frozen=True):
    """A student's private note on one pane of one case (at most one per pair)."""

    case_id: Name
    pane: Name
    text: str
    updated: float

    @property
    def key(self) -> tuple[str, str]:
        return (self.case_id, self.pane)


class Answer(msgspec.Struct, frozen=True):
    """A student's draft answer to one discussion question (by its index) of one case."""

    case_id: Name
    question: Annotated[int, Meta(ge=0)]
    text: str
    updated: float

    @property
    def key(self) -> tuple[str, int]:
        return (self.case_id, self.question)


class _Place(msgspec.Struct, frozen=True):
    case_id: Name
    pane: Name
    item: Item = ()
    label: str = ""


class Bookmark(_Place, frozen=True, kw_only=True):
    """A marked place: a pane of a case, or an item within it, with an optional label,
    the reader's ``name`` for it and how far the pane was scrolled (``scroll``)."""

    created: float
    scroll: float | None = None
    name: str = ""

    @property
    def title(self) -> str:
        """What the bookmark list shows: its name, else its label, else case and pane."""
        return self.name or self.label or f"{self.case_id} · {self.pane}"

    @property
    def key(self) -> tuple[str, str, Item]:
        return (self.case_id, self.pane, self.item)


def bookmark_order(bookmark: Bookmark) -> tuple[Any, ...]:
    """Sort key of bookmarks: by case id, pane, then item (numbers before names)."""
    item = tuple((0, part, "") if isinstance(part, int) else (1, 0, part) for part in bookmark.item)
    return (bookmark.case_id, bookmark.pane, item)


class Contents(msgspec.Struct):
    """Everything in the store, keyed for lookups. Compared to skip needless writes.

    What this version does not understand is kept as read and written back: fields
    it does not know (``extra``, and each record's in ``note_extra`` and
    ``bookmark_extra``), and records it cannot read (``bad_*``, never loaded).
    """

    notes: dict[tuple[str, str], Note] = {}
    bookmarks: dict[tuple[str, str, Item], Bookmark] = {}
    progress: dict[str, frozenset[str]] = {}
    extra: dict[str, Raw] = {}
    note_extra: dict[tuple[str, str], dict[str, Raw]] = {}
    bookmark_extra: dict[tuple[str, str, Item], dict[str, Raw]] = {}
    bad_notes: list[Raw] = []
    bad_bookmarks: list[Raw] = []
    bad_progress: dict[str, Raw] = {}
    answers: dict[tuple[str, int], Answer] = {}
    answer_extra: dict[tuple[str, int], dict[str, Raw]] = {}
    bad_answers: list[Raw] = []

    def copy(self) -> Contents:
        """A copy whose collections can be changed without changing this one."""
        return Contents(
            **{
                name: type(value)(value)  # each a dict or list: a shallow copy
                for name in self.__struct_fields__
                for value in (getattr(self, name),)
            }
        )

    @property
    def skipped(self) -> int:
        """How many records could not be read."""
        bad = (self.bad_notes, self.bad_bookmarks, self.bad_progress, self.bad_answers)
        return sum(len(records) for records in bad)

    # Each change below returns a changed copy, or None when there is nothing to change.

    def with_note(self, case_id: str, pane: str, text: str, clock: Clock) -> Contents | None:
        """The note on ``pane`` of ``case_id`` set to ``text``; blank text deletes it."""
        key = (case_id, pane)
        old = self.notes.get(key)
        if not text.strip():
            if old is None:
                return None
            data = self.copy()
            del data.notes[key]
            data.note_extra.pop(key, None)
            return data
        if old is not None and old.text == text:
            return None
        data = self.copy()
        data.notes[key] = Note(case_id, pane, text, clock())
        return data

    def with_answer(self, case_id: str, question: int, text: str, clock: Clock) -> Contents | None:
        """The answer to question ``question`` of ``case_id`` set to ``text``; blank deletes it."""
        key = (case_id, question)
        old = self.answers.get(key)
        if not text.strip():
            if old is None:
                return None
            data = self.copy()
            del data.answers[key]
            data.answer_extra.pop(key, None)
            return data
        if old is not None and old.text == text:
            return None
        data = self.copy()
        data.answers[key] = Answer(case_id, question, text, clock())
        return data

    def with_bookmark(
        self,
        key: tuple[str, str, Item],
        label: str,
        clock: Clock,
        *,
        present: bool,
        scroll: float | None = None,
        name: str = "",
    ) -> Contents | None:
        """The bookmark at ``key`` added (with ``label``, ``scroll`` and ``name``) if
        ``present``, else removed."""
        if (key in self.bookmarks) == present:
            return None
        data = self.copy()
        if present:
            data.bookmarks[key] = Bookmark(*key, label, created=clock(), scroll=scroll, name=name)
        else:
            del data.bookmarks[key]
            data.bookmark_extra.pop(key, None)
        return data

    def with_bookmark_name(self, key: tuple[str, str, Item], name: str) -> Contents | None:
        """The bookmark at ``key`` renamed to ``name`` (kept as it is if not there)."""
        old = self.bookmarks.get(key)
        if old is None or old.name == name:
            return None
        data = self.copy()
        data.bookmarks[key] = msgspec.structs.replace(old, name=name)
        return data

    def with_opened(self, case_id: str, pane: str) -> Contents | None:
        """``pane`` of ``case_id`` recorded as opened."""
        panes = self.progress.get(case_id, frozenset())
        if pane in panes:
            return None
        data = self.copy()
        data.progress[case_id] = panes | {pane}
        data.bad_progress.pop(case_id, None)
        return data


# ------------------------------------------------------------------ reading


class StoreCorrupt(Exception):
    """The store file cannot be understood; the argument says why."""


class _Header(msgspec.Struct):
    """The part every version of the file shares."""

    version: Annotated[int, Meta(ge=1)]


class _Sections(msgspec.Struct):
    """The sections of a version 1 file, their records still undecoded."""

    notes: list[Raw] = []
    bookmarks: list[Raw] = []
    progress: dict[str, Raw] = {}
    answers: list[Raw] = []


_TOP_FIELDS = frozenset({"version", *_Sections.__struct_fields__})
_Panes = list[Name]
_R = TypeVar("_R", Note, Bookmark, Answer)


def decode(raw: bytes) -> tuple[int, Contents]:
    """The store's version and contents; raises :class:`StoreCorrupt` if it is not a store.

    A record that cannot be read is skipped (and kept, see :class:`Contents`). A store
    of a newer version is read as far as this version understands it.
    """
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise StoreCorrupt("not UTF-8 text") from None
    try:
        fields = msgspec.json.decode(text, type=dict[str, Raw])
        version = msgspec.json.decode(text, type=_Header).version
    except (msgspec.DecodeError, RecursionError) as error:
        raise StoreCorrupt(str(error)) from None
    try:
        sections = msgspec.json.decode(text, type=_Sections)
    except msgspec.DecodeError as error:
        if version > STORE_VERSION:  # a newer shape: show nothing, never write it
            return version, Contents()
        raise StoreCorrupt(str(error)) from None
    contents = Contents(
        extra={key: value.copy() for key, value in fields.items() if key not in _TOP_FIELDS}
    )
    for note, extra in _records(sections.notes, Note, contents.bad_notes):
        key = note.key
        contents.notes.pop(key, None)  # a later record for the same pane wins
        contents.note_extra.pop(key, None)
        if note.text.strip():  # a blank note is a deleted one
            contents.notes[key] = note
            if extra:
                contents.note_extra[key] = extra
    for mark, extra in _records(sections.bookmarks, Bookmark, contents.bad_bookmarks):
        contents.bookmarks[mark.key] = mark
        contents.bookmark_extra.pop(mark.key, None)
        if extra:
            contents.bookmark_extra[mark.key] = extra
    for answer, extra in _records(sections.answers, Answer, contents.bad_answers):
        contents.answers.pop(answer.key, None)  # a later record for the same question wins
        contents.answer_extra.pop(answer.key, None)
        if answer.text.strip():
            contents.answers[answer.key] = answer
            if extra:
                contents.answer_extra[answer.key] = extra
    for case_id, value in sections.progress.items():
        try:
            panes = msgspec.json.decode(value, type=_Panes)
        except msgspec.DecodeError:
            contents.bad_progress[case_id] = value.copy()
            continue
        if panes:
            contents.progress[case_id] = frozenset(panes)
    return version, contents


def _records(raws: list[Raw], kind: type[_R], bad: list[Raw]) -> list[tuple[_R, dict[str, Raw]]]:
    """Each of ``raws`` decoded as ``kind``, with its unknown fields; the rest go to ``bad``."""
    known = frozenset(kind.__struct_fields__)
    decoded = []
    for raw in raws:
        try:
            record = msgspec.json.decode(raw, type=kind)
        except msgspec.DecodeError:
            bad.append(raw.copy())
            continue
        fields = msgspec.json.decode(raw, type=dict[str, Raw])
        extra = {key: value.copy() for key, value in fields.items() if key not in known}
        decoded.append((record, extra))
    return decoded


# ------------------------------------------------------------------ writing


def encode(contents: Contents) -> bytes:
    """The file contents for ``contents``, in a stable order so diffs stay small.

    Fields and records this version does not understand are written back as read.
    """
    notes: list[Any] = [
        {**msgspec.structs.asdict(note), **contents.note_extra.get(note.key, {})}
        for note in sorted(contents.notes.values(), key=lambda note: note.key)
    ]
    bookmarks: list[Any] = [
        {**_bookmark_fields(mark), **contents.bookmark_extra.get(mark.key, {})}
        for mark in sorted(contents.bookmarks.values(), key=bookmark_order)
    ]
    progress: dict[str, Any] = {
        case: sorted(panes) for case, panes in sorted(contents.progress.items())
    }
    progress.update(contents.bad_progress)
    answers: list[Any] = [
        {**msgspec.structs.asdict(answer), **contents.answer_extra.get(answer.key, {})}
        for answer in sorted(contents.answers.values(), key=lambda answer: answer.key)
    ]
    doc = {
        "version": STORE_VERSION,
        "notes": notes + contents.bad_notes,
        "bookmarks": bookmarks + contents.bad_bookmarks,
        "progress": progress,
        **({"answers": answers + contents.bad_answers} if answers or contents.bad_answers else {}),
        **contents.extra,
    }
    return msgspec.json.format(msgspec.json.encode(doc), indent=2) + b"\n"


def _bookmark_fields(mark: Bookmark) -> dict[str, Any]:
    """A bookmark's fields, leaving out a scroll and a name it does not have."""
    fields = msgspec.structs.asdict(mark)
    if mark.scroll is None:
        del fields["scroll"]
    if not mark.name:
        del fields["name"]
    return fields


_LONE_SURROGATE = re.compile("[\ud800-\udfff]")


def clean(text: str) -> str:
    """``text`` made encodable as UTF-8: lone surrogates (from odd pastes) become U+FFFD."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        # Pair up any surrogate pairs, then replace whatever is left alone.
        text = text.encode("utf-16", "surrogatepass").decode("utf-16", "surrogatepass")
        return _LONE_SURROGATE.sub("\ufffd", text)
    return text


def checked_name(value: str, what: str) -> str:
    """``value``, a case id or pane name given to the store, checked and cleaned."""
    if not isinstance(value, str) or not value:
        raise ValueError(f"{what} must be a non-empty string, not {value!r}")
    return clean(value)


def item_part(value: object) -> bool:
    """Whether ``value`` can be part of a bookmark's :data:`Item`."""
    return isinstance(value, str) or (isinstance(value, int) and not isinstance(value, bool))
