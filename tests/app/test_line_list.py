"""LineList on its own: keys, mouse, rows replaced, cropping, plain text, and its cost."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Sequence

import pytest
from pilot_support import region_lines
from rich.text import Text
from textual.app import App, ComposeResult
from textual.pilot import Pilot

from casebook.model.mapped import Mapped
from casebook.widgets.line_list import LineList, Row, Rows

Scenario = Callable[[Pilot, LineList], Awaitable[None]]


def row(row_id: str, *lines: str) -> Row:
    return Row(row_id, tuple(Text(line) for line in lines or (row_id, f"{row_id} hook")))


def header(title: str) -> Row:
    return Row(None, (Text(title),), disabled=True)


class ListApp(App[None]):
    """A LineList alone on the screen, recording what it says."""

    def __init__(self, rows: Sequence[Row]) -> None:
        super().__init__()
        self.rows = rows
        self.selected: list[tuple[str | None, int]] = []
        self.highlights: list[tuple[str | None, int]] = []

    def compose(self) -> ComposeResult:
        yield LineList(self.rows, id="list")

    def on_line_list_selected(self, message: LineList.Selected) -> None:
        self.selected.append((message.row_id, message.index))

    def on_line_list_highlighted(self, message: LineList.Highlighted) -> None:
        self.highlights.append((message.row_id, message.index))


def run(rows: Sequence[Row], scenario: Scenario, size: tuple[int, int] = (40, 12)) -> ListApp:
    app = ListApp(rows)

    async def main() -> None:
        async with app.run_test(size=size) as pilot:
            await pilot.pause()
            await asyncio.wait_for(scenario(pilot, app.query_one(LineList)), 30)

    asyncio.run(main())
    return app


def shown(pilot: Pilot) -> list[str]:
    """The list's rows as the screen shows them (inside its border and padding)."""
    return region_lines(pilot.app, pilot.app.query_one(LineList).scrollable_content_region)


GROUPED = [header("FIRST"), row("a"), header("SECOND"), row("b"), row("c")]


def test_keys_move_over_enabled_rows_and_enter_selects():
    async def scenario(pilot: Pilot, rows: LineList) -> None:
        rows.focus()
        assert rows.highlighted == 1, "the first enabled row, not the header"
        await pilot.press("down")
        assert (rows.highlighted, rows.highlighted_row.id) == (3, "b"), "the header is skipped"
        await pilot.press("up", "up")
        assert rows.highlighted == 1, "no header, no wrapping at the top"
        await pilot.press("end")
        assert rows.highlighted == 4
        await pilot.press("down")
        assert rows.highlighted == 4, "no wrapping at the bottom"
        await pilot.press("home", "enter")
        await pilot.pause()
        assert pilot.app.selected == [("a", 1)]
        assert pilot.app.highlights[-1] == ("a", 1)

    run(GROUPED, scenario)


def test_page_keys_move_a_screenful_and_keep_the_highlight_in_view():
    rows = [row(f"r{n}") for n in range(100)]

    async def scenario(pilot: Pilot, rows: LineList) -> None:
        rows.focus()
        await pilot.press("pagedown")
        await pilot.pause()
        assert rows.highlighted == 5, "10 lines down: 5 rows of 2 lines"
        await pilot.press("end")
        await pilot.pause()
        assert rows.highlighted == 99
        assert shown(pilot)[-2:] == ["r99", "r99 hook"], "the last row is scrolled into view"
        await pilot.press("pageup")
        assert rows.highlighted == 94
        await pilot.press("home")
        await pilot.pause()
        assert rows.scroll_offset.y == 0

    run(rows, scenario)


def test_going_up_to_a_groups_first_row_shows_its_header():
    rows = [header("TOP"), *(row(f"r{n}") for n in range(20))]

    async def scenario(pilot: Pilot, rows: LineList) -> None:
        rows.focus()
        await pilot.press("end", "home")
        await pilot.pause()
        assert rows.highlighted == 1
        assert rows.scroll_offset.y == 0, "the header above the first row is in view"

    run(rows, scenario)


def test_set_rows_keeps_the_highlighted_row_by_id():
    async def scenario(pilot: Pilot, rows: LineList) -> None:
        rows.highlight_id("c")
        rows.set_rows([row("c"), row("x"), row("a")])
        assert (rows.highlighted, rows.highlighted_row.id) == (0, "c")
        rows.highlight_id("a")
        rows.set_rows([header("NEW"), row("y"), row("z")])
        assert rows.highlighted == 1, "gone: the first enabled row"
        rows.set_rows([])
        assert rows.highlighted is None
        assert rows.highlighted_row is None
        assert rows.row_count == 0
        await pilot.press("down", "enter")
        assert pilot.app.selected == []

    run(GROUPED, scenario)


def test_replace_row_changes_one_row_and_moves_the_rows_below():
    async def scenario(pilot: Pilot, rows: LineList) -> None:
        rows.highlight_id("b")
        rows.replace_row("b", [Text("b  2/6"), Text("b hook")])
        await pilot.pause()
        assert shown(pilot)[4] == "b  2/6"
        assert rows.virtual_size.height == 8
        assert rows.highlighted_row.id == "b"
        rows.replace_row("b", [Text("b"), Text("two"), Text("three")])
        await pilot.pause()
        assert rows.virtual_size.height == 9
        assert rows.index_of("c") == 4
        assert shown(pilot)[6:8] == ["three", "c"], "c starts a line lower"

    run(GROUPED, scenario)


def test_clicking_a_row_highlights_and_selects_it_and_headers_are_inert():
    async def scenario(pilot: Pilot, rows: LineList) -> None:
        await pilot.click(LineList, offset=(4, 1 + 5))  # b's second line, under the border
        assert (rows.highlighted, pilot.app.selected) == (3, [("b", 3)])
        await pilot.click(LineList, offset=(4, 1 + 3))  # the SECOND header
        assert (rows.highlighted, pilot.app.selected) == (3, [("b", 3)])

    run(GROUPED, scenario)


def test_long_lines_are_cut_with_an_ellipsis_never_wrapped():
    long = "A very long name that will never fit in this narrow list"
    rows = [row("a", long, "短的"), row("b", "中文" * 20), row("c")]

    async def scenario(pilot: Pilot, rows: LineList) -> None:
        lines = shown(pilot)
        width = rows.scrollable_content_region.width
        assert lines[0] == f"{long[: width - 1]}…"
        assert lines[1] == "短的"
        assert lines[2].startswith("中文中文") and lines[2].endswith("…")
        assert lines[3] == "c", "each line of a row is one screen row"

    run(rows, scenario, size=(24, 10))


def test_markup_in_a_row_is_shown_literally():
    text = "[b]bold?[/b] [@click=app.quit]quit[/] [red]x"
    rows = [row("first"), row("a", text, "[link=https://example.com]l[/link]")]

    async def scenario(pilot: Pilot, rows: LineList) -> None:
        lines = shown(pilot)
        assert lines[2:4] == [text, "[link=https://example.com]l[/link]"]
        styles = [s.style for y in (2, 3) for s in rows.render_line(y) if s.style]
        assert not any(style.bold or style.link or style.meta for style in styles)

    run(rows, scenario, size=(70, 8))


def test_ten_thousand_rows_cost_only_the_rows_shown():
    built: set[int] = set()

    def make(number: int) -> Row:
        built.add(number)
        return Row(f"r{number}", (Text(f"row {number}"), Text("its hook")))

    def ten_thousand() -> Rows:  # ids made when read, as the all-events screen's
        return Rows(Mapped(range(10_000), lambda n: f"r{n}"), [2] * 10_000, make)

    rows = ten_thousand()

    async def scenario(pilot: Pilot, rows: LineList) -> None:
        visible = rows.scrollable_content_region.height // 2 + 1
        assert rows.virtual_size.height == 20_000
        assert built and built <= set(range(visible)), "only the first screen's rows"
        rows.focus()
        await pilot.press("end")
        await pilot.pause()
        assert "row 9999" in "\n".join(shown(pilot))
        assert len(built) <= 2 * visible, "only the first screen and the last were built"
        assert max(built - set(range(visible))) == 9_999
        assert min(built - set(range(visible))) >= 10_000 - visible
        built.clear()
        rows.set_rows(ten_thousand())
        await pilot.pause()
        assert rows.highlighted_row.id == "r9999", "kept by id"
        assert min(built) >= 10_000 - visible and len(built) <= visible
        assert rows._ids is None, "no index of 10,000 ids made unasked"
        assert rows.index_of("r5000") == 5000 and rows.index_of("r10000") is None

    run(rows, scenario)


def test_rows_are_made_once_keep_their_ids_and_correct_an_estimated_height():
    calls = []

    def make(index: int) -> Row:
        calls.append(index)
        return Row("a", (Text("a"), Text("b")))

    rows = Rows(["a"], [2], make)
    assert len(rows) == 1 and not calls
    assert [line.plain for line in rows[0].lines] == ["a", "b"]
    assert rows[-1] is rows[0] and calls == [0], "made once, then kept"
    assert rows.corrected() is None, "as estimated: nothing moved"
    with pytest.raises(IndexError):
        rows[1]
    estimated = Rows(["x", "a"], [1, 3], lambda n: Row("x", (Text("x"),)) if n == 0 else make(n))
    estimated[0], estimated[1]
    assert estimated.heights == [1, 2] and estimated.corrected() == 1
    assert estimated.corrected() is None, "told once"
    with pytest.raises(ValueError, match="made as 'a' of 2 lines, not 'b'"):
        Rows(["b"], [2], make)[0]
    with pytest.raises(ValueError, match="at least one line"):
        Rows(["a"], [0], make)
    with pytest.raises(ValueError, match="1 ids, 2 heights"):
        Rows(["a"], [1, 1], make)


def test_estimated_heights_are_corrected_as_rows_show_and_the_highlight_stays_in_view():
    """Every row is estimated at one line; every third has three. Whatever the keys do,
    the rows in view are drawn whole and in order, and the highlighted one is seen."""

    def lines(n: int) -> tuple[str, ...]:
        return tuple(f"row {n} line {k}" for k in range(3 if n % 3 == 0 else 1))

    def make(n: int) -> Row:
        return row(f"r{n}", *lines(n))

    async def scenario(pilot: Pilot, listing: LineList) -> None:
        listing.set_rows(Rows([f"r{n}" for n in range(3_000)], [1] * 3_000, make))
        listing.focus()
        await pilot.pause()
        wheel = ("wheel",)
        moves = (("down",) * 12, ("pagedown",) * 3, ("end",), ("pageup",) * 2, ("home",), wheel)
        for keys in moves:
            if keys == wheel:  # the view moves, the highlight stays
                listing.scroll_to(y=1_500, animate=False, immediate=True)
            else:
                await pilot.press(*keys)
            await pilot.pause()
            screen = [line.rstrip() for line in shown(pilot)]
            index = listing.highlighted
            if keys != wheel:
                assert any(line.startswith(f"row {index} line") for line in screen), screen
            drawn = [line for line in screen if line]
            first = int(drawn[0].split()[1])
            expected = [text for n in range(first, 3_000) for text in lines(n)]
            start = expected.index(drawn[0])
            assert drawn == expected[start : start + len(drawn)], (keys, screen)
            made = listing.rows.heights
            assert listing.virtual_size.height == sum(made), "the scrollbar follows"
        assert listing.rows.heights.count(3) < 1_000, "only rows near what was shown were made"

    run([row("a", "A")], scenario, size=(40, 14))


def test_a_row_without_lines_is_refused():
    async def scenario(pilot: Pilot, listing: LineList) -> None:
        with pytest.raises(ValueError, match="at least one line"):
            listing.set_rows([row("a", "A"), Row("empty", ())])
        with pytest.raises(ValueError, match="at least one line"):
            listing.replace_row("a", ())
        assert [r.id for r in listing.rows] == ["a"], "the rows shown stay as they were"

    run([row("a", "A")], scenario)


def test_a_row_asked_for_before_the_rows_come_is_highlighted_when_they_do():
    """A list laid out once it has a size is asked to show a row before it has any."""

    async def scenario(pilot: Pilot, rows: LineList) -> None:
        rows.set_rows([])
        rows.highlight_id("c")
        rows.set_rows([row("a"), row("b"), row("c")])
        await pilot.pause()
        assert rows.highlighted == 2
        rows.set_rows([row("a"), row("b")])  # asked once: not again for later rows
        rows.set_rows([row("a"), row("b"), row("c")])
        assert rows.highlighted == 0

    run([row("a")], scenario)


def test_a_layout_that_leaves_the_list_alone_does_not_repaint_its_scroll_bar():
    """Laying the screen out again (a sibling's height changed) neither resizes the list
    nor repaints its scroll bar; a change of its rows or of its size still does both."""
    from textual.widgets import Static

    resized: list[int] = []

    class Counted(LineList):
        def _on_resize(self) -> None:
            resized.append(self.size.height)
            super()._on_resize()

    class Beside(App[None]):
        def compose(self) -> ComposeResult:
            yield Static("one", id="above")
            yield Counted([row(f"r{n}") for n in range(50)], id="list")

    async def main() -> None:
        app = Beside()
        async with app.run_test(size=(40, 12)) as pilot:
            await pilot.pause()
            listed = app.query_one(Counted)
            above = app.query_one("#above", Static)
            assert listed.show_vertical_scrollbar
            count = len(resized)
            bar = listed.vertical_scrollbar
            painted: list[int] = []
            repaint = bar.refresh
            bar.refresh = lambda *a, **k: painted.append(1) or repaint(*a, **k)  # type: ignore[method-assign]
            for _ in range(3):
                above.update("still one line")  # a layout of the screen, same sizes
                await pilot.pause()
            assert len(resized) == count and not painted
            listed.set_rows([row("only")])  # its lines now fit: the scroll bar goes
            await pilot.pause()
            assert not listed.show_vertical_scrollbar
            listed.set_rows([row(f"r{n}") for n in range(50)])
            await pilot.pause()
            assert listed.show_vertical_scrollbar
            above.update("two\nlines")  # the list is one line shorter: resized
            await pilot.pause()
            assert resized[-1] == listed.size.height and len(resized) > count

    asyncio.run(main())


def test_padding_that_changes_on_focus_changes_how_far_the_list_scrolls():
    """A style that pads the list more when focused leaves less room for its rows: it
    scrolls further, though neither its size nor its rows changed."""

    class Padded(LineList):
        DEFAULT_CSS = "Padded { height: 10; } Padded:focus { padding: 1 1; }"

    class Alone(App[None]):
        def compose(self) -> ComposeResult:
            yield Padded([row(f"r{n}") for n in range(30)], id="list")

    async def main() -> None:
        app = Alone()
        async with app.run_test(size=(40, 12)) as pilot:
            listed = app.query_one(Padded)
            listed.blur()
            await pilot.pause()
            before = listed.max_scroll_y
            listed.focus()
            await pilot.pause()
            assert listed.max_scroll_y == before + 2

    asyncio.run(main())
