"""A class survives kill -9: the real command in a terminal, killed mid-class, resumes."""

from __future__ import annotations

import contextlib
import fcntl
import os
import signal
import struct
import subprocess
import sys
import termios
import threading
import time

import pytest
from pilot_support import CASES, drive, quiet, settle, until
from textual.pilot import Pilot

from casebook.app import make_app
from casebook.screens.present import PresentScreen
from casebook.state import presentations as standings
from casebook.state.paths import data_dir

HUAYI = "huayi-precision"
RIGHT = b"\x1b[C"


def _saved() -> standings.Standing | None:
    path = data_dir() / standings.FOLDER / standings.file_name(HUAYI)
    try:
        return standings.decode(path.read_bytes())
    except (OSError, ValueError):
        return None


def _wait_for(condition, what: str, wait: float = 30.0) -> None:
    deadline = time.monotonic() + wait
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.05)


@pytest.mark.slow
@pytest.mark.skipif(sys.platform == "win32", reason="needs a pty")
def test_kill_9_mid_class_then_resume():
    import pty

    master, slave = pty.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 80, 0, 0))
    env = {**os.environ, "TERM": "xterm-256color", "COLUMNS": "80", "LINES": "24"}
    command = [sys.executable, "-m", "casebook", "--cases", str(CASES), "--no-watch"]
    child = subprocess.Popen(
        [*command, "present", HUAYI],
        stdin=slave,
        stdout=slave,
        stderr=slave,
        env=env,
        start_new_session=True,
    )
    os.close(slave)
    stop = threading.Event()

    def drain() -> None:  # the terminal's screen, read and dropped (a full pty blocks)
        while not stop.is_set():
            try:
                if not os.read(master, 65536):
                    return
            except OSError:
                return

    reader = threading.Thread(target=drain, daemon=True)
    reader.start()
    try:
        _wait_for(lambda: _saved() is not None, "the slides to open")
        os.write(master, b"5\r")
        _wait_for(lambda: (s := _saved()) is not None and s.slide == 5, "slide 5")
        os.write(master, RIGHT)
        os.write(master, b"z")  # the clock paused: what it shows is exact after the kill
        _wait_for(lambda: (s := _saved()) is not None and s.since is None, "the pause")
        before = _saved()
        assert before is not None
        os.kill(child.pid, signal.SIGKILL)
        child.wait(timeout=30)
        assert child.returncode == -signal.SIGKILL
    finally:
        stop.set()
        with contextlib.suppress(ProcessLookupError):
            os.kill(child.pid, signal.SIGKILL)
        child.wait(timeout=30)
        os.close(master)
        reader.join(timeout=5)

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
