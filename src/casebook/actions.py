"""Every user action, defined once: its key, its footer label and its palette entry."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from functools import partial

import msgspec
from textual.app import SystemCommand
from textual.binding import Binding
from textual.dom import DOMNode

from casebook.model.format.addresses import PANES
from casebook.model.format.text import Lang
from casebook.model.format.words import t


class Action(msgspec.Struct, frozen=True):
    """One thing a user can do, by key and from the command palette.

    Its words live in :mod:`casebook.model.format.words`: ``label`` (footer and palette)
    and ``about`` (the help screen and the palette's help line) are keys there.
    """

    action: str
    key: str
    label: str
    about: str
    key_display: str | None = None
    footer: bool = True
    palette: bool = True
    footer_label: str | None = None
    palette_label: str | None = None
    about_values: tuple[tuple[str, str | int], ...] = ()
    """Values for the placeholders of the ``about`` words."""

    @property
    def help_key(self) -> str:
        """The key as the help screen lists it (each pane key on its own)."""
        return self.key if self.footer_label else (self.key_display or self.key)

    def help(self, lang: Lang) -> str:
        """What the action does, in ``lang``."""
        return t(self.about, lang, **dict(self.about_values))


APP_ACTIONS: tuple[Action, ...] = (
    Action("quit", "q", "quit", "about_quit"),
    Action("toggle_language", "l", "language", "about_language", palette_label="language_palette"),
    Action("help", "question_mark", "help", "about_help", key_display="?"),
    Action("save_screenshot", "f12", "screenshot", "about_screenshot", footer=False),
    Action("problems", "exclamation_mark", "problems", "about_problems", key_display="!"),
)

EXPLORER_ACTIONS: tuple[Action, ...] = (
    *(
        Action(
            f"show_pane('{pane}')",
            str(number),
            pane,
            "about_pane",
            footer=number == 1,
            key_display="1-6" if number == 1 else None,
            footer_label="panes",
            about_values=(("pane", pane), ("number", number)),
        )
        for number, pane in enumerate(PANES, start=1)
    ),
    Action("toggle_list", "s", "list", "about_list"),
    Action("search", "slash", "search", "about_search", key_display="/"),
    Action("present", "p", "present", "about_present"),
    # In the help screen and the palette, not the footer (it has room for the essentials).
    *(
        Action(action, key, label, f"about_{label}", footer=False)
        for action, key, label in (
            ("filter", "f", "filter"),
            ("clear_filters", "F", "clear_filters"),
            ("compare", "c", "compare"),
            ("all_events", "t", "all_events"),
            ("edit_note", "e", "note"),
            ("toggle_bookmark", "m", "bookmark"),
            ("bookmarks", "b", "bookmarks"),
        )
    ),
)

PRESENT_ACTIONS: tuple[Action, ...] = (
    Action("next", "right,space,pagedown", "next", "about_next", key_display="→"),
    Action("previous", "left,pageup", "back", "about_back", key_display="←"),
    Action("first", "home", "first", "about_first", footer=False),
    Action("last", "end", "last", "about_last", footer=False),
    Action("goto", "g", "goto", "about_goto"),
    Action("overview", "o", "overview", "about_slides"),
    Action("blackout", "b", "blackout", "about_blackout"),
    Action("toggle_timer", "t", "timer", "about_timer"),
    Action("toggle_notes", "n", "notes", "about_notes"),
    Action("leave", "escape", "leave", "about_leave"),
)


def _description(action: Action, lang: Lang) -> str:
    return t(action.footer_label or action.label, lang)


def bindings(actions: Iterable[Action]) -> list[Binding]:
    """Key bindings for ``actions``, described in English (the key bar labels them in the
    reader's language as it draws: see :func:`footer_label`)."""
    return [
        Binding(a.key, a.action, _description(a, "en"), show=a.footer, key_display=a.key_display)
        for a in actions
    ]


_BY_ACTION: dict[str, Action] = {
    a.action: a for a in (*APP_ACTIONS, *EXPLORER_ACTIONS, *PRESENT_ACTIONS)
}


def footer_label(action: str, lang: Lang) -> str | None:
    """The key bar's label, in ``lang``, of the binding that runs ``action``; None for
    a binding not made here (a widget's own)."""
    found = _BY_ACTION.get(action)
    return _description(found, lang) if found is not None else None


def commands(node: DOMNode, actions: Iterable[Action], lang: Lang) -> Iterator[SystemCommand]:
    """Command palette entries running ``actions`` on ``node``, as their keys do."""
    for a in actions:
        if a.palette:
            title = t(a.palette_label or a.label, lang)
            yield SystemCommand(title, a.help(lang), partial(node.run_action, a.action))
