"""Trainer mode: slides revealed step by step, jumping, overview, blackout, editions, console."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from pathlib import Path

import pytest
from pilot_support import screen_lines
from textual.widgets import Input, Static

from casebook.app import CasebookApp, make_app
from casebook.model.format.edition import Edition
from casebook.model.format.text import pick
from casebook.model.load.library import load_library
from casebook.model.views.slides import build_deck
from casebook.screens.explorer import ExplorerScreen
from casebook.screens.goto import GotoScreen, SlideGrid
from casebook.screens.present import PresentScreen
from casebook.widgets.flow import Flow
from casebook.widgets.slide_view import Lines, SlideView

CASES = Path(__file__).resolve().parents[2] / "cases"
CASE_ID = "huayi-precision"


@pytest.fixture(autouse=True)
def _private_runtime_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CASEBOOK_RUNTIME_DIR", str(tmp_path / "runtime"))


def run(
    check: Callable[[CasebookApp, object], Awaitable[None]],
    *,
    edition: Edition = "student",
    size: tuple[int, int] = (100, 30),
    console: bool = False,
) -> None:
    app = make_app(library=load_library([CASES], edition), present=CASE_ID, console=console)

    async def go() -> None:
        async with app.run_test(size=size) as pilot:
            await pilot.pause()
            await check(app, pilot)

    asyncio.run(go())


def _text(content: object) -> str:
    """The text of what a Static shows (a Flow's label and text, a cut step's Flow)."""
    if isinstance(content, Lines):
        content = content.flow
    if isinstance(content, Flow):
        return (content.label.plain if content.label else "") + content.text.plain
    return str(content)


def screen_text(app: CasebookApp) -> str:
    """Every Static's text on the current screen, in order."""
    return "\n".join(_text(w.content) for w in app.screen.query(Static) if w.display)


def test_reveal_goes_step_by_step_in_deck_order() -> None:
    deck = build_deck(load_library([CASES]).cases[CASE_ID])

    async def check(app: CasebookApp, pilot) -> None:
        screen = app.screen
        assert isinstance(screen, PresentScreen)
        seen = [(screen.deck.slide_number(screen.position), screen.position)]
        for key in ["right", "space", "pagedown"] * 3:
            await pilot.press(key)
            seen.append((screen.deck.slide_number(screen.position), screen.position))
        positions = [position for _, position in seen]
        assert positions == list(range(len(positions)))
        for position in positions:
            expected_slide = deck.positions[position][0] + 1
            assert (expected_slide, position) in seen
        await pilot.press("left", "pageup")
        assert screen.position == positions[-1] - 2

    run(check)


def test_a_step_on_the_same_page_draws_only_what_changes() -> None:
    """Forward through the deck and back: each position shows exactly its page's first
    pieces, the newest marked; on the page already shown the view and its earlier steps
    stay (only the step that changes is mounted or removed)."""

    async def check(app: CasebookApp, pilot) -> None:
        screen = app.screen
        assert isinstance(screen, PresentScreen)
        last = len(screen.pages.positions) - 1
        kept = 0
        for key, count in (("right", last), ("left", last)):
            for _ in range(count):
                view = screen.query_one(SlideView)
                before = list(view.query_children(".step"))
                page_before = view.page
                await pilot.press(key)
                await pilot.pause()
                page, shown = screen.pages.at(screen.position)
                now = screen.query_one(SlideView)
                steps = list(now.query_children(".step"))
                assert now.page is page
                if screen.pages.slide(page).metric is None:
                    assert len(steps) == shown, screen.position
                    several = len(screen.pages.slide(page).steps) > 1
                    marked = [step.has_class("step-new") for step in steps]
                    assert marked == [several and n == shown - 1 for n in range(shown)]
                if page is page_before:
                    kept += 1
                    assert now is view
                    common = min(len(before), len(steps))
                    assert steps[:common] == before[:common]
        assert screen.position == 0 and kept > 0

    run(check)


def test_challenge_reveals_problem_then_solutions_then_outcome() -> None:
    deck = build_deck(load_library([CASES]).cases[CASE_ID])
    first_challenge = next(i for i, s in enumerate(deck.slides) if s.kind == "challenge")
    slide = deck.slides[first_challenge]
    problem = pick(slide.steps[0].text, "en")
    outcome = pick(slide.steps[-1].text, "en")

    async def check(app: CasebookApp, pilot) -> None:
        screen = app.screen
        assert isinstance(screen, PresentScreen)
        screen.position = deck.start_of(first_challenge + 1)
        await pilot.pause()
        shown = screen_text(app)
        assert problem[:40] in shown.replace("\n", " ") or problem[:20] in shown
        assert outcome[:30] not in shown.replace("\n", " ")
        for _ in range(len(slide.steps) - 1):
            await pilot.press("right")
        await pilot.pause()
        assert outcome[:30] in screen_text(app).replace("\n", " ")

    run(check)


def test_home_end_and_goto_jump() -> None:
    async def check(app: CasebookApp, pilot) -> None:
        screen = app.screen
        assert isinstance(screen, PresentScreen)
        await pilot.press("end")
        assert screen.position == len(screen.deck.positions) - 1
        await pilot.press("home")
        assert screen.position == 0
        await pilot.press("g")
        await pilot.pause()
        assert isinstance(app.screen, GotoScreen)
        await pilot.press("4", "enter")
        await pilot.pause()
        assert app.screen is screen
        assert screen.deck.slide_number(screen.position) == 4
        assert screen.position == screen.deck.start_of(4)

    run(check)


def test_overview_grid_picks_a_slide() -> None:
    async def check(app: CasebookApp, pilot) -> None:
        screen = app.screen
        assert isinstance(screen, PresentScreen)
        await pilot.press("o")
        await pilot.pause()
        grid = app.screen
        assert isinstance(grid, SlideGrid)
        assert len(grid.titles) == len(screen.deck.slides)
        assert len(grid.query("*")) == 1  # one widget draws every cell
        cell = grid.cells.cell_region(3)
        await pilot.click(offset=grid.cells.content_region.offset + cell.offset)
        await pilot.pause()
        assert app.screen is screen
        assert screen.deck.slide_number(screen.position) == 3

    run(check)


def test_blackout_covers_and_uncovers() -> None:
    async def check(app: CasebookApp, pilot) -> None:
        screen = app.screen
        assert isinstance(screen, PresentScreen)
        assert not screen.has_class("-blackout")
        await pilot.press("b")
        assert screen.blackout and screen.has_class("-blackout")
        position = screen.position
        await pilot.press("b")
        assert not screen.blackout and not screen.has_class("-blackout")
        assert screen.position == position

    run(check)


def bar_text(app: CasebookApp) -> str:
    """The bottom row of the screen: the slides' bar."""
    return screen_lines(app)[-1]


def test_footer_shows_slide_number_and_timer_toggles() -> None:
    async def check(app: CasebookApp, pilot) -> None:
        screen = app.screen
        assert isinstance(screen, PresentScreen)
        total = len(screen.deck.slides)
        assert f"1/{total}" in bar_text(app)
        assert "⏱ 0:0" in bar_text(app)
        await pilot.press("t")
        await pilot.pause()
        assert "⏱" not in bar_text(app)
        await pilot.press("t")
        await pilot.pause()
        assert "⏱ 0:0" in bar_text(app)

    run(check)


def test_escape_returns_to_the_explorer_on_the_presented_case() -> None:
    async def check(app: CasebookApp, pilot) -> None:
        assert isinstance(app.screen, PresentScreen)
        await pilot.press("escape")
        await pilot.pause()
        # Started with `casebook present CASE_ID`: the explorer is on that case, not on
        # the introduction, and p presents it again.
        assert isinstance(app.screen, ExplorerScreen)
        assert app.screen.current == CASE_ID
        await pilot.press("p")
        await pilot.pause()
        assert isinstance(app.screen, PresentScreen)

    run(check)


def _instructor_texts() -> list[str]:
    case = load_library([CASES], "instructor").cases[CASE_ID]
    assert case.teaching_notes is not None and case.epilogue is not None
    texts = [pick(case.epilogue, lang) for lang in ("en", "zh")]
    for segment in case.teaching_notes.segments:
        texts += [pick(segment.title, lang) for lang in ("en", "zh")]
    texts += [
        pick(point, lang) for point in case.teaching_notes.key_points for lang in ("en", "zh")
    ]
    return [text[:24] for text in texts if text]


def test_student_edition_never_shows_instructor_text() -> None:
    hidden = _instructor_texts()

    async def check(app: CasebookApp, pilot) -> None:
        screen = app.screen
        assert isinstance(screen, PresentScreen)
        assert all(slide.kind != "epilogue" for slide in screen.deck.slides)
        await pilot.press("n")
        await pilot.pause()
        seen = [screen_text(app)]
        for _ in range(len(screen.deck.positions)):
            await pilot.press("right")
            seen.append(screen_text(app))
        await pilot.press("l")
        seen.append(screen_text(app))
        everything = "\n".join(seen)
        for text in hidden:
            assert text not in everything

    run(check)


def test_instructor_edition_has_notes_and_epilogue() -> None:
    hidden = _instructor_texts()

    async def check(app: CasebookApp, pilot) -> None:
        screen = app.screen
        assert isinstance(screen, PresentScreen)
        assert screen.deck.slides[-1].kind == "epilogue"
        await pilot.press("n")
        await pilot.pause()
        assert screen.notes_visible
        seen = [screen_text(app)]
        await pilot.press("end")
        await pilot.pause()
        seen.append(screen_text(app))
        everything = "\n".join(seen)
        assert any(text in everything for text in hidden)

    run(check, edition="instructor")


def test_console_follows_and_drives_the_audience(tmp_path: Path) -> None:
    library = load_library([CASES], "instructor")
    audience = make_app(library=library, present=CASE_ID)
    console = make_app(library=library, present=CASE_ID, console=True)

    async def go() -> None:
        async with (
            audience.run_test(size=(80, 24)) as shown,
            console.run_test(size=(100, 30)) as driver,
        ):
            await shown.pause()
            await driver.pause()
            front, back = audience.screen, console.screen
            assert isinstance(front, PresentScreen) and isinstance(back, PresentScreen)
            await driver.press("right", "right", "right")
            await asyncio.sleep(0.8)
            await shown.pause()
            # Each side splits the deck for its size: they share the logical place.
            assert back.position == 3 and front.place == back.place == back.pages.place(3)
            await shown.press("left")
            await asyncio.sleep(0.8)
            await driver.pause()
            assert back.place == front.place != back.pages.place(3)
            await driver.press("b")
            await asyncio.sleep(0.8)
            await shown.pause()
            assert front.blackout

    asyncio.run(go())


def test_goto_ignores_what_is_not_a_number() -> None:
    async def check(app: CasebookApp, pilot) -> None:
        screen = app.screen
        assert isinstance(screen, PresentScreen)
        await pilot.press("right")
        position = screen.position
        await pilot.press("g")
        await pilot.pause()
        app.screen.query_one(Input).value = ""
        await pilot.press("enter")
        await pilot.pause()
        assert app.screen is screen and screen.position == position

    run(check)
