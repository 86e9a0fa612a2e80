"""The class server on 127.0.0.1, driven by websocket clients and by ClassClient."""

from __future__ import annotations

import asyncio
import json
import re
from collections.abc import Awaitable, Callable
from pathlib import Path

import aiohttp
import pytest

from casebook.model.classroom import join_page, protocol
from casebook.model.classroom import server as server_module
from casebook.model.classroom.casedata import case_digest, case_from_bytes
from casebook.model.classroom.client import ClassClient, Status
from casebook.model.classroom.record import ClassRecord
from casebook.model.classroom.server import ClassServer, new_code
from casebook.model.format.case import Case
from casebook.model.format.words import t
from casebook.model.load.loader import load_file

pytestmark = pytest.mark.slow

CASE = """id: live
company: {name: Live Co}
summary: A case for a live class.
timeline:
  - {date: 2019-03, title: Began}
challenges:
  - title: Costs
    problem: Costs rose.
    solutions: [Cut waste, Buy better]
discussion_questions:
  - What would you do?
  - {en: Which first?, zh: 先做哪个？, choices: [Price, {en: Quality, zh: 质量}, Speed]}
teaching_notes:
  key_points: [secret point]
epilogue: What happened next.
"""
WAIT = 5.0
HOSTILE_TITLE = "<script>alert(1)</script> & [bold]x[/]"


@pytest.fixture
def case(tmp_path: Path) -> Case:
    path = tmp_path / "live.yaml"
    path.write_text(CASE, encoding="utf-8")
    loaded = load_file(path)
    assert loaded.ok, loaded.diagnostics
    assert isinstance(loaded.document, Case)
    return loaded.document


Scenario = Callable[[ClassServer, str], Awaitable[None]]


def run_class(
    case: Case, tmp_path: Path, scenario: Scenario, *, end: bool = True, **options: object
) -> Path:
    """Start a class on 127.0.0.1, run ``scenario(server, base_url)``, close it."""
    path = tmp_path / "classes.sqlite3"

    async def main() -> None:
        record = ClassRecord.create(
            path, case_id=case.id, title="Class", lang="en", code=new_code(), host="", port=0
        )
        title = str(options.pop("title", "Monday class"))
        lang = options.pop("lang", "en")
        server = ClassServer(case, record=record, title=title, lang=lang, **options)  # type: ignore[arg-type]
        await server.start()
        try:
            await asyncio.wait_for(scenario(server, f"http://127.0.0.1:{server.port}"), 30)
        finally:
            await server.close(ended=end)

    asyncio.run(main())
    return path


class Student:
    """A raw websocket student: what it receives, in order."""

    def __init__(self, session: aiohttp.ClientSession, ws: aiohttp.ClientWebSocketResponse):
        self.session, self.ws = session, ws
        self.key: str | None = None

    @classmethod
    async def connect(cls, base: str, code: str, **headers: str) -> Student:
        session = aiohttp.ClientSession()
        try:
            ws = await session.ws_connect(f"{base}/c/{code}/ws", headers=headers)
        except BaseException:
            await session.close()
            raise
        return cls(session, ws)

    @classmethod
    async def join(cls, server: ClassServer, base: str, name: str, **fields: object) -> Student:
        student = await cls.connect(base, server.code)
        await student.send(protocol.Join(code=server.code, name=name, **fields))  # type: ignore[arg-type]
        return student

    async def send(self, message: protocol._Message) -> None:
        await self.ws.send_bytes(protocol.encode(message))

    async def next(self) -> object:
        """The next message, or None once the connection has closed."""
        received = await asyncio.wait_for(self.ws.receive(), WAIT)
        if received.type not in (aiohttp.WSMsgType.TEXT, aiohttp.WSMsgType.BINARY):
            return None
        return protocol.decode_from_server(received.data)

    async def until(self, kind: type) -> object:
        while True:
            message = await self.next()
            if isinstance(message, protocol.Welcome):
                self.key = message.student
            if message is None or isinstance(message, kind):
                return message

    async def refused(self) -> str:
        message = await self.until(protocol.Refused)
        assert isinstance(message, protocol.Refused), message
        assert await self.next() is None  # and the connection closes
        return message.reason

    async def close(self) -> None:
        await self.ws.close()
        await self.session.close()


async def wait_for(condition: Callable[[], bool]) -> None:
    for _ in range(500):
        if condition():
            return
        await asyncio.sleep(0.01)
    raise AssertionError("condition not met in time")


def test_join_and_follow_slides(case: Case, tmp_path: Path) -> None:
    async def scenario(server: ClassServer, base: str) -> None:
        ana = await Student.join(server, base, "Ana")
        welcome = await ana.until(protocol.Welcome)
        assert isinstance(welcome, protocol.Welcome)
        assert (welcome.name, welcome.title, welcome.case_id) == ("Ana", "Monday class", "live")
        sent = await ana.until(protocol.CaseData)
        assert isinstance(sent, protocol.CaseData) and b"secret point" not in sent.case
        assert case_from_bytes(sent.case).id == "live"
        first = await ana.until(protocol.Slide)
        assert isinstance(first, protocol.Slide) and (first.slide, first.step) == (1, 1)
        server.show_slide(4, 2, 9)
        moved = await ana.until(protocol.Slide)
        assert isinstance(moved, protocol.Slide) and (moved.slide, moved.step) == (4, 2)
        assert server.connected_count == 1 and server.participants()[0].name == "Ana"
        own = await Student.join(server, base, "Bo", digest=case_digest(case))
        assert isinstance(await own.next(), protocol.Welcome)
        assert isinstance(await own.next(), protocol.Slide)  # has the case: none is sent
        await ana.close()
        await own.close()
        await wait_for(lambda: server.connected_count == 0)

    run_class(case, tmp_path, scenario)


def test_a_wrong_code_is_refused(case: Case, tmp_path: Path) -> None:
    async def scenario(server: ClassServer, base: str) -> None:
        wrong = "B" * 16 if server.code != "B" * 16 else "C" * 16
        async with aiohttp.ClientSession() as session:
            for path in (f"/c/{wrong}", f"/c/{wrong}/ws", "/", f"/c/{server.code}x"):
                async with session.get(base + path) as response:
                    assert response.status == 404, path
            with pytest.raises(aiohttp.WSServerHandshakeError) as refused:
                await session.ws_connect(f"{base}/c/{wrong}/ws")
            assert refused.value.status == 404
            async with session.get(
                f"{base}/c/{server.code}", headers={"Host": "evil.example"}
            ) as response:
                assert response.status == 403
        student = await Student.connect(base, server.code)
        await student.send(protocol.Join(code=wrong, name="Ana"))
        assert await student.refused() == "Wrong class code."
        await student.close()

    run_class(case, tmp_path, scenario)


def test_hostile_names(case: Case, tmp_path: Path) -> None:
    async def scenario(server: ClassServer, base: str) -> None:
        markup = await Student.join(server, base, "[bold red]Mal[/]<b>&amp;")
        welcome = await markup.until(protocol.Welcome)
        assert isinstance(welcome, protocol.Welcome) and welcome.name == "[bold red]Mal[/]<b>&amp;"
        control = await Student.join(server, base, "Ev\x1b[31me\u202e\x07")
        welcome = await control.until(protocol.Welcome)
        assert isinstance(welcome, protocol.Welcome) and welcome.name == "Ev[31me"
        for name, reason in (
            ("x" * 41, "Give a name of 1 to 40 characters."),
            ("\x1b\u200f", "Give a name of 1 to 40 characters."),
            ("ev[31ME", "That name is taken: choose another."),
        ):
            student = await Student.join(server, base, name)
            assert await student.refused() == reason
            await student.close()
        names = sorted(p.name for p in server.participants())
        assert names == ["Ev[31me", "[bold red]Mal[/]<b>&amp;"]
        await markup.close()
        await control.close()

    run_class(case, tmp_path, scenario)


def test_answers_and_revisions_until_closed(case: Case, tmp_path: Path) -> None:
    async def scenario(server: ClassServer, base: str) -> None:
        ana = await Student.join(server, base, "Ana")
        await ana.until(protocol.Slide)
        server.open_question(2)
        opened = await ana.until(protocol.Question)
        assert isinstance(opened, protocol.Question) and opened.open
        assert [c.en for c in opened.choices] == ["Price", "Quality", "Speed"]
        for choice, revision in ((1, 1), (3, 2)):
            await ana.send(protocol.Answer(question=2, choice=choice))
            received = await ana.until(protocol.Received)
            assert isinstance(received, protocol.Received) and received.revision == revision
        await ana.send(protocol.Answer(question=1, text="late"))  # not the open question
        reply = await ana.until(protocol.Question)
        assert isinstance(reply, protocol.Question) and (reply.question, reply.open) == (1, False)
        assert server.answers_in(2) == 1 and server.answers(2)[0].choice == 3
        server.close_question()
        closed = await ana.until(protocol.Question)
        assert isinstance(closed, protocol.Question) and not closed.open and closed.choice == 3
        await ana.send(protocol.Answer(question=2, choice=1))
        assert isinstance(await ana.until(protocol.Question), protocol.Question)
        assert server.answers(2)[0].revision == 2
        server.open_question(1)
        await ana.until(protocol.Question)
        await ana.send(protocol.Answer(question=1, text="<b>[red]mine[/]</b>\x1b[2J"))
        await ana.until(protocol.Received)
        assert server.answers(1)[0].text == "<b>[red]mine[/]</b>[2J"
        for bad in (
            protocol.Answer(question=1, text="x" * 2001),
            protocol.Answer(question=1, text="a", choice=1),
            protocol.Answer(question=9, text="a"),
        ):
            student = await Student.join(server, base, f"Bad {bad.question} {len(bad.text)}")
            await student.until(protocol.Question)
            await student.send(bad)
            assert await student.refused() == "An answer this question does not take."
            await student.close()
        await ana.close()

    run_class(case, tmp_path, scenario)


def test_bad_messages_close_only_that_connection(
    case: Case, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(server_module, "JOIN_TIMEOUT", 0.2)

    async def scenario(server: ClassServer, base: str) -> None:
        ana = await Student.join(server, base, "Ana")
        await ana.until(protocol.Slide)
        bad_messages = (b"{", b'{"type": "welcome"}', b'{"type":"ping","x":1}', b" " * 20_000)
        for number, data in enumerate(bad_messages):
            bad = await Student.join(server, base, f"Mallory {number}")
            await bad.until(protocol.Slide)
            await bad.ws.send_bytes(data)
            assert await bad.refused() == "A message the class does not take."
            await bad.close()
        huge = await Student.join(server, base, "Huge")
        await huge.until(protocol.Slide)
        await huge.ws.send_bytes(b"x" * 100_000)  # past the websocket's own limit
        assert await huge.until(protocol.Refused) is None
        await huge.close()
        silent = await Student.connect(base, server.code)
        assert await silent.refused() == "The first message must be a join."
        await silent.close()
        fast = await Student.join(server, base, "Fast")
        await fast.until(protocol.Slide)
        for _ in range(40):
            await fast.send(protocol.Ping())
        assert await fast.refused() == "Too many messages, too fast."
        await fast.close()
        server.show_slide(2, 1, 5)
        moved = await ana.until(protocol.Slide)  # the class goes on
        assert isinstance(moved, protocol.Slide) and moved.slide == 2
        await ana.close()

    run_class(case, tmp_path, scenario)


def test_at_most_max_students(case: Case, tmp_path: Path) -> None:
    async def scenario(server: ClassServer, base: str) -> None:
        first = await Student.join(server, base, "One")
        second = await Student.join(server, base, "Two")
        for student in (first, second):
            await student.until(protocol.Slide)
        third = await Student.join(server, base, "Three")
        assert await third.refused() == "The class is full (2 students)."
        await third.close()
        await first.close()
        await wait_for(lambda: server.connected_count == 1)
        again = await Student.join(server, base, "Three")
        assert isinstance(await again.until(protocol.Welcome), protocol.Welcome)
        await again.close()
        await second.close()

    run_class(case, tmp_path, scenario, max_students=2)


def test_a_reconnect_keeps_identity_and_answers(case: Case, tmp_path: Path) -> None:
    keys: dict[str, str] = {}

    async def first(server: ClassServer, base: str) -> None:
        ana = await Student.join(server, base, "Ana")
        await ana.until(protocol.Slide)
        server.open_question(1)
        await ana.send(protocol.Answer(question=1, text="first try"))
        await ana.until(protocol.Received)
        assert ana.key is not None
        await ana.close()
        await wait_for(lambda: server.connected_count == 0)
        back = await Student.join(server, base, "Someone else", student=ana.key)
        welcome = await back.until(protocol.Welcome)
        assert isinstance(welcome, protocol.Welcome) and welcome.name == "Ana"
        asked = await back.until(protocol.Question)
        assert isinstance(asked, protocol.Question) and asked.answer == "first try"
        twice = await Student.join(server, base, "x", student=ana.key)  # a second window
        await twice.until(protocol.Welcome)
        assert await back.refused() == "You joined again from another window."
        assert len(server.participants()) == 1 and server.connected_count == 1
        keys["ana"] = ana.key
        await twice.close()
        await back.close()

    path = run_class(case, tmp_path, first, end=False)

    async def resumed() -> None:  # the trainer's process went; the class goes on
        record = ClassRecord.resume(path)
        server = ClassServer(case, record=record, title="Monday", lang="en")
        await server.start()
        try:
            base = f"http://127.0.0.1:{server.port}"
            assert server.open_question_number == 1
            ana = await Student.join(server, base, "Ana?", student=keys["ana"])
            welcome = await ana.until(protocol.Welcome)
            assert isinstance(welcome, protocol.Welcome) and welcome.name == "Ana"
            asked = await ana.until(protocol.Question)
            assert isinstance(asked, protocol.Question) and asked.answer == "first try"
            await ana.send(protocol.Answer(question=1, text="second try"))
            received = await ana.until(protocol.Received)
            assert isinstance(received, protocol.Received) and received.revision == 2
            taken = await Student.join(server, base, "ANA")
            assert await taken.refused() == "That name is taken: choose another."
            await taken.close()
            await ana.close()
        finally:
            await server.close()

    asyncio.run(resumed())


def test_cold_call_and_contributions(case: Case, tmp_path: Path) -> None:
    async def scenario(server: ClassServer, base: str) -> None:
        assert server.cold_call() is None
        students = [await Student.join(server, base, name) for name in ("A", "B", "C")]
        for student in students:
            await student.until(protocol.Slide)
        ids = {p.name: p.id for p in server.participants()}
        for _ in range(5):
            server.mark_contribution(ids["A"], 2)
        last = None
        for _ in range(30):
            called = server.cold_call()
            assert called is not None and called.id != last
            last = called.id
        calls = {p.name: (p.calls, p.contributions) for p in server.participants()}
        assert calls["A"][1] == 5 and calls["A"][0] < min(calls["B"][0], calls["C"][0])
        with pytest.raises(ValueError):
            server.mark_contribution(ids["B"], 4)
        for student in students:
            await student.close()

    run_class(case, tmp_path, scenario)


def test_the_browser_page(case: Case, tmp_path: Path) -> None:
    async def scenario(server: ClassServer, base: str) -> None:
        page_url = f"{base}/c/{server.code}"
        async with aiohttp.ClientSession() as session, session.get(page_url) as response:
            assert response.status == 200
            page = await response.text()
            headers = response.headers
        assert headers["X-Frame-Options"] == "DENY" and headers["Cache-Control"] == "no-store"
        nonce = re.search(r"'nonce-([^']+)'", headers["Content-Security-Policy"])
        assert nonce and page.count(f'nonce="{nonce[1]}"') == 2
        assert "default-src 'self'" in headers["Content-Security-Policy"]
        assert re.findall(r"(?:https?:)?//[a-z]", page) == []  # nothing from elsewhere
        assert "innerHTML" not in page and "<script>alert" not in page
        assert "&lt;script&gt;alert(1)&lt;/script&gt; &amp; [bold]x[/]" in page
        words = re.search(r'<script type="application/json" id="words">(.*?)</script>', page)
        assert words and json.loads(words[1])["zh"]["join_title"] == "加入课堂"  # the switch

        async with aiohttp.ClientSession() as session:
            with pytest.raises(aiohttp.WSServerHandshakeError) as refused:
                await session.ws_connect(
                    f"{page_url}/ws", headers={"Origin": "http://evil.example"}
                )
            assert refused.value.status == 403
        server.show_slide(4, 2, 6)
        phone = await Student.connect(base, server.code, Origin=f"http://127.0.0.1:{server.port}")
        await phone.send(protocol.Join(code=server.code, name="<img src=x>", client="browser"))
        assert isinstance(await phone.until(protocol.Welcome), protocol.Welcome)
        said = await phone.until(protocol.Slide)
        text = await phone.until(protocol.SlideText)
        assert isinstance(text, protocol.SlideText) and text.title.en == "Costs"
        # One count for the page, whatever told it: the trainer's (an instructor's deck
        # may hold slides the students' does not), not the students' edition's.
        assert isinstance(said, protocol.Slide) and said.slides == text.slides == 6
        assert [line.en for line in text.lines] == ["Problem: Costs rose.", "Solution: Cut waste"]
        server.open_question(2)
        asked = await phone.until(protocol.Question)
        assert isinstance(asked, protocol.Question) and asked.text and asked.text.zh == "先做哪个？"
        await phone.send(protocol.Answer(question=2, choice=2))
        await phone.until(protocol.Received)
        await phone.close()

    run_class(case, tmp_path, scenario, title=HOSTILE_TITLE)


def test_three_class_clients_follow_the_server(case: Case, tmp_path: Path) -> None:
    async def scenario(server: ClassServer, base: str) -> None:
        address = server.join_addresses()[0]
        assert address == f"{base}/c/{server.code}"
        seen: dict[str, list[object]] = {name: [] for name in ("Ana", "Bo", "Chen")}
        clients = {
            name: ClassClient(address, name, digest=case_digest(case) if name == "Bo" else None)
            for name in seen
        }
        tasks = [
            asyncio.create_task(client.run(seen[name].append)) for name, client in clients.items()
        ]
        await wait_for(lambda: server.connected_count == 3)
        server.show_slide(3, 1, 6)
        server.open_question(2)

        def slide_reached() -> bool:
            return all(
                any(isinstance(m, protocol.Slide) and m.slide == 3 for m in got)
                for got in seen.values()
            )

        await wait_for(slide_reached)
        # A client's messages come in order: the case, if sent, came before this slide.
        assert [m for m in seen["Bo"] if isinstance(m, protocol.CaseData)] == []
        assert len([m for m in seen["Ana"] if isinstance(m, protocol.CaseData)]) == 1
        for number, client in enumerate(clients.values(), start=1):
            await client.answer(2, choice=number)
        await wait_for(lambda: server.answers_in(2) == 3)
        assert sorted(a.choice for a in server.answers(2)) == [1, 2, 3]
        await server.close(ended=True)
        await asyncio.wait_for(asyncio.gather(*tasks), WAIT)
        for got in seen.values():
            states = [m.state for m in got if isinstance(m, Status)]
            assert states[:2] == ["connecting", "connected"] and states[-1] == "ended"

    run_class(case, tmp_path, scenario)


def test_a_client_reconnects_after_the_server_comes_back(case: Case, tmp_path: Path) -> None:
    path = tmp_path / "classes.sqlite3"

    async def main() -> None:
        record = ClassRecord.create(
            path, case_id="live", title="T", lang="zh", code=new_code(), host="", port=0
        )
        server = ClassServer(case, record=record, title="T", lang="zh")
        await server.start()
        port, seen = server.port, []
        client = ClassClient(server.join_addresses()[0], "Ana")
        task = asyncio.create_task(client.run(seen.append))
        # Counted by the server before the client has read its welcome (and its key).
        await wait_for(lambda: server.connected_count == 1 and client.student is not None)
        key = client.student
        await server.close(ended=False)
        await wait_for(lambda: any(isinstance(m, Status) and m.state == "lost" for m in seen))
        again = ClassServer(case, record=ClassRecord.resume(path), title="T", lang="zh", port=port)
        await again.start()
        await wait_for(lambda: again.connected_count == 1)
        assert client.student == key and [p.name for p in again.participants()] == ["Ana"]
        client.stop()
        await asyncio.wait_for(task, WAIT)
        await again.close()

    asyncio.run(main())


def test_what_a_browser_is_told_when_it_cannot_join(case: Case, tmp_path: Path) -> None:
    async def scenario(server: ClassServer, base: str) -> None:
        async with (
            aiohttp.ClientSession() as session,
            session.get(f"{base}/c/{'B' * 16}") as response,
        ):
            assert response.status == 404 and response.content_type == "text/html"
            page = await response.text()
            assert response.headers["Content-Security-Policy"].startswith("default-src 'none'")
        assert page.index(t("join_no_class", "zh")) < page.index(t("join_no_class", "en"))
        origin = f"http://127.0.0.1:{server.port}"
        joined = []
        for name, key in (
            ("<b>Ana</b>", None),
            ("<B>ANA</B>", "refused_taken"),
            ("Bo", None),
            ("Cy", "refused_full"),
        ):
            student = await Student.connect(base, server.code, Origin=origin)
            await student.send(protocol.Join(code=server.code, name=name, client="browser"))
            if key is None:
                assert isinstance(await student.until(protocol.SlideText), protocol.SlideText)
                joined.append(student)
                continue
            assert await student.refused() == t(key, "zh", n=2) and key in join_page.REFUSALS
            await student.close()
        for student in joined:
            await student.close()

    run_class(case, tmp_path, scenario, lang="zh", max_students=2)
