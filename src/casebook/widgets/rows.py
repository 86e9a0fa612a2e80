"""The rows of a LineList: each an id, its lines, and whether the cursor skips it; the
lines of a row may be built only when it is first drawn."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from functools import cached_property
from typing import overload

import msgspec
from rich.text import Text


class Row(msgspec.Struct, frozen=True, eq=False):
    """One entry of a LineList: its id, its lines and whether the cursor skips it.

    Each line is one line of Rich Text (no newlines); it is never wrapped, and cut
    with an ellipsis where the list is narrower. A row has at least one line (the list
    checks when it is given rows). Only the length of ``lines`` is read
    until the row is drawn, so LazyLines builds the lines of the rows shown only.
    """

    id: str | None
    lines: Sequence[Text]
    disabled: bool = False

    @property
    def plain(self) -> str:
        """The row's text, its lines joined by newlines."""
        return "\n".join(line.plain for line in self.lines)


class LazyLines(Sequence[Text]):
    """``count`` lines that ``build`` makes when one is first read, i.e. when the row is drawn."""

    def __init__(self, count: int, build: Callable[[], Sequence[Text]]) -> None:
        self._count = count
        self._build = build

    def __len__(self) -> int:
        return self._count

    @overload
    def __getitem__(self, index: int) -> Text: ...
    @overload
    def __getitem__(self, index: slice) -> Sequence[Text]: ...
    def __getitem__(self, index: int | slice) -> Text | Sequence[Text]:
        return self._lines[index]

    @cached_property
    def _lines(self) -> Sequence[Text]:
        lines = self._build()
        if len(lines) != self._count:
            raise ValueError(f"built {len(lines)} lines, not {self._count}")
        return lines
