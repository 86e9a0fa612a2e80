"""The author loop: live reload as files change, stale cases, the problems panel, $EDITOR."""

from __future__ import annotations

import asyncio
import os
import shutil
import stat
import sys
import threading
from collections.abc import Callable
from pathlib import Path

import pytest
from pilot_support import widget_lines
from textual.widgets import ProgressBar
from textual.worker import get_current_worker

from casebook.app import CasebookApp, make_app
from casebook.cli import large_library_app
from casebook.model.load import cache as cache_module
from casebook.model.load import head_start
from casebook.model.load import library as library_module
from casebook.model.load.cache import TooManyToParse
from casebook.model.load.library import load_library
from casebook.screens.explorer import ExplorerScreen
from casebook.screens.problems import ProblemsScreen
from casebook.widgets.case_list import CaseList
from casebook.widgets.line_list import LineList
from casebook.widgets.panes import Pane

CASES = Path(__file__).resolve().parents[2] / "cases"
HUAYI = "huayi-precision"


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    """A private copy of two bundled cases (and the schema) to edit."""
    target = tmp_path / "cases"
    target.mkdir()
    for name in (f"{HUAYI}.yaml", "weimai-medical.yaml", "casebook.schema.json"):
        shutil.copy(CASES / name, target / name)
    return target


async def wait_for(condition: Callable[[], bool], timeout: float = 8.0) -> None:
    """Wait for the watcher to react (the app promises about a second)."""
    deadline = asyncio.get_running_loop().time() + timeout
    while not condition():
        assert asyncio.get_running_loop().time() < deadline, "the app did not react in time"
        await asyncio.sleep(0.1)


def pane_text(screen: ExplorerScreen, pane: str) -> str:
    widget = screen.query_one(f"#pane-{pane}", Pane)
    return "\n".join("\n".join(widget_lines(child)) for child in widget.query("Static"))


def run(folder: Path, scenario: Callable[[CasebookApp, ExplorerScreen], object]) -> None:
    app = make_app([folder], watch=True)

    async def go() -> None:
        async with app.run_test(size=(100, 30)) as pilot:
            await pilot.pause()
            screen = app.screen
            assert isinstance(screen, ExplorerScreen)
            await wait_for(lambda: app.watch_started)
            await scenario(app, screen)  # type: ignore[misc]

    asyncio.run(go())


def test_a_saved_figure_appears_on_the_same_case_and_pane(folder: Path) -> None:
    path = folder / f"{HUAYI}.yaml"

    async def scenario(app: CasebookApp, screen: ExplorerScreen) -> None:
        screen.open(HUAYI, "metrics")
        pane = screen.query_one("#pane-metrics", Pane)

        def shows_before(value: int) -> bool:
            case = app.library.cases[HUAYI]
            built = pane.built_for
            return built is not None and built[0] is case and case.metrics[0].before == value

        await wait_for(lambda: shows_before(22))
        path.write_text(path.read_text(encoding="utf-8").replace("before: 22", "before: 23", 1))
        await wait_for(lambda: shows_before(23))
        assert (screen.current, screen.pane) == (HUAYI, "metrics")

    run(folder, scenario)


def test_a_broken_file_stays_on_screen_as_stale_then_recovers(folder: Path) -> None:
    path = folder / f"{HUAYI}.yaml"
    good = path.read_text(encoding="utf-8")

    async def scenario(app: CasebookApp, screen: ExplorerScreen) -> None:
        screen.open(HUAYI, "overview")
        path.write_text(good + "broken: [\n", encoding="utf-8")
        await wait_for(lambda: HUAYI in app.stale)
        assert HUAYI in app.library.cases, "the last good version stays"
        assert "Huayi Precision" in pane_text(screen, "overview")
        title = str(screen.query_one("#doc-title").render())
        assert "stale" in title
        problems = [str(d) for d in app.library.diagnostics]
        assert any(d.startswith(f"{path.name}:") or f"{HUAYI}.yaml:" in d for d in problems)
        assert any(":" in d.split(f"{HUAYI}.yaml:")[-1] for d in problems)
        path.write_text(good, encoding="utf-8")
        await wait_for(lambda: HUAYI not in app.stale and not app.library.diagnostics)
        assert "stale" not in str(screen.query_one("#doc-title").render())

    run(folder, scenario)


def test_new_files_appear_and_deleted_files_disappear(folder: Path) -> None:
    source = folder / "weimai-medical.yaml"

    async def scenario(app: CasebookApp, screen: ExplorerScreen) -> None:
        text = source.read_text(encoding="utf-8").replace("id: weimai-medical", "id: weimai-copy")
        (folder / "weimai-copy.yaml").write_text(text, encoding="utf-8")
        await wait_for(lambda: "weimai-copy" in app.library.cases)
        ids = [row.id for row in screen.query_one(CaseList).rows]
        assert "weimai-copy" in ids
        source.unlink()
        await wait_for(lambda: "weimai-medical" not in app.library.cases)
        ids = [row.id for row in screen.query_one(CaseList).rows]
        assert "weimai-medical" not in ids

    run(folder, scenario)


def test_a_change_before_the_watcher_starts_is_caught_up(folder: Path) -> None:
    path = folder / f"{HUAYI}.yaml"
    library = load_library([folder])
    path.write_text(path.read_text(encoding="utf-8").replace("before: 22", "before: 23", 1))
    app = make_app([folder], library=library, watch=True)

    async def go() -> None:
        async with app.run_test(size=(100, 30)) as pilot:
            await pilot.pause()
            assert app.library.cases[HUAYI].metrics[0].before == 22  # as it was read
            await wait_for(lambda: app.watch_started)
            await wait_for(lambda: app.library.cases[HUAYI].metrics[0].before == 23)

    asyncio.run(go())


def test_without_watching_nothing_reloads(folder: Path) -> None:
    path = folder / f"{HUAYI}.yaml"
    app = make_app([folder], watch=False)

    async def go() -> None:
        async with app.run_test(size=(100, 30)) as pilot:
            await pilot.pause()
            before = app.library
            path.write_text(path.read_text(encoding="utf-8").replace("before: 22", "before: 23", 1))
            await asyncio.sleep(1.5)
            assert app.library is before

    asyncio.run(go())


@pytest.mark.skipif(sys.platform == "win32", reason="the fake editor is a shell script")
def test_enter_on_a_problem_opens_the_editor_at_its_line(
    folder: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    record = tmp_path / "editor-args.txt"
    editor = tmp_path / "vim"  # named like an editor that takes +LINE
    editor.write_text(f'#!/bin/sh\nprintf "%s\\n" "$@" > "{record}"\n', encoding="utf-8")
    editor.chmod(editor.stat().st_mode | stat.S_IEXEC)
    monkeypatch.setenv("EDITOR", str(editor))
    bad = folder / "bad.yaml"
    bad.write_text("id: bad-case\ncompany:\n  name: X\nsummary: s\nunknown_key: 1\n", "utf-8")
    app = make_app([folder])

    async def go() -> None:
        async with app.run_test(size=(100, 30)) as pilot:
            await pilot.pause()
            await pilot.press("exclamation_mark")
            await pilot.pause()
            assert isinstance(app.screen, ProblemsScreen)
            problems = app.screen.query_one("#problem-list", LineList)
            problems.focus()
            problems.highlighted = next(
                i for i, row in enumerate(problems.rows) if not row.disabled
            )
            await pilot.press("enter")
            await pilot.pause()
            assert isinstance(app.screen, ProblemsScreen), "the app resumes where it was"

    asyncio.run(go())
    args = record.read_text(encoding="utf-8").split()
    assert args[:2] == ["+5", "--"], args
    assert Path(args[2]).resolve() == bad.resolve()
    assert os.access(editor, os.X_OK)


def test_a_large_library_loads_in_the_background_with_progress(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "bench"))
    from generate import generate  # the benchmarks' synthetic casebook

    folder = tmp_path / "many"
    generate(folder, 60)
    app = make_app([folder], load_in_background=True)
    seen: list[tuple[int, int]] = []
    shown = ExplorerScreen.show_loading

    def record(screen: ExplorerScreen, done: int, total: int) -> None:
        seen.append((done, total))
        shown(screen, done, total)
        bar = screen.query_one("#loading", ProgressBar)
        assert (bar.progress, bar.total) == (done, total)

    # Watched from the start: on a busy machine the load can report before the test runs.
    monkeypatch.setattr(ExplorerScreen, "show_loading", record)

    async def go() -> None:
        async with app.run_test(size=(100, 30)):
            screen = app.screen
            assert isinstance(screen, ExplorerScreen)
            await wait_for(lambda: len(app.library.cases) == 60, timeout=30)
            await wait_for(lambda: not screen.query("#loading"))  # it goes once loaded
            ids = [row.id for row in screen.query_one(CaseList).rows]
            assert len([i for i in ids if i in app.library.cases]) == 60

    asyncio.run(go())
    assert seen, "progress was posted while loading"
    assert seen[-1][0] == seen[-1][1], "the last report is the whole library"


def test_a_large_library_shows_its_first_page_while_the_rest_loads(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The list shows the first files' cases at once; a case opened from it is read while
    the rest loads, and is not rebuilt when the whole library comes."""
    sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "bench"))
    from generate import generate  # the benchmarks' synthetic casebook

    folder = tmp_path / "many"
    generate(folder, 30)
    monkeypatch.setattr(library_module, "FIRST_PART", 10)
    rest = threading.Event()  # the whole library loads once the test says so
    load = library_module.load_library

    def held_back(*args, part=None, **kwargs):  # type: ignore[no-untyped-def]
        if part is None:
            assert rest.wait(30)
        return load(*args, part=part, **kwargs)

    monkeypatch.setattr(library_module, "load_library", held_back)
    app = make_app([folder], load_in_background=True)

    async def go() -> None:
        async with app.run_test(size=(100, 30)):
            screen = app.screen
            assert isinstance(screen, ExplorerScreen)
            cases = screen.query_one(CaseList)
            await wait_for(lambda: len(app.library.cases) > 0)
            assert app.loading and len(app.library.cases) <= 10
            shown = next(iter(app.library.cases))
            screen.open(shown, "overview")
            pane = screen.pane_widget("overview")
            await wait_for(lambda: bool(pane.children))
            children = list(pane.children)
            rest.set()
            await wait_for(lambda: not app.loading and len(app.library.cases) == 30)
            await wait_for(lambda: cases.row_count > 30)  # cases and chapter headings
            assert screen.current == shown
            assert list(pane.children) == children, "the case being read is not rebuilt"

    asyncio.run(go())


def test_quitting_while_a_large_library_loads_stops_the_load_at_the_next_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Quitting cancels the loading worker: it parses one more file at most, not the rest
    of the library (which the app would otherwise wait for before it exits)."""
    sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "bench"))
    from generate import generate  # the benchmarks' synthetic casebook

    folder = tmp_path / "many"
    generate(folder, 30)
    monkeypatch.setattr(library_module, "FIRST_PART", 10)
    monkeypatch.setenv("CASEBOOK_WORKERS", "0")  # every file parsed in the loading thread
    first = {os.fspath(path) for path in sorted(folder.glob("*.yaml"))[:10]}
    after_quit: list[str] = []
    load_file = cache_module.load_file

    def held_until_quit(path: Path, shown: str):  # type: ignore[no-untyped-def]
        if os.fspath(path) not in first:  # the rest of the library: read once the app quits
            assert get_current_worker().cancelled_event.wait(30)
            after_quit.append(os.fspath(path))
        return load_file(path, shown)

    monkeypatch.setattr(cache_module, "load_file", held_until_quit)
    app = make_app([folder], load_in_background=True)

    async def go() -> None:
        async with app.run_test(size=(100, 30)):
            await wait_for(lambda: len(app.library.cases) > 0)  # the first page, then quit
            assert app.loading

    asyncio.run(go())  # returns once the loading thread has ended
    assert len(after_quit) == 1, after_quit


def test_a_large_library_takes_its_first_page_from_the_head_start(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """As the casebook command opens a large library: the first page's files come from
    the child forked before the app, and none of them is parsed again here."""
    sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "bench"))
    from generate import generate  # the benchmarks' synthetic casebook

    folder = tmp_path / "many"
    generate(folder, 30)
    monkeypatch.setattr(library_module, "FIRST_PART", 10)
    monkeypatch.setattr(head_start, "_may_fork", lambda: True)  # pytest runs threads
    parsed: list[str] = []
    load_file = head_start.load_file

    def counted(path: Path, display: str | None = None):  # type: ignore[no-untyped-def]
        parsed.append(os.fspath(path))
        return load_file(path, display)

    monkeypatch.setattr(head_start, "load_file", counted)
    with pytest.raises(TooManyToParse) as many:
        load_library([folder], parse_at_most=5)
    app = large_library_app([folder], "student", many.value.files, watch=False, rows=40)
    assert app._head_start is not None

    async def go() -> None:
        async with app.run_test(size=(100, 40)):
            await wait_for(lambda: not app.loading and len(app.library.cases) == 30, 30)

    asyncio.run(go())
    first = [os.fspath(path) for path in many.value.files[:10]]
    assert parsed, "the rest is parsed here"
    assert not set(parsed) & set(first), "the first page's files came from the child"


def test_a_background_load_says_it_is_reading_until_it_knows_there_is_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Before the first files are read, no case means none read yet, not none found."""
    folder = tmp_path / "cases"
    folder.mkdir()
    (folder / "broken.yaml").write_text("id: [\n", encoding="utf-8")
    go_on = threading.Event()
    load = library_module.load_library

    def held_back(*args, **kwargs):  # type: ignore[no-untyped-def]
        assert go_on.wait(30)
        return load(*args, **kwargs)

    monkeypatch.setattr(library_module, "load_library", held_back)
    app = make_app([folder], load_in_background=True)

    def title() -> str:
        return str(app.screen.query_one("#doc-title").render())

    async def go() -> None:
        async with app.run_test(size=(100, 30)) as pilot:
            await pilot.pause()
            assert app.loading and "Reading the case files" in title(), title()
            go_on.set()
            await wait_for(lambda: not app.loading)
            await pilot.pause()
            assert "No valid cases found" in title(), title()

    asyncio.run(go())


def test_broken_saves_in_a_row_keep_the_last_good_version_and_the_reader(folder: Path) -> None:
    path = folder / f"{HUAYI}.yaml"
    good = path.read_text(encoding="utf-8")

    async def scenario(app: CasebookApp, screen: ExplorerScreen) -> None:
        screen.open(HUAYI, "metrics")
        shown = app.library.cases[HUAYI]
        for line, broken in enumerate(("broken: [\n", "also: [broken\n", "again: {\n"), 1):
            path.write_text(good + "\n" * line + broken, encoding="utf-8")
            problem_line = good.count("\n") + line + 1

            def reported(at: int = problem_line) -> bool:
                return any(at <= d.line <= at + 1 for d in app.library.diagnostics)

            await wait_for(reported)
            assert HUAYI in app.stale and app.library.cases[HUAYI] is shown
            assert (screen.current, screen.pane) == (HUAYI, "metrics"), "the reader stays"
            assert "stale" in str(screen.query_one("#doc-title").render())
        path.write_text(good.replace("before: 22", "before: 23", 1), encoding="utf-8")
        await wait_for(lambda: HUAYI not in app.stale and not app.library.diagnostics)
        assert app.library.cases[HUAYI].metrics[0].before == 23
        assert (screen.current, screen.pane) == (HUAYI, "metrics")

    run(folder, scenario)


def _put_back(folder: Path, saved: dict[str, bytes]) -> None:
    folder.mkdir()
    for name, data in saved.items():
        (folder / name).write_bytes(data)


@pytest.mark.parametrize("how", ["delete and make again", "rename away and back", "at once"])
def test_a_case_folder_that_goes_and_comes_back_is_watched_again(folder: Path, how: str) -> None:
    saved = {path.name: path.read_bytes() for path in folder.iterdir()}
    away = folder.with_name("away")

    async def scenario(app: CasebookApp, screen: ExplorerScreen) -> None:
        screen.open(HUAYI, "metrics")
        if how == "at once":  # the new folder may well get the old one's inode number
            shutil.rmtree(folder)
            _put_back(folder, saved)
        else:
            if how == "rename away and back":
                folder.rename(away)
            else:
                shutil.rmtree(folder)
            await wait_for(lambda: not app.library.cases)
            assert screen.current != HUAYI  # nothing to watch now: the watcher polls
            if how == "rename away and back":
                away.rename(folder)
            else:
                _put_back(folder, saved)
        await wait_for(lambda: HUAYI in app.library.cases and screen.current == HUAYI)
        assert screen.pane == "metrics", "back on the case and pane the reader was on"
        path = folder / f"{HUAYI}.yaml"
        for value in (23, 24):  # the folder is watched again: every later save shows
            text = path.read_text(encoding="utf-8")
            path.write_text(text.replace(f"before: {value - 1}", f"before: {value}", 1))
            await wait_for(lambda v=value: app.library.cases[HUAYI].metrics[0].before == v)

    run(folder, scenario)
