"""The people pane: who said what (paraphrased), their roles, and the sources."""

from __future__ import annotations

from collections.abc import Iterator

from textual.widget import Widget

from casebook.model.format.case import Case, Document
from casebook.model.format.text import Lang
from casebook.model.format.words import t
from casebook.model.load.library import Library
from casebook.widgets.panes.base import Pane, block, bullets, registered
from casebook.widgets.render import both_names, citation, heading, say


@registered("people")
class PeoplePane(Pane):
    """Who said what (paraphrased), their roles, and the source citation."""

    def build(self, document: Document, library: Library, lang: Lang) -> Iterator[Widget]:
        if isinstance(document, Case):
            for index, person in enumerate(document.people):
                yield block(
                    both_names(person.name, lang),
                    say(person.role, lang, "italic"),
                    bullets(person.said, lang),
                    item=("people", index),
                )
        if document.sources:
            rows = [heading(t("sources_title", lang))]
            rows += [citation(source, lang) for source in document.sources]
            yield block(*rows, item=("sources",))
