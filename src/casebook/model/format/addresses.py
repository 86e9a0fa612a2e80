"""How the casebook names where things are, defined once for the model, the app, search,
bookmarks and the exports: case files by their suffix, the entries of the casebook by id
(``INTRO_ID`` for the collection), its panes by name (``PANES``) and an item in a
document by its path (``Item``).
"""

from __future__ import annotations

from typing import Final

CASE_SUFFIXES: Final = (".yaml", ".yml")
"""The suffixes of case files (and of the collection file)."""

INTRO_ID: Final = "__introduction__"
"""The collection's entry id, beside the case ids: the introduction. Never a valid case id
(ids are slugs, which hold no underscore)."""

PANES: Final = ("overview", "timeline", "metrics", "challenges", "people", "discussion")
"""The panes an entry is shown in, in their order (keys 1 to 6, search results, exports),
in every edition. Each is also the key of its name in the interface's words (``words.t``)."""

TEACHING: Final = "teaching"
"""The seventh pane, of the instructor edition only (key 7): the class plan's segments
with their minutes, key points, board plan and epilogue."""

ALL_PANES: Final = (*PANES, TEACHING)
"""Every pane of any edition, in order."""


def panes_for(edition: str) -> tuple[str, ...]:
    """The panes of ``edition`` (an ``Edition``): the teaching pane is the instructor's
    alone; the student edition never has it (screens, search, progress)."""
    return ALL_PANES if edition == "instructor" else PANES


Item = tuple[str | int, ...]
"""Where something sits in a document, as the path of keys and list indexes to it:
``("metrics", 2)``, ``("challenges", 1, "solutions", 0)``, ``("context", 0, "timeline", 3)``
in the collection; ``()`` is the whole document (or the pane itself)."""
