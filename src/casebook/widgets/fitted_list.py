"""A LineList laid out for its width, and rows of a label with text wrapped beside it.

A row's height is known from its plain text when it fits one line, and estimated
otherwise; its styled lines, and so its exact height, are made only when the row is
drawn (see ``Rows``).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from rich.text import Text
from textual import events

from casebook.model.format.linebreak import cells, cells_once, wrap_offsets
from casebook.widgets.flow import NARROWEST
from casebook.widgets.line_list import LineList, Row, Rows

Layout = Callable[[int], Iterable[Row] | Rows]
"""The rows of a list for a width in cells."""


class FittedList(LineList):
    """A LineList whose rows ``layout(width)`` makes for its width, again when that changes.

    Its scrollbar's place is always kept, so that showing the scrollbar changes no width.
    """

    DEFAULT_CSS = """
    FittedList {
        scrollbar-gutter: stable;
        scrollbar-size-horizontal: 0;  /* never scrolled sideways: no row kept for its bar */
    }
    """

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self._layout: Layout = lambda _width: ()
        self._width = 0
        """The width the rows were laid out for (0: not yet)."""

    def lay_out(self, layout: Layout | None = None) -> None:
        """Lay the rows out again (with ``layout`` from now on, when given)."""
        if layout is not None:
            self._layout = layout
        self._width = self.scrollable_content_region.width
        if self._width:
            self.set_rows(self._layout(self._width))

    def on_resize(self, event: events.Resize) -> None:
        if self.scrollable_content_region.width != self._width:
            self.lay_out()


def _hang(label: int, width: int) -> int:
    """The indent of wrapped lines: the label's width while it leaves room (as in Flow)."""
    return label if width - label >= min(NARROWEST, width // 2) else 0


def hanging_height(label_cells: int, paragraphs: tuple[int, ...], width: int) -> int:
    """How many lines :func:`hanging_lines` makes of a label and a text this wide (in
    cells; the text's paragraphs by :func:`paragraph_cells`): exactly when each
    paragraph fits beside the label (most rows), else an estimate (see
    :func:`estimated_height`)."""
    return sum(estimated_height(label_cells, part, width) for part in paragraphs)


def paragraph_cells(text: str) -> tuple[int, ...]:
    """How wide each paragraph (line) of ``text`` is, in cells (a list measures every row
    once, thousands of them: see ``cells_once``)."""
    return tuple(map(cells_once, text.split("\n")))


def estimated_height(label_cells: int, text_cells: int, width: int) -> int:
    """How many lines a label and a paragraph of these widths make, wrapped at ``width``
    under the text: exact when it fits, else estimated from the cells, which the row
    corrects when it is made (finding where thousands of texts break is what a long
    list must not wait for)."""
    hang = _hang(label_cells, width)
    used = text_cells if hang else label_cells + text_cells
    return max(1, -(-used // (width - hang)))


def hanging_lines(label: Text, text: Text, width: int) -> list[Text]:
    """``label`` then ``text`` wrapped at ``width`` cells, wrapped lines indented under the
    text, not the label (the text runs on under the label when too little room is left)."""
    hang = _hang(cells(label.plain), width)
    if not hang:
        text = Text.assemble(label, text)
    lines = [text[start:end] for start, end in wrap_offsets(text.plain, width - hang)]
    if hang:
        indent = Text(" " * hang)
        lines = [Text.assemble(label if n == 0 else indent, line) for n, line in enumerate(lines)]
    return lines
