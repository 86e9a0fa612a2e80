"""Keeping the reader's place (see :mod:`casebook.state.places`): what the app shows
now, as a :class:`Place`, remembered once a second and on exit, and restored at start."""

from __future__ import annotations

from typing import TYPE_CHECKING

from casebook.model.format.words import t
from casebook.state.places import Place, Places

if TYPE_CHECKING:
    from casebook.app import CasebookApp

__all__ = ["current_place", "keep_places"]


def current_place(app: CasebookApp) -> Place | None:
    """Where the reader is in the explorer (its entry, pane and scroll), in which
    language and theme; None before the explorer is shown."""
    from casebook.screens.explorer import ExplorerScreen

    explorer = next(
        (screen for screen in app.screen_stack if isinstance(screen, ExplorerScreen)), None
    )
    if explorer is None or not explorer.is_mounted:
        return None
    scroll = 0.0
    if explorer.current is not None:
        found = explorer.query(f"#pane-{explorer.pane}")
        if found:
            scroll = round(float(found.first().scroll_y), 1)
    return Place(
        entry=explorer.current,
        pane=explorer.pane,
        scroll=scroll,
        lang=app.lang,
        theme=app.theme,
    )


def remember(app: CasebookApp, places: Places, *, now: bool = False) -> None:
    """Keep where the reader is: written at most once a second, or ``now`` (on exit)."""
    place = current_place(app)
    if place is not None:
        places.remember(place)
    if now:
        places.flush()


def keep_places(app: CasebookApp, places: Places, *, restore: bool) -> None:
    """At start: say if the file could not be read, put the theme back, and from then
    on remember the place once a second (the check is cheap: nothing is written unless
    it changed)."""
    if places.warning:
        app.notify(t("places_unreadable", app.lang, error=places.warning), severity="warning")
    theme = places.last.theme if restore else None
    if theme and theme in app.available_themes:
        app.theme = theme
    app.set_interval(places.interval, lambda: remember(app, places), name="places")
