"""Search every case and the collection, in both languages, as you type."""

from __future__ import annotations

from collections.abc import Callable

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, OptionList, Static
from textual.widgets.option_list import Option

from casebook.model.search import Hit, SearchIndex
from casebook.model.text import Lang, strip_unsafe
from casebook.model.words import t
from casebook.screens.dialog import ClickOutsideCloses

SNIPPET_WIDTH = 70
MAX_RESULTS = 60
"""Results listed per keystroke: enough to scan, few enough to redraw at typing speed."""


def hit_prompt(hit: Hit, where: str) -> Text:
    """'Huayi Precision · Timeline' over the snippet, the match highlighted."""
    snippet, start, end = hit.snippet(SNIPPET_WIDTH)
    text = Text(where, style="bold")
    text.append("\n")
    line = Text(strip_unsafe(snippet[:start]))
    line.append(strip_unsafe(snippet[start:end]), style="reverse bold")
    line.append(strip_unsafe(snippet[end:]))
    text.append_text(line)
    return text


class SearchScreen(ClickOutsideCloses, ModalScreen[Hit | None]):
    """Type to search; down moves into the results; enter jumps to the highlighted one."""

    CSS_PATH = "dialogs.tcss"

    BINDINGS = [
        Binding("escape", "cancel", "Close"),
        Binding("down", "results", "Results", show=False),
    ]

    def __init__(
        self,
        index: SearchIndex,
        describe: Callable[[Hit], str],
        lang: Lang,
        query: str = "",
    ) -> None:
        super().__init__()
        self.index = index
        self.describe = describe
        self.lang = lang
        self.query_text = query
        self.hits: list[Hit] = []

    def compose(self) -> ComposeResult:
        with Vertical(id="search-box"):
            yield Input(self.query_text, placeholder=t("search_hint", self.lang), id="search-input")
            yield Static(id="search-count")
            yield OptionList(id="search-results")

    def on_mount(self) -> None:
        self.query_one(Input).focus()
        self._search(self.query_text)

    @on(Input.Changed)
    def _changed(self, message: Input.Changed) -> None:
        self._search(message.value)

    def _search(self, query: str) -> None:
        self.hits = self.index.search(query, limit=MAX_RESULTS)
        results = self.query_one(OptionList)
        results.clear_options()
        results.add_options(
            Option(hit_prompt(hit, self.describe(hit)), str(n)) for n, hit in enumerate(self.hits)
        )
        if self.hits:
            results.highlighted = 0
        count = t("results", self.lang, n=len(self.hits)) if query.strip() else ""
        self.query_one("#search-count", Static).update(Text(count, style="dim"))

    @on(Input.Submitted)
    def _submitted(self) -> None:
        results = self.query_one(OptionList)
        if results.highlighted is not None and self.hits:
            self.dismiss(self.hits[results.highlighted])

    @on(OptionList.OptionSelected)
    def _selected(self, message: OptionList.OptionSelected) -> None:
        self.dismiss(self.hits[int(message.option.id or 0)])

    def action_results(self) -> None:
        if self.hits:
            self.query_one(OptionList).focus()

    def action_cancel(self) -> None:
        self.dismiss(None)
