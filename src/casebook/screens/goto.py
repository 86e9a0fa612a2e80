"""Jumping in a presentation: by slide number, or from a grid of every slide; and the
small dialog that asks a number (a slide, the class length)."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import ItemGrid, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Static

from casebook.model.format.text import Lang
from casebook.model.format.words import t
from casebook.screens.dialog import ClickOutsideCloses
from casebook.widgets.render import plain


class NumberDialog(ClickOutsideCloses, ModalScreen[int | None]):
    """Type a whole number from ``low`` to ``high`` and press enter; escape cancels.

    A number out of range is refused where it was typed, with ``refusal`` saying why;
    the dialog stays open to correct it. Enter on nothing gives ``empty``."""

    CSS_PATH = "present.tcss"

    BINDINGS = [Binding("escape", "cancel", "Cancel")]

    def __init__(
        self,
        prompt: str,
        low: int,
        high: int,
        refusal: str,
        lang: Lang,
        *,
        empty: int | None = None,
    ) -> None:
        super().__init__()
        self.prompt = prompt
        self.low, self.high = low, high
        self.refusal = refusal
        self.lang = lang
        self.empty = empty

    def compose(self) -> ComposeResult:
        with Vertical(id="goto-box"):
            yield Static(Text(self.prompt))
            yield Input(type="integer", id="goto-number")
            yield Static(id="goto-error")

    def on_input_submitted(self, message: Input.Submitted) -> None:
        value = message.value.strip()
        if not value:
            self.dismiss(self.empty)
            return
        try:
            number = int(value)
        except ValueError:
            self._refuse(t("not_a_number", self.lang))
            return
        if not self.low <= number <= self.high:
            self._refuse(self.refusal.format(number=number))
            return
        self.dismiss(number)

    def _refuse(self, why: str) -> None:
        self.app.bell()
        error = self.query_one("#goto-error", Static)
        error.update(Text(why, style="bold"))
        error.display = True

    def action_cancel(self) -> None:
        self.dismiss(None)


class GotoScreen(NumberDialog):
    """Type a slide number and press enter: a number with no slide is refused, never
    taken as the nearest one."""

    def __init__(self, slides: int, lang: Lang) -> None:
        refusal = t("no_such_slide", lang, number="{number}", n=slides)
        super().__init__(t("slide_number", lang, n=slides), 1, slides, refusal, lang)


class SlideGrid(ClickOutsideCloses, ModalScreen[int | None]):
    """Every slide (every page of a slide split to fit) as a button in a grid, by its
    ``titles``; pick one to jump there (by its number, 1-based).

    The arrows move in two dimensions (up and down by a row), home and end go to the
    first and last slide, enter opens the one picked."""

    CSS_PATH = "present.tcss"

    BINDINGS = [
        Binding("escape,o", "cancel", "Cancel"),
        # Before the scrolling grid's own arrows, home and end (which scroll it).
        Binding("right,tab", "move(1, 0)", "Next", show=False, priority=True),
        Binding("left,shift+tab", "move(-1, 0)", "Previous", show=False, priority=True),
        Binding("down", "move(0, 1)", "Row below", show=False, priority=True),
        Binding("up", "move(0, -1)", "Row above", show=False, priority=True),
        Binding("home", "pick(1)", "First", show=False, priority=True),
        Binding("end", "pick(0)", "Last", show=False, priority=True),
        Binding("enter,space", "open", "Open", show=False, priority=True),
    ]

    def __init__(self, titles: list[str], current: int, lang: Lang) -> None:
        super().__init__()
        self.titles = titles
        self.current = current
        self.lang = lang
        self.picked = current
        """The slide picked (focused), known at once: keys can come faster than focus,
        which moves after them; so only the keys here move it."""

    def compose(self) -> ComposeResult:
        buttons = []
        for number, title in enumerate(self.titles, start=1):
            label = Text(f"{number}. ", style="bold")
            label.append_text(plain(title))
            variant = "primary" if number == self.current else "default"
            buttons.append(Button(label, id=f"slide-{number}", variant=variant, compact=True))
        with VerticalScroll(id="slide-grid"):
            yield ItemGrid(*buttons, min_column_width=24)

    def on_mount(self) -> None:
        self.query_one(f"#slide-{self.current}", Button).focus()

    def columns(self) -> int:
        """How many slides a row of the grid holds, as it is laid out now."""
        buttons = list(self.query_one(ItemGrid).query_children(Button))
        top = buttons[0].virtual_region.y
        return max(1, sum(1 for button in buttons if button.virtual_region.y == top))

    def action_move(self, across: int, down: int) -> None:
        """Move the pick ``across`` slides, or ``down`` rows (to the last slide when the
        row below stops short of the column)."""
        total = len(self.titles)
        number = self.picked
        if across:
            target = number + across
        else:
            target = number + down * self.columns()
            if (
                down > 0
                and target > total
                and (number - 1) // self.columns() < ((total - 1) // self.columns())
            ):
                target = total  # a shorter last row: its last slide
        if 1 <= target <= total:
            self.action_pick(target)

    def action_pick(self, number: int) -> None:
        """Pick slide ``number`` (0: the last)."""
        target = number or len(self.titles)
        self.picked = target
        button = self.query_one(f"#slide-{target}", Button)
        button.focus()
        button.scroll_visible(animate=False)

    def action_open(self) -> None:
        """Open the slide picked."""
        self.dismiss(self.picked)

    def on_button_pressed(self, message: Button.Pressed) -> None:
        assert message.button.id is not None
        self.dismiss(int(message.button.id.removeprefix("slide-")))

    def action_cancel(self) -> None:
        self.dismiss(None)
