"""A case file's name never becomes an editor option or command (issue #12, item 2).

With ``--cases .``, a file named ``+!touch X;.yaml`` used to reach vim as a relative
name, which vim reads as ``+{command}``: opening its problem ran the command. The
problems panel now gives the editor an absolute path, after ``--`` where the editor
takes it. These tests go through the panel itself, as a user does.
"""

from __future__ import annotations

import asyncio
import shlex
import shutil
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from casebook.app import make_app
from casebook.screens.problems import ProblemsScreen
from casebook.widgets.line_list import LineList

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(sys.platform == "win32", reason="the editors here are POSIX programs"),
]

BAD_CASE = "id: bad-case\ncompany:\n  name: X\nsummary: s\nunknown_key: 1\n"
"""A case with one problem, at line 5."""

HOSTILE = ["+!touch INJECTED;.yaml", "-c!touch INJECTED.yaml", "two\nlines and space.yaml"]


def open_problem_in_editor(folder: Path, name: str) -> None:
    """Open the app on ``folder``, open the problems panel and press enter on the
    problem of the file ``name``."""
    app = make_app([folder], watch=False)

    async def go() -> None:
        async with app.run_test(size=(120, 30)) as pilot:
            await pilot.pause()
            await pilot.press("exclamation_mark")
            await pilot.pause()
            screen = app.screen
            assert isinstance(screen, ProblemsScreen)
            problems = screen.query_one("#problem-list", LineList)
            problems.focus()
            wanted = next(
                number
                for number, diagnostic in enumerate(screen.diagnostics)
                if Path(screen.files.get(diagnostic.path, diagnostic.path)).name == name
            )
            problems.highlight_id(str(wanted))
            await pilot.press("enter")
            await pilot.pause()
            assert isinstance(app.screen, ProblemsScreen), "the app resumes where it was"

    asyncio.run(go())


@pytest.fixture
def here(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An empty case folder that is the current folder (as with ``--cases .``)."""
    folder = tmp_path / "here"
    folder.mkdir()
    monkeypatch.chdir(folder)
    return folder


@pytest.mark.parametrize("name", HOSTILE)
def test_a_fake_editor_gets_the_line_and_the_absolute_file_after_the_end_of_options(
    here: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, name: str
) -> None:
    record = tmp_path / "argv"
    editor = tmp_path / "bin" / "vim"  # named like an editor that takes +LINE and --
    editor.parent.mkdir()
    editor.write_text(
        f"#!/bin/sh\nprintf '%s\\0' \"$@\" > {shlex.quote(str(record))}\n", encoding="utf-8"
    )
    editor.chmod(editor.stat().st_mode | stat.S_IEXEC)
    monkeypatch.setenv("EDITOR", str(editor))
    (here / name).write_text(BAD_CASE, encoding="utf-8")

    open_problem_in_editor(Path(), name)  # as with --cases .

    argv = record.read_bytes().decode("utf-8").split("\0")[:-1]
    assert argv == ["+5", "--", str(here / name)]
    assert not list(here.parent.rglob("INJECTED*"))


@pytest.mark.skipif(shutil.which("vim") is None, reason="needs vim")
def test_real_vim_opens_the_file_at_its_line_and_runs_nothing(
    here: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    name = HOSTILE[0]
    record = tmp_path / "vim-saw"
    # Silent ex mode, no user vimrc; on leaving, vim writes where it was.
    leave = f"au VimLeavePre * call writefile([line('.'), expand('%:p')], '{record}')"
    monkeypatch.setenv("EDITOR", shlex.join(["vim", "-u", "NONE", "-N", "-es", "-c", leave]))
    (here / name).write_text(BAD_CASE, encoding="utf-8")
    real_run = subprocess.run

    def run_without_a_terminal(command, **options):  # vim -es reads commands from stdin
        return real_run(command, stdin=subprocess.DEVNULL, timeout=60, **options)

    monkeypatch.setattr(subprocess, "run", run_without_a_terminal)

    open_problem_in_editor(Path(), name)  # as with --cases .

    assert record.read_text(encoding="utf-8").splitlines() == ["5", str(here / name)]
    assert not list(here.parent.rglob("INJECTED*")), "vim ran the file name as a command"
