"""LineView: a block's lines in a view that scrolls, laid out once per width."""

from __future__ import annotations

import asyncio

from rich.console import Group
from rich.text import Text
from textual.app import App, ComposeResult

from casebook.widgets.line_block import LineView

LINES = [f"line {number} " + "word " * (number % 5) for number in range(100)]


class ViewApp(App[None]):
    CSS = "LineView { height: 1fr; padding: 0 1; }"

    def __init__(self) -> None:
        super().__init__()
        self.widths: list[int] = []

    def compose(self) -> ComposeResult:
        yield CountingView(Group(*map(Text, LINES)))


class CountingView(LineView):
    def lay_out(self, width: int):
        self.app.widths.append(width)  # type: ignore[attr-defined]
        return super().lay_out(width)


def shown(view: LineView) -> list[str]:
    return [view.render_line(y).text.rstrip() for y in range(view.scrollable_content_region.height)]


def test_it_is_laid_out_once_per_width_and_scrolls_to_its_last_line() -> None:
    async def run() -> None:
        app = ViewApp()
        async with app.run_test(size=(40, 10)) as pilot:
            view = app.query_one(LineView)
            await pilot.pause()
            content = view.scrollable_content_region
            assert content.width == 40 - 2 - view.styles.scrollbar_size_vertical  # padding, bar
            assert app.widths == [content.width], "laid out once, at the width it is drawn"
            assert view.virtual_size.height == 100
            assert shown(view)[0] == "line 0"
            view.focus()
            await pilot.press("end")
            await pilot.pause()
            assert view.scroll_offset.y == 100 - content.height
            assert shown(view)[-1] == LINES[-1].rstrip()

            await pilot.resize_terminal(16, 10)  # narrower: wrapped lines, a taller view
            await pilot.pause()
            narrow = view.scrollable_content_region.width
            assert app.widths == [content.width, narrow]
            assert view.virtual_size.height > 100
            assert all(len(line) <= narrow for line in shown(view))

            view.update(Text("one line"))
            await pilot.pause()
            assert view.virtual_size.height == 1
            assert shown(view)[0] == "one line"

    asyncio.run(run())
