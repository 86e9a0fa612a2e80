"""Trainer mode for a real class: resuming, the clock and the class length, typed slide
numbers, the slide grid, a blackout that blacks out every cell, and help that lists
the slides' own keys."""

from __future__ import annotations

import asyncio
import io
import os
from pathlib import Path

import msgspec
import pytest
from pilot_support import (
    CASES,
    drive,
    explorer,
    notified,
    open_case,
    quiet,
    recording,
    run_from_palette,
    screen_cells,
    screen_lines,
    settle,
    squash,
    until,
)
from rich.console import Console
from textual.geometry import Region
from textual.pilot import Pilot
from textual.strip import Strip
from textual.widgets import Static

from casebook.actions import PRESENT_ACTIONS
from casebook.app import CasebookApp, make_app
from casebook.model.format.edition import Edition
from casebook.model.format.linebreak import CLOSING
from casebook.model.format.text import Lang
from casebook.model.load.library import load_library
from casebook.screens.explorer import ExplorerScreen
from casebook.screens.goto import GotoScreen, NumberDialog, SlideGrid
from casebook.screens.help import HelpScreen
from casebook.screens.present import PresentScreen
from casebook.state import presentations as standings
from casebook.state.paths import data_dir
from casebook.state.presenter_link import PresenterLink

HUAYI = "huayi-precision"
T0 = 1_700_000_000.0


class FakeTime:
    """The clock the presentation counts in, moved by hand."""

    def __init__(self) -> None:
        self.now = T0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def fake_time(monkeypatch: pytest.MonkeyPatch) -> FakeTime:
    clock = FakeTime()
    monkeypatch.setattr(standings, "now", clock)
    return clock


def slides_app(
    edition: Edition = "student", *, minutes: int | None = None, served: bool = False
) -> CasebookApp:
    library = load_library([CASES], edition)
    app = make_app([CASES], library=library, present=HUAYI, minutes=minutes, served=served)
    return recording(quiet(app))


def slides(app: CasebookApp) -> PresentScreen:
    screen = app.screen
    assert isinstance(screen, PresentScreen), screen
    return screen


async def presenting(pilot: Pilot) -> PresentScreen:
    await until(pilot, lambda: isinstance(pilot.app.screen, PresentScreen), "the slides")
    await settle(pilot)
    return slides(pilot.app)  # type: ignore[arg-type]


def bar(app: CasebookApp) -> str:
    return screen_lines(app)[-1]


def place(screen: PresentScreen) -> tuple[int, int]:
    """(slide, step) where the presentation is, in the logical deck."""
    return screen.place


def standing_file() -> Path:
    return data_dir() / standings.FOLDER / standings.file_name(HUAYI)


# -- resume ---------------------------------------------------------------


def test_leaving_and_presenting_again_resumes_slide_step_and_clock(fake_time: FakeTime):
    async def scenario(pilot: Pilot) -> None:
        app: CasebookApp = pilot.app  # type: ignore[assignment]
        await settle(pilot)
        await open_case(pilot, HUAYI, "timeline")
        await pilot.press("p")
        screen = await presenting(pilot)
        await pilot.press("4", "enter", "right")
        await settle(pilot)
        assert place(screen) == (4, 2)
        fake_time.now += 125
        await pilot.press("escape")
        await until(pilot, lambda: isinstance(app.screen, ExplorerScreen), "the explorer")
        assert explorer(app).current == HUAYI and explorer(app).pane == "timeline"
        fake_time.now += 60  # the class goes on while the slides are left
        await pilot.press("p")
        again = await presenting(pilot)
        assert again is not screen
        assert place(again) == (4, 2)
        assert again.clock.elapsed(fake_time.now) == 185
        assert "⏱ 3:05" in bar(app)
        assert any("Resumed where you left off: slide 4/" in m for m in notified(app))

    drive(recording(quiet(make_app([CASES]))), scenario)


def test_a_new_app_on_the_same_data_resumes_paused_clock_and_length(fake_time: FakeTime):
    reached: list[tuple[int, int]] = []

    async def first(pilot: Pilot) -> None:
        screen = await presenting(pilot)
        await pilot.press("6", "enter", "right", "right")
        fake_time.now += 42 * 60 + 10
        await pilot.press("z", "t")
        await settle(pilot)
        reached.append(place(screen))
        assert not screen.clock.running and not screen.timer_visible
        assert screen.minutes == 90

    drive(slides_app("instructor", minutes=90), first)
    saved = standings.decode(standing_file().read_bytes())
    assert saved.since is None and saved.counted == 42 * 60 + 10 and saved.minutes == 90
    assert [(saved.slide, saved.step)] == reached

    fake_time.now += 3600  # paused: an hour later it still shows 42:10

    async def second(pilot: Pilot) -> None:
        app: CasebookApp = pilot.app  # type: ignore[assignment]
        screen = await presenting(pilot)
        assert (place(screen), screen.minutes) == ((saved.slide, saved.step), 90)
        assert not screen.timer_visible
        await pilot.press("t")
        await settle(pilot)
        assert "⏱ 42:10 ⏸ paused of 90 min" in bar(app)
        assert any("clock 42:10" in message for message in notified(app))
        # Escape goes back to the explorer on the presented case, not the introduction.
        await pilot.press("escape")
        await until(pilot, lambda: isinstance(app.screen, ExplorerScreen), "the explorer")
        assert explorer(app).current == HUAYI

    drive(slides_app("instructor"), second)


def test_start_over_and_home(fake_time: FakeTime):
    async def scenario(pilot: Pilot) -> None:
        app: CasebookApp = pilot.app  # type: ignore[assignment]
        screen = await presenting(pilot)
        await pilot.press("5", "enter")
        fake_time.now += 300
        await pilot.press("home")
        await settle(pilot)
        assert screen.position == 0 and screen.clock.elapsed(fake_time.now) == 300
        await pilot.press("end")
        await run_from_palette(pilot, "start over", "Start over")
        assert screen.position == 0 and screen.clock.elapsed(fake_time.now) == 0
        assert screen.clock.running
        assert "Started over: slide 1, clock 0:00" in notified(app)
        await pilot.press("3", "enter")
        await pilot.press("R")
        await settle(pilot)
        assert screen.position == 0

    drive(slides_app(), scenario)


def test_a_bad_standing_file_starts_fresh_with_a_message(fake_time: FakeTime):
    standing_file().parent.mkdir(parents=True)
    standing_file().write_bytes(b'{"slide": "six", "counted": -1')

    async def scenario(pilot: Pilot) -> None:
        app: CasebookApp = pilot.app  # type: ignore[assignment]
        screen = await presenting(pilot)
        assert screen.position == 0 and screen.clock.elapsed(fake_time.now) == 0
        assert any("Could not read where this presentation stood" in m for m in notified(app))
        await pilot.press("3", "enter")
        await settle(pilot)

    drive(slides_app(), scenario)
    assert standings.decode(standing_file().read_bytes()).slide == 3  # replaced


def test_a_standing_that_cannot_be_saved_is_said_once_and_kept_in_the_app(fake_time: FakeTime):
    standing_file().mkdir(parents=True)  # a folder where the file goes

    async def scenario(pilot: Pilot) -> None:
        app: CasebookApp = pilot.app  # type: ignore[assignment]
        screen = await presenting(pilot)
        await pilot.press("right", "right", "right", "z")
        await settle(pilot)
        assert screen.position == 3
        said = [m for m in notified(app) if "Could not save where" in m]
        assert len(said) == 1, notified(app)

    drive(slides_app(), scenario)


def test_a_long_gap_stops_a_running_clock_at_what_it_showed(fake_time: FakeTime):
    saved = standings.Standing(slide=3, counted=600.0, since=T0, saved=T0 + 1200)
    standing_file().parent.mkdir(parents=True)
    standing_file().write_bytes(msgspec.json.encode(saved))
    fake_time.now = T0 + 3 * 24 * 3600  # three days later

    async def scenario(pilot: Pilot) -> None:
        app: CasebookApp = pilot.app  # type: ignore[assignment]
        screen = await presenting(pilot)
        assert not screen.clock.running
        assert screen.clock.elapsed(fake_time.now) == 1800
        assert any("The clock was paused at 30:00" in m for m in notified(app))

    drive(slides_app(), scenario)


def test_a_served_session_keeps_the_standing_in_memory(fake_time: FakeTime):
    async def scenario(pilot: Pilot) -> None:
        app: CasebookApp = pilot.app  # type: ignore[assignment]
        await presenting(pilot)
        await pilot.press("4", "enter", "right")
        await pilot.press("escape")
        await until(pilot, lambda: isinstance(app.screen, ExplorerScreen), "the explorer")
        await pilot.press("p")
        screen = await presenting(pilot)
        assert place(screen) == (4, 2)

    drive(slides_app(served=True), scenario)
    assert not (data_dir() / standings.FOLDER).exists()


# -- the clock and the class length -----------------------------------------


def test_pause_restart_and_reset(fake_time: FakeTime):
    async def scenario(pilot: Pilot) -> None:
        app: CasebookApp = pilot.app  # type: ignore[assignment]
        screen = await presenting(pilot)
        fake_time.now += 65
        await pilot.press("z")
        await settle(pilot)
        assert "⏱ 1:05 ⏸ paused" in bar(app)
        fake_time.now += 600
        await pilot.press("right")
        await settle(pilot)
        assert "⏱ 1:05 ⏸ paused" in bar(app)
        await run_from_palette(pilot, "pause", "Clock: pause or restart")
        fake_time.now += 10
        await pilot.press("right")
        await settle(pilot)
        assert "⏱ 1:15" in bar(app) and "paused" not in bar(app)
        await pilot.press("r")
        await settle(pilot)
        assert "⏱ 0:00" in bar(app) and screen.clock.running
        assert "Clock reset to 0:00 (it showed 1:15)" in notified(app)

    drive(slides_app(), scenario)


def test_the_class_length_scales_the_plan_for_pacing(fake_time: FakeTime):
    async def scenario(pilot: Pilot) -> None:
        app: CasebookApp = pilot.app  # type: ignore[assignment]
        screen = await presenting(pilot)
        screen.position = len(screen.pages.positions) - 1
        fake_time.now += 80 * 60
        await pilot.press("t", "t")  # redraw now
        await settle(pilot)
        assert "10 min behind" in bar(app)  # a 70-minute plan
        await run_from_palette(pilot, "class length", "Class length")
        assert isinstance(app.screen, NumberDialog)
        await pilot.press("9", "0", "enter")
        await settle(pilot)
        assert screen.minutes == 90
        assert "of 90 min" in bar(app) and "10 min ahead" in bar(app)
        assert "Class length 90 min: the plan's 70 min scaled to it" in notified(app)
        # The speaker notes give each part's minutes scaled to the class.
        await pilot.press("home", "n")
        await settle(pilot)
        notes = str(screen.query_one("#notes-text", Static).render())
        assert "(13 min)" in notes  # the plan's 10 minutes, in a 90-minute class
        await pilot.press("m", "0", "enter")  # out of range: refused in the dialog
        await settle(pilot)
        assert isinstance(app.screen, NumberDialog) and screen.minutes == 90
        assert "1–1440 minutes" in "\n".join(screen_lines(app))
        await pilot.press("backspace", "enter")  # empty: the plan's own
        await settle(pilot)
        assert screen.minutes is None and "of 90 min" not in bar(app)

    drive(slides_app("instructor"), scenario)


def test_minutes_on_the_command_line_set_the_length(fake_time: FakeTime):
    async def scenario(pilot: Pilot) -> None:
        app: CasebookApp = pilot.app  # type: ignore[assignment]
        screen = await presenting(pilot)
        assert screen.minutes == 45
        assert "⏱ 0:00 of 45 min  on time" in bar(app)
        assert "Segment 1/5: Opening" in bar(app)

    drive(slides_app("instructor", minutes=45), scenario)


def test_the_bar_shows_the_step_within_a_slide_that_reveals(fake_time: FakeTime):
    async def scenario(pilot: Pilot) -> None:
        app: CasebookApp = pilot.app  # type: ignore[assignment]
        screen = await presenting(pilot)
        challenge = next(i for i, s in enumerate(screen.deck.slides, 1) if s.kind == "challenge")
        steps = screen.deck.slides[challenge - 1].reveals
        await pilot.press(*str(challenge), "enter", "right")
        await settle(pilot)
        assert f"{challenge}/{len(screen.deck.slides)}   step 2/{steps}" in bar(app)
        await pilot.press("l")
        await settle(pilot)
        assert f"第 2/{steps} 步" in bar(app)

    drive(slides_app(), scenario)


# -- jumping ----------------------------------------------------------------


def test_typed_digits_jump_and_show_while_typed(fake_time: FakeTime):
    async def scenario(pilot: Pilot) -> None:
        app: CasebookApp = pilot.app  # type: ignore[assignment]
        screen = await presenting(pilot)
        total = len(screen.deck.slides)
        await pilot.press("1")
        await settle(pilot)
        assert f"Go to slide 1▏ of {total}" in bar(app) and screen.position == 0
        await pilot.press("0")
        await settle(pilot)
        assert "Go to slide 10▏" in bar(app)
        await pilot.press("enter")
        await settle(pilot)
        assert place(screen) == (10, 1) and "Go to slide" not in bar(app)
        await pilot.press("6", "1", "0", "enter")
        await settle(pilot)
        assert place(screen) == (10, 1)  # refused, not clamped
        assert f"No slide 610: the slides are numbered 1–{total}." in notified(app)
        await pilot.press("0", "enter")
        await settle(pilot)
        assert place(screen) == (10, 1)
        assert f"No slide 0: the slides are numbered 1–{total}." in notified(app)
        # backspace takes a digit back; escape drops the number and stays in the slides
        await pilot.press("3", "5", "backspace", "enter")
        await settle(pilot)
        assert place(screen) == (3, 1)
        await pilot.press("7", "escape")
        await settle(pilot)
        assert app.screen is screen and place(screen) == (3, 1)
        assert "Go to slide" not in bar(app)
        # another key drops the number and does what it does
        await pilot.press("8", "right")
        await settle(pilot)
        assert place(screen)[0] in (3, 4)
        assert "Go to slide" not in bar(app)

    drive(slides_app(), scenario)


def test_typed_digits_in_chinese(fake_time: FakeTime):
    async def scenario(pilot: Pilot) -> None:
        app: CasebookApp = pilot.app  # type: ignore[assignment]
        screen = await presenting(pilot)
        await pilot.press("l", "9")
        await settle(pilot)
        assert "跳到第 9▏ 张" in bar(app)
        await pilot.press("9", "enter")
        await settle(pilot)
        assert any("没有第 99 张" in m for m in notified(app))
        assert screen.position == 0

    drive(slides_app(), scenario, size=(80, 24))


def test_the_goto_dialog_refuses_a_slide_that_does_not_exist(fake_time: FakeTime):
    async def scenario(pilot: Pilot) -> None:
        app: CasebookApp = pilot.app  # type: ignore[assignment]
        screen = await presenting(pilot)
        await pilot.press("g")
        await until(pilot, lambda: isinstance(app.screen, GotoScreen), "the dialog")
        await pilot.press("6", "1", "0", "enter")
        await settle(pilot)
        assert isinstance(app.screen, GotoScreen) and screen.position == 0
        assert any("No slide 610" in line for line in screen_lines(app))
        for _ in range(3):
            await pilot.press("backspace")
        await pilot.press("6", "enter")
        await until(pilot, lambda: app.screen is screen, "the slides")
        assert place(screen) == (6, 1)

    drive(slides_app(), scenario)


# -- the slide grid ---------------------------------------------------------


@pytest.mark.parametrize("size", [(100, 30), (80, 24)])
def test_the_grid_moves_in_two_dimensions(fake_time: FakeTime, size: tuple[int, int]):
    async def scenario(pilot: Pilot) -> None:
        app: CasebookApp = pilot.app  # type: ignore[assignment]
        screen = await presenting(pilot)
        total = len(screen.pages.pages)  # a slide split to fit takes a button a page
        await pilot.press("o")
        await until(pilot, lambda: isinstance(app.screen, SlideGrid), "the grid")
        await settle(pilot)
        grid = app.screen
        assert isinstance(grid, SlideGrid)
        columns = grid.columns()
        assert 1 < columns < total
        # The columns are what is drawn: slide 1 and slide 1 + columns in one column.
        first, below = (grid.cells.cell_region(n) for n in (1, 1 + columns))
        assert first.x == below.x and below.y > first.y
        assert grid.picked == 1
        await pilot.press("down")
        assert grid.picked == 1 + columns
        await pilot.press("right")
        assert grid.picked == 2 + columns
        await pilot.press("up")
        assert grid.picked == 2
        await pilot.press("left", "left")
        assert grid.picked == 1  # no wrapping past the first
        await pilot.press("end")
        assert grid.picked == total
        await pilot.press("down", "right")
        assert grid.picked == total
        await pilot.press("home")
        assert grid.picked == 1
        await pilot.press("down", "down", "enter")
        await until(pilot, lambda: app.screen is screen, "the slides")
        assert screen.position == screen.pages.start_of(1 + 2 * columns)

    drive(slides_app(), scenario, size=size)


def test_the_grid_is_built_ahead_and_kept_until_the_pages_change(fake_time: FakeTime):
    """Built off screen once the slides are drawn, the grid opens without being built,
    at the slide shown; the pages split again (in another language) make a new one; the
    old one, and the last when the slides are left, are let go of."""

    async def scenario(pilot: Pilot) -> None:
        app: CasebookApp = pilot.app  # type: ignore[assignment]
        screen = await presenting(pilot)

        def built() -> SlideGrid | None:
            grid = screen._grid
            return grid if grid is not None and grid.is_running else None

        await until(pilot, built, "the grid built ahead")
        grid = built()
        assert grid is not None and app.screen is screen, "built off screen"
        titles = screen.pages.titles()
        assert grid.titles == titles
        await pilot.press("o")
        await until(pilot, lambda: app.screen is grid, "the grid")
        await pilot.press("escape")
        await until(pilot, lambda: app.screen is screen, "the slides")
        screen.position = screen.pages.start_of(3)
        await settle(pilot)
        await pilot.press("o")
        await until(pilot, lambda: app.screen is grid, "the same grid again")
        assert grid.picked == grid.cells.current == 3
        await pilot.press("right", "enter")
        await until(pilot, lambda: app.screen is screen, "the slides")
        assert screen.pages.page_number(screen.position) == 4

        screen.lang = "zh"
        await until(pilot, lambda: built() not in (None, grid), "a grid of the new pages")
        new = built()
        assert new is not None and new.titles == screen.pages.titles() != titles
        assert not app.is_screen_installed(grid) and not grid.is_attached, "let go"
        screen.action_leave()
        await until(pilot, lambda: app.screen is not screen, "the slides left")
        await until(pilot, lambda: not new.is_attached, "the last grid let go")
        assert not app.is_screen_installed(new)

    drive(slides_app(), scenario, size=(100, 30))


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_the_grid_draws_every_page_title_and_marks_the_current_slide(
    fake_time: FakeTime, lang: Lang
):
    """One widget draws the grid at 80×24: each page's number and title in its cell
    (continuation pages too, no line starting with closing punctuation), the current
    slide marked, the picked one highlighted."""

    async def scenario(pilot: Pilot) -> None:
        app: CasebookApp = pilot.app  # type: ignore[assignment]
        screen = await presenting(pilot)
        titles = screen.pages.titles()
        current = next((n for n, title in enumerate(titles, 1) if "(2/" in title), 3)
        screen.position = screen.pages.start_of(current)
        await settle(pilot)
        await pilot.press("o")
        await until(pilot, lambda: isinstance(app.screen, SlideGrid), "the grid")
        await settle(pilot)
        grid = app.screen
        assert isinstance(grid, SlideGrid) and grid.picked == current != 1
        await pilot.press("home")
        cells = grid.cells
        strips = cells.render_lines(Region(0, 0, *cells.outer_size))

        def cell(number: int) -> list[Strip]:
            at = cells.cell_region(number).translate((1, 1))  # inside the border
            return [strip.crop(at.x, at.right) for strip in strips[at.y : at.bottom]]

        for number, title in enumerate(titles, 1):
            lines = [strip.text.strip() for strip in cell(number)]
            assert squash("".join(lines)) == squash(f"{number}. {title}"), (number, lines)
            assert all(line[0] not in CLOSING for line in lines if line), lines
        marked = cells.get_component_rich_style("slide-cells--current", partial=True)
        picked = cells.get_component_rich_style("slide-cells--picked", partial=True)
        assert all(
            segment.style is not None and segment.style.underline == marked.underline
            for segment in cell(current)[0]
        )
        assert all(
            segment.style is not None and segment.style.bgcolor == picked.bgcolor
            for segment in cell(1)[0]
        )

    library = load_library([CASES])
    app = recording(quiet(make_app([CASES], library=library, present=HUAYI, lang=lang)))
    drive(app, scenario, size=(80, 24))


# -- blackout ---------------------------------------------------------------


@pytest.mark.parametrize("size", [(100, 30), (80, 24)])
def test_blackout_leaves_no_cell_but_black(fake_time: FakeTime, size: tuple[int, int]):
    async def scenario(pilot: Pilot) -> None:
        app: CasebookApp = pilot.app  # type: ignore[assignment]
        await presenting(pilot)
        app.clear_notifications()
        await pilot.press("n", "4", "enter", "right", "b")  # notes shown, a long slide
        await settle(pilot)
        width, height = app.size
        cells = screen_cells(app)
        for y in range(height):
            for x in range(width):
                style = app.screen.get_style_at(x, y)
                assert style.bgcolor is not None, (x, y)
                assert tuple(style.bgcolor.get_truecolor()) == (0, 0, 0), (x, y, style)
                assert cells[y][x] in (" ", ""), (x, y, cells[y])
        await pilot.press("b")
        await settle(pilot)
        assert any(line.strip() for line in screen_lines(app))

    drive(slides_app("instructor"), scenario, size=size)


# -- help -------------------------------------------------------------------


def _help_keys(app: CasebookApp) -> str:
    assert isinstance(app.screen, HelpScreen)
    return "\n".join(screen_lines(app))


def test_help_in_the_slides_lists_the_slides_keys(fake_time: FakeTime):
    async def scenario(pilot: Pilot) -> None:
        app: CasebookApp = pilot.app  # type: ignore[assignment]
        screen = await presenting(pilot)
        await pilot.press("question_mark")
        await until(pilot, lambda: isinstance(app.screen, HelpScreen), "help")
        await settle(pilot)
        shown = _help_keys(app)
        for needed in ("space", "pagedown", "shift+tab", "0-9 enter", "Stop or restart the"):
            assert needed in shown, (needed, shown)
        assert "Move in the list" not in shown and "Open the highlighted" not in shown
        help_screen = app.screen
        assert isinstance(help_screen, HelpScreen)
        listed = {action.action for action in help_screen.actions}
        bound = {
            binding.action
            for binding in screen._bindings.key_to_bindings.values()
            for binding in binding
        }
        assert {a.action for a in PRESENT_ACTIONS} <= listed
        assert bound - {"app.focus_next", "app.focus_previous", "screen.copy_text"} <= listed
        await pilot.press("escape")
        await until(pilot, lambda: app.screen is screen, "the slides")
        await pilot.press("escape")
        await until(pilot, lambda: isinstance(app.screen, ExplorerScreen), "the explorer")
        await pilot.press("question_mark")
        await until(pilot, lambda: isinstance(app.screen, HelpScreen), "help")
        assert "Move in the list" in _help_keys(app)

    drive(slides_app(), scenario, size=(100, 40))


def test_help_in_the_slides_in_chinese_at_80_by_24(fake_time: FakeTime):
    async def scenario(pilot: Pilot) -> None:
        app: CasebookApp = pilot.app  # type: ignore[assignment]
        await presenting(pilot)
        await pilot.press("l", "question_mark")
        await until(pilot, lambda: isinstance(app.screen, HelpScreen), "help")
        await settle(pilot)
        shown = "\n".join(screen_lines(app))
        assert "按键" in shown and "下一步" in shown and "pagedown" in shown, shown
        listed = Console(width=80, record=True, file=io.StringIO())
        listed.print(app.screen._table())  # type: ignore[attr-defined]
        text = listed.export_text()
        for words in ("暂停或继续计时", "计时归零", "输入幻灯片编号后按回车", "从头开始"):
            assert words in text, (words, text)

    drive(slides_app(), scenario, size=(80, 24))


# -- the presenter console follows the clock --------------------------------


def test_the_console_follows_pause_and_length(fake_time: FakeTime):
    library = load_library([CASES], "instructor")
    audience = quiet(make_app([CASES], library=library, present=HUAYI))
    console = quiet(make_app([CASES], library=library, present=HUAYI, console=True))

    async def go() -> None:
        async with (
            audience.run_test(size=(80, 24)) as shown,
            console.run_test(size=(100, 30)) as driver,
        ):
            front = await presenting(shown)
            back = await presenting(driver)
            fake_time.now += 30
            await driver.press("z")
            await until(shown, lambda: not front.clock.running, "the audience to pause")
            assert front.clock.elapsed(fake_time.now + 100) == 30
            await shown.press("z")
            await until(driver, lambda: back.clock.running, "the console to restart")
            front.minutes = 80
            await until(driver, lambda: back.minutes == 80, "the console's class length")

    asyncio.run(go())


def test_a_console_opened_first_ignores_a_link_left_from_a_class_long_over(fake_time: FakeTime):
    standing_file().parent.mkdir(parents=True)
    saved = standings.Standing(slide=2, counted=60.0, saved=T0 - 60)
    standing_file().write_bytes(msgspec.json.encode(saved))
    old = PresenterLink(HUAYI)
    old.publish({"position": 7, "blackout": True, "started": 1.0})
    long_ago = T0 - standings.RESUME_GAP - 10
    os.utime(old.path, (long_ago, long_ago))

    async def scenario(pilot: Pilot) -> None:
        screen = await presenting(pilot)
        assert place(screen) == (2, 1) and not screen.blackout
        assert screen.clock.elapsed(fake_time.now) == 60

    library = load_library([CASES], "instructor")
    drive(quiet(make_app([CASES], library=library, present=HUAYI, console=True)), scenario)
