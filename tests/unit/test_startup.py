"""The garbage collector's pause while casebook starts, and its return."""

from __future__ import annotations

import asyncio
import gc
import subprocess
import sys

import pytest

from casebook import startup
from casebook.app import make_app


def _run(code: str) -> str:
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    return done.stdout.strip()


def test_importing_the_package_pauses_the_collector_until_resumed() -> None:
    code = (
        "import gc, casebook, casebook.startup as s\n"
        "print(gc.isenabled())\n"
        "s.resume_collector()\n"
        "print(gc.isenabled())\n"
    )
    assert _run(code).split() == ["False", "True"]


def test_the_collector_comes_back_on_its_own() -> None:
    code = (
        "import gc, time, casebook, casebook.startup as s\n"
        "time.sleep(s.RESUME_AFTER + 1)\n"
        "print(gc.isenabled())\n"
    )
    assert _run(code) == "True"


def test_a_program_that_turned_the_collector_off_keeps_it_off() -> None:
    code = (
        "import gc; gc.disable()\n"
        "import casebook, casebook.startup as s\n"
        "s.resume_collector(freeze=True)\n"
        "print(gc.isenabled(), gc.get_freeze_count() == 0)\n"
    )
    assert _run(code).split() == ["False", "True"]


def test_the_app_resumes_it_with_start_up_frozen_once_drawn(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    frozen: list[bool] = []
    monkeypatch.setattr(startup, "_paused", True)
    monkeypatch.setattr(gc, "freeze", lambda: frozen.append(gc.isenabled()))
    gc.disable()
    app = make_app()

    async def go() -> None:
        async with app.run_test(size=(100, 30)) as pilot:
            await pilot.pause()
            assert gc.isenabled()

    try:
        asyncio.run(go())
    finally:
        gc.enable()
    assert frozen == [False]  # frozen first, then resumed
