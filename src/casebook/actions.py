"""Every user action, defined once: its key, its footer label and its palette entry."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import partial

from textual.app import SystemCommand
from textual.binding import Binding
from textual.dom import DOMNode

from casebook.i18n import t
from casebook.model.text import Lang

PANES: tuple[str, ...] = ("overview", "timeline", "metrics", "challenges", "people", "discussion")


@dataclass(frozen=True)
class Action:
    """One thing a user can do, by key and from the command palette."""

    action: str
    key: str
    label: str
    help_en: str
    help_zh: str
    key_display: str | None = None
    footer: bool = True
    palette: bool = True
    footer_label: str | None = None

    @property
    def help_key(self) -> str:
        """The key as the help screen lists it (each pane key on its own)."""
        return self.key if self.footer_label else (self.key_display or self.key)

    def help(self, lang: Lang) -> str:
        return self.help_zh if lang == "zh" else self.help_en


APP_ACTIONS: tuple[Action, ...] = (
    Action("quit", "q", "quit", "Quit casebook", "退出 casebook"),
    Action("toggle_language", "l", "language", "Switch English / Chinese", "切换中文 / 英文"),
    Action("help", "question_mark", "help", "Show every key", "显示所有按键", key_display="?"),
    Action(
        "problems",
        "exclamation_mark",
        "problems",
        "List problems in the case files",
        "列出案例文件中的问题",
        key_display="!",
    ),
)

EXPLORER_ACTIONS: tuple[Action, ...] = (
    *(
        Action(
            f"show_pane('{pane}')",
            str(number),
            pane,
            f"Show the {pane} pane",
            f"显示第 {number} 栏",
            footer=number == 1,
            key_display="1-6" if number == 1 else None,
            footer_label="panes",
        )
        for number, pane in enumerate(PANES, start=1)
    ),
    Action("toggle_list", "s", "list", "Show or hide the case list", "显示或隐藏案例列表"),
)


def _description(action: Action, lang: Lang) -> str:
    return t(action.footer_label or action.label, lang)


def bindings(actions: Iterable[Action]) -> list[Binding]:
    """Key bindings for ``actions`` (labels in English until ``relabel`` runs)."""
    return [
        Binding(a.key, a.action, _description(a, "en"), show=a.footer, key_display=a.key_display)
        for a in actions
    ]


def relabel(node: DOMNode, actions: Iterable[Action], lang: Lang) -> None:
    """Show ``node``'s bindings for ``actions`` in ``lang`` (footer and help)."""
    labels = {a.action: _description(a, lang) for a in actions}
    key_map = node._bindings.key_to_bindings  # Textual keeps no public setter for labels.
    for key, found in key_map.items():
        key_map[key] = [
            dataclasses.replace(b, description=labels[b.action]) if b.action in labels else b
            for b in found
        ]
    node.refresh_bindings()


def commands(node: DOMNode, actions: Iterable[Action], lang: Lang) -> Iterator[SystemCommand]:
    """Command palette entries running ``actions`` on ``node``, as their keys do."""
    for a in actions:
        if a.palette:
            title = t(a.label, lang)
            yield SystemCommand(title, a.help(lang), partial(node.run_action, a.action))
