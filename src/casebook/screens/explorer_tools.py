"""What the explorer opens over itself: search, filters, comparisons, and the reader's
own notes and bookmarks (each dialog's module imported when first used)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property, partial
from typing import TYPE_CHECKING, TypeVar

import msgspec
from rich.text import Text
from textual.app import App

from casebook.model.format.addresses import INTRO_ID
from casebook.model.format.text import Lang
from casebook.model.format.words import t
from casebook.model.load.library import Library
from casebook.model.views.facets import Facets, Filters
from casebook.screens.language import LanguageChosen
from casebook.screens.off_screen import build_off_screen, let_go

if TYPE_CHECKING:
    from casebook.model.format.addresses import Item
    from casebook.model.views.search import Hit, SearchIndex
    from casebook.screens.compare import CompareScreen, TimelineScreen
    from casebook.screens.filters import FilterScreen
    from casebook.state.notes import Bookmark, Store
    from casebook.widgets.panes import Pane

LibraryScreen = TypeVar("LibraryScreen", bound="CompareScreen | TimelineScreen | FilterScreen")
"""A screen of the whole library, kept once opened."""


def scroll_when_built(pane: Pane, offset: float, tries: int = 40) -> None:
    """Scroll ``pane`` down to ``offset`` once its content is laid out that tall (it is
    built shortly after it is opened): looked at every 50 ms, at most ``tries`` times."""
    if offset <= 0:
        return
    if pane.max_scroll_y >= offset:
        pane.scroll_to(y=offset, animate=False, immediate=True)
    elif tries > 0:
        pane.set_timer(0.05, lambda: scroll_when_built(pane, offset, tries - 1))


HISTORY = 100
"""Places kept to go back to (the oldest are forgotten)."""


@dataclass(frozen=True)
class Place:
    """Where the reader is: the entry, the pane, the item and how far the pane is scrolled."""

    entry_id: str
    pane: str
    item: tuple[object, ...] = ()
    scroll: float = 0


@dataclass
class Jumps:
    """The history of places (back and forward, as in a browser) and the last search."""

    back: list[Place] = field(default_factory=list)
    forward: list[Place] = field(default_factory=list)
    moving: bool = False
    """True while going back or forward: that move is not itself recorded."""
    landed: tuple[object, ...] = ()
    """The item the last jump went to."""
    query: str = ""
    hits: list[Hit] = field(default_factory=list)
    at: int = 0

    def record(self, here: Place) -> None:
        if self.back and self.back[-1] == here:
            return
        self.back.append(here)
        del self.back[:-HISTORY]
        self.forward.clear()

    def go(self, here: Place, back: bool) -> Place | None:
        """The place before (or after) ``here``, which is kept to come back to."""
        source, target = (self.back, self.forward) if back else (self.forward, self.back)
        if not source:
            return None
        target.append(here)
        del target[:-HISTORY]
        return source.pop()


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
    post_message: Callable[..., bool]
    _entry_name: Callable[[str], Text]
    _note: Callable[[str], str]
    _refresh_markers: Callable[[], None]
    _build_active: Callable[[], None]

    @cached_property
    def kept_screens(self) -> dict[str, CompareScreen | TimelineScreen]:
        """The screens of the whole library kept once opened, by name."""
        return {}

    @cached_property
    def jumps(self) -> Jumps:
        """The history of places and the last search."""
        return Jumps()

    def here(self) -> Place | None:
        """Where the reader is now, if an entry is open."""
        if self.current is None:
            return None
        shown = self.pane_widget(self.pane)
        item = shown.current_item() or self.jumps.landed
        return Place(self.current, self.pane, tuple(item), shown.scroll_y)

    def remember_place(self, target: tuple[str, str, tuple[object, ...]] | None = None) -> None:
        """Keep where the reader is before a jump (the explorer's ``open`` calls this);
        not when the jump's ``target`` (entry, pane, item) is where the reader is."""
        here = self.here()
        if here is None or (here.entry_id, here.pane, here.item) == target:
            return
        if not self.jumps.moving:
            self.jumps.record(here)
            self.jumps.landed = ()

    def action_go_back(self) -> None:
        """Go back to where the reader was before the last jump."""
        self._go(back=True)

    def action_go_forward(self) -> None:
        """Go forward again after going back."""
        self._go(back=False)

    def _go(self, back: bool) -> None:
        here = self.here()
        place = self.jumps.go(here, back) if here is not None else None
        if place is None:
            self.notify(t("nowhere_to_go", self.lang), timeout=2)
            return
        self.jumps.moving = True
        try:
            self.open(place.entry_id, place.pane, place.item)
        finally:
            self.jumps.moving = False
        self.jumps.landed = place.item
        if not place.item:
            scroll_when_built(self.pane_widget(place.pane), place.scroll)

    @cached_property
    def search_index(self) -> SearchIndex:
        """The search index of the library shown, built on first use (the explorer drops
        it when the library reloads)."""
        from casebook.model.views.search import SearchIndex

        return SearchIndex.build(self.library)

    def action_search(self) -> None:
        """Search every case and the collection; jump to the chosen hit."""
        from casebook.model.views.search import SearchIndex
        from casebook.screens.search import SearchScreen  # imported when first used

        def describe(hit: Hit) -> str:
            where = f"{self._entry_name(hit.entry_id).plain} · {t(hit.pane, self.lang)}"
            return f"✎ {t('your_note_hit', self.lang)} · {where}" if hit.field == "note" else where

        def notes() -> list[tuple[str, str, str]]:
            if self.store is None:
                return []
            known = self.library.cases.keys() | {INTRO_ID}
            return [(n.case_id, n.pane, n.text) for n in self.store.notes() if n.case_id in known]

        library = self.library
        index = self.__dict__.get("search_index")  # built before, for this library
        screen = SearchScreen(
            index, describe, self.lang, notes=notes, build=partial(SearchIndex.build, library)
        )

        def jump(hit: Hit | None) -> None:
            if screen.index is not None and self.library is library:  # built meanwhile
                self.__dict__["search_index"] = screen.index
            self.jumps.query = screen.query_text
            if hit is not None:
                self.jumps.hits, self.jumps.at = list(screen.hits), screen.hits.index(hit)
                self._open_hit(hit)

        self.app.push_screen(screen, jump)

    def _open_hit(self, hit: Hit) -> None:
        """Open ``hit`` at its place, in its language: a hit in the Chinese text opens
        the Chinese view (and the app follows), an English one the English view."""
        if hit.lang is not None and hit.lang != self.lang:
            self.lang = hit.lang
            self.post_message(LanguageChosen(hit.lang))
        self.open(hit.entry_id, hit.pane, hit.item)
        self.jumps.landed = hit.item

    def action_next_hit(self) -> None:
        """Jump to the next hit of the last search."""
        self._step_hit(1)

    def action_previous_hit(self) -> None:
        """Jump to the previous hit of the last search."""
        self._step_hit(-1)

    def _step_hit(self, step: int) -> None:
        jumps = self.jumps
        if not jumps.hits:
            self.notify(t("no_search_yet", self.lang), timeout=2)
            return
        jumps.at = (jumps.at + step) % len(jumps.hits)
        self._open_hit(jumps.hits[jumps.at])
        total = len(jumps.hits)
        self.notify(t("hit_of", self.lang, n=jumps.at + 1, total=total), timeout=2)

    def action_filter(self) -> None:
        """Choose filters for the case list."""

        def apply(chosen: Filters | None) -> None:
            if chosen is not None:
                self.filters = chosen

        screen = self._filter_screen()
        screen.show(self.filters)
        self.app.push_screen(screen, apply)

    def action_clear_filters(self) -> None:
        self.filters = Filters()

    def set_filter(self, field: str, value: str) -> None:
        """Add one filter (from the command palette) to those already on."""
        self.filters = msgspec.structs.replace(self.filters, **{field: value})

    def action_compare(self) -> None:
        """Compare cases side by side, starting with the open one."""
        self.compare([self.current] if self.current in self.library.cases else [])

    def compare(self, chosen: list[str]) -> None:
        """Open the comparison with ``chosen`` ticked."""
        screen = self._compare_screen()
        screen.choose(chosen)
        self.app.push_screen(screen)

    def action_all_events(self) -> None:
        """Every event of the casebook on one time axis."""
        self.app.push_screen(self._events_screen())

    async def build_library_screens(self) -> None:
        """Build the compare and all-events screens off screen and lay them out for the
        app's size, ahead of their first open (with 2,000 cases, all events then opens
        in 30-35 ms, not 130-220; measured). Not the filters (kept once opened): built
        ahead, they held 0.55 MiB more for a first open of 30 ms, not 70 (measured)."""
        for screen in (self._compare_screen(), self._events_screen()):
            await build_off_screen(self.app, screen)

    def _compare_screen(self) -> CompareScreen:
        from casebook.screens.compare import CompareScreen

        return self._kept_screen("compare", lambda: CompareScreen(self.library, [], self.lang))

    def _events_screen(self) -> TimelineScreen:
        from casebook.screens.compare import TimelineScreen

        return self._kept_screen("events", lambda: TimelineScreen(self.library, self.lang))

    def _filter_screen(self) -> FilterScreen:
        from casebook.screens.filters import FilterScreen

        return self._kept_screen(
            "filters", lambda: FilterScreen(self.facets, self.filters, self.lang)
        )

    def _kept_screen(self, name: str, make: Callable[[], LibraryScreen]) -> LibraryScreen:
        """The screen of the whole library kept under ``name`` (made by ``make`` the first
        time), in the reader's language: it opens again as the reader left it, without
        being built again (``set_library`` lets them go)."""
        screen = self.kept_screens.get(name)
        if screen is None:
            screen = self.kept_screens[name] = make()
            self.app.install_screen(screen, f"{name}-{id(self)}")
        screen.lang = self.lang
        return screen  # type: ignore[return-value]  # made by ``make`` under this name

    def drop_kept_screens(self) -> None:
        """Let go of the kept screens (of a library no longer shown): one still open
        closes as usual, and is then let go of."""
        for screen in self.__dict__.pop("kept_screens", {}).values():
            let_go(self.app, screen)

    def on_timeline_screen_open_at(self, message: TimelineScreen.OpenAt) -> None:
        """An event picked on the all-events axis: its case (or the introduction) on
        the Timeline pane, at the event."""
        self.open(message.entry_id, "timeline", message.item)

    # -- the reader's own data ----------------------------------------------

    def action_edit_note(self) -> None:
        """Write (or change, or delete) the private note on this case's pane."""
        entry, pane = self.current, self.pane
        if self.store is None or entry is None:
            return
        title = Text(f"✎ {t('note', self.lang)} · ", style="bold")
        title.append_text(self._entry_name(entry))
        title.append(f" · {t(pane, self.lang)}")
        if self.served:  # casebook serve: notes live in memory
            title.append(f"  {t('served_note', self.lang)}", style="not bold yellow")

        def saved(text: str) -> None:
            self.notify(t("note_saved" if text.strip() else "note_deleted", self.lang))
            self._refresh_markers()

        store = self.store
        write = partial(store.set_note, entry, pane)
        self._edit(title, entry, pane, self._note(pane), write, saved)

    def _edit(
        self,
        title: Text,
        entry: str,
        draft_key: str,
        current: str,
        write: Callable[[str], None],
        saved: Callable[[str], None],
    ) -> None:
        """Open the editor on ``current`` (or its unsaved draft); ``write`` saves, and on
        failure the reason is said once, the text kept as a draft and the editor stays."""
        from casebook.screens.note_editor import NoteEditor

        store = self.store
        assert store is not None

        def save(text: str) -> bool:
            try:
                write(text)
            except OSError as error:
                store.keep_draft(entry, draft_key, text)
                why = self._why(error)
                self.notify(t("note_not_saved", self.lang, error=why), severity="error")
                return False
            store.drop_draft(entry, draft_key)
            saved(text)
            self._build_active()
            return True

        draft = store.draft(entry, draft_key)
        editor = NoteEditor(
            title,
            current if draft is None else draft,
            self.lang,
            save,
            restored=draft is not None,
            keep=lambda typed: store.keep_draft(entry, draft_key, typed),
            drop=lambda: store.drop_draft(entry, draft_key),
        )
        self.app.push_screen(editor)

    def action_answer(self) -> None:
        """Write (or change, or delete) a draft answer to the chosen discussion question."""
        from casebook.model.format.text import pick
        from casebook.widgets.panes.discussion import DiscussionPane, answer_draft_key

        entry = self.current
        document = self.library.cases.get(entry) if entry is not None else None
        if self.store is None or entry is None or document is None:
            return
        if self.pane != "discussion":  # the questions are there: show them first
            self.action_show_pane("discussion")  # type: ignore[attr-defined]
            return
        shown = self.pane_widget("discussion")
        if not isinstance(shown, DiscussionPane) or not document.discussion_questions:
            return
        index = shown.question
        question = pick(document.discussion_questions[index], self.lang)
        title = Text(f"✎ {t('answer', self.lang)} {index + 1} · ", style="bold")
        title.append_text(self._entry_name(entry))
        title.append("\n")
        title.append(question, style="not bold")
        if self.served:
            title.append(f"  {t('served_note', self.lang)}", style="not bold yellow")
        store = self.store

        def saved(text: str) -> None:
            self.notify(t("answer_saved" if text.strip() else "answer_deleted", self.lang))

        current = store.answers_for(entry).get(index, "")
        write = partial(store.set_answer, entry, index)
        self._edit(title, entry, answer_draft_key(index), current, write, saved)

    def action_toggle_bookmark(self) -> None:
        """Bookmark the current case, pane and item (asking for a name), or, when it is
        bookmarked already, offer to rename or remove that bookmark."""
        from casebook.screens.bookmarks import BookmarkChoice, BookmarkName

        store, entry, pane = self.store, self.current, self.pane
        if store is None or entry is None:
            return
        shown = self.pane_widget(pane)
        item: Item = shown.current_item()
        parts = [self._entry_name(entry).plain, t(pane, self.lang)]
        label = " · ".join([*parts, shown.item_label(self.lang)] if item else parts)
        scroll = float(shown.scroll_y)
        mark = store.bookmark(entry, pane, item)
        title = t("bookmark_name_title", self.lang)

        def add(name: str | None) -> None:
            if name is None:
                return
            name = "" if name == label else name
            added = self._save(
                lambda: (
                    store.add_bookmark(entry, pane, item, label, scroll=scroll, name=name) or True
                )
            )
            if added:
                self.notify(t("bookmarked", self.lang, label=name or label))

        def rename(name: str | None) -> None:
            if name is not None and self._save(
                lambda: store.rename_bookmark(entry, pane, item, name) or True
            ):
                self.notify(t("bookmark_renamed", self.lang, label=name))

        def choose(choice: str | None) -> None:
            if mark is None:
                return
            if choice == "rename":
                self.app.push_screen(BookmarkName(title, mark.title, self.lang), rename)
            elif choice == "remove" and self._save(
                lambda: store.remove_bookmark(entry, pane, item) or True
            ):
                self.notify(t("unbookmarked", self.lang, label=mark.title))

        if mark is None:
            self.app.push_screen(BookmarkName(title, label, self.lang), add)
        else:
            self.app.push_screen(BookmarkChoice(mark, self.lang), choose)

    def action_bookmarks(self) -> None:
        """Pick a bookmark and jump back to it (where its pane was scrolled)."""
        from casebook.screens.bookmarks import BookmarksScreen

        if self.store is None:
            return

        def jump(mark: Bookmark | None) -> None:
            if mark is not None and (
                mark.case_id in self.library.cases or mark.case_id == INTRO_ID
            ):
                self.open(mark.case_id, mark.pane, mark.item)
                if mark.scroll is not None and not mark.item:
                    scroll_when_built(self.pane_widget(mark.pane), mark.scroll)

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
