"""The teaching pane (instructor edition only): the class plan's segments with their
minutes, the key points, the board plan and the epilogue.

The student edition never has this pane (see ``addresses.panes_for``), and its
library holds no teaching notes or epilogue to show in it anyway.
"""

from __future__ import annotations

from collections.abc import Iterator

from rich.text import Text
from textual.widget import Widget

from casebook.model.format.case import Case, Document
from casebook.model.format.text import Lang
from casebook.model.format.words import t
from casebook.model.load.library import Library
from casebook.widgets.panes.base import Pane, block, bullets, registered
from casebook.widgets.render import heading, numbered, say


@registered("teaching")
class TeachingPane(Pane):
    """What an instructor prepares a class with."""

    def build(self, document: Document, library: Library, lang: Lang) -> Iterator[Widget]:
        if not isinstance(document, Case):
            return
        notes = document.teaching_notes
        if notes is not None and notes.segments:
            total = sum(segment.minutes for segment in notes.segments)
            # Interface words with numbers in them: drawn as they are, not as case text.
            yield block(Text(t("class_plan", lang, n=total), style="bold underline"))
            start = 0
            for number, segment in enumerate(notes.segments):
                end = start + segment.minutes
                title = say(segment.title, lang, "bold")
                minutes = t("segment_time", lang, start=start, end=end, n=segment.minutes)
                title.append(f"  {minutes}", style="dim")
                yield block(
                    numbered(number + 1, title),
                    say(segment.notes, lang),
                    item=("teaching_notes", "segments", number),
                )
                start = end
        if notes is not None and notes.key_points:
            yield block(
                heading(t("key_points", lang)),
                bullets(notes.key_points, lang),
                item=("teaching_notes", "key_points"),
            )
        if notes is not None and notes.board_plan:
            yield block(
                heading(t("board_plan", lang)),
                bullets(notes.board_plan, lang),
                item=("teaching_notes", "board_plan"),
            )
        if document.epilogue is not None:
            yield block(
                heading(t("epilogue", lang)), say(document.epilogue, lang), item=("epilogue",)
            )
