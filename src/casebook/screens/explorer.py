"""The explorer: the case list on the left, the opened case in six panes on the right."""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar, cast

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.reactive import reactive
from textual.screen import Screen
from textual.widgets import Footer, Static, TabbedContent, TabPane

from casebook.actions import EXPLORER_ACTIONS, PANES, bindings, relabel
from casebook.i18n import t
from casebook.model.case import Document
from casebook.model.library import Library
from casebook.model.text import Lang, pick
from casebook.widgets.case_list import INTRO_ID, CaseList
from casebook.widgets.panes import PANE_TYPES, Pane
from casebook.widgets.render import plain

if TYPE_CHECKING:
    from casebook.app import CasebookApp

WIDE = 96
"""Below this many columns the list narrows and pane names shorten."""


class ExplorerScreen(Screen[None]):
    """Browse the casebook: pick an entry, read it pane by pane."""

    BINDINGS = bindings(EXPLORER_ACTIONS)
    HORIZONTAL_BREAKPOINTS: ClassVar[list[tuple[int, str]]] = [(0, "-narrow"), (WIDE, "-wide")]

    current: reactive[str | None] = reactive(None)
    """The id of the opened entry: a case id, or INTRO_ID for the introduction."""
    pane: reactive[str] = reactive("overview")
    list_visible: reactive[bool] = reactive(True)

    def __init__(self, library: Library) -> None:
        super().__init__()
        self.library = library

    @property
    def lang(self) -> Lang:
        return cast("CasebookApp", self.app).lang

    def compose(self) -> ComposeResult:
        with Horizontal(id="main"):
            yield CaseList(id="case-list")
            with Vertical(id="detail"):
                yield Static(id="doc-title")
                with TabbedContent(id="panes", initial="overview"):
                    for name in PANES:
                        with TabPane(t(name, "en"), id=name):
                            yield PANE_TYPES[name](id=f"pane-{name}")
        yield Static(id="status")
        yield Footer()

    def on_mount(self) -> None:
        self.watch(self.app, "lang", self._language_changed, init=False)
        self._language_changed(self.lang)
        first = (
            INTRO_ID
            if self.library.collection is not None
            else next(iter(self.library.cases), None)
        )
        self.current = first
        self.query_one(CaseList).focus()

    # -- what is shown ------------------------------------------------------

    def document(self) -> Document | None:
        """The opened document: a case or the collection."""
        if self.current == INTRO_ID:
            return self.library.collection
        return self.library.cases.get(self.current or "")

    def watch_current(self) -> None:
        self._show_title()
        self._build_active()

    def watch_pane(self, pane: str) -> None:
        self.query_one(TabbedContent).active = pane
        self._build_active()

    def watch_list_visible(self, visible: bool) -> None:
        self.query_one(CaseList).display = visible

    def _language_changed(self, lang: Lang) -> None:
        relabel(self, EXPLORER_ACTIONS, lang)
        self._label_tabs()
        self.query_one(CaseList).populate(self.library, lang)
        problems = len(self.library.diagnostics)
        status = self.query_one("#status", Static)
        status.update(Text(t("problem_count", lang, n=problems)) if problems else "")
        status.display = bool(problems)
        self._show_title()
        self._build_active()

    def on_resize(self) -> None:
        self._label_tabs()

    def _label_tabs(self) -> None:
        """Pane names on the tabs, shortened where the full ones would not fit."""
        tabs = self.query_one(TabbedContent)
        short = self.size.width < WIDE
        for name in PANES:
            tabs.get_tab(name).label = t(f"{name}_short" if short else name, self.lang)

    def _show_title(self) -> None:
        document = self.document()
        lang = self.lang
        title = self.query_one("#doc-title", Static)
        if document is None:
            key = "pick_case" if self.library.cases else "no_cases"
            title.update(Text(t(key, lang), style="dim"))
        elif self.current == INTRO_ID:
            title.update(plain(t("introduction", lang), "bold"))
        else:
            title.update(plain(pick(document.company.name, lang), "bold"))  # type: ignore[union-attr]

    def _build_active(self) -> None:
        document = self.document()
        if document is None:
            return
        pane = self.query_one(f"#pane-{self.pane}", Pane)
        pane.show(document, self.library, self.lang)

    # -- events and actions -------------------------------------------------

    def on_option_list_option_selected(self, message: CaseList.OptionSelected) -> None:
        if isinstance(message.option_list, CaseList) and message.option.id:
            self.current = message.option.id

    def on_tabbed_content_tab_activated(self, message: TabbedContent.TabActivated) -> None:
        if message.pane.id in PANES:
            self.pane = message.pane.id

    def action_show_pane(self, pane: str) -> None:
        """Switch the detail area to ``pane``."""
        self.pane = pane

    def action_toggle_list(self) -> None:
        """Show or hide the case list (handy on narrow terminals)."""
        self.list_visible = not self.list_visible

    def action_present(self) -> None:
        """Present the open case as slides."""
        if self.current in self.library.cases:
            cast("CasebookApp", self.app).present(self.current)
        else:
            self.notify(t("not_a_case", self.lang))

    def open(self, entry_id: str) -> None:
        """Open a case (or the introduction) and highlight it in the list."""
        self.current = entry_id
        self.query_one(CaseList).highlight_id(entry_id)
