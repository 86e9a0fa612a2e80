"""Columns: cells side by side, as a table with a rule under its header, laid out by
casebook's line breaker.

Rich's ``Table`` measures every cell, then renders and pads each one segment by
segment: for the comparison of four cases it cost about as much again as wrapping
their text (measured: 6.5 ms to lay the cells out, about 7 ms more for the table).
"""

from __future__ import annotations

from collections.abc import Sequence

from rich.text import Text

from casebook.model.format.linebreak import cells
from casebook.widgets.flow import Flow
from casebook.widgets.line_block import LineGroup, MadeWhenDrawn

Cell = Sequence[Flow]
"""A cell's paragraphs, one under the other (a bulleted line each, say)."""

PAD = 1
"""Cells on each side of a column's text, as a table pads it."""


class Columns:
    """``rows`` of cells under a ``header``, a column for each: the first as wide as its
    widest line (at most a third of the width, or all of it with ``keep_first``, for
    dates), the others sharing the rest. A blank line above and below, a rule under the
    header; with ``spaced``, a blank line between rows. Laid out once per width."""

    def __init__(
        self,
        header: Sequence[Flow],
        rows: Sequence[Sequence[Cell]],
        *,
        spaced: bool = False,
        keep_first: bool = False,
    ) -> None:
        self.header = header
        self.rows = rows
        self.spaced = spaced
        self.keep_first = keep_first
        self._laid_out: tuple[int, MadeWhenDrawn] = (-1, MadeWhenDrawn([]))

    def widths(self, width: int) -> list[int]:
        """The width of each column's text at ``width`` cells."""
        count = len(self.header)
        room = max(count, width - 2 * PAD * count)
        firsts = [self.header[0], *(flow for row in self.rows for flow in row[0])]
        first = max(cells(part) for flow in firsts for part in flow.text.plain.split("\n"))
        if not self.keep_first:
            first = min(first, room // 3)
        first = max(1, min(first, room - (count - 1)))
        columns = [
            [self.header[index], *(flow for row in self.rows for flow in row[index])]
            for index in range(1, count)
        ]
        return [first, *_shared(room - first, columns)]

    def lines(self, width: int) -> MadeWhenDrawn:
        """The lines at ``width`` cells, none wider: every cell measured now (a row is as
        tall as its tallest cell), a row's cells drawn and put side by side when drawn."""
        if self._laid_out[0] != width:
            widths = self.widths(width)
            blank: list[Text] = [Text()]
            groups: list[LineGroup] = [(1, lambda: blank)]
            groups.append(_row([[flow] for flow in self.header], widths))
            rule = [Text.styled("─" * width, "dim")]  # a span: drawn by Text.render
            groups.append((1, lambda: rule))
            for number, row in enumerate(self.rows):
                if number and self.spaced:
                    groups.append((1, lambda: blank))
                groups.append(_row(row, widths))
            groups.append((1, lambda: blank))
            self._laid_out = (width, MadeWhenDrawn(groups))
        return self._laid_out[1]

    def height(self, width: int) -> int:
        """How many lines :meth:`lines` makes at ``width`` cells."""
        return len(self.lines(width))


def _shared(room: int, columns: Sequence[Sequence[Flow]]) -> list[int]:
    """``room`` cells shared by ``columns`` as a browser shares a table's width: each
    column asks for its longest word (see :func:`_wanted`); those asking no more than an
    even share of what is left get it, the others share the rest evenly; room to spare
    then widens the narrowest columns first. With room for every word, none is cut;
    without, the columns with the shortest words keep them whole."""
    if not columns:
        return []
    share = max(1, room // len(columns))
    wanted = [max(1, *(_wanted(flow, share) for flow in column)) for column in columns]
    widths = [0] * len(columns)
    left, open_ = room, sorted(range(len(columns)), key=wanted.__getitem__)
    while open_ and wanted[open_[0]] <= left // len(open_):
        index = open_.pop(0)
        widths[index] = wanted[index]
        left -= wanted[index]
    if open_:  # words too wide for their share: these columns split what is left
        even, extra = divmod(left, len(open_))
        for number, index in enumerate(sorted(open_)):
            widths[index] = even + (1 if number < extra else 0)
        return widths
    level = min(widths)  # every word fits: the narrowest columns take the rest first,
    while sum(max(found, level + 1) for found in widths) <= room:  # up to one level
        level += 1
    widths = [max(found, level) for found in widths]
    at_level = [index for index, found in enumerate(widths) if found == level]
    for index in at_level[: room - sum(widths)]:  # and the cells left over, one each
        widths[index] += 1
    return widths


def _wanted(flow: Flow, share: int) -> int:
    """The cells ``flow`` asks of its column: all of them when it fits an equal share
    (as no narrower: measuring its words is slower), else its longest unbreakable unit."""
    widest = flow.widest()
    return widest if widest <= share else flow.span()[0]


def _row(row: Sequence[Cell], widths: list[int]) -> LineGroup:
    """One row: its height (each cell's paragraphs measured at its column's width), and
    how to make its lines (the cells' lines side by side) when it is drawn."""
    placed = list(zip(row, widths, strict=True))
    height = max(1, *(sum(flow.height(width) for flow in cell) for cell, width in placed))

    def lines() -> list[Text]:
        columns = [[line for flow in cell for line in flow.lines(width)] for cell, width in placed]
        return side_by_side(columns, widths, gap=" " * 2 * PAD, indent=" " * PAD)

    return height, lines


def side_by_side(
    columns: Sequence[Sequence[Text]], widths: Sequence[int], *, gap: str, indent: str = ""
) -> list[Text]:
    """Columns of lines next to each other, each padded to its width, ``gap`` between
    two and ``indent`` before the first (spaces at the end of a line left out)."""
    lines = []
    for number in range(max(1, *(len(column) for column in columns))):
        line = Text(indent)
        for index, (column, width) in enumerate(zip(columns, widths, strict=True)):
            if index:
                line.append(gap)
            part = column[number] if number < len(column) else Text()
            line.append_text(part)
            line.append(" " * (width - part.cell_len))
        line.rstrip()
        lines.append(line)
    return lines
