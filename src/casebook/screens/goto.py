"""Jumping in a presentation: by slide number, or from a grid of every slide."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import ItemGrid, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Static

from casebook.model.format.text import Lang
from casebook.model.format.words import t
from casebook.model.views.slides import Deck
from casebook.screens.dialog import ClickOutsideCloses
from casebook.widgets.render import say


class GotoScreen(ClickOutsideCloses, ModalScreen[int | None]):
    """Type a slide number and press enter; escape cancels."""

    CSS_PATH = "present.tcss"

    BINDINGS = [Binding("escape", "cancel", "Cancel")]

    def __init__(self, slides: int, lang: Lang) -> None:
        super().__init__()
        self.slides = slides
        self.lang = lang

    def compose(self) -> ComposeResult:
        with Vertical(id="goto-box"):
            yield Static(Text(t("slide_number", self.lang, n=self.slides)))
            yield Input(type="integer", id="goto-number")

    def on_input_submitted(self, message: Input.Submitted) -> None:
        value = message.value.strip()
        self.dismiss(int(value) if value.lstrip("-").isdigit() else None)

    def action_cancel(self) -> None:
        self.dismiss(None)


class SlideGrid(ClickOutsideCloses, ModalScreen[int | None]):
    """Every slide as a button in a grid; pick one to jump there."""

    CSS_PATH = "present.tcss"

    BINDINGS = [
        Binding("escape,o", "cancel", "Cancel"),
        Binding("right,down", "app.focus_next", "Next", show=False),
        Binding("left,up", "app.focus_previous", "Previous", show=False),
    ]

    def __init__(self, deck: Deck, current: int, lang: Lang) -> None:
        super().__init__()
        self.deck = deck
        self.current = current
        self.lang = lang

    def compose(self) -> ComposeResult:
        buttons = []
        for number, slide in enumerate(self.deck.slides, start=1):
            label = Text(f"{number}. ", style="bold")
            label.append_text(say(slide.title, self.lang))
            variant = "primary" if number == self.current else "default"
            buttons.append(Button(label, id=f"slide-{number}", variant=variant, compact=True))
        with VerticalScroll(id="slide-grid"):
            yield ItemGrid(*buttons, min_column_width=24)

    def on_mount(self) -> None:
        self.query_one(f"#slide-{self.current}", Button).focus()

    def on_button_pressed(self, message: Button.Pressed) -> None:
        assert message.button.id is not None
        self.dismiss(int(message.button.id.removeprefix("slide-")))

    def action_cancel(self) -> None:
        self.dismiss(None)
