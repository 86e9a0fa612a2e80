"""A list of rows drawn a line at a time: its cost follows the rows shown, not the rows held.

The rows themselves (:class:`Row`, and :class:`Rows` made when drawn) are in
:mod:`casebook.widgets.rows`.
"""

from __future__ import annotations

from array import array
from bisect import bisect_right
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from itertools import accumulate
from typing import ClassVar

from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual import events
from textual.binding import Binding, BindingType
from textual.cache import LRUCache
from textual.geometry import Region, Size, Spacing
from textual.message import Message
from textual.reactive import reactive
from textual.scroll_view import ScrollView
from textual.strip import Strip

from casebook.widgets.rows import Row, Rows

__all__ = ["LineList", "Row", "Rows"]


class LineList(ScrollView, can_focus=True):
    """A navigable list of rows, for thousands of rows.

    Only the lines on screen are rendered, and with :class:`Rows` only the rows on
    screen are made; heights are given, so filling the list measures nothing. A
    height given may be an estimate: the rows about to be shown are made first, and
    what they correct moves the rows after them, never those in view above them. Rows
    with ``disabled`` (group headers) are shown but skipped by the cursor and never
    selected.
    """

    ALLOW_SELECT = False
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("up", "cursor_up", "Up", show=False),
        Binding("down", "cursor_down", "Down", show=False),
        Binding("pageup", "page_up", "Page up", show=False),
        Binding("pagedown", "page_down", "Page down", show=False),
        Binding("home", "first", "First", show=False),
        Binding("end", "last", "Last", show=False),
        Binding("enter", "select", "Select", show=False),
    ]

    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "line-list--row",
        "line-list--highlighted",
        "line-list--disabled",
        "line-list--hover",
    }
    """
    | Class | Description |
    | :- | :- |
    | `line-list--row` | Every row (the base of the others). |
    | `line-list--highlighted` | The highlighted row. |
    | `line-list--disabled` | Rows the cursor skips (group headers). |
    | `line-list--hover` | The row under the mouse. |
    """

    DEFAULT_CSS = """
    LineList {
        height: auto;
        max-height: 100%;
        color: $foreground;
        overflow-x: hidden;
        border: tall $border-blurred;
        padding: 0 1;
        background: $surface;
        & > .line-list--highlighted {
            color: $foreground;
            background: $block-cursor-blurred-background;
            text-style: $block-cursor-blurred-text-style;
        }
        &:focus {
            border: tall $border;
            background-tint: $foreground 5%;
            & > .line-list--highlighted {
                color: $block-cursor-foreground;
                background: $block-cursor-background;
                text-style: $block-cursor-text-style;
            }
        }
        & > .line-list--disabled {
            color: $text-disabled;
        }
        & > .line-list--hover {
            background: $block-hover-background;
        }
    }
    """

    highlighted: reactive[int | None] = reactive(None)
    """The index of the highlighted row, or None when the list is empty."""

    @dataclass
    class RowMessage(Message):
        """A message about one row."""

        line_list: LineList
        """The list that sent it."""
        row_id: str | None
        """The row's id."""
        index: int
        """The row's index."""

        @property
        def control(self) -> LineList:
            return self.line_list

    class Highlighted(RowMessage):
        """The highlight moved to an enabled row."""

    class Selected(RowMessage):
        """A row was chosen (enter or a click)."""

    def __init__(
        self,
        rows: Iterable[Row] | Rows = (),
        *,
        name: str | None = None,
        id: str | None = None,
        classes: str | None = None,
        disabled: bool = False,
    ) -> None:
        super().__init__(name=name, id=id, classes=classes, disabled=disabled)
        self._rows = Rows.of(())
        self._starts = array("L", [0])
        """Where each row starts, in lines; the last item is the total height (an array:
        thousands of rows, thousands of numbers, not of objects)."""
        self._ids: dict[str, int] | None = None
        """Each row's index by its id, made when first looked up (see ``_index``)."""
        self._hover: int | None = None
        self._wanted: str | None = None
        """A row asked to be highlighted before it was listed (see ``highlight_id``)."""
        self._strips: LRUCache[tuple[Row, int, Style, int], Strip] = LRUCache(1024)
        self._laid_out = (Size(), Size(), Spacing())
        """The size, virtual size and gutter at the last layout that changed one of them."""
        self.set_rows(rows)

    # -- the rows ------------------------------------------------------------

    @property
    def rows(self) -> Sequence[Row]:
        """The rows, top to bottom."""
        return self._rows

    @property
    def row_count(self) -> int:
        """How many rows there are."""
        return len(self._rows)

    @property
    def highlighted_row(self) -> Row | None:
        """The highlighted row, or None when the list is empty."""
        return self._rows[self.highlighted] if self.highlighted is not None else None

    def index_of(self, row_id: str) -> int | None:
        """The index of the row ``row_id``, or None when it is not listed."""
        if self._ids is None:  # not made with the rows: a long list may never need it
            self._ids = {row: n for n, row in enumerate(self._rows.ids) if row is not None}
        return self._ids.get(row_id)

    def set_rows(self, rows: Iterable[Row] | Rows) -> None:
        """Show ``rows``, keeping the highlighted row when its id is still there."""
        kept, at = self.highlighted_row, self.highlighted
        self._rows = rows if isinstance(rows, Rows) else Rows.of(rows)
        self._rows.corrected()  # the starts follow the heights as they are now
        self._ids = None
        self._starts = array("L", accumulate(self._rows.heights, initial=0))
        self._hover = None
        self._resize_virtual()
        wanted = self._wanted or (kept.id if kept is not None else None)
        ids = self._rows.ids
        if wanted is not None and at is not None and at < len(ids) and ids[at] == wanted:
            index: int | None = at  # where it was (the same rows, laid out again)
        else:
            index = self.index_of(wanted) if wanted is not None else None
        if self._rows:
            self._wanted = None
        if index is None:
            index = self._enabled_from(0, 1)
        self.set_reactive(LineList.highlighted, index)
        self.refresh()
        self._announce()

    def replace_row(self, row_id: str, lines: Sequence[Text]) -> None:
        """Give the row ``row_id`` new lines; only that row is redrawn when its height stays."""
        if not lines:
            raise ValueError("a row has at least one line")
        index = self.index_of(row_id)
        if index is None:
            raise KeyError(row_id)
        old = self._rows[index]
        self._rows.replace(index, Row(old.id, tuple(lines), old.disabled))
        if self._follow_heights():
            self._resize_virtual()
            self.refresh()
        else:
            self._refresh_row(index)

    def highlight_id(self, row_id: str) -> None:
        """Highlight the row ``row_id`` when it is listed; asked before any row is (a
        list laid out once it has a size), when the rows come."""
        index = self.index_of(row_id)
        if index is not None:
            self.highlighted = index
        elif not self._rows:
            self._wanted = row_id

    def _follow_heights(self) -> bool:
        """Move the rows after those whose heights were corrected; True when any moved."""
        first = self._rows.corrected()
        if first is None:
            return False
        moved = accumulate(self._rows.heights[first:], initial=self._starts[first])
        self._starts[first:] = array("L", moved)
        return True

    def _make_rows(self, index: int, lines: int, step: int) -> None:
        """Make the rows from ``index`` (included) going ``step`` (1 or -1) until they
        hold ``lines`` lines, so that their heights are their own, not estimates."""
        rows = self._rows
        while lines > 0 and 0 <= index < len(rows):
            lines -= len(rows[index].lines)
            index += step

    def _resize_virtual(self) -> None:
        size = Size(0, self._starts[-1])
        if size != self.virtual_size:
            self.virtual_size = size  # laid out again: the scrollbar and an auto height follow

    def _row_at(self, line: int) -> int | None:
        """The index of the row drawn on ``line`` (of the whole list), if any."""
        if 0 <= line < self._starts[-1]:
            return bisect_right(self._starts, line) - 1
        return None

    def _refresh_row(self, index: int | None) -> None:
        if index is not None and index < len(self._rows):
            start = self._starts[index]
            self.refresh_lines(start, self._starts[index + 1] - start)

    # -- drawing -------------------------------------------------------------

    def get_content_width(self, container: Size, viewport: Size) -> int:
        """As wide as it may be: measuring the rows would cost what this widget saves."""
        return container.width

    def render_lines(self, crop: Region) -> list[Strip]:
        top = self._row_at(self.scroll_offset.y)
        if top is not None:  # make the rows in view: they move nothing above them
            height = self.scrollable_content_region.height
            self._make_rows(top, self.scroll_offset.y - self._starts[top] + height, 1)
            if self._follow_heights():
                self.refresh()  # what was drawn below a corrected row has moved
                self.call_later(self._resize_virtual)  # not while the screen is drawn
        return super().render_lines(crop)

    def render_line(self, y: int) -> Strip:
        width = self.scrollable_content_region.width
        line = y + self.scroll_offset.y
        index = self._row_at(line)
        if index is None:
            return Strip.blank(width, self.get_visual_style("line-list--row").rich_style)
        row = self._rows[index]
        if row.disabled:
            state = ("line-list--disabled",)
        elif index == self.highlighted:
            state = ("line-list--highlighted",)
        elif index == self._hover:
            state = ("line-list--hover",)
        else:
            state = ()
        style = self.get_visual_style("line-list--row", *state).rich_style
        key = (row, line - self._starts[index], style, width)
        strip = self._strips.get(key)
        if strip is None:
            strip = self._render_text(row.lines[key[1]], style, width)
            self._strips[key] = strip
        return strip

    def _render_text(self, text: Text, style: Style, width: int) -> Strip:
        """One line of a row, cut with an ellipsis to ``width`` and padded to it."""
        if text.cell_len > width:
            text = text.copy()
            text.truncate(width, overflow="ellipsis")
        console = self.app.console
        base = style + console.get_style(text.style)  # Text.render leaves it out without spans
        segments = list(Segment.apply_style(text.render(console), base))
        if text.cell_len < width:
            segments.append(Segment(" " * (width - text.cell_len), style))
        return Strip(Segment.simplify(segments), width)

    # -- the highlight -------------------------------------------------------

    def validate_highlighted(self, index: int | None) -> int | None:
        if index is None or not self._rows:
            return None
        return min(max(index, 0), len(self._rows) - 1)

    def watch_highlighted(self, old: int | None, new: int | None) -> None:
        self._refresh_row(old)
        self._refresh_row(new)
        self._announce()

    def _announce(self) -> None:
        """Bring the highlighted row into view and say which it is."""
        index = self.highlighted
        if index is None or not self.is_mounted:
            return
        self.scroll_to_highlight()
        row = self._rows[index]
        if not row.disabled:
            self.post_message(self.Highlighted(self, row.id, index))

    def scroll_to_highlight(self) -> None:
        """Scroll the least needed to show the highlighted row and the headers right above it."""
        index = self.highlighted
        if index is None or not self.is_mounted:
            return
        first = index
        while first > 0 and self._rows[first - 1].disabled:
            first -= 1
        height = self.scrollable_content_region.height
        self._make_rows(first - 1, height, -1)  # all that may show above it, and below
        self._make_rows(first, height + self._starts[index + 1] - self._starts[first], 1)
        if self._follow_heights():
            self._resize_virtual()
            self.refresh()
        top = self._starts[first]
        region = Region(0, top, self.scrollable_content_region.width, self._starts[index + 1] - top)
        self.scroll_to_region(region, animate=False, force=True, immediate=True)

    def _size_updated(
        self, size: Size, virtual_size: Size, container_size: Size, layout: bool = True
    ) -> bool:
        """Only a change of the list's size, of its lines' height or of its border and
        padding is one. Textual's
        ScrollView compares the layout's virtual size (the widget's region) with the
        list's (its lines), which always differ, so every layout of the screen, a pane
        switch included, repainted the scroll bars in a pass of their own and sent a
        resize (2–3 ms a layout here)."""
        laid_out = (size, self.virtual_size, self.styles.gutter)
        if laid_out == self._laid_out:
            return False
        self._laid_out = laid_out
        return super()._size_updated(size, virtual_size, container_size, layout)

    def _on_resize(self) -> None:
        self.scroll_to_highlight()

    def on_show(self) -> None:
        self.scroll_to_highlight()

    def _enabled_from(self, start: int, step: int) -> int | None:
        """The first enabled row from ``start`` (included) going ``step`` (1 or -1)."""
        rows = self._rows
        index = start
        while 0 <= index < len(rows):
            if not rows[index].disabled:
                return index
            index += step
        return None

    def _move_to(self, start: int, step: int) -> None:
        """Highlight the first enabled row from ``start`` going ``step``, else the nearest back."""
        start = min(max(start, 0), len(self._rows) - 1)
        index = self._enabled_from(start, step)
        if index is None:
            index = self._enabled_from(start, -step)
        if index is not None:
            self.highlighted = index

    # -- keys and mouse ------------------------------------------------------

    def action_cursor_up(self) -> None:
        """Highlight the enabled row above."""
        if self.highlighted is None:
            self.action_first()
        elif (index := self._enabled_from(self.highlighted - 1, -1)) is not None:
            self.highlighted = index

    def action_cursor_down(self) -> None:
        """Highlight the enabled row below."""
        if self.highlighted is None:
            self.action_first()
        elif (index := self._enabled_from(self.highlighted + 1, 1)) is not None:
            self.highlighted = index

    def action_first(self) -> None:
        self._move_to(0, 1)

    def action_last(self) -> None:
        self._move_to(len(self._rows) - 1, -1)

    def _move_page(self, step: int) -> None:
        if self.highlighted is None:
            self.action_first()
            return
        line = self._starts[self.highlighted] + step * self.scrollable_content_region.height
        target = self._row_at(min(max(line, 0), self._starts[-1] - 1))
        if target is not None:
            self._move_to(target, step)

    def action_page_up(self) -> None:
        self._move_page(-1)

    def action_page_down(self) -> None:
        self._move_page(1)

    def action_select(self) -> None:
        """Select the highlighted row (posts Selected)."""
        index = self.highlighted
        if index is not None and not self._rows[index].disabled:
            self.post_message(self.Selected(self, self._rows[index].id, index))

    def _event_row(self, event: events.MouseEvent) -> int | None:
        offset = event.get_content_offset(self)
        return None if offset is None else self._row_at(offset.y + self.scroll_offset.y)

    async def _on_click(self, event: events.Click) -> None:
        index = self._event_row(event)
        if index is not None and not self._rows[index].disabled:
            self.highlighted = index
            self.action_select()

    def _on_mouse_move(self, event: events.MouseMove) -> None:
        self._set_hover(self._event_row(event))

    def _on_leave(self, event: events.Leave) -> None:
        self._set_hover(None)

    def _set_hover(self, index: int | None) -> None:
        if index != self._hover:
            self._refresh_row(self._hover)
            self._hover = index
            self._refresh_row(index)
