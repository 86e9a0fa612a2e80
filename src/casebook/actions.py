"""Every user action, defined once: its key, its footer label and its palette entry."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Iterator
from functools import partial

import msgspec
from textual.app import SystemCommand
from textual.binding import Binding
from textual.dom import DOMNode

from casebook.model.format.text import Lang
from casebook.model.format.words import t

PANES: tuple[str, ...] = ("overview", "timeline", "metrics", "challenges", "people", "discussion")


class Action(msgspec.Struct, frozen=True):
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
    palette_label: str | None = None

    @property
    def help_key(self) -> str:
        """The key as the help screen lists it (each pane key on its own)."""
        return self.key if self.footer_label else (self.key_display or self.key)

    def help(self, lang: Lang) -> str:
        return self.help_zh if lang == "zh" else self.help_en


APP_ACTIONS: tuple[Action, ...] = (
    Action("quit", "q", "quit", "Quit casebook", "退出 casebook"),
    Action(
        "toggle_language",
        "l",
        "language",
        "Switch English / Chinese",
        "切换中文 / 英文",
        palette_label="language_palette",
    ),
    Action("help", "question_mark", "help", "Show every key", "显示所有按键", key_display="?"),
    Action(
        "save_screenshot",
        "f12",
        "screenshot",
        "Save an SVG screenshot of the screen",
        "保存当前屏幕的 SVG 截图",
        footer=False,
    ),
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
    Action("search", "slash", "search", "Search every case", "搜索所有案例", key_display="/"),
    Action("present", "p", "present", "Present the open case as slides", "以幻灯片放映当前案例"),
    # In the help screen and the palette, not the footer (it has room for the essentials).
    *(
        Action(action, key, label, help_en, help_zh, footer=False)
        for action, key, label, help_en, help_zh in (
            ("filter", "f", "filter", "Filter by chapter, industry, place", "按章节行业地区筛选"),
            ("clear_filters", "F", "clear_filters", "Clear the filters", "清除筛选"),
            ("compare", "c", "compare", "Compare 2–4 cases side by side", "并排比较 2–4 个案例"),
            ("all_events", "t", "all_events", "Every event on one time axis", "全部事件时间轴"),
            ("edit_note", "e", "note", "Write a private note on this pane", "为当前分栏写笔记"),
            ("toggle_bookmark", "m", "bookmark", "Bookmark this place", "为当前位置加书签"),
            ("bookmarks", "b", "bookmarks", "Jump to a bookmark", "跳到书签"),
        )
    ),
)

PRESENT_ACTIONS: tuple[Action, ...] = (
    Action("next", "right,space,pagedown", "next", "Next step", "下一步", key_display="→"),
    Action("previous", "left,pageup", "back", "Previous step", "上一步", key_display="←"),
    Action("first", "home", "first", "First slide", "第一张", footer=False),
    Action("last", "end", "last", "Last slide", "最后一张", footer=False),
    Action("goto", "g", "goto", "Go to slide number…", "跳到第几张…"),
    Action("overview", "o", "overview", "Overview of all slides", "全部幻灯片一览"),
    Action("blackout", "b", "blackout", "Black out the screen", "黑屏"),
    Action("toggle_timer", "t", "timer", "Show or hide the timer", "显示或隐藏计时"),
    Action(
        "toggle_notes", "n", "notes", "Speaker notes (instructor edition)", "讲者备注（教师版）"
    ),
    Action("leave", "escape", "leave", "Back to the explorer", "返回浏览界面"),
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
    changed = False
    for key, found in key_map.items():
        if any(b.action in labels and b.description != labels[b.action] for b in found):
            changed = True
            key_map[key] = [
                dataclasses.replace(b, description=labels[b.action]) if b.action in labels else b
                for b in found
            ]
    if changed:  # the footer redraws every key when told: only when a label changed
        node.refresh_bindings()


def commands(node: DOMNode, actions: Iterable[Action], lang: Lang) -> Iterator[SystemCommand]:
    """Command palette entries running ``actions`` on ``node``, as their keys do."""
    for a in actions:
        if a.palette:
            title = t(a.palette_label or a.label, lang)
            yield SystemCommand(title, a.help(lang), partial(node.run_action, a.action))
