"""``casebook serve``: the casebook in web browsers, without handing them the server.

Who can reach the server: anything that can open a connection to the address it is
bound to. On 127.0.0.1 (the default) that is every program on this machine, including
every web page open in its browsers and every other user of the machine; on another
address, whoever the network lets through. What keeps them out:

- **An access token**, random unless ``--token`` sets one, printed once in the URL
  (``http://127.0.0.1:8000/?token=...``) as Jupyter does. The page and the websocket both
  need it in their address (``?token=``): no cookie, because a cookie is sent to every
  port of the host, so any local program listening on another port would get it.
  ``--no-token`` removes it, with a warning.
- **The Host header**: only the name the server is bound to (for loopback: localhost
  and loopback addresses), so a web page cannot reach it by rebinding its own DNS name.
- **The Origin of the websocket**: a browser's websocket must come from the page this
  server served (same host and port), so another site cannot drive a session.
- **A bound on sessions** (``--max-sessions``, each one is a process); past it, a page
  says the casebook is full (HTTP 503).

Each session is a restricted app (``SERVED_ENV`` in its environment, read by
``make_app``): it starts no editor, writes no screenshot or other file, shares no
presenter state, and keeps notes, bookmarks and progress in memory for that browser
tab only. Its Python never looks in the working folder or at ``PYTHONPATH`` for code.
What a session can do is read every case the served folders hold: that is what serving
is for. Not covered: a client that opens many connections and never finishes sending
their headers holds them open (aiohttp has no header timeout); the server raises its
open-file limit, but on a hostile network put it behind a proxy that times them out.

This module imports nothing heavy at the top; a start reads ``SERVED_ENV`` through
:mod:`casebook.served`, without importing this module.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import hmac
import json
import logging
import os
import re
import secrets
import signal
import sys
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING

from casebook.model.classroom.access import host_allowed, is_loopback, is_wildcard, origin_allowed
from casebook.served import SERVED_ENV

if TYPE_CHECKING:
    from aiohttp import web
    from jinja2 import Template
    from rich.console import Console
    from textual_serve.app_service import AppService

    from casebook.model.format.edition import Edition

    Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]

SCRUBBED_ENV = (
    *("VISUAL", "EDITOR"),
    *("CASEBOOK_LOG", "CASEBOOK_SOURCES", "TEXTUAL", "TEXTUAL_LOG", "TEXTUAL_SCREENSHOT"),
    *("PYTHONPATH", "PYTHONSTARTUP", "PYTHONHOME", "PYTHONINSPECT"),
)
"""Removed from the sessions' environment: no editor, no log file, source text, devtools
or screenshot of the server user's, and no Python start-up code."""
SESSION_BOOT = "import sys; del sys.path[0]; from casebook.cli import main; sys.exit(main())"
"""What a session's Python runs: ``-m casebook`` or plain ``-c`` would put the working
folder first on the import path, letting a file there named like a module casebook
imports run as the server's user."""

DEFAULT_MAX_SESSIONS = 10
MAX_SESSIONS_LIMIT = 1000
MAX_MESSAGE = 256 * 1024
"""The largest websocket message a browser may send, in bytes (a paste, at most)."""
MAX_CELLS = 1000
"""The widest and tallest terminal a browser may ask for, in cells."""
STOP_TIMEOUT = 10.0
"""Seconds a session's process has to quit when its browser goes, before it is killed."""
TOKEN_PATTERN = re.compile(r"[A-Za-z0-9._~-]{12,256}")
log = logging.getLogger(__name__)


class ServeError(Exception):
    """Why the server cannot start, for the user: printed, non-zero exit."""


# -- command-line values ------------------------------------------------------


def token_argument(text: str) -> str:
    """``--token``: URL- and cookie-safe, long enough to be worth having."""
    if not TOKEN_PATTERN.fullmatch(text):
        raise argparse.ArgumentTypeError(
            "a token needs 12 to 256 characters: letters, digits, '-', '_', '.', '~'"
        )
    return text


def sessions_argument(text: str) -> int:
    """``--max-sessions``: a whole number from 1 to MAX_SESSIONS_LIMIT."""
    if not text.isdigit() or not 1 <= int(text) <= MAX_SESSIONS_LIMIT:
        raise argparse.ArgumentTypeError(
            f"not a number of sessions from 1 to {MAX_SESSIONS_LIMIT}: {text!r}"
        )
    return int(text)


def session_command(dirs: Sequence[Path], edition: Edition) -> list[str]:
    """The command each browser session runs: this casebook, on the same folders."""
    command = [sys.executable, "-c", SESSION_BOOT]
    for folder in dirs:
        command += ["--cases", str(folder.resolve())]
    if edition == "instructor":
        command.append("--instructor")
    return command


# -- who may connect ------------------------------------------------------------


@dataclass(frozen=True)
class HostPolicy:
    """The Host headers the server answers: the names it is reached at, no others (the
    same rule as the live class's, :func:`~casebook.model.classroom.access.host_allowed`).
    A DNS-rebinding page arrives with its own name and is refused."""

    bind: str

    def allows(self, header: str | None) -> bool:
        return host_allowed(header, self.bind)


def tokens_match(given: str | None, token: str) -> bool:
    return given is not None and hmac.compare_digest(given.encode(), token.encode())


# -- the server -----------------------------------------------------------------


@dataclass(frozen=True)
class ServeOptions:
    """What ``casebook serve`` was asked for."""

    command: tuple[str, ...]
    host: str = "127.0.0.1"
    port: int = 8000
    token: str | None = None
    """None: no token (``--no-token``)."""
    max_sessions: int = DEFAULT_MAX_SESSIONS

    @property
    def url(self) -> str:
        """Where to open it on this machine, with the token."""
        host = self.host
        if is_wildcard(host):
            host = "[::1]" if ":" in host else "127.0.0.1"
        elif ":" in host:
            host = f"[{host}]"
        query = f"?token={self.token}" if self.token else ""
        return f"http://{host}:{self.port}/{query}"


def options(
    dirs: Sequence[Path],
    edition: Edition,
    *,
    host: str = "127.0.0.1",
    port: int = 8000,
    token: str | None = None,
    no_token: bool = False,
    max_sessions: int = DEFAULT_MAX_SESSIONS,
) -> ServeOptions:
    """The options of a server: a random token unless one is given or none is wanted."""
    return ServeOptions(
        command=tuple(session_command(dirs, edition)),
        host=host,
        port=port,
        token=None if no_token else token or secrets.token_urlsafe(32),
        max_sessions=max_sessions,
    )


_PAGE = """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>casebook</title>
<style>body{{background:#0c181f;color:#eee;font:16px/1.5 sans-serif;margin:3em auto;
max-width:38em;padding:0 1em}}code{{color:#fc6}}</style></head>
<body><h1>{title}</h1><p>{text}</p></body></html>
"""
NEEDS_TOKEN = (
    "casebook: access token needed",
    "Open the address <code>casebook serve</code> printed when it started, the one "
    "ending in <code>?token=…</code>, or ask the person who runs it.",
)
UNKNOWN_HOST = (
    "casebook: unknown host name",
    "This server answers only at the address it was started on.",
)
FULL = (
    "casebook is full",
    "All {n} sessions are in use. Close a casebook tab, or try again in a moment.",
)
_FONTS = """<style>
@font-face { font-family: "Roboto Mono"; font-style: normal; font-weight: 100 700;
  src: url("{{ config.static.url }}fonts/RobotoMono-VariableFont_wght.ttf") format("truetype"); }
@font-face { font-family: "Roboto Mono"; font-style: italic; font-weight: 100 700;
  src: url("{{ config.static.url }}fonts/RobotoMono-Italic-VariableFont_wght.ttf")
  format("truetype"); }
</style>"""
_EXTERNAL_FONT = re.compile(r"<link[^>]*fonts\.googleapis\.com[^>]*>", re.DOTALL)


def _html(status: int, page: tuple[str, str], **values: object) -> web.Response:
    from aiohttp import web

    title, text = page
    body = _PAGE.format(title=title, text=text.format(**values))
    return web.Response(status=status, text=body, content_type="text/html")


def _cells(value: object, default: int) -> int:
    """A terminal size from a browser, within 1..MAX_CELLS."""
    if isinstance(value, str) and value.isdigit():
        value = int(value)
    if not isinstance(value, int) or isinstance(value, bool):
        return default
    return max(1, min(value, MAX_CELLS))


class CasebookServer:
    """textual-serve's page and sessions, behind the token, Host and Origin checks.

    It reuses textual-serve's session process (``AppService``), its page template (its
    web font served from here, not fetched from Google) and its static files, and
    replaces its handlers, which check nothing. There is no download route: the
    restricted app delivers no files.
    """

    def __init__(self, options: ServeOptions) -> None:
        self.options = options
        self.hosts = HostPolicy(options.host)
        self.sessions: set[web.WebSocketResponse] = set()

    # -- the aiohttp application

    def web_app(self) -> web.Application:
        from aiohttp import web

        @web.middleware
        async def check_host(request: web.Request, handler: Handler) -> web.StreamResponse:
            if not self.hosts.allows(request.headers.get("Host")):
                return _html(403, UNKNOWN_HOST)
            return await handler(request)

        app = web.Application(middlewares=[check_host])
        app.router.add_get("/", self._page)
        app.router.add_get("/ws", self._websocket)
        app.router.add_static("/static", self._textual_serve_dir() / "static")
        app.on_response_prepare.append(self._headers)
        app.on_shutdown.append(self._close_sessions)
        return app

    @staticmethod
    def _textual_serve_dir() -> Path:
        import textual_serve

        return Path(textual_serve.__file__).resolve().parent

    @cached_property
    def _template(self) -> Template:
        """textual-serve's page, its Google font link replaced by the font it ships."""
        import jinja2

        page = (self._textual_serve_dir() / "templates" / "app_index.html").read_text("utf-8")
        page = _EXTERNAL_FONT.sub(lambda _match: _FONTS, page)
        return jinja2.Environment(autoescape=True).from_string(page)

    # -- checks

    def _token_ok(self, request: web.Request) -> bool:
        token = self.options.token
        if token is None:
            return True
        return tokens_match(request.query.get("token"), token)

    @property
    def _token_query(self) -> str:
        """The token as the websocket's query: no cookie, which every other port of this
        host would be sent too."""
        token = self.options.token
        return "" if token is None else f"?token={token}"  # URL-safe (TOKEN_PATTERN)

    def _full(self) -> bool:
        return len(self.sessions) >= self.options.max_sessions

    @staticmethod
    async def _headers(_request: web.Request, response: web.StreamResponse) -> None:
        response.headers.setdefault("X-Frame-Options", "DENY")
        response.headers.setdefault("Content-Security-Policy", "frame-ancestors 'none'")
        response.headers.setdefault("Referrer-Policy", "no-referrer")
        response.headers.setdefault("X-Content-Type-Options", "nosniff")

    # -- the page

    async def _page(self, request: web.Request) -> web.StreamResponse:
        from aiohttp import web

        if not self._token_ok(request):
            return _html(403, NEEDS_TOKEN)
        if self._full():
            return _html(503, FULL, n=self.options.max_sessions)
        font_size = _cells(request.query.get("fontsize", "16"), 16)
        scheme = "wss" if request.secure else "ws"
        page = self._template.render(
            font_size=max(6, min(font_size, 64)),
            app_websocket_url=f"{scheme}://{request.host}/ws{self._token_query}",
            config={"static": {"url": "/static/"}},
            application={"name": "casebook"},
        )
        response = web.Response(text=page, content_type="text/html")
        response.headers["Cache-Control"] = "no-store"
        return response

    # -- a session

    async def _websocket(self, request: web.Request) -> web.StreamResponse:
        from aiohttp import web

        if not origin_allowed(request.headers.get("Origin"), request.host):
            return web.Response(status=403, text="casebook: cross-site websocket refused")
        if not self._token_ok(request):
            return web.Response(status=403, text="casebook: access token needed")
        if self._full():
            return web.Response(status=503, text="casebook is full")
        websocket = web.WebSocketResponse(heartbeat=15, max_msg_size=MAX_MESSAGE)
        self.sessions.add(websocket)  # no await since the check: counted at once
        service: AppService | None = None
        try:
            await websocket.prepare(request)
            service = self._service(websocket)
            width = _cells(request.query.get("width"), 80)
            height = _cells(request.query.get("height"), 24)
            await service.start(width, height)
            await self._relay(websocket, service)
        except Exception as error:  # a session's failure must not stop the others
            traceback = log.isEnabledFor(logging.DEBUG)  # logging to a file (--log)
            log.warning("casebook session ended: %s", error, exc_info=traceback)
        finally:
            if service is not None:  # the slot is free once the process is gone
                await self._stop(service)
            self.sessions.discard(websocket)
            if websocket.prepared:
                await websocket.close()
        return websocket

    def _service(self, websocket: web.WebSocketResponse) -> AppService:
        from shlex import join

        from textual_serve.app_service import AppService
        from textual_serve.download_manager import DownloadManager

        return AppService(
            "exec " + join(self.options.command),  # no shell left between: kill reaches it
            write_bytes=websocket.send_bytes,
            write_str=websocket.send_str,
            close=websocket.close,
            download_manager=DownloadManager(),
        )

    @staticmethod
    async def _stop(service: AppService) -> None:
        """Ask the session's app to quit; kill it if it does not in time."""
        try:
            await asyncio.wait_for(service.stop(), STOP_TIMEOUT)
        except (asyncio.TimeoutError, OSError):
            process = getattr(service, "_process", None)
            if process is not None and process.returncode is None:
                with contextlib.suppress(ProcessLookupError):
                    process.kill()

    @staticmethod
    async def _relay(websocket: web.WebSocketResponse, service: AppService) -> None:
        """Pass the browser's keys, sizes and focus to the app; ignore anything malformed."""
        from aiohttp import WSMsgType

        async for message in websocket:
            if message.type != WSMsgType.TEXT:
                continue
            try:
                envelope = json.loads(message.data)
            except ValueError:
                continue
            if not isinstance(envelope, list) or not envelope:
                continue
            kind, data = envelope[0], envelope[1] if len(envelope) > 1 else None
            if kind == "stdin" and isinstance(data, str):
                await service.send_bytes(data.encode("utf-8", "replace"))
            elif kind == "resize" and isinstance(data, dict):
                width = _cells(data.get("width"), 0)
                height = _cells(data.get("height"), 0)
                if width and height:
                    await service.set_terminal_size(width, height)
            elif kind == "ping":
                await websocket.send_json(["pong", data])
            elif kind == "blur":
                await service.blur()
            elif kind == "focus":
                await service.focus()

    async def _close_sessions(self, _app: web.Application) -> None:
        from aiohttp import WSCloseCode

        for websocket in list(self.sessions):
            await websocket.close(code=WSCloseCode.GOING_AWAY, message=b"server stopped")

    # -- running

    async def run(self, started: Callable[[], None]) -> None:
        """Serve until SIGINT or SIGTERM; call ``started()`` once listening."""
        from aiohttp import web

        runner = web.AppRunner(self.web_app(), access_log=None, shutdown_timeout=5)
        await runner.setup()
        try:
            site = web.TCPSite(runner, self.options.host or None, self.options.port)
            try:
                await site.start()
            except OSError as error:
                reason = os.strerror(error.errno) if error.errno else str(error)
                where = f"{self.options.host}:{self.options.port}"
                raise ServeError(f"cannot serve at {where}: {reason}") from None
            started()
            stop = asyncio.Event()
            loop = asyncio.get_running_loop()
            for number in (signal.SIGINT, signal.SIGTERM):
                with contextlib.suppress(NotImplementedError, RuntimeError):
                    loop.add_signal_handler(number, stop.set)
            await stop.wait()
        finally:
            await runner.cleanup()


def _more_files() -> None:
    """Raise the soft limit of open files to the hard one: connections that never finish
    their headers (aiohttp has no timeout for them) take longer to exhaust it."""
    try:
        import resource
    except ImportError:  # pragma: no cover - Windows
        return
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    wanted = max(soft, 65536) if hard == resource.RLIM_INFINITY else max(soft, hard)
    with contextlib.suppress(ValueError, OSError):
        resource.setrlimit(resource.RLIMIT_NOFILE, (wanted, hard))


def run(options: ServeOptions, console: Console) -> None:
    """Serve until interrupted, printing the address (with the token) and any warning.

    Sessions inherit this process's environment: it gains SERVED_ENV and loses the
    editor settings (this process does nothing else afterwards)."""
    from rich.text import Text

    os.environ[SERVED_ENV] = "1"
    os.chdir("/")  # the case folders are absolute; nothing of the working folder is used
    _more_files()
    for name in SCRUBBED_ENV:
        os.environ.pop(name, None)
    errors = console.__class__(stderr=True, highlight=False, soft_wrap=True)

    def started() -> None:
        if options.token is None:
            errors.print(
                Text(
                    "WARNING: --no-token: anyone who can reach "
                    f"{options.host}:{options.port} (every user and program of this "
                    "machine, and more off loopback) gets a session and can read every "
                    "served case. Use it only on a machine and network you trust.",
                    style="bold red",
                )
            )
        if not is_loopback(options.host):
            errors.print(
                Text(
                    f"Warning: listening on {options.host or 'every interface'}, not loopback: "
                    "anyone on the network who has the address and the token can open "
                    "sessions, and the connection is not encrypted (plain HTTP).",
                    style="yellow",
                )
            )
        console.print(Text("Serving casebook (Ctrl+C to stop). Open:", style="bold"))
        console.print(Text(f"    {options.url}"))
        console.print(
            Text(
                f"At most {options.max_sessions} sessions at once; each is read-only on the "
                "server: no editor, no files written, notes kept for that browser tab only.",
                style="dim",
            )
        )

    with contextlib.suppress(KeyboardInterrupt):
        asyncio.run(CasebookServer(options).run(started))
