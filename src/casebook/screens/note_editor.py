"""A small editor for a private note on one pane of one case."""

from __future__ import annotations

from collections.abc import Callable

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Static, TextArea

from casebook.model.format.text import Lang
from casebook.model.format.words import t


class NoteEditor(ModalScreen[str | None]):
    """Edit the note; ctrl+s saves (an empty note deletes it), escape cancels.

    With ``save``, ctrl+s calls it with the text and closes only when it returns
    True: a save that fails leaves the editor open, with the text, to try again.
    ``restored`` says the text is a draft kept from a failed save.
    """

    CSS_PATH = "dialogs.tcss"

    BINDINGS = [
        Binding("ctrl+s", "save", "Save"),
        # A priority binding: the text area (tab indents) would take escape to move focus.
        Binding("escape", "cancel", "Cancel", priority=True),
    ]

    def __init__(
        self,
        title: Text,
        text: str,
        lang: Lang,
        save: Callable[[str], bool] | None = None,
        *,
        restored: bool = False,
    ) -> None:
        super().__init__()
        self.heading = title
        self.text = text
        self.lang = lang
        self.save = save
        self.restored = restored

    def compose(self) -> ComposeResult:
        with Vertical(id="note-box"):
            yield Static(self.heading, id="note-title")
            if self.restored:
                yield Static(Text(t("note_draft_restored", self.lang), style="yellow"))
            yield TextArea(self.text, id="note-text", soft_wrap=True, tab_behavior="indent")
            yield Static(Text(t("note_help", self.lang), style="dim"))

    def on_mount(self) -> None:
        area = self.query_one(TextArea)
        area.focus()
        area.move_cursor(area.document.end)

    def action_save(self) -> None:
        text = self.query_one(TextArea).text
        if self.save is None or self.save(text):
            self.dismiss(text)

    def action_cancel(self) -> None:
        self.dismiss(None)
