"""A list of names to tick, drawn a row at a time: thousands of cases cost what is shown."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from rich.text import Text
from textual.binding import Binding
from textual.message import Message

from casebook.model.format.linebreak import cells
from casebook.widgets.fitted_list import (
    FittedList,
    hanging_height,
    hanging_lines,
    paragraph_cells,
)
from casebook.widgets.line_list import Row, Rows

TICKED = "[x] "
UNTICKED = "[ ] "


class Picker(FittedList):
    """Entries (a key and a name, plain text) to tick: space, enter or a click ticks or unticks the
    highlighted one. Names wrap beside their box."""

    BINDINGS = [Binding("space", "select", "Tick", show=False)]

    @dataclass
    class Changed(Message):
        """The ticked entries changed."""

        picker: Picker

        @property
        def control(self) -> Picker:
            return self.picker

    def __init__(
        self, entries: Sequence[tuple[str, str]], ticked: set[str], *, id: str | None = None
    ) -> None:
        super().__init__(id=id)
        self._ticked = set(ticked)
        self.rename(entries)

    @property
    def selected(self) -> list[str]:
        """The keys ticked, in the order of the entries."""
        return [key for key, _ in self.entries if key in self._ticked]

    def rename(self, entries: Sequence[tuple[str, str]]) -> None:
        """Show these entries (the same keys under new names, or others)."""
        self.entries = list(entries)
        self._keys = [key for key, _ in self.entries]
        widths: dict[tuple[int, ...], tuple[int, ...]] = {}  # names share widths: one copy each
        found = (paragraph_cells(name) for _, name in self.entries)
        self._cells = [widths.setdefault(cells, cells) for cells in found]
        """How wide each name's paragraphs are, for the rows' heights at any width."""
        self.lay_out(self._rows_for)

    def _rows_for(self, width: int) -> Rows:
        entries = self.entries
        box = cells(TICKED)  # as wide as UNTICKED
        heights = (hanging_height(box, name, width) for name in self._cells)
        return Rows(self._keys, heights, lambda n: self._row(*entries[n], width))

    def _box(self, key: str) -> str:
        return TICKED if key in self._ticked else UNTICKED

    def _row(self, key: str, name: str, width: int) -> Row:
        box = self._box(key)
        label = Text(box, style="bold" if box == TICKED else "dim")
        return Row(key, hanging_lines(label, Text(name), width))

    def toggle(self, key: str) -> None:
        """Tick ``key`` or untick it."""
        self.tick_only(self._ticked ^ {key})

    def tick_only(self, keys: set[str]) -> None:
        """Tick ``keys`` and untick the others (redrawing the rows that change)."""
        changed = self._ticked ^ keys
        if not changed:
            return
        self._ticked = set(keys)
        width = self.scrollable_content_region.width
        for key in changed:
            index = self.index_of(key)
            if index is not None and width:
                self.replace_row(key, self._row(key, self.entries[index][1], width).lines)
        self.post_message(self.Changed(self))

    def select(self, key: str) -> None:
        """Tick ``key`` (when it is not)."""
        if key not in self._ticked:
            self.toggle(key)

    def action_select(self) -> None:
        """Tick or untick the highlighted entry."""
        row = self.highlighted_row
        if row is not None and row.id is not None:
            self.toggle(row.id)
