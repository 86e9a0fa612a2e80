"""Every user action, defined once: its key, its footer label and its palette entry."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from functools import partial
from typing import TYPE_CHECKING

import msgspec
from textual.actions import parse as parse_action
from textual.app import SystemCommand
from textual.binding import Binding
from textual.dom import DOMNode

from casebook.model.format.addresses import PANES, panes_for
from casebook.model.format.text import Lang
from casebook.model.format.words import t

if TYPE_CHECKING:
    from casebook.model.format.edition import Edition


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


def pane_actions(panes: tuple[str, ...]) -> tuple[Action, ...]:
    """One action per pane (keys 1, 2...), the footer showing them as one: "1-6"."""
    return tuple(
        Action(
            f"show_pane('{pane}')",
            str(number),
            pane,
            "about_pane",
            footer=number == 1,
            key_display=f"1-{len(panes)}" if number == 1 else None,
            footer_label="panes",
            about_values=(("pane", pane), ("number", number)),
        )
        for number, pane in enumerate(panes, start=1)
    )


def pane_keys(numbers: Iterable[int]) -> str:
    """The keys of the panes numbered ``numbers`` as the key bar shows them: "1-6", or
    "1-3,5" when pane 4 is not there."""
    runs: list[list[int]] = []
    for number in sorted(numbers):
        if runs and number == runs[-1][-1] + 1:
            runs[-1].append(number)
        else:
            runs.append([number])
    return ",".join(f"{run[0]}-{run[-1]}" if len(run) > 1 else str(run[0]) for run in runs)


EXPLORER_ACTIONS: tuple[Action, ...] = (
    *pane_actions(PANES),
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
            ("answer", "a", "answer"),
            ("toggle_bookmark", "m", "bookmark"),
            ("bookmarks", "b", "bookmarks"),
            ("next_hit", "n", "next_hit"),
            ("previous_hit", "N", "previous_hit"),
            ("go_back", "alt+left", "go_back"),
            ("go_forward", "alt+right", "go_forward"),
        )
    ),
)
"""The explorer's actions (the student edition's six panes)."""

INSTRUCTOR_EXPLORER_ACTIONS: tuple[Action, ...] = (
    *pane_actions(panes_for("instructor")),
    *EXPLORER_ACTIONS[len(PANES) :],
)
"""The explorer's actions in the instructor edition: a seventh pane, Teaching (key 7)."""


def explorer_actions(edition: Edition) -> tuple[Action, ...]:
    """The explorer's actions in ``edition`` (the key bar, the palette, the help screen)."""
    return INSTRUCTOR_EXPLORER_ACTIONS if edition == "instructor" else EXPLORER_ACTIONS


NEXT_KEYS = "→ space pagedown tab"
BACK_KEYS = "← pageup shift+tab"

PRESENT_ACTIONS: tuple[Action, ...] = (
    # The slides have no key bar: key_display is what the help screen lists.
    Action("next", "right,space,pagedown,tab", "next", "about_next", key_display=NEXT_KEYS),
    Action("previous", "left,pageup,shift+tab", "back", "about_back", key_display=BACK_KEYS),
    Action("first", "home", "first", "about_first", footer=False),
    Action("last", "end", "last", "about_last", footer=False),
    Action("scroll_slide(-1)", "up", "scroll", "about_scroll_up", palette=False),
    Action("scroll_slide(1)", "down", "scroll", "about_scroll_down", palette=False),
    Action("goto", "g", "goto", "about_goto"),
    Action("overview", "o", "overview", "about_slides"),
    Action("blackout", "b", "blackout", "about_blackout"),
    Action("toggle_timer", "t", "timer", "about_timer"),
    Action("pause_clock", "z", "pause", "about_pause", palette_label="pause_palette"),
    Action("reset_clock", "r", "reset_clock", "about_reset_clock"),
    Action("class_length", "m", "length", "about_length", palette_label="length_palette"),
    Action("start_over", "R", "start_over", "about_start_over"),
    Action("toggle_notes", "n", "notes", "about_notes"),
    Action("board", "w", "board", "about_board"),
    Action("leave", "escape", "leave", "about_leave"),
)

CLASS_ACTIONS: tuple[Action, ...] = (
    Action("toggle_question", "o", "live_question", "about_live_question"),
    Action("toggle_answers", "v", "live_answers", "about_live_answers"),
    Action("toggle_names", "N", "live_names", "about_live_names"),
    Action("cold_call", "k", "live_cold_call", "about_live_cold_call"),
    Action("contribution", "c", "live_contribution", "about_live_contribution"),
    Action("participation", "P", "live_participation", "about_live_participation"),
    Action("join_info", "j", "live_join", "about_live_join"),
    # o opens questions in a class: the slide overview moves to O.
    Action("overview", "O", "overview", "about_overview_class"),
)
"""A live class's own actions (``casebook class start``), over the slides' (see
:data:`CLASS_SCREEN_ACTIONS`)."""

CLASS_SCREEN_ACTIONS: tuple[Action, ...] = (
    *CLASS_ACTIONS,
    *(a for a in PRESENT_ACTIONS if a.action != "overview"),
)
"""Everything the trainer's class screen does: the help screen and the palette list these."""

PRESENT_KEYS: tuple[tuple[str, str], ...] = (
    ("0-9 enter", "about_type_number"),
    ("ctrl+p", "about_palette"),
)
"""Keys the slides read themselves (a typed slide number) or Textual gives (the palette),
with what they do, for the help screen."""


BOARD_ACTIONS: tuple[Action, ...] = (
    Action("board_add", "a", "board_add", "about_board_add"),
    Action("board_edit", "e,enter", "board_edit", "about_board_edit"),
    Action("board_remove", "d,delete", "board_remove", "about_board_remove"),
    Action("board_new_column", "n", "board_new_column", "about_board_new_column"),
    Action("board_move(-1)", "left", "board_left", "about_board_left", footer=False),
    Action("board_move(1)", "right", "board_right", "about_board_right", footer=False),
    Action("board_step(-1)", "up", "board_up", "about_board_up", footer=False),
    Action("board_step(1)", "down", "board_down", "about_board_down", footer=False),
    Action("close_board", "escape,w", "board_close", "about_board_close"),
)
"""The board's actions (``w`` in the slides: see casebook.screens.board)."""

COMPARE_ACTIONS: tuple[Action, ...] = (Action("toggle_picker", "s", "picker", "about_picker"),)
"""The compare screen's actions (escape leaves, as on every screen)."""

TIMELINE_ACTIONS: tuple[Action, ...] = (
    Action("open_event", "enter", "open_event", "about_open_event"),
    Action("toggle_picker", "s", "picker", "about_picker"),
)
"""The cross-case timeline's actions: open an event in its case, show or hide the picker."""

CLASS_STUDENT_ACTIONS: tuple[Action, ...] = (
    Action("follow", "f", "follow", "about_follow"),
    Action("class_next", "right,space,pagedown", "next", "about_class_next", key_display="→"),
    Action("class_previous", "left,pageup", "back", "about_class_back", key_display="←"),
    Action("focus_answer", "a", "answer", "about_class_answer"),
    Action("send_answer", "ctrl+s", "send", "about_send", key_display="^s"),
    Action("send_draft", "u", "send_draft", "about_send_draft"),
    Action("blur_answer", "escape", "leave", "about_blur_answer", footer=False, palette=False),
)
"""A student's actions in a live class (``casebook join``: see casebook.screens.class_student)."""


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
    a.action: a
    for a in (
        *APP_ACTIONS,
        *INSTRUCTOR_EXPLORER_ACTIONS,
        *PRESENT_ACTIONS,
        *CLASS_ACTIONS,
        *BOARD_ACTIONS,
        *TIMELINE_ACTIONS,
        *CLASS_STUDENT_ACTIONS,
    )
}


_TEXTUAL_LABELS = {"command_palette": "palette"}
"""The words of the bindings Textual makes that the key bar shows (the palette's key)."""


def footer_label(action: str, lang: Lang) -> str | None:
    """The key bar's label, in ``lang``, of the binding that runs ``action``; None for
    a binding not made here (a widget's own)."""
    found = _BY_ACTION.get(action)
    if found is None:
        word = _TEXTUAL_LABELS.get(action)
        return t(word, lang) if word is not None else None
    return _description(found, lang)


def commands(node: DOMNode, actions: Iterable[Action], lang: Lang) -> Iterator[SystemCommand]:
    """Command palette entries running ``actions`` on ``node``, as their keys do (those
    ``node`` offers now: see ``check_action``)."""
    for a in actions:
        _, name, parameters = parse_action(a.action)
        if a.palette and node.check_action(name, parameters) is not False:
            title = t(a.palette_label or a.label, lang)
            yield SystemCommand(title, a.help(lang), partial(node.run_action, a.action))
