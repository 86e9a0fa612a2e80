"""Search every case and the collection, in both languages, as you type."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.message import Message
from textual.screen import ModalScreen
from textual.widgets import Input, Static

from casebook.model.format.text import Lang, strip_unsafe
from casebook.model.format.words import t
from casebook.model.views.search import Hit, SearchIndex, search_notes
from casebook.screens.dialog import ClickOutsideCloses
from casebook.widgets.line_list import LineList, Row, Rows

SNIPPET_WIDTH = 70
MAX_RESULTS = 60
"""Results listed per keystroke: enough to scan, few enough to redraw at typing speed."""


def hit_lines(
    hit: Hit, describe: Callable[[Hit], str], width: int = SNIPPET_WIDTH
) -> tuple[Text, Text]:
    """'Huayi Precision · Timeline' over the snippet (a window of ``width`` cells), every
    matched word highlighted."""
    snippet, start, _end = hit.snippet(width)
    line = Text(strip_unsafe(snippet))  # one character for one: spans stay right
    shown = len(snippet) - (snippet.endswith("…") and hit.text[-1:] != "…")
    cut = int(snippet.startswith("…") and hit.text[:1] != "…")  # the ellipsis before
    for first, last in hit.all_spans():
        a, b = first - hit.start + start, last - hit.start + start
        if b > cut and a < shown:
            line.stylize("reverse bold", max(a, cut), min(b, shown))
    title = Text(describe(hit), style="bold")
    if hit.field == "note":
        title.stylize("yellow")
    return title, line


class SearchScreen(ClickOutsideCloses, ModalScreen[Hit | None]):
    """Type to search; down moves into the results; enter jumps to the highlighted one."""

    CSS_PATH = "dialogs.tcss"

    BINDINGS = [
        Binding("escape", "cancel", "Close"),
        Binding("down", "results", "Results", show=False),
    ]

    @dataclass
    class Indexed(Message):
        """The index built for the screen (see ``build``)."""

        index: SearchIndex

    def __init__(
        self,
        index: SearchIndex | None,
        describe: Callable[[Hit], str],
        lang: Lang,
        query: str = "",
        notes: Callable[[], Sequence[tuple[str, str, str]]] | None = None,
        build: Callable[[], SearchIndex] | None = None,
    ) -> None:
        """Without ``index``, ``build`` makes it in a thread (a large library's index takes
        about a second) while the reader types; the screen says so, searches the notes
        meanwhile, and the index it gets comes back to the caller with the result."""
        super().__init__()
        self.index = index
        self.build = build
        self.describe = describe
        self.lang = lang
        self.query_text = query
        self.hits: list[Hit] = []
        self.notes = notes
        """The reader's notes, (entry id, pane, text), searched too and listed first."""

    def compose(self) -> ComposeResult:
        with Vertical(id="search-box"):
            yield Input(self.query_text, placeholder=t("search_hint", self.lang), id="search-input")
            yield Static(id="search-count")
            yield LineList(id="search-results")

    def on_mount(self) -> None:
        self.query_one(Input).focus()
        self._search(self.query_text)
        if self.index is None and self.build is not None:  # once drawn: it takes the GIL
            self.call_after_refresh(self.run_worker, self._build, name="index", thread=True)

    def _build(self) -> None:
        assert self.build is not None
        self.post_message(self.Indexed(self.build()))

    def on_search_screen_indexed(self, message: Indexed) -> None:
        self.index = message.index
        self._search(self.query_text)

    @on(Input.Changed)
    def _changed(self, message: Input.Changed) -> None:
        self._search(message.value)

    def _search(self, query: str) -> None:
        self.query_text = query
        mine = search_notes(query, self.notes()) if self.notes is not None else []
        found = self.index.search(query, limit=MAX_RESULTS) if self.index is not None else []
        self.hits = [*mine, *found]
        # Rows are made for the results drawn only: a keystroke stays within a frame.
        hits = self.hits
        count = len(hits)
        rows = Rows([None] * count, [2] * count, lambda n: Row(None, self._hit_lines(hits[n])))
        self.query_one(LineList).set_rows(rows)
        if self.index is None:
            count = t("search_indexing", self.lang)
        else:
            count = t("results", self.lang, n=len(self.hits)) if query.strip() else ""
        self.query_one("#search-count", Static).update(Text(count, style="dim"), layout=False)

    def _hit_lines(self, hit: Hit) -> tuple[Text, Text]:
        """A hit's lines, its snippet as wide as the list is (when drawn), or narrower."""
        width = self.query_one(LineList).scrollable_content_region.width
        return hit_lines(hit, self.describe, min(SNIPPET_WIDTH, width) or SNIPPET_WIDTH)

    @on(Input.Submitted)
    def _submitted(self) -> None:
        highlighted = self.query_one(LineList).highlighted
        if highlighted is not None:
            self.dismiss(self.hits[highlighted])

    @on(LineList.Selected)
    def _selected(self, message: LineList.Selected) -> None:
        self.dismiss(self.hits[message.index])

    def action_results(self) -> None:
        if self.hits:
            self.query_one(LineList).focus()

    def action_cancel(self) -> None:
        self.dismiss(None)
