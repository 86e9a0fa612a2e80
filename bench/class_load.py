"""A live class under load: N simulated students against the class server, in one run
against a minimal aiohttp broadcast server (the baseline), both on 127.0.0.1.

    python bench/class_load.py [--students 300] [--rounds 20]

The trainer (the class server, or the baseline server) runs in this process; the
students run in a child process (this script with ``--students-of URL``): one asyncio
loop with N aiohttp websocket connections, each decoding every message as a real
student does. Measured:

* a slide change to every student: for each of --rounds slide changes, the time from the
  trainer's call to each student's receipt (one system-wide monotonic clock), p50/p95/max
  over all students and rounds; the same for the baseline, which broadcasts the same
  message to N plain websockets;
* N answers sent within one second (spread evenly): all acknowledged, all in the record
  (rows counted in SQLite) and in the server's own count (``answers_in``);
* the trainer's memory (this process's RSS growth while the students join, per student)
  and CPU time (this process's user+system time while the students join, per student;
  per slide change per student; per answer).

Bounded: every wait has a timeout; nothing leaves 127.0.0.1.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import resource
import sqlite3
import statistics
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

import aiohttp
from aiohttp import web

from casebook.model.classroom import protocol

TIMEOUT = 60.0
"""The longest any one phase may take, in seconds."""


# ---- the students (the child process) -------------------------------------------------


@dataclass
class Students:
    """N websocket students in one loop; what they received, by slide step."""

    url: str
    count: int
    code: str
    digest: str
    mode: str
    sockets: list[aiohttp.ClientWebSocketResponse] = field(default_factory=list)
    seen: dict[int, list[float]] = field(default_factory=dict)
    received: int = 0
    question: tuple[int, int] | None = None
    changed: asyncio.Event = field(default_factory=asyncio.Event)

    async def run(self) -> None:
        connector = aiohttp.TCPConnector(limit=0)
        async with aiohttp.ClientSession(connector=connector) as session:
            await asyncio.gather(*(self.connect(session, n) for n in range(self.count)))
            readers = [asyncio.create_task(self.read(ws)) for ws in self.sockets]
            await self.until(lambda: len(self.seen.get(1, ())) >= self.count)
            say({"ready": self.count})
            await self.commands()
            for ws in self.sockets:
                await ws.close()
            for reader in readers:
                reader.cancel()

    async def connect(self, session: aiohttp.ClientSession, n: int) -> None:
        ws = await session.ws_connect(self.url, max_msg_size=protocol.MAX_FROM_SERVER)
        if self.mode == "class":
            join = protocol.Join(code=self.code, name=f"student {n}", digest=self.digest)
            await ws.send_bytes(protocol.encode(join))
        self.sockets.append(ws)

    async def read(self, ws: aiohttp.ClientWebSocketResponse) -> None:
        async for message in ws:
            now = time.monotonic()
            data = message.data
            decoded = protocol.decode_from_server(data)
            if isinstance(decoded, protocol.Slide):
                self.seen.setdefault(decoded.step, []).append(now)
            elif isinstance(decoded, protocol.Received):
                self.received += 1
            elif isinstance(decoded, protocol.Question) and decoded.open:
                self.question = (decoded.question, len(decoded.choices))
            elif isinstance(decoded, protocol.Refused):
                say({"refused": decoded.reason})
            self.changed.set()

    async def until(self, condition, timeout: float = TIMEOUT) -> bool:
        deadline = time.monotonic() + timeout
        while not condition():
            self.changed.clear()
            left = deadline - time.monotonic()
            if left <= 0:
                return False
            try:
                await asyncio.wait_for(self.changed.wait(), left)
            except asyncio.TimeoutError:
                return False
        return True

    async def commands(self) -> None:
        reader = asyncio.StreamReader()
        loop = asyncio.get_running_loop()
        await loop.connect_read_pipe(lambda: asyncio.StreamReaderProtocol(reader), sys.stdin)
        while line := (await reader.readline()).decode().split():
            if line[0] == "wait":  # every student has slide step N
                got = self.seen.setdefault(int(line[1]), [])
                await self.until(lambda got=got: len(got) >= self.count)
                say({"got": int(line[1]), "students": len(got)})
            elif line[0] == "answer":
                await self.answer()
            elif line[0] == "report":
                say({"seen": self.seen})
            elif line[0] == "quit":
                return

    async def answer(self) -> None:
        """Every student answers the open question, spread evenly over one second."""
        await self.until(lambda: self.question is not None)
        assert self.question is not None
        number, choices = self.question
        began = time.monotonic()

        async def send(n: int, ws: aiohttp.ClientWebSocketResponse) -> None:
            await asyncio.sleep(n / self.count)
            answer = protocol.Answer(
                question=number,
                text="" if choices else f"answer of student {n} <b>",
                choice=1 if choices else None,
            )
            await ws.send_bytes(protocol.encode(answer))

        await asyncio.gather(*(send(n, ws) for n, ws in enumerate(self.sockets)))
        sent_in = time.monotonic() - began
        await self.until(lambda: self.received >= self.count)
        say({"sent": self.count, "within": sent_in, "acknowledged": self.received})


def say(value: object) -> None:
    print(json.dumps(value), flush=True)


# ---- the trainer's side (this process) --------------------------------------------------


class Child:
    """The students' process, driven line by line."""

    def __init__(self, process: asyncio.subprocess.Process) -> None:
        self.process = process

    @classmethod
    async def start(cls, url: str, count: int, mode: str, code: str = "", digest: str = ""):
        arguments = ["--students-of", url, "--students", str(count), "--mode", mode]
        arguments += ["--code", code or "x" * 16, "--digest", digest or "-"]
        process = await asyncio.create_subprocess_exec(
            sys.executable,
            __file__,
            *arguments,
            stdin=asyncio.subprocess.PIPE,
            stdout=asyncio.subprocess.PIPE,
            limit=64 * 1024 * 1024,
        )
        return cls(process)

    async def tell(self, line: str) -> None:
        assert self.process.stdin is not None
        self.process.stdin.write(f"{line}\n".encode())
        await self.process.stdin.drain()

    async def hear(self, key: str) -> dict:
        assert self.process.stdout is not None
        while True:
            line = await asyncio.wait_for(self.process.stdout.readline(), TIMEOUT)
            if not line:
                raise RuntimeError("the students' process ended early")
            heard = json.loads(line)
            if key in heard:
                return heard
            print(f"  students: {heard}", file=sys.stderr)

    async def finish(self) -> None:
        await self.tell("quit")
        try:
            await asyncio.wait_for(self.process.wait(), TIMEOUT)
        except asyncio.TimeoutError:
            self.process.kill()
            await self.process.wait()


def _rss() -> int:
    """This process's resident memory now, in bytes (Linux), else its peak."""
    try:
        pages = int(Path("/proc/self/statm").read_text().split()[1])
        return pages * os.sysconf("SC_PAGE_SIZE")
    except (OSError, ValueError, IndexError):
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        return peak if sys.platform == "darwin" else peak * 1024


def _cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def _percentiles(latencies: list[float]) -> dict[str, float]:
    ordered = sorted(latencies)
    p95 = ordered[min(len(ordered) - 1, int(0.95 * len(ordered)))]
    return {
        "p50": statistics.median(ordered) * 1000,
        "p95": p95 * 1000,
        "max": ordered[-1] * 1000,
    }


async def _rounds(child: Child, count: int, rounds: int, send) -> dict[str, float]:
    """``rounds`` slide changes (steps 2, 3, …), each sent by ``send(step)`` once every
    student has the one before: the latencies of every student's receipt, and the CPU
    time of this process from each send until every student had it."""
    sent: dict[int, float] = {}
    cpu = 0.0
    for step in range(2, rounds + 2):
        began = _cpu()
        sent[step] = time.monotonic()
        await send(step)
        await child.tell(f"wait {step}")
        heard = await child.hear("got")
        cpu += _cpu() - began
        if heard["students"] < count:
            raise RuntimeError(f"slide step {step} reached only {heard['students']} students")
    await child.tell("report")
    seen = (await child.hear("seen"))["seen"]
    latencies = [
        at - sent[int(step)] for step, times in seen.items() if int(step) in sent for at in times
    ]
    return {**_percentiles(latencies), "received": len(latencies), "send_cpu": cpu}


async def class_run(count: int, rounds: int, folder: Path) -> dict[str, object]:
    """The class server with ``count`` students: slide latency, answers, memory, CPU."""
    from casebook.model.classroom.record import ClassRecord
    from casebook.model.classroom.server import ClassServer, new_code
    from casebook.model.load.library import bundled_cases_dir, load_library

    library = load_library([bundled_cases_dir()])
    case = next(case for case in library.cases.values() if case.discussion_questions)
    path = folder / "classes.sqlite3"
    record = ClassRecord.create(
        path, case_id=case.id, title="load", lang="en", code=new_code(), host="127.0.0.1", port=0
    )
    server = ClassServer(case, record=record, title="load", lang="en", max_students=max(500, count))
    await server.start()
    rss_before = _rss()
    url = f"ws://127.0.0.1:{server.port}/c/{server.code}/ws"
    cpu_before = _cpu()
    child = await Child.start(url, count, "class", server.code, server.digest)
    try:
        await child.hear("ready")
        join_cpu = _cpu() - cpu_before
        rss_joined = _rss() - rss_before
        slides = len(server.deck.slides)

        async def send(step: int) -> None:
            server.show_slide(1 + step % max(1, slides), step, slides)

        latency = await _rounds(child, count, rounds, send)
        server.open_question(1)
        cpu_before = _cpu()
        await child.tell("answer")
        answered = await child.hear("sent")
        answer_cpu = _cpu() - cpu_before
        in_server = server.answers_in(1)
        db = sqlite3.connect(path)
        (rows,) = db.execute(
            "SELECT count(*) FROM answers WHERE class_id = ? AND question = 1", (server.class_id,)
        ).fetchone()
        db.close()
    finally:
        await child.finish()
        await server.close()
    return {
        **latency,
        "students": count,
        "answers_sent": answered["sent"],
        "answers_within_s": answered["within"],
        "answers_acknowledged": answered["acknowledged"],
        "answers_in_record": rows,
        "answers_in_server": in_server,
        "rss_per_student": rss_joined / count,
        "join_cpu_per_student_ms": join_cpu / count * 1000,
        "slide_cpu_per_student_us": latency["send_cpu"] / rounds / count * 1e6,
        "answer_cpu_per_answer_ms": answer_cpu / count * 1000,
    }


async def baseline_run(count: int, rounds: int) -> dict[str, float]:
    """A minimal aiohttp broadcast server: the same slide message to ``count`` sockets."""
    sockets: list[web.WebSocketResponse] = []

    async def accept(request: web.Request) -> web.WebSocketResponse:
        ws = web.WebSocketResponse()
        await ws.prepare(request)
        sockets.append(ws)
        await ws.send_bytes(protocol.encode(protocol.Slide(slide=1, step=1, slides=10)))
        async for _message in ws:
            pass
        return ws

    app = web.Application()
    app.router.add_get("/ws", accept)
    runner = web.AppRunner(app, access_log=None, handle_signals=False)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0, shutdown_timeout=1.0)
    await site.start()
    port = runner.addresses[0][1]
    rss_before, cpu_before = _rss(), _cpu()
    child = await Child.start(f"ws://127.0.0.1:{port}/ws", count, "baseline")
    try:
        await child.hear("ready")
        join_cpu, rss_joined = _cpu() - cpu_before, _rss() - rss_before

        async def send(step: int) -> None:
            data = protocol.encode(protocol.Slide(slide=1 + step % 10, step=step, slides=10))
            for ws in list(sockets):
                await ws.send_bytes(data)

        latency = await _rounds(child, count, rounds, send)
    finally:
        await child.finish()
        await runner.cleanup()
    return {
        **latency,
        "rss_per_student": rss_joined / count,
        "join_cpu_per_student_ms": join_cpu / count * 1000,
        "slide_cpu_per_student_us": latency["send_cpu"] / rounds / count * 1e6,
    }


async def measure(count: int = 300, rounds: int = 20) -> dict[str, object]:
    """Both servers in one run, the baseline first: the class's figures and the baseline's."""
    with tempfile.TemporaryDirectory(prefix="casebook-class-load-") as folder:
        Path(folder).chmod(0o700)
        baseline = await baseline_run(count, rounds)
        ours = await class_run(count, rounds, Path(folder))
    return {"class": ours, "baseline": baseline}


def report(found: dict[str, object]) -> list[str]:
    """The figures as lines of text."""
    ours, base = found["class"], found["baseline"]
    assert isinstance(ours, dict) and isinstance(base, dict)
    n = ours["students"]
    return [
        f"slide change to every one of {n} students: p50 {ours['p50']:.1f} ms, "
        f"p95 {ours['p95']:.1f} ms, max {ours['max']:.1f} ms "
        f"(baseline p50 {base['p50']:.1f}, p95 {base['p95']:.1f}, max {base['max']:.1f}); "
        f"p95 ratio {ours['p95'] / base['p95']:.2f}×",
        f"answers: {ours['answers_sent']} sent within {ours['answers_within_s']:.2f} s, "
        f"{ours['answers_acknowledged']} acknowledged, {ours['answers_in_record']} in the "
        f"record, {ours['answers_in_server']} counted by the server",
        f"trainer memory per student: RSS {ours['rss_per_student'] / 1024:.1f} KiB",
        f"trainer CPU: join {ours['join_cpu_per_student_ms']:.2f} ms per student, "
        f"slide change {ours['slide_cpu_per_student_us']:.1f} µs per student, "
        f"answer {ours['answer_cpu_per_answer_ms']:.2f} ms per answer",
    ]


def rows(found: dict[str, dict]) -> list[dict[str, object]]:
    """The figures as rows of bench/run.py's table (the fields of its ``Row``)."""
    ours, base = found["class"], found["baseline"]
    n = ours["students"]
    recorded = min(ours["answers_in_record"], ours["answers_in_server"])
    per = f"per student, {n} students"
    return [
        dict(
            metric=f"slide change to every student, p95, {n} students",
            ours=ours["p95"],
            baseline=base["p95"],
            baseline_name="aiohttp broadcast",
            target=2.0,
            note=f"p50 {ours['p50']:.1f} ms, max {ours['max']:.1f} ms; ≤ 100 ms: "
            + ("yes" if ours["p95"] <= 100 else "NO"),
        ),
        dict(
            metric=f"answers sent within 1 s, {n} students, against those recorded",
            ours=ours["answers_sent"],
            baseline=recorded,
            baseline_name="recorded",
            target=1.0,
            unit="n",
            note=f"{ours['answers_in_record']} in the record, {ours['answers_in_server']} "
            f"counted by the server, sent within {ours['answers_within_s']:.2f} s",
        ),
        dict(
            metric=f"trainer memory {per}",
            ours=ours["rss_per_student"],
            baseline=base["rss_per_student"],
            baseline_name="aiohttp broadcast",
            target=float("inf"),
            unit="B",
            note="RSS growth while the students join",
        ),
        dict(
            metric=f"trainer CPU to join, {per}",
            ours=ours["join_cpu_per_student_ms"],
            baseline=base["join_cpu_per_student_ms"],
            baseline_name="aiohttp broadcast",
            target=float("inf"),
            note="user+system time of the trainer's process",
        ),
        dict(
            metric=f"trainer CPU per slide change, {per}",
            ours=ours["slide_cpu_per_student_us"],
            baseline=base["slide_cpu_per_student_us"],
            baseline_name="aiohttp broadcast",
            target=float("inf"),
            unit="µs",
            note=f"answers: {ours['answer_cpu_per_answer_ms']:.2f} ms each",
        ),
    ]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--students", type=int, default=300, help="students (default 300)")
    parser.add_argument("--rounds", type=int, default=20, help="slide changes (default 20)")
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    parser.add_argument("--students-of", metavar="URL", help=argparse.SUPPRESS)
    parser.add_argument("--mode", choices=("class", "baseline"), help=argparse.SUPPRESS)
    parser.add_argument("--code", help=argparse.SUPPRESS)
    parser.add_argument("--digest", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if not 1 <= args.students <= 2000 or not 1 <= args.rounds <= 1000:
        parser.error("--students is 1–2000 and --rounds 1–1000")
    if args.students_of:
        if not args.students_of.startswith("ws://127.0.0.1:"):
            parser.error("students connect to 127.0.0.1 only")
        students = Students(args.students_of, args.students, args.code, args.digest, args.mode)
        asyncio.run(students.run())
        return 0
    found = asyncio.run(measure(args.students, args.rounds))
    if args.json:
        print(json.dumps(found, indent=2))
    else:
        print("\n".join(report(found)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
