"""The reader's bookmarks: pick one to jump back to it; name one when adding it; rename
or remove one already there."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, OptionList, Static
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
                Option(plain(mark.title), str(number)) for number, mark in enumerate(self.bookmarks)
            ]
            yield OptionList(*options, id="bookmark-list")

    def on_option_list_option_selected(self, message: OptionList.OptionSelected) -> None:
        self.dismiss(self.bookmarks[int(message.option.id or 0)])

    def action_cancel(self) -> None:
        self.dismiss(None)


class BookmarkName(ClickOutsideCloses, ModalScreen[str | None]):
    """Ask for a bookmark's name (``suggested`` to begin with): enter keeps it, escape
    gives up (None)."""

    CSS_PATH = "dialogs.tcss"

    BINDINGS = [Binding("escape", "cancel", "Close")]

    def __init__(self, title: str, suggested: str, lang: Lang) -> None:
        super().__init__()
        self.title_text = title
        self.suggested = suggested
        self.lang = lang

    def compose(self) -> ComposeResult:
        with Vertical(id="bookmark-name-box", classes="small-box"):
            yield Static(Text(self.title_text, style="bold"))
            yield Input(self.suggested, id="bookmark-name", select_on_focus=True)
            yield Static(Text(t("bookmark_name_keys", self.lang), style="dim"))

    def on_input_submitted(self, message: Input.Submitted) -> None:
        message.stop()
        self.dismiss(message.value.strip() or self.suggested)

    def action_cancel(self) -> None:
        self.dismiss(None)


class BookmarkChoice(ClickOutsideCloses, ModalScreen[str | None]):
    """What to do with a bookmark already there: "rename", "remove", or None (nothing)."""

    CSS_PATH = "dialogs.tcss"

    BINDINGS = [Binding("escape,m", "cancel", "Close")]

    def __init__(self, mark: Bookmark, lang: Lang) -> None:
        super().__init__()
        self.mark = mark
        self.lang = lang

    def compose(self) -> ComposeResult:
        with Vertical(id="bookmark-choice-box", classes="small-box"):
            title = Text(t("bookmark_exists", self.lang) + " ", style="bold")
            title.append_text(plain(self.mark.title))
            yield Static(title)
            yield OptionList(
                Option(t("bookmark_rename", self.lang), "rename"),
                Option(t("bookmark_remove", self.lang), "remove"),
                Option(t("bookmark_keep", self.lang), "keep"),
                id="bookmark-choice",
            )

    def on_option_list_option_selected(self, message: OptionList.OptionSelected) -> None:
        message.stop()
        chosen = message.option.id
        self.dismiss(chosen if chosen in ("rename", "remove") else None)

    def action_cancel(self) -> None:
        self.dismiss(None)
