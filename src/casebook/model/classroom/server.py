"""The class server: students join over websockets; the trainer acts by method calls.

Who can reach it: anything that can open a connection to the address it is bound to
(127.0.0.1 unless the trainer says otherwise). What keeps a class safe:

- **The class code** (``secrets.token_urlsafe(CODE_BYTES)``, 96 bits) is in every
  address: ``/c/CODE`` (the join page) and ``/c/CODE/ws``; any other code gets 404,
  compared in constant time. A Join must carry it again.
- **The trainer has no message.** The trainer's screens call this object's methods in
  the trainer's own process: the "trainer secret" is that process, and nothing of it is
  ever on the wire; no message a student can send opens, shows or closes anything.
- **The Host header** must name this server as bound (a DNS-rebinding page is refused),
  and a browser's websocket must come from the page this server served (its Origin).
- **Students are untrusted.** The first message must be a Join within
  :data:`JOIN_TIMEOUT` seconds; names are cleaned (:func:`~.access.clean_name`) and
  unique; answers go only to the open question, within its choices and 2,000
  characters; each connection may send :data:`RATE` messages a second (burst
  :data:`BURST`); at most ``max_students`` are connected. A message that breaks a rule
  gets a :class:`~.protocol.Refused` reason and closes that one connection, never the
  class. Nothing a student sends reaches another student: each gets only the trainer's
  slide, the question and its own answer.

Everything happens on the event loop the server was started on: call its methods from
there. Each event is written to the :class:`~.record.ClassRecord` as it happens.
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import hmac
import ipaddress
import logging
import random
import secrets
import socket
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

import msgspec
from aiohttp import WSCloseCode, WSMessage, WSMsgType, web

from casebook.model.classroom import access, join_page, protocol
from casebook.model.classroom.casedata import case_digest, student_case_bytes
from casebook.model.classroom.participation import pick
from casebook.model.classroom.protocol import CODE_BYTES, MAX_ANSWER, MAX_NAME
from casebook.model.classroom.slide_text import choice_count, question_text, slide_text
from casebook.model.format.case import Case
from casebook.model.format.text import Lang
from casebook.model.format.words import t
from casebook.model.views.slides import build_deck

if TYPE_CHECKING:
    from casebook.model.classroom.record import ClassRecord

JOIN_TIMEOUT = 5.0
"""Seconds a new connection has to send its Join."""
HEARTBEAT = 20.0
"""Seconds between websocket pings: a connection that stops answering is dropped."""
RATE, BURST = 5.0, 20
"""Messages a second a connection may send on average, and at once."""
QUEUE = 256
"""Messages waiting for one student before its connection counts as too slow."""
KEY_BYTES = 24
"""Random bytes in a student's reconnect key (32 URL-safe characters)."""

log = logging.getLogger(__name__)


def new_code() -> str:
    """A fresh class code (96 random bits, URL-safe)."""
    return secrets.token_urlsafe(CODE_BYTES)


def key_hash(key: str) -> str:
    """What the record keeps of a reconnect key: its SHA-256 (hex)."""
    return hashlib.sha256(key.encode()).hexdigest()


@dataclass(frozen=True)
class Participant:
    """A student of the class, as the trainer's screens show them."""

    id: str
    name: str
    client: str
    connected: bool
    joined: float
    seconds_connected: float
    answers: int
    contributions: int
    calls: int


@dataclass(frozen=True)
class AnswerView:
    """A student's latest answer to a question."""

    student: str
    name: str
    question: int
    text: str
    choice: int | None
    revision: int
    at: float


class _Refusal(Exception):
    """A message broke a rule: the connection closes with this reason."""


class _Connection:
    """One websocket: its outgoing queue (sent in order by its own task) and its pace."""

    def __init__(self, ws: web.WebSocketResponse, client: str) -> None:
        self.ws = ws
        self.client = client
        self.queue: asyncio.Queue[bytes | None] = asyncio.Queue(QUEUE)
        self.bucket = access.TokenBucket(RATE, BURST)
        self.student: _Student | None = None
        self.closing = False
        self.sender: asyncio.Task[None] | None = None

    def send(self, message: protocol._Message | bytes) -> None:
        """Queue a message; a student too slow to take it is dropped."""
        if self.closing:
            return
        data = message if isinstance(message, bytes) else protocol.encode(message)
        try:
            self.queue.put_nowait(data)
        except asyncio.QueueFull:
            self.closing = True
            if self.sender is not None:
                self.sender.cancel()  # its last act closes the websocket

    def finish(self, last: protocol._Message | None = None) -> None:
        """Send ``last`` (a refusal, the end), then close."""
        if last is not None:
            self.send(last)
        if not self.closing:
            self.closing = True
            with contextlib.suppress(asyncio.QueueFull):
                self.queue.put_nowait(None)


@dataclass
class _Student:
    id: str
    name: str
    key_hash: str
    client: str
    joined: float
    seconds: float = 0.0
    answers: int = 0
    contributions: int = 0
    calls: int = 0
    since: float | None = None
    """When the current connection began (monotonic), or None if not connected."""
    connection: _Connection | None = None


class ClassServer:
    """A live class: the join page and websockets of students, driven by the trainer."""

    def __init__(
        self,
        case: Case,
        *,
        record: ClassRecord,
        title: str,
        lang: Lang,
        host: str = "127.0.0.1",
        port: int = 0,
        max_students: int = 500,
        on_change: Callable[[], None] | None = None,
    ) -> None:
        self.case = case
        self.record = record
        self.title = title
        self.lang: Lang = lang
        self.host = host
        self._port = port
        self.max_students = max_students
        self.on_change = on_change
        self.deck = build_deck(case, "student")
        self.digest = case_digest(case)
        self._case_message = protocol.encode(protocol.CaseData(case=student_case_bytes(case)))
        self._questions = len(case.discussion_questions)
        self._students: dict[str, _Student] = {}
        self._by_key: dict[str, _Student] = {}
        self._names: dict[str, _Student] = {}
        self._answers: dict[tuple[str, int], AnswerView] = {}
        self._connections: set[_Connection] = set()
        self._slide, self._step, self._open = 1, 1, None
        self._slides = len(self.deck.slides)
        """How many slides the trainer's deck has (told with each slide; the student
        edition's until then): every message gives students this count, not two."""
        self._last_called: str | None = None
        self._rng = random.Random()
        self._runner: web.AppRunner | None = None
        self._closed = False

    # ---- properties ----------------------------------------------------------------------

    @property
    def code(self) -> str:
        """The class code (in the record since the class was created)."""
        return str(self.record.code)

    @property
    def port(self) -> int:
        """The port bound (the one asked for, or the one the system chose for 0)."""
        return self._port

    @property
    def class_id(self) -> str:
        return str(self.record.class_id)

    @property
    def open_question_number(self) -> int | None:
        """The discussion question open for answers (1-based), if any."""
        return self._open

    @property
    def connected_count(self) -> int:
        return sum(1 for student in self._students.values() if student.connection is not None)

    # ---- starting and stopping -------------------------------------------------------------

    async def start(self) -> None:
        """Take up the class where the record left it, then listen."""
        self._resume()
        app = web.Application(middlewares=[self._check_host], client_max_size=64 * 1024)
        app.router.add_get("/c/{code}", self._page)
        app.router.add_get("/c/{code}/ws", self._websocket)
        app.on_response_prepare.append(self._headers)
        self._runner = web.AppRunner(
            app, access_log=None, handle_signals=False, shutdown_timeout=1.0
        )
        await self._runner.setup()
        site = web.TCPSite(self._runner, self.host, self._port)
        try:
            await site.start()
        except BaseException:
            await self._runner.cleanup()
            raise
        self._port = int(self._runner.addresses[0][1])

    def _resume(self) -> None:
        rows = self.record.students()
        counts = {p.student: p for p in self.record.participation()}
        for row in rows:
            done = counts.get(row.id)
            student = _Student(row.id, row.name, row.key_hash, row.client, time.time())
            if done is not None:
                student.joined = done.first_join
                student.seconds = done.seconds
                student.contributions, student.calls = done.contributions, done.calls
            self._add(student)
        answered = self.record.latest_answers()
        for (student_id, question), (text, choice, revision) in answered.items():
            known = self._students.get(student_id)
            if known is not None:
                known.answers += 1
                view = AnswerView(student_id, known.name, question, text, choice, revision, 0.0)
                self._answers[student_id, question] = view
        slide, step, question = self.record.state()
        self._slide, self._step = slide, step
        self._open = question if question is not None and question <= self._questions else None

    def _add(self, student: _Student) -> None:
        self._students[student.id] = student
        self._by_key[student.key_hash] = student
        self._names[student.name.casefold()] = student

    async def close(self, *, ended: bool = True) -> None:
        """Stop the class server; ``ended``: tell students the class ended and record it
        so (otherwise they keep retrying, for a resumed class to take them back). Closing
        again does nothing."""
        if self._closed:
            return
        self._closed = True
        for connection in list(self._connections):
            connection.finish(protocol.Ended() if ended else None)
        senders = [c.sender for c in self._connections if c.sender is not None]
        if senders:
            await asyncio.wait(senders, timeout=2.0)
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None
        if ended:
            self.record.end()
        self.record.close()

    # ---- addresses ---------------------------------------------------------------------------

    def join_addresses(self) -> list[str]:
        """Where students join: ``http://HOST:PORT/c/CODE`` for each address that reaches
        this server (found on this machine alone, contacting no other host)."""
        if access.is_loopback(self.host):
            hosts = ["127.0.0.1" if self.host.lower() == "localhost" else self.host]
        elif access.is_wildcard(self.host):
            hosts = _machine_addresses(ipv6=":" in self.host)
        else:
            hosts = [self.host]
        return [f"http://{_bracketed(host)}:{self.port}/c/{self.code}" for host in hosts]

    # ---- the trainer's controls --------------------------------------------------------------

    def show_slide(self, slide: int, step: int, slides: int) -> None:
        """The trainer is at logical ``slide`` (1-based) with ``step`` steps shown."""
        self._slide, self._step, self._slides = max(1, slide), max(1, step), max(1, slides)
        self.record.slide(self._slide, self._step)
        message = protocol.encode(self._slide_message())
        text = protocol.encode(self._slide_text())
        for connection in self._joined():
            connection.send(message)
            if connection.client == "browser":
                connection.send(text)

    def open_question(self, question: int) -> None:
        """Open discussion question ``question`` (1-based) for answers (closing another)."""
        if not 1 <= question <= self._questions:
            raise ValueError(f"no discussion question {question}")
        if self._open is not None and self._open != question:
            self.close_question()
        self._open = question
        self.record.question(question, True)
        self._send_question(question)
        self._changed()

    def close_question(self) -> None:
        """Close the open question: answers stay as they are."""
        question = self._open
        if question is None:
            return
        self._open = None
        self.record.question(question, False)
        self._send_question(question)
        self._changed()

    def mark_contribution(self, student: str, quality: int | None = None) -> None:
        """Count a contribution of ``student`` (quality 1–3, or unmarked)."""
        if quality is not None and not 1 <= quality <= 3:
            raise ValueError("a contribution's quality is 1, 2 or 3")
        known = self._students[student]
        self.record.contribution(student, quality)
        known.contributions += 1
        self._changed()

    def cold_call(self) -> Participant | None:
        """Pick a connected student to call on (see :func:`.participation.pick`)."""
        connected = [s for s in self._students.values() if s.connection is not None]
        spoken = {s.id: s.contributions + s.calls for s in connected}
        chosen = pick([s.id for s in connected], spoken, self._last_called, self._rng)
        if chosen is None:
            return None
        self._last_called = chosen
        self.record.called(chosen)
        self._students[chosen].calls += 1
        self._changed()
        return self._participant(self._students[chosen])

    # ---- what the trainer sees -------------------------------------------------------------

    def participants(self) -> list[Participant]:
        """Every student who joined this class, by name."""
        students = sorted(self._students.values(), key=lambda s: s.name.casefold())
        return [self._participant(student) for student in students]

    def answers(self, question: int) -> list[AnswerView]:
        """Each student's latest answer to ``question``, in the order they first came."""
        return [view for (_, asked), view in self._answers.items() if asked == question]

    def answers_in(self, question: int) -> int:
        return sum(1 for _, asked in self._answers if asked == question)

    def _participant(self, student: _Student) -> Participant:
        seconds = student.seconds
        if student.since is not None:
            seconds += time.monotonic() - student.since
        return Participant(
            student.id,
            student.name,
            student.client,
            student.connection is not None,
            student.joined,
            seconds,
            student.answers,
            student.contributions,
            student.calls,
        )

    # ---- HTTP --------------------------------------------------------------------------------

    @web.middleware
    async def _check_host(
        self, request: web.Request, handler: Callable[[web.Request], object]
    ) -> web.StreamResponse:
        if not access.host_allowed(request.headers.get("Host"), self.host):
            return web.Response(status=403, text="unknown host name\n")
        if not hmac.compare_digest(request.match_info.get("code", "").encode(), self.code.encode()):
            return web.Response(
                status=404, text=join_page.not_found(self.lang), content_type="text/html"
            )
        response = await handler(request)  # type: ignore[misc]
        assert isinstance(response, web.StreamResponse)
        return response

    @staticmethod
    async def _headers(_request: web.Request, response: web.StreamResponse) -> None:
        headers = response.headers
        headers.setdefault("Content-Security-Policy", "default-src 'none'; frame-ancestors 'none'")
        headers.setdefault("X-Frame-Options", "DENY")
        headers.setdefault("X-Content-Type-Options", "nosniff")
        headers.setdefault("Referrer-Policy", "no-referrer")
        headers.setdefault("Cache-Control", "no-store")

    async def _page(self, request: web.Request) -> web.Response:
        nonce = join_page.new_nonce()
        page = join_page.render(
            code=self.code,
            title=self.title,
            lang=self.lang,
            nonce=nonce,
            max_name=MAX_NAME,
            max_answer=MAX_ANSWER,
        )
        response = web.Response(text=page, content_type="text/html")
        response.headers["Content-Security-Policy"] = join_page.policy(nonce, request.host)
        return response

    # ---- a student's connection --------------------------------------------------------------

    async def _websocket(self, request: web.Request) -> web.StreamResponse:
        if not access.origin_allowed(request.headers.get("Origin"), request.host):
            return web.Response(status=403, text="cross-origin websocket refused\n")
        if len(self._connections) >= 2 * self.max_students + 20:
            return web.Response(status=503, text="too many connections\n")
        ws = web.WebSocketResponse(
            heartbeat=HEARTBEAT, max_msg_size=2 * protocol.MAX_FROM_STUDENT, compress=False
        )
        await ws.prepare(request)
        connection = _Connection(ws, "terminal")
        connection.sender = asyncio.create_task(self._send_all(connection))
        self._connections.add(connection)
        try:
            await self._converse(connection)
        except _Refusal as refusal:
            connection.finish(protocol.Refused(reason=str(refusal)))
        finally:
            self._connections.discard(connection)
            self._left(connection)
            connection.finish()
            await asyncio.wait([connection.sender], timeout=5.0)
            if not connection.sender.done():
                connection.sender.cancel()
        return ws

    async def _send_all(self, connection: _Connection) -> None:
        """Send a connection's messages in order; close it after the last."""
        ws = connection.ws
        try:
            while (data := await connection.queue.get()) is not None:
                await ws.send_str(data.decode())
        except (ConnectionError, RuntimeError):
            pass
        finally:
            with contextlib.suppress(ConnectionError, RuntimeError):
                await ws.close(code=WSCloseCode.OK)

    async def _converse(self, connection: _Connection) -> None:
        ws = connection.ws
        try:
            first = await asyncio.wait_for(ws.receive(), JOIN_TIMEOUT)
        except asyncio.TimeoutError:
            raise _Refusal(t("refused_join_first", self.lang)) from None
        message = self._decode(connection, first)
        if message is None:
            return
        if not isinstance(message, protocol.Join):
            raise _Refusal(t("refused_join_first", self.lang))
        self._join(connection, message)
        while not connection.closing:
            message = self._decode(connection, await ws.receive())
            if message is None:
                return
            if isinstance(message, protocol.Answer):
                self._answer(connection, message)
            elif isinstance(message, protocol.Join):
                raise _Refusal(t("refused_malformed", self.lang))

    def _decode(
        self, connection: _Connection, received: WSMessage
    ) -> protocol.Join | protocol.Answer | protocol.Ping | None:
        """A student's message, or None when the connection has closed."""
        if received.type not in (WSMsgType.TEXT, WSMsgType.BINARY) or connection.closing:
            return None
        if not connection.bucket.take():
            raise _Refusal(t("refused_too_fast", self.lang))
        try:
            return protocol.decode_from_student(received.data)
        except (msgspec.DecodeError, msgspec.ValidationError, ValueError):
            raise _Refusal(t("refused_malformed", self.lang)) from None

    def _join(self, connection: _Connection, join: protocol.Join) -> None:
        lang = self.lang
        if join.v != protocol.VERSION:
            raise _Refusal(t("refused_version", lang))
        if not hmac.compare_digest(join.code.encode(), self.code.encode()):
            raise _Refusal(t("refused_code", lang))
        student = self._by_key.get(key_hash(join.student)) if join.student else None
        if (student is None or student.connection is None) and (
            self.connected_count >= self.max_students
        ):
            raise _Refusal(t("refused_full", lang, n=self.max_students))
        key = join.student
        if student is None:
            name = access.clean_name(join.name)
            if name is None:
                raise _Refusal(t("refused_name", lang, n=MAX_NAME))
            if name.casefold() in self._names:
                raise _Refusal(t("refused_taken", lang))
            key = secrets.token_urlsafe(KEY_BYTES)
            student = _Student(
                _new_id(self._students), name, key_hash(key), join.client, time.time()
            )
            self._add(student)
        assert key is not None
        if student.connection is not None:
            student.connection.finish(protocol.Refused(reason=t("refused_elsewhere", lang)))
            self._left(student.connection)
        student.client = join.client
        student.connection, student.since = connection, time.monotonic()
        connection.student, connection.client = student, join.client
        self.record.joined(student.id, student.name, student.key_hash, join.client)
        welcome = protocol.Welcome(
            student=key,
            name=student.name,
            title=self.title,
            case_id=self.case.id,
            digest=self.digest,
            lang=self.lang,
        )
        connection.send(welcome)
        if join.client == "terminal" and join.digest != self.digest:
            connection.send(self._case_message)
        connection.send(self._slide_message())
        if join.client == "browser":
            connection.send(self._slide_text())
        if self._open is not None:
            connection.send(self._question_message(self._open, student))
        self._changed()

    def _answer(self, connection: _Connection, answer: protocol.Answer) -> None:
        student = connection.student
        assert student is not None
        question = answer.question
        if question > self._questions:
            raise _Refusal(t("refused_answer", self.lang))
        if question != self._open:  # closed meanwhile: say so, and keep the connection
            connection.send(self._question_message(question, student))
            return
        choices = choice_count(self.case, question)
        text = access.clean_answer(answer.text)
        if text is None or (choices == 0 and (answer.choice is not None or not text)):
            raise _Refusal(t("refused_answer", self.lang))
        if choices and (answer.choice is None or answer.choice > choices):
            raise _Refusal(t("refused_answer", self.lang))
        revision = self.record.answer(student.id, question, text, answer.choice)
        if (student.id, question) not in self._answers:
            student.answers += 1
        view = AnswerView(
            student.id, student.name, question, text, answer.choice, revision, time.time()
        )
        self._answers[student.id, question] = view
        connection.send(protocol.Received(question=question, revision=revision))
        self._changed()

    def _left(self, connection: _Connection) -> None:
        student = connection.student
        if student is None or student.connection is not connection:
            return
        if student.since is not None:
            student.seconds += time.monotonic() - student.since
        student.connection, student.since = None, None
        if not self._closed:
            self.record.left(student.id)
            self._changed()

    # ---- messages out ------------------------------------------------------------------------

    def _joined(self) -> list[_Connection]:
        return [s.connection for s in self._students.values() if s.connection is not None]

    def _slide_message(self) -> protocol.Slide:
        return protocol.Slide(slide=self._slide, step=self._step, slides=self._slides)

    def _slide_text(self) -> protocol.SlideText:
        return slide_text(self.deck, self._slide, self._step, self._slides)

    def _question_message(self, question: int, student: _Student) -> protocol.Question:
        text, choices = question_text(self.case, question)
        own = self._answers.get((student.id, question))
        return protocol.Question(
            question=question,
            open=self._open == question,
            answer=own.text if own else "",
            choice=own.choice if own else None,
            text=text,
            choices=choices,
        )

    def _send_question(self, question: int) -> None:
        for connection in self._joined():
            assert connection.student is not None
            connection.send(self._question_message(question, connection.student))

    def _changed(self) -> None:
        if self.on_change is not None:
            self.on_change()


def _new_id(taken: dict[str, _Student]) -> str:
    while (student := secrets.token_hex(6)) in taken:
        pass
    return student


def _bracketed(host: str) -> str:
    return f"[{host}]" if ":" in host else host


def _machine_addresses(*, ipv6: bool) -> list[str]:
    """This machine's addresses, from its own name and its interfaces (Linux), loopback
    last: found locally, without sending a packet."""
    found: list[str] = []
    families = (socket.AF_INET, socket.AF_INET6) if ipv6 else (socket.AF_INET,)
    for family in families:
        with contextlib.suppress(OSError, UnicodeError):
            for *_, address in socket.getaddrinfo(socket.gethostname(), None, family):
                found.append(str(address[0]))
    found += _interface_addresses()
    unique = []
    for text in dict.fromkeys(found):
        with contextlib.suppress(ValueError):
            address = ipaddress.ip_address(text.split("%")[0])
            if not address.is_link_local and not address.is_unspecified:
                unique.append(address)
    unique.sort(key=lambda a: (a.is_loopback, a.version))
    return [str(a) for a in unique] or ["127.0.0.1"]


def _interface_addresses() -> list[str]:
    """The IPv4 address of each network interface, asked of the kernel (Linux only)."""
    try:
        import fcntl
        import struct
    except ImportError:
        return []
    found = []
    with contextlib.suppress(OSError), socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
        for _, name in socket.if_nameindex():
            request = struct.pack("256s", name.encode()[:15])
            with contextlib.suppress(OSError):
                reply = fcntl.ioctl(probe.fileno(), 0x8915, request)  # SIOCGIFADDR
                found.append(socket.inet_ntoa(reply[20:24]))
    return found
