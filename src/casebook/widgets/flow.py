"""Flow: Rich text wrapped by casebook's line breaker, with an optional hanging label."""

from __future__ import annotations

from itertools import pairwise

from rich.console import Console, ConsoleOptions, RenderResult
from rich.measure import Measurement
from rich.segment import Segment
from rich.text import Text

from casebook.model.format.linebreak import cells, opportunities, wrap_offsets

NARROWEST = 8
"""Fewer cells than this beside a label, and the text runs on under the label instead."""


class Flow:
    """``text`` wrapped to the width it is given; with ``label``, the label starts the first
    line and wrapped lines are indented under the text, not under the label.

    Neither is changed once given: the lines last drawn, and the measure, are kept."""

    def __init__(self, text: Text, label: Text | None = None) -> None:
        self.text = text
        self.label = label
        self._drawn: tuple[int, list[Text]] = (0, [])
        """The lines last drawn and their width: a layout measures a height, then draws."""
        self._offsets: tuple[int, tuple[int, Text, list[tuple[int, int]]]] = (0, (0, text, []))
        """The last width wrapped at, with what :meth:`_wrapped` worked out for it."""
        self._span: tuple[int, int] | None = None
        """The narrowest and widest this can be drawn, once worked out."""

    def _hang(self, width: int) -> int:
        """The indent of wrapped lines at ``width``: the label's width while it leaves room."""
        hang = self._label_cells()
        return hang if width - hang >= min(NARROWEST, width // 2) else 0

    def _wrapped(self, width: int) -> tuple[int, Text, list[tuple[int, int]]]:
        """The hang, the text wrapped (the label in it when not hung) and its lines'
        offsets at ``width``: worked out once per width, for a height and then lines."""
        if self._offsets[0] != width:
            hang = self._hang(width)
            text = self.text
            if self.label is not None and not hang:
                text = Text.assemble(self.label, self.text)
            self._offsets = (width, (hang, text, wrap_offsets(text.plain, width - hang)))
        return self._offsets[1]

    def height(self, width: int) -> int:
        """How many lines :meth:`lines` makes at ``width`` cells, without making them."""
        return len(self._wrapped(max(1, width))[2])

    def lines(self, width: int) -> list[Text]:
        """The lines drawn at ``width`` cells, label and indent included."""
        width = max(1, width)
        if self._drawn[0] == width:
            return list(self._drawn[1])
        hang, text, offsets = self._wrapped(width)
        cuts = [offset for line in offsets for offset in line]
        result = list(text.divide(cuts)[1::2])  # the lines, not what lies between them
        if hang:
            assert self.label is not None
            indent = Text(" " * hang)
            result = [
                Text.assemble(self.label if number == 0 else indent, line)
                for number, line in enumerate(result)
            ]
        self._drawn = (width, result)
        return list(result)

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        for line in self.lines(options.max_width):
            yield from line.render(console)
            yield Segment.line()

    def widest(self) -> int:
        """The cells it needs to draw its longest paragraph on one line, the label included."""
        return self._label_cells() + max(cells(part) for part in self.text.plain.split("\n"))

    def span(self) -> tuple[int, int]:
        """The narrowest this can be drawn without cutting a unit that cannot be broken
        (a word, a number with its unit), and :meth:`widest`. Worked out once."""
        if self._span is None:
            unit = 0
            for paragraph in self.text.plain.split("\n"):
                edges = [0, *opportunities(paragraph), len(paragraph)]
                for start, end in pairwise(edges):
                    unit = max(unit, cells(paragraph[start:end].rstrip(" ")))
            self._span = (self._label_cells() + unit, self.widest())
        return self._span

    def _label_cells(self) -> int:
        return cells(self.label.plain) if self.label is not None else 0

    def __rich_measure__(self, console: Console, options: ConsoleOptions) -> Measurement:
        """At least :meth:`span`'s narrowest, at most its widest (both within the width)."""
        narrowest, widest = self.span()
        most = options.max_width
        return Measurement(min(narrowest, most), min(widest, most))
