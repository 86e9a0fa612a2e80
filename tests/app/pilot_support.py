"""Helpers for the pilot tests: build the app, drive it, read what is on screen.

Tests are plain sync functions: each builds an app and hands an async scenario
to ``drive``, which runs it under ``asyncio.run`` inside ``app.run_test``.

Reading the screen: ``screen_lines`` is what the terminal shows now (one string
per row); ``pane_lines`` is everything a pane holds, rendered at its current
width, including what is scrolled out of view.
"""

from __future__ import annotations

import asyncio
import html
import re
from collections.abc import Awaitable, Callable, Iterable
from pathlib import Path
from weakref import WeakKeyDictionary

from rich.cells import cell_len
from rich.style import Style
from textual.app import App
from textual.command import CommandInput, CommandList, CommandPalette
from textual.geometry import Region
from textual.pilot import Pilot
from textual.widget import Widget
from textual.widgets import Static

from casebook.actions import PANES
from casebook.app import CasebookApp, make_app
from casebook.model.format.text import Lang
from casebook.screens.explorer import ExplorerScreen
from casebook.widgets.figure_card import FigureCard
from casebook.widgets.line_block import LineBlock, LineView
from casebook.widgets.line_list import LineList

REPO = Path(__file__).resolve().parents[2]
CASES = REPO / "cases"
SIZE = (100, 30)
SMALL = (80, 24)

Scenario = Callable[[Pilot], Awaitable[None]]


# -- building and running -------------------------------------------------


def quiet(app: CasebookApp) -> CasebookApp:
    """No animations: tests wait for nothing and see the final frame at once."""
    app.animation_level = "none"
    return app


_NOTIFIED: WeakKeyDictionary[App, list[str]] = WeakKeyDictionary()


def recording(app: CasebookApp) -> CasebookApp:
    """``app``, keeping the message of every notification it makes (``run_test`` shows
    none): read them with :func:`notified`."""
    said = _NOTIFIED.setdefault(app, [])
    notify = app.notify

    def record(message: str, **options: object) -> None:
        said.append(str(message))
        notify(message, **options)  # type: ignore[arg-type]

    app.notify = record  # type: ignore[method-assign]
    return app


def notified(app: App) -> list[str]:
    """The messages ``app`` has notified since :func:`recording`, oldest first."""
    return _NOTIFIED[app]


def bundled_app(lang: Lang = "en") -> CasebookApp:
    """The app on the bundled casebook (cases/), as the CLI would build it."""
    return quiet(make_app([CASES], lang=lang))


def folder_app(*folders: Path, lang: Lang = "en") -> CasebookApp:
    return quiet(make_app(list(folders), lang=lang))


def drive(
    app: CasebookApp,
    scenario: Scenario,
    *,
    size: tuple[int, int] = SIZE,
    timeout: float = 30.0,
) -> CasebookApp:
    """Run ``scenario`` against ``app`` in a headless terminal of ``size``.

    ``timeout`` bounds the scenario so that a frozen app fails the test instead
    of hanging the run.
    """

    async def main() -> None:
        async with app.run_test(size=size) as pilot:
            await pilot.pause()
            await asyncio.wait_for(scenario(pilot), timeout)

    asyncio.run(main())
    return app


async def settle(pilot: Pilot) -> None:
    """Let messages, layout and any animation finish."""
    await pilot.pause()
    await pilot.wait_for_scheduled_animations()
    await pilot.pause()


async def until(pilot: Pilot, condition: Callable[[], object], what: str, wait: float = 5) -> None:
    """Pause until ``condition()`` is true, failing after ``wait`` seconds."""
    for _ in range(int(wait / 0.05)):
        if condition():
            return
        await pilot.pause(0.05)
    raise AssertionError(f"timed out waiting for {what}")


async def type_text(pilot: Pilot, text: str) -> None:
    await pilot.press(*("space" if char == " " else char for char in text))


# -- the explorer's state -------------------------------------------------


def explorer(app: CasebookApp) -> ExplorerScreen:
    """The explorer screen, even while a modal screen is on top of it."""
    return next(s for s in app.screen_stack if isinstance(s, ExplorerScreen))


async def open_case(pilot: Pilot, case_id: str, pane: str = "overview") -> ExplorerScreen:
    """Open ``case_id`` on ``pane`` with the keys a user would press."""
    screen = explorer(pilot.app)  # type: ignore[arg-type]
    screen.open(case_id)
    await pilot.press(str(PANES.index(pane) + 1))
    await settle(pilot)
    assert screen.current == case_id
    assert screen.pane == pane
    return screen


# -- reading the screen ---------------------------------------------------


_SVG_TEXT = re.compile(
    r'<text class="[^"]*" x="([0-9.]+)" y="[^"]*" textLength="[^"]*" '
    r'clip-path="url\(#[^)"]*-line-([0-9]+)\)">([^<]*)</text>'
)
"""A run of text in Rich's SVG export: its x, its row (named by its clip path), its text."""

_SVG_CELL_WIDTH = 20 * 0.61
"""The width of a cell in Rich's SVG export (its default font size and aspect ratio)."""


def screen_cells(app: App) -> list[list[str]]:
    """The terminal as it looks now (modal screens and what they cover included), one
    list of cells per row: a character per cell, and "" in the second cell of a wide one.

    Textual has no public "text of the screen": this reads its SVG screenshot
    (``App.export_screenshot``), which draws exactly what the terminal shows, each run
    of text at its cell."""
    width, height = app.size
    rows = [[" "] * width for _ in range(height)]
    for x, y, text in _SVG_TEXT.findall(app.export_screenshot()):
        row, column = rows[int(y)], round(float(x) / _SVG_CELL_WIDTH)
        for char in html.unescape(text).replace("\xa0", " "):
            if column >= width:
                break
            row[column] = char
            if cell_len(char) == 2 and column + 1 < width:
                row[column + 1] = ""
            column += cell_len(char)
    return rows


def screen_lines(app: App) -> list[str]:
    """The terminal as it looks now, one string per row (modal screens included)."""
    return ["".join(row).rstrip() for row in screen_cells(app)]


def region_lines(app: App, region: Region) -> list[str]:
    """The rows of the screen inside ``region``."""
    rows = screen_cells(app)[region.y : region.bottom]
    return ["".join(row[region.x : region.right]).rstrip() for row in rows]


def visible_lines(app: App, widget: Widget) -> list[str]:
    """The rows of the screen inside ``widget``'s visible region (its on-screen part)."""
    return region_lines(app, widget.region)


def screen_text(app: CasebookApp) -> str:
    return "\n".join(screen_lines(app))


def widget_lines(widget: Widget) -> list[str]:
    """Everything ``widget`` draws at its current size, scrolled into view or not."""
    if isinstance(widget, LineView):  # draws what is in view: its lines, as laid out
        lines = widget.lines(widget.scrollable_content_region.width)
        return [line.plain.rstrip() for line in lines]
    width, height = widget.outer_size  # padding and border included
    return [s.text.rstrip() for s in widget.render_lines(Region(0, 0, width, height))]


def card_lines(card: FigureCard) -> list[str]:
    """The rows of a figure card inside its border and padding."""
    return [row[2:-2].rstrip() for row in widget_lines(card)[1:-1]]


def pane_widget(app: CasebookApp, pane: str) -> Widget:
    return explorer(app).query_one(f"#pane-{pane}")


def pane_lines(app: CasebookApp, pane: str) -> list[str]:
    """All rendered rows of a pane's content, in order."""
    rows: list[str] = []
    for widget in pane_widget(app, pane).query("Static, FigureCard, LineList, LineBlock"):
        if isinstance(widget, FigureCard):
            rows += card_lines(widget)
        elif isinstance(widget, Static | LineList | LineBlock):
            rows += widget_lines(widget)
    return rows


def squash(text: str) -> str:
    """Text without any whitespace: compare wrapped prose (and CJK) with its source."""
    return re.sub(r"\s+", "", text)


def shows(lines: Iterable[str], needle: str) -> bool:
    """``needle`` is on one rendered row."""
    return any(needle in line for line in lines)


def shows_wrapped(lines: Iterable[str], needle: str) -> bool:
    """``needle`` is rendered, possibly wrapped over several rows."""
    return squash(needle) in squash("\n".join(lines))


def find_text(app: CasebookApp, needle: str, within: Widget | None = None) -> tuple[int, int]:
    """Screen cell (x, y) where ``needle`` first shows (top row first), on the whole
    screen or only inside ``within``'s visible region."""
    region = within.region if within is not None else app.screen.region
    lines = screen_lines(app) if within is None else visible_lines(app, within)
    for y, line in enumerate(lines):
        x = line.find(needle)
        if x >= 0:
            return region.x + cell_len(line[:x]), region.y + y
    raise AssertionError(f"{needle!r} is not on screen:\n{screen_text(app)}")


async def click_text(pilot: Pilot, needle: str, within: Widget | None = None) -> None:
    """Click the first character of ``needle`` where it shows on screen (or in ``within``)."""
    x, y = find_text(pilot.app, needle, within)  # type: ignore[arg-type]
    await pilot.click(offset=(x, y))
    await settle(pilot)


def contrast(fg: tuple[int, int, int], bg: tuple[int, int, int]) -> float:
    """WCAG 2 contrast ratio of two sRGB colours (1 to 21)."""

    def luminance(rgb: tuple[int, int, int]) -> float:
        def channel(value: int) -> float:
            c = value / 255
            return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

        r, g, b = (channel(v) for v in rgb)
        return 0.2126 * r + 0.7152 * g + 0.0722 * b

    high, low = sorted((luminance(fg), luminance(bg)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def text_contrasts(
    app: CasebookApp, region: Region, *, glyphs: bool = False
) -> list[tuple[float, str]]:
    """(contrast, text) of every run of letters or digits drawn inside ``region``
    (with ``glyphs``, of every visible character, for box-drawn big digits)."""
    found = []
    cells = screen_cells(app)
    for y in range(region.y, region.bottom):
        runs: list[tuple[Style, str]] = []  # each run of cells drawn in one style
        for x in range(region.x, region.right):
            style = app.screen.get_style_at(x, y)
            if runs and runs[-1][0] == style:
                runs[-1] = (style, runs[-1][1] + cells[y][x])
            else:
                runs.append((style, cells[y][x]))
        for style, text in runs:
            drawn = text.strip() if glyphs else any(c.isalnum() for c in text)
            if not drawn:
                continue
            assert style.color is not None and style.bgcolor is not None, (style, text)
            fg, bg = style.color.get_truecolor(), style.bgcolor.get_truecolor()
            found.append((contrast(tuple(fg), tuple(bg)), text.strip()))
    return found


# -- the command palette --------------------------------------------------


def palette_hits(app: CasebookApp) -> list[str]:
    """The palette's current hits as plain text (title and help on separate lines)."""
    if not isinstance(app.screen, CommandPalette):
        return []
    hits = app.screen.query_one(CommandList)
    return [hits.get_option_at_index(i).prompt.plain for i in range(hits.option_count)]


def palette_done(app: CasebookApp, query: str) -> bool:
    """The palette shows ``query`` and has finished searching for it."""
    palette = app.screen
    if not isinstance(palette, CommandPalette):
        return False
    if palette.query_one(CommandInput).value != query:
        return False
    # The palette's only workers gather hits.
    return not any(w.node is palette and not w.is_finished for w in app.workers)


async def open_palette(pilot: Pilot, query: str = "", expect: str = "") -> list[str]:
    """Open the palette, type ``query``; return the hits, which must include ``expect``."""
    app: CasebookApp = pilot.app  # type: ignore[assignment]
    await pilot.press("ctrl+p")
    await until(pilot, lambda: isinstance(app.screen, CommandPalette), "the command palette")
    await type_text(pilot, query)
    await until(pilot, lambda: palette_done(app, query), f"the palette to search {query!r}")
    await settle(pilot)
    hits = palette_hits(app)
    assert any(expect in hit for hit in hits), f"no hit with {expect!r} for {query!r}: {hits}"
    return hits


async def run_from_palette(pilot: Pilot, query: str, expect: str) -> None:
    """Type ``query`` in the palette and run the first hit, which must show ``expect``."""
    hits = await open_palette(pilot, query, expect)
    assert expect in hits[0], f"first hit for {query!r} is {hits[0]!r}, not {expect!r}"
    await pilot.press("enter")
    await settle(pilot)
