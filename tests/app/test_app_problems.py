"""Invalid files do not stop the app: valid cases load, problems are counted and listed."""

from __future__ import annotations

from pathlib import Path

import pytest
from pilot_support import (
    click_text,
    drive,
    explorer,
    folder_app,
    screen_lines,
    settle,
    shows,
)
from textual.pilot import Pilot

from casebook.screens.explorer import ExplorerScreen
from casebook.screens.problems import ProblemsScreen
from casebook.widgets.case_list import CaseList

GOOD = "id: good-case\ncompany: {name: Good Co}\nhook: Still here\nsummary: A fine case.\n"
BAD_DATE = (
    "id: broken-case\ncompany: {name: Broken Co}\nsummary: Oops.\n"
    "timeline:\n  - date: sometime\n    title: When?\n"
)
BAD_SYNTAX = "id: [unclosed\n"
BAD_KEY = 'id: odd-case\ncompany: {name: Odd}\nsummary: x\n"[@click=app.quit]quit": 1\n'


@pytest.fixture
def cases(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A case folder at ./cases (so problems show short relative paths).

    No editor is configured: a click on a problem must never start a real one.
    """
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("VISUAL", raising=False)
    monkeypatch.delenv("EDITOR", raising=False)
    folder = tmp_path / "cases"
    folder.mkdir()
    return folder


def test_valid_case_loads_and_problems_are_counted_listed_and_closed(cases: Path):
    (cases / "good.yaml").write_text(GOOD, encoding="utf-8")
    (cases / "broken.yaml").write_text(BAD_DATE, encoding="utf-8")
    (cases / "syntax.yaml").write_text(BAD_SYNTAX, encoding="utf-8")

    async def scenario(pilot: Pilot) -> None:
        app = pilot.app
        screen = explorer(app)
        assert [row.id for row in screen.query_one(CaseList).rows] == ["good-case"]
        assert screen.current == "good-case"
        lines = screen_lines(app)
        assert lines[0].startswith("Good Co")
        assert lines[1].startswith("Still here")
        assert "2 problem(s) — press ! to list" in lines[-2], "status line above the footer"

        await pilot.press("exclamation_mark")
        await settle(pilot)
        assert isinstance(app.screen, ProblemsScreen)
        lines = screen_lines(app)
        assert shows(lines, "Problems")
        assert shows(lines, "cases/broken.yaml:5:11: 'sometime' is not a date")
        assert shows(lines, "cases/syntax.yaml:2:1: while parsing a flow sequence")
        heading = next(
            i for i, line in enumerate(lines) if line.strip("│▊▎ ") == "cases/broken.yaml"
        )
        assert "cases/broken.yaml:5:11:" in lines[heading + 1], "problems grouped under the file"

        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, ExplorerScreen)
        assert screen.current == "good-case"

        await pilot.press("l")
        await settle(pilot)
        assert "2 个问题 — 按 ! 查看" in screen_lines(app)[-2]

    drive(folder_app(cases), scenario)


def test_only_invalid_files_still_open_the_app(cases: Path):
    (cases / "broken.yaml").write_text(BAD_DATE, encoding="utf-8")

    async def scenario(pilot: Pilot) -> None:
        app = pilot.app
        screen = explorer(app)
        assert screen.current is None
        lines = screen_lines(app)
        assert shows(lines, "No valid cases found.")
        assert "1 problem(s) — press ! to list" in lines[-2]
        for key in "123456":
            await pilot.press(key)
        await settle(pilot)
        assert screen.pane == "discussion"
        await pilot.press("exclamation_mark")
        await settle(pilot)
        assert shows(screen_lines(app), "cases/broken.yaml:5:11:")
        await pilot.press("escape", "s", "j", "enter")
        await settle(pilot)
        assert app.is_running

    drive(folder_app(cases), scenario)


def test_problem_text_from_files_shows_literally_and_does_not_act(cases: Path):
    (cases / "good.yaml").write_text(GOOD, encoding="utf-8")
    (cases / "[b]odd[b].yaml").write_text(BAD_KEY, encoding="utf-8")

    async def scenario(pilot: Pilot) -> None:
        app = pilot.app
        await pilot.press("exclamation_mark")
        await settle(pilot)
        lines = screen_lines(app)
        assert shows(lines, "cases/[b]odd[b].yaml:4:1: unknown key '[@click=app.quit]quit'")
        await click_text(pilot, "[@click=app.quit]quit")
        assert app.is_running
        assert isinstance(app.screen, ProblemsScreen)

    app = drive(folder_app(cases), scenario)
    assert app.return_code is None
