"""Case text is data: markup, links, click actions and HTML in a case show literally, never act."""

from __future__ import annotations

from pathlib import Path

import yaml
from pilot_support import (
    click_text,
    drive,
    explorer,
    folder_app,
    open_case,
    open_palette,
    palette_hits,
    pane_lines,
    screen_lines,
    settle,
    shows,
)
from textual.command import CommandList, CommandPalette
from textual.pilot import Pilot

from casebook.actions import PANES
from casebook.screens.explorer import ExplorerScreen

BOLD = "[b]bold[/b]"
CLICK = "[@click=app.quit]click me[/]"
LINK = "[link=https://example.com]x[/link]"
SCRIPT = "<script>alert(1)</script>"

CASE = {
    "id": "hostile-text",
    "company": {"name": {"en": f"{BOLD} Widgets 🤖", "zh": f"{BOLD}机器人公司"}},
    "hook": {"en": f"{CLICK} {SCRIPT}", "zh": f"{CLICK} 钩子"},
    "industry": f"{LINK} 精密制造 🏭",
    "location": {"city": {"en": f"{BOLD} City", "zh": "[red]红[/red]市"}},
    "summary": {
        "en": f"Summary {CLICK} and {LINK} {SCRIPT} 华益精密 👍🏽 end.",
        "zh": f"概要 {CLICK} 与 {LINK} {SCRIPT} 华益精密。",
    },
    "timeline": [
        {"date": 2017, "title": f"{BOLD} event {CLICK}", "detail": f"{LINK} detail {SCRIPT}"},
        {"date": "early 2020s", "title": f"{SCRIPT} 后期"},
    ],
    "metrics": [
        {
            "id": "cycle",
            "label": f"{BOLD} cycle",
            "before": 10,
            "after": {"value": 5, "qualifier": "under", "wording": f"under {BOLD} 5"},
            "unit": "[i]days[/i]",
            "period": CLICK,
            "headline": True,
            "source": "src",
        },
        {"id": "staff", "label": f"{CLICK} staff", "value": 3, "unit": LINK, "headline": True},
        {"id": "energy", "label": f"{LINK} 能耗", "value": 12, "unit": "%", "headline": True},
    ],
    "challenges": [
        {
            "title": f"{CLICK} challenge",
            "problem": f"{BOLD} problem {SCRIPT}",
            "solutions": [f"{LINK} solution", "解决 [/] 方案"],
            "outcome": f"{SCRIPT} outcome 🤖",
            "metrics": ["cycle", "staff"],
        }
    ],
    "people": [
        {
            "name": {"en": f"{BOLD} Person", "zh": "[b]王[/b]某"},
            "role": CLICK,
            "said": [f"{LINK} said 华益", f"{SCRIPT} said"],
            "source": "src",
        }
    ],
    "sources": [{"id": "src", "outlet": f"{CLICK} outlet", "authors": [BOLD], "year": 2022}],
    "learning_objectives": [f"{BOLD} objective 🏭", "[/b] stray closing tag"],
    "discussion_questions": [f"{CLICK} question 😀", f"{LINK} second question"],
}

EXPECTED = {
    "overview": [f"{BOLD} Widgets 🤖", f"{LINK} 精密制造 🏭", f"Summary {CLICK} and"],
    "timeline": [f"{BOLD} event {CLICK}", f"{LINK} detail", f"{SCRIPT} 后期"],
    "metrics": [f"{BOLD} cycle", f"under {BOLD} 5", "10 [i]days[/i]", "[@click=app.quit]"],
    "challenges": [f"1. {CLICK} challenge", f"{BOLD} problem {SCRIPT}", f"{LINK} solution"],
    "people": [f"{BOLD} Person", CLICK, f"• {LINK} said 华益", f"{BOLD}. {CLICK} outlet, 2022."],
    "discussion": [f"• {BOLD} objective 🏭", "• [/b] stray closing tag", f"1. {CLICK} question"],
}
"""Per pane, case text that must show exactly as written, on one row."""


def hostile_folder(tmp_path: Path, case: dict | None = None) -> Path:
    folder = tmp_path / "cases"
    folder.mkdir()
    text = yaml.safe_dump(case or CASE, allow_unicode=True, sort_keys=False)
    (folder / "hostile.yaml").write_text(text, encoding="utf-8")
    return folder


def test_the_hostile_case_is_valid(tmp_path: Path):
    app = folder_app(hostile_folder(tmp_path))
    assert app.library.diagnostics == []
    assert list(app.library.cases) == ["hostile-text"]


def test_case_text_shows_literally_in_list_title_and_every_pane_and_clicks_do_nothing(
    tmp_path: Path,
):
    async def scenario(pilot: Pilot) -> None:
        app = pilot.app
        screen = explorer(app)
        assert screen.current == "hostile-text"
        lines = screen_lines(app)
        assert lines[0].startswith(f"{BOLD} Widgets 🤖")
        assert lines[0].split("▕")[1].strip() == f"{BOLD} Widgets 🤖"
        assert lines[1].startswith("[@click=app.quit]click")
        await click_text(pilot, "[@click=app.quit]click")  # the hook in the list
        for pane in PANES:
            await open_case(pilot, "hostile-text", pane)
            rendered = pane_lines(app, pane)
            for text in EXPECTED[pane]:
                assert shows(rendered, text), (pane, text, rendered)
            # Click literal markup that could act, where it is on screen.
            lines = screen_lines(app)
            clickable = [t for t in (CLICK, LINK, "[@click=app.quit]") if shows(lines, t)]
            assert clickable, f"no markup on screen to click on {pane}"
            for text in clickable[:2]:
                await click_text(pilot, text)
            assert app.is_running, f"a click on {pane} case text stopped the app"
            assert isinstance(app.screen, ExplorerScreen)
            assert screen.current == "hostile-text"

        await pilot.press("l")
        await settle(pilot)
        await open_case(pilot, "hostile-text", "overview")
        rendered = pane_lines(app, "overview")
        assert shows(rendered, f"{BOLD}机器人公司  {BOLD} Widgets 🤖")
        assert shows(rendered, "[red]红[/red]市")
        assert shows(rendered, f"概要 {CLICK} 与")

    app = drive(folder_app(hostile_folder(tmp_path)), scenario)
    assert app.return_code is None, "the app quit"


def test_case_text_shows_literally_in_the_command_palette(tmp_path: Path):
    async def scenario(pilot: Pilot) -> None:
        hits = await open_palette(pilot, "Widgets", "Widgets")
        opener = next(hit for hit in hits if "Widgets" in hit)
        assert f"{BOLD} Widgets 🤖" in opener, f"markup in a case name was applied: {opener!r}"
        assert CLICK in opener, f"markup in a case hook was applied: {opener!r}"

    drive(folder_app(hostile_folder(tmp_path)), scenario)


def test_clicking_case_text_in_the_command_palette_does_not_run_it(tmp_path: Path):
    async def scenario(pilot: Pilot) -> None:
        app = pilot.app
        await open_palette(pilot, "Widgets", "Widgets")
        hits = app.screen.query_one(CommandList)
        await click_text(pilot, "click me", within=hits)  # the hook, as the palette shows it
        if isinstance(app.screen, CommandPalette):
            await pilot.press("escape")
            await settle(pilot)
        assert app.is_running, "clicking a case's hook in the palette ran app.quit"

    app = drive(folder_app(hostile_folder(tmp_path)), scenario)
    assert app.return_code is None, "clicking a case's hook in the palette quit the app"


def test_link_markup_in_a_case_name_or_hook_does_not_break_the_command_palette(tmp_path: Path):
    case = dict(CASE, company={"name": f"{LINK} Co"}, hook=f"{LINK} hook")

    async def scenario(pilot: Pilot) -> None:
        app = pilot.app
        hits = await open_palette(pilot, "Co", "Open:")
        assert any(f"{LINK} Co" in hit for hit in hits), hits
        assert isinstance(app.screen, CommandPalette)
        assert palette_hits(app)

    app = drive(folder_app(hostile_folder(tmp_path, case)), scenario)
    assert app.return_code is None
