"""Flow: Rich text wrapped by casebook's line breaker, with an optional hanging label.

STUB (to be replaced): the interface is final, the body a first cut.
"""

from __future__ import annotations

from rich.console import Console, ConsoleOptions, RenderResult
from rich.measure import Measurement
from rich.segment import Segment
from rich.text import Text

from casebook.model.format.linebreak import cells, wrap_offsets


class Flow:
    """``text`` wrapped to the width it is given; with ``label``, the label starts the first
    line and wrapped lines are indented under the text, not under the label."""

    def __init__(self, text: Text, label: Text | None = None) -> None:
        self.text = text
        self.label = label

    def lines(self, width: int) -> list[Text]:
        """The lines drawn at ``width`` cells, label and indent included."""
        hang = cells(self.label.plain) if self.label is not None else 0
        room = max(1, width - hang)
        offsets = wrap_offsets(self.text.plain, room)
        result: list[Text] = []
        for number, (start, end) in enumerate(offsets):
            line = Text(" " * hang) if number or self.label is None else self.label.copy()
            line.append_text(self.text[start:end])
            result.append(line)
        return result

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        for line in self.lines(options.max_width):
            yield from line.render(console)
            yield Segment.line()

    def __rich_measure__(self, console: Console, options: ConsoleOptions) -> Measurement:
        hang = cells(self.label.plain) if self.label is not None else 0
        widest = max((cells(part) for part in self.text.plain.split("\n")), default=0)
        return Measurement(min(hang + 1, options.max_width), min(hang + widest, options.max_width))
