"""``casebook class start`` and ``casebook class resume``: bind the class server, keep the
record, print where students join, then teach the class in the app.

The server listens before the app takes the terminal, on the app's own event loop: an
address that cannot be bound is one line and a non-zero exit, never a broken screen.
Quitting the app ends the class; a crash or a closed terminal leaves it to resume.
"""

from __future__ import annotations

import asyncio
import socket
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from rich.text import Text

from casebook.model.classroom.access import is_loopback
from casebook.model.format.text import Lang, pick

if TYPE_CHECKING:
    from rich.console import Console

    from casebook.app import CasebookApp
    from casebook.model.classroom.record import ClassRecord
    from casebook.model.load.library import Library
    from casebook.screens.class_trainer import ClassSetup


class TeachError(Exception):
    """A class that cannot start (an address not bound, a case gone): one line."""


@dataclass(frozen=True)
class Teaching:
    """How the trainer asked to teach: the address, the class size, the screen."""

    host: str = "127.0.0.1"
    port: int = 0
    max_students: int = 500
    console: bool = False
    lang: Lang | None = None


def free_port(host: str, port: int) -> int:
    """Bind ``host``:``port`` for a moment (port 0: one the system picks) and return the
    port: the address is checked before anything is recorded, and a class started on
    port 0 keeps its port for ``resume`` (students reconnect to the same address)."""
    try:
        found = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE)
    except (socket.gaierror, UnicodeError) as error:
        raise TeachError(f"cannot listen on {host!r}: {_reason(error)}") from None
    family, kind, proto, _, address = found[0]
    with socket.socket(family, kind, proto) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind(address)
        except OSError as error:
            raise TeachError(f"cannot listen on {_where(host, port)}: {_reason(error)}") from None
        return int(probe.getsockname()[1])


def start(
    console: Console, library: Library, case_id: str, title: str | None, teaching: Teaching
) -> int:
    """A new class on ``case_id`` (in ``library``, the instructor edition)."""
    from casebook.model.classroom.record import ClassRecord, record_path
    from casebook.model.classroom.server import new_code

    lang: Lang = teaching.lang or "en"
    case = library.cases[case_id]
    _warn_if_open(console, teaching.host)
    port = free_port(teaching.host, teaching.port)
    record = ClassRecord.create(
        record_path(),
        case_id=case_id,
        title=title or pick(case.company.name, lang),
        lang=lang,
        code=new_code(),
        host=teaching.host,
        port=port,
    )
    return _teach(console, library, record, teaching, fresh=True)


def resume(console: Console, library: Library, class_id: str | None, teaching: Teaching) -> int:
    """Take up class ``class_id`` (default: the latest not ended) at its own address."""
    from casebook.model.classroom.record import ClassRecord, record_path

    record = ClassRecord.resume(record_path(), class_id)
    if record.case_id not in library.cases:
        record.close()
        raise TeachError(
            f"class {record.class_id} teaches {record.case_id!r}, which is not among the "
            "valid cases (--cases DIR)"
        )
    _warn_if_open(console, record.host)
    try:
        free_port(record.host, record.port)
    except TeachError:
        record.close()
        raise
    mine = Teaching(record.host, record.port, teaching.max_students, teaching.console, record.lang)
    return _teach(console, library, record, mine, fresh=False)


def _teach(
    console: Console, library: Library, record: ClassRecord, teaching: Teaching, *, fresh: bool
) -> int:
    from casebook.app import make_app
    from casebook.model.classroom.server import ClassServer
    from casebook.screens.class_trainer import ClassSetup

    case = library.cases[record.case_id]
    setup = ClassSetup(
        lambda changed: ClassServer(
            case,
            record=record,
            title=record.title,
            lang=record.lang,
            host=record.host,
            port=record.port,
            max_students=teaching.max_students,
            on_change=changed,
        ),
        case_id=case.id,
        console=teaching.console,
    )
    app = make_app(library=library, classroom=setup, lang=teaching.lang)
    return asyncio.run(_run(console, app, setup, record, fresh=fresh))


async def _run(
    console: Console, app: CasebookApp, setup: ClassSetup, record: ClassRecord, *, fresh: bool
) -> int:
    """Listen, say where to join, teach; then close the class (ended, if the app was
    quit rather than broken)."""
    try:
        await setup.start()
    except OSError as error:
        if fresh:
            record.end()  # never taught: nothing to resume
        record.close()
        where = _where(record.host, record.port)
        raise TeachError(f"cannot listen on {where}: {_reason(error)}") from None
    _say_where(console, setup.server.class_id, setup.server.join_addresses(), record.host)
    ended = False
    try:
        await app.run_async()
        ended = app.return_code in (None, 0)
    finally:
        await setup.close(ended=ended)
    return 0 if ended else 1


def _warn_if_open(console: Console, host: str) -> None:
    if not is_loopback(host):
        console.print(
            Text(
                f"casebook: the class listens on {host}, not only this machine: anyone on "
                "the network can reach it, and those given the class address can join.",
                style="yellow",
            )
        )


def _say_where(console: Console, class_id: str, addresses: Sequence[str], host: str) -> None:
    console.print(Text(f"class {class_id}: students join at", style="bold"))
    for address in addresses:
        console.print(Text(f"  {address}"))
    if is_loopback(host):
        console.print(Text("  (this machine only: --host 0.0.0.0 lets others join)", style="dim"))
    else:
        console.print(Text("  (reachable from the network at these addresses)", style="dim"))


def _where(host: str, port: int) -> str:
    return f"[{host}]:{port}" if ":" in host else f"{host}:{port}"


def _reason(error: BaseException) -> str:
    return (getattr(error, "strerror", None) or str(error) or type(error).__name__).strip()
