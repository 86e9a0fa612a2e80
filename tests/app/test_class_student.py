"""The student's side of a live class (``casebook join``), against a fake class server on
127.0.0.1: waiting, following, browsing, answering, losing the connection, rejoining as
the same student, the end; a case sent by the trainer, good or bad; hostile text."""

from __future__ import annotations

import stat

import msgspec
import pytest
from class_fake import CODE, FakeClass
from pilot_support import CASES, SMALL, drive, quiet, screen_text, type_text, until
from textual.pilot import Pilot
from textual.widgets import Input, OptionList

from casebook.app import CasebookApp, make_app
from casebook.cli import main
from casebook.model.format.case import Case, Question
from casebook.model.load.library import Library, load_library
from casebook.screens.class_student import ClassStudentScreen
from casebook.state.class_keys import FILE_NAME, ClassKeys
from casebook.state.notes import Store

pytestmark = pytest.mark.slow

CASE_ID = "huayi-precision"


def received(revision: int) -> tuple[str, dict[str, object]]:
    """The screen's feedback once revision ``revision`` of an answer is recorded."""
    return ("answer_received", {"n": revision})


HOSTILE = "[bold red]Evil[/] [@click=app.quit]x[/]"


def _library() -> Library:
    return load_library([CASES], "student")


def _student(pilot: Pilot) -> ClassStudentScreen:
    screen = pilot.app.screen
    assert isinstance(screen, ClassStudentScreen)
    return screen


async def _joined(pilot: Pilot, fake: FakeClass, name: str | None = "Ana") -> ClassStudentScreen:
    address = await fake.start()
    app = pilot.app
    assert isinstance(app, CasebookApp)
    app.join_class(address, name)
    await pilot.pause()
    return _student(pilot)


def test_follow_browse_answer_lose_rejoin_end() -> None:
    library = _library()
    case = library.cases[CASE_ID]
    fake = FakeClass(case, title=HOSTILE)
    app = quiet(make_app(library=library))

    async def scenario(pilot: Pilot) -> None:
        screen = await _joined(pilot, fake, name=HOSTILE)
        try:
            await until(pilot, lambda: screen.phase == "waiting", "the welcome")
            assert "Waiting for the trainer" in screen_text(app)
            assert HOSTILE[:20] in screen_text(app)  # the title and the name, literally
            assert screen.case is library.cases[CASE_ID]  # the student's own copy
            deck = screen.deck
            assert deck is not None
            total = len(deck.slides)

            await fake.show(2, 1, total)
            await until(pilot, lambda: screen.phase == "lesson", "the first slide")
            assert screen.place == (2, 1)
            assert f"following 2/{total}" in screen_text(app)
            await fake.show(4, 2, total)
            await until(pilot, lambda: screen.place == (4, 2), "slide 4")

            browsed = screen.position + 1
            await pilot.press("f", "right")  # browse on alone
            assert not screen.following
            assert screen.position == browsed
            await fake.show(5, 1, total)
            await until(pilot, lambda: screen.trainer and screen.trainer.slide == 5, "slide 5")
            assert screen.position == browsed  # not moved by the trainer
            await pilot.pause()
            assert f"trainer: 5/{total}" in screen_text(app)
            await pilot.press("f")  # back where the trainer is
            assert screen.following
            assert screen.place == (5, 1)
            await pilot.pause()
            assert "trainer:" not in screen_text(app)

            # A slide students do not have (the instructor's epilogue): the last one, whole.
            last = deck.slides[-1]
            await fake.show(total + 1, 1, total + 1)
            await until(pilot, lambda: screen.place == (total, last.reveals), "the last slide")
            await fake.show(5, 1, total)
            await until(pilot, lambda: screen.place == (5, 1), "back to slide 5")

            await fake.ask(1, answer="[b]earlier[/b]")
            answer = screen.query_one("#answer-input", Input)
            await until(pilot, lambda: answer.has_focus, "the answer box")
            assert answer.value == "[b]earlier[/b]"  # the student's own answer, literally
            question = case.discussion_questions[0]
            assert str(getattr(question, "en", question))[:30] in screen_text(app)
            answer.value = ""
            await type_text(pilot, "Price [red]war[/red]")
            await pilot.press("enter")
            await until(pilot, lambda: len(fake.answers) == 1, "the answer")
            assert fake.answers[0].text == "Price [red]war[/red]"
            await until(pilot, lambda: screen.feedback == received(1), "received")
            await type_text(pilot, " now")
            await pilot.press("ctrl+s")  # a revision
            await until(
                pilot, lambda: screen.feedback == ("answer_received", {"n": 2}), "the revision"
            )
            assert fake.answers[1].text == "Price [red]war[/red] now"
            assert "Price [red]war[/red] now" in screen_text(app)

            await fake.ask(1, open=False)
            await until(pilot, lambda: answer.disabled, "the question closed")
            assert "closed" in screen_text(app)

            fake.down = True
            await fake.drop()
            await until(pilot, lambda: screen.phase == "lost", "the connection lost")
            assert "Connection lost, retrying" in screen_text(app)
            fake.down = False
            await until(pilot, lambda: screen.phase == "lesson", "the reconnection")
            key = screen.welcome.student if screen.welcome else None
            assert [join.student for join in fake.joins] == [None, key]
            assert fake.joins[1].digest == fake.digest  # no second copy of the case asked
            assert fake.cases_sent == 1

            await fake.end()
            await until(pilot, lambda: screen.phase == "ended", "the end")
            assert "The class has ended" in screen_text(app)
        finally:
            await fake.stop()

    drive(app, scenario, size=SMALL)


def _with_choices(case: Case) -> Case:
    """``case`` with a first question that offers choices, worded with markup."""
    asked = Question(en="[red]Pick[/red] one", zh="[red]选[/red]一个", choices=["A [b]x", "B"])
    questions = [asked, *case.discussion_questions[1:]]
    return msgspec.structs.replace(case, discussion_questions=questions)


def test_a_case_sent_by_the_trainer_in_chinese() -> None:
    case = _with_choices(_library().cases[CASE_ID])
    fake = FakeClass(case)
    app = quiet(make_app(library=Library(edition="student"), lang="zh"))

    async def scenario(pilot: Pilot) -> None:
        screen = await _joined(pilot, fake)
        try:
            await until(pilot, lambda: screen.case is not None, "the case sent")
            assert screen.case is not None and screen.case.teaching_notes is None
            assert "等待讲师" in screen_text(app)
            deck = screen.deck
            assert deck is not None
            await fake.show(2, 1, len(deck.slides))
            await until(pilot, lambda: screen.phase == "lesson", "the first slide")
            await pilot.press("left")
            await pilot.pause()
            assert f"讲师：2/{len(deck.slides)}" in screen_text(app)
            await fake.ask(1)
            options = screen.query_one("#answer-choices", OptionList)
            await until(pilot, lambda: options.has_focus, "the choices")
            text = screen_text(app)
            assert "[red]选[/red]一个" in text and "A [b]x" in text
            await pilot.press("down", "enter")
            await until(pilot, lambda: len(fake.answers) == 1, "the choice")
            assert fake.answers[0].choice == 2
            await pilot.press("l")
            await pilot.pause()
            assert "[red]Pick[/red] one" in screen_text(app)
        finally:
            await fake.stop()

    drive(app, scenario, size=SMALL)


def test_a_bad_case_is_refused_with_a_message() -> None:
    fake = FakeClass(_library().cases[CASE_ID], case_bytes=b'{"id": "x", "oops": [1]}')
    app = quiet(make_app(library=Library(edition="student")))

    async def scenario(pilot: Pilot) -> None:
        screen = await _joined(pilot, fake)
        try:
            await until(pilot, lambda: screen.phase == "refused", "the refusal")
            assert screen.case is None
            text = screen_text(app)
            assert "The case the trainer sent cannot be used" in text
            assert "not a valid case" in screen.detail and "unknown field `oops`" in text
        finally:
            await fake.stop()

    drive(app, scenario, size=SMALL)


def test_a_restarted_join_is_the_same_student_and_sends_a_draft() -> None:
    library = _library()
    fake = FakeClass(library.cases[CASE_ID])
    store = Store.in_memory()
    store.set_answer(CASE_ID, 0, "My prepared answer")

    async def first(pilot: Pilot) -> None:
        screen = await _joined(pilot, fake, name=None)  # the name is asked for
        try:
            assert "Your name in this class" in screen_text(pilot.app)
            await type_text(pilot, "Bo")
            await pilot.press("enter")
            await until(pilot, lambda: screen.phase == "waiting", "the welcome")
            assert fake.joins[0].name == "Bo"
        finally:
            await fake.stop()

    async def second(pilot: Pilot) -> None:
        screen = await _joined(pilot, fake, name="Bo")  # the server is back, on a new port
        try:
            await until(pilot, lambda: screen.phase == "waiting", "the welcome again")
            assert fake.joins[1].digest == fake.digest and fake.cases_sent == 1
            await fake.show(1)
            await fake.ask(1)
            await until(pilot, lambda: screen.query_one("#answer-input").has_focus, "answer")
            await pilot.press("escape", "u")  # leave the box, send the prepared answer
            await until(pilot, lambda: len(fake.answers) == 1, "the draft sent")
            assert fake.answers[0].text == "My prepared answer"
        finally:
            await fake.stop()

    drive(quiet(make_app(library=library, store=store)), first, size=SMALL)
    key = ClassKeys().get(CODE)
    assert key is not None and key.case_id == CASE_ID
    path = ClassKeys().path
    assert path.name == FILE_NAME and stat.S_IMODE(path.stat().st_mode) == 0o600
    drive(quiet(make_app(library=library, store=store)), second, size=SMALL)
    assert fake.joins[1].student == key.student


def test_a_bad_address_is_one_line_and_exit_2(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["join", "http://127.0.0.1:8000/nowhere"]) == 2
    err = capsys.readouterr().err.strip()
    assert "not a class address" in err and "\n" not in err
