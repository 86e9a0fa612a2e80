"""Invalid files do not stop the app: valid cases load, problems are counted and listed."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
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
    until,
)
from textual.pilot import Pilot

from casebook import app as app_module
from casebook.model.load.diagnostics import Diagnostic
from casebook.model.load.library import Library
from casebook.screens.explorer import ExplorerScreen
from casebook.screens.problems import ProblemsScreen
from casebook.widgets.case_list import CaseList
from casebook.widgets.line_list import Row

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


def test_the_panel_opens_before_the_warnings_are_found_and_shows_them_when_they_are(
    cases: Path, monkeypatch: pytest.MonkeyPatch
):
    """Linting a large library takes seconds: the panel lists the errors at once, says
    how far the look for warnings has got, and adds the warnings when it is done."""
    (cases / "good.yaml").write_text(GOOD, encoding="utf-8")
    (cases / "broken.yaml").write_text(BAD_DATE, encoding="utf-8")
    go_on = threading.Event()
    warning = Diagnostic("cases/good.yaml", 3, 1, "a hook reads better short", "warning")

    def held_back(library: Library, progress: Callable[[int, int], None]) -> list[Diagnostic]:
        for done in range(1, 51):
            progress(done, 1000)
        assert go_on.wait(10)
        return [warning]

    monkeypatch.setattr(app_module, "library_warnings", held_back)

    async def scenario(pilot: Pilot) -> None:
        app = pilot.app
        await pilot.press("exclamation_mark")
        assert isinstance(app.screen, ProblemsScreen)
        await until(pilot, lambda: shows(screen_lines(app), "warnings: 50/1000 files"), "progress")
        lines = screen_lines(app)
        assert shows(lines, "1 error(s), 0 warning(s)")
        assert shows(lines, "cases/broken.yaml:5:11:")
        assert not shows(lines, "a hook reads better short")
        go_on.set()
        await until(pilot, lambda: shows(screen_lines(app), "a hook reads better"), "warnings")
        lines = screen_lines(app)
        assert shows(lines, "1 error(s), 1 warning(s)")
        assert not shows(lines, "looking for warnings")
        await pilot.press("l")  # the language the panel was opened in stays until reopened
        await pilot.press("escape")

    drive(folder_app(cases), scenario)


def test_closing_the_panel_stops_the_look_for_warnings(
    cases: Path, monkeypatch: pytest.MonkeyPatch
):
    (cases / "good.yaml").write_text(GOOD, encoding="utf-8")
    checked: list[int] = []
    stopped = threading.Event()

    def endless(library: Library, progress: Callable[[int, int], None]) -> list[Diagnostic]:
        try:
            for done in range(1, 10**6):
                progress(done, 10**6)
                checked.append(done)
                time.sleep(0.001)
        finally:
            stopped.set()
        raise AssertionError("never stopped")

    monkeypatch.setattr(app_module, "library_warnings", endless)

    async def scenario(pilot: Pilot) -> None:
        await pilot.press("exclamation_mark")
        await until(pilot, lambda: len(checked) > 5, "the check to run")
        await pilot.press("escape")
        await until(pilot, stopped.is_set, "the check to stop")
        assert isinstance(pilot.app.screen, ExplorerScreen)

    drive(folder_app(cases), scenario)
    assert stopped.is_set()


def test_thousands_of_problems_open_at_the_cost_of_the_rows_in_view(
    cases: Path, monkeypatch: pytest.MonkeyPatch
):
    (cases / "good.yaml").write_text(GOOD, encoding="utf-8")
    many = [
        Diagnostic(f"cases/file-{n // 4:04}.yaml", n % 4 + 1, 1, f"problem {n} " * 9, "error")
        for n in range(8000)
    ]
    made: list[object] = []
    row = ProblemsScreen._row

    def counted(screen: ProblemsScreen, entry: str | int, width: int) -> Row:
        made.append(entry)
        return row(screen, entry, width)

    monkeypatch.setattr(ProblemsScreen, "_row", counted)
    monkeypatch.setattr(app_module, "library_warnings", lambda library, progress: [])

    async def scenario(pilot: Pilot) -> None:
        app = pilot.app
        app.library.diagnostics = many
        await pilot.press("exclamation_mark")
        await settle(pilot)
        assert shows(screen_lines(app), "8000 error(s), 0 warning(s)")
        assert shows(screen_lines(app), "cases/file-0000.yaml:1:1: problem 0")
        assert 0 < len(made) < 200, len(made)  # the rows in view (and a few more), not 10,000
        await pilot.press("end")
        await settle(pilot)
        assert shows(screen_lines(app), "problem 7999"), screen_lines(app)

    drive(folder_app(cases), scenario)


def test_the_warnings_are_found_once_per_library_read(cases: Path, monkeypatch: pytest.MonkeyPatch):
    (cases / "good.yaml").write_text(GOOD, encoding="utf-8")
    calls: list[Library] = []
    warning = Diagnostic("cases/good.yaml", 3, 1, "a hook reads better short", "warning")

    def counted(library: Library, progress: Callable[[int, int], None]) -> list[Diagnostic]:
        calls.append(library)
        return [warning]

    monkeypatch.setattr(app_module, "library_warnings", counted)

    async def scenario(pilot: Pilot) -> None:
        app = pilot.app
        for _ in range(2):
            await pilot.press("exclamation_mark")
            await until(pilot, lambda: shows(screen_lines(app), "a hook reads better"), "it")
            await pilot.press("escape")
            await settle(pilot)
        assert calls == [app.library]

    drive(folder_app(cases), scenario)
