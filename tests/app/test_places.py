"""The reader's place: the app reopens where it was left (entry, pane, scroll; the
language is a preference, see test_language_everywhere), and bookmarks keep the scroll
position, carry a name, and are renamed or removed only by choice. "A restart" is a
second ``make_app`` on the same CASEBOOK_DATA_DIR."""

from __future__ import annotations

import json
import os
from pathlib import Path

from pilot_support import (
    CASES,
    SMALL,
    drive,
    explorer,
    notified,
    open_case,
    pane_widget,
    quiet,
    recording,
    screen_lines,
    settle,
    shows,
    type_text,
    until,
)
from study_support import ZHONGCHENG, stored
from textual.pilot import Pilot
from textual.widgets import Input

from casebook.app import CasebookApp, make_app
from casebook.screens.bookmarks import BookmarkChoice, BookmarkName, BookmarksScreen
from casebook.state.places import PLACES_NAME


def _places() -> Path:
    return Path(os.environ["CASEBOOK_DATA_DIR"]) / PLACES_NAME


def _app(**options: object) -> CasebookApp:
    return recording(quiet(make_app([CASES], remember=True, **options)))  # type: ignore[arg-type]


async def _scrolled(pilot: Pilot, pane: str, offset: float) -> None:
    """The pane scrolled down to ``offset`` (once its content is that tall)."""
    widget = pane_widget(pilot.app, pane)  # type: ignore[arg-type]
    await until(pilot, lambda: widget.max_scroll_y >= offset, "a pane taller than the screen")
    widget.scroll_to(y=offset, animate=False, immediate=True)
    await settle(pilot)
    assert widget.scroll_y == offset


def test_a_restart_opens_on_the_same_entry_pane_language_and_scroll():
    async def leave(pilot: Pilot) -> None:
        await open_case(pilot, ZHONGCHENG, "challenges")
        await pilot.press("l")  # Chinese
        await settle(pilot)
        await _scrolled(pilot, "challenges", 6)
        await until(pilot, lambda: _places().exists(), "the place written (once a second)")
        await until(pilot, lambda: json.loads(_places().read_text())["scroll"] == 6, "scroll")
        await pilot.press("q")

    drive(_app(), leave, size=SMALL)
    saved = json.loads(_places().read_text())
    assert (saved["entry"], saved["pane"]) == (ZHONGCHENG, "challenges")

    async def back(pilot: Pilot) -> None:
        app: CasebookApp = pilot.app  # type: ignore[assignment]
        screen = explorer(app)
        widget = pane_widget(app, "challenges")
        await settle(pilot)
        await until(pilot, lambda: widget.scroll_y == 6, "the scroll offset restored")
        assert (screen.current, screen.pane, app.lang) == (ZHONGCHENG, "challenges", "zh")

    drive(_app(), back, size=SMALL)

    async def fresh(pilot: Pilot) -> None:  # --fresh: the first entry, in the language kept
        app: CasebookApp = pilot.app  # type: ignore[assignment]
        await settle(pilot)
        assert (explorer(app).pane, app.lang) == ("overview", "zh")

    drive(_app(restore=False), fresh, size=SMALL)


def test_a_corrupt_places_file_starts_afresh_with_a_message():
    _places().parent.mkdir(parents=True, exist_ok=True)
    _places().write_bytes(b'{"entry": ["not", "a name"], "pane"')

    async def scenario(pilot: Pilot) -> None:
        app: CasebookApp = pilot.app  # type: ignore[assignment]
        await settle(pilot)
        assert explorer(app).pane == "overview"
        assert any("where you left off" in said for said in notified(app)), notified(app)
        await open_case(pilot, ZHONGCHENG, "people")
        await until(
            pilot,
            lambda: b"people" in _places().read_bytes(),
            "the broken file replaced by a good one",
        )

    drive(_app(), scenario)


def test_a_served_app_neither_reads_nor_writes_the_place():
    _places().parent.mkdir(parents=True, exist_ok=True)
    _places().write_text(json.dumps({"entry": ZHONGCHENG, "pane": "challenges"}))
    before = _places().read_bytes()

    async def scenario(pilot: Pilot) -> None:
        app: CasebookApp = pilot.app  # type: ignore[assignment]
        await settle(pilot)
        assert app.places is None
        assert explorer(app).current != ZHONGCHENG
        await open_case(pilot, ZHONGCHENG, "people")
        await pilot.press("q")

    drive(_app(served=True), scenario)
    assert _places().read_bytes() == before


def test_a_bookmark_keeps_its_name_and_scroll_and_jumps_back_there():
    async def scenario(pilot: Pilot) -> None:
        app: CasebookApp = pilot.app  # type: ignore[assignment]
        screen = await open_case(pilot, ZHONGCHENG, "challenges")
        await _scrolled(pilot, "challenges", 5)
        await pilot.press("m")
        await until(pilot, lambda: isinstance(app.screen, BookmarkName), "the name prompt")
        assert app.screen.query_one(Input).value == "Zhejiang Zhongcheng · Challenges"
        await type_text(pilot, "before class")  # over the suggested name, selected
        await pilot.press("enter")
        await settle(pilot)
        (mark,) = stored()["bookmarks"]
        assert (mark["name"], mark["scroll"], mark["pane"]) == ("before class", 5, "challenges")

        await open_case(pilot, ZHONGCHENG, "people")
        await pilot.press("b")
        await until(pilot, lambda: isinstance(app.screen, BookmarksScreen), "the list")
        assert shows(screen_lines(app), "before class")
        await pilot.press("enter")
        await settle(pilot)
        assert (screen.current, screen.pane) == (ZHONGCHENG, "challenges")
        widget = pane_widget(app, "challenges")
        await until(pilot, lambda: widget.scroll_y == 5, "the bookmark's scroll")

    drive(_app(), scenario, size=SMALL)


def test_m_on_a_bookmarked_pane_offers_rename_or_remove_and_does_neither_unasked():
    async def scenario(pilot: Pilot) -> None:
        app: CasebookApp = pilot.app  # type: ignore[assignment]
        await open_case(pilot, ZHONGCHENG, "people")
        await pilot.press("m", "enter")
        await settle(pilot)
        assert len(stored()["bookmarks"]) == 1
        before = stored()

        await pilot.press("m")
        await until(pilot, lambda: isinstance(app.screen, BookmarkChoice), "the choice")
        assert shows(screen_lines(app), "Rename") and shows(screen_lines(app), "Remove")
        await pilot.press("escape")
        await settle(pilot)
        assert not isinstance(app.screen, BookmarkChoice)
        assert stored() == before, "escape changed the bookmark"

        await pilot.press("m")
        await until(pilot, lambda: isinstance(app.screen, BookmarkChoice), "the choice")
        await pilot.press("enter")  # Rename, the first choice
        await until(pilot, lambda: isinstance(app.screen, BookmarkName), "the name prompt")
        await type_text(pilot, "key people")
        await pilot.press("enter")
        await settle(pilot)
        assert [m.get("name") for m in stored()["bookmarks"]] == ["key people"]

        await pilot.press("m")
        await until(pilot, lambda: isinstance(app.screen, BookmarkChoice), "the choice")
        await pilot.press("down", "enter")  # Remove
        await settle(pilot)
        assert stored()["bookmarks"] == []

    drive(_app(), scenario)


def test_the_bookmark_dialogs_fit_in_chinese_at_80x24():
    async def scenario(pilot: Pilot) -> None:
        app: CasebookApp = pilot.app  # type: ignore[assignment]
        await open_case(pilot, ZHONGCHENG, "people")
        await pilot.press("m")
        await until(pilot, lambda: isinstance(app.screen, BookmarkName), "the name prompt")
        assert shows(screen_lines(app), "给书签命名")
        await pilot.press("enter", "m")
        await until(pilot, lambda: isinstance(app.screen, BookmarkChoice), "the choice")
        lines = screen_lines(app)
        assert shows(lines, "重命名") and shows(lines, "删除") and shows(lines, "保持不变")

    drive(_app(lang="zh"), scenario, size=SMALL)
