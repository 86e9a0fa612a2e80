"""The note editor can be left (escape, a click outside), asks before losing changes,
keeps a draft as you type (it survives a crash), and writes draft answers to the
discussion questions, shown under each question and counted on the Discussion pane."""

from __future__ import annotations

from pilot_support import (
    bundled_app,
    drive,
    explorer,
    open_case,
    pane_lines,
    screen_text,
    settle,
    shows,
    shows_wrapped,
    type_text,
    until,
    widget_lines,
)
from textual.pilot import Pilot
from textual.widgets import TextArea

from casebook.screens.note_editor import ConfirmDiscard, NoteEditor
from casebook.state.notes import Store
from casebook.widgets.panes.discussion import QuestionBlock, answer_draft_key

HUAYI = "huayi-precision"


def editor_text(pilot: Pilot) -> str:
    screen = pilot.app.screen
    assert isinstance(screen, NoteEditor), type(screen)
    return screen.query_one(TextArea).text


def test_escape_on_an_unchanged_note_closes_at_once():
    async def scenario(pilot: Pilot) -> None:
        screen = await open_case(pilot, HUAYI, "metrics")
        await pilot.press("e")
        await settle(pilot)
        assert isinstance(pilot.app.screen, NoteEditor)
        await pilot.press("escape")
        await settle(pilot)
        assert pilot.app.screen is screen

    drive(bundled_app(), scenario)


def test_escape_with_changes_asks_then_keeps_editing_or_discards():
    async def scenario(pilot: Pilot) -> None:
        screen = await open_case(pilot, HUAYI, "metrics")
        await pilot.press("e")
        await settle(pilot)
        await type_text(pilot, "half a thought")
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(pilot.app.screen, ConfirmDiscard)
        assert "Discard your unsaved changes?" in screen_text(pilot.app)  # type: ignore[arg-type]
        await pilot.press("k")  # keep editing: back in the text, and typing goes on
        await settle(pilot)
        await type_text(pilot, "!")
        assert editor_text(pilot) == "half a thought!"
        await pilot.press("escape")
        await settle(pilot)
        await pilot.press("d")  # discard: closed, nothing saved, no draft
        await settle(pilot)
        assert pilot.app.screen is screen
        store = pilot.app.store  # type: ignore[attr-defined]
        assert store.note(HUAYI, "metrics") is None
        assert store.draft(HUAYI, "metrics") is None
        assert Store.open().draft(HUAYI, "metrics") is None
        await pilot.press("e")  # reopened: empty again
        await settle(pilot)
        assert editor_text(pilot) == ""

    drive(bundled_app(), scenario)


def test_a_click_outside_closes_the_editor_the_same_way():
    async def scenario(pilot: Pilot) -> None:
        screen = await open_case(pilot, HUAYI, "metrics")
        await pilot.press("e")
        await settle(pilot)
        await pilot.click(offset=(0, 0))  # unchanged: closes at once
        await settle(pilot)
        assert pilot.app.screen is screen
        await pilot.press("e")
        await settle(pilot)
        await type_text(pilot, "x")
        await pilot.click(offset=(0, 0))  # changed: asks
        await settle(pilot)
        assert isinstance(pilot.app.screen, ConfirmDiscard)
        await pilot.click(offset=(0, 0))  # a click outside the question: keep editing
        await settle(pilot)
        assert editor_text(pilot) == "x"
        await pilot.click(offset=(0, 0))
        await settle(pilot)
        await pilot.click("#discard")
        await settle(pilot)
        assert pilot.app.screen is screen
        assert pilot.app.store.note(HUAYI, "metrics") is None  # type: ignore[attr-defined]

    drive(bundled_app(), scenario)


def test_a_draft_is_kept_while_typing_and_survives_a_crash():
    async def typing(pilot: Pilot) -> None:
        await open_case(pilot, HUAYI, "metrics")
        await pilot.press("e")
        await settle(pilot)
        await type_text(pilot, "never lost")
        # Another process (the app after a crash) reads the draft from disk meanwhile.
        await until(
            pilot, lambda: Store.open().draft(HUAYI, "metrics") == "never lost", "the draft"
        )
        assert isinstance(pilot.app.screen, NoteEditor)  # still typing: nothing saved
        assert Store.open().note(HUAYI, "metrics") is None

    drive(bundled_app(), typing)

    async def after(pilot: Pilot) -> None:  # a new app on the same data folder
        await open_case(pilot, HUAYI, "metrics")
        await pilot.press("e")
        await settle(pilot)
        assert editor_text(pilot) == "never lost"
        assert "unsaved text, restored" in screen_text(pilot.app)  # type: ignore[arg-type]
        await pilot.press("ctrl+s")  # saved: the draft goes
        await settle(pilot)
        assert not isinstance(pilot.app.screen, NoteEditor)
        assert Store.open().note(HUAYI, "metrics").text == "never lost"  # type: ignore[union-attr]
        assert Store.open().draft(HUAYI, "metrics") is None

    drive(bundled_app(), after)


def test_answers_are_written_shown_under_their_question_and_counted():
    hostile = "cash [b]first[/b] <i>"

    async def scenario(pilot: Pilot) -> None:
        screen = await open_case(pilot, HUAYI, "discussion")
        questions = screen.query(QuestionBlock)
        total = len(questions)
        assert total >= 2
        assert shows(pane_lines(pilot.app, "discussion"), f"0/{total} answered")  # type: ignore[arg-type]
        questions.first().focus()
        await pilot.press("down")  # the second question
        await settle(pilot)
        await pilot.press("a")
        await settle(pilot)
        assert isinstance(pilot.app.screen, NoteEditor)
        assert "Answer 2" in screen_text(pilot.app)  # type: ignore[arg-type]
        await type_text(pilot, hostile)
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert pilot.app.screen is screen
        store = pilot.app.store  # type: ignore[attr-defined]
        assert store.answers_for(HUAYI) == {1: hostile}
        assert Store.open().answers_for(HUAYI) == {1: hostile}  # on disk
        assert store.draft(HUAYI, answer_draft_key(1)) is None
        lines = pane_lines(pilot.app, "discussion")  # type: ignore[arg-type]
        assert shows(lines, f"1/{total} answered")
        assert shows_wrapped(lines, hostile)  # as typed: plain text, not markup
        second = explorer(pilot.app).query(QuestionBlock)[1]  # type: ignore[arg-type]
        assert shows_wrapped(widget_lines(second), hostile)
        first = explorer(pilot.app).query(QuestionBlock)[0]  # type: ignore[arg-type]
        assert not shows_wrapped(widget_lines(first), hostile)

    drive(bundled_app(), scenario)


def test_answer_key_elsewhere_shows_the_questions_first():
    async def scenario(pilot: Pilot) -> None:
        screen = await open_case(pilot, HUAYI, "metrics")
        await pilot.press("a")
        await settle(pilot)
        assert screen.pane == "discussion"
        assert pilot.app.screen is screen

    drive(bundled_app(), scenario)
