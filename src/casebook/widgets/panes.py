"""The panes of the detail area, each built from a case (or the collection): the
base pane, four of the six, and :func:`pane_type` for all six (the timeline and
metrics panes live in their own modules).

Panes are built lazily: only when shown, and again only when the document or
the language changes.
"""

from __future__ import annotations

from collections.abc import Iterator

from rich.text import Text
from textual.containers import ItemGrid, VerticalScroll
from textual.widget import Widget
from textual.widgets import Static

from casebook.model.format.case import Case, Collection, Document, Metric, place_name
from casebook.model.format.text import Lang, pick
from casebook.model.format.words import t
from casebook.model.load.library import Library
from casebook.widgets.figure_card import FigureCard
from casebook.widgets.render import (
    both_names,
    citation,
    figure,
    heading,
    labelled,
    lines,
    plain,
    say,
)

NAMED_PER_CHAPTER = 8
"""Cases named after a chapter's title in the introduction; the rest are counted."""

Item = tuple[str | int, ...]
"""Where something sits in a document: ("challenges", 1), ("timeline", 0)..."""


def item_class(item: Item) -> str:
    """The CSS class that marks the widget showing ``item``."""
    return "item-" + "-".join(str(part) for part in item)


class Pane(VerticalScroll):
    """A scrolling pane that rebuilds its content only when what it shows changes."""

    def __init__(self, *, id: str) -> None:
        super().__init__(id=id, classes="pane")
        self.built_for: tuple[Document, Lang, str] | None = None

    def show(
        self, document: Document, library: Library, lang: Lang, note: str = "", item: Item = ()
    ) -> None:
        """Build the pane for ``document`` (with the reader's ``note`` on top) if not built.

        With ``item``, the pane then scrolls to it (or highlights it) once laid out.
        """
        built = self.built_for
        if built is not None and built[0] is document and built[1:] == (lang, note):
            if item:
                self.call_after_refresh(self.reveal, item)
            return
        self.built_for = (document, lang, note)
        widgets = list(self.build(document, library, lang))
        if not widgets:
            widgets = [Static(Text(t("nothing_here", lang), style="dim"))]
        if note:
            marker = Text(f"✎ {t('your_note', lang)}\n", style="bold")
            marker.append_text(plain(note))
            widgets.insert(0, Static(marker, classes="block note-block"))
        self.call_later(self._replace, widgets, item)

    async def _replace(self, widgets: list[Widget], item: Item) -> None:
        """Swap in new content: the old widgets go first, so nothing stale is measured or found."""
        async with self.batch():
            await self.remove_children()
            await self.mount_all(widgets)
        self.scroll_home(animate=False)
        if item:
            self.call_after_refresh(self.reveal, item)

    def build(self, document: Document, library: Library, lang: Lang) -> Iterator[Widget]:
        raise NotImplementedError

    def reveal(self, item: Item, settle: bool = True) -> None:
        """Scroll to the widget showing ``item`` (or the nearest enclosing one).

        With ``settle``, it scrolls once more after the next refresh, when freshly
        mounted content has its final height.
        """
        for length in range(len(item), 0, -1):
            found = self.query(f".{item_class(item[:length])}")
            if found:
                self.scroll_to_widget(found.first(), top=True, animate=False, immediate=True)
                break
        if settle:
            self.call_after_refresh(self.reveal, item, False)

    def current_item(self) -> Item:
        """The item the reader is on, for bookmarks; the pane itself by default."""
        return ()

    def item_label(self, lang: Lang) -> str:
        """A few words naming the current item, for a bookmark's label."""
        return ""


def _figures(metrics: list[Metric], lang: Lang) -> ItemGrid:
    return ItemGrid(*(FigureCard(m, lang) for m in metrics), min_column_width=22, classes="figures")


def _block(*parts: Text | None, classes: str = "block", item: Item = ()) -> Static:
    if item:
        classes += " " + item_class(item)
    return Static(lines(*parts), classes=classes)


def _bullets(items: list, lang: Lang, numbered: bool = False) -> Text:
    rows = []
    for number, item in enumerate(items, start=1):
        # Chinese has no spaces to break at: the marker is written against its text.
        if lang == "zh":
            mark = f"{number}．" if numbered else "•"
        else:
            mark = f"{number}. " if numbered else "• "
        row = Text(mark, style="dim")
        row.append_text(say(item, lang))
        rows.append(row)
    return Text("\n").join(rows)


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
        yield _block(
            names,
            labelled(t("legal_name", lang), say(company.legal_name, lang))
            if company.legal_name
            else None,
            labelled(
                t("former_names", lang),
                plain("; ".join(pick(n, lang) for n in company.former_names)),
            )
            if company.former_names
            else None,
            labelled(t("location", lang), plain(where)) if where else None,
            labelled(t("industry", lang), say(document.industry, lang))
            if document.industry
            else None,
            labelled(
                t("recognitions", lang),
                plain("; ".join(pick(r.name, lang) for r in document.recognitions)),
            )
            if document.recognitions
            else None,
            labelled(t("chapter", lang), plain(chapter)) if chapter else None,
        )
        headline = [m for m in document.metrics if m.headline][:4]
        if headline:
            yield Static(heading(t("headline", lang)), classes="block-title")
            yield _figures(headline, lang)
        yield _block(heading(t("summary", lang)), say(document.summary, lang), item=("summary",))

    def _collection(self, collection: Collection, library: Library, lang: Lang) -> Iterator[Widget]:
        yield _block(say(collection.title, lang, "bold"), say(collection.subtitle, lang, "italic"))
        yield _block(say(collection.introduction, lang))
        for index, region in enumerate(collection.context):
            title = heading(pick(region.name, lang))
            yield _block(title, say(region.summary, lang), item=("context", index))
            headline = [m for m in region.figures if m.headline][:4]
            if headline:
                yield _figures(headline, lang)
        if collection.chapters:
            rows = [heading(t("chapters", lang))]
            for number, chapter in enumerate(collection.chapters, start=1):
                row = plain(f"{number}. {pick(chapter.title, lang)}", "bold")
                members = [c for c in chapter.cases if c in library.cases]
                named = (
                    members
                    if len(members) <= NAMED_PER_CHAPTER
                    else members[: NAMED_PER_CHAPTER - 1]
                )
                names = [pick(library.cases[c].company.name, lang) for c in named]
                if len(named) < len(members):
                    names.append(t("and_more", lang, n=len(members) - len(named)))
                if names:
                    row.append_text(plain("  — " + ", ".join(names), "dim"))
                rows += [row, say(chapter.summary, lang)]
            yield _block(*rows)


def _chapter_title(library: Library, chapter_id: str | None, lang: Lang) -> str:
    if library.collection is None or chapter_id is None:
        return ""
    for chapter in library.collection.chapters:
        if chapter.id == chapter_id:
            return pick(chapter.title, lang)
    return ""


class ChallengesPane(Pane):
    """Each challenge → solution → outcome as one chain, with the figures it moved."""

    def build(self, document: Document, library: Library, lang: Lang) -> Iterator[Widget]:
        if not isinstance(document, Case):
            return
        metrics = {m.id: m for m in document.metrics}
        for number, challenge in enumerate(document.challenges, start=1):
            parts = [plain(f"{number}. {pick(challenge.title, lang)}", "bold")]
            parts.append(_step("▼ " + t("problem", lang), say(challenge.problem, lang)))
            for solution in challenge.solutions:
                parts.append(_step("▼ " + t("solution", lang), say(solution, lang)))
            if challenge.outcome is not None:
                parts.append(_step("■ " + t("outcome", lang), say(challenge.outcome, lang)))
            moved = [metrics[m] for m in challenge.metrics if m in metrics]
            if moved:
                rows = [Text(t("moved", lang), style="dim")]
                rows += [_moved(metric, lang) for metric in moved]
                parts.append(Text("\n").join(rows))
            yield _block(*parts, classes="block chain", item=("challenges", number - 1))


def _step(label: str, body: Text) -> Text:
    line = Text(label, style="bold cyan")
    line.append("\n")
    line.append_text(body)
    return line


def _moved(metric: Metric, lang: Lang) -> Text:
    row = Text("  · ", style="dim")
    row.append_text(say(metric.label, lang))
    row.append(": ")
    row.append_text(figure(metric, lang))
    return row


class PeoplePane(Pane):
    """Who said what (paraphrased), their roles, and the source citation."""

    def build(self, document: Document, library: Library, lang: Lang) -> Iterator[Widget]:
        if isinstance(document, Case):
            for index, person in enumerate(document.people):
                yield _block(
                    both_names(person.name, lang),
                    say(person.role, lang, "italic"),
                    _bullets(person.said, lang),
                    item=("people", index),
                )
        if document.sources:
            rows = [heading(t("sources_title", lang))]
            rows += [citation(source, lang) for source in document.sources]
            yield _block(*rows, item=("sources",))


class DiscussionPane(Pane):
    """Learning objectives and discussion questions."""

    def build(self, document: Document, library: Library, lang: Lang) -> Iterator[Widget]:
        if not isinstance(document, Case):
            return
        if document.learning_objectives:
            yield _block(
                heading(t("objectives", lang)),
                _bullets(document.learning_objectives, lang),
                item=("learning_objectives",),
            )
        if document.discussion_questions:
            yield _block(
                heading(t("questions", lang)),
                _bullets(document.discussion_questions, lang, numbered=True),
                item=("discussion_questions",),
            )


_IMPORTED: dict[str, type[Pane]] = {
    "overview": OverviewPane,
    "challenges": ChallengesPane,
    "people": PeoplePane,
    "discussion": DiscussionPane,
}


def pane_type(pane: str) -> type[Pane]:
    """The class of ``pane``. The timeline and metrics panes, with their widgets, are
    imported when first asked for: the first screen needs neither."""
    if pane == "timeline":
        from casebook.widgets.timeline_pane import TimelinePane

        return TimelinePane
    if pane == "metrics":
        from casebook.widgets.metrics_pane import MetricsPane

        return MetricsPane
    return _IMPORTED[pane]
