"""The people pane: who said what (paraphrased), their roles, where the source tells it,
and the sources."""

from __future__ import annotations

from collections.abc import Iterator

from rich.console import RenderableType
from rich.style import Style
from rich.text import Text
from textual.widget import Widget
from textual.widgets import Static

from casebook.model.format.case import Case, Document, Said, Source
from casebook.model.format.links import web_address
from casebook.model.format.text import Lang
from casebook.model.format.words import t
from casebook.model.load.library import Library
from casebook.model.views.origins import Origin, Origins
from casebook.widgets.flow import Flow
from casebook.widgets.origins import indented, link, outlet, source_words
from casebook.widgets.panes.base import Pane, block, bullets, item_class, registered
from casebook.widgets.render import both_names, citation, flows, heading, mark, plain, say


@registered("people")
class PeoplePane(Pane):
    """Who said what (paraphrased), their roles, where the source tells it, and the
    sources' citations."""

    def build(self, document: Document, library: Library, lang: Lang) -> Iterator[Widget]:
        if isinstance(document, Case):
            origins = Origins(document, self.sources)
            for index, person in enumerate(document.people):
                found = [origins.said(person.source, said) for said in person.said]
                if not any(found):
                    yield block(
                        both_names(person.name, lang),
                        say(person.role, lang, "italic"),
                        bullets(person.said, lang),
                        item=("people", index),
                    )
                    continue
                parts = [both_names(person.name, lang), say(person.role, lang, "italic")]
                parts += _said(person.said, found, lang)
                marked = item_class(("people", index))
                yield Static(flows(*parts), classes=f"block {marked}")
        if document.sources:
            rows = [heading(t("sources_title", lang))]
            rows += [_cited(source, lang) for source in document.sources]
            yield block(*rows, item=("sources",))


def _said(said: list[Said], found: list[Origin | None], lang: Lang) -> list[RenderableType]:
    """What a person said, as bullets; under a saying with a passage (``found``), a link
    to it (when the source has an address) and the passage in the source's words (when
    at hand); then the person's source, once."""
    rows: list[RenderableType] = []
    for saying, origin in zip(said, found, strict=True):
        row = say(saying, lang)
        if origin is not None and origin.address is not None:
            row.append("  ")
            row.append_text(link(origin.address, lang))
        rows.append(Flow(row, mark(None, lang)))
        words = source_words(origin, lang) if origin is not None else None
        if words is not None:
            rows.append(indented(words))
    first = next(origin for origin in found if origin is not None)
    rows.append(outlet(first, lang, with_link=False))
    return rows


def _cited(source: Source, lang: Lang) -> Text:
    """A source's citation, then its address (a link) when it has one."""
    cited = citation(source, lang)
    address = web_address(source.url)
    if address is not None and source.url is not None:
        shown = plain(source.url, "dim")
        shown.stylize(Style(link=address))
        cited.append("\n")
        cited.append_text(shown)
    return cited
