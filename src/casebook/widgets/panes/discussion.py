"""The discussion pane: learning objectives and discussion questions."""

from __future__ import annotations

from collections.abc import Iterator

from textual.widget import Widget

from casebook.model.format.case import Case, Document
from casebook.model.format.text import Lang
from casebook.model.format.words import t
from casebook.model.load.library import Library
from casebook.widgets.panes.base import Pane, block, bullets, registered
from casebook.widgets.render import heading


@registered("discussion")
class DiscussionPane(Pane):
    """Learning objectives and discussion questions."""

    def build(self, document: Document, library: Library, lang: Lang) -> Iterator[Widget]:
        if not isinstance(document, Case):
            return
        if document.learning_objectives:
            yield block(
                heading(t("objectives", lang)),
                bullets(document.learning_objectives, lang),
                item=("learning_objectives",),
            )
        if document.discussion_questions:
            yield block(
                heading(t("questions", lang)),
                bullets(document.discussion_questions, lang, numbered=True),
                item=("discussion_questions",),
            )
