"""What every dialog shares: a click outside its box closes it, as escape does."""

from __future__ import annotations

from textual import events
from textual.screen import ModalScreen


class ClickOutsideCloses(ModalScreen):
    """A modal screen that a mouse user can close by clicking beside the dialog."""

    def on_click(self, event: events.Click) -> None:
        widget, _ = self.get_widget_at(event.screen_x, event.screen_y)
        if widget is self:
            self.dismiss(None)
