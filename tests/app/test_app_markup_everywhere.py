"""Markup in case text and file names shows literally on every screen, pane, palette
entry and notification, and never acts: clicking it does nothing, links do not break
anything, brackets are never cut (issue #12, item 9)."""

from __future__ import annotations

import asyncio
import os
from pathlib import Path

import pytest
import yaml
from pilot_support import (
    SIZE,
    Scenario,
    click_text,
    explorer,
    open_case,
    open_palette,
    quiet,
    region_lines,
    screen_lines,
    screen_text,
    settle,
    shows,
    shows_wrapped,
    until,
    widget_lines,
)
from rich.text import Text
from textual.content import Content
from textual.pilot import Pilot
from textual.widget import Widget

from casebook.actions import PANES
from casebook.app import CasebookApp, make_app
from casebook.screens.bookmarks import BookmarksScreen
from casebook.screens.compare import CompareScreen, TimelineScreen
from casebook.screens.explorer import ExplorerScreen
from casebook.screens.filters import FilterScreen
from casebook.screens.goto import SlideCells, SlideGrid
from casebook.screens.help import HelpScreen
from casebook.screens.present import PresentScreen
from casebook.screens.problems import ProblemsScreen
from casebook.screens.search import SearchScreen
from casebook.widgets.picker import Picker

CLICK = "[@click=app.quit]CLICKME[/] Co"
LINK = "[link=http://x]L[/link]"
USD = "Revenue [USD]"
BOLD = "[b]bold[/b]"
VAR = "[$accent]var[/]"
SLASH = "C:\\[b]x\\"
"""A backslash before a bracket, and one at the end: escapes must not eat them."""

BAD_NAME = "[@click=app.quit]BADFILE[b] [USD]"
"""(A file name cannot hold a slash, so no closing tags.)"""
ESC_NAME = "esc\x1b[31mred"
"""A file name with an escape sequence (the loader refuses control characters in text,
so the escape reaches the screen only through a file name)."""

CASE = {
    "id": "hostile",
    "company": {"name": {"en": CLICK, "zh": f"{LINK}公司"}},
    "hook": f"{USD} hook {VAR}",
    "industry": f"{BOLD} industry",
    "location": {"province": f"{LINK} Province", "city": f"{USD} City"},
    "chapter": "hostile-chapter",
    "summary": f"Summary {CLICK} {LINK} {USD} {BOLD} {VAR} {SLASH} end.",
    "timeline": [
        {"date": 2017, "title": f"{LINK} event", "detail": f"{BOLD} detail"},
        {"date": 2019, "title": f"{USD} event"},
    ],
    "metrics": [
        {
            "id": "revenue",
            "label": USD,
            "kind": "revenue",
            "before": 10,
            "after": 20,
            "unit": "[i]yuan[/i]",
            "headline": True,
        },
        {"id": "staff", "label": f"{CLICK} staff", "value": 3, "unit": LINK, "headline": True},
    ],
    "challenges": [
        {
            "title": f"{LINK} challenge",
            "problem": f"{USD} problem",
            "solutions": [f"{CLICK} solution", f"{SLASH} solution"],
            "outcome": f"{BOLD} outcome",
            "metrics": ["revenue"],
        }
    ],
    "people": [{"name": f"{BOLD} Person", "role": CLICK, "said": [f"{LINK} said"]}],
    "sources": [{"id": "src", "outlet": f"{USD} outlet"}],
    "learning_objectives": [f"{VAR} objective"],
    "discussion_questions": [f"{CLICK} question?", f"{USD} question?"],
    "teaching_notes": {
        "segments": [{"title": f"{LINK} segment", "minutes": 10, "notes": f"{USD} notes"}],
        "key_points": [f"{CLICK} point"],
        "board_plan": [f"{BOLD} board"],
    },
    "epilogue": f"{USD} epilogue",
}

OTHER = {
    "id": "other",
    "company": {"name": f"{BOLD} Two"},
    "industry": f"{BOLD} industry",
    "summary": f"{LINK} other summary.",
    "timeline": [{"date": 2018, "title": f"{CLICK} other event"}],
    "metrics": [
        {"id": "revenue", "label": f"{USD} two", "kind": "revenue", "before": 1, "after": 2}
    ],
}

COLLECTION = {
    "kind": "collection",
    "id": "hostile-collection",
    "title": f"{USD} Casebook",
    "subtitle": f"{CLICK} subtitle",
    "introduction": f"{LINK} introduction {BOLD}.",
    "context": [
        {
            "id": "nation",
            "name": f"{USD} Nation",
            "timeline": [{"date": 2016, "title": f"{VAR} context event"}],
        }
    ],
    "chapters": [
        {"id": "hostile-chapter", "title": f"{USD} Chapter", "cases": ["hostile", "other"]}
    ],
}


def _write(folder: Path, name: str, content: object) -> None:
    text = content if isinstance(content, str) else yaml.safe_dump(content, allow_unicode=True)
    (folder / name).write_text(text, encoding="utf-8")


@pytest.fixture
def hostile_app(tmp_path: Path) -> CasebookApp:
    folder = tmp_path / "cases"
    folder.mkdir()
    _write(folder, "hostile.yaml", CASE)
    _write(folder, "other.yaml", OTHER)
    _write(folder, "collection.yaml", COLLECTION)
    _write(folder, f"{BAD_NAME}.yaml", "id: bad\ncompany: {name: [b]x[/b]}\n")
    _write(folder, f"{ESC_NAME}.yaml", 'id: esc\ncompany: {name: x}\nsummary: "a\\e[31mb"\n')
    return quiet(make_app([folder], edition="instructor"))


def _drive(app: CasebookApp, scenario: Scenario, size: tuple[int, int] = SIZE) -> CasebookApp:
    """``pilot_support.drive``, with notifications shown (``run_test`` hides them)."""

    async def main() -> None:
        async with app.run_test(size=size, notifications=True) as pilot:
            await pilot.pause()
            await asyncio.wait_for(scenario(pilot), 60)

    asyncio.run(main())
    return app


def _inside(app: CasebookApp, widget: Widget) -> list[str]:
    """The rows of the screen inside ``widget``'s borders and padding."""
    return region_lines(app, widget.content_region)


def _plain(label: object) -> str:
    return label.plain if isinstance(label, Text | Content) else str(label)


def _toasts(app: CasebookApp) -> list[str]:
    return [toast.render().plain for toast in app.screen.query("Toast")]


async def _modal(pilot: Pilot, key: str, kind: type) -> None:
    await pilot.press(key)
    await until(pilot, lambda: isinstance(pilot.app.screen, kind), kind.__name__)
    await settle(pilot)


async def _close(pilot: Pilot, key: str = "escape") -> None:
    await pilot.press(key)
    await until(pilot, lambda: isinstance(pilot.app.screen, ExplorerScreen), "the explorer")
    await settle(pilot)


def _alive(app: CasebookApp, where: str) -> None:
    assert app.is_running and app.return_code is None, f"the app stopped at {where}"


def test_markup_in_case_text_and_file_names_shows_literally_everywhere(
    hostile_app: CasebookApp,
):
    async def scenario(pilot: Pilot) -> None:
        app: CasebookApp = pilot.app  # type: ignore[assignment]
        assert sorted(app.library.cases) == ["hostile", "other"]
        await until(pilot, lambda: explorer(app).is_mounted, "the explorer")

        # The case list, the title and every pane.
        for pane in PANES:
            await open_case(pilot, "hostile", pane)
            _alive(app, pane)
        await open_case(pilot, "hostile", "overview")
        lines = screen_lines(app)
        assert shows(lines, CLICK), screen_text(app)
        assert shows(lines, f"{USD} hook [$accen")  # the list cuts the rest
        assert shows(lines, f"{USD} Casebook")
        await click_text(pilot, "[@click=app.quit]CLICKME")
        _alive(app, "a click on the case name")

        # Bookmark notifications: on the overview, then on the [link] event.
        await pilot.press("m", "enter")  # the name suggested
        await until(pilot, lambda: _toasts(app), "the bookmark notification")
        assert any(f"{CLICK} · Overview" in toast for toast in _toasts(app)), _toasts(app)
        assert shows_wrapped(screen_lines(app), f"{CLICK} · Overview")
        app.clear_notifications()
        await open_case(pilot, "hostile", "timeline")
        explorer(app).open("hostile", "timeline", "event-0")
        await settle(pilot)
        await pilot.press("m", "enter")  # the name suggested
        await until(pilot, lambda: _toasts(app), "the timeline bookmark notification")
        assert any(LINK in toast for toast in _toasts(app)), _toasts(app)
        _alive(app, "a bookmark on an event with a link")
        app.clear_notifications()
        await open_case(pilot, "hostile", "metrics")
        app.notify(f"{USD} {SLASH} {VAR}")  # any message: markup off, brackets kept
        await until(pilot, lambda: _toasts(app), "a notification")
        assert f"{USD} {SLASH} {VAR}" in _toasts(app)[0]
        app.clear_notifications()
        await settle(pilot)

        # The bookmarks list.
        await _modal(pilot, "b", BookmarksScreen)
        assert shows(screen_lines(app), f"{CLICK} · Overview"), screen_text(app)
        assert shows(screen_lines(app), LINK)
        await _close(pilot)

        # Search.
        await _modal(pilot, "slash", SearchScreen)
        await pilot.press(*"USD")
        await settle(pilot)
        lines = screen_lines(app)
        assert shows(lines, USD), screen_text(app)
        assert shows(lines, f"{CLICK} · "), screen_text(app)
        await _close(pilot)

        # Compare, with both cases picked.
        await _modal(pilot, "c", CompareScreen)
        app.screen.query_one(Picker).select("other")
        await settle(pilot)
        shown = "\n".join(widget_lines(app.screen.query_one("#compare-body")))
        assert shows_wrapped([screen_text(app)], CLICK)
        for text in (f"{BOLD} Two", USD, f"{LINK} event", f"{USD} event"):
            assert shows_wrapped([shown], text), (text, shown)
        await _close(pilot)

        # The whole casebook's timeline.
        await _modal(pilot, "t", TimelineScreen)
        shown = "\n".join(widget_lines(app.screen.query_one("#compare-body")))
        for text in (f"{LINK} event", f"{CLICK} other event", f"{VAR} context event"):
            assert shows_wrapped([shown], text), (text, shown)
        assert shows_wrapped(screen_lines(app), f"{USD} Nation")
        await _close(pilot)

        # Filters: the options, the current value, and the bar once applied.
        await _modal(pilot, "f", FilterScreen)
        industry = explorer(app).facets.industries[0].value
        app.screen.choose("industry", industry)
        await settle(pilot)
        assert shows(screen_lines(app), f"{BOLD} industry (2)"), screen_text(app)
        await pilot.click("#filter-apply")
        await until(pilot, lambda: isinstance(app.screen, ExplorerScreen), "the explorer")
        await settle(pilot)
        assert shows_wrapped(screen_lines(app), f"{BOLD} industry"), screen_text(app)
        await pilot.press("F")
        await settle(pilot)

        # Problems: file names and messages.
        await _modal(pilot, "exclamation_mark", ProblemsScreen)
        lines = _inside(app, app.screen.query_one("#problem-list"))
        assert shows_wrapped(lines, f"{BAD_NAME}.yaml:2:20"), screen_text(app)
        assert shows_wrapped(lines, "esc\\x1b[31mred.yaml:3:10: control character escape")
        assert not any("\x1b" in line for line in lines)
        await _close(pilot)

        # Help.
        await _modal(pilot, "question_mark", HelpScreen)
        _alive(app, "help")
        await _close(pilot)

        # The command palette, with the case name typed.
        hits = await open_palette(pilot, "CLICKME", "CLICKME")
        opener = next(hit for hit in hits if "CLICKME" in hit)
        assert f"{CLICK} {LINK}公司" in opener, hits
        assert f"{USD} hook {VAR}" in opener, hits
        await click_text(pilot, "[@click=app.quit]CLICKME", within=app.screen)
        _alive(app, "a click in the palette")
        if not isinstance(app.screen, ExplorerScreen):
            await _close(pilot)
        hits = await open_palette(pilot, "industry", "industry")
        assert any(f"{BOLD} industry" in hit for hit in hits), hits
        await _close(pilot)
        hits = await open_palette(pilot, "Revenue", "USD")
        assert any(f"{USD} Casebook" in hit for hit in hits), hits
        await _close(pilot)

        # Slides: every step of every slide, the slide grid and the speaker notes.
        await open_case(pilot, "hostile", "overview")
        await pilot.press("p")
        await until(pilot, lambda: isinstance(app.screen, PresentScreen), "the slides")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, PresentScreen)
        seen: list[str] = []
        for _ in range(len(screen.deck.positions)):
            seen += screen_lines(app)
            await pilot.press("right")
            await settle(pilot)
        slides = "\n".join(seen)
        for text in (
            CLICK,
            f"{LINK} event",
            f"{USD} event",
            USD,
            f"{USD} problem",
            f"{CLICK} solution",
            f"{SLASH} solution",
            f"{BOLD} outcome",
            f"{CLICK} question?",
            f"{USD} epilogue",
        ):
            assert shows_wrapped([slides], text), (text, slides)
        await pilot.press("n")
        await settle(pilot)
        assert shows_wrapped(screen_lines(app), f"{CLICK} point"), screen_text(app)
        await pilot.press("o")
        await until(pilot, lambda: isinstance(app.screen, SlideGrid), "the slide grid")
        await settle(pilot)
        cells = app.screen.query_one(SlideCells)
        drawn = widget_lines(cells)  # in a border: the grid's cell (0, 0) is at (1, 1)

        def cell(number: int) -> list[str]:
            at = cells.cell_region(number).translate((1, 1))
            return [line[at.x : at.right] for line in drawn[at.y : at.bottom]]

        assert shows_wrapped(cell(1), f"1. {CLICK}"), drawn
        assert shows_wrapped(cell(4), f"4. {LINK} challenge"), drawn
        await pilot.press("escape")
        await until(pilot, lambda: isinstance(app.screen, PresentScreen), "the slides")
        await pilot.press("escape")
        await until(pilot, lambda: isinstance(app.screen, ExplorerScreen), "the explorer")
        _alive(app, "the slides")

    app = _drive(hostile_app, scenario, size=(120, 40))
    assert app.return_code is None, "case text quit the app"


def test_the_presenter_shows_once_why_the_link_is_off(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    if not hasattr(os, "getuid"):
        pytest.skip("POSIX modes")
    shared = tmp_path / "shared"
    shared.mkdir()
    shared.chmod(0o777)
    monkeypatch.setenv("CASEBOOK_RUNTIME_DIR", str(shared))
    cases = Path(__file__).resolve().parents[2] / "cases"
    app = quiet(make_app([cases], present="huayi-precision"))

    async def scenario(pilot: Pilot) -> None:
        await until(pilot, lambda: isinstance(pilot.app.screen, PresentScreen), "the slides")
        await until(pilot, lambda: _toasts(pilot.app), "the warning")  # type: ignore[arg-type]
        warnings = _toasts(pilot.app)  # type: ignore[arg-type]
        assert len(warnings) == 1 and "not linked" in warnings[0], warnings
        assert "open to other users" in warnings[0]
        await pilot.press("right")
        await settle(pilot)
        assert not list(shared.iterdir()), "state written into a shared folder"

    _drive(app, scenario)
