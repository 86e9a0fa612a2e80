"""Cases side by side, and every event of the casebook on one time axis."""

from __future__ import annotations

from rich import box
from rich.cells import cell_len
from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.screen import Screen
from textual.widgets import SelectionList, Static
from textual.widgets.selection_list import Selection

from casebook.actions import footer_label
from casebook.model.format.text import Lang, pick
from casebook.model.format.words import t
from casebook.model.load.library import Library
from casebook.model.views.compare import (
    MAX_CASES,
    MIN_CASES,
    TimelineEntry,
    compare,
    merged_timeline,
)
from casebook.screens.language import Bilingual
from casebook.widgets.key_bar import KeyBar
from casebook.widgets.render import figure, plain, say


def _pick_list(entries: list[tuple[str, Text]], selected: set[str]) -> SelectionList[str]:
    return SelectionList[str](
        *(Selection(name, key, key in selected, id=key) for key, name in entries), id="picker"
    )


def _rename(picker: SelectionList[str], entries: list[tuple[str, Text]]) -> None:
    """Show the picker's entries under new names (in another language)."""
    for key, name in entries:
        picker.replace_option_prompt(key, name)


def _labels(action: str, lang: Lang) -> str | None:
    """The key bar's labels: escape leaves, the app's keys as everywhere."""
    return t("leave", lang) if action == "app.pop_screen" else footer_label(action, lang)


class CompareScreen(Bilingual, Screen[None]):
    """Pick 2–4 cases; see identity, headline figures, metrics by kind, merged timelines."""

    CSS_PATH = "compare.tcss"

    BINDINGS = [Binding("escape", "app.pop_screen", "Back")]

    def __init__(self, library: Library, chosen: list[str], lang: Lang) -> None:
        super().__init__()
        self.library = library
        self.chosen = chosen
        self.set_reactive(CompareScreen.lang, lang)

    def _entries(self) -> list[tuple[str, Text]]:
        return [
            (case_id, plain(pick(case.company.name, self.lang)))
            for case_id, case in self.library.cases.items()
        ]

    def compose(self) -> ComposeResult:
        with Horizontal(id="compare-main"):
            yield _pick_list(self._entries(), set(self.chosen))
            yield VerticalScroll(Static(id="compare-body"), id="compare-view")
        yield KeyBar(_labels, lang=self.lang).data_bind(CompareScreen.lang)

    def on_mount(self) -> None:
        self.query_one("#picker").border_title = t("compare_pick", self.lang)
        self._show()

    def watch_lang(self) -> None:
        _rename(self.query_one(SelectionList), self._entries())
        self.on_mount()

    @on(SelectionList.SelectedChanged)
    def _picked(self) -> None:
        self._show()

    def selected(self) -> list[str]:
        picked = set(self.query_one(SelectionList).selected)
        return [case_id for case_id in self.library.cases if case_id in picked]

    def _show(self) -> None:
        body = self.query_one("#compare-body", Static)
        ids = self.selected()
        if not MIN_CASES <= len(ids) <= MAX_CASES:
            body.update(Text(t("compare_pick", self.lang), style="dim"))
            return
        cases = [self.library.cases[case_id] for case_id in ids]
        body.update(self._comparison(cases))

    def _comparison(self, cases: list) -> RenderableType:
        lang = self.lang
        comparison = compare(cases, self.library.collection)
        table = Table(expand=True, box=box.SIMPLE_HEAD, header_style="bold", show_lines=True)
        table.add_column("", style="dim", ratio=2)
        for case in cases:
            table.add_column(plain(pick(case.company.name, lang), "bold"), ratio=3)
        for row in comparison.identity:
            cells = [plain(row.cell(index, lang)) for index in range(len(cases))]
            table.add_row(say(row.label, lang), *cells)
        table.add_row(
            Text(t("headline", lang), style="bold"),
            *(_figures(metrics, lang) for metrics in comparison.headlines),
        )
        for row in comparison.metrics:
            table.add_row(
                Text(row.title, style="bold"), *(_figures(metrics, lang) for metrics in row.cells)
            )
        timeline = merged_timeline(cases)
        heading = Text(t("merged_timeline", lang), style="bold underline")
        return Group(table, heading, _axis(timeline, cases, lang))


def _figures(metrics: tuple, lang: Lang) -> Text:
    parts = []
    for metric in metrics:
        line = say(metric.label, lang, "dim")
        line.append("\n")
        line.append_text(figure(metric, lang))
        parts.append(line)
    return Text("\n").join(parts)


def _axis(entries: list[TimelineEntry], cases: list, lang: Lang) -> Table:
    """Events of several cases on one time axis: a column per case, a row per event."""
    table = Table(expand=True, box=box.SIMPLE, show_header=True, header_style="bold")
    table.add_column(t("date", lang), no_wrap=True, style="bold")
    owners = [case.id for case in cases]
    for case in cases:
        table.add_column(plain(pick(case.company.name, lang)), ratio=1)
    for entry in entries:
        if entry.owner not in owners:
            continue
        cells: list[Text] = [Text("")] * len(owners)
        cells[owners.index(entry.owner)] = say(entry.event.title, lang)
        table.add_row(plain(entry.event.date.label(lang)), *cells)
    return table


class TimelineScreen(Bilingual, Screen[None]):
    """Every event of the collection and its context on one axis; pick whose to show."""

    CSS_PATH = "compare.tcss"

    BINDINGS = [Binding("escape", "app.pop_screen", "Back")]

    def __init__(self, library: Library, lang: Lang) -> None:
        super().__init__()
        self.library = library
        self.set_reactive(TimelineScreen.lang, lang)
        self.entries = merged_timeline(list(library.cases.values()), library.collection)

    def _owners(self) -> list[tuple[str, Text]]:
        owners: dict[str, Text] = {}
        for entry in self.entries:
            owners.setdefault(entry.owner, say(entry.owner_name, self.lang))
        return list(owners.items())

    def compose(self) -> ComposeResult:
        owners = self._owners()
        with Horizontal(id="compare-main"):
            yield _pick_list(owners, {key for key, _ in owners})
            yield VerticalScroll(Static(id="compare-body"), id="compare-view")
        yield KeyBar(_labels, lang=self.lang).data_bind(TimelineScreen.lang)

    def on_mount(self) -> None:
        self.query_one("#picker").border_title = t("timeline_owners", self.lang)
        self._show()

    def watch_lang(self) -> None:
        _rename(self.query_one(SelectionList), self._owners())
        self.on_mount()

    @on(SelectionList.SelectedChanged)
    def _picked(self) -> None:
        self._show()

    def _show(self) -> None:
        shown = set(self.query_one(SelectionList).selected)
        lang = self.lang
        lines = []
        last_year: int | None = None
        for entry in self.entries:
            if entry.owner not in shown:
                continue
            year = entry.event.date.start.year
            tick = "┼" if year != last_year else "│"
            last_year = year
            label = entry.event.date.label(lang)
            line = plain(" " * max(0, 14 - cell_len(label)) + f"{label} {tick} ", "bold")
            line.append_text(say(entry.owner_name, lang, "cyan"))
            line.append(" · ")
            line.append_text(say(entry.event.title, lang))
            lines.append(line)
        body = Text("\n").join(lines) if lines else Text(t("no_events", lang), style="dim")
        self.query_one("#compare-body", Static).update(body)
