"""The mouse does everything the keys do: tabs, list entries, footer keys, timeline events."""

from __future__ import annotations

from pilot_support import (
    bundled_app,
    click_text,
    drive,
    explorer,
    open_case,
    screen_lines,
    settle,
    shows,
    shows_wrapped,
    widget_lines,
)
from textual.command import CommandPalette
from textual.pilot import Pilot
from textual.widgets import Static

from casebook.screens.explorer import ExplorerScreen
from casebook.screens.help import HelpScreen
from casebook.screens.problems import ProblemsScreen
from casebook.widgets.case_list import INTRO_ID, CaseList
from casebook.widgets.line_list import LineList
from casebook.widgets.pane_tabs import PaneTabs


def test_clicking_tabs_and_list_entries():
    async def scenario(pilot: Pilot) -> None:
        app = pilot.app
        screen = explorer(app)
        await click_text(pilot, "Huayi Precision")
        assert screen.current == "huayi-precision"
        assert screen_lines(app)[0].split("▕")[1].strip() == "Huayi Precision"
        tabs = screen.query_one(PaneTabs)
        for pane in ("metrics", "people", "overview", "discussion"):
            await click_text(pilot, tabs.labels[pane], within=tabs)
            assert screen.pane == pane
            assert tabs.active == pane
        assert shows(screen_lines(app), "Discussion questions")
        assert not isinstance(app.focused, CaseList)

        await click_text(pilot, "A textile mill")  # the hook line of Jingfeng Technology
        assert screen.current == "jingfeng-technology"
        assert screen.pane == "discussion", "opening another case keeps the pane"
        assert isinstance(app.focused, CaseList), "a click on the list focuses it"
        await click_text(pilot, "FOCUS AND DEPTH")
        assert screen.current == "jingfeng-technology", "a chapter heading opens nothing"
        await click_text(pilot, "Introduction")
        assert screen.current == INTRO_ID
        await pilot.press("j", "enter")
        await settle(pilot)
        assert screen.current == "zhejiang-zhongcheng", "keys continue from the click"

    drive(bundled_app(), scenario)


def test_clicking_a_timeline_event_shows_its_detail():
    async def scenario(pilot: Pilot) -> None:
        screen = await open_case(pilot, "zhejiang-zhongcheng", "timeline")
        timeline = screen.query_one("#pane-timeline")
        detail = timeline.query_one(".timeline-detail", Static)
        await click_text(pilot, "Lists on the stock market")
        highlighted = timeline.query_one(LineList).highlighted
        assert highlighted == 3, f"clicking the last event highlighted event {highlighted}"
        assert widget_lines(detail)[1].strip() == "late 2010  (approximate)"
        await click_text(pilot, "Buys China's first POF")
        assert shows_wrapped(widget_lines(detail), "The imported line did not fully match")

    drive(bundled_app(), scenario)


def test_footer_keys_work_when_clicked():
    async def scenario(pilot: Pilot) -> None:
        app = pilot.app
        screen = await open_case(pilot, "huayi-precision", "metrics")
        await click_text(pilot, "l 中文")
        assert app.lang == "zh"
        await click_text(pilot, "l English")
        assert app.lang == "en"
        await click_text(pilot, "s List")
        assert screen.list_visible is False
        await click_text(pilot, "1-6 Panes")
        assert screen.pane == "overview"
        # "? Help" and "! Problems" are clicked in the test below.
        await click_text(pilot, "^p")
        assert isinstance(app.screen, CommandPalette)
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, ExplorerScreen)
        await click_text(pilot, "q Quit")

    app = drive(bundled_app(), scenario)
    assert app.return_code == 0


def test_help_and_problems_close_with_the_mouse():
    """Escape closes them; a mouse user needs a way too (a click outside the box)."""

    async def scenario(pilot: Pilot) -> None:
        app = pilot.app
        for opener, kind in (("? Help", HelpScreen), ("! Problems", ProblemsScreen)):
            await click_text(pilot, opener)
            assert isinstance(app.screen, kind)
            await pilot.click(offset=(1, 1))  # outside the dialog box
            await settle(pilot)
            assert isinstance(app.screen, ExplorerScreen), f"{kind.__name__} is still open"

    drive(bundled_app(), scenario)
