"""The casebook app and the one factory that builds it for the CLI and the tests."""

from __future__ import annotations

import asyncio
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cached_property, partial
from importlib import import_module
from pathlib import Path
from typing import TYPE_CHECKING

from textual.app import App, SystemCommand
from textual.markup import escape
from textual.message import Message
from textual.reactive import reactive
from textual.screen import Screen

from casebook.actions import (
    APP_ACTIONS,
    EXPLORER_ACTIONS,
    PRESENT_ACTIONS,
    bindings,
    commands,
    relabel,
)
from casebook.model.edition import Edition
from casebook.model.library import Library, display_path, library_warnings, load_library
from casebook.model.reload import Reloaded, changed_since, is_case_file, reload_library
from casebook.model.text import Lang, pick, strip_unsafe
from casebook.model.words import t
from casebook.screens.explorer import ExplorerScreen
from casebook.startup import resume_collector
from casebook.userdata import Store

if TYPE_CHECKING:
    from casebook.model.search import SearchIndex
from casebook.widgets.case_list import INTRO_ID

WATCH_AFTER = 0.5
"""Seconds after the first screen is drawn before the file watcher starts."""


class CasebookApp(App[None]):
    """Browse a casebook: cases in a list, each case in six panes."""

    CSS_PATH = "casebook.tcss"
    TITLE = "casebook"
    BINDINGS = bindings(APP_ACTIONS)

    lang: reactive[Lang] = reactive("en")
    """The language of case text and of the interface."""

    def __init__(
        self,
        library: Library,
        lang: Lang = "en",
        *,
        present: str | None = None,
        console: bool = False,
        store: Store | None = None,
        case_dirs: Sequence[Path] = (),
        watch: bool = False,
        load_in_background: bool = False,
    ) -> None:
        super().__init__()
        self.library = library
        self.store = store
        self.case_dirs = tuple(case_dirs)
        self.watching = watch and bool(case_dirs)
        self.loading = load_in_background and bool(case_dirs)
        self.stale: frozenset[str] = frozenset()
        self.watch_started = False
        """Whether the file watcher runs (it starts shortly after the first screen)."""
        self.set_reactive(CasebookApp.lang, lang)
        self._start = (present, console)

    def get_default_screen(self) -> Screen:
        return ExplorerScreen(self.library, self.store)

    def on_mount(self) -> None:
        self.call_after_refresh(resume_collector, freeze=True)  # the first screen is drawn
        relabel(self, APP_ACTIONS, self.lang)
        if self.store is not None and self.store.warning:
            self.notify(self.store.warning, severity="warning", timeout=10)
        case_id, console = self._start
        if case_id is not None:
            self.present(case_id, console=console)
        if self.loading:
            self.run_worker(self._load, name="load", group="load", thread=True)
        elif self.watching:
            self.call_after_refresh(self.set_timer, WATCH_AFTER, self._start_watching)

    @dataclass
    class LoadProgress(Message):
        """A background load has read ``done`` of ``total`` files."""

        done: int
        total: int

    @dataclass
    class Loaded(Message):
        """A background load has finished."""

        library: Library

    def _load(self) -> None:
        """Load a large library in a thread, posting progress; then show it and watch it.

        Messages, not calls: the loading thread never waits for the screen, and the
        last progress report arrives before the library does."""
        step = 25

        def progress(done: int, total: int) -> None:
            if done % step == 0 or done == total:
                self.post_message(self.LoadProgress(done, total))

        library = load_library(self.case_dirs, self.library.edition, progress=progress)
        self.post_message(self.Loaded(library))

    def on_casebook_app_load_progress(self, message: LoadProgress) -> None:
        for screen in self.screen_stack:
            if isinstance(screen, ExplorerScreen):
                screen.show_loading(message.done, message.total)

    def on_casebook_app_loaded(self, message: Loaded) -> None:
        self.loading = False
        self.apply_reload(Reloaded(message.library))
        if self.watching:
            self._start_watching()

    def _start_watching(self) -> None:
        self.run_worker(self._watch(), name="watch", group="watch", exclusive=True)

    async def _watch(self) -> None:
        """Reload the library when a case file changes (debounced), keeping the reader's place.

        The watcher is imported in a thread (it takes about 60 ms), and once it runs,
        files changed since the library was read are caught up with."""
        watchfiles = await asyncio.to_thread(import_module, "watchfiles")
        folders = [folder for folder in self.case_dirs if folder.is_dir()]
        changes = watchfiles.awatch(
            *folders,
            debounce=150,
            step=50,
            rust_timeout=500,
            yield_on_timeout=True,
            watch_filter=lambda _change, path: is_case_file(path),
        )
        async for changed in changes:
            if not changed:  # a quiet half second: the watcher is running
                if self.watch_started:
                    continue
                self.watch_started = True
                if not await asyncio.to_thread(changed_since, self.library, self.case_dirs):
                    continue
            self.apply_reload(await asyncio.to_thread(reload_library, self.library, self.case_dirs))

    def apply_reload(self, reloaded: Reloaded) -> None:
        """Show a reloaded library: same case and pane, stale cases marked."""
        self.library = reloaded.library
        self.stale = reloaded.stale
        self.__dict__.pop("search_index", None)  # rebuilt on next use
        for screen in self.screen_stack:
            if isinstance(screen, ExplorerScreen):
                screen.set_library(reloaded.library, reloaded.stale)

    def present(self, case_id: str, *, console: bool = False) -> None:
        """Show ``case_id`` as slides (or, with ``console``, the presenter console)."""
        from casebook.model.slides import build_deck
        from casebook.presenter_link import PresenterLink
        from casebook.screens.present import PresentScreen

        case = self.library.cases[case_id]
        deck = build_deck(case, self.library.edition)
        link = PresenterLink(case_id)
        self.push_screen(PresentScreen(deck, self.library.edition, link, console=console))

    @cached_property
    def search_index(self) -> SearchIndex:
        """The search index, built on first use (and rebuilt when the library reloads)."""
        from casebook.model.search import SearchIndex

        return SearchIndex.build(self.library)

    def action_save_screenshot(self) -> None:
        """Save an SVG of the screen in the current folder."""
        path = self.save_screenshot(path=str(Path.cwd()))
        self.notify(t("saved", self.lang, path=path))

    def watch_lang(self, lang: Lang) -> None:
        relabel(self, APP_ACTIONS, lang)

    def action_toggle_language(self) -> None:
        """Switch case text and interface between English and Chinese."""
        self.lang = "zh" if self.lang == "en" else "en"

    def action_help(self) -> None:
        from casebook.screens.help import HelpScreen
        from casebook.screens.present import PresentScreen

        if not isinstance(self.screen, HelpScreen):
            own = PRESENT_ACTIONS if isinstance(self.screen, PresentScreen) else EXPLORER_ACTIONS
            self.push_screen(HelpScreen(self.lang, (*own, *APP_ACTIONS)))

    def action_problems(self) -> None:
        from casebook.screens.problems import ProblemsScreen

        if not isinstance(self.screen, ProblemsScreen):
            files = {display_path(f.path): f.path for f in self.library.files}
            found = sorted([*self.library.diagnostics, *library_warnings(self.library)])
            self.push_screen(ProblemsScreen(found, files, self.lang))

    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        from casebook.screens.present import PresentScreen

        # Quit and Screenshot come from our own actions (same keys, same palette entries).
        ours = {"Quit", "Screenshot"}
        yield from (c for c in super().get_system_commands(screen) if c.title not in ours)
        yield from commands(self, APP_ACTIONS, self.lang)
        if isinstance(screen, ExplorerScreen):
            yield from commands(screen, EXPLORER_ACTIONS, self.lang)
            yield from self._open_commands(screen)
            yield from self._filter_commands(screen)
        elif isinstance(screen, PresentScreen):
            yield from commands(screen, PRESENT_ACTIONS, self.lang)

    def _filter_commands(self, screen: ExplorerScreen) -> Iterable[SystemCommand]:
        """'Filter by region: Zhejiang' and the like, one per value the cases have."""
        found = screen.facets
        groups = (
            ("chapter", found.chapters),
            ("industry", found.industries),
            ("region", found.regions),
        )
        for field, choices in groups:
            for choice in choices:
                value = escape(strip_unsafe(pick(choice.label, self.lang)))
                title = t("filter_by", self.lang, field=t(field, self.lang), value=value)
                help_text = t("results", self.lang, n=choice.count)
                yield SystemCommand(
                    title, help_text, partial(screen.set_filter, field, choice.value)
                )

    def _open_commands(self, screen: ExplorerScreen) -> Iterable[SystemCommand]:
        """'Open: <case>' for every entry; case text escaped, as the palette reads markup."""
        verb = "打开" if self.lang == "zh" else "Open"
        entries = []
        collection = self.library.collection
        if collection is not None:
            entries.append((INTRO_ID, pick(collection.title, self.lang), collection.subtitle))
        for case in self.library.cases.values():
            names = dict.fromkeys(pick(case.company.name, lang) for lang in ("en", "zh"))
            entries.append((case.id, " ".join(names), case.hook))
        for entry_id, name, hook in entries:
            title = f"{verb}: {escape(strip_unsafe(name))}"
            help_text = escape(strip_unsafe(pick(hook, self.lang)))
            yield SystemCommand(title, help_text, partial(screen.open, entry_id))


def make_app(
    case_dirs: Sequence[Path] | None = None,
    *,
    library: Library | None = None,
    edition: Edition = "student",
    lang: Lang = "en",
    present: str | None = None,
    console: bool = False,
    store: Store | None = None,
    watch: bool = False,
    load_in_background: bool = False,
) -> CasebookApp:
    """The app on ``library``, or on the cases in ``case_dirs`` (default: the active ones).

    With ``present``, it opens that case's slides (or, with ``console``, the presenter
    console) over the explorer. ``store`` holds the reader's notes, bookmarks and
    progress (default: the store in the user's data dir, when it can be opened). With
    ``watch``, the case folders are watched and the library reloads as files change.
    With ``load_in_background`` (for large libraries), the app appears at once and
    loads ``case_dirs`` in a worker, with a progress bar.
    """
    dirs = list(case_dirs) if case_dirs is not None else []
    if library is None:
        from casebook.model.library import case_dirs as active_dirs

        dirs = dirs or active_dirs()
        library = Library(edition=edition) if load_in_background else load_library(dirs, edition)
    if store is None:
        try:
            store = Store.open()
        except OSError:
            store = None  # notes need a writable data dir; browsing does not
    return CasebookApp(
        library,
        lang=lang,
        present=present,
        console=console,
        store=store,
        case_dirs=dirs,
        watch=watch,
        load_in_background=load_in_background,
    )
