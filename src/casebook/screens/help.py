"""The help screen: every key, from the same action definitions the bindings use."""

from __future__ import annotations

from collections.abc import Sequence

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

from casebook.actions import APP_ACTIONS, Action
from casebook.model.format.text import Lang
from casebook.model.format.words import t
from casebook.screens.dialog import ClickOutsideCloses
from casebook.screens.language import Bilingual
from casebook.widgets.flow import Flow

EXPLORER_KEYS = (
    ("up/down j/k", "about_move"),
    ("enter", "about_open"),
    ("tab", "about_focus"),
    ("ctrl+p", "about_palette"),
)
"""Keys the explorer's widgets define, with what they do (words in
casebook.model.format.words); other screens pass their own."""


_LANGUAGE = next(a for a in APP_ACTIONS if a.action == "toggle_language")


class HelpScreen(Bilingual, ClickOutsideCloses, ModalScreen[None]):
    """A table of keys; any of escape, q or ? closes it."""

    CSS_PATH = "dialogs.tcss"

    BINDINGS = [
        Binding("escape,q,question_mark", "dismiss", "Close"),
        # The language key works here too (a modal screen hides the app's bindings).
        Binding(_LANGUAGE.key, f"app.{_LANGUAGE.action}", show=False),
    ]

    def __init__(
        self,
        lang: Lang,
        actions: Sequence[Action],
        keys: Sequence[tuple[str, str]] = EXPLORER_KEYS,
    ) -> None:
        """Lists ``actions`` and ``keys`` (key, words of what it does): exactly the keys
        of the screen it opens on."""
        super().__init__()
        self.set_reactive(HelpScreen.lang, lang)
        self.actions = actions
        self.keys = keys

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="help-body"):
            yield Static(self._table(), id="help-table")

    def watch_lang(self) -> None:
        self.query_one("#help-table", Static).update(self._table())

    def _table(self) -> Table:
        table = Table(title=t("keys", self.lang), expand=True, show_header=False, box=None)
        table.add_column(style="bold cyan", no_wrap=True)
        table.add_column()
        for key, about in self.keys:
            table.add_row(key, Flow(Text(t(about, self.lang))))
        for action in self.actions:
            table.add_row(action.help_key, Flow(Text(action.help(self.lang))))
        return table

    def action_dismiss(self) -> None:
        self.dismiss()
