"""A vertical timeline: events on a line, the highlighted one's detail beside it."""

from __future__ import annotations

from dataclasses import dataclass

from rich.cells import cell_len
from rich.console import Console, ConsoleOptions, RenderResult
from rich.segment import Segment
from rich.style import Style
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


class TimelineRow:
    """One event on the line: date, marker, title; wrapped lines keep the line unbroken."""

    def __init__(self, date: Text, marker: str, title: Text, span: Text | None) -> None:
        self.date, self.marker, self.title, self.span = date, marker, title, span

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        gutter = self.date.cell_len + 3
        room = max(8, options.max_width - gutter)
        lines = console.render_lines(self.title, options.update(width=room, height=None), pad=False)
        if self.span is not None:
            lines += console.render_lines(
                self.span, options.update(width=room, height=None), pad=False
            )
        blank = Segment(" " * self.date.cell_len)
        rail = Style(color="cyan")
        for number, line in enumerate(lines):
            if number == 0:
                yield from self.date.render(console)
                yield Segment(f" {self.marker} ", rail)
            else:
                yield blank
                yield Segment(" │ " if self.marker != "┃" else " ┃ ", rail)
            yield from line
            yield Segment.line()


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

    def _row(self, item: TimelineItem, width: int) -> TimelineRow:
        date = item.event.date
        label = date.label(self.lang)
        exact = date.precision in ("year", "month", "day")
        title = say(item.event.title, self.lang)
        if item.owner is not None:
            title.append_text(plain(f"  · {say(item.owner, self.lang).plain}", "italic"))
        span = None
        if date.precision == "range":
            years = date.end.year - date.start.year + 1
            span = Text("╞" + "═" * min(years, 24) + "╡", style="cyan")
            span.append(f" {years} " + ("years" if self.lang == "en" else "年"), style="italic")
        date_text = Text(
            label + " " * (width - cell_len(label)), style="bold" if exact else "italic"
        )
        return TimelineRow(date_text, _MARKERS[date.precision], title, span)

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
