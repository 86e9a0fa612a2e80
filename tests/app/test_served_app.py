"""The restricted app a browser gets from ``casebook serve``: no editor, no file written
on the server, none of the server user's notes."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from pilot_support import (
    CASES,
    drive,
    explorer,
    notified,
    open_case,
    quiet,
    recording,
    screen_text,
    settle,
    type_text,
)
from textual.pilot import Pilot

from casebook.app import CasebookApp, make_app
from casebook.screens.note_editor import NoteEditor
from casebook.screens.present import PresentScreen
from casebook.screens.problems import ProblemsScreen
from casebook.serve import SERVED_ENV
from casebook.state.notes import Store

BROKEN = (
    "id: broken-case\ncompany: {name: Broken Co}\nsummary: Oops.\n"
    "timeline:\n  - date: sometime\n    title: When?\n"
)
HUAYI = "huayi-precision"


def messages(app: CasebookApp) -> list[str]:
    return notified(app)


@pytest.fixture
def workdir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The app runs in an empty folder, with an 'editor' that would leave a mark."""
    folder = tmp_path / "work"
    folder.mkdir()
    monkeypatch.chdir(folder)
    mark = tmp_path / "editor-ran"
    editor = tmp_path / "editor.py"
    editor.write_text(f"open({str(mark)!r}, 'w').close()\n", encoding="utf-8")
    monkeypatch.setenv("EDITOR", f"{sys.executable} {editor}")
    return folder


def files_under(folder: Path) -> list[Path]:
    return sorted(path for path in folder.rglob("*")) if folder.exists() else []


def test_make_app_is_restricted_in_a_served_session(monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setenv(SERVED_ENV, "1")
    app = make_app([CASES])
    assert app.served
    assert isinstance(app.store, Store)
    monkeypatch.delenv(SERVED_ENV)
    assert not make_app([CASES]).served


def test_served_app_opens_no_editor(workdir: Path, monkeypatch: pytest.MonkeyPatch):
    cases = workdir / "cases"
    cases.mkdir()
    (cases / "broken.yaml").write_text(BROKEN, encoding="utf-8")

    def no_process(*args: object, **kwargs: object) -> None:
        raise AssertionError(f"a served session started a process: {args}")

    monkeypatch.setattr(subprocess, "run", no_process)

    async def scenario(pilot: Pilot) -> None:
        app: CasebookApp = pilot.app  # type: ignore[assignment]
        await pilot.press("exclamation_mark")
        await settle(pilot)
        assert isinstance(app.screen, ProblemsScreen)
        assert "editing is off in a served session" in screen_text(app)
        await pilot.press("enter")
        await settle(pilot)
        assert app.is_running
        assert any("cases/broken.yaml:5:11: editing is off" in message for message in messages(app))

    drive(recording(quiet(make_app([cases], served=True))), scenario)
    assert not (workdir.parent / "editor-ran").exists()


def test_problems_panel_outside_a_session_gives_the_editor_an_absolute_path(
    workdir: Path, monkeypatch: pytest.MonkeyPatch
):
    cases = workdir / "cases"
    cases.mkdir()
    (cases / "broken.yaml").write_text(BROKEN, encoding="utf-8")
    ran: list[list[str]] = []
    monkeypatch.setattr(subprocess, "run", lambda command, **_: ran.append(command))

    async def scenario(pilot: Pilot) -> None:
        await pilot.press("exclamation_mark")
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)

    drive(recording(quiet(make_app([Path("cases")], served=False))), scenario)
    assert len(ran) == 1
    assert str(cases / "broken.yaml") in ran[0], ran


def test_served_app_writes_no_screenshot(workdir: Path):
    async def scenario(pilot: Pilot) -> None:
        app: CasebookApp = pilot.app  # type: ignore[assignment]
        await pilot.press("f12")
        await settle(pilot)
        assert any("Screenshots are off" in message for message in messages(app))

    drive(recording(quiet(make_app([CASES], served=True))), scenario)
    assert files_under(workdir) == []


def test_served_app_keeps_notes_in_memory_only(workdir: Path):
    data = Path(os.environ["CASEBOOK_DATA_DIR"])
    Store.open(data).set_note(HUAYI, "overview", "the server user's own note")
    before = {path: path.read_bytes() for path in files_under(data) if path.is_file()}

    async def scenario(pilot: Pilot) -> None:
        app: CasebookApp = pilot.app  # type: ignore[assignment]
        assert any("kept only for this browser tab" in message for message in messages(app))
        screen = await open_case(pilot, HUAYI, "metrics")
        assert app.store is not None
        assert app.store.notes() == [], "the server user's notes are not shown"
        await pilot.press("e")
        await settle(pilot)
        assert isinstance(app.screen, NoteEditor)
        assert "kept only for this browser session" in screen_text(app)
        await type_text(pilot, "mine")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert app.screen is screen
        assert [note.text for note in app.store.notes()] == ["mine"]
        await pilot.press("m", "enter")  # a bookmark, and progress, in memory too
        await settle(pilot)
        assert app.store.bookmarks()
        assert app.store.opened_panes(HUAYI)

    drive(recording(quiet(make_app([CASES], served=True))), scenario)
    after = {path: path.read_bytes() for path in files_under(data) if path.is_file()}
    assert after == before
    assert files_under(workdir) == []


def test_served_slides_share_no_state_file(workdir: Path):
    runtime = Path(os.environ["CASEBOOK_RUNTIME_DIR"])

    async def scenario(pilot: Pilot) -> None:
        app: CasebookApp = pilot.app  # type: ignore[assignment]
        await open_case(pilot, HUAYI)
        await pilot.press("p")
        await settle(pilot)
        assert isinstance(app.screen, PresentScreen)
        assert app.screen.link is None
        await pilot.press("right", "right")
        await settle(pilot)
        assert explorer(app).current == HUAYI

    drive(recording(quiet(make_app([CASES], served=True))), scenario)
    assert files_under(runtime) == []
