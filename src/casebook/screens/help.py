"""The help screen: every key, from the same action definitions the bindings use."""

from __future__ import annotations

from collections.abc import Sequence

from rich.table import Table
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

from casebook.actions import APP_ACTIONS, Action
from casebook.model.format.text import Lang
from casebook.model.format.words import t
from casebook.screens.dialog import ClickOutsideCloses

_EXTRA_KEYS = (
    ("up/down j/k", "Move in the list", "在列表中移动"),
    ("enter", "Open the highlighted case", "打开选中的案例"),
    ("tab", "Move focus", "切换焦点"),
    ("ctrl+p", "Command palette", "命令面板"),
)


_LANGUAGE = next(a for a in APP_ACTIONS if a.action == "toggle_language")


class HelpScreen(ClickOutsideCloses, ModalScreen[None]):
    """A table of keys; any of escape, q or ? closes it."""

    CSS_PATH = "dialogs.tcss"

    BINDINGS = [
        Binding("escape,q,question_mark", "dismiss", "Close"),
        # The language key works here too (a modal screen hides the app's bindings).
        Binding(_LANGUAGE.key, f"app.{_LANGUAGE.action}", show=False),
    ]

    def __init__(self, lang: Lang, actions: Sequence[Action]) -> None:
        super().__init__()
        self.lang = lang
        self.actions = actions

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="help-body"):
            yield Static(self._table(), id="help-table")

    def on_mount(self) -> None:
        self.watch(self.app, "lang", self._language_changed, init=False)

    def _language_changed(self, lang: Lang) -> None:
        self.lang = lang
        self.query_one("#help-table", Static).update(self._table())

    def _table(self) -> Table:
        table = Table(title=t("keys", self.lang), expand=True, show_header=False, box=None)
        table.add_column(style="bold cyan", no_wrap=True)
        table.add_column()
        for key, en, zh in _EXTRA_KEYS:
            table.add_row(key, zh if self.lang == "zh" else en)
        for action in self.actions:
            table.add_row(action.help_key, action.help(self.lang))
        return table

    def action_dismiss(self) -> None:
        self.dismiss()
