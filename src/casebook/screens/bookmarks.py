"""The reader's bookmarks: pick one to jump back to it."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from casebook.model.format.text import Lang
from casebook.model.format.words import t
from casebook.screens.dialog import ClickOutsideCloses
from casebook.state.notes import Bookmark
from casebook.widgets.render import plain


class BookmarksScreen(ClickOutsideCloses, ModalScreen[Bookmark | None]):
    """Bookmarks in a list; enter jumps, escape closes."""

    CSS_PATH = "dialogs.tcss"

    BINDINGS = [Binding("escape,b", "cancel", "Close")]

    def __init__(self, bookmarks: list[Bookmark], lang: Lang) -> None:
        super().__init__()
        self.bookmarks = bookmarks
        self.lang = lang

    def compose(self) -> ComposeResult:
        with Vertical(id="bookmarks-box"):
            yield Static(Text(t("bookmarks", self.lang), style="bold"))
            if not self.bookmarks:
                yield Static(Text(t("no_bookmarks", self.lang), style="dim"))
            options = [
                Option(plain(mark.label or f"{mark.case_id} · {mark.pane}"), str(number))
                for number, mark in enumerate(self.bookmarks)
            ]
            yield OptionList(*options, id="bookmark-list")

    def on_option_list_option_selected(self, message: OptionList.OptionSelected) -> None:
        self.dismiss(self.bookmarks[int(message.option.id or 0)])

    def action_cancel(self) -> None:
        self.dismiss(None)
