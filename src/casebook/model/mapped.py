"""A sequence whose items are made when read, for thousands of them (the model's search
records, a long list's ids and events)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TypeVar, overload

T = TypeVar("T")
U = TypeVar("U")


class Mapped(Sequence[T]):
    """``make(item)`` for each of ``items``, made each time it is read: thousands of
    records, ids or events, none held (``Mapped(numbers, str)``: ids that are numbers)."""

    def __init__(self, items: Sequence[U], make: Callable[[U], T]) -> None:
        self._items = items
        self._make = make

    def __len__(self) -> int:
        return len(self._items)

    @overload
    def __getitem__(self, index: int) -> T: ...
    @overload
    def __getitem__(self, index: slice) -> Sequence[T]: ...
    def __getitem__(self, index: int | slice) -> T | Sequence[T]:
        if isinstance(index, slice):
            return [self._make(item) for item in self._items[index]]
        return self._make(self._items[index])
