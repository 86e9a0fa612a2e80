"""The trainer's side of a live class: the class bar, questions opened and closed, answers
on the slide screen (anonymous, then named; a bar chart for choices), cold calls and
contributions, the participation panel, the join address's QR code, and ``casebook
class start`` refusing an address it cannot bind.

A real class server on 127.0.0.1 (port 0), with aiohttp websocket clients as students.
"""

from __future__ import annotations

import asyncio
import socket
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager

import aiohttp
import msgspec
import pytest
from pilot_support import (
    CASES,
    SMALL,
    notified,
    quiet,
    recording,
    run_from_palette,
    screen_lines,
    until,
)
from textual.pilot import Pilot

from casebook.app import CasebookApp, make_app
from casebook.cli import main
from casebook.model.classroom import protocol
from casebook.model.classroom.record import ClassRecord, record_path
from casebook.model.classroom.server import ClassServer, new_code
from casebook.model.format.case import Question
from casebook.model.format.text import Lang
from casebook.model.load.library import Library, load_library
from casebook.screens.class_dialogs import (
    ColdCallScreen,
    JoinScreen,
    ParticipationScreen,
    QualityDialog,
    StudentPicker,
)
from casebook.screens.class_trainer import ClassScreen, ClassSetup
from casebook.screens.help import HelpScreen
from casebook.widgets.qr import qr_text

pytestmark = pytest.mark.slow  # a class server listens on 127.0.0.1

CASE_ID = "huayi-precision"
HOSTILE = "[bold red]Eve[/] [link=https://x]"
HOSTILE_ANSWER = "[@click=app.quit]quit[/] <b>loud</b> [red]"


def library(choices: bool = False) -> Library:
    """The bundled cases in the instructor edition; with ``choices``, the case's first
    discussion question offers three."""
    found = load_library([CASES], "instructor")
    if choices:
        case = found.cases[CASE_ID]
        first = Question(en="Which first?", zh="先做哪一项？", choices=["Cost", "Speed", "Risk"])
        asked = [first, *case.discussion_questions[1:]]
        cases = dict(found.cases)
        cases[CASE_ID] = msgspec.structs.replace(case, discussion_questions=asked)
        found.cases = cases
    return found


def class_app(found: Library, *, lang: Lang = "en", console: bool = False) -> CasebookApp:
    case = found.cases[CASE_ID]
    record = ClassRecord.create(
        record_path(),
        case_id=CASE_ID,
        title="Test class",
        lang=lang,
        code=new_code(),
        host="127.0.0.1",
        port=0,
    )
    setup = ClassSetup(
        lambda changed: ClassServer(
            case, record=record, title="Test class", lang=lang, on_change=changed
        ),
        case_id=CASE_ID,
        console=console,
    )
    return recording(quiet(make_app(library=found, classroom=setup, lang=lang)))


def screen(app: CasebookApp) -> ClassScreen:
    found = next(s for s in app.screen_stack if isinstance(s, ClassScreen))
    return found


def text(app: CasebookApp) -> str:
    return "\n".join(screen_lines(app))


class Student:
    """A student's websocket: joins, answers, reads what the server sends."""

    def __init__(self, ws: aiohttp.ClientWebSocketResponse) -> None:
        self.ws = ws

    async def answer(self, question: int, said: str = "", choice: int | None = None) -> None:
        message = protocol.Answer(question=question, text=said, choice=choice)
        await self.ws.send_bytes(protocol.encode(message))
        while True:  # until the server says it was recorded
            got = protocol.decode_from_server((await self.ws.receive()).data)
            if isinstance(got, protocol.Received):
                return


@asynccontextmanager
async def students(server: ClassServer, *names: str) -> AsyncIterator[list[Student]]:
    address = server.join_addresses()[0] + "/ws"
    async with aiohttp.ClientSession() as session:
        joined = []
        for name in names:
            ws = await session.ws_connect(address)
            await ws.send_bytes(protocol.encode(protocol.Join(code=server.code, name=name)))
            while not isinstance(
                protocol.decode_from_server((await ws.receive()).data), protocol.Welcome
            ):
                pass
            joined.append(Student(ws))
        yield joined
        for student in joined:
            await student.ws.close()


Scenario = Callable[[Pilot, CasebookApp, ClassScreen], Awaitable[None]]


def teach(
    scenario: Scenario,
    *,
    choices: bool = False,
    lang: Lang = "en",
    size: tuple[int, int] = (100, 30),
    console: bool = False,
) -> CasebookApp:
    """Run ``scenario`` in a class started as the command line starts it: the server
    listening before the app runs, on the same event loop."""
    app = class_app(library(choices), lang=lang, console=console)
    assert app.classroom is not None
    setup = app.classroom

    async def main() -> None:
        await setup.start()
        try:
            async with app.run_test(size=size) as pilot:
                await until(pilot, lambda: isinstance(app.screen, ClassScreen), "the screen")
                await asyncio.wait_for(scenario(pilot, app, screen(app)), 30)
        finally:
            await setup.close(ended=True)

    asyncio.run(main())
    return app


async def to_discussion(pilot: Pilot, shown: ClassScreen, step: int = 1) -> None:
    number = next(i for i, s in enumerate(shown.deck.slides, 1) if s.kind == "discussion")
    shown.go_to_place(number, step)
    await pilot.pause()


# -- the class bar, questions, answers --------------------------------------------------------


def test_bar_counts_students_and_answers_and_o_opens_and_closes() -> None:
    async def scenario(pilot: Pilot, app: CasebookApp, shown: ClassScreen) -> None:
        server = shown.server
        assert "0 connected" in text(app)
        assert server.join_addresses()[0].removeprefix("http://") in text(app)
        await pilot.press("o")  # not on the discussion slide: nothing opens
        assert server.open_question_number is None
        assert any("discussion slide" in said for said in notified(app))
        async with students(server, "Ana", "Bo") as (ana, bo):
            await until(pilot, lambda: "2 connected" in text(app), "two students counted")
            await to_discussion(pilot, shown, step=2)
            await pilot.press("o")
            assert server.open_question_number == 2
            await until(pilot, lambda: "Q2 open: 0 answered" in text(app), "the question")
            await ana.answer(2, "Cut costs")
            await bo.answer(2, "Grow")
            await bo.answer(2, "Grow, then cut")  # a revision counts once
            await until(pilot, lambda: "Q2 open: 2 answered" in text(app), "two answers")
            await pilot.press("o")
            assert server.open_question_number is None
            await until(pilot, lambda: "Q2 open" not in text(app), "the question closed")
            assert "Question 2 closed: 2 answers" in notified(app)
        await until(pilot, lambda: "0 connected" in text(app), "students gone")

    teach(scenario)


def test_answers_show_anonymous_then_named_and_hostile_text_literally() -> None:
    async def scenario(pilot: Pilot, app: CasebookApp, shown: ClassScreen) -> None:
        async with students(shown.server, HOSTILE, "Bo") as (eve, bo):
            await to_discussion(pilot, shown)
            await pilot.press("o")
            await eve.answer(1, HOSTILE_ANSWER)
            await bo.answer(1, "Plain answer")
            await pilot.press("v")
            await until(pilot, lambda: "Plain answer" in text(app), "the answers")
            assert HOSTILE_ANSWER in text(app)
            assert "Eve" not in text(app) and "Bo:" not in text(app)  # anonymous
            await pilot.press("N")
            await until(pilot, lambda: f"{HOSTILE}: {HOSTILE_ANSWER}" in text(app), "names")
            assert "Bo: Plain answer" in text(app)
            await pilot.press("v")  # the slides again
            await until(pilot, lambda: "Plain answer" not in text(app), "the slide")
        assert app.is_running  # the hostile markup quit nothing

    teach(scenario)


def test_choices_show_as_a_bar_chart_with_counts() -> None:
    async def scenario(pilot: Pilot, app: CasebookApp, shown: ClassScreen) -> None:
        async with students(shown.server, "Ana", "Bo", "Cy") as (ana, bo, cy):
            await to_discussion(pilot, shown)
            await pilot.press("o")
            await ana.answer(1, choice=2)
            await bo.answer(1, choice=2)
            await cy.answer(1, choice=3)
            await pilot.press("v")
            await until(pilot, lambda: "2. Speed" in text(app), "the chart")
            rows = {
                label: line
                for line in screen_lines(app)
                for label in ("Cost", "Speed", "Risk")
                if f". {label}" in line
            }
            assert rows["Speed"].count("█") > rows["Risk"].count("█") > 0
            assert "█" not in rows["Cost"]
            assert rows["Speed"].rstrip().endswith("2") and rows["Risk"].rstrip().endswith("1")

    teach(scenario, choices=True)


def test_redraws_are_debounced() -> None:
    async def scenario(pilot: Pilot, app: CasebookApp, shown: ClassScreen) -> None:
        await pilot.pause()
        before = shown.redraws
        for _ in range(200):
            shown.setup.changed()
        await until(pilot, lambda: shown.redraws > before, "a redraw")
        await pilot.pause()
        assert shown.redraws - before == 1

    teach(scenario)


# -- cold call, contributions, participation ---------------------------------------------------


def test_cold_call_shows_a_name_here_then_to_the_room_and_marks_contributions() -> None:
    async def scenario(pilot: Pilot, app: CasebookApp, shown: ClassScreen) -> None:
        server = shown.server
        await pilot.press("k")
        assert "No student is connected to call on." in notified(app)
        async with students(server, HOSTILE):
            await until(pilot, lambda: server.connected_count == 1, "a student")
            await pilot.press("k")
            await until(pilot, lambda: isinstance(app.screen, ColdCallScreen), "the call")
            assert HOSTILE in text(app)
            await pilot.press("escape")  # kept private: the room sees no name
            await pilot.pause()
            assert HOSTILE not in text(app)
            await pilot.press("k")
            await until(pilot, lambda: isinstance(app.screen, ColdCallScreen), "the call")
            await pilot.press("enter")  # shown to the room
            await until(pilot, lambda: f"Called on  {HOSTILE}" in text(app), "the banner")
            await pilot.press("c")  # the called student's contribution
            await until(pilot, lambda: isinstance(app.screen, QualityDialog), "the quality")
            await pilot.press("2")
            await pilot.pause()
            (eve,) = server.participants()
            assert (eve.contributions, eve.calls) == (1, 2)
            assert f"Contribution marked: {HOSTILE} (quality 2)" in notified(app)
            assert HOSTILE not in text(app)  # the banner goes with the mark

    teach(scenario)


def test_contribution_from_a_filtered_list() -> None:
    async def scenario(pilot: Pilot, app: CasebookApp, shown: ClassScreen) -> None:
        server = shown.server
        async with students(server, "Ana", "Bo", "Boris"):
            await until(pilot, lambda: server.connected_count == 3, "students")
            await pilot.press("c")
            await until(pilot, lambda: isinstance(app.screen, StudentPicker), "the list")
            await pilot.press("r", "i")  # only Boris
            await pilot.pause()
            assert [p.name for p in app.screen.shown] == ["Boris"]
            await pilot.press("enter")
            await until(pilot, lambda: isinstance(app.screen, QualityDialog), "the quality")
            await pilot.press("enter")  # no mark
            await pilot.pause()
            counts = {p.name: p.contributions for p in server.participants()}
            assert counts == {"Ana": 0, "Bo": 0, "Boris": 1}
            assert "Contribution marked: Boris" in notified(app)

    teach(scenario)


def test_participation_panel_sorts_and_marks_the_never_called() -> None:
    async def scenario(pilot: Pilot, app: CasebookApp, shown: ClassScreen) -> None:
        server = shown.server
        async with students(server, "Ana", "Bo", "Cy") as (ana, _bo, _cy):
            await until(pilot, lambda: server.connected_count == 3, "students")
            ids = {p.name: p.id for p in server.participants()}
            server.mark_contribution(ids["Cy"])
            server.mark_contribution(ids["Cy"], 3)
            server.mark_contribution(ids["Ana"])
            await to_discussion(pilot, shown)
            await pilot.press("o")
            await ana.answer(1, "yes")
            await pilot.press("P")
            await until(pilot, lambda: isinstance(app.screen, ParticipationScreen), "panel")

            def order() -> list[str]:
                rows = [line for line in screen_lines(app) if any(n in line for n in ids)]
                return [next(n for n in ids if f" {n} " in f" {line} ") for line in rows]

            await pilot.press("c")  # most contributions first
            await until(pilot, lambda: order() == ["Cy", "Ana", "Bo"], "by contributions")
            await pilot.press("c")  # again: the other way
            await until(pilot, lambda: order() == ["Bo", "Ana", "Cy"], "reversed")
            await pilot.press("a")
            await until(pilot, lambda: order()[0] == "Ana", "by answers")
            await pilot.press("n")
            await until(pilot, lambda: order() == ["Ana", "Bo", "Cy"], "by name")
            assert sum("◆" in line for line in screen_lines(app)) == 3 + 1  # rows + legend

    teach(scenario)


# -- join address, help, languages --------------------------------------------------------------


def test_qr_code_is_the_matrix_in_half_blocks() -> None:
    import segno

    data = "http://192.168.1.20:8123/c/AbCdEfGhIjKlMnOp"
    rows = [[bool(m) for m in row] for row in segno.make(data, micro=False).matrix_iter(border=4)]
    drawn = qr_text(data).plain.splitlines()
    for y, row in enumerate(rows):
        for x, dark in enumerate(row):
            cell = drawn[y // 2][x]
            assert dark == (cell == "█" or cell == ("▀" if y % 2 == 0 else "▄")), (x, y)
    assert qr_text(data).style == "#000000 on #ffffff"


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_every_class_screen_fits_80x24(lang: Lang) -> None:
    """The bar, the join panel with its QR code, a call, the list, the panel, the answers
    and the help, in both languages at 80x24."""
    words = {
        "en": ("1 connected", "Join the class", "Call on", "Whose contribution?", "Participation"),
        "zh": ("1 人在线", "加入课堂", "点名", "谁的发言？", "参与情况"),
    }[lang]

    async def scenario(pilot: Pilot, app: CasebookApp, shown: ClassScreen) -> None:
        async with students(shown.server, "学生甲") as (student,):
            await until(pilot, lambda: words[0] in text(app), "the bar")
            await pilot.press("j")
            await until(pilot, lambda: isinstance(app.screen, JoinScreen), "the join panel")
            assert words[1] in text(app) and "▀" in text(app)  # the QR code fits
            await pilot.press("escape")
            await pilot.press("k")
            await until(pilot, lambda: isinstance(app.screen, ColdCallScreen), "the call")
            assert words[2] in text(app) and "学生甲" in text(app)
            await pilot.press("escape", "c")  # the called student's contribution
            await until(pilot, lambda: isinstance(app.screen, QualityDialog), "the quality")
            assert "学生甲" in text(app)
            await pilot.press("enter", "c")  # marked: now c asks whose
            await until(pilot, lambda: isinstance(app.screen, StudentPicker), "the list")
            assert words[3] in text(app)
            await pilot.press("escape", "P")
            await until(pilot, lambda: isinstance(app.screen, ParticipationScreen), "panel")
            assert words[4] in text(app) and "学生甲" in text(app)
            await pilot.press("escape")
            await to_discussion(pilot, shown)
            await pilot.press("o")
            await student.answer(1, "答案")
            await pilot.press("v")
            await until(pilot, lambda: "答案" in text(app), "the answers")
            await pilot.press("question_mark")
            await until(pilot, lambda: isinstance(app.screen, HelpScreen), "help")
            assert ("Pick a student" if lang == "en" else "随机点名") in text(app)

    teach(scenario, lang=lang, size=SMALL)


def test_console_mode_has_the_class_bar_and_the_palette_opens_questions() -> None:
    async def scenario(pilot: Pilot, app: CasebookApp, shown: ClassScreen) -> None:
        assert shown.console
        assert "0 connected" in text(app)
        await to_discussion(pilot, shown, step=3)
        await run_from_palette(pilot, "Question", "Question")
        assert shown.server.open_question_number == 3

    teach(scenario, console=True)


# -- the command line -------------------------------------------------------------------------


def test_class_start_refuses_a_port_in_use_in_one_line(capsys: pytest.CaptureFixture) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        status = main(["class", "start", CASE_ID, "--port", str(port), "--cases", str(CASES)])
    err = capsys.readouterr().err.strip()
    assert status != 0
    assert len(err.splitlines()) == 1 and f"cannot listen on 127.0.0.1:{port}" in err


def test_class_start_refuses_an_address_not_here_in_one_line(
    capsys: pytest.CaptureFixture,
) -> None:
    status = main(["class", "start", CASE_ID, "--host", "203.0.113.7", "--cases", str(CASES)])
    out, err = capsys.readouterr()
    assert status != 0
    assert "not only this machine" in out  # said before binding
    assert len(err.strip().splitlines()) == 1 and "cannot listen on 203.0.113.7" in err
