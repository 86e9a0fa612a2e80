"""How the casebook names where things are, defined once for the model, the app, search,
bookmarks and the exports: case files by their suffix, the entries of the casebook by id
(``INTRO_ID`` for the collection), its panes by name (``PANES``) and an item in a
document by its path (``Item``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Final

if TYPE_CHECKING:
    from casebook.model.format.case import Document

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


def panes_with_content(document: Document | None, edition: str) -> tuple[str, ...]:
    """The panes of ``edition`` that have something to show for ``document``, in order:
    the overview always, the others only with content (the introduction has no
    challenges or discussion). The tabs, the k/N progress, keys 1-N and the palette
    offer these alone."""
    if document is None:
        return panes_for(edition)
    from casebook.model.format.case import Case

    if isinstance(document, Case):
        notes = document.teaching_notes
        taught = notes is not None and bool(notes.segments or notes.board_plan or notes.key_points)
        has = {
            "timeline": bool(document.timeline),
            "metrics": bool(document.metrics),
            "challenges": bool(document.challenges),
            "people": bool(document.people or document.sources),
            "discussion": bool(document.learning_objectives or document.discussion_questions),
            TEACHING: taught or document.epilogue is not None,
        }
    else:
        has = {
            "timeline": any(region.timeline for region in document.context),
            "metrics": any(region.figures for region in document.context),
            "people": bool(document.sources),
        }
    return tuple(pane for pane in panes_for(edition) if pane == "overview" or has.get(pane))


Item = tuple[str | int, ...]
"""Where something sits in a document, as the path of keys and list indexes to it:
``("metrics", 2)``, ``("challenges", 1, "solutions", 0)``, ``("context", 0, "timeline", 3)``
in the collection; ``()`` is the whole document (or the pane itself)."""
