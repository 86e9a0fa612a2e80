"""Keeping the reader's place (see :mod:`casebook.state.places`): what the app shows
now, as a :class:`Place`, remembered once a second and on exit, and restored at start;
and the reader's language and theme (see :mod:`casebook.state.preferences`), saved as
they change them and restored at every start."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from casebook.model.format.words import t
from casebook.state.places import Place, Places
from casebook.state.preferences import Preferences, PreferencesFile

if TYPE_CHECKING:
    from casebook.app import CasebookApp

__all__ = ["current_place", "keep_places", "keep_preferences", "open_preferences"]


def current_place(app: CasebookApp) -> Place | None:
    """Where the reader is in the explorer (its entry, pane and scroll); None before
    the explorer is shown."""
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
    return Place(entry=explorer.current, pane=explorer.pane, scroll=scroll)


def remember(app: CasebookApp, places: Places, *, now: bool = False) -> None:
    """Keep where the reader is: written at most once a second, or ``now`` (on exit)."""
    place = current_place(app)
    if place is not None:
        places.remember(place)
    if now:
        places.flush()


def keep_places(app: CasebookApp, places: Places) -> None:
    """At start: say if the file could not be read, and from then on remember the place
    once a second (the check is cheap: nothing is written unless it changed)."""
    if places.warning:
        app.notify(t("places_unreadable", app.lang, error=places.warning), severity="warning")
    app.set_interval(places.interval, lambda: remember(app, places), name="places")


def open_preferences(directory: Path, places: Places) -> PreferencesFile:
    """The preferences of ``directory``, seeded (once) by the language and theme an
    older casebook kept in the places file."""
    last = places.last
    lang = last.lang if last.lang in ("en", "zh") else None
    return PreferencesFile.open(directory, seed=Preferences(lang=lang, theme=last.theme))


def keep_preferences(app: CasebookApp, preferences: PreferencesFile) -> None:
    """At start: say if the file could not be read, put the theme back, and from then on
    save the theme the reader picks (the language is saved by the app as it changes)."""
    if preferences.warning:
        error = preferences.warning
        app.notify(t("preferences_unreadable", app.lang, error=error), severity="warning")
    theme = preferences.last.theme
    if theme and theme in app.available_themes:
        app.theme = theme
    app.theme_changed_signal.subscribe(app, lambda found: preferences.change(theme=found.name))
