"""The reader's own data: notes, bookmarks and reading progress, kept in the private
CASEBOOK_DATA_DIR every test gets (tests/conftest.py), never in the case folder; a
"restart" is a second ``make_app`` on it."""

from __future__ import annotations

from pilot_support import (
    bundled_app,
    click_text,
    drive,
    explorer,
    folder_app,
    open_case,
    pane_lines,
    pane_widget,
    screen_lines,
    settle,
    shows,
    type_text,
    visible_lines,
)
from study_support import (
    HUAYI,
    ZHONGCHENG,
    copy_cases,
    entry_marker,
    folder_state,
    stored,
    tab_label,
    timeline_key,
)
from textual.pilot import Pilot
from textual.widgets import (
    TextArea,
)

from casebook.app import CasebookApp
from casebook.screens.bookmarks import BookmarksScreen
from casebook.screens.note_editor import NoteEditor
from casebook.widgets.case_list import INTRO_ID, CaseList

# -- notes ------------------------------------------------------------------

NOTE = "cf. [b]x[/b]"
"""A note holding Rich markup, which must show as typed."""


def test_note_is_saved_shown_kept_after_restart_and_deleted_when_emptied():
    async def write(pilot: Pilot) -> None:
        app: CasebookApp = pilot.app  # type: ignore[assignment]
        screen = await open_case(pilot, HUAYI, "metrics")
        assert tab_label(screen, "metrics") == "Metrics"
        await pilot.press("e")
        await settle(pilot)
        assert isinstance(app.screen, NoteEditor)
        assert isinstance(app.focused, TextArea)
        await type_text(pilot, NOTE)
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert app.screen is screen
        lines = pane_lines(app, "metrics")
        assert lines[0].strip(" █▌▐") == "✎ Your note (e to edit)", lines[:3]
        assert lines[1].strip(" █▌▐") == NOTE, lines[:3]
        assert tab_label(screen, "metrics") == "Metrics ✎"
        assert tab_label(screen, "overview") == "Overview"
        assert entry_marker(screen, HUAYI).startswith("✎")
        notes = stored()["notes"]
        assert [(n["case_id"], n["pane"], n["text"]) for n in notes] == [(HUAYI, "metrics", NOTE)]

    async def restart_and_delete(pilot: Pilot) -> None:
        app: CasebookApp = pilot.app  # type: ignore[assignment]
        screen = explorer(app)
        assert screen.current == INTRO_ID
        assert entry_marker(screen, HUAYI).startswith("✎")  # before opening the case
        await open_case(pilot, HUAYI, "metrics")
        lines = pane_lines(app, "metrics")
        assert lines[1].strip(" █▌▐") == NOTE, lines[:3]
        assert shows(visible_lines(app, pane_widget(app, "metrics")), NOTE)
        assert tab_label(screen, "metrics") == "Metrics ✎"

        await pilot.press("e")
        await settle(pilot)
        editor = app.screen
        assert isinstance(editor, NoteEditor)
        assert editor.query_one("#note-text").text == NOTE  # type: ignore[attr-defined]
        await pilot.press("f7", "backspace", "ctrl+s")  # select all, delete, save
        await settle(pilot)
        assert app.screen is screen
        assert not shows(pane_lines(app, "metrics"), "Your note")
        assert tab_label(screen, "metrics") == "Metrics"
        assert "✎" not in entry_marker(screen, HUAYI)
        assert stored()["notes"] == []

    drive(bundled_app(), write)
    drive(bundled_app(), restart_and_delete)


# -- bookmarks --------------------------------------------------------------


def test_bookmark_a_timeline_event_then_jump_back_to_it_from_elsewhere():
    async def scenario(pilot: Pilot) -> None:
        app: CasebookApp = pilot.app  # type: ignore[assignment]
        screen = await open_case(pilot, ZHONGCHENG, "timeline")
        await click_text(pilot, "2004–2008", within=pane_widget(app, "timeline"))
        assert timeline_key(app) == ("timeline", 2)
        await pilot.press("m", "enter")  # the name suggested
        await settle(pilot)
        (mark,) = stored()["bookmarks"]
        where = (mark["case_id"], mark["pane"], mark["item"])
        assert where == (ZHONGCHENG, "timeline", ["timeline", 2])
        assert mark["label"].startswith("Zhejiang Zhongcheng · Timeline · 2004–2008 Designs")

        await open_case(pilot, "weimai-medical", "people")
        await pilot.press("b")
        await settle(pilot)
        assert isinstance(app.screen, BookmarksScreen)
        assert shows(screen_lines(app), "Zhejiang Zhongcheng · Timeline · 2004–2008")
        await pilot.press("enter")
        await settle(pilot)
        assert app.screen is screen
        assert (screen.current, screen.pane) == (ZHONGCHENG, "timeline")
        assert timeline_key(app) == ("timeline", 2), "the first event is highlighted instead"

    drive(bundled_app(), scenario)


# -- reading progress -------------------------------------------------------


def test_reading_progress_counts_opened_panes_and_survives_restart():
    async def read(pilot: Pilot) -> None:
        app: CasebookApp = pilot.app  # type: ignore[assignment]
        screen = explorer(app)
        # Its overview shows at start; of six panes, the introduction has four with
        # content (no challenges, no discussion), and only those count.
        assert entry_marker(screen, INTRO_ID) == "1/4"
        assert entry_marker(screen, HUAYI) == ""
        case_list = screen.query_one(CaseList)
        case_list.highlight_id(HUAYI)
        await pilot.press("enter")
        await settle(pilot)
        assert (screen.current, screen.pane) == (HUAYI, "overview")
        assert entry_marker(screen, HUAYI) == "1/6"
        for count, key in enumerate("234", start=2):
            await pilot.press(key)
            await settle(pilot)
            assert entry_marker(screen, HUAYI) == f"{count}/6"
        await pilot.press("2")  # again: already read
        await settle(pilot)
        assert entry_marker(screen, HUAYI) == "4/6"
        assert shows(visible_lines(app, case_list), "Huayi Precision  4/6")
        assert entry_marker(screen, ZHONGCHENG) == ""

    async def restart(pilot: Pilot) -> None:
        app: CasebookApp = pilot.app  # type: ignore[assignment]
        screen = explorer(app)
        assert entry_marker(screen, HUAYI) == "4/6"
        assert entry_marker(screen, INTRO_ID) == "1/4"
        assert entry_marker(screen, ZHONGCHENG) == ""
        assert shows(visible_lines(app, screen.query_one(CaseList)), "Huayi Precision  4/6")

    drive(bundled_app(), read)
    assert stored()["progress"][HUAYI] == ["challenges", "metrics", "overview", "timeline"]
    drive(bundled_app(), restart)


# -- the case files stay as they are ------------------------------------------


def test_notes_bookmarks_and_progress_never_touch_the_case_folder(tmp_path):
    folder = copy_cases(tmp_path)
    before = folder_state(folder)

    async def scenario(pilot: Pilot) -> None:
        app: CasebookApp = pilot.app  # type: ignore[assignment]
        await open_case(pilot, HUAYI, "challenges")
        await pilot.press("e")
        await settle(pilot)
        await type_text(pilot, "mine")
        await pilot.press("ctrl+s")
        await settle(pilot)
        await pilot.press("m", "enter")  # the name suggested
        await open_case(pilot, ZHONGCHENG, "timeline")
        await pilot.press("m", "enter")  # the name suggested
        await settle(pilot)
        assert app.store is not None
        assert len(app.store.bookmarks()) == 2

    drive(folder_app(folder), scenario)
    data = stored()
    assert [n["text"] for n in data["notes"]] == ["mine"]
    assert len(data["bookmarks"]) == 2
    assert set(data["progress"]) >= {HUAYI, ZHONGCHENG}
    assert folder_state(folder) == before
