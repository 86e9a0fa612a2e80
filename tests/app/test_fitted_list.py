"""FittedList, its hanging rows and the Picker: laid out for the width, built when drawn."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable

import pytest
from rich.text import Text
from textual.app import App, ComposeResult
from textual.pilot import Pilot

from casebook.model.format.linebreak import cells
from casebook.widgets.fitted_list import FittedList, hanging_height, hanging_lines, paragraph_cells
from casebook.widgets.line_list import Row, Rows
from casebook.widgets.picker import Picker

TEXTS = [
    "Short",
    "A title long enough to wrap over two or three lines of a narrow list",
    "浙江众成 · 斥资190万美元，从意大利买回国内首条POF热收缩膜产线",
    "北京经开区47家企业入选工信部第四批国家级专精特新“小巨人”名单",
    "two\nparagraphs",
    "",
]


@pytest.mark.parametrize("width", [4, 9, 12, 20, 33, 80])
@pytest.mark.parametrize("text", TEXTS)
def test_the_height_is_exact_when_the_text_fits_and_wrapped_lines_hang_under_the_text(text, width):
    label = "  2022年 ┼ "
    lines = hanging_lines(Text(label), Text(text), width)
    height = hanging_height(cells(label), paragraph_cells(text), width)
    if len(lines) == 1:
        assert height == 1
    else:  # an estimate from its cells, which the row corrects when it is made
        assert height >= 1 and abs(height - len(lines)) <= 1 + len(lines) // 2
    assert "".join(line.plain for line in lines).replace(" ", "") == (label + text).replace(
        " ", ""
    ).replace("\n", "")
    if len(lines) > 1 and width >= 20:  # room beside the label: wrapped lines start under the text
        assert all(line.plain.startswith(" " * len(label)) for line in lines[1:]), lines


class Built:
    """Counts the rows whose lines were made."""

    def __init__(self) -> None:
        self.keys: list[int] = []

    def __call__(self, key: int, label: str, text: str) -> tuple[Text, Text]:
        self.keys.append(key)
        return Text(label), Text(text)


class ListApp(App[None]):
    def __init__(self, count: int) -> None:
        super().__init__()
        self.count = count
        self.built = Built()
        self.widths: list[int] = []
        self.ticked: list[list[str]] = []

    def compose(self) -> ComposeResult:
        yield Picker([("a", "Alpha"), ("b", "Beta Gamma Delta Epsilon")], {"b"}, id="picker")
        yield FittedList(id="list")

    def on_mount(self) -> None:
        self.query_one("#list", FittedList).lay_out(self.rows)

    def rows(self, width: int) -> Rows:
        self.widths.append(width)
        text = "an event told in words enough to wrap at forty cells or fewer"
        labels = [f"{n:>5} │ " for n in range(self.count)]

        def make(n: int) -> Row:
            return Row(str(n), hanging_lines(*self.built(n, labels[n], text), width))

        heights = [hanging_height(cells(label), paragraph_cells(text), width) for label in labels]
        return Rows([str(n) for n in range(self.count)], heights, make)

    def on_picker_changed(self, message: Picker.Changed) -> None:
        self.ticked.append(message.picker.selected)


def run(scenario: Callable[[Pilot, ListApp], Awaitable[None]], size: tuple[int, int]) -> None:
    app = ListApp(5000)

    async def main() -> None:
        async with app.run_test(size=size) as pilot:
            await pilot.pause()
            await asyncio.wait_for(scenario(pilot, app), 30)

    asyncio.run(main())


def test_only_the_rows_drawn_are_built_and_a_resize_lays_them_out_again():
    async def scenario(pilot: Pilot, app: ListApp) -> None:
        rows = app.query_one("#list", FittedList)
        assert rows.row_count == 5000
        width = rows.scrollable_content_region.width
        assert app.widths[-1] == width
        drawn = rows.scrollable_content_region.height
        assert 0 < len(app.built.keys) <= drawn, "a row has at least one line on screen"
        assert all(len(line.plain) <= width for line in rows.rows[0].lines)

        rows.focus()
        await pilot.press("pagedown", "pagedown")
        await pilot.pause()
        kept = rows.highlighted_row.id
        assert len(app.built.keys) <= 3 * drawn

        await pilot.resize_terminal(60, 20)
        await pilot.pause()
        assert app.widths[-1] == rows.scrollable_content_region.width != width
        assert rows.highlighted_row.id == kept, "the highlighted event stays"
        assert all(len(line.plain) <= app.widths[-1] for line in rows.highlighted_row.lines)
        assert len(app.built.keys) <= 6 * drawn

    run(scenario, (40, 20))


def test_the_picker_ticks_with_space_and_says_so():
    async def scenario(pilot: Pilot, app: ListApp) -> None:
        picker = app.query_one(Picker)
        assert picker.selected == ["b"]
        picker.focus()
        await pilot.press("space")
        await pilot.pause()
        assert picker.selected == ["a", "b"]
        assert picker.rows[0].lines[0].plain.startswith("[x] Alpha")
        await pilot.press("down", "space")
        await pilot.pause()
        assert app.ticked == [["a", "b"], ["a"]]
        assert picker.rows[1].lines[0].plain.startswith("[ ] Beta")
        picker.select("a")  # already ticked: nothing changes
        await pilot.pause()
        assert app.ticked == [["a", "b"], ["a"]]
        picker.tick_only({"b"})  # both change, said once
        picker.tick_only({"b"})
        await pilot.pause()
        assert app.ticked == [["a", "b"], ["a"], ["b"]]
        assert [row.lines[0].plain[:4] for row in picker.rows] == ["[ ] ", "[x] "]

    run(scenario, (40, 20))
