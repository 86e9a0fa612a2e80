"""The garbage collector's pause while the casebook command starts, and its return."""

from __future__ import annotations

import asyncio
import gc
import subprocess
import sys
from pathlib import Path

import pytest

from casebook import cli, serve, startup
from casebook.app import make_app


def _run(code: str) -> list[str]:
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    return done.stdout.split()


def test_importing_casebook_leaves_the_collector_alone() -> None:
    code = (
        "import gc; default = gc.get_threshold()\n"
        "import casebook, casebook.cli, casebook.app\n"
        "print(gc.isenabled(), gc.get_threshold() == default)\n"
    )
    assert _run(code) == ["True", "True"]


@pytest.mark.slow
def test_a_start_imports_nothing_only_later_work_needs(tmp_path: Path) -> None:
    """The app's modules, and its store opened, leave out the store's file lock (needed
    by a write), the exports and the web server (each a few milliseconds of start)."""
    code = (
        "import sys, casebook.cli, casebook.app\n"
        "from casebook.state.notes import Store\n"
        f"Store.open({str(tmp_path)!r})\n"
        "later = ('filelock', 'casebook.model.export', 'casebook.serve')\n"
        "print([name for name in later if name in sys.modules])\n"
    )
    assert _run(code) == ["[]"]


def test_the_command_slows_the_collector_while_it_runs_and_restores_it(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    default = gc.get_threshold()
    seen: list[tuple[int, ...]] = []
    monkeypatch.setattr(cli, "_schema", lambda *args: seen.append(gc.get_threshold()) or 0)
    assert cli.main(["schema"]) == 0
    assert seen == [(startup.PAUSED_THRESHOLD, *default[1:])]
    assert gc.get_threshold() == default
    with pytest.raises(SystemExit):  # argparse's exit too
        cli.main(["--bogus"])
    assert gc.get_threshold() == default


def test_serve_restores_the_pace_before_serving(monkeypatch: pytest.MonkeyPatch) -> None:
    default = gc.get_threshold()
    seen: list[tuple[int, ...]] = []
    frozen: list[tuple[int, ...]] = []
    monkeypatch.setattr(gc, "freeze", lambda: frozen.append(gc.get_threshold()))
    monkeypatch.setattr(serve, "run", lambda *args: seen.append(gc.get_threshold()))
    assert cli.main(["serve"]) == 0
    assert frozen == [(startup.PAUSED_THRESHOLD, *default[1:])]  # frozen, then restored
    assert seen == [default]


def test_a_program_that_turned_the_collector_off_keeps_it_off() -> None:
    code = (
        "import gc; gc.disable(); default = gc.get_threshold()\n"
        "import casebook.startup as s\n"
        "s.pause_collector(); s.resume_collector(freeze=True)\n"
        "print(gc.isenabled(), gc.get_threshold() == default, gc.get_freeze_count() == 0)\n"
    )
    assert _run(code) == ["False", "True", "True"]


def test_the_app_restores_the_pace_with_start_up_frozen_once_drawn_full_passes_when_idle(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    default = gc.get_threshold()
    frozen: list[tuple[int, ...]] = []
    passes: list[int] = []
    monkeypatch.setattr(gc, "freeze", lambda: frozen.append(gc.get_threshold()))
    monkeypatch.setattr(gc, "collect", lambda generation=2: passes.append(generation) or 0)
    monkeypatch.setattr(gc, "get_count", lambda: (0, startup.FULL_PASS_DUE, 0))
    startup.pause_collector()
    assert gc.get_threshold()[0] == startup.PAUSED_THRESHOLD
    app = make_app()

    async def go() -> None:
        async with app.run_test(size=(100, 30)) as pilot:
            await pilot.pause()
            young = max(default[0], startup.YOUNG_PASS_AFTER)
            assert gc.get_threshold() == (young, startup.OLDER_PASS_AFTER, default[2])
            for _ in range(60):  # quiet: a full pass due is made within a second or so
                if passes:
                    break
                await asyncio.sleep(0.05)

    try:
        asyncio.run(go())
    finally:
        startup.resume_collector()
    assert frozen == [(startup.PAUSED_THRESHOLD, *default[1:])]  # frozen, then restored
    assert passes, "a full pass while nothing happened"
    assert gc.get_threshold() == default, "the usual pace once the command is done"


def test_the_idle_collector_passes_only_when_due_and_quiet_for_a_while(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    clock = {"cpu": 0.0, "wall": 0.0}
    count = [0, 0, 0]
    passes: list[int] = []
    monkeypatch.setattr(startup.time, "process_time", lambda: clock["cpu"])
    monkeypatch.setattr(startup.time, "monotonic", lambda: clock["wall"])
    monkeypatch.setattr(gc, "get_count", lambda: tuple(count))
    monkeypatch.setattr(gc, "collect", lambda generation=2: passes.append(generation) or 0)
    collector = startup.IdleCollector()

    def call(cpu: float) -> bool:
        clock["wall"] += 0.25
        clock["cpu"] += cpu
        return collector()

    assert not call(0.0) and not call(0.0), "quiet, but no pass is due"
    count[1] = startup.FULL_PASS_DUE
    assert not call(0.1), "busy: a key is being answered"
    assert not call(0.0), "quiet once: the next key may be on its way"
    assert call(0.001) and passes == [2], "quiet twice in a row, a pass due"
