"""Where the reader left off: the last entry, pane and scroll position, and the
language and theme, kept in ``places.json`` beside the store so the app reopens there.

The file is small and read once at start (at most :data:`PLACES_LIMIT` bytes). A file
that cannot be read is ignored (the app starts fresh, :attr:`Places.warning` says so)
and replaced at the next write. Fields this version does not know are written back.
Writes are never more often than :attr:`Places.interval` seconds apart (see
:meth:`Places.remember`), and :meth:`Places.flush` writes what is pending (on exit).

Plain Python, free of the UI; nothing here raises for a file it cannot read or write.
"""

from __future__ import annotations

import time
from pathlib import Path

import msgspec

from casebook.state import small_json
from casebook.state.records import Clock, clean

__all__ = ["PLACES_LIMIT", "PLACES_NAME", "Place", "Places"]

PLACES_NAME = "places.json"
PLACES_LIMIT = 64 * 1024
"""A larger places file is not read."""


class Place(msgspec.Struct, frozen=True, kw_only=True):
    """Where the reader is: an entry (case id or the introduction), a pane, how far the
    pane is scrolled, and the interface's language and theme."""

    entry: str | None = None
    pane: str | None = None
    scroll: float = 0.0
    lang: str | None = None
    theme: str | None = None


class Places:
    """The places file of one data folder; ``path`` None keeps nothing (a served app)."""

    interval = 1.0
    """At most one write per this many seconds."""

    def __init__(self, path: Path | None, *, clock: Clock = time.monotonic) -> None:
        self.path = path
        self.last = Place()
        """The place read at start (empty if there was none)."""
        self.warning: str | None = None
        """Why the file could not be read, if it could not (the English words)."""
        self._extra: small_json.Extra = {}
        self._written = Place()
        self._pending: Place | None = None
        self._clock = clock
        self._wrote_at: float | None = None

    @classmethod
    def open(cls, directory: Path, *, clock: Clock = time.monotonic) -> Places:
        """The places of ``directory``, read once. Never raises."""
        places = cls(directory / PLACES_NAME, clock=clock)
        places._read()
        return places

    def _read(self) -> None:
        assert self.path is not None
        try:
            found = small_json.read(self.path, PLACES_LIMIT, Place)
        except small_json.Unreadable as error:
            self.warning = str(error)
            return
        if found is None:
            return
        place, self._extra = found
        self.last = self._written = place

    def remember(self, place: Place) -> bool:
        """Keep ``place``: written now unless a write was made less than
        :attr:`interval` ago (then it waits for the next call or :meth:`flush`).
        True if it was written."""
        if place == self._written:
            self._pending = None
            return False
        self._pending = place
        now = self._clock()
        if self._wrote_at is not None and now - self._wrote_at < self.interval:
            return False
        return self.flush()

    def flush(self) -> bool:
        """Write the pending place, if any. True if it was written. Never raises."""
        place, self._pending = self._pending, None
        if place is None or place == self._written or self.path is None:
            return False
        self._wrote_at = self._clock()
        fields = msgspec.structs.asdict(place)
        fields = {k: clean(v) if isinstance(v, str) else v for k, v in fields.items()}
        if not small_json.write(self.path, fields, self._extra):
            return False
        self._written = place
        return True

    @property
    def pending(self) -> bool:
        return self._pending is not None
