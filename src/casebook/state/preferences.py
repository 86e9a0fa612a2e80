"""The reader's preferences: the interface's language and theme, kept in
``preferences.json`` beside the store and read at every start (``--fresh`` forgets the
reader's place, not these).

The file is small (at most :data:`PREFERENCES_LIMIT` bytes), read with
:func:`read_regular` (never through a link) and written atomically, mode 0600. A file
that cannot be read gives the defaults and one message (:attr:`PreferencesFile.warning`),
and is replaced at the next change. Fields this version does not know are written back.
An older casebook kept the language and theme in ``places.json``: when there is no
preferences file yet, those seed it, once.

Plain Python, free of the UI; nothing here raises for a file it cannot read or write.
"""

from __future__ import annotations

from pathlib import Path

import msgspec

from casebook.model.format.text import Lang
from casebook.state import small_json

__all__ = ["PREFERENCES_LIMIT", "PREFERENCES_NAME", "Preferences", "PreferencesFile"]

PREFERENCES_NAME = "preferences.json"
PREFERENCES_LIMIT = 16 * 1024
"""A larger preferences file is not read."""

THEME_LIMIT = 100
"""A longer theme name is not a theme's."""


class Preferences(msgspec.Struct, frozen=True, kw_only=True):
    """The interface's language and theme (None: not chosen yet)."""

    lang: Lang | None = None
    theme: str | None = None


class PreferencesFile:
    """The preferences file of one data folder."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.last = Preferences()
        """The preferences as read (or as last saved)."""
        self.warning: str | None = None
        """Why the file could not be read, if it could not (the English words)."""
        self._extra: small_json.Extra = {}

    @classmethod
    def open(cls, directory: Path, *, seed: Preferences | None = None) -> PreferencesFile:
        """The preferences of ``directory``, read once; with no file there yet, ``seed``
        (the language and theme an older casebook kept with the place) is saved as
        them. Never raises."""
        preferences = cls(directory / PREFERENCES_NAME)
        if not preferences._read() and seed is not None and seed != Preferences():
            preferences.save(seed)
        return preferences

    def _read(self) -> bool:
        """Read the file; False if there is none."""
        try:
            read = small_json.read(self.path, PREFERENCES_LIMIT, Preferences)
        except small_json.Unreadable as error:
            self.warning = str(error)
            return True
        if read is None:
            return False
        found, self._extra = read
        theme = found.theme if found.theme is None or len(found.theme) <= THEME_LIMIT else None
        self.last = msgspec.structs.replace(found, theme=theme)
        return True

    def save(self, preferences: Preferences) -> bool:
        """Keep ``preferences``; True if they were written (nothing is, when they did not
        change). Never raises."""
        if preferences == self.last and self.path.exists():
            return False
        if not small_json.write(self.path, msgspec.structs.asdict(preferences), self._extra):
            return False
        self.last = preferences
        return True

    def change(self, *, lang: Lang | None = None, theme: str | None = None) -> bool:
        """Save the language or theme the reader just chose, keeping the other."""
        changed = msgspec.structs.replace(
            self.last, lang=lang or self.last.lang, theme=theme or self.last.theme
        )
        return self.save(changed)
