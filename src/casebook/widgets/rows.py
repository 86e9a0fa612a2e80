"""The rows of a LineList: each an id, its lines, and whether the cursor skips it; a
long list's rows are made only when they are drawn, and their heights known for sure
only then."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from typing import overload

import msgspec
from rich.text import Text
from textual.cache import LRUCache


class Row(msgspec.Struct, frozen=True, eq=False, gc=False):
    """One entry of a LineList: its id, its lines and whether the cursor skips it.

    Each line is one line of Rich Text (no newlines); it is never wrapped, and cut
    with an ellipsis where the list is narrower. A row has at least one line. Rows hold
    no cycles, so the garbage collector does not track them.
    """

    id: str | None
    lines: Sequence[Text]
    disabled: bool = False

    @property
    def plain(self) -> str:
        """The row's text, its lines joined by newlines."""
        return "\n".join(line.plain for line in self.lines)


class Rows(Sequence[Row]):
    """A list's rows known by their ids and heights, each made by ``make(index)`` when it
    is first read (drawn, or stepped over by the cursor); the rows made last are kept.

    Until they are shown, thousands of rows are two lists of plain values: opening a
    long list costs the rows on screen, and leaves the garbage collector little to walk.
    A height given may be an estimate (working out where thousands of texts wrap is
    what a long list must not wait for): a row made corrects it, and ``corrected()``
    tells the list which rows have moved since it last asked.
    """

    KEPT = 512
    """How many made rows are kept (a few screenfuls)."""

    def __init__(
        self,
        ids: Sequence[str | None],
        heights: Iterable[int],
        make: Callable[[int], Row],
    ) -> None:
        self.ids = ids
        self.heights = list(heights)
        if len(self.heights) != len(ids):
            raise ValueError(f"{len(ids)} ids, {len(self.heights)} heights")
        if min(self.heights, default=1) < 1:
            raise ValueError("a row has at least one line")
        self._make = make
        self._made: LRUCache[int, Row] = LRUCache(self.KEPT)
        self._replaced: dict[int, Row] = {}
        self._corrected: int | None = None

    @classmethod
    def of(cls, rows: Iterable[Row]) -> Rows:
        """Rows already made."""
        listed = list(rows)
        heights = [len(row.lines) for row in listed]
        return cls([row.id for row in listed], heights, listed.__getitem__)

    def __len__(self) -> int:
        return len(self.heights)

    @overload
    def __getitem__(self, index: int) -> Row: ...
    @overload
    def __getitem__(self, index: slice) -> Sequence[Row]: ...
    def __getitem__(self, index: int | slice) -> Row | Sequence[Row]:
        if isinstance(index, slice):
            return [self[n] for n in range(*index.indices(len(self)))]
        if index < 0:
            index += len(self)
        if not 0 <= index < len(self):
            raise IndexError(index)
        row = self._replaced.get(index) or self._made.get(index)
        if row is None:
            row = self._make(index)
            if row.id != self.ids[index] or not row.lines:
                raise ValueError(
                    f"row {index} was made as {row.id!r} of {len(row.lines)} lines, "
                    f"not {self.ids[index]!r} of one line or more"
                )
            self._made[index] = row
            self._height(index, len(row.lines))
        return row

    def replace(self, index: int, row: Row) -> None:
        """Hold ``row`` at ``index`` from now on (same id; its height may change)."""
        if row.id != self.ids[index] or not row.lines:
            raise ValueError("a row replaced keeps its id and has at least one line")
        self._replaced[index] = row
        self._height(index, len(row.lines))

    def _height(self, index: int, height: int) -> None:
        if height != self.heights[index]:
            self.heights[index] = height
            if self._corrected is None or index < self._corrected:
                self._corrected = index

    def corrected(self) -> int | None:
        """The first row whose height changed since the last call (None: none did)."""
        first, self._corrected = self._corrected, None
        return first
