"""The explorer: the case list on the left, the opened case in six panes on the right
(seven in the instructor edition: Teaching)."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from functools import cached_property
from typing import TYPE_CHECKING, ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.message import Message
from textual.reactive import var
from textual.screen import Screen
from textual.widgets import Static

from casebook.actions import (
    EXPLORER_ACTIONS,
    INSTRUCTOR_EXPLORER_ACTIONS,
    Action,
    bindings,
    footer_label,
    pane_keys,
)
from casebook.model.format.addresses import INTRO_ID, Item, panes_for, panes_with_content
from casebook.model.format.case import Document
from casebook.model.format.text import Lang, pick
from casebook.model.format.words import t
from casebook.model.load.library import Library
from casebook.model.views.facets import Facets, Filters, facets, filter_cases
from casebook.screens.explorer_tools import ExplorerTools
from casebook.screens.language import Bilingual
from casebook.widgets.case_list import CaseList
from casebook.widgets.key_bar import KeyBar
from casebook.widgets.pane_tabs import PaneTabs
from casebook.widgets.panes import Pane, pane_type
from casebook.widgets.render import plain

if TYPE_CHECKING:
    from textual.binding import Binding

    from casebook.model.load.provenance import Sources
    from casebook.state.notes import Store
    from casebook.state.places import Place

WIDE = 96
"""Below this many columns the list narrows and pane names shorten."""


class ExplorerScreen(Bilingual, ExplorerTools, Screen[None]):
    """Browse the casebook: pick an entry, read it pane by pane.

    It asks the app to present a case with :class:`PresentRequested`; the app sets its
    ``lang`` (see :mod:`casebook.screens.language`)."""

    BINDINGS = bindings(EXPLORER_ACTIONS)
    ACTIONS: ClassVar[tuple[Action, ...]] = EXPLORER_ACTIONS
    """What the reader can do here (the help screen and the palette list them)."""
    HORIZONTAL_BREAKPOINTS: ClassVar[list[tuple[int, str]]] = [(0, "-narrow"), (WIDE, "-wide")]

    # State of the screen, not drawn by it: each widget that shows it redraws itself, so a
    # change does not repaint the whole screen (a pane switch: one screen update, not two).
    current: var[str | None] = var(None)
    """The id of the opened entry: a case id, or INTRO_ID for the introduction."""
    pane: var[str] = var("overview", init=False)
    """The opened pane (the overview, mounted in compose, to begin with)."""
    list_visible: var[bool] = var(True, init=False)
    filters: var[Filters] = var(Filters, init=False)
    """The active filters of the case list (none by default)."""

    @dataclass
    class PresentRequested(Message):
        """The reader asked to present ``case_id`` as slides."""

        case_id: str

    def __init__(
        self,
        library: Library,
        store: Store | None = None,
        *,
        lang: Lang = "en",
        served: bool = False,
        sources: Sources | None = None,
    ) -> None:
        super().__init__()
        self.library = library
        self.sources = sources
        """The source texts at hand, whose passages the panes quote (none when served)."""
        self.store = store
        self.served = served
        """A session of ``casebook serve``: notes live in memory."""
        self.stale: frozenset[str] = frozenset()
        self.panes = panes_for(library.edition)
        """The panes of the library's edition: six, or seven with Teaching for instructors."""
        self._reveal: Item = ()
        self.start_place: Place | None = None
        """Where to open at start (where the reader left off), if anywhere."""
        self.reading = False
        """Whether the library's files are still being read (a large library's load):
        no case yet means none read yet, not none found."""
        self.set_reactive(ExplorerScreen.lang, lang)

    def compose(self) -> ComposeResult:
        # The breakpoint class from the start, so the first resize does not restyle it all.
        self.add_class("-wide" if self.app.size.width >= WIDE else "-narrow")
        # Few containers: each one is styled, laid out and drawn at every start.
        keys = KeyBar(footer_label, lang=self.lang, keys=self._key_shown)
        yield keys.data_bind(ExplorerScreen.lang)
        yield Static(id="status")
        with Vertical(id="sidebar"):
            yield Static(id="filter-bar")
            yield CaseList(id="case-list")
        with Vertical(id="detail"):
            yield Static(id="doc-title")
            yield PaneTabs(self.panes, id="pane-tabs")
            # Only the open pane is mounted; the others are, when first opened.
            yield pane_type("overview")(id="pane-overview")

    def on_mount(self) -> None:
        # The opened pane is built after the first frame, which shows the list.
        place = self.start_place
        if place is not None and place.entry not in (*self.library.cases, INTRO_ID):
            place = None  # that case is gone
        self.set_reactive(ExplorerScreen.current, place.entry if place else self._first_entry())
        if place is not None and place.pane in self.panes and place.pane != self.pane:
            self.set_reactive(ExplorerScreen.pane, place.pane)
            self._switch_to(place.pane)
        self._show_all_but_the_pane()
        self.call_after_refresh(self._build_active)
        self.query_one(CaseList).focus()
        if place is not None:
            self.call_after_refresh(self._go_back_to, place)

    def _go_back_to(self, place: Place) -> None:
        """Where the reader left off (see :mod:`casebook.state.places`): the entry
        highlighted in the list, the pane scrolled as it was."""
        from casebook.screens.explorer_tools import scroll_when_built

        self.query_one(CaseList).highlight_id(self.current or "")
        if place.scroll > 0:
            scroll_when_built(self.pane_widget(self.pane), place.scroll)

    # -- what is shown ------------------------------------------------------

    def _first_entry(self) -> str | None:
        """The introduction when there is a collection, else the first case."""
        if self.library.collection is not None:
            return INTRO_ID
        return next(iter(self.library.cases), None)

    def document(self) -> Document | None:
        """The opened document: a case or the collection."""
        if self.current == INTRO_ID:
            return self.library.collection
        return self.library.cases.get(self.current or "")

    def shown_panes(self, entry_id: str | None = None) -> tuple[str, ...]:
        """The panes with content for ``entry_id`` (the opened entry by default)."""
        entry_id = self.current if entry_id is None else entry_id
        if entry_id == INTRO_ID:
            document: Document | None = self.library.collection
        else:
            document = self.library.cases.get(entry_id or "")
        return panes_with_content(document, self.library.edition)

    def watch_current(self) -> None:
        if self.pane not in self.shown_panes():  # e.g. Challenges, then the introduction
            self.set_reactive(ExplorerScreen.pane, "overview")
            self._switch_to("overview")
        self._show_title()
        self._label_tabs()
        self._build_active()
        self.query_one(KeyBar).refresh()  # the pane keys of this entry

    def help_actions(self) -> tuple[Action, ...]:
        """The actions its help lists: the keys of the panes the opened entry has (the
        introduction has no 4 or 6)."""
        shown = set(self.shown_panes())
        return tuple(
            action
            for action in self.ACTIONS
            if action.footer_label != "panes" or dict(action.about_values)["pane"] in shown
        )

    def _key_shown(self, binding: Binding) -> str | None:
        """The pane keys as the opened entry has them ("1-3,5" on the introduction)."""
        if not binding.action.startswith("show_pane"):
            return None
        return pane_keys(self.panes.index(pane) + 1 for pane in self.shown_panes())

    def watch_pane(self, pane: str) -> None:
        self._switch_to(pane)
        self._build_active()

    def _switch_to(self, pane: str) -> None:
        """Show ``pane`` (mounting it the first time) and mark its tab."""
        shown = self.pane_widget(pane)
        for widget in self.query_one("#detail").query_children(Pane):
            widget.display = widget is shown
        self.query_one(PaneTabs).active = pane

    def pane_widget(self, pane: str) -> Pane:
        """The widget of ``pane``, mounted the first time it is asked for."""
        detail = self.query_one("#detail")
        found = detail.query_children(f"#pane-{pane}")  # not the panes' own widgets
        if found:
            return found.first(Pane)
        widget = pane_type(pane)(id=f"pane-{pane}")
        detail.mount(widget)
        return widget

    def watch_filters(self) -> None:
        self._populate()

    def _populate(self) -> None:
        """List the cases the filters let through, and say which filters are on."""
        lang, filters = self.lang, self.filters
        only = filter_cases(self.library, filters) if filters.active else None
        self.query_one(CaseList).populate(self.library, lang, self._marker, only)
        bar = self.query_one("#filter-bar", Static)
        bar.display = filters.active
        if filters.active:
            what = filters.describe(lang, self.facets)
            bar.update(Text(t("filtered", lang, what=what), style="bold"))

    @cached_property
    def facets(self) -> Facets:
        """The chapters, industries and regions the filters offer."""
        return facets(self.library)

    async def ready_facets(self) -> None:
        """Make :attr:`facets` in a thread ahead of their first use: the first filter
        applied, or the filter dialog's first open, paid for them (2,000 cases: 15 ms)."""
        library = self.library
        found = await asyncio.to_thread(facets, library)
        if self.library is library:  # not reloaded meanwhile
            self.__dict__.setdefault("facets", found)  # where the cached property keeps it

    def watch_list_visible(self, visible: bool) -> None:
        case_list = self.query_one(CaseList)
        had_focus = case_list.has_focus
        self.query_one("#sidebar").display = visible
        if had_focus and not visible:
            self.pane_widget(self.pane).focus()

    def watch_lang(self) -> None:
        self._show_all_but_the_pane()
        self._build_active()

    def _show_all_but_the_pane(self) -> None:
        self._label_tabs()
        self._populate()
        self._show_status()
        self._show_title()

    def _show_status(self) -> None:
        problems = len(self.library.diagnostics)
        status = self.query_one("#status", Static)
        status.update(Text(t("problem_count", self.lang, n=problems)) if problems else "")
        status.display = bool(problems)

    def show_loading(self, done: int, total: int) -> None:
        """Show how far a background load has got (hidden again when the library arrives)."""
        from textual.widgets import ProgressBar  # only large libraries load in the background

        found = self.query("#loading")
        if found:
            bar = found.first(ProgressBar)
        else:
            bar = ProgressBar(id="loading", show_eta=False)
            self.query_one("#sidebar").mount(bar)
        bar.update(total=total, progress=done)
        status = self.query_one("#status", Static)
        status.update(Text(t("loading", self.lang, done=done, total=total)))
        status.display = True

    def set_library(self, library: Library, stale: frozenset[str]) -> None:
        """Show a reloaded library, staying on the same entry and pane when it still exists."""
        self.library = library
        self.stale = stale
        self.drop_kept_screens()
        self.query("#loading").remove()
        self.__dict__.pop("facets", None)  # both made again on next use
        self.__dict__.pop("search_index", None)
        self._populate()
        self._show_status()
        if self.current != INTRO_ID and self.current not in library.cases:
            self.current = (
                INTRO_ID if library.collection is not None else next(iter(library.cases), None)
            )
        self._show_title()
        self._label_tabs()
        self._build_active()

    def on_resize(self) -> None:
        self._label_tabs()

    def _label_tabs(self) -> None:
        """Pane names on the tabs (shortened where they would not fit), ✎ where noted."""
        short = self.size.width < WIDE
        labels = {
            name: t(f"{name}_short" if short else name, self.lang)
            + (" ✎" if self._note(name) else "")
            for name in self.shown_panes()
        }
        self.query_one(PaneTabs).set_labels(labels)

    # -- the reader's own data ----------------------------------------------

    def _note(self, pane: str) -> str:
        if self.store is None or self.current is None:
            return ""
        note = self.store.note(self.current, pane)
        return note.text if note is not None else ""

    def _marker(self, entry_id: str) -> str:
        """'⚠' when stale, '✎' when it has notes, 'k/6' for the panes read ('k/7' in the
        instructor edition: the teaching pane counts only there)."""
        if self.store is None:
            return "⚠" if entry_id in self.stale else ""
        opened = self.store.opened_panes(entry_id)
        counted = ""
        if opened:  # the panes a case shows are known from its whole file: read it only then
            shown = self.shown_panes(entry_id)
            read = len(set(opened).intersection(shown))
            counted = f"{read}/{len(shown)}" if read else ""
        noted = "✎" if self.store.notes_for(entry_id) else ""
        stale = "⚠" if entry_id in self.stale else ""
        return " ".join(m for m in (stale, noted, counted) if m)

    def _refresh_markers(self) -> None:
        if self.current is not None:
            self.query_one(CaseList).set_marker(self.current, self._marker(self.current))
        self._label_tabs()

    def _show_title(self) -> None:
        document = self.document()
        lang = self.lang
        title = self.query_one("#doc-title", Static)
        if document is None:
            key = "pick_case" if self.library.cases else "reading" if self.reading else "no_cases"
            title.update(Text(t(key, lang), style="dim"))
        elif self.current == INTRO_ID:
            title.update(plain(t("introduction", lang), "bold"))
        else:
            name = plain(pick(document.company.name, lang), "bold")  # type: ignore[union-attr]
            if self.current in self.stale:
                name.append(f"   {t('stale', lang)}", style="bold yellow")
            title.update(name)

    def _build_active(self) -> None:
        document = self.document()
        if document is None or self.current is None:
            return
        pane = self.pane_widget(self.pane)
        pane.sources = self.sources
        item, self._reveal = self._reveal, ()
        pane.show(document, self.library, self.lang, self._note(self.pane), item)
        if self.store is not None and self.pane not in self.store.opened_panes(self.current):
            self._save(self.store.mark_opened, self.current, self.pane)
            self._refresh_markers()

    # -- events and actions -------------------------------------------------

    def on_line_list_selected(self, message: CaseList.Selected) -> None:
        if isinstance(message.line_list, CaseList) and message.row_id:
            if message.row_id != self.current:
                self.remember_place()
            self.current = message.row_id

    def on_pane_tabs_picked(self, message: PaneTabs.Picked) -> None:
        self.pane = message.name

    def action_show_pane(self, pane: str) -> None:
        """Switch the detail area to ``pane`` (one of this edition's, with content)."""
        if pane in self.shown_panes():
            self.pane = pane

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Keys 1-N and the palette offer only the panes with content."""
        if action == "show_pane" and parameters:
            return parameters[0] in self.shown_panes()
        return True

    def action_toggle_list(self) -> None:
        """Show or hide the case list (handy on narrow terminals)."""
        self.list_visible = not self.list_visible

    def action_present(self) -> None:
        """Present the open case as slides (the app opens them)."""
        if self.current in self.library.cases:
            self.post_message(self.PresentRequested(self.current))
        else:
            self.notify(t("not_a_case", self.lang))

    def _entry_name(self, entry_id: str) -> Text:
        if entry_id == INTRO_ID:
            return Text(t("introduction", self.lang))
        return plain(pick(self.library.cases[entry_id].company.name, self.lang))

    def open(self, entry_id: str, pane: str | None = None, item: Item = ()) -> None:
        """Open a case (or the introduction), optionally at a pane and an item in it.

        The pane is switched before the entry, so only the pane shown is built and
        counted as read. Where the reader was goes into the history of places first.
        """
        self.remember_place((entry_id, pane or self.pane, tuple(item)))
        self._reveal = item
        if pane in self.shown_panes(entry_id) and pane != self.pane:
            self.set_reactive(ExplorerScreen.pane, pane)
            self._switch_to(pane)
        if entry_id != self.current:
            self.current = entry_id
        else:
            self._build_active()
        self.query_one(CaseList).highlight_id(entry_id)


class InstructorExplorerScreen(ExplorerScreen):
    """The explorer of the instructor edition: a seventh pane, Teaching, on key 7."""

    BINDINGS = bindings(INSTRUCTOR_EXPLORER_ACTIONS)
    ACTIONS: ClassVar[tuple[Action, ...]] = INSTRUCTOR_EXPLORER_ACTIONS


def explorer_screen(
    library: Library, store: Store | None = None, *, lang: Lang = "en", served: bool = False
) -> ExplorerScreen:
    """The explorer of ``library``'s edition."""
    kind = InstructorExplorerScreen if library.edition == "instructor" else ExplorerScreen
    return kind(library, store, lang=lang, served=served)
