"""What the explorer opens over itself: search, filters, comparisons, and the reader's
own notes and bookmarks (each dialog's module imported when first used)."""

from __future__ import annotations

from collections.abc import Callable
from functools import cached_property
from typing import TYPE_CHECKING

import msgspec
from rich.text import Text
from textual.app import App

from casebook.model.format.addresses import INTRO_ID
from casebook.model.format.text import Lang
from casebook.model.format.words import t
from casebook.model.load.library import Library
from casebook.model.views.facets import Facets, Filters

if TYPE_CHECKING:
    from casebook.model.format.addresses import Item
    from casebook.model.views.search import Hit, SearchIndex
    from casebook.state.notes import Bookmark, Store
    from casebook.widgets.panes import Pane


class ExplorerTools:
    """Mixin of the explorer screen: its dialogs and the reader's notes and bookmarks.

    It uses what the explorer has (declared here for readers and type checkers)."""

    app: App[object]
    library: Library
    store: Store | None
    served: bool
    lang: Lang
    current: str | None
    pane: str
    filters: Filters
    facets: Facets
    open: Callable[..., None]
    pane_widget: Callable[[str], Pane]
    notify: Callable[..., None]
    _entry_name: Callable[[str], Text]
    _note: Callable[[str], str]
    _refresh_markers: Callable[[], None]
    _build_active: Callable[[], None]

    @cached_property
    def search_index(self) -> SearchIndex:
        """The search index of the library shown, built on first use (the explorer drops
        it when the library reloads)."""
        from casebook.model.views.search import SearchIndex

        return SearchIndex.build(self.library)

    def action_search(self) -> None:
        """Search every case and the collection; jump to the chosen hit."""
        from casebook.screens.search import SearchScreen  # imported when first used

        def describe(hit: Hit) -> str:
            return f"{self._entry_name(hit.entry_id).plain} · {t(hit.pane, self.lang)}"

        def jump(hit: Hit | None) -> None:
            if hit is not None:
                self.open(hit.entry_id, hit.pane, hit.item)

        self.app.push_screen(SearchScreen(self.search_index, describe, self.lang), jump)

    def action_filter(self) -> None:
        """Choose filters for the case list."""
        from casebook.screens.filters import FilterScreen

        def apply(chosen: Filters | None) -> None:
            if chosen is not None:
                self.filters = chosen

        self.app.push_screen(FilterScreen(self.facets, self.filters, self.lang), apply)

    def action_clear_filters(self) -> None:
        self.filters = Filters()

    def set_filter(self, field: str, value: str) -> None:
        """Add one filter (from the command palette) to those already on."""
        self.filters = msgspec.structs.replace(self.filters, **{field: value})

    def action_compare(self) -> None:
        """Compare cases side by side, starting with the open one."""
        from casebook.screens.compare import CompareScreen

        chosen = [self.current] if self.current in self.library.cases else []
        self.app.push_screen(CompareScreen(self.library, chosen, self.lang))

    def action_all_events(self) -> None:
        """Every event of the casebook on one time axis."""
        from casebook.screens.compare import TimelineScreen

        self.app.push_screen(TimelineScreen(self.library, self.lang))

    # -- the reader's own data ----------------------------------------------

    def action_edit_note(self) -> None:
        """Write (or change, or delete) the private note on this case's pane."""
        from casebook.screens.note_editor import NoteEditor

        entry, pane = self.current, self.pane
        if self.store is None or entry is None:
            return
        title = Text(f"✎ {t('note', self.lang)} · ", style="bold")
        title.append_text(self._entry_name(entry))
        title.append(f" · {t(pane, self.lang)}")
        if self.served:  # casebook serve: notes live in memory
            title.append(f"  {t('served_note', self.lang)}", style="not bold yellow")

        store = self.store

        def save(text: str) -> bool:
            """Save the note; on failure say why once, keep the text as a draft, stay open."""
            try:
                store.set_note(entry, pane, text)
            except OSError as error:
                store.keep_draft(entry, pane, text)
                why = self._why(error)
                self.notify(t("note_not_saved", self.lang, error=why), severity="error")
                return False
            store.drop_draft(entry, pane)
            self.notify(t("note_saved" if text.strip() else "note_deleted", self.lang))
            self._refresh_markers()
            self._build_active()
            return True

        draft = store.draft(entry, pane)
        text = draft if draft is not None else self._note(pane)
        self.app.push_screen(NoteEditor(title, text, self.lang, save, restored=draft is not None))

    def action_toggle_bookmark(self) -> None:
        """Bookmark (or unbookmark) the current case, pane and item."""
        if self.store is None or self.current is None:
            return
        shown = self.pane_widget(self.pane)
        item: Item = shown.current_item()
        parts = [self._entry_name(self.current).plain, t(self.pane, self.lang)]
        label = " · ".join([*parts, shown.item_label(self.lang)] if item else parts)
        added = self._save(self.store.toggle_bookmark, self.current, self.pane, item, label)
        if added is None:  # not saved: _save has said why
            return
        self.notify(t("bookmarked" if added else "unbookmarked", self.lang, label=label))

    def action_bookmarks(self) -> None:
        """Pick a bookmark and jump back to it."""
        from casebook.screens.bookmarks import BookmarksScreen

        if self.store is None:
            return

        def jump(mark: Bookmark | None) -> None:
            if mark is not None and (
                mark.case_id in self.library.cases or mark.case_id == INTRO_ID
            ):
                self.open(mark.case_id, mark.pane, mark.item)

        self.app.push_screen(BookmarksScreen(self.store.bookmarks(), self.lang), jump)

    def _save(self, write: Callable[..., object], *args: object) -> object:
        """Run a store write; a failure is told to the reader, never raised."""
        try:
            return write(*args)
        except OSError as error:
            self.notify(t("store_failed", self.lang, error=self._why(error)), severity="error")
            return None

    def _why(self, error: OSError) -> str:
        """Why a store write failed, in the interface's language where the store says."""
        from casebook.state.notes import StoreReadOnly

        return error.in_lang(self.lang) if isinstance(error, StoreReadOnly) else str(error)
