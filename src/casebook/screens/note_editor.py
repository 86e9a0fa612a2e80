"""A small editor for a private note on one pane of one case (or an answer to a question)."""

from __future__ import annotations

from collections.abc import Callable

from rich.text import Text
from textual import events
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.timer import Timer
from textual.widgets import Button, Static, TextArea

from casebook.model.format.text import Lang
from casebook.model.format.words import t
from casebook.screens.dialog import ClickOutsideCloses


class ConfirmDiscard(ClickOutsideCloses, ModalScreen[bool | None]):
    """Ask before unsaved changes are thrown away: True to discard, else keep editing.

    ``d`` (or the Discard button) discards; ``k``, escape, the Keep editing button or
    a click outside the box goes back to the text.
    """

    CSS_PATH = "dialogs.tcss"

    BINDINGS = [
        Binding("d", "answer(True)", "Discard"),
        Binding("k,escape", "answer(False)", "Keep editing"),
    ]

    def __init__(self, lang: Lang) -> None:
        super().__init__()
        self.lang = lang

    def compose(self) -> ComposeResult:
        with Vertical(id="confirm-box"):
            yield Static(Text(t("discard_question", self.lang), style="bold"))
            with Horizontal(id="confirm-buttons"):
                yield Button(f"{t('discard', self.lang)} (d)", id="discard", variant="error")
                yield Button(f"{t('keep_editing', self.lang)} (k)", id="keep", variant="primary")

    def on_mount(self) -> None:
        self.query_one("#keep", Button).focus()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.dismiss(event.button.id == "discard")

    def action_answer(self, discard: bool) -> None:
        self.dismiss(discard)


class NoteEditor(ModalScreen[str | None]):
    """Edit the note; ctrl+s saves (an empty note deletes it), escape closes.

    With ``save``, ctrl+s calls it with the text and closes only when it returns
    True: a save that fails leaves the editor open, with the text, to try again.
    ``restored`` says the text is an unsaved draft (it counts as a change).

    Escape, or a click outside the box, closes at once when nothing changed, and
    otherwise asks first (:class:`ConfirmDiscard`). While the text differs, it is
    handed to ``keep`` (a draft) :attr:`DRAFT_DELAY` seconds after the last key and
    when the editor goes away unsaved; ``drop`` is called on an explicit discard.
    """

    CSS_PATH = "dialogs.tcss"

    DRAFT_DELAY = 1.0
    """Seconds after the last change before the draft is kept."""

    BINDINGS = [
        Binding("ctrl+s", "save", "Save"),
        # A priority binding: the text area (tab indents) would take escape to move focus.
        Binding("escape", "cancel", "Close", priority=True),
    ]

    def __init__(
        self,
        title: Text,
        text: str,
        lang: Lang,
        save: Callable[[str], bool] | None = None,
        *,
        restored: bool = False,
        keep: Callable[[str], None] | None = None,
        drop: Callable[[], None] | None = None,
    ) -> None:
        super().__init__()
        self.heading = title
        self.text = text
        self.lang = lang
        self.save = save
        self.restored = restored
        self.keep = keep
        self.drop = drop
        self._draft_timer: Timer | None = None
        self._settled = False  # saved or discarded: no draft to keep
        self._latest = text  # the text as last changed (read after the area is gone)

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

    @property
    def current_text(self) -> str:
        return self.query_one(TextArea).text

    @property
    def changed(self) -> bool:
        """Whether closing now would lose something: a restored draft, or any edit."""
        return self.restored or self.current_text != self.text

    # -- drafts -------------------------------------------------------------

    def on_text_area_changed(self, event: TextArea.Changed) -> None:
        self._latest = event.text_area.text
        if self.keep is None:
            return
        if self._draft_timer is not None:
            self._draft_timer.stop()
        self._draft_timer = self.set_timer(self.DRAFT_DELAY, self.keep_draft)

    def keep_draft(self) -> None:
        """Hand the text to ``keep`` now, if it differs from the saved one."""
        self._draft_timer = None
        if self.keep is not None and not self._settled and self.changed:
            self.keep(self.current_text)

    def on_unmount(self) -> None:
        """Gone unsaved (the app quit, the screen was popped): keep what was typed."""
        if self._draft_timer is not None:
            self._draft_timer.stop()
        if not self._settled and self.keep is not None and self._latest != self.text:
            self.keep(self._latest)

    def _stop_drafts(self) -> None:
        self._settled = True
        if self._draft_timer is not None:
            self._draft_timer.stop()
            self._draft_timer = None

    # -- closing ------------------------------------------------------------

    def action_save(self) -> None:
        text = self.current_text
        if self.save is None or self.save(text):
            self._stop_drafts()
            self.dismiss(text)

    def action_cancel(self) -> None:
        """Close: at once when nothing changed, else after asking."""
        if not self.changed:
            self._stop_drafts()
            self.dismiss(None)
            return
        self.keep_draft()  # kept while the question is open

        def answered(discard: bool | None) -> None:
            if discard:
                self._stop_drafts()
                if self.drop is not None:
                    self.drop()
                self.dismiss(None)
            else:
                self.query_one(TextArea).focus()

        self.app.push_screen(ConfirmDiscard(self.lang), answered)

    def on_click(self, event: events.Click) -> None:
        """A click beside the box closes the editor, as escape does."""
        widget, _ = self.get_widget_at(event.screen_x, event.screen_y)
        if widget is self:
            event.stop()
            self.action_cancel()
