"""A vertical timeline: events on a line, the highlighted one's detail beside it (and
where it comes from)."""

from __future__ import annotations

import msgspec
from rich.cells import cell_len
from rich.text import Text
from textual import events
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from casebook.model.format.addresses import Item
from casebook.model.format.case import Event
from casebook.model.format.text import Lang
from casebook.model.format.text import Text as CaseText
from casebook.model.format.words import t
from casebook.model.views.origins import Origin
from casebook.widgets.flow import Flow
from casebook.widgets.origins import origin_lines
from casebook.widgets.render import flows, plain, say

# Markers tell precision at a glance: a dot for a day, month or year; a bar for a
# range; a hollow ring for a fuzzy period, which is never drawn as an exact year.
_MARKERS = {"day": "●", "month": "●", "year": "●", "range": "┃", "decade": "◌", "part": "◌"}

_MOST_LINES = 16
"""The most lines of events shown at once (the list scrolls)."""


class TimelineItem(msgspec.Struct, frozen=True):
    """An event, where it sits in its document, who it belongs to (a case or a region),
    and where it comes from (when it has a passage)."""

    event: Event
    key: Item = ()
    owner: CaseText | None = None
    origin: Origin | None = None


class _EventList(OptionList):
    """An OptionList that keeps its rows' measures while its width stays the same (an
    OptionList measures every row again after any Resize, which a pane shown again gets)."""

    _measured_width = 0

    def _on_resize(self, event: events.Resize) -> None:
        if event.size.width == self._measured_width:
            event.prevent_default()  # OptionList's handler would forget the measures
        self._measured_width = event.size.width


class TimelineView(Vertical):
    """Events in date order; moving through them shows each one's detail."""

    DEFAULT_CSS = """
    TimelineView { height: auto; }
    TimelineView OptionList { border: none; padding: 0; }
    TimelineView OptionList:focus { border: none; background-tint: $foreground 5%; }
    TimelineView .timeline-detail { padding: 1 2 0 2; }
    """

    def __init__(self, items: list[TimelineItem], lang: Lang) -> None:
        super().__init__()
        self.items = sorted(items, key=lambda item: item.event.date.sort_key)
        self.lang = lang

    def compose(self) -> ComposeResult:
        self.date_width = max(
            (cell_len(i.event.date.label(self.lang)) for i in self.items), default=4
        )
        self.text_width = 0
        rows = [self._row(item) for item in self.items]
        event_list = _EventList(
            *(Option(row, str(n)) for n, row in enumerate(rows)), classes="timeline-events"
        )
        _fit(event_list, rows)
        yield event_list
        yield Static(classes="timeline-detail")

    def on_resize(self) -> None:
        """Wrap titles to the width there is, so the line runs unbroken beside them: now,
        and again once laid out (a scroll bar the pane grows, as a longer detail shows,
        narrows the list only then)."""
        self._wrap()
        self.call_after_refresh(self._wrap)

    def _wrap(self) -> None:
        events = self.query_one(OptionList)
        width = events.scrollable_content_region.width - self.date_width - 3
        if width > 8 and width != self.text_width:
            self.text_width = width
            rows = [self._row(item) for item in self.items]
            for number, row in enumerate(rows):
                events.replace_option_prompt_at_index(number, row)
            _fit(events, rows)

    def _row(self, item: TimelineItem) -> Text:
        """Date, marker and title; wrapped title lines keep the line (│) beside them."""
        date = item.event.date
        label = date.label(self.lang)
        exact = date.precision in ("year", "month", "day")
        marker = _MARKERS[date.precision]
        rail = "┃" if marker == "┃" else "│"
        title = say(item.event.title, self.lang)
        if item.owner is not None:
            title.append("  · ", style="italic")
            title.append_text(say(item.owner, self.lang, "italic"))
        if date.precision == "range":
            years = date.end.year - date.start.year + 1
            title.append("\n╞" + "═" * min(years, 24) + "╡", style="cyan")
            title.append(" " + t("span_years", self.lang, n=years), style="italic")
        lines = Flow(title).lines(self.text_width) if self.text_width else title.split()
        row = Text(
            label + " " * (self.date_width - cell_len(label)), style="bold" if exact else "italic"
        )
        for number, line in enumerate(lines):
            if number:
                row.append("\n" + " " * self.date_width)
            row.append(f" {marker if number == 0 else rail} ", style="cyan")
            row.append_text(line)
        return row

    def on_mount(self) -> None:
        events = self.query_one(OptionList)
        if self.items:
            events.highlighted = 0

    def select(self, key: Item) -> None:
        """Highlight the event at ``key`` (as a search hit or bookmark names it)."""
        for number, item in enumerate(self.items):
            if item.key and key[: len(item.key)] == item.key:
                self.query_one(OptionList).highlighted = number
                return

    def current_key(self) -> Item:
        """The key of the highlighted event, or () when none is."""
        highlighted = self.query_one(OptionList).highlighted
        return self.items[highlighted].key if highlighted is not None else ()

    def current_event(self) -> Event | None:
        highlighted = self.query_one(OptionList).highlighted
        return self.items[highlighted].event if highlighted is not None else None

    def on_option_list_option_highlighted(self, message: OptionList.OptionHighlighted) -> None:
        message.stop()
        self.show_detail(int(message.option.id or 0))

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


def _fit(events: OptionList, rows: list[Text]) -> None:
    """Make the list as tall as its rows' lines, up to :data:`_MOST_LINES` (left to Textual,
    as ``height: auto``, every row would be measured again at each layout)."""
    events.styles.height = min(_MOST_LINES, sum(row.plain.count("\n") + 1 for row in rows))
