"""A tiny class server for the student's tests: aiohttp on 127.0.0.1, port 0, speaking the
class protocol, driven by the test (show a slide, open a question, drop everyone, end).

It keeps what students sent (joins and answers) for the tests to check, and gives a
returning student (a join with a key it gave) the same key back.
"""

from __future__ import annotations

import secrets

import msgspec
from aiohttp import WSMsgType, web

from casebook.model.classroom import protocol
from casebook.model.classroom.casedata import case_digest, student_case_bytes
from casebook.model.format.case import Case

CODE = "abcdefghijklmnop1234"


class FakeClass:
    """One class on ``case``; ``case_bytes`` replaces what it sends as the case."""

    def __init__(
        self, case: Case, *, title: str = "Class", case_bytes: bytes | None = None
    ) -> None:
        self.case = case
        self.title = title
        self.case_bytes = case_bytes if case_bytes is not None else student_case_bytes(case)
        self.digest = case_digest(case)
        self.joins: list[protocol.Join] = []
        self.answers: list[protocol.Answer] = []
        self.cases_sent = 0
        self.down = False
        """While True, new connections are turned away (the server is unreachable)."""
        self.slide: protocol.Slide | None = None
        self.question: protocol.Question | None = None
        self._sockets: list[web.WebSocketResponse] = []
        self._keys: set[str] = set()
        self._runner: web.AppRunner | None = None
        self.address = ""

    async def start(self) -> str:
        app = web.Application()
        app.router.add_get(f"/c/{CODE}/ws", self._websocket)
        self._runner = web.AppRunner(app)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
        self.address = f"http://127.0.0.1:{port}/c/{CODE}"
        return self.address

    async def stop(self) -> None:
        await self.drop()
        if self._runner is not None:
            await self._runner.cleanup()

    @property
    def connected(self) -> int:
        return len(self._sockets)

    async def _send(self, message: msgspec.Struct) -> None:
        for ws in list(self._sockets):
            await ws.send_bytes(protocol.encode(message))  # type: ignore[arg-type]

    async def show(self, slide: int, step: int = 1, slides: int = 8) -> None:
        self.slide = protocol.Slide(slide=slide, step=step, slides=slides)
        await self._send(self.slide)

    async def ask(self, question: int, *, open: bool = True, answer: str = "") -> None:
        self.question = protocol.Question(question=question, open=open, answer=answer)
        await self._send(self.question)

    async def drop(self) -> None:
        """Close every connection, as a network failure would."""
        for ws in list(self._sockets):
            await ws.close()
        self._sockets.clear()

    async def end(self) -> None:
        await self._send(protocol.Ended())

    async def _websocket(self, request: web.Request) -> web.StreamResponse:
        if self.down:
            raise web.HTTPServiceUnavailable()
        ws = web.WebSocketResponse()
        await ws.prepare(request)
        first = await ws.receive()
        join = protocol.decode_from_student(first.data)
        assert isinstance(join, protocol.Join)
        self.joins.append(join)
        if join.code != CODE:
            await ws.send_bytes(protocol.encode(protocol.Refused(reason="Wrong class code.")))
            await ws.close()
            return ws
        key = join.student if join.student in self._keys else secrets.token_urlsafe(12)
        assert key is not None
        self._keys.add(key)
        welcome = protocol.Welcome(
            student=key, name=join.name, title=self.title, case_id=self.case.id, digest=self.digest
        )
        await ws.send_bytes(protocol.encode(welcome))
        if join.digest != self.digest:
            self.cases_sent += 1
            await ws.send_bytes(protocol.encode(protocol.CaseData(case=self.case_bytes)))
        for message in (self.slide, self.question):
            if message is not None:
                await ws.send_bytes(protocol.encode(message))
        self._sockets.append(ws)
        revisions: dict[int, int] = {}
        async for frame in ws:
            if frame.type != WSMsgType.BINARY and frame.type != WSMsgType.TEXT:
                break
            message = protocol.decode_from_student(frame.data)
            if isinstance(message, protocol.Answer):
                self.answers.append(message)
                revisions[message.question] = revisions.get(message.question, 0) + 1
                received = protocol.Received(
                    question=message.question, revision=revisions[message.question]
                )
                await ws.send_bytes(protocol.encode(received))
        if ws in self._sockets:
            self._sockets.remove(ws)
        return ws
