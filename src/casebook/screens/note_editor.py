"""A small editor for a private note on one pane of one case."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Static, TextArea

from casebook.model.text import Lang
from casebook.model.words import t


class NoteEditor(ModalScreen[str | None]):
    """Edit the note; ctrl+s saves (an empty note deletes it), escape cancels."""

    CSS_PATH = "dialogs.tcss"

    BINDINGS = [
        Binding("ctrl+s", "save", "Save"),
        Binding("escape", "cancel", "Cancel"),
    ]

    def __init__(self, title: Text, text: str, lang: Lang) -> None:
        super().__init__()
        self.heading = title
        self.text = text
        self.lang = lang

    def compose(self) -> ComposeResult:
        with Vertical(id="note-box"):
            yield Static(self.heading, id="note-title")
            yield TextArea(self.text, id="note-text", soft_wrap=True, tab_behavior="indent")
            yield Static(Text(t("note_help", self.lang), style="dim"))

    def on_mount(self) -> None:
        area = self.query_one(TextArea)
        area.focus()
        area.move_cursor(area.document.end)

    def action_save(self) -> None:
        self.dismiss(self.query_one(TextArea).text)

    def action_cancel(self) -> None:
        self.dismiss(None)
