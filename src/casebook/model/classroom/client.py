"""A student's side of a live class: connect, join, follow, answer, and reconnect with
the same identity when the connection drops."""

from __future__ import annotations

import asyncio
import contextlib
import random
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Literal
from urllib.parse import urlsplit

import aiohttp
import msgspec

from casebook.model.classroom import protocol
from casebook.model.format.text import Lang
from casebook.model.format.words import t

BACKOFF_FIRST, BACKOFF_MOST = 0.25, 5.0
"""Seconds before the first retry, and the most between retries (each with jitter)."""
CONNECT_TIMEOUT = 10.0
HEARTBEAT = 20.0
_CODE = re.compile(r"[A-Za-z0-9_-]{16,64}")


@dataclass(frozen=True)
class Status:
    """Where the connection stands, delivered with the messages."""

    state: Literal["connecting", "connected", "lost", "ended", "refused"]
    detail: str = ""


def parse_address(address: str) -> tuple[str, str]:
    """``http://host:port/c/CODE`` → (the websocket's URL, the code); ValueError if not."""
    text = address.strip()
    try:
        parts = urlsplit(text)
        port = parts.port
    except ValueError:
        raise ValueError(f"not a class address: {text[:200]!r}") from None
    segments = parts.path.rstrip("/").split("/")
    if (
        parts.scheme not in ("http", "https")
        or not parts.hostname
        or len(segments) != 3
        or segments[:2] != ["", "c"]
        or not _CODE.fullmatch(segments[2])
    ):
        raise ValueError(f"not a class address: {text[:200]!r} (expected http://HOST:PORT/c/CODE)")
    code = segments[2]
    host = f"[{parts.hostname}]" if ":" in parts.hostname else parts.hostname
    where = f"{host}:{port}" if port else host
    scheme = "wss" if parts.scheme == "https" else "ws"
    return f"{scheme}://{where}/c/{code}/ws", code


class ClassClient:
    """A student in a class: :meth:`run` delivers every message from the server and each
    :class:`Status` change, and retries a lost connection until the class ends, a join
    is refused (or no class has the address's code), or :meth:`stop`."""

    def __init__(
        self,
        address: str,
        name: str,
        *,
        student: str | None = None,
        digest: str | None = None,
        client: Literal["terminal", "browser"] = "terminal",
        lang: Lang = "en",
    ) -> None:
        self.url, self.code = parse_address(address)
        self.lang: Lang = lang
        """The language of the reason given when no class has this address's code."""
        self.name = name
        self.student = student
        """The reconnect key the server gave in its Welcome (keep it to rejoin later)."""
        self.digest = digest
        self.client: Literal["terminal", "browser"] = client
        self._ws: aiohttp.ClientWebSocketResponse | None = None
        self._stopped = asyncio.Event()
        self._rng = random.Random()
        self._joined = False
        """Whether the current connection got as far as Welcome (retries start afresh)."""
        self._closing: asyncio.Task[bool] | None = None

    async def run(self, deliver: Callable[[object], None]) -> None:
        """Take part until the class ends, the server refuses, or :meth:`stop`."""
        attempt = 0
        async with aiohttp.ClientSession() as session:
            while not self._stopped.is_set():
                deliver(Status("connecting"))
                try:
                    outcome = await self._session(session, deliver)
                except aiohttp.WSServerHandshakeError as error:
                    if error.status == 404:  # no class has this code here: retrying cannot help
                        deliver(Status("refused", t("refused_code", self.lang)))
                        return
                    outcome = str(error) or type(error).__name__
                except (aiohttp.ClientError, OSError, asyncio.TimeoutError) as error:
                    outcome = str(error) or type(error).__name__
                if outcome is None or self._stopped.is_set():
                    return
                deliver(Status("lost", outcome))
                attempt = 1 if self._joined else attempt + 1
                delay = min(BACKOFF_MOST, BACKOFF_FIRST * 2 ** (attempt - 1))
                with contextlib.suppress(asyncio.TimeoutError):
                    await asyncio.wait_for(self._stopped.wait(), delay * self._rng.uniform(0.5, 1))

    async def _session(
        self, session: aiohttp.ClientSession, deliver: Callable[[object], None]
    ) -> str | None:
        """One connection: None when it is over for good, else why it was lost."""
        self._joined = False
        async with session.ws_connect(
            self.url,
            max_msg_size=protocol.MAX_FROM_SERVER,
            heartbeat=HEARTBEAT,
            timeout=aiohttp.ClientWSTimeout(ws_close=5.0),
            autoping=True,
        ) as ws:
            self._ws = ws
            try:
                join = protocol.Join(
                    code=self.code,
                    name=self.name,
                    student=self.student,
                    digest=self.digest,
                    client=self.client,
                )
                await ws.send_bytes(protocol.encode(join))
                return await self._follow(ws, deliver)
            finally:
                self._ws = None

    async def _follow(
        self, ws: aiohttp.ClientWebSocketResponse, deliver: Callable[[object], None]
    ) -> str | None:
        async for received in ws:
            if received.type not in (aiohttp.WSMsgType.TEXT, aiohttp.WSMsgType.BINARY):
                break
            try:
                message = protocol.decode_from_server(received.data)
            except (msgspec.DecodeError, msgspec.ValidationError, ValueError):
                return "the server sent a message that is not the class's"
            if isinstance(message, protocol.Welcome):
                self._joined = True
                self.student = message.student
                deliver(message)
                deliver(Status("connected"))
                continue
            deliver(message)
            if isinstance(message, protocol.Refused):
                deliver(Status("refused", message.reason))
                return None
            if isinstance(message, protocol.Ended):
                deliver(Status("ended"))
                return None
        return "the connection closed"

    async def answer(self, question: int, text: str = "", choice: int | None = None) -> None:
        """Send an answer (again, to revise it); a :class:`~.protocol.Received` confirms
        it. Not connected: nothing is sent (the student sends again once reconnected)."""
        ws = self._ws
        if ws is None or ws.closed:
            return
        message = protocol.Answer(question=question, text=text, choice=choice)
        with contextlib.suppress(ConnectionError, RuntimeError):
            await ws.send_bytes(protocol.encode(message))

    def stop(self) -> None:
        """Leave the class: :meth:`run` returns soon after."""
        self._stopped.set()
        ws = self._ws
        if ws is not None and not ws.closed:
            self._closing = asyncio.get_running_loop().create_task(ws.close())
