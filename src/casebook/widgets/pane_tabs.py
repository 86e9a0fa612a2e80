"""A one-line row of pane names: the open one highlighted, any one a click away."""

from __future__ import annotations

from dataclasses import dataclass

from rich.text import Text
from textual.binding import Binding
from textual.events import Click
from textual.message import Message
from textual.reactive import reactive
from textual.widget import Widget

GAPS = (2, 1)
"""Columns between two names: the first that lets every name fit."""


class PaneTabs(Widget, can_focus=True):
    """Names of the panes; `left`/`right` or a click opens another.

    The names are UI words (never case text); they are drawn as plain text.
    """

    COMPONENT_CLASSES = {"pane-tabs--active"}
    DEFAULT_CSS = """
    PaneTabs {
        height: 1;
        width: 1fr;
        color: $text-muted;
    }
    PaneTabs > .pane-tabs--active {
        color: $text;
        background: $primary 40%;
        text-style: bold;
    }
    PaneTabs:focus > .pane-tabs--active {
        background: $primary;
        color: $text;
    }
    """
    BINDINGS = [
        Binding("left", "step(-1)", "Previous pane", show=False),
        Binding("right", "step(1)", "Next pane", show=False),
    ]

    active: reactive[str] = reactive("")

    @dataclass
    class Picked(Message):
        """The reader picked the pane ``name``."""

        tabs: PaneTabs
        name: str

    def __init__(self, names: tuple[str, ...], *, id: str) -> None:
        super().__init__(id=id)
        self.names = names
        self.labels = dict.fromkeys(names, "")
        self.active = names[0]

    def set_labels(self, labels: dict[str, str]) -> None:
        """Show ``labels`` (pane name → what the reader sees): these panes alone, in
        this order (an entry's panes with content)."""
        if labels != self.labels or tuple(labels) != self.names:
            self.labels = dict(labels)
            self.names = tuple(labels)
            self.refresh()

    def _layout(self) -> tuple[int, list[tuple[str, int, int]]]:
        """The gap between names, and (name, first column, end column) of each label.

        The row starts with one blank column, so that any label, the first too, can
        be drawn with a blank on either side when the gap allows it. When the names do
        not all fit, the row is slid left as far as it takes to show the open one
        whole: names slid out of view start before column 1 (or end past the row).
        """
        widths = [Text(self.labels[name]).cell_len for name in self.names]
        room = self.content_size.width - 1
        gap = next((g for g in GAPS if sum(widths) + g * (len(widths) - 1) <= room), GAPS[-1])
        spans, x = [], 1
        for name, width in zip(self.names, widths, strict=True):
            spans.append((name, x, x + width))
            x += width + gap
        end = next((end for name, _, end in spans if name == self.active), 0)
        shift = max(0, end - room)  # the last column is kept for the "more" mark
        return gap, [(name, start - shift, end - shift) for name, start, end in spans]

    def render(self) -> Text:
        row = Text(no_wrap=True, overflow="crop")
        active = self.get_component_rich_style("pane-tabs--active")
        gap, spans = self._layout()
        width = self.content_size.width
        pad = " " if gap > 1 else ""
        hidden_left = any(start < 1 for _, start, _ in spans)
        for name, start, _end in spans:
            if start < 1:
                continue
            label = self.labels[name]
            if name == self.active:
                row.pad_right(start - len(pad) - row.cell_len)
                row.append(f"{pad}{label}{pad}", style=active)
            else:
                row.pad_right(start - row.cell_len)
                row.append(label)
        if hidden_left:
            row = Text("‹", style="bold").append_text(row[1:])
        if spans and spans[-1][2] > width:  # names past the right edge: cut before the first
            cut = next(start for _, start, end in spans if start >= 1 and end > width - 1)
            row.truncate(cut)
            row.pad_right(width - 1 - row.cell_len)
            row.append("›", style="bold")
        return row

    def watch_active(self) -> None:
        self.refresh()

    def on_click(self, event: Click) -> None:
        offset = event.get_content_offset(self)
        if offset is None:
            return
        for name, start, end in self._layout()[1]:
            if start >= 1 and start <= offset.x < end:
                self._pick(name)
                return

    def action_step(self, step: int) -> None:
        """Open the pane ``step`` places along (wrapping around)."""
        if not self.names:
            return
        here = self.names.index(self.active) if self.active in self.names else 0
        index = (here + step) % len(self.names)
        self._pick(self.names[index])

    def _pick(self, name: str) -> None:
        # Marked at once, so a second key pressed before the screen has switched
        # steps on from this pane, not from the one before.
        self.active = name
        self.post_message(self.Picked(self, name))
