"""A class survives kill -9: the real command in a terminal, killed mid-class, resumes."""

from __future__ import annotations

import signal
import sys
import time

import pytest
from pilot_support import CASES, drive, quiet, settle, until
from textual.pilot import Pilot

from casebook.app import make_app
from casebook.screens.present import PresentScreen
from casebook.state import presentations as standings
from casebook.state.paths import data_dir
from terminal_support import Terminal

HUAYI = "huayi-precision"
RIGHT = b"\x1b[C"


def _saved() -> standings.Standing | None:
    path = data_dir() / standings.FOLDER / standings.file_name(HUAYI)
    try:
        return standings.decode(path.read_bytes())
    except (OSError, ValueError):
        return None


@pytest.mark.slow
@pytest.mark.skipif(sys.platform == "win32", reason="needs a pty")
def test_kill_9_mid_class_then_resume():
    terminal = Terminal("present", HUAYI)
    try:
        terminal.wait(lambda: _saved() is not None, "the slides to open")
        terminal.press(b"5\r")
        terminal.wait(lambda: (s := _saved()) is not None and s.slide == 5, "slide 5")
        terminal.press(RIGHT)
        terminal.press(b"z")  # the clock paused: what it shows is exact after the kill
        terminal.wait(lambda: (s := _saved()) is not None and s.since is None, "the pause")
        before = _saved()
        assert before is not None
        terminal.kill()
        assert terminal.process.returncode == -signal.SIGKILL
    finally:
        terminal.close()

    assert not [p for p in (data_dir() / standings.FOLDER).iterdir() if p.suffix == ".tmp"]

    async def resumed(pilot: Pilot) -> None:
        await until(pilot, lambda: isinstance(pilot.app.screen, PresentScreen), "the slides")
        await settle(pilot)
        screen = pilot.app.screen
        assert isinstance(screen, PresentScreen)
        assert screen.place == (before.slide, before.step)
        assert not screen.clock.running
        assert screen.clock.elapsed(time.time()) == before.counted

    drive(quiet(make_app([CASES], present=HUAYI)), resumed)
