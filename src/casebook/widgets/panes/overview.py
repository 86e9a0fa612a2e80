"""The overview pane: names, place, industry, recognitions, chapter, summary and
headline figures; for the collection, its introduction, regions and chapters."""

from __future__ import annotations

from collections.abc import Iterator

from rich.text import Text
from textual.containers import ItemGrid
from textual.widget import Widget
from textual.widgets import Static

from casebook.model.format.case import Collection, Document, Metric, place_name
from casebook.model.format.text import Lang, pick
from casebook.model.format.text import Text as CaseText
from casebook.model.format.words import t
from casebook.model.load.library import Library, card_in
from casebook.model.views.shown import chapter_cases, headline_figures
from casebook.widgets.figure_card import FigureCard
from casebook.widgets.flow import Flow
from casebook.widgets.panes.base import Pane, block, registered
from casebook.widgets.render import both_names, heading, labelled, numbered, plain, say


@registered("overview")
class OverviewPane(Pane):
    """Names, place, industry, recognitions, chapter, summary and headline figures."""

    def build(self, document: Document, library: Library, lang: Lang) -> Iterator[Widget]:
        if isinstance(document, Collection):
            yield from self._collection(document, library, lang)
            return
        company = document.company
        names = both_names(company.name, lang)
        where = place_name(document.location, lang)
        chapter = _chapter_title(library, document.chapter, lang)
        yield block(
            names,
            labelled(t("legal_name", lang), say(company.legal_name, lang))
            if company.legal_name
            else None,
            labelled(t("former_names", lang), _joined(company.former_names, lang))
            if company.former_names
            else None,
            labelled(t("location", lang), plain(where)) if where else None,
            labelled(t("industry", lang), say(document.industry, lang))
            if document.industry
            else None,
            labelled(
                t("recognitions", lang), _joined([r.name for r in document.recognitions], lang)
            )
            if document.recognitions
            else None,
            labelled(t("chapter", lang), plain(chapter)) if chapter else None,
        )
        headline = headline_figures(document.metrics)
        if headline:
            yield Static(heading(t("headline", lang)), classes="block-title")
            yield _figures(headline, lang)
        yield block(heading(t("summary", lang)), say(document.summary, lang), item=("summary",))

    def _collection(self, collection: Collection, library: Library, lang: Lang) -> Iterator[Widget]:
        yield block(say(collection.title, lang, "bold"), say(collection.subtitle, lang, "italic"))
        yield block(say(collection.introduction, lang))
        for index, region in enumerate(collection.context):
            title = heading(pick(region.name, lang))
            yield block(title, say(region.summary, lang), item=("context", index))
            headline = headline_figures(region.figures)
            if headline:
                yield _figures(headline, lang)
        if collection.chapters:
            rows: list[Text | Flow] = [heading(t("chapters", lang))]
            for number, chapter in enumerate(collection.chapters, start=1):
                row = say(chapter.title, lang, "bold")
                named, more = chapter_cases(chapter, library)
                names = [say(card_in(library.cases, c).company.name, lang, "dim") for c in named]
                if more:
                    names.append(Text(t("and_more", lang, n=more), style="dim"))
                if names:
                    row.append("  — ", style="dim")
                    row.append_text(Text(", ", style="dim").join(names))
                rows += [numbered(number, row), say(chapter.summary, lang)]
            yield block(*rows)


def _joined(texts: list[CaseText], lang: Lang) -> Text:
    """Case texts on one line, separated by semicolons, each drawn as it is."""
    return Text("; ").join(say(text, lang) for text in texts)


def _figures(metrics: list[Metric], lang: Lang) -> ItemGrid:
    return ItemGrid(*(FigureCard(m, lang) for m in metrics), min_column_width=22, classes="figures")


def _chapter_title(library: Library, chapter_id: str | None, lang: Lang) -> str:
    if library.collection is None or chapter_id is None:
        return ""
    for chapter in library.collection.chapters:
        if chapter.id == chapter_id:
            return pick(chapter.title, lang)
    return ""
