"""A note whose save fails is never lost, and the app says only what happened.

The editor stays open with the text; one error says why; the text is kept as a draft
that reopening the editor (even after a restart, where the data folder allows) brings
back; once the fault is fixed, ctrl+s saves it. A store the app cannot write (from a
newer casebook, or unreadable in a folder it cannot change) is said at start.
"""

from __future__ import annotations

import errno
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from pilot_support import (
    CASES,
    bundled_app,
    drive,
    open_case,
    pane_lines,
    screen_text,
    settle,
    shows,
    type_text,
)
from textual.pilot import Pilot
from textual.widgets import TextArea

from casebook.app import CasebookApp
from casebook.screens.note_editor import NoteEditor
from casebook.state import notes as userdata
from casebook.state.notes import STORE_NAME

HUAYI = "huayi-precision"
TEXT = "margins [b]up[/b]"


def store_file() -> Path:
    return Path(os.environ["CASEBOOK_DATA_DIR"]) / STORE_NAME


def stored_notes() -> list[tuple[str, str, str]]:
    doc = json.loads(store_file().read_text(encoding="utf-8"))
    return [(n["case_id"], n["pane"], n["text"]) for n in doc.get("notes", [])]


def recording(app: CasebookApp) -> list[tuple[str, str]]:
    """Every toast the app shows from now on, as (message, severity)."""
    said: list[tuple[str, str]] = []
    show = app.notify

    def notify(message: str, **options: object) -> None:
        said.append((message, str(options.get("severity", "information"))))
        show(message, **options)  # type: ignore[arg-type]

    app.notify = notify  # type: ignore[method-assign]
    return said


def no_space(*args: object, **kwargs: object) -> None:
    raise OSError(errno.ENOSPC, "No space left on device")


def editor_text(app: CasebookApp) -> str:
    assert isinstance(app.screen, NoteEditor), type(app.screen)
    return app.screen.query_one(TextArea).text


def test_a_failed_save_keeps_the_editor_and_the_text_and_a_retry_saves():
    app = bundled_app()
    said = recording(app)
    fault = pytest.MonkeyPatch()  # its own, so that undoing it keeps the test's data dir

    async def scenario(pilot: Pilot) -> None:
        screen = await open_case(pilot, HUAYI, "metrics")
        before = store_file().read_bytes()  # reading progress, written when opened
        said.clear()
        fault.setattr(userdata, "write_atomic", no_space)  # the disk is full

        await pilot.press("e")
        await settle(pilot)
        await type_text(pilot, TEXT)
        await pilot.press("ctrl+s")
        await settle(pilot)

        assert editor_text(app) == TEXT  # still open, text intact
        assert said == [
            (
                "Could not save the note: [Errno 28] No space left on device."
                " Your text stays here; ctrl+s tries again.",
                "error",
            )
        ]
        assert store_file().read_bytes() == before

        await pilot.press("escape")  # give up for now: it asks first ...
        await settle(pilot)
        assert not isinstance(app.screen, NoteEditor)
        await pilot.press("k")  # ... keep editing: the text is still there
        await settle(pilot)
        assert editor_text(app) == TEXT
        app.pop_screen()  # the editor gone unsaved (the app closed): the draft is kept
        await settle(pilot)
        assert app.screen is screen
        assert not shows(pane_lines(app, "metrics"), "Your note")
        await pilot.press("e")  # ... and come back: the draft is there
        await settle(pilot)
        assert editor_text(app) == TEXT
        assert "unsaved text, restored" in screen_text(app)

        fault.undo()  # space again
        said.clear()
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert app.screen is screen
        assert said == [("Note saved", "information")]
        assert stored_notes() == [(HUAYI, "metrics", TEXT)]
        assert shows(pane_lines(app, "metrics"), TEXT)
        assert app.store is not None and app.store.draft(HUAYI, "metrics") is None
        await pilot.press("e")
        await settle(pilot)
        assert editor_text(app) == TEXT
        assert "unsaved text, restored" not in screen_text(app)

    try:
        drive(app, scenario)
    finally:
        fault.undo()


def test_a_store_from_a_newer_casebook_is_said_at_start_and_refuses_with_a_draft():
    store_file().parent.mkdir(parents=True)
    store_file().write_text(json.dumps({"version": 9, "notes": []}))
    before = store_file().read_bytes()
    app = bundled_app()
    said = recording(app)

    async def refused(pilot: Pilot) -> None:
        assert len(said) == 1
        assert said[0][1] == "warning"
        assert "written by a newer casebook (format 9)" in said[0][0]
        await open_case(pilot, HUAYI, "metrics")  # reading progress: no error toasts
        assert len(said) == 1
        await pilot.press("e")
        await settle(pilot)
        await type_text(pilot, TEXT)
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert editor_text(app) == TEXT
        assert said[1:] == [
            (
                f"Could not save the note: your notes file {store_file()} was written by"
                " a newer casebook (format 9) and is read-only here; update casebook to"
                " change it. Your text stays here; ctrl+s tries again.",
                "error",
            )
        ]

    drive(app, refused)
    assert store_file().read_bytes() == before

    async def restored(pilot: Pilot) -> None:  # after a restart: the draft file
        await open_case(pilot, HUAYI, "metrics")
        await pilot.press("e")
        await settle(pilot)
        assert editor_text(pilot.app) == TEXT  # type: ignore[arg-type]

    drive(bundled_app(), restored)


def test_a_corrupt_store_the_app_cannot_move_aside_is_said_at_start(monkeypatch):
    store_file().parent.mkdir(parents=True)
    store_file().write_bytes(b"garbage")

    def refuse(*args: object) -> None:
        raise PermissionError(errno.EACCES, "Permission denied")

    monkeypatch.setattr(Path, "rename", refuse)  # a folder the app may not change
    app = bundled_app()
    said = recording(app)

    async def scenario(pilot: Pilot) -> None:
        assert app.store is not None  # browsing works; notes say why they cannot
        assert [severity for _, severity in said] == ["warning"]
        assert "could not be moved aside (Permission denied)" in said[0][0]
        assert "cannot be saved until it is fixed" in said[0][0]
        await open_case(pilot, HUAYI, "metrics")
        await pilot.press("e")
        await settle(pilot)
        await type_text(pilot, "x")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert editor_text(app) == "x"
        assert len(said) == 2
        assert said[1][1] == "error"
        assert "could not be moved aside" in said[1][0]
        assert "saved" not in said[1][0]

    drive(app, scenario)
    assert store_file().read_bytes() == b"garbage"


FSIZE_CHILD = """
import asyncio, json, resource, signal, sys
from pathlib import Path
from textual.widgets import TextArea
from casebook.app import make_app
from casebook.screens.explorer import ExplorerScreen
from casebook.screens.note_editor import NoteEditor

app = make_app([Path(sys.argv[1])])
app.animation_level = "none"
said = []
show = app.notify
app.notify = lambda message, **options: (said.append(message), show(message, **options))
store = Path(sys.argv[2]) / "store.json"

async def main():
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        screen = next(s for s in app.screen_stack if isinstance(s, ExplorerScreen))
        screen.open("huayi-precision")
        await pilot.press("3")
        await pilot.pause()
        said.clear()
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        limit = store.stat().st_size + 64
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, resource.RLIM_INFINITY))
        await pilot.press("e")
        await pilot.pause()
        await pilot.press(*"long")  # typed, then the rest pasted: 400 key presses take 20 s
        app.screen.query_one(TextArea).insert("long" * 99)
        await pilot.press("ctrl+s")
        await pilot.pause()
        editor = app.screen
        print(json.dumps({
            "open": isinstance(editor, NoteEditor),
            "text": editor.query_one(TextArea).text if isinstance(editor, NoteEditor) else None,
            "said": said,
        }))

asyncio.run(asyncio.wait_for(main(), 60))
"""


@pytest.mark.slow
@pytest.mark.skipif(sys.platform == "win32", reason="needs RLIMIT_FSIZE")
def test_a_save_over_the_file_size_limit_keeps_the_editor_open_in_a_real_process():
    data = store_file().parent
    done = subprocess.run(
        [sys.executable, "-c", FSIZE_CHILD, str(CASES), str(data)],
        capture_output=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr.decode()[-3000:]
    report = json.loads(done.stdout.decode().strip().splitlines()[-1])
    assert report["open"] is True
    assert report["text"] == "long" * 100
    assert report["said"] == [
        "Could not save the note: [Errno 27] File too large."
        " Your text stays here; ctrl+s tries again."
    ]
    assert stored_notes() == []
    assert not [p for p in data.iterdir() if p.name.endswith(".tmp")]
