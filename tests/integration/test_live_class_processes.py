"""Issue #18 end to end: a live class of real processes on 127.0.0.1.

The trainer is ``casebook class start`` in a pseudo-terminal, driven by the keys written
to it; one student is ``casebook join`` in another; the others are :class:`ClassClient`
instances on the test's loop. The class record is read as the trainer's process writes it
(and after it is killed with SIGKILL), with :func:`list_classes`, SQLite and ``casebook
class export``.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import re
import signal
import sqlite3
import subprocess
import sys
from collections.abc import Awaitable, Callable
from pathlib import Path

import aiohttp
import pytest

import terminal_support
from casebook.model.classroom import protocol
from casebook.model.classroom.client import ClassClient, Status
from casebook.model.classroom.record import list_classes, record_path
from casebook.model.format.words import t

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(sys.platform == "win32", reason="needs a pty"),
]

HUAYI = "huayi-precision"
DISCUSSION = 10
"""The discussion slide of the case, in the trainer's deck and the students'."""
STUDENT_SLIDES = 10
RIGHT = b"\x1b[C"
WAIT = 20.0
"""The most any one condition is waited for, in seconds."""
ADDRESS = re.compile(r"http://127\.0\.0\.1:\d+/c/[A-Za-z0-9_-]{16,64}")
HOSTILE_NAME = "[b]x[/b]\x1b[31m\x07 Eve\u202e"
HOSTILE_ANSWER = "[b]x[/b] \x1b[2J\x00loud"


async def until(condition: Callable[[], object], what: str, wait: float = WAIT) -> None:
    """Poll ``condition`` until it holds, for at most ``wait`` seconds."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + wait
    while not condition():
        if loop.time() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        await asyncio.sleep(0.02)


class Terminal(terminal_support.Terminal):
    """A casebook command in a pseudo-terminal, waited on from the test's loop."""

    def __init__(self, *args: str, data: Path, rows: int = 50, cols: int = 160) -> None:
        super().__init__(*args, rows=rows, cols=cols, data=data)

    async def shows(self, words: str, since: int = 0) -> None:
        await until(lambda: words in self.text(since), f"{words!r} on {self.args}")


class Student:
    """A student as a :class:`ClassClient` on the test's loop: every message it got kept."""

    def __init__(self, address: str, name: str, student: str | None = None) -> None:
        self.client = ClassClient(address, name, student=student)
        self.got: list[object] = []
        self.task = asyncio.get_running_loop().create_task(self.client.run(self.got.append))

    def all(self, kind: type) -> list:
        return [item for item in self.got if isinstance(item, kind)]

    def states(self) -> list[str]:
        return [status.state for status in self.all(Status)]

    @property
    def place(self) -> tuple[int, int] | None:
        slides = self.all(protocol.Slide)
        return (slides[-1].slide, slides[-1].step) if slides else None

    @property
    def welcome(self) -> protocol.Welcome:
        return self.all(protocol.Welcome)[-1]

    async def joined(self, welcomes: int = 1) -> None:
        await until(lambda: len(self.all(protocol.Welcome)) >= welcomes, f"{self.client.name} in")
        await until(lambda: self.states()[-1] == "connected", f"{self.client.name} connected")

    async def answer(self, question: int, text: str) -> int:
        """Answer (or revise) and return the revision the server recorded."""
        before = len(self.all(protocol.Received))
        await self.client.answer(question, text=text)
        await until(lambda: len(self.all(protocol.Received)) > before, f"{text!r} received")
        return int(self.all(protocol.Received)[-1].revision)

    async def stop(self) -> None:
        self.client.stop()
        await asyncio.wait_for(self.task, WAIT)


def run(scenario: Callable[[Path], Awaitable[None]]) -> None:
    """Run ``scenario(data)`` on a fresh loop, ``data`` being the trainer's data folder."""
    data = Path(os.environ["CASEBOOK_DATA_DIR"])
    asyncio.run(asyncio.wait_for(scenario(data), 50))


async def start_class(data: Path) -> tuple[Terminal, str]:
    """``casebook class start`` in a terminal, on a free port it picks itself (a port
    picked here and freed could be taken by another test before the class binds it),
    and the join address it printed."""
    trainer = Terminal("class", "start", HUAYI, data=data)
    await until(lambda: ADDRESS.search(trainer.text()), "the join address")
    found = ADDRESS.search(trainer.text())
    assert found is not None
    return trainer, found.group()


async def advance(trainer: Terminal, students: list[Student], place: tuple[int, int]) -> None:
    """Press Right until the students are shown ``place``: each press moves every one.

    A press is seen done when each student's place has changed, not when a slide has
    come: the slide a student is sent on joining comes after the welcome, and the trainer
    sends the slide again when its deck is laid out anew (its terminal's size), so a slide
    counted as a press's could be an earlier one, the trainer then a step past ``place``."""
    await until(lambda: all(student.place for student in students), "the first slide")
    for _ in range(40):
        if students[0].place == place:
            return
        before = [student.place for student in students]
        trainer.press(RIGHT)
        for student, was in zip(students, before, strict=True):
            await until(lambda s=student, w=was: s.place != w, "the next slide")
        assert len({student.place for student in students}) == 1
    raise AssertionError(f"never reached {place}")


async def open_second_question(trainer: Terminal, students: list[Student]) -> None:
    """To the discussion slide with its second question revealed, and open it (``o``)."""
    await advance(trainer, students, (DISCUSSION, 2))
    trainer.press(b"o")
    for student in students:
        await until(
            lambda s=student: any(q.question == 2 and q.open for q in s.all(protocol.Question)),
            "question 2 open",
        )


async def answer_question_2(trainer: Terminal, ana: Student, bo: Student, cy: Terminal) -> int:
    """Question 2 opened and answered: Ana twice (a revision), Bo once, Cy in his
    terminal once; Cy's output mark from before it opened."""
    mark = cy.mark()
    await open_second_question(trainer, [ana, bo])
    await cy.shows("Question 2", mark)
    assert await ana.answer(2, "Cut costs") == 1
    assert await ana.answer(2, "Cut costs then grow") == 2
    assert await bo.answer(2, "Grow") == 1
    cy.press(b"Robots first\r")
    await cy.shows("revision 1", mark)
    return mark


def answers_in_record(data: Path) -> dict[tuple[str, int], str]:
    """Every answer revision in the record, read apart from the trainer: (name, revision)
    → text, for question 2."""
    with contextlib.closing(sqlite3.connect(data / record_path().name)) as db:
        rows = db.execute(
            "SELECT s.name, a.revision, a.text FROM answers a JOIN students s "
            "ON s.class_id = a.class_id AND s.id = a.student WHERE a.question = 2"
        ).fetchall()
    return {(name, revision): text for name, revision, text in rows}


def connected_in_record(data: Path) -> list[str]:
    """The names of the students whose connection the record has open, sorted."""
    with contextlib.closing(sqlite3.connect(data / record_path().name)) as db:
        rows = db.execute(
            "SELECT DISTINCT s.name FROM connections c JOIN students s "
            "ON s.class_id = c.class_id AND s.id = c.student WHERE c.left IS NULL"
        ).fetchall()
    return sorted(name for (name,) in rows)


def participants() -> int:
    classes = list_classes(record_path())
    return classes[0].participants if classes else 0


async def raw_join(
    session: aiohttp.ClientSession, address: str, name: str, code: str = ""
) -> aiohttp.ClientWebSocketResponse:
    """A websocket that sends a Join by hand (``code``: another class's code)."""
    ws = await session.ws_connect(address + "/ws")
    join = protocol.Join(code=code or address.rsplit("/", 1)[1], name=name)
    await ws.send_bytes(protocol.encode(join))
    return ws


async def refusal(ws: aiohttp.ClientWebSocketResponse) -> str:
    """The reason the server refuses this connection for; then the connection closes."""
    while True:
        received = await asyncio.wait_for(ws.receive(), WAIT)
        assert received.type in (aiohttp.WSMsgType.TEXT, aiohttp.WSMsgType.BINARY), received
        message = protocol.decode_from_server(received.data)
        if isinstance(message, protocol.Refused):
            closed = await asyncio.wait_for(ws.receive(), WAIT)
            assert closed.type in (aiohttp.WSMsgType.CLOSE, aiohttp.WSMsgType.CLOSED)
            return message.reason


async def welcomed(ws: aiohttp.ClientWebSocketResponse) -> None:
    while True:
        received = await asyncio.wait_for(ws.receive(), WAIT)
        if isinstance(protocol.decode_from_server(received.data), protocol.Welcome):
            return


# -- a class of three, driven by the trainer's keys ---------------------------------------


def test_a_class_of_three_follows_answers_and_shrugs_off_hostile_students(
    tmp_path: Path,
) -> None:
    async def scenario(data: Path) -> None:
        trainer, address = await start_class(data)
        cy = Terminal("join", address, "--name", "Cy", data=tmp_path / "cy", rows=40, cols=120)
        try:
            ana, bo = Student(address, "Ana"), Student(address, "Bo")
            await ana.joined()
            await bo.joined()
            await cy.shows(f"following 1/{STUDENT_SLIDES}")
            await until(lambda: participants() == 3, "three students in the record")
            assert ana.place == bo.place == (1, 1)

            # Cy browses on his own (f), the trainer moves on, Cy follows again (f).
            mark = cy.mark()
            cy.press(b"f")
            await cy.shows(f"browsing 1/{STUDENT_SLIDES}", mark)
            await advance(trainer, [ana, bo], (DISCUSSION, 1))
            await cy.shows(f"trainer: {DISCUSSION}/{STUDENT_SLIDES}", mark)
            assert f"following {DISCUSSION}" not in cy.text(mark)
            mark = cy.mark()
            cy.press(b"f")
            await cy.shows(f"following {DISCUSSION}/{STUDENT_SLIDES}", mark)

            # The second question revealed (Right) and opened (o); answers and revisions.
            mark = await answer_question_2(trainer, ana, bo, cy)
            assert ana.place == (DISCUSSION, 2)
            cy.press(b" and people second\r")  # revised: the answer stays in the field
            await cy.shows("revision 2", mark)

            # A hostile name and answer: shown as text, controls gone; too long: refused.
            eve = Student(address, HOSTILE_NAME)
            await eve.joined()
            name = eve.welcome.name
            assert "[b]x[/b]" in name and "Eve" in name and name.isprintable(), name
            assert await eve.answer(2, HOSTILE_ANSWER) == 1
            mark = trainer.mark()
            trainer.press(b"vN")  # the answers, with names: the markup shown as typed
            await trainer.shows("[b]x[/b] [2Jloud", mark)
            await trainer.shows(name, mark)
            trainer.press(b"v")
            await eve.client.answer(2, text="y" * (protocol.MAX_ANSWER + 1))
            await asyncio.wait_for(eve.task, WAIT)
            assert eve.states()[-1] == "refused"
            assert eve.all(protocol.Refused)[-1].reason == t("refused_answer", "en")

            # A wrong class code: 404 for the page and the websocket, Refused in a Join.
            wrong = address.rsplit("/", 1)[0] + "/" + "A" * 16
            async with aiohttp.ClientSession() as session:
                async with session.get(wrong) as page:
                    assert page.status == 404
                with pytest.raises(aiohttp.WSServerHandshakeError) as handshake:
                    await session.ws_connect(wrong + "/ws")
                assert handshake.value.status == 404
                ws = await raw_join(session, address, "Mallory", code="B" * 16)
                assert await refusal(ws) == t("refused_code", "en")
            lost = Student(wrong, "Zed")  # refused at once, not retried for ever
            await asyncio.wait_for(lost.task, WAIT)
            assert lost.states() == ["connecting", "refused"]
            zed = Terminal("join", wrong, "--name", "Zed", data=tmp_path / "zed")
            try:
                await zed.shows(t("class_refused", "en", reason=t("refused_code", "en")))
            finally:
                zed.close()

            # An oversized message and a malformed one close only their connection.
            async with aiohttp.ClientSession() as session:
                big = await raw_join(session, address, "Oscar")
                await welcomed(big)
                await big.send_str('"' + "x" * protocol.MAX_FROM_STUDENT + '"')
                assert await refusal(big) == t("refused_malformed", "en")
                bad = await raw_join(session, address, "Mel")
                await welcomed(bad)
                await bad.send_str('{"type": "answer", "question": "two"')
                assert await refusal(bad) == t("refused_malformed", "en")

            # Everyone else is still there, and follows the next step.
            mark = cy.mark()
            await advance(trainer, [ana, bo], (DISCUSSION, 3))
            await cy.shows(f"following {DISCUSSION}/", mark)
            assert connected_in_record(data) == ["Ana", "Bo", "Cy"]
            assert ana.states() == bo.states() == ["connecting", "connected"]
            assert answers_in_record(data) == {
                ("Ana", 1): "Cut costs",
                ("Ana", 2): "Cut costs then grow",
                ("Bo", 1): "Grow",
                ("Cy", 1): "Robots first",
                ("Cy", 2): "Robots first and people second",
                (name, 1): "[b]x[/b] [2Jloud",
            }
            await ana.stop()
            await bo.stop()
        except Exception:
            print(trainer.text()[-3000:], cy.text()[-3000:], sep="\n\n")
            raise
        finally:
            cy.close()
            trainer.close()

    run(scenario)


# -- a student drops and comes back ---------------------------------------------------------


def test_a_student_who_drops_comes_back_as_the_same_student_with_the_answer() -> None:
    async def scenario(data: Path) -> None:
        trainer, address = await start_class(data)
        try:
            ana = Student(address, "Ana")
            await ana.joined()
            await open_second_question(trainer, [ana])
            assert await ana.answer(2, "Cut costs") == 1
            key = ana.welcome.student
            await ana.stop()
            await until(lambda: connected_in_record(data) == [], "Ana gone")

            again = Student(address, "Somebody else", student=key)
            await again.joined()
            assert (again.welcome.name, again.welcome.student) == ("Ana", key)
            # The slide and the question follow the welcome: waited for, as they come.
            await until(lambda: again.place == (DISCUSSION, 2), "the trainer's slide")
            await until(lambda: again.all(protocol.Question), "the question")
            asked = again.all(protocol.Question)[-1]
            assert (asked.question, asked.open, asked.answer) == (2, True, "Cut costs")
            assert await again.answer(2, "Cut costs then grow") == 2
            assert participants() == 1

            # The name is hers: another student asking for it is refused.
            impostor = Student(address, "ANA")
            await asyncio.wait_for(impostor.task, WAIT)
            assert impostor.all(protocol.Refused)[-1].reason == t("refused_taken", "en")
            assert again.states() == ["connecting", "connected"]
            await again.stop()
        finally:
            trainer.close()

    run(scenario)


# -- the trainer's process killed, then resumed --------------------------------------------


def test_the_trainer_killed_with_sigkill_resumes_with_every_answer(tmp_path: Path) -> None:
    async def scenario(data: Path) -> None:
        trainer, address = await start_class(data)
        cy = Terminal("join", address, "--name", "Cy", data=tmp_path / "cy", rows=40, cols=120)
        resumed: Terminal | None = None
        try:
            ana, bo = Student(address, "Ana"), Student(address, "Bo")
            await ana.joined()
            await bo.joined()
            await cy.shows(f"following 1/{STUDENT_SLIDES}")
            mark = await answer_question_2(trainer, ana, bo, cy)
            answered = {
                ("Ana", 1): "Cut costs",
                ("Ana", 2): "Cut costs then grow",
                ("Bo", 1): "Grow",
                ("Cy", 1): "Robots first",
            }

            mark = cy.mark()
            trainer.kill()
            assert trainer.process.returncode == -signal.SIGKILL
            assert answers_in_record(data) == answered  # committed before it was received
            await until(lambda: "lost" in ana.states() and "lost" in bo.states(), "lost")
            await cy.shows(t("join_lost", "en"), mark)

            mark = cy.mark()
            resumed = Terminal("class", "resume", data=data)
            await until(lambda: address in resumed.text(), "the same address again")
            for student in (ana, bo):
                await student.joined(welcomes=2)
                assert [w.student for w in student.all(protocol.Welcome)] == [
                    student.welcome.student
                ] * 2
                await until(lambda s=student: s.place == (DISCUSSION, 2), "the trainer's slide")
                await until(
                    lambda s=student: len(s.all(protocol.Question)) >= 2, "the question again"
                )
                asked = student.all(protocol.Question)[-1]
                assert (asked.question, asked.open) == (2, True)
            assert ana.all(protocol.Question)[-1].answer == "Cut costs then grow"
            assert bo.all(protocol.Question)[-1].answer == "Grow"
            await cy.shows(f"following {DISCUSSION}/{STUDENT_SLIDES}", mark)
            assert await ana.answer(2, "Cut costs then grow fast") == 3
            cy.press(b" and people second\r")  # his answer is still in the field
            await cy.shows("revision 2", mark)
            answered[("Ana", 3)] = "Cut costs then grow fast"
            answered[("Cy", 2)] = "Robots first and people second"
            assert answers_in_record(data) == answered
            assert connected_in_record(data) == ["Ana", "Bo", "Cy"]
            assert participants() == 3
            await ana.stop()
            await bo.stop()
        except Exception:
            print(cy.text()[-3000:])
            raise
        finally:
            cy.close()
            if resumed is not None:
                resumed.close()
            trainer.close()

        (summary,) = list_classes(record_path())
        assert (summary.participants, summary.answers) == (3, 3)
        markdown = export(summary.class_id, "md")
        lines = markdown.splitlines()
        for (name, revision), text in answered.items():  # each revision, with its number
            (line,) = [line for line in lines if line.endswith(f": {text}")]
            assert line.startswith(f"- **{name}** (")
            assert t("record_revision", "en", n=revision) in line
        rows = export(summary.class_id, "csv").splitlines()
        assert rows[0].startswith("Name,")
        assert sorted(row.split(",")[0] for row in rows[1:]) == ["Ana", "Bo", "Cy"]
        assert all(row.split(",")[3] == "1" for row in rows[1:])  # one question answered

    run(scenario)


def export(class_id: str, fmt: str) -> str:
    """``casebook class export CLASS_ID --format FMT``, as printed."""
    command = [sys.executable, "-m", "casebook", "class", "export", class_id, "--format", fmt]
    done = subprocess.run(command, capture_output=True, text=True, timeout=WAIT, check=True)
    return done.stdout
