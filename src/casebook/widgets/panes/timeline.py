"""The timeline pane: events in order on a vertical line (imported when first opened)."""

from __future__ import annotations

from collections.abc import Iterator

from rich.text import Text
from textual.widget import Widget
from textual.widgets import Static

from casebook.model.format.case import Case, Document
from casebook.model.format.text import Lang, pick
from casebook.model.format.words import t
from casebook.model.load.library import Library
from casebook.model.views.origins import Origins
from casebook.widgets.flow import Flow
from casebook.widgets.panes.base import Item, Pane, registered
from casebook.widgets.timeline import TimelineItem, TimelineView


@registered("timeline")
class TimelinePane(Pane):
    """Events in order on a vertical line; the highlighted one's detail below."""

    def build(self, document: Document, library: Library, lang: Lang) -> Iterator[Widget]:
        origins = Origins(document, self.sources)
        if isinstance(document, Case):
            items = [
                TimelineItem(
                    event, ("timeline", index), origin=origins.of(event.source, event.passage)
                )
                for index, event in enumerate(document.timeline)
            ]
        else:
            items = [
                TimelineItem(
                    event,
                    ("context", number, "timeline", index),
                    region.name,
                    origins.of(event.source, event.passage),
                )
                for number, region in enumerate(document.context)
                for index, event in enumerate(region.timeline)
            ]
        if items:
            yield TimelineView(items, lang)
        else:
            yield Static(Flow(Text(t("no_events", lang), style="dim")))

    def reveal(self, item: Item, settle: bool = True) -> None:
        for view in self.query(TimelineView):
            view.select(item)

    def current_item(self) -> Item:
        views = self.query(TimelineView)
        return views.first().current_key() if views else ()

    def item_label(self, lang: Lang) -> str:
        views = self.query(TimelineView)
        event = views.first().current_event() if views else None
        return f"{event.date.label(lang)} {pick(event.title, lang)}" if event else ""
