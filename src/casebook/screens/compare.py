"""Cases side by side, and every event of the casebook on one time axis."""

from __future__ import annotations

import re
import weakref
from array import array
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cached_property, partial

from rich.console import Group
from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.message import Message
from textual.reactive import var
from textual.screen import Screen

from casebook.actions import COMPARE_ACTIONS, TIMELINE_ACTIONS, bindings, footer_label
from casebook.model.format.addresses import INTRO_ID, Item
from casebook.model.format.linebreak import cells, cells_once
from casebook.model.format.text import LANGS, Lang, pick, strip_unsafe
from casebook.model.format.text import Text as CaseText
from casebook.model.format.words import t
from casebook.model.load.library import Library, cards, chronicle_in, chronicles
from casebook.model.mapped import Mapped
from casebook.model.views.compare import (
    MAX_CASES,
    MIN_CASES,
    AllEvents,
    TimelineEntry,
    compare,
    merged_timeline,
)
from casebook.screens.language import Bilingual
from casebook.screens.off_screen import Kept
from casebook.widgets.columns import Cell, Columns
from casebook.widgets.fitted_list import FittedList, estimated_height, hanging_lines
from casebook.widgets.flow import Flow
from casebook.widgets.key_bar import KeyBar
from casebook.widgets.line_block import LineView
from casebook.widgets.line_list import LineList, Row, Rows
from casebook.widgets.picker import Picker
from casebook.widgets.render import figure, plain, say

NARROW = 96
"""Below this many columns the picker starts hidden when there is already something to
show beside it (``s`` shows it again)."""


class Picking(Kept):
    """What the compare and all-events screens share: a picker beside the view, hidden
    and shown again with ``s``; each kept by the explorer for its library."""

    picker_shown: var[bool] = var(True, init=False)
    VIEW = "#compare-body"
    """The view beside the picker, focused when the picker is hidden."""

    def watch_picker_shown(self, shown: bool) -> None:
        picker = self.query_one("#picker")  # type: ignore[attr-defined]
        picker.display = shown
        if shown:
            picker.focus()
        elif picker.has_focus:
            self.query_one(self.VIEW).focus()  # type: ignore[attr-defined]

    def action_toggle_picker(self) -> None:
        """Show or hide the picker (the view takes the whole width)."""
        self.picker_shown = not self.picker_shown

    def _app_quitting(self) -> bool:
        """Whether the app is quitting: a screen the warm-up builds off screen can mount
        while the app closes it, its widgets half gone."""
        return not self.app.is_running  # type: ignore[attr-defined]


def _labels(action: str, lang: Lang) -> str | None:
    """The key bar's labels: escape leaves, the app's keys as everywhere."""
    return t("leave", lang) if action == "app.pop_screen" else footer_label(action, lang)


class CompareScreen(Picking, Bilingual, Screen[None]):
    """Pick 2–4 cases; see identity, headline figures, metrics by kind, merged timelines."""

    CSS_PATH = "compare.tcss"

    BINDINGS = [Binding("escape", "app.pop_screen", "Back"), *bindings(COMPARE_ACTIONS)]

    def __init__(self, library: Library, chosen: list[str], lang: Lang) -> None:
        super().__init__()
        self.library = library
        self.chosen = chosen
        self.set_reactive(CompareScreen.lang, lang)

    def _entries(self) -> list[tuple[str, str]]:
        return _kept(self.library).names(self.lang)

    def choose(self, chosen: list[str]) -> None:
        """Start again from ``chosen`` ticked (the screen kept, opened again)."""
        self.chosen = chosen
        if self.is_mounted:
            self.query_one(Picker).tick_only(set(chosen))
            self._show_picker()

    def compose(self) -> ComposeResult:
        yield Picker(self._entries(), set(self.chosen), id="picker")
        yield LineView(Text(), id="compare-body")
        yield KeyBar(_labels, lang=self.lang).data_bind(CompareScreen.lang)

    def on_mount(self) -> None:
        if self._app_quitting():
            return
        self.query_one("#picker").border_title = t("compare_pick", self.lang)
        self._show()
        self._show_picker()

    def _show_picker(self) -> None:
        """Show the picker, unless the screen is narrow and there is already something
        to compare beside it."""
        narrow = self.app.size.width < NARROW
        self.picker_shown = not (narrow and MIN_CASES <= len(self.selected()) <= MAX_CASES)

    def watch_lang(self) -> None:
        self.query_one(Picker).rename(self._entries())
        self.query_one("#picker").border_title = t("compare_pick", self.lang)
        self._show()

    @on(Picker.Changed)
    def _picked(self) -> None:
        self._show()

    def selected(self) -> list[str]:
        picked = set(self.query_one(Picker).selected)
        return [case_id for case_id in self.library.cases if case_id in picked]

    def _show(self) -> None:
        body = self.query_one("#compare-body", LineView)
        ids = self.selected()
        if not MIN_CASES <= len(ids) <= MAX_CASES:
            body.update(Flow(Text(t("compare_pick", self.lang), style="dim")))
            return
        cases = [self.library.cases[case_id] for case_id in ids]
        body.update(self._comparison(cases))

    def _comparison(self, cases: list) -> Group:
        lang = self.lang
        comparison = compare(cases, self.library.collection)
        # The labels at their natural width, the cases sharing the rest (a column with
        # a long word takes what the others can spare); every cell wraps by casebook's
        # line breaker (a word wider than its column is cut).
        names = [Flow(plain(pick(case.company.name, lang), "bold")) for case in cases]
        rows: list[list[Cell]] = []
        for row in comparison.identity:
            cells = [_cell(row.cell(index, lang)) for index in range(len(cases))]
            rows.append([[Flow(say(row.label, lang, "dim"))], *cells])
        rows.append(
            [
                [Flow(Text(t("headline", lang), style="bold"))],
                *([_figures(metrics, lang)] for metrics in comparison.headlines),
            ]
        )
        for row in comparison.metrics:
            rows.append(
                [
                    [Flow(Text(row.title_in(lang), style="bold"))],
                    *([_figures(metrics, lang)] for metrics in row.cells),
                ]
            )
        table = Columns([Flow(Text()), *names], rows, spaced=True)
        timeline = merged_timeline(cases)
        heading = Flow(Text(t("merged_timeline", lang), style="bold underline"))
        return Group(table, heading, _axis(timeline, cases, lang))


def _cell(text: str) -> Cell:
    """A cell's lines, a bulleted one's wrapped lines under its text, not its bullet."""
    rows = []
    for line in text.split("\n"):
        bullet = re.match(r"• ?", line)
        if bullet is None:
            rows.append(Flow(plain(line)))
        else:
            rows.append(Flow(plain(line[bullet.end() :]), Text(bullet.group())))
    return rows


def _figures(metrics: tuple, lang: Lang) -> Flow:
    parts = []
    for metric in metrics:
        line = say(metric.label, lang, "dim")
        line.append("\n")
        line.append_text(figure(metric, lang))
        parts.append(line)
    return Flow(Text("\n").join(parts))


def _axis(entries: list[TimelineEntry], cases: list, lang: Lang) -> Columns:
    """Events of several cases on one time axis: a column per case, a row per event."""
    owners = [case.id for case in cases]
    header = [
        Flow(Text(t("date", lang), style="bold")),
        *(Flow(plain(pick(case.company.name, lang), "bold")) for case in cases),
    ]
    rows: list[list[Cell]] = []
    for entry in entries:
        if entry.owner not in owners:
            continue
        row: list[Cell] = [[] for _ in owners]
        row[owners.index(entry.owner)] = [Flow(say(entry.event.title, lang))]
        rows.append([[Flow(plain(entry.event.date.label(lang), "bold"))], *row])
    return Columns(header, rows, keep_first=True)


class TimelineScreen(Picking, Bilingual, Screen[None]):
    """Every event of the collection and its context on one axis, each once; pick whose
    to show; enter opens an event in its case's (or the introduction's) timeline."""

    CSS_PATH = "compare.tcss"

    BINDINGS = [Binding("escape", "app.pop_screen", "Back"), *bindings(TIMELINE_ACTIONS)]

    @dataclass
    class OpenAt(Message):
        """The reader asked to open ``entry_id`` on its Timeline pane at ``item``."""

        entry_id: str
        item: Item

    def __init__(self, library: Library, lang: Lang) -> None:
        super().__init__()
        self.library = library
        self.set_reactive(TimelineScreen.lang, lang)
        self.timeline = _kept(library).timeline
        self.shown: Sequence[TimelineEntry] = ()
        """The events shown, in order (each made when asked for)."""
        self._numbers: Sequence[int] = ()
        """The position on the timeline of each event shown."""

    def _owners(self) -> list[tuple[str, str]]:
        return self.timeline.owners(self.lang)

    def compose(self) -> ComposeResult:
        owners = self._owners()
        yield Picker(owners, {key for key, _ in owners}, id="picker")
        yield FittedList(id="compare-body")
        yield KeyBar(_labels, lang=self.lang).data_bind(TimelineScreen.lang)

    def on_mount(self) -> None:
        if self._app_quitting():
            return
        self.query_one("#picker").border_title = t("timeline_owners", self.lang)
        self._show()
        if self.app.size.width < NARROW:
            self.picker_shown = False
        else:
            self.query_one("#compare-body").focus()

    def watch_lang(self) -> None:
        self.query_one(Picker).rename(self._owners())
        self.query_one("#picker").border_title = t("timeline_owners", self.lang)
        self._show()

    @on(Picker.Changed)
    def _picked(self) -> None:
        self._show()

    def _show(self) -> None:
        self._numbers = self.timeline.numbers(set(self.query_one(Picker).selected))
        self.shown = Mapped(self._numbers, self.timeline.entry)
        self.query_one("#compare-body", FittedList).lay_out(self._rows)

    def _rows(self, width: int) -> list[Row] | Rows:
        """A row per event shown, laid out for ``width``: its date and a mark on the time
        axis (┼ where a year starts), then whose it is and its title, wrapped right of the
        axis; a row is made when it is drawn."""
        lang = self.lang
        if not self.shown:
            lines = hanging_lines(Text(""), Text(t("no_events", lang), style="dim"), width)
            return [Row(None, lines, True)]
        timeline, numbers = self.timeline, self._numbers
        dates, labels, what = timeline.events.dates, timeline.labels(lang), timeline.what[lang]
        column = max(labels[dates[number].text][1] for number in numbers)
        label_cells = column + 3  # every label is as wide: the dates are aligned
        heights = [estimated_height(label_cells, what[number], width) for number in numbers]
        ids = Mapped(numbers, str)

        def make(index: int) -> Row:
            when = dates[numbers[index]]
            first = index == 0 or dates[numbers[index - 1]].start.year != when.start.year
            shown, cells = labels[when.text]
            label = f"{' ' * (column - cells)}{shown} {'┼' if first else '│'} "
            label_text, text = _event_text(timeline.entry(numbers[index]), lang, label)
            return Row(ids[index], hanging_lines(label_text, text, width))

        return Rows(ids, heights, make)

    @on(LineList.Selected, "#compare-body")
    def _chosen(self, message: LineList.Selected) -> None:
        self._open(message.index)

    def action_open_event(self) -> None:
        """Open the highlighted event in its case's timeline."""
        body = self.query_one("#compare-body", FittedList)
        if body.highlighted is not None:
            self._open(body.highlighted)

    def _open(self, index: int) -> None:
        if not 0 <= index < len(self.shown):
            return
        entry = self.shown[index]
        entry_id = INTRO_ID if entry.context else entry.owner
        below = self.app.screen_stack[-2] if len(self.app.screen_stack) > 1 else None
        self.app.pop_screen()
        if below is not None:
            below.post_message(self.OpenAt(entry_id, entry.item))


class _Timeline:
    """A library's cross-case timeline, each event once (see ``AllEvents``), and how wide
    each event's words are in each language: made once per library, so the screen opens
    again quickly; an event's words are made again from its case when it is drawn."""

    def __init__(self, library: Library) -> None:
        self._library = weakref.ref(library)
        self.events, widths = AllEvents.build(
            chronicles(library.cases), library.collection, _widths
        )
        self.what: dict[Lang, array[int]] = dict(zip(LANGS, widths, strict=True))
        """How wide each event's words are (whose it is, its title, who tells it), by
        language, in the timeline's order."""
        self._labels: dict[Lang, dict[str, tuple[str, int]]] = {}
        self._owners: dict[Lang, list[tuple[str, str]]] = {}

    def entry(self, number: int) -> TimelineEntry:
        """The event at ``number`` on the timeline, read from its case."""
        library = self._library()
        assert library is not None  # kept only while it is alive
        return self.events.entry(number, partial(chronicle_in, library.cases))

    def numbers(self, owners: set[str]) -> array[int]:
        """The position of every event of ``owners`` or told by one of them, in order (an
        array: thousands of numbers, not of objects)."""
        events = self.events
        wanted = {number for number, (owner, _) in enumerate(events.owners) if owner in owners}
        cited = events.cited
        return array(
            "I",
            (
                number
                for number, owner in enumerate(events.owner)
                if owner in wanted
                or (number in cited and any(case_id in owners for case_id, _ in cited[number]))
            ),
        )

    def labels(self, lang: Lang) -> dict[str, tuple[str, int]]:
        """Each date as shown in ``lang``, and how wide, by its text (events share dates)."""
        found = self._labels.get(lang)
        if found is None:
            found = {}
            for when in self.events.dates:
                if when.text not in found:
                    shown = when.label(lang)
                    found[when.text] = (shown, cells(shown))
            self._labels[lang] = found
        return found

    def owners(self, lang: Lang) -> list[tuple[str, str]]:
        """Whose events there are (cases, regions), in the order their first event comes."""
        found = self._owners.get(lang)
        if found is None:
            events = self.events
            owners: dict[str, str] = {}
            for number, owner in enumerate(events.owner):
                for case_id, name in events.cited.get(number, ()):
                    owners.setdefault(case_id, name_in(name, lang))
                owner_id, name = events.owners[owner]
                if owner_id not in owners:
                    owners[owner_id] = name_in(name, lang)
            found = self._owners[lang] = list(owners.items())
        return found


def _widths(entry: TimelineEntry) -> list[int]:
    """How wide an event's words are in each language (see ``LANGS``)."""
    return [cells_once("".join(_event_words(entry, lang))) for lang in LANGS]


class _Kept:
    """What the screens show of one library, made as first asked for and kept while it
    is the library shown (a library is never changed once loaded: a reload makes a new
    one), so that they open again quickly."""

    def __init__(self, library: Library) -> None:
        self.library = weakref.ref(library)
        self._names: dict[Lang, list[tuple[str, str]]] = {}

    @cached_property
    def timeline(self) -> _Timeline:
        """The cross-case timeline."""
        library = self.library()
        assert library is not None  # kept only while it is alive
        return _Timeline(library)

    def names(self, lang: Lang) -> list[tuple[str, str]]:
        """Each case's id and its company's name in ``lang``, in reading order."""
        found = self._names.get(lang)
        if found is None:
            library = self.library()
            assert library is not None  # kept only while it is alive
            found = self._names[lang] = [
                (card.id, name_in(card.company.name, lang)) for card in cards(library.cases)
            ]
        return found


_KEPT: list[_Kept] = []
"""What is kept of the library last shown."""


def _kept(library: Library) -> _Kept:
    """What is kept of ``library``, starting afresh when it is not the one last shown."""
    kept = _KEPT[0] if _KEPT else None
    if kept is None or kept.library() is not library:
        kept = _Kept(library)
        _KEPT[:] = [kept]
    return kept


def warm_up(library: Library, lang: Lang) -> None:
    """Make what the compare and all-events screens show of ``library`` in ``lang``
    ahead of their first open (the app does it in a thread, after start: the whole
    casebook's timeline of 2,000 cases takes 70-100 ms to make). Safe beside a screen
    asking for the same: each part is made whole before it is kept."""
    kept = _kept(library)
    kept.names(lang)
    kept.timeline.owners(lang)
    kept.timeline.labels(lang)


def name_in(name: CaseText, lang: Lang) -> str:
    """A name from the case files in ``lang``, as it is shown."""
    return strip_unsafe(pick(name, lang))


def _event_words(
    entry: TimelineEntry, lang: Lang, names: dict[str, str] | None = None
) -> tuple[str, str, str]:
    """Whose the event is, its title, and who tells it (for a context event): as shown
    (owners' names kept in ``names`` by id, when given: thousands of events share them)."""
    names = {} if names is None else names

    def owner(owner_id: str, name: CaseText) -> str:
        found = names.get(owner_id)
        if found is None:
            found = names[owner_id] = name_in(name, lang)
        return found

    told = ""
    if entry.cited_by:
        cited = ", ".join(owner(case_id, name) for case_id, name in entry.cited_by)
        told = f"  {t('told_by', lang, names=cited)}"
    return owner(entry.owner, entry.owner_name), f" · {name_in(entry.event.title, lang)}", told


def _event_text(entry: TimelineEntry, lang: Lang, when: str) -> tuple[Text, Text]:
    """An event's date and axis mark (``when``), then its words, styled."""
    owner, title, told = _event_words(entry, lang)
    return Text(when, style="bold"), Text.assemble((owner, "cyan"), title, (told, "dim"))
