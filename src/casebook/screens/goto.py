"""Jumping in a presentation: by slide number, or from a grid of every slide; and the
small dialog that asks a number (a slide, the class length)."""

from __future__ import annotations

from bisect import bisect_right

from rich.segment import Segment
from rich.text import Text
from textual import events
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.geometry import Region, Size
from textual.message import Message
from textual.screen import ModalScreen
from textual.scroll_view import ScrollView
from textual.strip import Strip
from textual.widgets import Input, Static

from casebook.model.format.text import Lang
from casebook.model.format.words import t
from casebook.screens.dialog import ClickOutsideCloses
from casebook.screens.off_screen import Kept
from casebook.widgets.flow import Flow
from casebook.widgets.render import plain


class NumberDialog(ClickOutsideCloses, ModalScreen[int | None]):
    """Type a whole number from ``low`` to ``high`` and press enter; escape cancels.

    A number out of range is refused where it was typed, with ``refusal`` saying why;
    the dialog stays open to correct it. Enter on nothing gives ``empty``."""

    CSS_PATH = "present.tcss"

    BINDINGS = [Binding("escape", "cancel", "Cancel")]

    def __init__(
        self,
        prompt: str,
        low: int,
        high: int,
        refusal: str,
        lang: Lang,
        *,
        empty: int | None = None,
    ) -> None:
        super().__init__()
        self.prompt = prompt
        self.low, self.high = low, high
        self.refusal = refusal
        self.lang = lang
        self.empty = empty

    def compose(self) -> ComposeResult:
        with Vertical(id="goto-box"):
            yield Static(Text(self.prompt))
            yield Input(type="integer", id="goto-number")
            yield Static(id="goto-error")

    def on_input_submitted(self, message: Input.Submitted) -> None:
        value = message.value.strip()
        if not value:
            self.dismiss(self.empty)
            return
        try:
            number = int(value)
        except ValueError:
            self._refuse(t("not_a_number", self.lang))
            return
        if not self.low <= number <= self.high:
            self._refuse(self.refusal.format(number=number))
            return
        self.dismiss(number)

    def _refuse(self, why: str) -> None:
        self.app.bell()
        error = self.query_one("#goto-error", Static)
        error.update(Text(why, style="bold"))
        error.display = True

    def action_cancel(self) -> None:
        self.dismiss(None)


class GotoScreen(NumberDialog):
    """Type a slide number and press enter: a number with no slide is refused, never
    taken as the nearest one."""

    def __init__(self, slides: int, lang: Lang) -> None:
        refusal = t("no_such_slide", lang, number="{number}", n=slides)
        super().__init__(t("slide_number", lang, n=slides), 1, slides, refusal, lang)


class SlideCells(ScrollView):
    """Every page title of a deck as a cell of a grid, drawn by this one widget: as many
    columns of at least ``MIN_COLUMN`` cells as fit, a row as tall as its tallest title;
    the ``current`` slide marked, the ``picked`` one highlighted."""

    MIN_COLUMN = 24

    COMPONENT_CLASSES = {"slide-cells--current", "slide-cells--picked"}

    DEFAULT_CSS = """
    SlideCells > .slide-cells--current { color: $primary; text-style: bold underline; }
    SlideCells > .slide-cells--picked { background: $primary; color: $text; }
    """

    def __init__(self, titles: list[str], current: int, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.titles = titles
        self.current = current
        self.picked = current
        self._width = 0
        self._columns = 1
        self._flows = [
            Flow(plain(title), Text(f"{number}. ", style="bold"))
            for number, title in enumerate(titles, start=1)
        ]
        """Each cell's title under its number: measured for the layout, drawn in view."""
        self._row_tops: list[int] = [0]
        """Where each row starts, and (last) where the grid ends."""

    @property
    def columns(self) -> int:
        """How many slides a row holds, as laid out now."""
        self._lay_out()
        return self._columns

    def _lay_out(self) -> None:
        """Measure every title at the columns the widget's width holds (once per width):
        a title's lines are made when its row is drawn."""
        width = self.scrollable_content_region.width
        if width == self._width or width <= 0:
            return
        self._width = width
        self._columns = columns = max(1, min(len(self.titles), width // self.MIN_COLUMN))
        heights = [
            flow.height(self._text_width(index % columns)) for index, flow in enumerate(self._flows)
        ]
        tops = [0]
        for row in range(0, len(heights), columns):
            tops.append(tops[-1] + max(heights[row : row + columns]))
        self._row_tops = tops
        self.virtual_size = Size(width, tops[-1])

    def _cell_width(self, column: int) -> int:
        """The width of ``column``: the width shared out, the first ones a cell wider."""
        base, extra = divmod(self._width, self._columns)
        return base + (column < extra)

    def _text_width(self, column: int) -> int:
        """The width of a title in ``column``: its cell less a space each side."""
        return self._cell_width(column) - 2

    def cell_region(self, number: int) -> Region:
        """Where slide ``number``'s cell is in the whole grid (scrolled into view or not)."""
        self._lay_out()
        row, column = divmod(number - 1, self._columns)
        x = sum(self._cell_width(c) for c in range(column))
        top = self._row_tops[row]
        return Region(x, top, self._cell_width(column), self._row_tops[row + 1] - top)

    def number_at(self, x: int, y: int) -> int | None:
        """The slide whose cell holds grid cell (``x``, ``y``), if any."""
        self._lay_out()
        row = bisect_right(self._row_tops, y) - 1
        if not 0 <= row < len(self._row_tops) - 1:
            return None
        for column in range(self._columns):
            x -= self._cell_width(column)
            if x < 0:
                number = row * self._columns + column + 1
                return number if number <= len(self.titles) else None
        return None

    def pick(self, number: int) -> None:
        """Highlight slide ``number`` and scroll it into view."""
        self.picked = number
        self.scroll_to_region(self.cell_region(number), animate=False, immediate=True)
        self.refresh()

    def on_resize(self) -> None:
        self._lay_out()

    def render_line(self, y: int) -> Strip:
        self._lay_out()
        base = self.get_visual_style().rich_style  # kept by Textual, unlike rich_style
        width = self.scrollable_content_region.width
        y += self.scroll_offset.y
        row = bisect_right(self._row_tops, y) - 1
        if not 0 <= row < len(self._row_tops) - 1:
            return Strip.blank(width, base)
        console = self.app.console
        at = y - self._row_tops[row]
        first = row * self._columns
        segments: list[Segment] = []
        drawn = 0  # cells
        for column, flow in enumerate(self._flows[first : first + self._columns]):
            number = first + column + 1
            style = base
            if number == self.current:
                style += self.get_component_rich_style("slide-cells--current", partial=True)
            if number == self.picked:
                style += self.get_component_rich_style("slide-cells--picked", partial=True)
            lines = flow.lines(self._text_width(column))
            text = lines[at] if at < len(lines) else Text()
            cell = self._cell_width(column)
            segments.append(Segment(" ", style))
            segments += Segment.apply_style(text.render(console), style)
            segments.append(Segment(" " * (cell - 1 - text.cell_len), style))
            drawn += cell
        strip = Strip(segments, drawn)
        return strip.crop_extend(0, width, base)

    def on_click(self, event: events.Click) -> None:
        offset = event.get_content_offset(self)
        if offset is None:
            return
        number = self.number_at(offset.x + self.scroll_offset.x, offset.y + self.scroll_offset.y)
        if number is not None:
            event.stop()
            self.post_message(self.Chosen(number))

    class Chosen(Message):
        """A slide's cell was clicked."""

        def __init__(self, number: int) -> None:
            super().__init__()
            self.number = number


class SlideGrid(Kept, ClickOutsideCloses, ModalScreen[int | None]):
    """Every slide (every page of a slide split to fit) in a grid, by its ``titles``;
    pick one to jump there (by its number, 1-based).

    The arrows move in two dimensions (up and down by a row), home and end go to the
    first and last slide, enter opens the one picked, a click opens the one clicked."""

    CSS_PATH = "present.tcss"

    BINDINGS = [
        Binding("escape,o", "cancel", "Cancel"),
        # Before the scrolling grid's own arrows, home and end (which scroll it).
        Binding("right,tab", "move(1, 0)", "Next", show=False, priority=True),
        Binding("left,shift+tab", "move(-1, 0)", "Previous", show=False, priority=True),
        Binding("down", "move(0, 1)", "Row below", show=False, priority=True),
        Binding("up", "move(0, -1)", "Row above", show=False, priority=True),
        Binding("home", "pick(1)", "First", show=False, priority=True),
        Binding("end", "pick(0)", "Last", show=False, priority=True),
        Binding("enter,space", "open", "Open", show=False, priority=True),
    ]

    def __init__(self, titles: list[str]) -> None:
        super().__init__()
        self.titles = titles
        self.cells = SlideCells(titles, 1, id="slide-grid")
        """The cells; the slide marked and picked set by :meth:`open_at`."""

    @property
    def picked(self) -> int:
        """The slide picked (highlighted)."""
        return self.cells.picked

    def compose(self) -> ComposeResult:
        yield self.cells

    def open_at(self, current: int) -> None:
        """Mark slide ``current`` and pick it, for the grid's next opening (a grid kept
        for its titles, and built ahead: see ``PresentScreen``)."""
        self.cells.current = self.cells.picked = current
        self.cells.refresh()

    def on_screen_resume(self) -> None:
        self.cells.focus()
        self.call_after_refresh(self.cells.pick, self.cells.picked)

    def columns(self) -> int:
        """How many slides a row of the grid holds, as it is laid out now."""
        return self.cells.columns

    def action_move(self, across: int, down: int) -> None:
        """Move the pick ``across`` slides, or ``down`` rows (to the last slide when the
        row below stops short of the column)."""
        total = len(self.titles)
        number = self.picked
        columns = self.columns()
        if across:
            target = number + across
        else:
            target = number + down * columns
            if down > 0 and target > total and (number - 1) // columns < (total - 1) // columns:
                target = total  # a shorter last row: its last slide
        if 1 <= target <= total:
            self.action_pick(target)

    def action_pick(self, number: int) -> None:
        """Pick slide ``number`` (0: the last)."""
        self.cells.pick(number or len(self.titles))

    def action_open(self) -> None:
        """Open the slide picked."""
        self.dismiss(self.picked)

    def on_slide_cells_chosen(self, message: SlideCells.Chosen) -> None:
        self.dismiss(message.number)

    def action_cancel(self) -> None:
        self.dismiss(None)
