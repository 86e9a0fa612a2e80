"""The command palette (ctrl+p): jump to any case and any pane, switch language, pick a theme."""

from __future__ import annotations

import pytest
from pilot_support import (
    bundled_app,
    click_text,
    drive,
    explorer,
    open_case,
    open_palette,
    run_from_palette,
    screen_lines,
    settle,
    type_text,
    until,
)
from textual.command import CommandList, CommandPalette
from textual.pilot import Pilot

from casebook import palette
from casebook.screens.explorer import ExplorerScreen
from casebook.widgets.case_list import INTRO_ID, CaseList

PANE_TITLES = {
    "overview": "Overview",
    "timeline": "Timeline",
    "metrics": "Metrics",
    "challenges": "Challenges",
    "people": "People & sources",
    "discussion": "Discussion",
}


def test_palette_opens_cases_and_the_introduction():
    async def scenario(pilot: Pilot) -> None:
        app = pilot.app
        screen = explorer(app)
        await pilot.press("ctrl+p")
        await until(pilot, lambda: isinstance(app.screen, CommandPalette), "the palette")
        assert any("Search for commands" in line for line in screen_lines(app))
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, ExplorerScreen)

        await run_from_palette(pilot, "Huayi", "Open: Huayi Precision 华益精密")
        assert isinstance(app.screen, ExplorerScreen)
        assert screen.current == "huayi-precision"
        highlighted = screen.query_one(CaseList).highlighted_row
        assert highlighted is not None
        assert highlighted.id == "huayi-precision", "the list follows the palette"
        assert screen_lines(app)[0].split("▕")[1].strip() == "Huayi Precision"

        await open_palette(pilot, "Four Cases", "Open: Specialized, Refined")
        await click_text(
            pilot, "Open: Specialized, Refined", within=app.screen.query_one(CommandList)
        )
        assert isinstance(app.screen, ExplorerScreen), "a click on a hit runs it"
        assert screen.current == INTRO_ID

    drive(bundled_app(), scenario)


def test_palette_lists_every_case_and_pane_and_switches_panes():
    async def scenario(pilot: Pilot) -> None:
        app = pilot.app
        titles = [c.title for c in app.get_system_commands(explorer(app))]
        for name in (
            "Zhejiang Zhongcheng 浙江众成",
            "Huayi Precision 华益精密",
            "Jingfeng Technology 景丰科技",
            "Weimai Medical 唯迈医疗",
        ):
            assert f"Open: {name}" in titles
        assert any(t.startswith("Open: Specialized, Refined") for t in titles)
        # The introduction (open at start) has no challenges or discussion: the palette
        # offers only its panes with content.
        for pane, title in PANE_TITLES.items():
            assert (title in titles) == (pane not in ("challenges", "discussion")), title
        assert "Theme" in titles
        assert titles.count("Quit") == 1
        screen = await open_case(pilot, "huayi-precision")
        titles = [c.title for c in app.get_system_commands(screen)]
        for title in PANE_TITLES.values():
            assert title in titles
        for pane in ("people", "discussion"):
            await run_from_palette(pilot, PANE_TITLES[pane], PANE_TITLES[pane])
            assert screen.pane == pane
            assert screen.current == "huayi-precision"

    drive(bundled_app(), scenario)


def test_palette_switches_the_language_by_typing_language():
    """The toggle's title is the target language ("中文"), which an English user
    cannot type; it should be found by the word "language" too."""

    async def scenario(pilot: Pilot) -> None:
        await run_from_palette(pilot, "language", "Switch English / Chinese")
        assert pilot.app.lang == "zh"

    drive(bundled_app(), scenario)


def test_palette_switches_the_language_by_its_title_and_then_speaks_chinese():
    async def scenario(pilot: Pilot) -> None:
        app = pilot.app
        await run_from_palette(pilot, "中文", "中文")
        assert app.lang == "zh"
        titles = [c.title for c in app.get_system_commands(explorer(app))]
        assert any("English" in title for title in titles), "the way back is offered"
        hits = await open_palette(pilot, "Huayi", "打开：Huayi Precision 华益精密")
        assert "两台红冲机器人接过车间里招人难的岗位" in hits[0]
        await pilot.press("enter")
        await settle(pilot)
        assert explorer(app).current == "huayi-precision"
        assert "指标" in [c.title for c in app.get_system_commands(explorer(app))]

    drive(bundled_app(), scenario)


def test_palette_picks_a_theme():
    async def scenario(pilot: Pilot) -> None:
        app = pilot.app
        assert app.theme != "textual-light"
        await run_from_palette(pilot, "Theme", "Theme")
        await until(pilot, lambda: isinstance(app.screen, CommandPalette), "the theme picker")
        await type_text(pilot, "textual-light")
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        assert app.theme == "textual-light"
        assert isinstance(app.screen, ExplorerScreen)

    drive(bundled_app(), scenario)


def test_a_large_library_lists_its_entries_as_the_reader_types_and_the_best_hits_only(
    monkeypatch: pytest.MonkeyPatch,
):
    """With more entries than the palette lists unasked, it opens on the actions; a
    query lists only its best hits (the palette lays out every hit it gets: thousands
    took a second)."""
    monkeypatch.setattr(palette, "MAX_DISCOVERED", 3)  # the bundled casebook has 5 entries
    monkeypatch.setattr(palette, "MAX_HITS", 4)

    async def scenario(pilot: Pilot) -> None:
        hits = await open_palette(pilot, "", "Language")
        assert not any(hit.startswith(("Open:", "Filter by")) for hit in hits), hits
        await pilot.press("escape")
        await settle(pilot)
        hits = await open_palette(pilot, "Huayi", "Open: Huayi Precision")
        await pilot.press("escape")
        await settle(pilot)
        hits = await open_palette(pilot, "e", "")
        assert len(hits) == 4, hits  # "e" is in nearly every command

    drive(bundled_app(), scenario)
