"""Screens kept to open again quickly: built off screen ahead of their first open, and
let go of when what they show is gone."""

from __future__ import annotations

from textual.app import App
from textual.screen import Screen


async def build_off_screen(app: App[object], screen: Screen[object]) -> None:
    """Start ``screen`` (compose and mount its widgets), lay it out for the app's size
    and draw it, without showing it: its first open then draws only what changed since
    (measured: the slide grid's first open took about half the time, and about a quarter less
    again once drawn; compare's, with its key bar and background drawn already, 35 ms,
    not 48, in paired runs). ``screen`` is one the app keeps (``App.install_screen``).

    Textual's own steps of ``push_screen`` and of a screen update, private in Textual 8:
    without them (another version), the screen is built when it is first opened, as any
    other. Drawn only into the widgets' own caches: nothing reaches the terminal."""
    start = getattr(app, "_get_screen", None)
    lay_out = getattr(screen, "_refresh_layout", None)
    if start is None or lay_out is None or screen.is_running:
        return
    await start(screen)[1]
    lay_out(app.size)
    draw = getattr(getattr(screen, "_compositor", None), "render_strips", None)
    if draw is not None:
        draw()


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
