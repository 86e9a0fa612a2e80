"""The Teaching pane (issue #15): the instructor edition's seventh pane, with the class
plan's segments and minutes, key points, board plan and epilogue; never in the student
edition: not on screen, not in search, not in exports, not in the progress count."""

from __future__ import annotations

import pytest
from pilot_support import (
    CASES,
    SMALL,
    drive,
    explorer,
    pane_lines,
    quiet,
    screen_lines,
    settle,
    shows_wrapped,
)
from study_support import entry_marker, jump_to, open_search, results
from textual.pilot import Pilot

from casebook.actions import explorer_actions
from casebook.app import CasebookApp, make_app
from casebook.model.export import export
from casebook.model.format.addresses import PANES, TEACHING, panes_for
from casebook.model.format.edition import Edition
from casebook.model.format.text import pick
from casebook.model.load.library import load_library
from casebook.model.views.search import SearchIndex
from casebook.palette import casebook_commands
from casebook.screens.help import HelpScreen
from casebook.state.notes import Store
from casebook.widgets.pane_tabs import PaneTabs

HUAYI = "huayi-precision"
INSTRUCTOR = load_library([CASES], "instructor")
NOTES = INSTRUCTOR.cases[HUAYI].teaching_notes
assert NOTES is not None
SEGMENT = pick(NOTES.segments[0].title, "en")  # "Opening: the yellow robot at the press"
SEGMENT_ZH = pick(NOTES.segments[0].title, "zh")
POINT = pick(NOTES.key_points[0], "en")
BOARD = pick(NOTES.board_plan[0], "en")
EPILOGUE = pick(INSTRUCTOR.cases[HUAYI].epilogue, "en")
INSTRUCTOR_ONLY = [SEGMENT, SEGMENT_ZH, POINT, BOARD, EPILOGUE]


def app_in(edition: Edition, lang: str = "en") -> CasebookApp:
    return quiet(make_app([CASES], edition=edition, lang=lang))  # type: ignore[arg-type]


def test_the_panes_of_each_edition() -> None:
    assert panes_for("student") == PANES and TEACHING not in PANES
    assert panes_for("instructor") == (*PANES, TEACHING)
    keys = [a.key for a in explorer_actions("instructor") if a.action.startswith("show_pane")]
    assert keys == ["1", "2", "3", "4", "5", "6", "7"]
    assert [a.key for a in explorer_actions("student") if a.key == "7"] == []


def test_the_instructor_explorer_has_a_teaching_pane_on_key_7() -> None:
    async def scenario(pilot: Pilot) -> None:
        screen = explorer(pilot.app)  # type: ignore[arg-type]
        tabs = screen.query_one(PaneTabs)
        screen.open(HUAYI)  # (the introduction, open at start, has fewer panes)
        await settle(pilot)
        assert tabs.names == panes_for("instructor")
        await pilot.press("7")
        await settle(pilot)
        assert screen.pane == TEACHING
        lines = pane_lines(pilot.app, TEACHING)  # type: ignore[arg-type]
        total = sum(segment.minutes for segment in NOTES.segments)
        assert f"Class plan ({total} min)" in lines
        assert any(SEGMENT in line and "minute 0–10 · 10 min" in line for line in lines)
        for text in (POINT, BOARD, EPILOGUE):
            assert shows_wrapped(lines, text), text
        assert "Teaching" in screen_lines(pilot.app)[1]  # its tab, on screen
        assert screen_lines(pilot.app)[-1].lstrip().startswith("1-7 Panes")
        assert entry_marker(screen, HUAYI) == "2/7"  # overview and teaching read

    drive(app_in("instructor"), scenario)


def test_the_teaching_pane_in_chinese_at_80_by_24() -> None:
    async def scenario(pilot: Pilot) -> None:
        screen = explorer(pilot.app)  # type: ignore[arg-type]
        screen.open(HUAYI)
        await settle(pilot)
        await pilot.press("7")
        await settle(pilot)
        lines = screen_lines(pilot.app)
        assert lines[1].rstrip().endswith("教学")  # every tab fits in Chinese
        assert any(SEGMENT_ZH in line for line in lines)
        assert "课堂安排" in "\n".join(lines)

    drive(app_in("instructor", "zh"), scenario, size=SMALL)


def test_at_80_columns_the_open_tab_is_always_in_view() -> None:
    async def scenario(pilot: Pilot) -> None:
        screen = explorer(pilot.app)  # type: ignore[arg-type]
        screen.open(HUAYI)
        for key, name in (("7", "Teaching"), ("1", "Overview"), ("5", "People")):
            await pilot.press(key)
            await settle(pilot)
            assert name in screen_lines(pilot.app)[1], key

    drive(app_in("instructor"), scenario, size=SMALL)


def test_the_student_edition_has_no_teaching_pane_anywhere() -> None:
    Store.open().mark_opened(HUAYI, TEACHING)  # read in the instructor edition: not counted

    async def scenario(pilot: Pilot) -> None:
        app: CasebookApp = pilot.app  # type: ignore[assignment]
        screen = explorer(app)
        screen.open(HUAYI)
        await settle(pilot)
        assert screen.query_one(PaneTabs).names == PANES
        await pilot.press("7")  # nothing on 7
        await settle(pilot)
        assert screen.pane == "overview"
        assert not screen.query(f"#pane-{TEACHING}")
        screen.open(HUAYI, TEACHING)  # nor by a bookmark's or a hit's name
        await settle(pilot)
        assert screen.pane == "overview"
        shown = "\n".join(screen_lines(app))
        assert "Teaching" not in shown and "1-6 Panes" in shown
        assert entry_marker(screen, HUAYI) == "1/6"
        titles = [c.title for c in casebook_commands(app, screen, "en")]
        assert "Teaching" not in titles and "Discussion" in titles
        await pilot.press("question_mark")
        await settle(pilot)
        assert isinstance(app.screen, HelpScreen)
        helped = "\n".join(screen_lines(app))
        assert "Show the teaching pane" not in helped and "Show the discussion pane" in helped
        await pilot.press("escape")
        for text in (SEGMENT, POINT):
            await open_search(pilot, text)
            assert results(app) == []
            await pilot.press("escape")
            await settle(pilot)

    drive(app_in("student"), scenario)


def test_instructor_search_finds_the_teaching_pane_and_opens_it() -> None:
    async def scenario(pilot: Pilot) -> None:
        app: CasebookApp = pilot.app  # type: ignore[assignment]
        await open_search(pilot, "yellow robot at the press")
        assert results(app)[0].startswith("Huayi Precision · Teaching")
        await jump_to(pilot, 0)
        screen = explorer(app)
        assert (screen.current, screen.pane) == (HUAYI, TEACHING)

    drive(app_in("instructor"), scenario)


@pytest.mark.parametrize("edition", ["student", "instructor"])
def test_search_indexes_the_teaching_notes_in_the_instructor_edition_only(
    edition: Edition,
) -> None:
    index = SearchIndex.build(load_library([CASES], edition))
    teaching = {text for _entry, pane, _item, text in index.texts() if pane == TEACHING}
    for text in INSTRUCTOR_ONLY:
        found = {h.pane for h in index.search(text, limit=1000)}
        assert (TEACHING in found) is (edition == "instructor"), text
    assert bool(teaching) is (edition == "instructor")


def test_student_exports_hold_nothing_of_the_teaching_pane() -> None:
    student = export(load_library([CASES], "student"), [HUAYI], "md", "both")
    instructor = export(INSTRUCTOR, [HUAYI], "md", "both")
    for text in INSTRUCTOR_ONLY:
        assert text not in student
    assert SEGMENT in instructor and EPILOGUE.split()[0] in instructor
