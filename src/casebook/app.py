"""The casebook app and the one factory that builds it for the CLI and the tests."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from functools import partial
from pathlib import Path

from textual.app import App, SystemCommand
from textual.reactive import reactive
from textual.screen import Screen

from casebook.actions import APP_ACTIONS, EXPLORER_ACTIONS, bindings, commands, relabel
from casebook.model.library import Library, load_library
from casebook.model.text import Lang, pick
from casebook.screens.explorer import ExplorerScreen
from casebook.screens.help import HelpScreen
from casebook.screens.problems import ProblemsScreen
from casebook.widgets.case_list import INTRO_ID


class CasebookApp(App[None]):
    """Browse a casebook: cases in a list, each case in six panes."""

    CSS_PATH = "casebook.tcss"
    TITLE = "casebook"
    BINDINGS = bindings(APP_ACTIONS)

    lang: reactive[Lang] = reactive("en")
    """The language of case text and of the interface."""

    def __init__(self, library: Library, lang: Lang = "en") -> None:
        super().__init__()
        self.library = library
        self.set_reactive(CasebookApp.lang, lang)

    def get_default_screen(self) -> Screen:
        return ExplorerScreen(self.library)

    def on_mount(self) -> None:
        relabel(self, APP_ACTIONS, self.lang)

    def watch_lang(self, lang: Lang) -> None:
        relabel(self, APP_ACTIONS, lang)

    def action_toggle_language(self) -> None:
        """Switch case text and interface between English and Chinese."""
        self.lang = "zh" if self.lang == "en" else "en"

    def action_help(self) -> None:
        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen(self.lang))

    def action_problems(self) -> None:
        if not isinstance(self.screen, ProblemsScreen):
            self.push_screen(ProblemsScreen(self.library.diagnostics, self.lang))

    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        yield from (c for c in super().get_system_commands(screen) if c.title != "Quit")
        yield from commands(self, APP_ACTIONS, self.lang)
        if isinstance(screen, ExplorerScreen):
            yield from commands(screen, EXPLORER_ACTIONS, self.lang)
            yield from self._open_commands(screen)

    def _open_commands(self, screen: ExplorerScreen) -> Iterable[SystemCommand]:
        verb = "打开" if self.lang == "zh" else "Open"
        collection = self.library.collection
        if collection is not None:
            title = f"{verb}: {pick(collection.title, self.lang)}"
            yield SystemCommand(
                title, pick(collection.subtitle, self.lang), partial(screen.open, INTRO_ID)
            )
        for case in self.library.cases.values():
            name = f"{pick(case.company.name, 'en')} {pick(case.company.name, 'zh')}"
            yield SystemCommand(
                f"{verb}: {name}", pick(case.hook, self.lang), partial(screen.open, case.id)
            )


def make_app(
    case_dirs: Sequence[Path] | None = None,
    *,
    library: Library | None = None,
    lang: Lang = "en",
) -> CasebookApp:
    """Build the app on ``library``, or on the cases in ``case_dirs`` (default: the active ones)."""
    if library is None:
        from casebook.model.library import case_dirs as active_dirs

        library = load_library(case_dirs if case_dirs is not None else active_dirs())
    return CasebookApp(library, lang=lang)
