"""A vertical timeline: events on a line, the highlighted one's detail beside it."""

from __future__ import annotations

from dataclasses import dataclass

from rich.cells import cell_len
from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from casebook.model.case import Event
from casebook.model.text import Lang
from casebook.model.text import Text as CaseText
from casebook.widgets.render import lines, plain, say

# Markers tell precision at a glance: a dot for a day, month or year; a bar for a
# range; a hollow ring for a fuzzy period, which is never drawn as an exact year.
_MARKERS = {"day": "●", "month": "●", "year": "●", "range": "┃", "decade": "◌", "part": "◌"}


@dataclass(frozen=True)
class TimelineItem:
    """An event, where it sits in its document, and who it belongs to (a case or a region)."""

    event: Event
    key: tuple[str | int, ...] = ()
    owner: CaseText | None = None


class TimelineView(Vertical):
    """Events in date order; moving through them shows each one's detail."""

    DEFAULT_CSS = """
    TimelineView { height: auto; }
    TimelineView OptionList { height: auto; max-height: 16; border: none; padding: 0; }
    TimelineView .timeline-detail { padding: 1 2 0 2; }
    """

    def __init__(self, items: list[TimelineItem], lang: Lang) -> None:
        super().__init__()
        self.items = sorted(items, key=lambda item: item.event.date.sort_key)
        self.lang = lang

    def compose(self) -> ComposeResult:
        width = max((cell_len(i.event.date.label(self.lang)) for i in self.items), default=4)
        options = [Option(self._row(item, width), str(n)) for n, item in enumerate(self.items)]
        yield OptionList(*options, classes="timeline-events")
        yield Static(classes="timeline-detail")

    def _row(self, item: TimelineItem, width: int) -> Text:
        date = item.event.date
        label = date.label(self.lang)
        exact = date.precision in ("year", "month", "day")
        pad = " " * (width - cell_len(label) + 1)
        row = Text(label + pad, style="bold" if exact else "italic")
        row.append(f"{_MARKERS[date.precision]} ", style="cyan")
        row.append_text(say(item.event.title, self.lang))
        if item.owner is not None:
            row.append_text(plain(f"  · {say(item.owner, self.lang).plain}", "dim"))
        if date.precision == "range":
            years = date.end.year - date.start.year + 1
            row.append(f"\n{' ' * (width + 1)}┃ ", style="cyan")
            row.append("╞" + "═" * min(years, 24) + "╡", style="cyan")
            row.append(f" {years} " + ("years" if self.lang == "en" else "年"), style="dim")
        return row

    def on_mount(self) -> None:
        events = self.query_one(OptionList)
        if self.items:
            events.highlighted = 0

    def select(self, key: tuple[str | int, ...]) -> None:
        """Highlight the event at ``key`` (as a search hit or bookmark names it)."""
        for number, item in enumerate(self.items):
            if item.key and key[: len(item.key)] == item.key:
                self.query_one(OptionList).highlighted = number
                return

    def current_key(self) -> tuple[str | int, ...]:
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
            header.append("  (approximate)" if self.lang == "en" else "（大致时间）", style="dim")
        self.query_one(".timeline-detail", Static).update(
            lines(header, say(event.title, self.lang, "bold"), say(event.detail, self.lang))
        )
