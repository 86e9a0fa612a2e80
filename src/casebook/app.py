"""The casebook app and the one factory that builds it for the CLI and the tests."""

from __future__ import annotations

import asyncio
import logging
import threading
import weakref
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from functools import partial
from importlib import import_module
from pathlib import Path
from typing import TYPE_CHECKING, Any

from textual.app import App, SystemCommand
from textual.message import Message
from textual.reactive import reactive
from textual.screen import Screen
from textual.worker import WorkerCancelled, get_current_worker

from casebook.actions import APP_ACTIONS, EXPLORER_ACTIONS, PRESENT_ACTIONS, bindings
from casebook.model.format.edition import Edition
from casebook.model.format.text import Lang, printable
from casebook.model.format.words import t
from casebook.model.load.library import (
    Library,
    cards,
    display_path,
    first_part,
    library_warnings,
    load_in_parts,
    load_library,
)
from casebook.model.load.reload import (
    Reloaded,
    changed_since,
    folder_identities,
    folder_names,
    is_case_file,
    reload_library,
)
from casebook.screens.explorer import ExplorerScreen, explorer_screen
from casebook.screens.language import Bilingual, LanguageChosen
from casebook.startup import IdleCollector, resume_collector
from casebook.state.notes import Store

if TYPE_CHECKING:
    from textual.command import Provider
    from textual.notifications import SeverityLevel

    from casebook.model.load.diagnostics import Diagnostic
    from casebook.model.load.head_start import HeadStart
    from casebook.model.load.provenance import Sources
    from casebook.screens.board import BoardDesk, BoardRequested
    from casebook.screens.class_trainer import ClassSetup
    from casebook.state.places import Places
    from casebook.state.preferences import PreferencesFile
    from casebook.state.presentations import Presentations

logger = logging.getLogger(__name__)

WATCH_AFTER = 0.5
"""Seconds after the first screen is drawn before the file watcher starts."""

FOLDER_POLL = 0.5
"""Seconds between looks for case folders to come back, while none is there to watch."""

WARM_UP_AFTER = 0.25
"""Seconds after the first screen is drawn before the app readies what later screens
need (``_warm_up``): the first screen's own follow-ups (the opened pane's content, a
frame later) come first, without a thread to share the interpreter with."""

CARDS_AT_A_TIME = 100
"""Cards decoded between two looks at the app's other work (about a millisecond)."""

IDLE_CHECK_EVERY = 0.25
"""Seconds between looks for a quiet moment to run the collector's full pass in."""


def _palette_commands() -> type[Provider]:
    from casebook.palette import CasebookCommands  # imported when the palette opens

    return CasebookCommands


SCREEN_STYLESHEETS = ("dialogs", "compare", "present", "class_trainer", "class_student", "board")
"""The screens' stylesheets (screens/*.tcss), in the order a screen that names two reads
them (a later one wins a tie)."""


class CasebookApp(App[None]):
    """Browse a casebook: cases in a list, each case in six panes (seven for instructors)."""

    CSS_PATH = "casebook.tcss"
    TITLE = "casebook"
    BINDINGS = bindings(APP_ACTIONS)
    COMMANDS = {_palette_commands}
    """The palette's one provider: Textual's system commands, titles drawn as plain text."""

    lang: reactive[Lang] = reactive("en")
    """The language of case text and of the interface."""

    def __init__(
        self,
        library: Library,
        lang: Lang = "en",
        *,
        present: str | None = None,
        console: bool = False,
        minutes: int | None = None,
        store: Store | None = None,
        case_dirs: Sequence[Path] = (),
        watch: bool = False,
        load_in_background: bool = False,
        served: bool = False,
        sources: Sources | None = None,
        places: Places | None = None,
        restore: bool = False,
        join: tuple[str, str | None] | None = None,
        preferences: PreferencesFile | None = None,
        classroom: ClassSetup | None = None,
        head_start: HeadStart | None = None,
    ) -> None:
        super().__init__()
        self.library = library
        self.places = places
        self.preferences = preferences
        """The reader's language and theme, saved as they change them (None: not kept)."""
        """Where the reader left off, kept as they read (None: nothing kept)."""
        self._restore = places.last if places is not None and restore else None
        self.sources = sources
        """The source texts at hand (``--source``, ``CASEBOOK_SOURCES``): the panes quote
        the passages of figures, events and sayings from them."""
        self.store = store
        self.served = served
        """A session of ``casebook serve``: no editor, no files written, notes in memory."""
        self.case_dirs = tuple(case_dirs)
        self.watching = watch and bool(case_dirs)
        self.loading = load_in_background and bool(case_dirs)
        self._head_start = head_start
        """The first files of a background load, parsed in a child process meanwhile."""
        self.stale: frozenset[str] = frozenset()
        self._lost: dict[int, tuple[str, str, str | None]] = {}
        """By explorer screen: the case and pane a reload moved it from, and to where."""
        self.watch_started = False
        """Whether the file watcher runs (it starts shortly after the first screen)."""
        self.set_reactive(CasebookApp.lang, lang)
        self._start = (present, console)
        self.classroom = classroom
        """The live class taught (``casebook class start``): its case's slides are the
        class screen (see :mod:`casebook.screens.class_trainer`)."""
        self._join = join
        """The live class to join (its address, and the student's name if given)."""
        self._minutes = minutes
        """The class length given on the command line (``casebook present --minutes``)."""
        self._presentations: Presentations | None = None
        self._found_warnings: tuple[weakref.ref[Library], list[Diagnostic]] | None = None
        """The last library's author warnings, once the problems panel has found them."""
        self._board_desks: dict[str, BoardDesk] = {}
        """The board of each presented case (see casebook.screens.board)."""

    def exit(self, *args: Any, **kwargs: Any) -> None:
        """Quit, keeping where the reader is first."""
        if self.places is not None:
            from casebook.place_keeping import remember

            remember(self, self.places, now=True)
        super().exit(*args, **kwargs)

    def get_default_screen(self) -> Screen:
        screen = explorer_screen(self.library, self.store, lang=self.lang, served=self.served)
        screen.sources = self.sources
        screen.reading = self.loading
        if self._restore is not None:
            screen.start_place = self._restore
        return screen

    def on_mount(self) -> None:
        self.call_after_refresh(self._first_drawn)
        self.call_after_refresh(self.set_timer, WARM_UP_AFTER, self._warm_up)
        if self.store is not None and self.store.warning:
            self.notify(self.store.warning_in(self.lang) or "", severity="warning", timeout=10)
        if self.served:
            self.notify(t("served_notice", self.lang), timeout=15)
        if self.places is not None:
            from casebook.place_keeping import keep_places

            keep_places(self, self.places)
        if self.preferences is not None:
            from casebook.place_keeping import keep_preferences

            keep_preferences(self, self.preferences)
        case_id, console = self._start
        if case_id is not None:
            self.present(case_id, console=console, minutes=self._minutes)
        if self._join is not None:
            self.join_class(*self._join)
        if self.loading:
            self.run_worker(self._load, name="load", group="load", thread=True)
        elif self.watching:
            self.call_after_refresh(self.set_timer, WATCH_AFTER, self._start_watching)

    def _first_drawn(self) -> None:
        """Restore the collector's pace, start-up's objects frozen (see ``startup``),
        its full passes run while the reader reads."""
        if resume_collector(freeze=True, when_idle=True):
            self.set_interval(IDLE_CHECK_EVERY, IdleCollector())

    def _warm_up(self) -> None:
        """Ready the line breaker in a thread while the reader looks at the first screen
        (see ``linebreak.warm_up``), the panes' modules, the other screens' stylesheets,
        the cards, the filters' choices, and the compare and all-events screens."""
        from casebook.model.format.linebreak import warm_up
        from casebook.widgets.panes.base import import_panes

        # A warm-up that fails costs only speed: what it readies is made when needed.
        for ready in (warm_up, import_panes):
            self.run_worker(ready, group="warm-up", thread=True, exit_on_error=False)
        self.call_after_refresh(self._read_stylesheets)
        # Coroutine functions, not coroutines: one the app quits before starting is never made.
        cards = partial(self._read_cards, self.library)
        self.run_worker(cards, name="cards", group="warm-up", exit_on_error=False)
        if not self.loading:  # else once the whole library is read
            self._ready_library_screens()

    def _ready_library_screens(self) -> None:
        """Make what the compare and all-events screens show of the library, in a
        thread (see ``compare.warm_up``), and the filters' choices (``ready_facets``),
        then build those screens off screen (see ``ExplorerTools.build_library_screens``):
        they open without either."""
        ready = partial(self._build_library_screens, self.library, self.lang)
        self.run_worker(ready, name="screens", group="warm-up", exit_on_error=False)

    async def _build_library_screens(self, library: Library, lang: Lang) -> None:
        from casebook.screens.compare import warm_up

        await asyncio.to_thread(warm_up, library, lang)
        for screen in self.screen_stack:
            if isinstance(screen, ExplorerScreen) and screen.library is library:
                await screen.ready_facets()
                await screen.build_library_screens()

    @staticmethod
    async def _read_cards(library: Library) -> None:
        """Decode every case's card (``Cases.card``), a hundred at a time between the
        app's other work: compare, filters and the palette list every case by its card,
        and the first to open paid for them all (2,000 cards: 16 ms, 2.7 MiB)."""
        for count, _card in enumerate(cards(library.cases), 1):
            if count % CARDS_AT_A_TIME == 0:
                await asyncio.sleep(0)

    def _read_stylesheets(self) -> None:
        """Read every screen's stylesheet (``SCREEN_STYLESHEETS``) once the first screen
        is drawn. A screen reads its own when it first opens, and a stylesheet read then
        makes Textual parse every rule again and restyle every widget: 10–20 ms of each
        first open. Read here, together: once, off the reader's way, and not at start,
        where it cost 4% (measured)."""
        sheet = self.stylesheet
        folder = Path(__file__).parent / "screens"
        paths = [(folder / f"{name}.tcss").resolve() for name in SCREEN_STYLESHEETS]
        unread = [path for path in paths if not sheet.has_source(str(path))]
        for path in unread:
            sheet.read(path)
        if unread:
            sheet.parse()
            sheet.update(self)

    @dataclass
    class LoadProgress(Message):
        """A background load has read ``done`` of ``total`` files."""

        done: int
        total: int

    @dataclass
    class Loaded(Message):
        """A background load has finished (or, not ``whole``, read its first part)."""

        library: Library
        whole: bool = True

    def _load(self) -> None:
        """Load a large library in a thread: its first files at once (the case list's first
        page), then the whole, posting progress; then show it and watch it.

        Messages, not calls: the loading thread never waits for the screen, and the
        last progress report arrives before the library does. When the app quits (which
        cancels its workers), the load stops at the next file: quitting never waits for
        the rest of a large library to be read."""
        step = 25
        worker = get_current_worker()

        def progress(done: int, total: int) -> None:
            if worker.is_cancelled:
                raise WorkerCancelled("the app quit while the library was read")
            if done % step == 0 or done == total:
                self.post_message(self.LoadProgress(done, total))

        head = self._head_start
        parts = load_in_parts(
            self.case_dirs,
            self.library.edition,
            first=first_part(self.size.height),
            cache=not self.served,
            progress=progress,
            load=None if head is None else head.load,
        )
        try:
            self.post_message(self.Loaded(next(parts), whole=False))
            self.post_message(self.Loaded(next(parts)))
        except WorkerCancelled:
            pass  # nobody waits for the library any more
        finally:
            if head is not None:
                head.close()

    def on_casebook_app_load_progress(self, message: LoadProgress) -> None:
        for screen in self.screen_stack:
            if isinstance(screen, ExplorerScreen):
                screen.show_loading(message.done, message.total)

    def on_casebook_app_loaded(self, message: Loaded) -> None:
        if not message.whole:  # shown while the rest loads
            self.apply_reload(Reloaded(message.library))
            return
        self.loading = False
        for screen in self.screen_stack:
            if isinstance(screen, ExplorerScreen):
                screen.reading = False
        self.apply_reload(Reloaded(message.library))
        self._ready_library_screens()
        if self.watching:
            self._start_watching()

    def _start_watching(self) -> None:
        self.run_worker(self._watch(), name="watch", group="watch", exclusive=True)

    async def _watch(self) -> None:
        """Reload the library when a case file changes (debounced), keeping the reader's place.

        The watcher is imported in a thread (it takes about 60 ms). Each time it starts
        watching, files changed since the library was read are caught up with. It
        watches folders, not names: when a case folder is deleted and made again, or
        renamed away and back, it starts again on the folders there are now (checked at
        every tick, at least each half second, and whenever a watched folder itself is
        reported deleted: a folder made again may have the same inode number); while
        there are none, it looks for them every ``FOLDER_POLL`` seconds."""
        watchfiles = await asyncio.to_thread(import_module, "watchfiles")
        while True:
            identities = folder_identities(self.case_dirs)
            there = zip(self.case_dirs, identities, strict=True)
            folders = [folder for folder, known in there if known is not None]
            if not folders:
                self.watch_started = True
                await self._catch_up()
                while folder_identities(self.case_dirs) == identities:
                    await asyncio.sleep(FOLDER_POLL)
                continue
            roots = folder_names(folders)
            stop = threading.Event()
            changes = watchfiles.watch(
                *folders,
                debounce=150,
                step=50,
                rust_timeout=500,
                yield_on_timeout=True,
                watch_filter=lambda _change, path, roots=roots: is_case_file(path) or path in roots,
                stop_event=stop,
            )
            caught_up = False
            try:
                # Each wait in a thread, ended by ``stop`` within a step (50 ms) once this
                # stops: ``awatch`` waits the same way, through anyio, which costs the app
                # 1.3 MiB more (measured with 2,000 cases).
                while (changed := await asyncio.to_thread(next, changes, None)) is not None:
                    if folder_identities(self.case_dirs) != identities or any(
                        path in roots for _change, path in changed
                    ):
                        break  # a folder went, came or was replaced: watch anew
                    if changed:
                        await self._reload()
                    elif not caught_up:  # the watcher runs: catch up with earlier changes
                        await self._catch_up()
                    caught_up = self.watch_started = True
            finally:
                stop.set()

    async def _catch_up(self) -> None:
        """Reload if the files may have changed since the library was read."""
        if await asyncio.to_thread(changed_since, self.library, self.case_dirs):
            await self._reload()

    async def _reload(self) -> None:
        """Reload and show the library; a reload that fails is said, and watching goes on
        (the case files are the author's work in progress: they must never stop the app)."""
        try:
            reloaded = await asyncio.to_thread(reload_library, self.library, self.case_dirs)
        except Exception as error:  # reported, and the last library stays
            logger.exception("reload of %s failed", self.case_dirs)
            found = f"{type(error).__name__}: {error}"
            self.notify(t("reload_failed", self.lang, error=found), severity="error")
            return
        self.apply_reload(reloaded)

    def apply_reload(self, reloaded: Reloaded) -> None:
        """Show a reloaded library: same case and pane, stale cases marked.

        A case that went (its folder deleted, say) and comes back is opened again,
        on its pane, unless the reader has moved on meanwhile."""
        self.library = reloaded.library
        self.stale = reloaded.stale
        for screen in self.screen_stack:
            if isinstance(screen, ExplorerScreen):
                place = (screen.current, screen.pane)
                screen.set_library(reloaded.library, reloaded.stale)
                self._follow_the_reader(screen, place)

    def _follow_the_reader(self, screen: ExplorerScreen, place: tuple[str | None, str]) -> None:
        """After a reload moved ``screen`` from ``place`` (its case went), bring it back
        there when the case returns, if the reader is still where a reload put them."""
        lost = self._lost.pop(id(screen), None)
        if lost is not None and place[0] == lost[2]:  # not moved since a reload moved it
            case_id, pane, _ = lost
            if case_id in self.library.cases:
                screen.open(case_id, pane)
            else:
                self._lost[id(screen)] = (case_id, pane, screen.current)
            return
        if place[0] is not None and screen.current != place[0]:  # its case went away
            self._lost[id(screen)] = (place[0], place[1], screen.current)

    def present(self, case_id: str, *, console: bool = False, minutes: int | None = None) -> None:
        """Show ``case_id`` as slides (or, with ``console``, the presenter console), where
        its presentation stood; ``minutes`` sets the class length. Leaving them shows the
        explorer on that case."""
        from casebook.model.views.slides import build_deck
        from casebook.screens.present import PresentScreen
        from casebook.state.presentations import Presentations
        from casebook.state.presenter_link import PresenterLink

        if self._presentations is None:  # a served session writes nothing on the server
            served = self.served
            self._presentations = Presentations.in_memory() if served else Presentations.open()
        case = self.library.cases[case_id]
        deck = build_deck(case, self.library.edition)
        # A served session shares no state file with the server's presentations.
        link = None if self.served else PresenterLink(case_id)
        edition = self.library.edition
        kind: Callable[..., PresentScreen] = PresentScreen
        if self.classroom is not None and self.classroom.case_id == case_id:
            from casebook.screens.class_trainer import ClassScreen

            kind = partial(ClassScreen, setup=self.classroom)
        screen = kind(
            deck,
            edition,
            link,
            console=console,
            lang=self.lang,
            presentations=self._presentations,
            minutes=minutes,
        )

        def back(_: None = None) -> None:
            if case_id not in self.library.cases:  # gone in a reload meanwhile
                return
            for explorer in self.screen_stack:
                if isinstance(explorer, ExplorerScreen) and explorer.current != case_id:
                    explorer.open(case_id)

        self.push_screen(screen, back)
        # The board shown or hidden on the presentation's other terminal is shown or
        # hidden here too (the timer ends with the slides).
        desk = self._board_desk(case_id)
        screen.set_interval(0.25, lambda: desk.follow(self, self.lang, console))

    def join_class(self, address: str, name: str | None) -> None:
        """Follow the live class at ``address`` as a student (asking for a name if None)."""
        from casebook.screens.class_student import ClassStudentScreen

        screen = ClassStudentScreen(address, name, self.library, store=self.store, lang=self.lang)
        self.push_screen(screen)

    def _board_desk(self, case_id: str) -> BoardDesk:
        from casebook.screens.board import BoardDesk

        desk = self._board_desks.get(case_id)
        if desk is None:
            case = self.library.cases[case_id]
            desk = BoardDesk(case, self.library.edition, served=self.served)
            self._board_desks[case_id] = desk
        return desk

    def on_board_requested(self, message: BoardRequested) -> None:
        """``w`` in the slides: the board of the presented case, to write on."""
        if message.case_id in self._board_desks or message.case_id in self.library.cases:
            self._board_desk(message.case_id).show(self, self.lang)

    def on_explorer_screen_present_requested(
        self, message: ExplorerScreen.PresentRequested
    ) -> None:
        self.present(message.case_id)

    def notify(
        self,
        message: str,
        *,
        title: str = "",
        severity: SeverityLevel = "information",
        timeout: float | None = None,
        markup: bool = False,
    ) -> None:
        """A toast whose message is always plain text: messages carry case names, file
        names and errors, so markup in them must show, never act (``markup`` is ignored)."""
        del markup  # Widget.notify passes markup=True by default
        message, title = printable(message), printable(title)
        super().notify(message, title=title, severity=severity, timeout=timeout, markup=False)

    def action_help_quit(self) -> None:
        """ctrl+c: say how to quit (Textual's own message is markup, and toasts are plain)."""
        for key, active in self.active_bindings.items():
            if active.binding.action in ("quit", "app.quit"):
                self.notify(t("quit_how", self.lang, key=key), title=t("quit_title", self.lang))
                return

    def action_save_screenshot(self) -> None:
        """Save an SVG of the screen in the current folder (not in a served session)."""
        if self.served:
            self.notify(t("screenshot_served", self.lang), severity="warning")
            return
        path = self.save_screenshot(path=str(Path.cwd()))
        self.notify(t("saved", self.lang, path=path))

    def watch_lang(self, lang: Lang) -> None:
        """Tell every screen that follows the language (the key bars relabel as they draw),
        and keep it as the reader's choice."""
        for screen in self.screen_stack:
            if isinstance(screen, Bilingual):
                screen.lang = lang
        if self.preferences is not None:
            self.preferences.change(lang=lang)

    def on_language_chosen(self, message: LanguageChosen) -> None:
        self.lang = message.lang

    def action_toggle_language(self) -> None:
        """Switch case text and interface between English and Chinese."""
        self.lang = "zh" if self.lang == "en" else "en"

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """The language stays while a dialog that does not follow it is open (it shows
        the language it opened in, which is the app's)."""
        if action == "toggle_language":
            from textual.command import CommandPalette
            from textual.screen import ModalScreen

            screen = self.screen
            fixed = isinstance(screen, ModalScreen) and not isinstance(screen, Bilingual)
            return not fixed or isinstance(screen, CommandPalette)
        return True

    def action_command_palette(self) -> None:
        """The command palette, its prompt in the reader's language."""
        from textual.command import CommandPalette

        if self.use_command_palette and not CommandPalette.is_open(self):
            placeholder = t("palette_placeholder", self.lang)
            self.push_screen(CommandPalette(id="--command-palette", placeholder=placeholder))

    def search_themes(self) -> None:
        """The theme picker (the palette's Theme command), its prompt in the reader's language."""
        from textual.command import CommandPalette
        from textual.theme import ThemeProvider

        placeholder = t("theme_placeholder", self.lang)
        self.push_screen(CommandPalette(providers=[ThemeProvider], placeholder=placeholder))

    def action_help(self) -> None:
        from casebook.screens.help import HelpScreen
        from casebook.screens.present import PresentScreen

        if not isinstance(self.screen, HelpScreen):
            own = (
                getattr(self.screen, "ACTIONS", PRESENT_ACTIONS)  # a class's, or the slides'
                if isinstance(self.screen, PresentScreen)
                else self.screen.help_actions()  # the keys of the panes there are
                if isinstance(self.screen, ExplorerScreen)
                else getattr(self.screen, "ACTIONS", EXPLORER_ACTIONS)  # the screen's own
            )
            if isinstance(self.screen, PresentScreen):
                from casebook.actions import PRESENT_KEYS

                self.push_screen(HelpScreen(self.lang, (*own, *APP_ACTIONS), PRESENT_KEYS))
            else:
                keys = getattr(self.screen, "HELP_KEYS", None)  # the board's, say
                extra = () if keys is None else (keys,)
                self.push_screen(HelpScreen(self.lang, (*own, *APP_ACTIONS), *extra))

    def action_problems(self) -> None:
        from casebook.screens.problems import ProblemsScreen

        if not isinstance(self.screen, ProblemsScreen):
            files = {display_path(f.path): f.path for f in self.library.files}
            screen = ProblemsScreen(
                self.library.diagnostics,
                files,
                self.lang,
                editing=not self.served,
                check=self._warnings,
            )
            self.push_screen(screen)

    def _warnings(self, progress: Callable[[int, int], None]) -> list[Diagnostic]:
        """The library's author warnings (run in a thread: seconds for a large library),
        found once per library read: the problems panel opened again shows them at once."""
        library = self.library
        known = self._found_warnings
        if known is not None and known[0]() is library:
            return known[1]
        found = library_warnings(library, progress)
        self._found_warnings = (weakref.ref(library), found)  # not kept alive by this
        return found

    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        from casebook.palette import casebook_commands, textual_commands

        yield from textual_commands(super().get_system_commands(screen), self.lang)
        yield from casebook_commands(self, screen, self.lang)


def make_app(
    case_dirs: Sequence[Path] | None = None,
    *,
    library: Library | None = None,
    edition: Edition = "student",
    lang: Lang | None = None,
    present: str | None = None,
    console: bool = False,
    minutes: int | None = None,
    store: Store | None = None,
    watch: bool = False,
    load_in_background: bool = False,
    served: bool | None = None,
    sources: Sources | None = None,
    remember: bool = False,
    restore: bool = True,
    join: tuple[str, str | None] | None = None,
    classroom: ClassSetup | None = None,
    head_start: HeadStart | None = None,
) -> CasebookApp:
    """The app on ``library``, or on the cases in ``case_dirs`` (default: the active ones).

    With ``present``, it opens that case's slides (or, with ``console``, the presenter
    console) over the explorer, where its presentation stood (``minutes`` sets the
    class length). ``store`` holds the reader's notes, bookmarks and
    progress (default: the store in the user's data dir, when it can be opened). With
    ``watch``, the case folders are watched and the library reloads as files change.
    With ``load_in_background`` (for large libraries), the app appears at once and
    loads ``case_dirs`` in a worker, with a progress bar; its first files from
    ``head_start`` if given (see :mod:`casebook.model.load.head_start`).

    ``served`` (default: whether ``casebook serve`` started this process, see
    :mod:`casebook.serve`) builds the restricted app a browser gets: no editor, no
    screenshot, no presenter link, and a store in memory only (the server user's notes
    are never read, and nothing is written).

    ``sources`` are the source texts the author has at hand (see
    :class:`~casebook.model.load.provenance.Sources`): the panes show the passage of
    each figure, event and saying in the source's own words, read from them at run time.
    A served session never gets them (the source's text is not ours to publish).

    With ``remember``, the app keeps where the reader is (entry, pane, scroll) in the
    data folder, and reopens there unless ``present`` is given or ``restore`` is False;
    it also keeps the reader's language and theme (see :mod:`casebook.state.preferences`),
    restored at every start. ``lang`` overrides the language kept, for this run (default:
    the one kept, else English; without ``remember`` it is read, never written). A served
    session never reads or writes either.

    With ``join`` (an address, and the student's name or None to ask for it), the app
    opens on that live class as a student (see :mod:`casebook.screens.class_student`).

    With ``classroom``, the app teaches that live class: it opens on its case's slides
    (or the presenter console) with the class's tools (see
    :mod:`casebook.screens.class_trainer`); the caller starts and closes its server.
    """
    from casebook.served import served_session

    served = served_session() if served is None else served
    if served and store is None:
        store = Store.in_memory()
    dirs = list(case_dirs) if case_dirs is not None else []
    if library is None:
        from casebook.model.load.library import case_dirs as active_dirs

        dirs = dirs or active_dirs()
        library = Library(edition=edition) if load_in_background else load_library(dirs, edition)
    if store is None:
        try:
            store = Store.open()
        except OSError:
            store = None  # notes need a writable data dir; browsing does not
    places = preferences = None
    if remember and not served:
        from casebook.place_keeping import open_preferences
        from casebook.state.paths import data_dir
        from casebook.state.places import Places

        directory = store.directory if store is not None else data_dir()
        places = Places.open(directory)
        preferences = open_preferences(directory, places)
        lang = lang or preferences.last.lang
    elif lang is None and not served:  # joining a class, say: the language last chosen
        from casebook.state.paths import data_dir
        from casebook.state.preferences import PreferencesFile

        lang = PreferencesFile.open(data_dir()).last.lang  # read, never written here
    return CasebookApp(
        library,
        lang=lang or "en",
        places=places,
        preferences=preferences,
        restore=restore and present is None and classroom is None,
        present=classroom.case_id if classroom is not None else present,
        console=classroom.console if classroom is not None else console,
        minutes=minutes,
        store=store,
        case_dirs=dirs,
        watch=watch,
        load_in_background=load_in_background,
        served=served,
        sources=None if served else sources,
        join=join,
        classroom=classroom,
        head_start=head_start,
    )
