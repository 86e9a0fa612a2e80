"""Screens kept to open again quickly: built off screen ahead of their first open, and
let go of when what they show is gone."""

from __future__ import annotations

from textual.app import App
from textual.screen import Screen


async def build_off_screen(app: App[object], screen: Screen[object]) -> None:
    """Start ``screen`` (compose and mount its widgets) and lay it out for the app's size,
    without showing it: its first open then only draws it (measured: the slide grid's
    first open took about half the time). Not drawn here: drawing ahead saved compare's
    and the slide grid's first opens 3-4 ms more, and kept 0.7 MiB of drawn lines for a
    screen that may never open (measured with 2,000 cases). ``screen`` is one the app
    keeps (``App.install_screen``).

    Textual's own steps of ``push_screen`` and of a screen update, private in Textual 8:
    without them (another version), the screen is built when it is first opened, as any
    other."""
    start = getattr(app, "_get_screen", None)
    lay_out = getattr(screen, "_refresh_layout", None)
    if start is None or lay_out is None or screen.is_running:
        return
    await start(screen)[1]
    lay_out(app.size)


class Kept:
    """A screen the app keeps installed (see :func:`let_go`)."""

    app: App[object]
    closing_lets_go = False
    """Let go of when it next closes: it was open when it was let go of."""

    def on_screen_suspend(self) -> None:
        if self.closing_lets_go:  # after the pop: no longer in the screen stack
            self.app.call_later(let_go, self.app, self)


def let_go(app: App[object], screen: Kept) -> None:
    """Uninstall ``screen`` and remove it; one that is open (Textual refuses to uninstall
    it) is let go of when it closes."""
    assert isinstance(screen, Screen)
    if screen in app.screen_stack:
        screen.closing_lets_go = True
        return
    app.uninstall_screen(screen)
    screen.remove()
