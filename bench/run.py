"""casebook's benchmarks, each as a ratio against a baseline measured in the same run.

    python bench/run.py [--cases 2000] [--runs 5] [--quick]

Writes a synthetic library (bench/generate.py) to a temporary folder, then measures,
each group of measurements in a fresh interpreter (medians of --runs runs; app starts
and validate runs interleaved with their baselines so that a busy machine slows both
alike):

* start to ready of the casebook app (``casebook.app.make_app``, headless, exiting
  once the explorer has drawn its case list) in a fresh interpreter, against a bare
  Textual app (Header, Static, Footer) started and stopped the same way: with the
  4 bundled cases, with N cases from a warm cache, and with N cases and an empty cache
  (against the bare app plus the raw libyaml parse time of those files); and, for
  information, with 4 cases until the opened pane's content is drawn too;
* ``casebook validate`` of the N files (``python -m casebook``, no cache) against a
  fresh interpreter that only reads them with ``yaml.load(..., CSafeLoader)``, and the
  same two in this process;
* search: per-keystroke latency over the N cases (queries typed a character at a
  time, as bench/search_bench.py does), in the search index and in the app;
* opening a 100 KB case in the explorer (in this process, with ``App.run_test``);
* every pane of that case, first opened and shown again, in English and Chinese (CPU
  time until drawn, against budgets); the case list's first page with N cases and an
  empty cache, loaded in the background as the ``casebook`` command does;
* with N cases, each repeat on a library just loaded from the warm cache (a screen's
  first open, as a reader who just started meets it): compare with 4 cases, the
  cross-case timeline, first opened and opened again (and its memory per event
  with all the cases and a quarter of them), a filter, a page of the list; a slide step
  and the slide grid of a 60-slide case (CPU time until drawn, against budgets); and,
  for information, the problems panel, search and the command palette, first opened;
* peak memory (the process's own: Linux's VmHWM, else ru_maxrss, which on Linux also
  counts the bench process forked to start it) of the app with the 4 bundled cases and
  with N warm cases against the bare app, when the first screen is ready; with N warm
  cases once what the app readies after its first screen is made and it is quiet again
  (a reader's session); and, for information, after a first search (its index built).

Times are wall-clock. A benchmark reports: the exit status is 0 whatever the results.
``--quick`` (a few cases, one run) only checks that every measurement runs.
"""

from __future__ import annotations

import argparse
import asyncio
import compileall
import concurrent.futures
import contextlib
import dataclasses
import datetime
import functools
import gc
import io
import json
import multiprocessing
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import yaml

BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH))

import generate  # noqa: E402
import search_bench  # noqa: E402
from rich.segment import Segment  # noqa: E402
from textual.app import App, ComposeResult  # noqa: E402
from textual.command import CommandPalette  # noqa: E402
from textual.containers import Horizontal, VerticalScroll  # noqa: E402
from textual.geometry import Size  # noqa: E402
from textual.screen import Screen  # noqa: E402
from textual.strip import Strip  # noqa: E402
from textual.widget import Widget  # noqa: E402
from textual.widgets import Static, TabbedContent, TabPane  # noqa: E402

import casebook  # noqa: E402
from casebook.model.load import cache  # noqa: E402
from casebook.model.load.library import (  # noqa: E402
    bundled_cases_dir,
    cards,
    case_files,
    load_library,
)
from casebook.startup import pause_collector, resume_collector  # noqa: E402

MIB = 1024 * 1024

CHILD = r'''
"""One app start, in a fresh interpreter: prints when it was ready and its peak memory."""
import json, resource, sys, time

mode, dirs = sys.argv[1], sys.argv[2:]
if mode == "bare":
    from textual.app import App
    from textual.widgets import Footer, Header, Static

    class Bare(App):
        def compose(self):
            yield Header()
            yield Static("Hello")
            yield Footer()

    app = Bare()

    def ready():
        return True
else:
    from pathlib import Path
    import casebook.cli  # as the casebook command starts: its module, then cli.main,
    from casebook.startup import pause_collector

    pause_collector()  # which slows the collector first thing (see casebook.startup)
    folders = [Path(d) for d in dirs]
    if mode == "casebook-large":  # as the casebook command opens a library with many
        from casebook.model.load.cache import TooManyToParse  # files to parse
        from casebook.model.load.library import load_library

        try:  # the command's limit is cli.LARGE_LIBRARY; --quick has fewer files
            load_library(folders, parse_at_most=0)
        except TooManyToParse as many:
            app = casebook.cli.large_library_app(
                folders, "student", many.files, watch=False, rows=40
            )
        else:
            raise SystemExit("not a large library")
    else:
        from casebook.app import make_app

        app = make_app(folders)
    from casebook.widgets.case_list import CaseList

    def ready():
        found = app.screen.query(CaseList)
        if not (found and found.first().row_count > 0):
            return False
        if mode == "casebook-full":  # and the opened pane's content, drawn after the list
            pane = app.screen.query("#pane-overview")
            return bool(pane) and bool(pane.first().children)
        return True

marks = {}

def check():
    # Ready: the first screen refreshed after its content was there.
    if ready():
        marks["ready"] = time.time()
        if mode in ("casebook-warmed-up", "casebook-searched"):
            app.run_worker(warmed_up())
        else:
            app.exit()
    else:  # look again shortly (not at once: a busy loop would slow a loading thread)
        app.set_timer(0.001, lambda: app.call_after_refresh(check))

async def warmed_up():
    # As a reader's session goes on: what the app readies after its first screen (the
    # warm-up's workers: cards, the compare and all-events screens), then a quiet moment.
    import asyncio
    from casebook.app import WARM_UP_AFTER

    await asyncio.sleep(WARM_UP_AFTER + 0.05)
    began = time.time()
    while any(w.group == "warm-up" for w in app.workers) and time.time() - began < 60:
        await asyncio.sleep(0.01)
    await quiet(began)
    if mode == "casebook-searched":  # and a first search, its index built
        from casebook.screens.search import SearchScreen

        app.screen.action_search()
        while not (isinstance(app.screen, SearchScreen) and app.screen.index is not None):
            if time.time() - began > 60:
                raise SystemExit("search's index not built in 60 s")
            await asyncio.sleep(0.01)
        await quiet(began)
    app.exit()

async def quiet(began):
    import asyncio

    while time.time() - began < 60:
        cpu = time.process_time()
        await asyncio.sleep(0.1)
        if time.process_time() - cpu < 0.005:
            break

async def autopilot(pilot):
    app.call_after_refresh(check)

app.run(headless=True, size=(120, 40), auto_pilot=autopilot)  # 40 rows, as above
try:  # this process's own peak: Linux's ru_maxrss counts the bench's, forked to start it
    rss = int(open("/proc/self/status").read().split("VmHWM:")[1].split()[0])  # KiB
except (OSError, IndexError):  # not Linux: no fork of a large bench counted there
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
print(json.dumps({"ready": marks["ready"], "maxrss": rss, "end": time.time()}))
'''

RAW_PARSE = r"""
import os, sys, yaml
for root, dirs, files in os.walk(sys.argv[1]):
    for name in files:
        if name.endswith((".yaml", ".yml")):
            with open(os.path.join(root, name), "rb") as stream:
                yaml.load(stream.read(), Loader=yaml.CSafeLoader)
"""


@dataclass
class Row:
    """One benchmark: our figure against its baseline (or a budget), and the target ratio."""

    metric: str
    ours: float
    baseline: float
    baseline_name: str
    target: float
    unit: str = "ms"
    note: str = ""

    @property
    def ratio(self) -> float:
        return self.ours / self.baseline if self.baseline else float("inf")

    @property
    def verdict(self) -> str:
        return "PASS" if self.ratio <= self.target else "FAIL"


def _fmt(value: float, unit: str) -> str:
    if unit == "MiB":
        return f"{value:.1f} MiB"
    if unit == "B":
        return f"{value / 1024:.1f} KiB"
    if unit == "n":
        return f"{value:.0f}"
    if unit == "µs":
        return f"{value:.1f} µs"
    return f"{value:.1f} ms" if value < 100 else f"{value:.0f} ms"


def _maxrss_mib(value: int) -> float:
    # Linux reports KiB; macOS bytes.
    return value / MIB if sys.platform == "darwin" else value / 1024


class Bench:
    def __init__(self, args: argparse.Namespace, work: Path) -> None:
        self.args = args
        self.work = work
        self.runs = args.runs
        self.quick = args.quick
        # In-process timings repeat at least 3 times (they are cheap), except when quick.
        self.repeats = 1 if args.quick else max(3, args.runs)
        self.library = work / "library"
        self.big = work / "big"
        self.slides = work / "slides"
        self.slide_count = 0
        self.bundled = bundled_cases_dir()
        self.child = work / "child.py"
        self.child.write_text(CHILD, encoding="utf-8")
        self.env = dict(os.environ)
        for name in ("CASEBOOK_PATH", "CASEBOOK_EDITION", cache.ENV_OFF):
            self.env.pop(name, None)
        self.env["CASEBOOK_DATA_DIR"] = str(work / "data")
        self.env["CASEBOOK_RUNTIME_DIR"] = str(work / "runtime")
        # The in-process apps keep their notes and progress here too, never the user's.
        os.environ["CASEBOOK_DATA_DIR"] = self.env["CASEBOOK_DATA_DIR"]
        os.environ["CASEBOOK_RUNTIME_DIR"] = self.env["CASEBOOK_RUNTIME_DIR"]
        self.warm_cache = work / "cache-warm"
        self.rows: list[Row] = []

    # -- setup --------------------------------------------------------------

    def prepare(self) -> None:
        start = time.perf_counter()
        # pip compiles an installed package's bytecode, Textual's included; an editable
        # checkout run with PYTHONDONTWRITEBYTECODE has none, so it would recompile ours
        # at every start. Compile it once, so both sides start from bytecode.
        compileall.compile_dir(Path(casebook.__file__).parent, quiet=1)
        files = generate.generate(self.library, self.args.cases)
        self.big.mkdir()
        big = self.big / "big-case.yaml"
        target = 20_000 if self.quick else 100_000
        big.write_text(generate.dump(generate.big_case(target)), encoding="utf-8")
        self.slides.mkdir()
        slides = self.slides / "slides-case.yaml"
        slides.write_text(generate.dump(generate.slides_case()), encoding="utf-8")
        self.generated_at = time.time_ns()
        size = sum(path.stat().st_size for path in files) / len(files)
        print(
            f"generated {self.args.cases} cases (+ collection; mean {size / 1024:.1f} KiB) "
            f"and a {big.stat().st_size / 1024:.0f} KiB case in {time.perf_counter() - start:.1f} s"
        )

    def wait_until_cacheable(self) -> None:
        """The cache skips files changed in the last ``cache.RACY_NS``; wait those out."""
        ready_at = self.generated_at + cache.RACY_NS + 100_000_000
        delay = (ready_at - time.time_ns()) / 1e9
        if delay > 0:
            time.sleep(delay)

    # -- helpers -------------------------------------------------------------

    def rows_of(self, step: str) -> list[Row]:
        """The rows ``step`` measures (in this bench, made anew for it)."""
        getattr(self, step)()
        return self.rows

    def _fresh(self, method: str, *arguments: object):
        """``method(*arguments)`` of this bench, run in a fresh interpreter: one app per
        process, as the casebook command runs it (apps run one after another in a
        process leave it what a start freezes: each later one would run slower)."""
        spawn = multiprocessing.get_context("spawn")
        with concurrent.futures.ProcessPoolExecutor(1, spawn) as pool:
            done = pool.submit(_call, self.args, self.work, self.generated_at, method, arguments)
            return done.result()

    def _env(self, cache_dir: Path, **extra: str) -> dict[str, str]:
        return {**self.env, cache.ENV_DIR: str(cache_dir), **extra}

    def start(self, mode: str, dirs: list[Path], cache_dir: Path) -> tuple[float, float]:
        """Start to ready (ms) and peak memory (MiB) of one app start in a fresh process."""
        if self.library in dirs:
            self.wait_until_cacheable()
        command = [sys.executable, str(self.child), mode, *map(str, dirs)]
        began = time.time()
        result = subprocess.run(
            command,
            env=self._env(cache_dir),
            cwd=self.work,
            capture_output=True,
            text=True,
            check=False,
            timeout=300,
        )
        if result.returncode != 0:
            raise RuntimeError(f"{mode} app failed:\n{result.stderr[-3000:]}")
        report = json.loads(result.stdout.strip().splitlines()[-1])
        return (report["ready"] - began) * 1000, _maxrss_mib(report["maxrss"])

    def wall(self, command: list[str], env: dict[str, str]) -> float:
        began = time.perf_counter()
        result = subprocess.run(
            command,
            env=env,
            cwd=self.work,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
            check=False,
            timeout=600,
        )
        elapsed = (time.perf_counter() - began) * 1000
        if result.returncode not in (0, 1):
            raise RuntimeError(f"{command} failed:\n{result.stderr[-3000:]}")
        return elapsed

    def raw_parse(self) -> float:
        """Read and parse every file of the library with plain libyaml, in this process (ms)."""
        files, _ = case_files([self.library])
        began = time.perf_counter()
        for path in files:
            yaml.load(path.read_bytes(), Loader=yaml.CSafeLoader)
        return (time.perf_counter() - began) * 1000

    # -- benchmarks -----------------------------------------------------------

    def starts(self) -> None:
        """App starts, interleaved: bare, 4 cases, N warm, N cold, each round."""
        bare_cache = self.work / "cache-bare"
        four_cache = self.work / "cache-four"
        if not self.quick:  # warm the caches (and the OS file cache) once, untimed
            self.start("casebook", [self.bundled], four_cache)
            self.start("casebook", [self.library], self.warm_cache)
        names = ("bare", "four", "warm", "cold", "full", "large", "session", "searched")
        times: dict[str, list[float]] = {name: [] for name in names}
        memory: dict[str, list[float]] = {
            name: [] for name in ("bare", "four", "warm", "session", "searched")
        }
        parse: list[float] = []
        for run in range(self.runs):
            # When quick, the one cold start leaves the cache the warm start reads.
            cold_cache = self.warm_cache if self.quick else self.work / f"cache-cold-{run}"
            for name, mode, dirs, where in (
                ("bare", "bare", [], bare_cache),
                ("four", "casebook", [self.bundled], four_cache),
                ("cold", "casebook", [self.library], cold_cache),
                ("warm", "casebook", [self.library], self.warm_cache),
                ("full", "casebook-full", [self.bundled], four_cache),
                ("large", "casebook-large", [self.library], self.work / f"cache-large-{run}"),
                ("session", "casebook-warmed-up", [self.library], self.warm_cache),
                ("searched", "casebook-searched", [self.library], self.warm_cache),
            ):
                ready, peak = self.start(mode, dirs, where)
                times[name].append(ready)
                if name in memory:
                    memory[name].append(peak)
            if cold_cache != self.warm_cache:
                shutil.rmtree(cold_cache, ignore_errors=True)
            shutil.rmtree(self.work / f"cache-large-{run}", ignore_errors=True)
            parse.append(self.raw_parse())
        med = {name: statistics.median(values) for name, values in times.items()}
        self.bare_ms = med["bare"]
        self.parse_ms = statistics.median(parse)
        n = self.args.cases
        bare = med["bare"]

        def memory_row(metric: str, name: str, target: float, note: str = "") -> Row:
            ours, base = statistics.median(memory[name]), statistics.median(memory["bare"])
            return Row(metric, ours, base, "bare app", target, unit="MiB", note=note)

        self.rows += [
            Row("start to ready, 4 bundled cases", med["four"], bare, "bare app", 1.15),
            Row(
                "start to the introduction drawn, 4 bundled cases",
                med["full"],
                bare,
                "bare app",
                float("inf"),
                note="no target; the opened pane's content comes a frame after the list",
            ),
            Row(f"start to ready, {n} cases, warm cache", med["warm"], bare, "bare app", 1.30),
            Row(
                f"start to ready, {n} cases, cold cache",
                med["cold"],
                med["bare"] + self.parse_ms,
                "bare + libyaml parse",
                1.0,
                note=f"libyaml parse alone {self.parse_ms:.0f} ms",
            ),
            Row(
                f"start to the first page of the list, {n} cases, cold cache",
                med["large"],
                bare,
                "bare app",
                1.3,
                note=(
                    "the rest loads in the background; spread "
                    f"{min(times['large']):.0f}–{max(times['large']):.0f} ms"
                ),
            ),
            memory_row("peak memory, 4 bundled cases", "four", 1.3),
            memory_row(f"peak memory, {n} cases, warm cache, at the first screen", "warm", 1.5),
            memory_row(
                f"peak memory, {n} cases, warm cache, after the warm-up",
                "session",
                1.5,
                "what the app readies after its first screen (cards, the compare and "
                "all-events screens) made; spread "
                f"{min(memory['session']):.1f}–{max(memory['session']):.1f} MiB",
            ),
            memory_row(
                f"peak memory, {n} cases, warm cache, after a first search",
                "searched",
                float("inf"),
                "no target; search's index holds every text the panes show",
            ),
        ]

    def validate(self) -> None:
        """``casebook validate`` against reading the same files with plain libyaml."""
        no_cache = self._env(self.work / "cache-unused", **{cache.ENV_OFF: "1"})
        ours_cmd = [sys.executable, "-m", "casebook", "validate", str(self.library)]
        raw_cmd = [sys.executable, "-c", RAW_PARSE, str(self.library)]
        ours, raw = [], []
        for _ in range(self.runs):
            raw.append(self.wall(raw_cmd, no_cache))
            ours.append(self.wall(ours_cmd, no_cache))
        n = self.args.cases + 1
        self.rows.append(
            Row(
                f"validate {n} files (fresh process)",
                statistics.median(ours),
                statistics.median(raw),
                "python + yaml.load",
                1.15,
            )
        )
        from casebook import cli

        ours_in, raw_in = [], []
        with _environ(cache.ENV_OFF, "1"):
            for _ in range(self.runs):
                raw_in.append(self.raw_parse())
                began = time.perf_counter()
                with contextlib.redirect_stdout(io.StringIO()):
                    cli.main(["validate", str(self.library)])
                ours_in.append((time.perf_counter() - began) * 1000)
        self.rows.append(
            Row(
                f"validate {n} files (in process)",
                statistics.median(ours_in),
                statistics.median(raw_in),
                "yaml.load",
                1.15,
            )
        )

    def search(self) -> None:
        """Per-keystroke latency: the index alone, and the app's search screen."""
        with _environ(cache.ENV_DIR, str(self.warm_cache)):
            library = load_library([self.library])
        from casebook.model.views.search import SearchIndex

        index = SearchIndex.build(library)
        gc.collect()
        keystrokes: list[float] = []
        for _ in range(self.repeats * 5):
            index.forget()
            for query in search_bench.TYPED:
                elapsed, _found = search_bench._ms(index, query)
                keystrokes.append(elapsed)
        n = self.args.cases
        worst = max(keystrokes)
        self.rows.append(
            Row(
                f"search keystroke, {n} cases (index)",
                statistics.median(keystrokes),
                16.0,
                "16 ms budget",
                1.0,
                note=f"max {worst:.1f} ms; typed {' '.join(search_bench.TYPED)}",
            )
        )
        work, frames = asyncio.run(self._search_in_app(library))
        self.rows.append(
            Row(
                f"search keystroke, {n} cases (in app)",
                statistics.median(work),
                16.0,
                "16 ms budget",
                1.0,
                note=(
                    f"handler + repaint, max {max(work):.1f} ms; to the next 60 fps frame "
                    f"{statistics.median(frames):.1f} ms"
                ),
            )
        )

    async def _search_in_app(self, library) -> tuple[list[float], list[float]]:
        """Per keystroke in the search screen: the work (CPU time of the handler, the
        messages it posts and the repaint) and the wall time to the next frame drawn
        (which adds the wait for Textual's 60 fps frame timer)."""
        from casebook.app import make_app
        from casebook.screens.explorer import ExplorerScreen
        from casebook.screens.search import SearchScreen

        pause_collector()  # as the casebook command does: start-up objects frozen
        app = make_app(library=library, store=None)
        work: list[float] = []
        frames: list[float] = []
        async with app.run_test(size=(120, 40)):
            await _until(lambda: isinstance(app.screen, ExplorerScreen), "the explorer")
            await _warmed_up(app)
            app.screen.action_search()  # what "/" does

            def searching() -> bool:
                found = app.screen.query("#search-results")
                return isinstance(app.screen, SearchScreen) and bool(found)

            await _until(searching, "the search screen")
            await _until(lambda: app.screen.query_one("#search-results").is_mounted, "results")
            screen = app.screen
            assert isinstance(screen, SearchScreen), screen
            await _until(lambda: screen.index is not None, "the index (built in a thread)")
            await _after_refresh(app)
            for _ in range(self.repeats):
                screen.index.forget()
                for query in search_bench.TYPED:
                    began, cpu = time.perf_counter(), time.process_time()
                    screen._search(query)  # what one keystroke runs (Input.Changed)
                    await _after_refresh(app)
                    frames.append((time.perf_counter() - began) * 1000)
                    work.append((time.process_time() - cpu) * 1000)
        return work, frames

    def open_big(self) -> None:
        """Open a 100 KB case in the explorer: from open to its pane rebuilt and drawn."""
        with _environ(cache.ENV_DIR, str(self.work / "cache-big")):
            library = load_library([self.bundled, self.big])
        panes = asyncio.run(self._open_in_app(library))
        size = (self.big / "big-case.yaml").stat().st_size / 1000
        self.rows.append(
            Row(
                f"open a {size:.0f} KB case in the explorer",
                statistics.median(panes["overview"]),
                200.0,
                "200 ms budget",
                1.0,
                note="overview pane, the one a case opens on",
            )
        )
        slowest = max(panes, key=lambda name: statistics.median(panes[name]))
        self.rows.append(
            Row(
                f"slowest pane of the {size:.0f} KB case",
                statistics.median(panes[slowest]),
                200.0,
                "200 ms budget",
                float("inf"),
                note=f"opened on the {slowest} pane; no target, for information",
            )
        )

    async def _open_in_app(self, library) -> dict[str, list[float]]:
        """For each pane: open another case on it, then time opening the big case."""
        from casebook.actions import PANES
        from casebook.app import make_app
        from casebook.screens.explorer import ExplorerScreen

        pause_collector()  # as the casebook command does: start-up objects frozen
        app = make_app(library=library, store=None)
        panes: dict[str, list[float]] = {name: [] for name in PANES}
        other = next(case_id for case_id in library.cases if case_id != "big-case")
        async with app.run_test(size=(120, 40)):
            await _until(lambda: isinstance(app.screen, ExplorerScreen), "the explorer")
            await _warmed_up(app)
            screen = app.screen
            assert isinstance(screen, ExplorerScreen), screen

            async def opened(name: str, case_id: str) -> float:
                """Open ``case_id`` on pane ``name``: done when none of the widgets shown
                before is left, every new one is mounted, and the screen drawn after."""
                pane = screen.pane_widget(name)  # mounted when first shown
                old = set(pane.children)
                began = time.perf_counter()
                screen.open(case_id)

                def rebuilt() -> bool:
                    children = list(pane.children)
                    fresh = children and not old.intersection(children)
                    return bool(fresh) and all(child.is_mounted for child in children)

                await _until(rebuilt, f"the {name} pane of {case_id}")
                await _after_refresh(app)
                return (time.perf_counter() - began) * 1000

            for _ in range(self.repeats):
                for name in PANES:
                    screen.action_show_pane(name)
                    await _after_refresh(app)
                    await opened(name, other)
                    panes[name].append(await opened(name, "big-case"))
        return panes

    def panes(self) -> None:
        """Every pane of the 100 KB case: its first open, then switching back to it
        (CPU time until the pane is drawn), in English and in Chinese; and, for
        reference, switching back to a tab of Textual's own tabbed panes."""
        first: dict[str, list[float]] = {}
        back: dict[str, list[float]] = {}
        tabs: list[float] = []
        for _ in range(self.repeats):
            for lang in ("en", "zh"):
                opened, again = self._fresh("_panes_once", lang)
                for name in opened:
                    first.setdefault(f"{name} ({lang})", []).append(opened[name])
                    back.setdefault(f"{name} ({lang})", []).append(again[name])
            tabs += self._fresh("_bare_tabs_once")
        size = (self.big / "big-case.yaml").stat().st_size / 1000
        for what, found, budget in (
            ("first open of", first, 100.0),
            ("switching back to", back, 16.0),
        ):
            ranked = sorted(found, key=lambda name: statistics.median(found[name]), reverse=True)
            spread = found[ranked[0]]
            others = ", ".join(
                f"{name} {statistics.median(found[name]):.0f}" for name in ranked[1:4]
            )
            self.rows.append(
                Row(
                    f"{what} the slowest pane of the {size:.0f} KB case",
                    statistics.median(spread),
                    budget,
                    f"{budget:.0f} ms budget",
                    1.0,
                    note=(
                        f"{ranked[0]}, CPU time, spread {min(spread):.0f}–{max(spread):.0f} ms; "
                        f"next {others} ms"
                    ),
                )
            )
        self.rows.append(
            Row(
                "switching back to a tab of a bare Textual app, for reference",
                statistics.median(tabs),
                16.0,
                "16 ms budget",
                float("inf"),
                note=(
                    "Textual's own TabbedContent, two tabs of 80 ready-made lines beside a "
                    f"list, the collector as casebook's; spread {min(tabs):.0f}–{max(tabs):.0f} "
                    "ms; no target"
                ),
            )
        )

    def _bare_tabs_once(self) -> list[float]:
        """Switching back to a tab of Textual's own ``TabbedContent`` (CPU time until
        drawn), in a bare app laid out as the explorer: what any pane switch costs here."""

        async def switches() -> list[float]:
            gc.collect()
            pause_collector()
            app = _BareTabs()
            times = []
            async with app.run_test(size=(120, 40)):
                await _after_refresh(app)
                resume_collector(freeze=True, when_idle=True)  # as casebook's app does
                await _settled()
                tabbed = app.query_one(TabbedContent)
                for name in ("two", "one") * 3:
                    pane = app.query_one(f"#{name}")

                    def shown(pane=pane) -> bool:
                        return pane.display and pane.size.width > 0

                    switch = functools.partial(setattr, tabbed, "active", name)
                    times.append(await _work(app, switch, shown))
            resume_collector()
            return times[2:]  # each tab shown once before: switching back

        return asyncio.run(switches())

    def _panes_once(self, lang: str) -> tuple[dict[str, float], dict[str, float]]:
        with _environ(cache.ENV_DIR, str(self.work / "cache-big")):
            library = load_library([self.bundled, self.big])
        return asyncio.run(self._panes_in_app(library, lang))

    async def _panes_in_app(self, library, lang: str) -> tuple[dict[str, float], dict[str, float]]:
        from casebook.actions import PANES
        from casebook.app import make_app
        from casebook.screens.explorer import ExplorerScreen
        from casebook.widgets.panes import Pane

        gc.collect()  # as a fresh app would start: no garbage of earlier runs to collect
        pause_collector()  # as the casebook command does: start-up objects frozen
        app = make_app(library=library, store=None, lang=lang)
        opened: dict[str, float] = {}
        again: dict[str, float] = {}
        async with app.run_test(size=(120, 40)):
            await _until(lambda: isinstance(app.screen, ExplorerScreen), "the explorer")
            await _warmed_up(app)
            screen = app.screen
            assert isinstance(screen, ExplorerScreen), screen
            overview = screen.pane_widget("overview")
            before = list(overview.children)  # the introduction's
            screen.open("big-case", "overview")
            big = library.cases["big-case"]

            def case_shown() -> bool:
                children = list(overview.children)
                built = overview.built_for is not None and overview.built_for[0] is big
                return built and bool(children) and not set(children) & set(before)

            await _until(case_shown, "the case")  # its content in, not only asked for
            await _after_refresh(app)
            panes: dict[str, Pane] = {}

            def show(name: str) -> None:
                screen.action_show_pane(name)
                panes[name] = screen.pane_widget(name)  # mounted by the action if new

            def shown(name: str) -> bool:
                children = panes[name].children  # mounted and laid out
                return bool(children) and all(child.size.width for child in children)

            for times in (opened, again):
                for name in [*PANES[1:], PANES[0]]:
                    step = functools.partial(show, name)
                    times[name] = await _work(app, step, functools.partial(shown, name))
        return opened, again

    def library_screens(self) -> None:
        """With N cases: compare 4 cases, the cross-case timeline, a filter, a page of the
        list (CPU time until drawn); the timeline's memory at N and N/4 cases; and the
        slides of a 60-slide case: a step and the slide grid."""
        found: dict[str, list[float]] = {}
        for _ in range(self.repeats):
            times, self.slide_count = self._fresh("_library_once")
            for name, ms in times.items():
                found.setdefault(name, []).append(ms)
            found.setdefault("bare screen", []).append(self._fresh("_bare_once"))
        with _environ(cache.ENV_DIR, str(self.warm_cache)):
            library = load_library([self.library, self.slides])
        n = self.args.cases
        events = sum(len(case.timeline) for case in library.cases.values())
        bare = statistics.median(found["bare screen"])
        self.rows.append(
            Row(
                "first push of a bare screen (two texts and a line), for reference",
                bare,
                50.0,
                "50 ms budget",
                float("inf"),
                note="what the first open of any screen costs here, in this run; no target",
            )
        )
        for name, budget, metric in (
            ("compare", 50.0, f"open compare with 4 cases, {n} cases"),
            ("compare again", 50.0, "compare, opened again"),
            ("timeline", 50.0, f"cross-case timeline ({events} events), first open"),
            ("timeline again", 50.0, "cross-case timeline, opened again"),
            ("filter", 50.0, f"apply a filter, {n} cases"),
            ("page", 50.0, f"scroll the case list a page, {n} cases"),
            ("step", 16.0, "a slide step, trainer mode"),
            ("grid", 50.0, f"slide grid, {self.slide_count} slides"),
        ):
            spread = found[name]
            self.rows.append(
                Row(
                    metric,
                    statistics.median(spread),
                    budget,
                    f"{budget:.0f} ms budget",
                    1.0,
                    note=f"CPU time, spread {min(spread):.1f}–{max(spread):.1f} ms"
                    + (
                        f"; {statistics.median(spread) / bare:.1f}× a bare screen's first push"
                        if name
                        in ("compare", "compare again", "timeline", "timeline again", "grid")
                        else ""
                    ),
                )
            )
        for name, metric, what in (
            ("filters", f"open the filters, {n} cases", "one list of every filter's values"),
            ("filters again", "the filters, opened again", "the screen kept"),
            ("problems", f"open the problems panel, {n} cases", "its warnings found after"),
            ("search", f"open search, {n} cases", "its index built after"),
            ("palette", f"open the command palette, {n} cases", "Textual's palette"),
        ):
            spread = found[name]
            self.rows.append(
                Row(
                    metric,
                    statistics.median(spread),
                    50.0,
                    "50 ms budget",
                    float("inf"),
                    note=f"CPU time, spread {min(spread):.1f}–{max(spread):.1f} ms; "
                    f"{statistics.median(spread) / bare:.1f}× a bare screen's first push; "
                    f"{what}; no target",
                )
            )
        small, large = self._timeline_memory(library)
        self.rows.append(
            Row(
                "cross-case timeline, memory per event (all cases against a quarter)",
                large,
                small,
                "per event at N/4",
                1.25,
                unit="B",
                note="tracemalloc peak while the screen is built and drawn, per event",
            )
        )

    def _library_once(self) -> tuple[dict[str, float], int]:
        """One app's times, on a library as a start loads it (from the warm cache, no case
        decoded yet): each screen is measured at its first open, as a reader meets it."""
        with _environ(cache.ENV_DIR, str(self.warm_cache)):
            library = load_library([self.library, self.slides])
        chapter = next(iter(cards(library.cases))).chapter
        return asyncio.run(self._library_in_app(library, chapter)), self.slide_count

    def _bare_once(self) -> float:
        """The first push of a bare screen in an app just started on the same library:
        what the first open of any screen costs here, for reference."""
        from casebook.app import make_app
        from casebook.screens.explorer import ExplorerScreen

        with _environ(cache.ENV_DIR, str(self.warm_cache)):
            library = load_library([self.library, self.slides])

        async def bare() -> float:
            gc.collect()
            pause_collector()
            app = make_app(library=library, store=None)
            async with app.run_test(size=(120, 40)):
                await _until(lambda: isinstance(app.screen, ExplorerScreen), "the explorer")
                await _warmed_up(app)
                pushed = lambda: isinstance(app.screen, _BareScreen) and app.screen.is_mounted  # noqa: E731
                return await _work(app, lambda: app.push_screen(_BareScreen()), pushed)

        return asyncio.run(bare())

    async def _library_in_app(self, library, chapter: str | None) -> dict[str, float]:
        from casebook.app import make_app
        from casebook.model.views.facets import Filters
        from casebook.screens.compare import CompareScreen, TimelineScreen
        from casebook.screens.explorer import ExplorerScreen
        from casebook.screens.filters import FilterScreen
        from casebook.screens.goto import SlideGrid
        from casebook.screens.present import PresentScreen
        from casebook.screens.problems import ProblemsScreen
        from casebook.screens.search import SearchScreen
        from casebook.widgets.case_list import CaseList

        gc.collect()
        pause_collector()  # as the casebook command does: start-up objects frozen
        app = make_app(library=library, store=None)
        found: dict[str, float] = {}
        async with app.run_test(size=(120, 40)):
            await _until(lambda: isinstance(app.screen, ExplorerScreen), "the explorer")
            await _warmed_up(app)
            explorer = app.screen
            assert isinstance(explorer, ExplorerScreen), explorer
            chosen = list(library.cases)[:4]
            # Opened as the reader opens them (the explorer's ``c``, with 4 cases, and ``t``),
            # each twice; then screens over the whole library a reader opens at any time.
            for name, screen_type, action, times in (
                ("compare", CompareScreen, lambda: explorer.compare(chosen), ("", " again")),
                ("timeline", TimelineScreen, explorer.action_all_events, ("", " again")),
                ("filters", FilterScreen, explorer.action_filter, ("", " again")),
                ("problems", ProblemsScreen, app.action_problems, ("",)),
                ("search", SearchScreen, explorer.action_search, ("",)),
                ("palette", CommandPalette, app.action_command_palette, ("",)),
            ):

                def pushed(screen_type: type = screen_type) -> bool:
                    return isinstance(app.screen, screen_type) and app.screen.is_mounted

                for again in times:
                    found[name + again] = await _work(app, action, pushed)
                    app.pop_screen()
                    await _until(lambda: app.screen is explorer, "the explorer again")
                    await _after_refresh(app)
            cases = explorer.query_one(CaseList)
            rows = cases.row_count

            def set_filter() -> None:
                explorer.filters = Filters(chapter=chapter)

            found["filter"] = await _work(app, set_filter, lambda: cases.row_count != rows)
            explorer.filters = Filters()
            await _until(lambda: cases.row_count == rows, "the whole list")
            await _after_refresh(app)
            cases.focus()
            top = cases.scroll_offset.y
            found["page"] = await _work(
                app, cases.action_page_down, lambda: cases.scroll_offset.y != top
            )
            app.present("slides-case")
            await _until(lambda: isinstance(app.screen, PresentScreen), "the slides")
            await _after_refresh(app)
            present = app.screen
            assert isinstance(present, PresentScreen), present
            self.slide_count = len(present.pages.pages)
            at = present.position
            found["step"] = await _work(app, present.action_next, lambda: present.position != at)
            found["grid"] = await _work(
                app, present.action_overview, lambda: isinstance(app.screen, SlideGrid)
            )
        return found

    def _timeline_memory(self, library) -> tuple[float, float]:
        """Bytes per event of the cross-case timeline with a quarter of the cases and all."""
        import tracemalloc

        ids = list(library.cases)
        per_event = []
        for count in (len(ids) // 4, len(ids)):
            part = dataclasses.replace(library, cases={i: library.cases[i] for i in ids[:count]})
            events = sum(len(case.timeline) for case in part.cases.values())
            gc.collect()
            tracemalloc.start()
            asyncio.run(self._timeline_once(part))
            peak = tracemalloc.get_traced_memory()[1]
            tracemalloc.stop()
            per_event.append(peak / events)
        return per_event[0], per_event[1]

    async def _timeline_once(self, library) -> None:
        from casebook.app import make_app
        from casebook.screens.compare import TimelineScreen
        from casebook.screens.explorer import ExplorerScreen

        pause_collector()  # as the casebook command does: start-up objects frozen
        app = make_app(library=library, store=None)
        async with app.run_test(size=(120, 40)):
            await _until(lambda: isinstance(app.screen, ExplorerScreen), "the explorer")
            await _warmed_up(app)
            app.push_screen(TimelineScreen(library, "en"))
            await _until(lambda: isinstance(app.screen, TimelineScreen), "the timeline")
            await _after_refresh(app)

    # -- report ----------------------------------------------------------------

    def table(self) -> str:
        head = ("metric", "casebook", "baseline", "ratio", "target", "result")
        lines = []
        for row in self.rows:
            target = "—" if row.target == float("inf") else f"≤ {row.target:.2f}×"
            verdict = "info" if row.target == float("inf") else row.verdict
            baseline = f"{row.baseline_name} {_fmt(row.baseline, row.unit)}"
            if row.baseline_name.endswith("budget"):
                baseline = row.baseline_name
            lines.append(
                (
                    row.metric,
                    _fmt(row.ours, row.unit),
                    baseline,
                    f"{row.ratio:.2f}×" if row.ratio >= 0.01 else f"{row.ratio:.3f}×",
                    target,
                    verdict + (f" ({row.note})" if row.note else ""),
                )
            )
        out = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
        out += ["| " + " | ".join(cells) + " |" for cells in lines]
        return "\n".join(out)


class _BareScreen(Screen):
    """A screen as small as a real one gets: two texts side by side and a line under."""

    def compose(self) -> ComposeResult:
        with Horizontal():
            yield Static("A text on the left")
            yield Static("A text on the right")
        yield Static("a line of keys")


class _ReadyLines(Widget):
    """80 lines made once: a tab's content at the least cost of drawing it."""

    DEFAULT_CSS = "_ReadyLines { height: auto; }"

    def __init__(self) -> None:
        super().__init__()
        text = "A line of the pane, long enough to fill the width of it"
        self.strips = [Strip([Segment(f"{number:2} {text}")]) for number in range(80)]

    def get_content_height(self, container: Size, viewport: Size, width: int) -> int:
        return len(self.strips)

    def render_line(self, y: int) -> Strip:
        return self.strips[y] if y < len(self.strips) else Strip.blank(self.size.width)


class _BareTabs(App):
    """Textual's own tabbed panes beside a list of names, laid out as the explorer."""

    CSS = "#names { width: 28; } #tabs { width: 1fr; }"

    def compose(self) -> ComposeResult:
        with Horizontal():
            yield Static("\n".join(f"case {number}" for number in range(40)), id="names")
            with TabbedContent(id="tabs"):
                for name in ("one", "two"):
                    with TabPane(name, id=name):
                        yield VerticalScroll(_ReadyLines())
        yield Static("a line of keys")


async def _until(condition, what: str, timeout: float = 60) -> None:
    """Let the app run until ``condition()`` holds (without Pilot.pause's idle wait)."""
    began = time.perf_counter()
    while not condition():
        if time.perf_counter() - began > timeout:
            raise RuntimeError(f"timed out waiting for {what}")
        await asyncio.sleep(0.001)  # not 0: a busy loop's CPU would count as the app's work


async def _warmed_up(app) -> None:
    """Wait for what the app readies in the background after its first screen (the line
    breaker, the other screens' stylesheets, the cards) and for the app to settle."""
    from casebook.app import WARM_UP_AFTER

    await asyncio.sleep(WARM_UP_AFTER + 0.05)  # a reader looking at the first screen
    await _until(lambda: not any(w.group == "warm-up" for w in app.workers), "the warm-up")
    await _settled()


async def _settled() -> None:
    """Wait until the process is quiet (under 5% of a core used in 50 ms), as a reader
    who looks at the screen before the next key: what the last action left to do (a
    pane drawn a frame later, the collector) is not the next action's work."""
    began = time.perf_counter()
    while time.perf_counter() - began < 10:
        cpu = time.process_time()
        await asyncio.sleep(0.05)
        if time.process_time() - cpu < 0.0025:
            return
    raise RuntimeError("the app did not settle in 10 s")


async def _work(app, action, done) -> float:
    """CPU time (ms) from ``action()``, on a settled app, until ``done()`` holds and the
    screen is drawn."""
    await _settled()
    began = time.process_time()
    action()
    await _until(done, "the action's result")
    await _after_refresh(app)
    return (time.process_time() - began) * 1000


async def _after_refresh(app) -> None:
    """Wait for the app's next screen refresh."""
    done = asyncio.Event()
    app.call_after_refresh(done.set)
    await done.wait()


@contextlib.contextmanager
def _environ(name: str, value: str):
    old = os.environ.get(name)
    os.environ[name] = value
    try:
        yield
    finally:
        if old is None:
            os.environ.pop(name, None)
        else:
            os.environ[name] = old


def machine() -> str:
    import msgspec
    import textual

    cpu = platform.processor() or platform.machine()
    with contextlib.suppress(OSError):
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    load = ""
    with contextlib.suppress(OSError, AttributeError):
        load = "; load average " + " ".join(f"{x:.2f}" for x in os.getloadavg())
    return (
        f"{platform.system()} {platform.release()}, {cpu}, {os.cpu_count()} cores{load}; "
        f"Python {platform.python_version()}, Textual {textual.__version__}, "
        f"msgspec {msgspec.__version__}, PyYAML {yaml.__version__} "
        f"(libyaml {'yes' if hasattr(yaml, 'CSafeLoader') else 'no'})"
    )


STEPS = ("starts", "validate", "search", "open_big", "panes", "library_screens")


def _call(args: argparse.Namespace, work: Path, generated_at: int, method: str, arguments: tuple):
    """What a bench made anew in this (fresh) process returns for ``method(*arguments)``."""
    bench = Bench(args, work)
    bench.generated_at = generated_at
    return getattr(bench, method)(*arguments)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=2000, help="synthetic cases (default 2000)")
    parser.add_argument("--runs", type=int, default=5, help="runs per measurement (default 5)")
    parser.add_argument("--quick", action="store_true", help="20 cases, 1 run: a smoke test")
    parser.add_argument(
        "--markdown", type=Path, metavar="FILE", help="also write the report as Markdown to FILE"
    )
    parser.add_argument(
        "--class-students",
        type=int,
        default=0,
        metavar="N",
        help="also load a live class with N students (bench/class_load.py; default: not run)",
    )
    parser.add_argument(
        "--only",
        action="append",
        metavar="STEP",
        help=f"run only these steps ({', '.join(STEPS)})",
    )
    args = parser.parse_args(argv)
    if args.quick:
        args.cases, args.runs = 20, 1
    began = time.perf_counter()
    when = datetime.datetime.now().astimezone().isoformat(timespec="seconds")
    where = machine()
    print(f"casebook benchmarks, {when}")
    print(where)
    with tempfile.TemporaryDirectory(prefix="casebook-bench-") as folder:
        bench = Bench(args, Path(folder))
        bench.prepare()
        # Each step in a fresh interpreter, as the app runs in its own process: what one
        # step's apps leave in memory (frozen by the next app's start) never weighs on
        # the next step's collector or caches.
        for step in STEPS:
            if args.only and step not in args.only:
                continue
            bench.rows += bench._fresh("rows_of", step)
            print(f"  {step} done ({time.perf_counter() - began:.0f} s)", flush=True)
        if args.class_students:
            import class_load

            found = asyncio.run(class_load.measure(args.class_students))
            bench.rows += [Row(**fields) for fields in class_load.rows(found)]
            print(f"  class load done ({time.perf_counter() - began:.0f} s)", flush=True)
    summary = f"medians of {args.runs} run{'s' if args.runs != 1 else ''}; {args.cases} cases"
    print()
    print(summary)
    print(bench.table())
    took = time.perf_counter() - began
    print(f"\ntotal {took:.0f} s")
    if args.markdown is not None:
        command = "python bench/run.py " + " ".join(argv if argv is not None else sys.argv[1:])
        args.markdown.write_text(
            f"# Benchmark results\n\n"
            f"- date: {when}\n- machine: {where}\n- command: `{command.strip()}` "
            f"({took / 60:.0f} min)\n- {summary}\n\n{bench.table()}\n",
            encoding="utf-8",
        )
        print(f"wrote {args.markdown}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
