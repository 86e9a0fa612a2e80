"""The per-user store: notes, bookmarks, progress, recovery, locking, Markdown export."""

from __future__ import annotations

import errno
import itertools
import json
import os
import re
import signal
import stat
import string
import subprocess
import sys
import threading
import time
from pathlib import Path

import filelock
import platformdirs
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from markdown_it import MarkdownIt

from casebook.model.export import escape_md_text
from casebook.state import drafts
from casebook.state import notes as userdata
from casebook.state.notes import (
    Bookmark,
    Note,
    Store,
    StoreLockTimeout,
    StoreReadOnly,
    data_dir,
    export_markdown,
)

NBSP = "\u00a0"
CORRUPT_NAME = re.compile(r"store\.json\.corrupt-\d{8}-\d{6}(-\d+)?")


class Clock:
    """A clock that moves one second each time it is read."""

    def __init__(self, start: float = 1_700_000_000.0) -> None:
        self.now = start

    def __call__(self) -> float:
        self.now += 1
        return self.now


@pytest.fixture
def directory(tmp_path: Path) -> Path:
    """A data folder that does not exist yet."""
    return tmp_path / "data"


@pytest.fixture
def clock() -> Clock:
    return Clock()


def on_disk(directory: Path) -> dict:
    return json.loads((directory / "store.json").read_text(encoding="utf-8"))


def fill(store: Store) -> None:
    store.set_note("acme", "summary", "Margins fell.\nWhy?")
    store.set_note("acme", "exhibits", "See table 2")
    store.set_note("zeta", "summary", "Zeta note")
    store.toggle_bookmark("acme", "exhibits", ("table", 2), "Table 2")
    store.toggle_bookmark("zeta", "timeline")
    store.mark_opened("acme", "summary")
    store.mark_opened("acme", "exhibits")


def snapshot(store: Store) -> tuple:
    return (store.notes(), store.bookmarks(), store.progress())


# ------------------------------------------------------------- location


def test_data_dir_comes_from_the_environment(monkeypatch, tmp_path):
    monkeypatch.setenv("CASEBOOK_DATA_DIR", str(tmp_path / "mine"))
    assert data_dir() == tmp_path / "mine"


def test_data_dir_defaults_to_the_user_data_folder(monkeypatch):
    monkeypatch.delenv("CASEBOOK_DATA_DIR", raising=False)
    assert data_dir() == Path(platformdirs.user_data_dir("casebook"))
    monkeypatch.setenv("CASEBOOK_DATA_DIR", "")
    assert data_dir() == Path(platformdirs.user_data_dir("casebook"))


@pytest.mark.slow
def test_userdata_does_not_import_textual():
    code = "import sys, casebook.state.notes; sys.exit('textual' in sys.modules)"
    assert subprocess.run([sys.executable, "-c", code], check=False).returncode == 0


# ---------------------------------------------------------- persistence


def test_round_trip_through_the_environment_variable(monkeypatch, directory, clock):
    monkeypatch.setenv("CASEBOOK_DATA_DIR", str(directory))
    store = Store.open(clock=clock)
    assert store.directory == directory
    fill(store)

    again = Store.open()
    assert snapshot(again) == snapshot(store)
    assert again.note("acme", "summary") == Note(
        "acme", "summary", "Margins fell.\nWhy?", 1.7e9 + 1
    )
    assert again.is_bookmarked("acme", "exhibits", ("table", 2))
    assert again.is_bookmarked("acme", "exhibits", ["table", 2])  # any sequence will do
    assert again.opened_panes("acme") == frozenset({"summary", "exhibits"})
    assert on_disk(directory)["version"] == 1


def test_round_trip_through_the_directory_argument(monkeypatch, directory, tmp_path, clock):
    monkeypatch.setenv("CASEBOOK_DATA_DIR", str(tmp_path / "elsewhere"))
    store = Store.open(directory, clock=clock)
    fill(store)
    assert (directory / "store.json").is_file()
    assert not (tmp_path / "elsewhere").exists()
    assert snapshot(Store.open(directory)) == snapshot(store)


def test_the_file_is_versioned_readable_json(directory, clock):
    store = Store.open(directory, clock=clock)
    fill(store)
    doc = on_disk(directory)
    assert doc["version"] == 1
    assert {n["case_id"] + "/" + n["pane"] for n in doc["notes"]} == {
        "acme/exhibits",
        "acme/summary",
        "zeta/summary",
    }
    assert doc["bookmarks"][0]["item"] == ["table", 2]
    assert doc["progress"] == {"acme": ["exhibits", "summary"]}


def test_opening_does_not_create_the_folder_but_the_first_write_does(directory):
    store = Store.open(directory)
    assert not directory.exists()
    assert store.notes() == []
    assert store.bookmarks() == []
    assert store.opened_panes("acme") == frozenset()
    assert store.warning is None
    assert store.recovered_from is None
    store.mark_opened("acme", "summary")
    assert (directory / "store.json").is_file()
    assert (directory / "store.lock").exists()


def test_timestamps_come_from_the_injected_clock(directory):
    store = Store.open(directory, clock=lambda: 42.5)
    store.set_note("acme", "summary", "x")
    store.toggle_bookmark("acme", "summary")
    assert store.note("acme", "summary").updated == 42.5
    assert store.bookmarks()[0].created == 42.5


# ----------------------------------------------------------------- notes


def test_reads_are_sorted_and_filtered(directory, clock):
    store = Store.open(directory, clock=clock)
    fill(store)
    assert [n.key for n in store.notes()] == [
        ("acme", "exhibits"),
        ("acme", "summary"),
        ("zeta", "summary"),
    ]
    assert [n.pane for n in store.notes_for("acme")] == ["exhibits", "summary"]
    assert store.notes_for("nobody") == []
    assert store.note("acme", "nowhere") is None


def test_one_note_per_case_and_pane(directory, clock):
    store = Store.open(directory, clock=clock)
    store.set_note("acme", "summary", "first")
    store.set_note("acme", "summary", "second")
    assert [n.text for n in store.notes()] == ["second"]
    assert len(on_disk(directory)["notes"]) == 1


@pytest.mark.parametrize("empty", ["", "   ", "\n\t\n"])
def test_empty_text_deletes_the_note(directory, clock, empty):
    store = Store.open(directory, clock=clock)
    store.set_note("acme", "summary", "keep me?")
    store.set_note("acme", "exhibits", "keep me")
    store.set_note("acme", "summary", empty)
    assert store.note("acme", "summary") is None
    assert [n["pane"] for n in on_disk(directory)["notes"]] == ["exhibits"]
    assert Store.open(directory).note("acme", "summary") is None


def test_needless_writes_are_skipped(directory, clock, monkeypatch):
    store = Store.open(directory, clock=clock)
    store.set_note("acme", "summary", "same")
    store.mark_opened("acme", "summary")
    before = (directory / "store.json").read_bytes()

    def no_writing(*args, **kwargs):
        raise AssertionError("nothing should be written")

    monkeypatch.setattr(os, "replace", no_writing)
    store.set_note("acme", "summary", "same")  # unchanged: the timestamp stays too
    store.set_note("acme", "nothing here", "")  # deleting what is not there
    store.mark_opened("acme", "summary")
    assert (directory / "store.json").read_bytes() == before


def test_mark_opened_when_recorded_does_not_even_lock(directory, monkeypatch):
    store = Store.open(directory)
    store.mark_opened("acme", "summary")

    def no_locking(*args, **kwargs):
        raise AssertionError("no lock should be taken")

    monkeypatch.setattr(userdata, "exclusive_lock", no_locking)
    store.mark_opened("acme", "summary")
    assert store.opened_panes("acme") == {"summary"}


def test_bad_arguments_are_refused(directory):
    store = Store.open(directory)
    with pytest.raises(ValueError, match="case_id"):
        store.set_note("", "summary", "x")
    with pytest.raises(ValueError, match="pane"):
        store.mark_opened("acme", "")
    with pytest.raises(TypeError, match="item"):
        store.toggle_bookmark("acme", "summary", (1.5,))
    with pytest.raises(TypeError, match="item"):
        store.toggle_bookmark("acme", "summary", (True,))
    assert not directory.exists()


def test_unencodable_text_is_saved_with_replacement_characters(directory):
    store = Store.open(directory)
    store.set_note("acme", "summary", "bad \udcff paste")
    assert Store.open(directory).note("acme", "summary").text == "bad \ufffd paste"


# ------------------------------------------------------------- bookmarks


def test_toggle_bookmark_adds_then_removes(directory, clock):
    store = Store.open(directory, clock=clock)
    assert store.toggle_bookmark("acme", "exhibits", ("table", 2), "Table 2") is True
    assert store.toggle_bookmark("acme", "exhibits") is True  # the pane itself: another one
    assert store.is_bookmarked("acme", "exhibits", ("table", 2))
    assert store.bookmarks() == [
        Bookmark("acme", "exhibits", (), "", created=clock.now),
        Bookmark("acme", "exhibits", ("table", 2), "Table 2", created=clock.now - 1),
    ]
    assert store.toggle_bookmark("acme", "exhibits", ("table", 2)) is False
    assert not store.is_bookmarked("acme", "exhibits", ("table", 2))
    assert store.is_bookmarked("acme", "exhibits")
    assert [b.key for b in Store.open(directory).bookmarks()] == [("acme", "exhibits", ())]


def test_a_bookmark_keeps_its_scroll_and_name_and_is_renamed_and_removed(directory, clock):
    store = Store.open(directory, clock=clock)
    store.add_bookmark("acme", "exhibits", (), "Acme · Exhibits", scroll=12.5, name="before class")
    store.add_bookmark("acme", "summary")  # no name, no scroll: neither is written
    again = Store.open(directory)
    mark = again.bookmark("acme", "exhibits")
    assert mark is not None
    assert (mark.scroll, mark.name, mark.title) == (12.5, "before class", "before class")
    plain = again.bookmark("acme", "summary")
    assert plain is not None and (plain.scroll, plain.name, plain.title) == (
        None,
        "",
        "acme · summary",
    )
    assert "name" not in on_disk(directory)["bookmarks"][1]
    again.rename_bookmark("acme", "exhibits", (), "  key table ")
    assert Store.open(directory).bookmark("acme", "exhibits").name == "key table"  # type: ignore[union-attr]
    again.remove_bookmark("acme", "exhibits")
    assert [b.key for b in Store.open(directory).bookmarks()] == [("acme", "summary", ())]


def test_a_renamed_bookmark_keeps_the_fields_this_version_does_not_know(directory, clock):
    directory.mkdir()
    doc = {"version": 1, "bookmarks": [{**GOOD_MARK, "pinned": True, "scroll": 3}]}
    (directory / "store.json").write_text(json.dumps(doc))
    store = Store.open(directory, clock=clock)
    key = (GOOD_MARK["case_id"], GOOD_MARK["pane"], tuple(GOOD_MARK.get("item", ())))
    store.rename_bookmark(*key, "mine")
    (written,) = on_disk(directory)["bookmarks"]
    assert written == {**GOOD_MARK, "pinned": True, "scroll": 3, "name": "mine"}


def test_bookmarks_with_mixed_items_sort_and_round_trip(directory, clock):
    store = Store.open(directory, clock=clock)
    for item in [("b",), (3,), ("a", 1), (1,), ()]:
        store.toggle_bookmark("acme", "exhibits", item)
    items = [b.item for b in Store.open(directory).bookmarks()]
    assert items == [(), (1,), (3,), ("a", 1), ("b",)]


# -------------------------------------------------------------- progress


def test_progress_records_opened_panes_per_case(directory):
    store = Store.open(directory)
    store.mark_opened("acme", "summary")
    store.mark_opened("acme", "timeline")
    store.mark_opened("zeta", "summary")
    again = Store.open(directory)
    assert again.opened_panes("acme") == frozenset({"summary", "timeline"})
    assert again.opened_panes("zeta") == frozenset({"summary"})
    assert again.opened_panes("other") == frozenset()
    assert again.progress() == {
        "acme": frozenset({"summary", "timeline"}),
        "zeta": frozenset({"summary"}),
    }


# --------------------------------------------------------------- recovery

VALID_NOTE = {"case_id": "acme", "pane": "summary", "text": "x", "updated": 1.0}

CORRUPTIONS = {
    "bad JSON": b'{"version": 1, "notes": [',
    "empty file": b"",
    "JSON list": b"[]",
    "JSON string": b'"version 1"',
    "binary bytes": bytes(range(256)),
    "latin-1 text": '{"version": 1, "notes": [], "x": "café"}'.encode("latin-1"),
    "version zero": json.dumps({"version": 0, "notes": []}).encode(),
    "no version": json.dumps({"notes": []}).encode(),
    "version as text": json.dumps({"version": "1"}).encode(),
    "version as bool": json.dumps({"version": True}).encode(),
    "notes not a list": json.dumps({"version": 1, "notes": {}}).encode(),
    "bookmarks not a list": json.dumps({"version": 1, "bookmarks": "x"}).encode(),
    "note time NaN": b'{"version": 1, "notes": [{"case_id": "a", "pane": "b", "text": "c", '
    b'"updated": NaN}]}',
    "progress a list": json.dumps({"version": 1, "progress": ["a"]}).encode(),
    "deeply nested": b"[" * 100_000 + b"]" * 100_000,
}


@pytest.mark.parametrize("content", CORRUPTIONS.values(), ids=CORRUPTIONS.keys())
def test_a_corrupt_store_is_moved_aside_and_a_new_one_started(directory, clock, content):
    directory.mkdir()
    (directory / "store.json").write_bytes(content)

    store = Store.open(directory, clock=clock)

    moved = store.recovered_from
    assert moved is not None
    assert moved.parent == directory
    assert CORRUPT_NAME.fullmatch(moved.name)
    assert moved.read_bytes() == content
    assert store.warning == (
        f"Your notes file was unreadable; it was moved to {moved} and a new one started."
    )
    assert snapshot(store) == ([], [], {})
    assert not (directory / "store.json").exists()

    store.set_note("acme", "summary", "fresh start")
    assert [n["text"] for n in on_disk(directory)["notes"]] == ["fresh start"]
    assert moved.read_bytes() == content  # kept, never deleted


def test_a_folder_in_place_of_the_store_is_moved_aside(directory, clock):
    (directory / "store.json").mkdir(parents=True)
    (directory / "store.json" / "inside.txt").write_text("mine")
    store = Store.open(directory, clock=clock)
    assert store.recovered_from is not None
    assert (store.recovered_from / "inside.txt").read_text() == "mine"
    assert store.warning is not None
    store.set_note("acme", "summary", "works")
    assert Store.open(directory).note("acme", "summary").text == "works"


def test_the_moved_aside_name_is_timestamped_and_unique(directory):
    frozen = 1_700_000_000.0
    stamp = time.strftime("%Y%m%d-%H%M%S", time.localtime(frozen))
    directory.mkdir()
    moved = []
    for content in (b"first", b"second", b"third"):
        (directory / "store.json").write_bytes(content)
        moved.append(Store.open(directory, clock=lambda: frozen).recovered_from)
    assert [p.name for p in moved] == [
        f"store.json.corrupt-{stamp}",
        f"store.json.corrupt-{stamp}-2",
        f"store.json.corrupt-{stamp}-3",
    ]
    assert [p.read_bytes() for p in moved] == [b"first", b"second", b"third"]


def test_valid_files_with_extras_and_a_bom_still_load(directory):
    directory.mkdir()
    doc = {
        "version": 1,
        "future": "ignored",
        "notes": [{**VALID_NOTE, "colour": "red"}, {**VALID_NOTE, "pane": "gone", "text": ""}],
    }
    (directory / "store.json").write_bytes(b"\xef\xbb\xbf" + json.dumps(doc).encode())
    store = Store.open(directory)
    assert store.warning is None
    assert store.notes() == [Note("acme", "summary", "x", 1.0)]


BAD_RECORDS = {
    "note not an object": ("notes", "x"),
    "note id a number": ("notes", {**VALID_NOTE, "case_id": 7}),
    "note text null": ("notes", {**VALID_NOTE, "text": None}),
    "note time a string": ("notes", {**VALID_NOTE, "updated": "now"}),
    "note missing pane": ("notes", {k: v for k, v in VALID_NOTE.items() if k != "pane"}),
    "note id empty": ("notes", {**VALID_NOTE, "case_id": ""}),
    "note time true": ("notes", {**VALID_NOTE, "updated": True}),
    "bookmark not an object": ("bookmarks", 3),
    "bookmark item a string": (
        "bookmarks",
        {"case_id": "a", "pane": "b", "item": "c", "created": 1},
    ),
    "bookmark item with a float": (
        "bookmarks",
        {"case_id": "a", "pane": "b", "item": [1.5], "created": 1},
    ),
    "bookmark label a number": (
        "bookmarks",
        {"case_id": "a", "pane": "b", "label": 5, "created": 1},
    ),
    "bookmark pane empty": ("bookmarks", {"case_id": "a", "pane": "", "created": 1}),
    "bookmark item with a bool": (
        "bookmarks",
        {"case_id": "a", "pane": "b", "item": [True], "created": 1},
    ),
}

GOOD_NOTE = {"case_id": "zeta", "pane": "summary", "text": "kept", "updated": 2.0}
GOOD_MARK = {"case_id": "zeta", "pane": "timeline", "item": [], "label": "", "created": 3.0}


@pytest.mark.parametrize(("where", "bad"), BAD_RECORDS.values(), ids=BAD_RECORDS.keys())
def test_a_bad_record_is_skipped_and_kept_on_the_next_write(directory, clock, where, bad):
    directory.mkdir()
    doc = {"version": 1, "notes": [GOOD_NOTE], "bookmarks": [GOOD_MARK], "progress": {}}
    doc[where].insert(0, bad)
    (directory / "store.json").write_text(json.dumps(doc))

    store = Store.open(directory, clock=clock)

    assert store.recovered_from is None
    assert store.notes() == [Note("zeta", "summary", "kept", 2.0)]
    assert store.bookmarks() == [Bookmark("zeta", "timeline", created=3.0)]
    assert store.warning == (
        f"Skipped unreadable entries in your notes file {directory / 'store.json'} (1);"
        " they are kept in the file."
    )
    store.set_note("acme", "summary", "new")
    store.toggle_bookmark("acme", "summary")
    store.mark_opened("acme", "summary")

    written = on_disk(directory)
    assert bad in written[where]
    assert GOOD_NOTE in written["notes"]
    assert GOOD_MARK in written["bookmarks"]
    again = Store.open(directory)
    assert [n.case_id for n in again.notes()] == ["acme", "zeta"]
    assert [b.case_id for b in again.bookmarks()] == ["acme", "zeta"]


def test_a_bad_progress_entry_is_skipped_and_kept_until_that_case_is_read(directory):
    directory.mkdir()
    doc = {"version": 1, "progress": {"odd": [1, "x"], "zeta": ["summary"]}}
    (directory / "store.json").write_text(json.dumps(doc))
    store = Store.open(directory)
    assert store.progress() == {"zeta": frozenset({"summary"})}
    assert store.warning is not None

    store.mark_opened("acme", "summary")
    assert on_disk(directory)["progress"] == {
        "acme": ["summary"],
        "zeta": ["summary"],
        "odd": [1, "x"],
    }
    store.mark_opened("odd", "timeline")  # reading that case writes it anew
    assert on_disk(directory)["progress"]["odd"] == ["timeline"]
    assert Store.open(directory).warning is None


def test_unknown_fields_survive_a_rewrite(directory, clock):
    directory.mkdir()
    doc = {
        "version": 1,
        "future": {"nested": [1, None, True]},
        "notes": [{**VALID_NOTE, "colour": "red"}, {**GOOD_NOTE, "tags": ["a"]}],
        "bookmarks": [{**GOOD_MARK, "pinned": True}],
        "progress": {},
        "big": 10**30,
    }
    (directory / "store.json").write_text(json.dumps(doc))
    store = Store.open(directory, clock=clock)
    assert store.warning is None

    store.set_note("acme", "summary", "edited")  # a note with extras, changed
    store.set_note("new", "summary", "added")
    store.mark_opened("new", "summary")

    written = on_disk(directory)
    assert written["future"] == {"nested": [1, None, True]}
    assert written["big"] == 10**30
    notes = {n["case_id"]: n for n in written["notes"]}
    assert notes["acme"]["colour"] == "red"
    assert notes["acme"]["text"] == "edited"
    assert notes["zeta"] == {**GOOD_NOTE, "tags": ["a"]}
    assert written["bookmarks"] == [{**GOOD_MARK, "pinned": True}]

    store.set_note("acme", "summary", "")  # deleted: its fields go with it
    store.toggle_bookmark("zeta", "timeline")
    written = on_disk(directory)
    assert [n["case_id"] for n in written["notes"]] == ["new", "zeta"]
    assert written["bookmarks"] == []
    assert written["future"] == {"nested": [1, None, True]}


NEWER = {
    "version": 2,
    "shiny": True,
    "notes": [{**VALID_NOTE, "rich": {"format": "md"}}, {"case_id": 1}],
    "bookmarks": [GOOD_MARK],
}


@pytest.mark.parametrize(
    "doc",
    [NEWER, {"version": 7, "notes": {"a new": "shape"}}],
    ids=["readable", "unreadable"],
)
def test_a_store_from_a_newer_version_is_read_only_and_untouched(directory, clock, doc):
    directory.mkdir()
    path = directory / "store.json"
    path.write_text(json.dumps(doc))
    before = path.read_bytes()

    store = Store.open(directory, clock=clock)

    assert store.read_only
    assert store.recovered_from is None
    assert store.warning is not None
    assert f"written by a newer casebook (format {doc['version']})" in store.warning
    assert "read-only" in store.warning_in("en")
    assert "只读" in (store.warning_in("zh") or "")
    if doc is NEWER:  # what can be understood is shown
        assert store.notes() == [Note("acme", "summary", "x", 1.0)]
        assert store.bookmarks() == [Bookmark("zeta", "timeline", created=3.0)]
    else:
        assert snapshot(store) == ([], [], {})

    with pytest.raises(StoreReadOnly, match="newer casebook") as refused:
        store.set_note("acme", "summary", "mine")
    assert "只读" in refused.value.in_lang("zh")
    with pytest.raises(StoreReadOnly):
        store.toggle_bookmark("acme", "summary")
    store.mark_opened("acme", "summary")  # kept in memory, silently
    assert store.opened_panes("acme") == {"summary"}

    assert path.read_bytes() == before
    assert sorted(p.name for p in directory.iterdir()) == ["store.json", "store.lock"]

    path.write_text(json.dumps({"version": 1}))  # e.g. the newer casebook downgraded it
    store.reload()
    assert not store.read_only
    assert store.warning is None
    store.set_note("acme", "summary", "mine")
    assert [n["text"] for n in on_disk(directory)["notes"]] == ["mine"]


def test_a_store_file_over_the_size_cap_is_moved_aside(directory, monkeypatch):
    directory.mkdir()
    content = json.dumps({"version": 1, "notes": [VALID_NOTE]}).encode()
    (directory / "store.json").write_bytes(content)
    monkeypatch.setattr(userdata, "MAX_STORE_BYTES", len(content) - 1)
    store = Store.open(directory)
    assert store.recovered_from is not None
    assert store.recovered_from.read_bytes() == content
    assert store.notes() == []


def test_corruption_found_when_writing_is_moved_aside_too(directory, clock):
    store = Store.open(directory, clock=clock)
    store.set_note("acme", "summary", "old")
    (directory / "store.json").write_bytes(b"garbage")
    store.set_note("acme", "exhibits", "new")
    assert store.recovered_from is not None
    assert store.recovered_from.read_bytes() == b"garbage"
    assert store.warning is not None
    assert [n.pane for n in store.notes()] == ["exhibits"]
    assert [n["pane"] for n in on_disk(directory)["notes"]] == ["exhibits"]


def test_reload_sees_other_writers_and_recovers_from_corruption(directory, clock):
    store = Store.open(directory, clock=clock)
    Store.open(directory, clock=clock).set_note("acme", "summary", "from elsewhere")
    assert store.note("acme", "summary") is None
    store.reload()
    assert store.note("acme", "summary").text == "from elsewhere"

    (directory / "store.json").write_bytes(b"\x00" * 64)
    store.reload()
    assert store.notes() == []
    assert store.recovered_from.read_bytes() == b"\x00" * 64


# ----------------------------------------------------- concurrent writers


def test_two_stores_in_one_process_never_lose_each_others_writes(directory, clock):
    a = Store.open(directory, clock=clock)
    b = Store.open(directory, clock=clock)
    a.set_note("acme", "summary", "from a")
    b.set_note("acme", "exhibits", "from b")  # b had never seen a's note
    a.toggle_bookmark("acme", "summary")
    b.toggle_bookmark("zeta", "summary")
    a.mark_opened("acme", "summary")
    b.mark_opened("acme", "timeline")
    a.set_note("acme", "exhibits", "a edits b's note")
    b.set_note("zeta", "summary", "from b again")

    expected_notes = {
        ("acme", "summary"): "from a",
        ("acme", "exhibits"): "a edits b's note",
        ("zeta", "summary"): "from b again",
    }
    for store in (Store.open(directory), b):
        assert {n.key: n.text for n in store.notes()} == expected_notes
        assert [m.key for m in store.bookmarks()] == [
            ("acme", "summary", ()),
            ("zeta", "summary", ()),
        ]
        assert store.opened_panes("acme") == frozenset({"summary", "timeline"})
    a.reload()
    assert snapshot(a) == snapshot(b)


def test_a_toggle_does_what_its_instance_showed(directory, clock):
    a = Store.open(directory, clock=clock)
    b = Store.open(directory, clock=clock)
    assert a.toggle_bookmark("acme", "summary") is True
    # b still shows it unbookmarked, so b's toggle means "bookmark it": it stays.
    assert b.toggle_bookmark("acme", "summary") is True
    assert b.is_bookmarked("acme", "summary")
    assert Store.open(directory).is_bookmarked("acme", "summary")
    a.reload()
    assert a.toggle_bookmark("acme", "summary") is False
    assert not Store.open(directory).is_bookmarked("acme", "summary")


def write_many_in_threads(directory: Path, writers: int = 2, each: int = 50) -> None:
    stores = [Store.open(directory) for _ in range(writers)]
    start = threading.Barrier(writers)
    errors: list[BaseException] = []

    def work(n: int) -> None:
        try:
            start.wait()
            for i in range(each):
                stores[n].set_note(f"case-{n}", f"pane-{i:02d}", f"note {i} from {n}")
        except BaseException as error:
            errors.append(error)

    threads = [threading.Thread(target=work, args=(n,)) for n in range(writers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not errors


def test_two_stores_in_two_threads_keep_all_notes(directory):
    write_many_in_threads(directory)
    assert len(on_disk(directory)["notes"]) == 100
    assert len(Store.open(directory).notes()) == 100


CHILD = """
import sys, time
from pathlib import Path
from casebook.state.notes import Store

directory, tag = Path(sys.argv[1]), sys.argv[2]
store = Store.open(directory)  # opened before the other writes: its view goes stale
(directory.parent / f"ready-{tag}").touch()
deadline = time.monotonic() + 30
while not (directory.parent / "go").exists():
    if time.monotonic() > deadline:
        sys.exit("never told to go")
    time.sleep(0.001)
for i in range(50):
    store.set_note(f"case-{tag}", f"pane-{i:02d}", f"note {i} from {tag}")
"""


@pytest.mark.slow
def test_two_processes_writing_at_once_keep_all_100_notes(directory):
    children = [
        subprocess.Popen([sys.executable, "-c", CHILD, str(directory), tag], stderr=subprocess.PIPE)
        for tag in ("a", "b")
    ]
    try:
        deadline = time.monotonic() + 30
        while not all((directory.parent / f"ready-{t}").exists() for t in "ab"):
            assert time.monotonic() < deadline, "children never got ready"
            assert all(c.poll() is None for c in children), "a child died early"
            time.sleep(0.005)
        (directory.parent / "go").touch()
        for child in children:
            _, err = child.communicate(timeout=60)
            assert child.returncode == 0, err.decode()
    finally:
        for child in children:
            if child.poll() is None:
                child.kill()
                child.wait()

    doc = on_disk(directory)  # valid JSON
    assert doc["version"] == 1
    assert sorted((n["case_id"], n["pane"]) for n in doc["notes"]) == sorted(
        (f"case-{t}", f"pane-{i:02d}") for t in "ab" for i in range(50)
    )
    assert all(
        n["text"] == f"note {int(n['pane'][5:])} from {n['case_id'][5:]}" for n in doc["notes"]
    )


def test_a_write_waits_for_the_lock_and_gives_up_cleanly(directory):
    store = Store.open(directory, lock_timeout=0.2)
    store.set_note("acme", "summary", "before")
    before = (directory / "store.json").read_bytes()
    with filelock.FileLock(directory / "store.lock"):  # another instance is writing
        started = time.monotonic()
        with pytest.raises(StoreLockTimeout):
            store.set_note("acme", "summary", "blocked")
        assert time.monotonic() - started >= 0.2
        assert isinstance(StoreLockTimeout(), OSError)  # callers can catch OSError
    assert (directory / "store.json").read_bytes() == before
    assert store.note("acme", "summary").text == "before"
    store.set_note("acme", "summary", "after")
    assert Store.open(directory).note("acme", "summary").text == "after"


HOLDER_CHILD = """
import sys, time
from pathlib import Path
import filelock
lock, released = Path(sys.argv[1]), Path(sys.argv[2])
with filelock.FileLock(lock):
    print("held", flush=True)
    time.sleep(0.5)
    released.touch()
"""


@pytest.mark.slow
def test_a_lock_held_by_another_process_is_waited_for(directory):
    store = Store.open(directory, lock_timeout=30)
    store.set_note("acme", "summary", "before")
    released = directory.parent / "released"
    child = subprocess.Popen(
        [sys.executable, "-c", HOLDER_CHILD, str(directory / "store.lock"), str(released)],
        stdout=subprocess.PIPE,
    )
    try:
        assert child.stdout is not None
        assert child.stdout.readline() == b"held\n"
        store.set_note("acme", "summary", "after the other")
        assert released.exists()  # it waited until the other let go
        assert child.wait(timeout=30) == 0
    finally:
        if child.poll() is None:
            child.kill()
            child.wait()
    assert Store.open(directory).note("acme", "summary").text == "after the other"
    assert (directory / "store.lock").stat().st_mode & 0o777 == 0o600  # private


# -------------------------------------------------------------- atomicity


def explode(*args, **kwargs):
    raise OSError("disk on fire")


@pytest.mark.parametrize("step", ["replace", "fsync"])
def test_a_failed_write_leaves_the_previous_file_intact(directory, clock, monkeypatch, step):
    store = Store.open(directory, clock=clock)
    fill(store)
    before = (directory / "store.json").read_bytes()
    shown = snapshot(store)

    monkeypatch.setattr(os, step, explode)
    with pytest.raises(OSError, match="disk on fire"):
        store.set_note("acme", "summary", "this will not land")
    with pytest.raises(OSError, match="disk on fire"):
        store.toggle_bookmark("acme", "summary")
    monkeypatch.undo()

    assert (directory / "store.json").read_bytes() == before
    assert sorted(p.name for p in directory.iterdir()) == ["store.json", "store.lock"]
    assert snapshot(store) == shown
    assert not store.is_bookmarked("acme", "summary")
    assert snapshot(Store.open(directory)) == shown


def test_the_store_file_is_private_and_written_through_safe_files(directory, monkeypatch):
    calls = []
    real = userdata.write_atomic
    monkeypatch.setattr(userdata, "write_atomic", lambda *a, **k: calls.append(k) or real(*a, **k))
    Store.open(directory).set_note("acme", "summary", "private")
    assert calls == [{"mode": 0o600}]
    assert (directory / "store.json").stat().st_mode & 0o777 == 0o600


# -------------------------------------------------------------- faults

FSIZE_CHILD = """
import json, resource, signal, sys
from pathlib import Path
from casebook.state.notes import Store
directory = Path(sys.argv[1])
store = Store.open(directory)
size = (directory / "store.json").stat().st_size
signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
resource.setrlimit(resource.RLIMIT_FSIZE, (size + 64, resource.RLIM_INFINITY))
try:
    store.set_note("acme", "summary", "too long " * 1000)
except OSError as error:
    print(json.dumps({"errno": error.errno, "shown": store.note("acme", "summary").text}))
else:
    print(json.dumps({"errno": None}))
"""


@pytest.mark.slow
@pytest.mark.skipif(sys.platform == "win32", reason="needs RLIMIT_FSIZE")
def test_a_save_over_the_file_size_limit_fails_and_leaves_the_file(directory):
    Store.open(directory).set_note("acme", "summary", "before")
    before = (directory / "store.json").read_bytes()

    done = subprocess.run(
        [sys.executable, "-c", FSIZE_CHILD, str(directory)],
        capture_output=True,
        timeout=60,
        check=False,
    )

    assert done.returncode == 0, done.stderr.decode()
    assert json.loads(done.stdout) == {"errno": errno.EFBIG, "shown": "before"}
    assert (directory / "store.json").read_bytes() == before
    assert sorted(p.name for p in directory.iterdir()) == ["store.json", "store.lock"]


KILLED_CHILD = """
import os, signal, sys
from pathlib import Path
from casebook.state.notes import Store
store = Store.open(Path(sys.argv[1]))
os.replace = lambda *args: os.kill(os.getpid(), signal.SIGKILL)  # killed mid-write
store.set_note("acme", "summary", "lost")
"""


@pytest.mark.slow
@pytest.mark.skipif(sys.platform == "win32", reason="needs SIGKILL")
def test_temporaries_left_by_killed_writers_are_removed_when_stale(directory):
    Store.open(directory).set_note("acme", "summary", "kept")
    before = (directory / "store.json").read_bytes()
    for _ in range(3):
        done = subprocess.run(
            [sys.executable, "-c", KILLED_CHILD, str(directory)], timeout=60, check=False
        )
        assert done.returncode == -signal.SIGKILL
    left = [p for p in directory.iterdir() if p.name.endswith(".tmp")]
    assert len(left) == 3
    assert all(p.name.startswith(".store.json.") for p in left)
    assert (directory / "store.json").read_bytes() == before

    Store.open(directory)  # too fresh to be sure their writers are gone: kept
    assert all(p.exists() for p in left)
    old = time.time() - 3600
    for p in left[:2]:
        os.utime(p, (old, old))
    store = Store.open(directory)
    assert [p.exists() for p in left] == [False, False, True]
    assert store.note("acme", "summary").text == "kept"


OPEN_CHILD = """
import sys
from pathlib import Path
from casebook.state.notes import Store
store = Store.open(Path(sys.argv[1]))
store.set_note("acme", "summary", "works")
print(store.warning)
"""


@pytest.mark.slow
@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs FIFOs")
@pytest.mark.parametrize("kind", ["fifo", "link to /dev/zero"])
def test_a_fifo_or_device_in_place_of_the_store_never_blocks(directory, kind):
    directory.mkdir()
    path = directory / "store.json"
    if kind == "fifo":
        os.mkfifo(path)
    else:
        path.symlink_to("/dev/zero")

    # A child, so that a store that blocks fails this test instead of hanging it.
    done = subprocess.run(
        [sys.executable, "-c", OPEN_CHILD, str(directory)],
        capture_output=True,
        timeout=30,
        check=False,
    )

    assert done.returncode == 0, done.stderr.decode()
    assert "was unreadable; it was moved to" in done.stdout.decode()
    (moved,) = directory.glob("store.json.corrupt-*")
    assert stat.S_ISFIFO(moved.lstat().st_mode) if kind == "fifo" else moved.is_symlink()
    assert [n["text"] for n in on_disk(directory)["notes"]] == ["works"]


def refuse(*args, **kwargs):
    raise PermissionError(errno.EACCES, "Permission denied")


@pytest.mark.parametrize("fault", ["rename", "lock"])
def test_a_corrupt_store_in_a_read_only_folder_says_notes_are_off(
    directory, clock, monkeypatch, fault
):
    directory.mkdir()
    path = directory / "store.json"
    path.write_bytes(b"garbage")
    if fault == "rename":  # a folder one may not change: the file cannot be moved aside
        monkeypatch.setattr(Path, "rename", refuse)
    else:  # ... nor can a lock file be made in it
        monkeypatch.setattr(userdata, "exclusive_lock", refuse)

    store = Store.open(directory, clock=clock)  # no error: browsing still works

    assert store.read_only
    assert store.warning is not None
    assert "cannot be saved until it is fixed" in store.warning
    assert "Permission denied" in store.warning
    assert "无法保存" in (store.warning_in("zh") or "")
    assert snapshot(store) == ([], [], {})
    with pytest.raises(OSError) as refused:
        store.set_note("acme", "summary", "mine")
    if fault == "rename":
        assert isinstance(refused.value, StoreReadOnly)
        assert "could not be moved aside (Permission denied)" in str(refused.value)
    else:
        assert "Permission denied" in str(refused.value)
    store.mark_opened("acme", "summary")  # silent, in memory
    assert path.read_bytes() == b"garbage"

    monkeypatch.undo()  # the folder is fixed
    store.set_note("acme", "summary", "mine")
    assert not store.read_only
    assert store.recovered_from is not None
    assert store.recovered_from.read_bytes() == b"garbage"
    assert [n["text"] for n in on_disk(directory)["notes"]] == ["mine"]


@pytest.mark.skipif(
    sys.platform == "win32" or os.geteuid() == 0, reason="root ignores folder permissions"
)
def test_a_corrupt_store_in_a_really_read_only_folder(directory):
    directory.mkdir()
    (directory / "store.json").write_bytes(b"garbage")
    directory.chmod(0o500)
    try:
        store = Store.open(directory)
        assert store.read_only
        assert "cannot be saved until it is fixed" in (store.warning or "")
        with pytest.raises(OSError):
            store.set_note("acme", "summary", "mine")
        assert (directory / "store.json").read_bytes() == b"garbage"
    finally:
        directory.chmod(0o700)


def test_an_unreadable_store_file_is_said_and_not_raised(directory, monkeypatch):
    directory.mkdir()
    (directory / "store.json").write_text('{"version": 1}')
    monkeypatch.setattr(userdata, "read_regular", refuse)
    store = Store.open(directory)
    assert store.read_only
    assert store.warning == (
        f"Could not read your notes file {directory / 'store.json'} (Permission denied):"
        " notes, bookmarks and progress cannot be saved until it is fixed."
    )
    monkeypatch.undo()
    store.reload()
    assert store.warning is None
    assert not store.read_only


# ------------------------------------------------------ memory and drafts


def test_an_in_memory_store_never_touches_the_disk(tmp_path, monkeypatch, clock):
    monkeypatch.setenv("CASEBOOK_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.chdir(tmp_path)
    store = Store.in_memory(clock=clock)
    fill(store)
    store.reload()
    store.keep_draft("acme", "summary", "draft")
    assert store.note("acme", "summary").text == "Margins fell.\nWhy?"
    assert store.is_bookmarked("acme", "exhibits", ("table", 2))
    assert store.opened_panes("acme") == {"summary", "exhibits"}
    assert store.draft("acme", "summary") == "draft"
    assert store.warning is None
    assert not store.toggle_bookmark("zeta", "timeline")
    store.set_note("acme", "summary", "")
    assert [n.pane for n in store.notes_for("acme")] == ["exhibits"]
    assert list(tmp_path.iterdir()) == []
    assert snapshot(Store.in_memory()) == ([], [], {})  # nothing shared


def test_a_draft_outlives_the_app_until_its_note_is_saved(directory):
    store = Store.open(directory)
    assert store.draft("acme", "summary") is None
    store.keep_draft("acme", "summary", "unsaved\n草稿")
    (draft_file,) = directory.glob("store.json.draft-*")
    assert draft_file.stat().st_mode & 0o777 == 0o600

    again = Store.open(directory)
    assert again.draft("acme", "summary") == "unsaved\n草稿"
    assert again.draft("acme", "exhibits") is None
    assert again.notes() == []  # a draft is not a note
    again.set_note("acme", "summary", "unsaved\n草稿")
    again.drop_draft("acme", "summary")
    assert again.draft("acme", "summary") is None
    assert not draft_file.exists()
    assert Store.open(directory).draft("acme", "summary") is None


def test_a_draft_is_kept_in_memory_when_the_folder_refuses_it(directory, monkeypatch):
    store = Store.open(directory)
    monkeypatch.setattr(drafts, "write_atomic", refuse)
    store.keep_draft("acme", "summary", "only here")  # never raises
    assert store.draft("acme", "summary") == "only here"
    assert not list(directory.glob("store.json.draft-*"))


# ------------------------------------------------------------------ export


def markdown() -> MarkdownIt:
    return MarkdownIt("commonmark").enable(["table", "strikethrough"])


def rendered_paragraphs(text: str) -> list[str]:
    """The text of each paragraph ``text`` renders as; fails on anything but plain text."""
    tokens = markdown().parse(text)
    paragraphs = []
    for token in tokens:
        assert token.type in {"paragraph_open", "inline", "paragraph_close"}, token.type
        if token.type == "inline":
            parts = []
            for child in token.children:
                assert child.type in {"text", "hardbreak"}, (child.type, text)
                parts.append(child.content if child.type == "text" else "\n")
            paragraphs.append("".join(parts))
    return paragraphs


def as_shown(text: str) -> list[str]:
    """What a note should look like rendered: its paragraphs, line by line."""
    paragraphs, lines = [], []
    for line in [*text.split("\n"), ""]:
        if line.strip(" \t"):
            line = line.rstrip(" \t")
            body = line.lstrip(" \t")
            indent = line[: len(line) - len(body)].replace("\t", "    ").replace(" ", NBSP)
            lines.append(indent + body)
        elif lines:
            paragraphs.append("\n".join(lines).strip())  # markdown-it trims paragraphs
            lines = []
    return paragraphs


HOSTILE = "# not a heading\n<script>x</script>\n[link](http://x)"


def test_export_escapes_hostile_text(directory):
    store = Store.open(directory, clock=Clock())
    store.set_note("acme", "summary", HOSTILE)
    out = export_markdown(store)
    body = out.split("### summary\n\n", 1)[1]
    assert body == "\\# not a heading\\\n\\<script>x\\</script>\\\n\\[link\\](http\\://x)\n"
    html = markdown().render(out)
    assert "<script>" not in html
    assert "<a " not in html
    assert html.count("<h1>") == 1
    assert "&lt;script&gt;x&lt;/script&gt;" in html
    assert rendered_paragraphs(body) == [HOSTILE]


@pytest.mark.parametrize(
    "text",
    [
        "- not a list\n+ nor this\n* nor this",
        "1. not ordered\n2) nor this\n10. nor this",
        "> not a quote",
        "Heading?\n===",
        "Heading?\n---",
        "***\n___\n- - -",
        "```\nnot code\n```",
        "~~~\nnot code\n~~~",
        "    not an indented code block",
        "\tnor this",
        "a | b\n--|--\nc | d",
        "`code` *em* _em_ **strong** ~~struck~~",
        "[ref]: http://example.com\n[ref]",
        "![image](x.png) <http://autolink> <b>html</b> &amp; &copy;",
        "trailing backslash \\\nand two trailing spaces  \nstay plain",
        "<!-- comment -->\n<div>block</div>",
        "first paragraph\n\n\n  second, indented\n    deeper",
    ],
)
def test_export_renders_markdown_syntax_as_written(directory, text):
    store = Store.open(directory)
    store.set_note("acme", "summary", text)
    body = export_markdown(store).split("### summary\n\n", 1)[1]
    assert rendered_paragraphs(body) == as_shown(text)


NOTE_TEXT = st.text(
    alphabet=st.sampled_from([*string.ascii_letters[:6], *string.digits[:3], *string.punctuation])
    | st.sampled_from([" ", " ", "\t", "\n", "\n", "é", "中"]),
    max_size=60,
)


@settings(max_examples=200, deadline=None)
@given(text=NOTE_TEXT)
def test_any_note_text_renders_as_written(text):
    # The escaping export_markdown applies to each note (tested through it above).
    assert rendered_paragraphs(escape_md_text(text)) == as_shown(text)


def test_export_groups_by_case_then_pane_using_titles(directory):
    store = Store.open(directory, clock=Clock())
    store.set_note("zeta", "summary", "z1")
    store.set_note("acme", "timeline", "a2")
    store.set_note("acme", "exhibits", "a1")
    store.set_note("mid", "summary", "m1")
    out = export_markdown(store, {"zeta": "Alpha Zeta Ltd", "acme": "Bravo <Acme> #1"})
    assert out == (
        "# Casebook notes\n\n"
        "## Alpha Zeta Ltd\n\n### summary\n\nz1\n\n"
        "## Bravo \\<Acme> \\#1\n\n### exhibits\n\na1\n\n### Timeline\n\na2\n\n"
        "## mid\n\n### summary\n\nm1\n"
    )
    tokens = markdown().parse(out)
    headings = [
        (t.tag, "".join(c.content for c in n.children))
        for t, n in itertools.pairwise(tokens)
        if t.type == "heading_open"
    ]
    assert headings == [
        ("h1", "Casebook notes"),
        ("h2", "Alpha Zeta Ltd"),
        ("h3", "summary"),
        ("h2", "Bravo <Acme> #1"),
        ("h3", "exhibits"),
        ("h3", "Timeline"),
        ("h2", "mid"),
        ("h3", "summary"),
    ]
    assert export_markdown(store) == export_markdown(Store.open(directory))  # stable


def test_export_headings_cannot_be_hijacked(directory):
    store = Store.open(directory)
    title = "Evil *title* ## [x](y) <b>\nsecond line #"
    store.set_note("acme", "<pane>", "x")
    out = export_markdown(store, {"acme": title})
    tokens = markdown().parse(out)
    headings = [n.children for t, n in itertools.pairwise(tokens) if t.type == "heading_open"]
    assert [[c.type for c in h] for h in headings] == [["text"]] * 3
    assert [h[0].content for h in headings] == [
        "Casebook notes",
        "Evil *title* ## [x](y) <b> second line #",
        "<pane>",
    ]


def test_export_of_an_empty_store(directory):
    assert export_markdown(Store.open(directory)) == "# Casebook notes\n\n_No notes yet._\n"
