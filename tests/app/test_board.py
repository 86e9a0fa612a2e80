"""The board (w in the slides): the board plan as columns, written on live, saved as it
is typed, followed by the audience's terminal, in memory in a served session."""

from __future__ import annotations

import re
import signal
import sys
import time
from pathlib import Path

import pytest
from pilot_support import CASES, drive, quiet, screen_lines, screen_text, settle, type_text, until
from textual.pilot import Pilot

from casebook.app import CasebookApp, make_app
from casebook.model.format.edition import Edition
from casebook.model.format.text import pick
from casebook.model.load.library import load_library
from casebook.screens.board import BoardScreen
from casebook.screens.present import PresentScreen
from casebook.state import board
from casebook.state.board import Board, BoardLink, Boards, Words
from casebook.state.paths import data_dir
from terminal_support import Terminal

CASE_ID = "huayi-precision"
SMALL = (80, 24)


def presenting(edition: Edition = "instructor", **options: object) -> CasebookApp:
    library = load_library([CASES], edition)
    return quiet(make_app(library=library, present=CASE_ID, **options))  # type: ignore[arg-type]


def saved(edition: Edition = "instructor") -> Board:
    """The board as its file holds it now."""
    boards = Boards.open(CASE_ID, edition)
    days = boards.days()
    assert days, "no board file"
    found = boards.read(days[-1])
    assert found.board is not None and found.problem is None
    return found.board


def texts(board: Board, lang: str = "en") -> list[list[str]]:
    return [[pick(e.text, lang) for e in c.entries] for c in board.columns]  # type: ignore[arg-type]


async def open_board(pilot: Pilot) -> BoardScreen:
    await settle(pilot)
    assert isinstance(pilot.app.screen, PresentScreen)
    await pilot.press("w")
    await until(pilot, lambda: isinstance(pilot.app.screen, BoardScreen), "the board")
    await settle(pilot)
    return pilot.app.screen  # type: ignore[return-value]


def test_the_instructor_board_starts_as_the_board_plan_in_columns() -> None:
    case = load_library([CASES], "instructor").cases[CASE_ID]
    assert case.teaching_notes is not None

    async def scenario(pilot: Pilot) -> None:
        await open_board(pilot)
        shown = screen_text(pilot.app)
        assert "Board: Huayi Precision" in shown
        for title in ("Before 2017", "2017", "After"):
            assert title in shown
        assert "10 fewer forging" in shown
        await pilot.press("l")
        await settle(pilot)
        assert "2017年前" in screen_text(pilot.app)  # the plan's own Chinese

    drive(presenting(), scenario, size=SMALL)
    board = saved()
    assert [pick(c.title, "en") for c in board.columns] == ["Before 2017", "2017", "After"]
    assert texts(board)[2] == [
        "non-standard 22 → under 10 days",
        "standard 8 → under 3 days",
        "energy −12% per unit",
        "10 fewer forging staff",
    ]
    assert board.date == time.strftime("%Y-%m-%d")


def test_add_edit_and_remove_entries_each_saved_at_once() -> None:
    async def scenario(pilot: Pilot) -> None:
        screen = await open_board(pilot)
        assert (screen.column, screen.row) == (0, 0)
        await pilot.press("a")
        await type_text(pilot, "[b]Robots[/b]")
        # Saved as it is typed, before enter.
        await until(pilot, lambda: "[b]Robots[/b]" in texts(saved())[0], "typed text")
        await pilot.press("enter")
        await settle(pilot)
        assert "• [b]Robots[/b]" in screen_text(pilot.app)  # text, never markup
        assert (screen.column, screen.row) == (0, 1)
        await pilot.press("right", "e", "end")
        await type_text(pilot, " (later)")
        await pilot.press("enter")
        await settle(pilot)
        await pilot.press("right", "down", "d")
        await settle(pilot)

    drive(presenting(), scenario, size=SMALL)
    board = saved()
    assert texts(board) == [
        ["manual hot forging, temperature by eye, hard to hire", "[b]Robots[/b]"],
        ["2 red-punching robots, set temperature, auto-reject uneven rods (later)"],
        ["non-standard 22 → under 10 days", "energy −12% per unit", "10 fewer forging staff"],
    ]
    edited = board.columns[1].entries[0]
    assert isinstance(edited.text, str) and not edited.planned  # typed now
    assert isinstance(board.columns[0].entries[0].text, Words)  # untouched: both languages


def test_escape_puts_an_entry_back_as_it_was_and_drops_a_new_one() -> None:
    async def scenario(pilot: Pilot) -> None:
        await open_board(pilot)
        await pilot.press("e")
        await type_text(pilot, "xyz")
        await until(pilot, lambda: texts(saved())[0][0].endswith("xyz"), "typed text")
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(pilot.app.screen, BoardScreen)  # escape left the typing only
        await pilot.press("a")
        await type_text(pilot, "never mind")
        await until(pilot, lambda: "never mind" in texts(saved())[0], "typed text")
        await pilot.press("escape")
        await settle(pilot)
        assert "never mind" not in screen_text(pilot.app)

    drive(presenting(), scenario, size=SMALL)
    first = saved().columns[0]
    assert [e.text for e in first.entries] == [
        Words(
            en="manual hot forging, temperature by eye, hard to hire",
            zh="人工红冲，肉眼判断温度，招人难",
        )
    ]
    assert first.entries[0].planned


def test_columns_are_added_titled_and_removed() -> None:
    async def scenario(pilot: Pilot) -> None:
        screen = await open_board(pilot)
        await pilot.press("n")
        await type_text(pilot, "Questions")
        await pilot.press("enter", "a")
        await type_text(pilot, "Why robots?")
        await pilot.press("enter")
        await settle(pilot)
        assert screen.column == 1
        await pilot.press("left", "up", "d")  # a column with entries: asked once more
        await settle(pilot)
        assert len(saved().columns) == 4
        await pilot.press("d")
        await settle(pilot)

    drive(presenting(), scenario, size=SMALL)
    board = saved()
    assert [pick(c.title, "en") for c in board.columns] == ["Questions", "2017", "After"]
    assert texts(board)[0] == ["Why robots?"]


def test_the_board_is_there_again_after_leaving_and_after_a_restart() -> None:
    async def write(pilot: Pilot) -> None:
        await open_board(pilot)
        await pilot.press("a")
        await type_text(pilot, "kept")
        await pilot.press("enter", "escape")
        await until(pilot, lambda: isinstance(pilot.app.screen, PresentScreen), "the slides")
        await pilot.press("w")
        await until(pilot, lambda: isinstance(pilot.app.screen, BoardScreen), "the board")
        await settle(pilot)
        assert "kept" in screen_text(pilot.app)

    async def read(pilot: Pilot) -> None:
        await open_board(pilot)
        assert "kept" in screen_text(pilot.app)

    drive(presenting(), write, size=SMALL)
    drive(presenting(), read, size=SMALL)


def test_a_student_board_starts_empty_and_works_in_chinese_at_80_by_24() -> None:
    async def scenario(pilot: Pilot) -> None:
        await open_board(pilot)
        shown = screen_text(pilot.app)
        assert "板书：华益精密" in shown
        assert "第 1 栏" in shown
        assert "2017年前" not in shown  # no board plan in the student edition
        await pilot.press("a")
        await type_text(pilot, "机器换人")
        await pilot.press("enter")
        await settle(pilot)
        lines = screen_lines(pilot.app)
        assert any("机器换人" in line for line in lines)
        assert "添加" in lines[-1] and "返回" in lines[-1]  # the key bar, in Chinese

    drive(presenting("student", lang="zh"), scenario, size=SMALL)
    board = saved("student")
    assert texts(board) == [["机器换人"]]
    assert not Boards.open(CASE_ID, "instructor").days()


def test_a_served_session_keeps_its_board_in_memory() -> None:
    async def scenario(pilot: Pilot) -> None:
        await open_board(pilot)
        assert "kept for this session only" in screen_text(pilot.app)
        await pilot.press("a")
        await type_text(pilot, "in memory")
        await pilot.press("enter", "escape", "w")
        await until(pilot, lambda: isinstance(pilot.app.screen, BoardScreen), "the board")
        await settle(pilot)
        assert "in memory" in screen_text(pilot.app)

    drive(presenting(served=True), scenario, size=SMALL)
    assert not (data_dir() / "boards").exists()


def test_the_audience_follows_the_board_the_console_writes() -> None:
    """The presenter console (here: its link and its writes) shows the board; the
    audience's slides show it too, follow each key typed, and close it with it."""
    console_link = BoardLink(CASE_ID)
    console = Boards.open(CASE_ID, "instructor")

    async def scenario(pilot: Pilot) -> None:
        await settle(pilot)
        assert isinstance(pilot.app.screen, PresentScreen)
        plan = load_library([CASES], "instructor").cases[CASE_ID].teaching_notes.board_plan
        console.current(plan)
        console_link.publish(True)
        await until(pilot, lambda: isinstance(pilot.app.screen, BoardScreen), "the board")
        shown = pilot.app.screen
        assert isinstance(shown, BoardScreen) and not shown.editable
        await settle(pilot)
        assert "a Add" not in screen_text(pilot.app)  # a slide: no keys, no place
        await pilot.press("a")  # and nothing to write with
        console.change(lambda b: board.add_entry(b, "plan-0", "e1", "l"))
        for typed in ("li", "live"):
            console.change(lambda b, typed=typed: board.set_entry(b, "e1", typed))
        await until(pilot, lambda: "• live" in screen_text(pilot.app), "the entry")
        console_link.publish(False)
        await until(pilot, lambda: isinstance(pilot.app.screen, PresentScreen), "the slides")

    drive(presenting(), scenario, size=SMALL)
    assert texts(saved())[0][-1] == "live"


def test_the_console_tells_the_audience_when_the_board_is_shown_and_hidden() -> None:
    audience_link = BoardLink(CASE_ID)
    heard: list[bool | None] = []

    async def scenario(pilot: Pilot) -> None:
        await open_board(pilot)
        await until(pilot, lambda: heard.append(audience_link.poll()) or True in heard, "shown")
        await pilot.press("escape")
        await until(pilot, lambda: heard.append(audience_link.poll()) or False in heard, "hidden")

    drive(presenting(console=True), scenario, size=SMALL)


def test_an_unreadable_board_file_is_moved_aside_and_the_board_starts_again() -> None:
    folder = data_dir() / "boards" / "instructor" / CASE_ID
    folder.mkdir(parents=True)
    bad = folder / f"{time.strftime('%Y-%m-%d')}.json"
    bad.write_text("{ not json", encoding="utf-8")

    async def scenario(pilot: Pilot) -> None:
        await open_board(pilot)
        shown = screen_text(pilot.app)
        assert "Before 2017" in shown
        assert "unreadable" in shown  # said on the status line

    drive(presenting(), scenario, size=SMALL)
    aside = [p for p in folder.iterdir() if ".unreadable-" in p.name]
    assert len(aside) == 1 and aside[0].read_text(encoding="utf-8") == "{ not json"
    assert len(saved().columns) == 3


# -- a real process, killed --------------------------------------------------------------


def _board_texts() -> list[str]:
    boards = Boards.open(CASE_ID, "instructor")
    days = boards.days()
    board = boards.read(days[-1]).board if days else None
    return [pick(e.text, "en") for c in board.columns for e in c.entries] if board else []


@pytest.mark.slow
@pytest.mark.skipif(sys.platform == "win32", reason="needs a pseudo-terminal and SIGKILL")
def test_a_board_edit_survives_the_process_killed_with_sigkill(tmp_path: Path) -> None:
    terminal = Terminal("present", CASE_ID, "--instructor", rows=30, cols=100)
    try:
        terminal.wait(lambda: "Huayi Precision" in terminal.text(), "the slides")
        terminal.press(b"w")
        terminal.wait(lambda: bool(_board_texts()), "the board file")
        terminal.press(b"a")
        terminal.wait(lambda: "saved as you type" in terminal.text(), "the input")
        mark = terminal.mark()
        terminal.press(b"finished entry\r")
        terminal.wait(lambda: "finished entry" in _board_texts(), "the entry saved")
        # Saved as it was typed, before enter: the next key waits for the input to close
        # (the status then says when the board was saved), or it would be typed into it.
        closed = re.compile(r"saved \d\d:\d\d:\d\d")
        terminal.wait(lambda: closed.search(terminal.text(mark)), "the input closed")
        mark = terminal.mark()
        terminal.press(b"e")
        terminal.wait(lambda: "saved as you type" in terminal.text(mark), "the input")
        terminal.press(b", then typed on")  # no enter: still being typed
        typed = "finished entry, then typed on"
        terminal.wait(lambda: typed in _board_texts(), "the edit saved")
        terminal.kill()
    finally:
        terminal.close()
    assert terminal.process.returncode == -signal.SIGKILL
    assert "finished entry, then typed on" in _board_texts()
    # The next start carries on with it.
    board = Boards.open(CASE_ID, "instructor").current()
    assert pick(board.columns[0].entries[-1].text, "en") == "finished entry, then typed on"
