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
        padding: 0 0 0 1;
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
        """Show ``labels`` (pane name → what the reader sees)."""
        if labels != self.labels:
            self.labels = dict(labels)
            self.refresh()

    def _spans(self) -> list[tuple[str, int, int]]:
        """(name, first column, end column) of each label in the content area."""
        widths = [Text(self.labels[name]).cell_len for name in self.names]
        room = self.content_size.width
        gap = next((g for g in GAPS if sum(widths) + g * (len(widths) - 1) <= room), GAPS[-1])
        spans, x = [], 0
        for name, width in zip(self.names, widths, strict=True):
            spans.append((name, x, x + width))
            x += width + gap
        return spans

    def render(self) -> Text:
        row = Text(no_wrap=True, overflow="crop")
        active = self.get_component_rich_style("pane-tabs--active")
        for name, start, _end in self._spans():
            row.pad_right(start - row.cell_len)
            row.append(self.labels[name], style=active if name == self.active else "")
        return row

    def watch_active(self) -> None:
        self.refresh()

    def on_click(self, event: Click) -> None:
        offset = event.get_content_offset(self)
        if offset is None:
            return
        for name, start, end in self._spans():
            if start <= offset.x < end:
                self.post_message(self.Picked(self, name))
                return

    def action_step(self, step: int) -> None:
        """Open the pane ``step`` places along (wrapping around)."""
        index = (self.names.index(self.active) + step) % len(self.names)
        self.post_message(self.Picked(self, self.names[index]))
