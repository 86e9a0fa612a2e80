"""`casebook serve` on loopback: the token, the Host and Origin checks, the session
limit, the warnings, and a clean stop. Every connection goes to 127.0.0.1, each wait is
bounded, and each server is stopped."""

from __future__ import annotations

import asyncio
import os
import re
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import aiohttp
import pytest

ROOT = Path(__file__).resolve().parents[2]
TOKEN = "test-token-0123456789"
START_TIMEOUT = 30.0
SESSION_TIMEOUT = 30.0
JUNK = (
    "not json",
    "{}",
    "[]",
    "[1, 2]",
    '["stdin", 5]',
    '["stdin"]',
    '["resize", {"width": "wide", "height": null}]',
    '["resize", [1, 2]]',
    '["anything else", {}]',
)
"""Browser messages that are not what the page sends: each must be ignored."""


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _command(*options: str) -> list[str]:
    return [sys.executable, "-m", "casebook", "--cases", str(ROOT / "cases"), "serve", *options]


@dataclass
class Server:
    """A running `casebook serve`, its output collected as it comes."""

    process: subprocess.Popen[str]
    port: int
    lines: list[str] = field(default_factory=list)

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def output(self) -> str:
        return "".join(self.lines)

    def stop(self) -> int:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
        try:
            return self.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(timeout=10)
            raise


def start(*options: str) -> Server:
    """Start a server on a free loopback port; return once it prints its address."""
    port = _free_port()
    environment = {**os.environ, "PYTHONUNBUFFERED": "1", "NO_COLOR": "1", "COLUMNS": "300"}
    process = subprocess.Popen(
        _command("--port", str(port), *options),
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        env=environment,
    )
    server = Server(process, port)

    def collect() -> None:
        assert process.stdout is not None
        for line in process.stdout:
            server.lines.append(line)

    threading.Thread(target=collect, daemon=True).start()
    deadline = time.monotonic() + START_TIMEOUT
    while f":{port}/" not in server.output:
        if process.poll() is not None or time.monotonic() > deadline:
            server.stop()
            raise AssertionError(f"serve did not start:\n{server.output}")
        time.sleep(0.05)
    return server


@pytest.fixture(scope="module")
def server() -> Iterator[Server]:
    """One server for the checks: a known token, and room for one session."""
    running = start("--token", TOKEN, "--max-sessions", "1")
    yield running
    assert running.stop() == 0
    assert "Traceback" not in running.output, running.output


def run(coroutine: object) -> object:
    return asyncio.run(asyncio.wait_for(coroutine, SESSION_TIMEOUT))  # type: ignore[arg-type]


async def get(
    url: str, *, cookies: dict[str, str] | None = None, headers: dict[str, str] | None = None
) -> tuple[int, str, aiohttp.ClientResponse]:
    async with (
        aiohttp.ClientSession(cookies=cookies) as session,
        session.get(url, headers=headers, allow_redirects=False) as reply,
    ):
        return reply.status, await reply.text(), reply


async def websocket_status(url: str, **options: object) -> int:
    """101 if the websocket opens (then closed at once), else the refusal's status."""
    async with aiohttp.ClientSession() as session:
        try:
            async with session.ws_connect(url, **options):  # type: ignore[arg-type]
                return 101
        except aiohttp.WSServerHandshakeError as error:
            return error.status


async def first_screen(websocket: aiohttp.ClientWebSocketResponse, needle: bytes) -> bytes:
    """What the session's app draws, until ``needle`` shows."""
    seen = b""
    while needle not in seen:
        message = await websocket.receive()
        assert message.type == aiohttp.WSMsgType.BINARY, (message.type, message.data)
        seen += message.data
    return seen


# -- the page -------------------------------------------------------------------


@pytest.mark.slow
def test_page_without_a_token_is_refused_and_holds_no_app(server: Server):
    for url in (f"{server.base}/", f"{server.base}/?token=wrong-token-0123456789"):
        status, page, _ = run(get(url))
        assert status == 403
        assert "access token needed" in page
        assert "websocket" not in page.lower()
        assert "/ws" not in page


@pytest.mark.slow
def test_the_token_opens_the_page_and_no_cookie_carries_it(server: Server):
    status, page, reply = run(get(f"{server.base}/?token={TOKEN}&fontsize=18"))
    assert status == 200
    assert not reply.cookies, "a cookie would reach every other port of this host"
    url = f"ws://127.0.0.1:{server.port}/ws?token={TOKEN}"
    assert f'data-session-websocket-url="{url}"' in page
    assert "googleapis" not in page, "no font fetched from Google"
    assert "https://" not in page, "nothing fetched from elsewhere"
    assert reply.headers["X-Frame-Options"] == "DENY"
    assert reply.headers["Cache-Control"] == "no-store"


@pytest.mark.slow
def test_an_unknown_host_name_is_refused(server: Server):
    page_url = f"{server.base}/?token={TOKEN}"
    for host in ("evil.example", f"evil.example:{server.port}", "127.0.0.1.nip.io"):
        status, page, _ = run(get(page_url, headers={"Host": host}))
        assert status == 403, host
        assert "unknown host name" in page
    for host in (f"localhost:{server.port}", f"127.0.0.1:{server.port}"):
        status, _, _ = run(get(page_url, headers={"Host": host}))
        assert status == 200, host


# -- the websocket ----------------------------------------------------------------


@pytest.mark.slow
def test_a_websocket_needs_the_token_and_its_own_origin(server: Server):
    ws = f"{server.base}/ws"
    own = f"http://127.0.0.1:{server.port}"
    assert run(websocket_status(ws, origin=own)) == 403, "no token"
    assert run(websocket_status(f"{ws}?token=wrong-token-0123456789", origin=own)) == 403
    for origin in ("http://evil.example", f"http://localhost:{server.port}", "null"):
        assert run(websocket_status(f"{ws}?token={TOKEN}", origin=origin)) == 403, origin
    headers = {"Host": "evil.example", "Origin": "http://evil.example"}
    assert run(websocket_status(f"{ws}?token={TOKEN}", headers=headers)) == 403


@pytest.mark.slow
def test_a_session_runs_the_restricted_app_and_the_limit_shows_a_full_page(server: Server):
    own = f"http://127.0.0.1:{server.port}"
    query = f"token={TOKEN}"

    async def scenario() -> None:
        async with aiohttp.ClientSession() as session:
            url = f"{server.base}/ws?{query}&width=100&height=30"
            async with session.ws_connect(url, origin=own) as websocket:
                await first_screen(websocket, b"Served session")
                # The one session is taken: a page says so, and no other session starts.
                async with session.get(f"{server.base}/?{query}") as reply:
                    assert reply.status == 503
                    assert "casebook is full" in await reply.text()
                ws = f"{server.base}/ws?{query}"
                async with session.get(ws, headers={"Origin": own}) as reply:
                    assert reply.status == 503
                # Malformed messages are ignored: the session still answers a ping.
                for junk in JUNK:
                    await websocket.send_str(junk)
                await websocket.send_str('["ping", "still here"]')
                while (await websocket.receive()).data != '["pong", "still here"]':
                    pass
                # A message past the bound ends the session.
                await websocket.send_str('["stdin", "' + "x" * (300 * 1024) + '"]')
                while not websocket.closed:
                    message = await websocket.receive()
                    if message.type in (aiohttp.WSMsgType.CLOSE, aiohttp.WSMsgType.CLOSED):
                        break
                assert websocket.close_code == aiohttp.WSCloseCode.MESSAGE_TOO_BIG
            # The session is over: the page is back (waiting on the server noticing).
            deadline = time.monotonic() + SESSION_TIMEOUT
            while True:
                async with session.get(f"{server.base}/?{query}") as reply:
                    if reply.status == 200:
                        break
                    assert time.monotonic() < deadline, "the session was never released"
                await asyncio.sleep(0.1)

    run(scenario())


# -- starting and stopping -----------------------------------------------------------


@pytest.mark.slow
def test_a_random_token_is_printed_in_the_url_and_the_server_stops_cleanly():
    server = start()
    try:
        found = re.search(rf"http://127\.0\.0\.1:{server.port}/\?token=([\w-]+)", server.output)
        assert found, server.output
        token = found.group(1)
        assert len(token) >= 32
        assert "WARNING" not in server.output.upper()
        status, _, _ = run(get(f"{server.base}/?token={token}"))
        assert status == 200
        status, _, _ = run(get(f"{server.base}/"))
        assert status == 403
    finally:
        assert server.stop() == 0
    assert "Traceback" not in server.output


@pytest.mark.slow
def test_no_token_prints_a_loud_warning_and_still_checks_the_host():
    server = start("--no-token")
    try:
        assert "WARNING: --no-token" in server.output
        assert "?token=" not in server.output
        status, _, _ = run(get(f"{server.base}/"))
        assert status == 200
        status, _, _ = run(get(f"{server.base}/", headers={"Host": "evil.example"}))
        assert status == 403
    finally:
        server.stop()


@pytest.mark.slow
def test_stopping_the_server_ends_its_open_sessions():
    server = start("--no-token")

    async def scenario() -> int:
        async with (
            aiohttp.ClientSession() as session,
            session.ws_connect(f"{server.base}/ws") as websocket,
        ):
            await first_screen(websocket, b"Served session")
            code = await asyncio.to_thread(server.stop)
            while not websocket.closed:  # the server said goodbye, or the line dropped
                if (await websocket.receive()).type in (
                    aiohttp.WSMsgType.CLOSE,
                    aiohttp.WSMsgType.CLOSED,
                    aiohttp.WSMsgType.ERROR,
                ):
                    break
            return code

    try:
        assert run(scenario()) == 0
    finally:
        server.stop()
    assert "Traceback" not in server.output


@pytest.mark.slow
def test_a_port_in_use_is_one_clear_message():
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = subprocess.run(
            _command("--port", str(port)), capture_output=True, text=True, timeout=60
        )
    assert result.returncode == 1
    assert f"cannot serve at 127.0.0.1:{port}" in result.stderr
    assert "Traceback" not in result.stderr + result.stdout


@pytest.mark.slow
@pytest.mark.parametrize(
    ("options", "message"),
    [
        (["--port", "99999"], "not a port number"),
        (["--token", "short"], "a token needs 12 to 256 characters"),
        (["--token", "has space in it!"], "a token needs"),
        (["--max-sessions", "0"], "not a number of sessions from 1 to 1000"),
        (["--max-sessions", "1001"], "not a number of sessions"),
        (["--token", TOKEN, "--no-token"], "not allowed with argument"),
    ],
)
def test_bad_options_are_usage_errors(options: list[str], message: str):
    result = subprocess.run(_command(*options), capture_output=True, text=True, timeout=60)
    assert result.returncode == 2
    assert message in result.stderr
    assert "Traceback" not in result.stderr
