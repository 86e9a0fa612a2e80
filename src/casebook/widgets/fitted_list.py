"""A LineList laid out for its width, and rows of a label with text wrapped beside it.

A row's line count comes from where its plain text breaks, which costs little for a
line that fits; its styled lines are made only when the row is drawn (see ``Rows``).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from functools import lru_cache

from rich.text import Text
from textual import events

from casebook.model.format.linebreak import cells, wrap_offsets
from casebook.widgets.flow import NARROWEST
from casebook.widgets.line_list import LineList, Row, Rows

COUNTS_KEPT = 32_768
"""How many rows' line counts are kept (a few lists of thousands of rows)."""

Layout = Callable[[int], Iterable[Row] | Rows]
"""The rows of a list for a width in cells."""


class FittedList(LineList):
    """A LineList whose rows ``layout(width)`` makes for its width, again when that changes.

    Its scrollbar's place is always kept, so that showing the scrollbar changes no width.
    """

    DEFAULT_CSS = """
    FittedList {
        scrollbar-gutter: stable;
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


@lru_cache(maxsize=COUNTS_KEPT)
def hanging_count(label: str, text: str, width: int) -> int:
    """How many lines :func:`hanging_lines` makes of the plain ``label`` and ``text``
    (kept: a list laid out again, or made again, counts only what changed)."""
    hang = _hang(cells(label), width)
    room = width - hang
    if hang and "\n" not in text and (2 * len(text) <= room or cells(text) <= room):
        return 1  # no need to look for where it breaks (a character is at most 2 cells)
    return len(wrap_offsets(text if hang else label + text, width - hang))


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
