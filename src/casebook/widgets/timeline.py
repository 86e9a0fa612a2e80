"""A vertical timeline: events on a line, the highlighted one's detail beside it (and
where it comes from)."""

from __future__ import annotations

import msgspec
from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import Static

from casebook.model.format.addresses import Item
from casebook.model.format.case import Event
from casebook.model.format.linebreak import cells
from casebook.model.format.text import Lang
from casebook.model.format.text import Text as CaseText
from casebook.model.format.words import t
from casebook.model.views.origins import Origin
from casebook.widgets.fitted_list import FittedList, hanging_height, paragraph_cells
from casebook.widgets.flow import Flow
from casebook.widgets.line_list import LineList, Row, Rows
from casebook.widgets.origins import origin_lines
from casebook.widgets.render import flows, plain, say

# Markers tell precision at a glance: a dot for a day, month or year; a bar for a
# range; a hollow ring for a fuzzy period, which is never drawn as an exact year.
_MARKERS = {"day": "●", "month": "●", "year": "●", "range": "┃", "decade": "◌", "part": "◌"}


class TimelineItem(msgspec.Struct, frozen=True):
    """An event, where it sits in its document, who it belongs to (a case or a region),
    and where it comes from (when it has a passage)."""

    event: Event
    key: Item = ()
    owner: CaseText | None = None
    origin: Origin | None = None


class TimelineView(Vertical):
    """Events in date order; moving through them shows each one's detail.

    The events are a :class:`FittedList`: their rows are laid out for its width, each
    made when it is drawn, so a long timeline opens at the cost of the rows in view."""

    DEFAULT_CSS = """
    TimelineView { height: auto; }
    TimelineView > FittedList {
        border: none;
        padding: 0;
        max-height: 16;
    }
    TimelineView > FittedList:focus { border: none; background-tint: $foreground 5%; }
    TimelineView .timeline-detail { padding: 1 2 0 2; }
    """

    def __init__(self, items: list[TimelineItem], lang: Lang) -> None:
        super().__init__()
        self.items = sorted(items, key=lambda item: item.event.date.sort_key)
        self.lang = lang
        self.date_width = max((cells(i.event.date.label(lang)) for i in self.items), default=4)
        self._titles = [self._title(item) for item in self.items]
        self._cells = [paragraph_cells(title.plain) for title in self._titles]
        """How wide each title's paragraphs are, for the rows' heights at any width."""

    def compose(self) -> ComposeResult:
        events = FittedList(classes="timeline-events")
        events.lay_out(self._rows)
        yield events
        yield Static(classes="timeline-detail")

    def _rows(self, width: int) -> Rows:
        """A row per event at ``width``: its date and marker, and its title wrapped beside
        the line (its height estimated from the title's cells until it is made)."""
        text_width = max(1, width - self.date_width - 3)
        ids = [str(number) for number in range(len(self.items))]
        heights = [hanging_height(0, title, text_width) for title in self._cells]
        return Rows(ids, heights, lambda number: self._row(number, text_width))

    def _title(self, item: TimelineItem) -> Text:
        """The event's title (and whose it is), and a span's bar under it for a range."""
        date = item.event.date
        title = say(item.event.title, self.lang)
        if item.owner is not None:
            title.append("  · ", style="italic")
            title.append_text(say(item.owner, self.lang, "italic"))
        if date.precision == "range":
            years = date.end.year - date.start.year + 1
            title.append("\n╞" + "═" * min(years, 24) + "╡", style="cyan")
            title.append(" " + t("span_years", self.lang, n=years), style="italic")
        return title

    def _row(self, number: int, width: int) -> Row:
        """Date, marker and title; wrapped title lines keep the line (│) beside them."""
        date = self.items[number].event.date
        label = date.label(self.lang)
        exact = date.precision in ("year", "month", "day")
        marker = _MARKERS[date.precision]
        rail = "┃" if marker == "┃" else "│"
        style = "bold" if exact else "italic"
        date_column = label + " " * (self.date_width - cells(label))
        lines = []
        for index, line in enumerate(Flow(self._titles[number]).lines(width)):
            row = Text(" " * self.date_width if index else date_column, style=style)
            row.append(f" {marker if index == 0 else rail} ", style="cyan")
            row.append_text(line)
            lines.append(row)
        return Row(str(number), lines)

    def select(self, key: Item) -> None:
        """Highlight the event at ``key`` (as a search hit or bookmark names it)."""
        for number, item in enumerate(self.items):
            if item.key and key[: len(item.key)] == item.key:
                self.query_one(FittedList).highlight_id(str(number))
                return

    def current_key(self) -> Item:
        """The key of the highlighted event, or () when none is."""
        highlighted = self.query_one(FittedList).highlighted
        return self.items[highlighted].key if highlighted is not None else ()

    def current_event(self) -> Event | None:
        highlighted = self.query_one(FittedList).highlighted
        return self.items[highlighted].event if highlighted is not None else None

    def on_line_list_highlighted(self, message: LineList.Highlighted) -> None:
        message.stop()
        self.show_detail(message.index)

    def show_detail(self, index: int) -> None:
        item = self.items[index]
        event = item.event
        header = plain(event.date.label(self.lang), "bold")
        if event.date.precision in ("decade", "part"):
            header.append(t("approximate", self.lang), style="dim")
        self.query_one(".timeline-detail", Static).update(
            flows(
                header,
                say(event.title, self.lang, "bold"),
                say(event.detail, self.lang),
                *origin_lines(item.origin, self.lang),
            )
        )
