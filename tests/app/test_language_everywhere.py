"""In Chinese, the whole interface is Chinese: every screen and dialog, the palette and
Textual's own words in it, the key bar; the language is kept across a restart, ``--lang``
overrides it for one run, and a search hit opens the view in the hit's language."""

from __future__ import annotations

import json
import os
import re
from pathlib import Path

from pilot_support import (
    CASES,
    SMALL,
    drive,
    explorer,
    open_case,
    open_palette,
    quiet,
    screen_lines,
    settle,
    type_text,
    until,
)
from study_support import ZHONGCHENG, open_search
from textual.command import CommandPalette
from textual.pilot import Pilot

from casebook.app import CasebookApp, make_app
from casebook.model.format import words
from casebook.screens.problems import ProblemsScreen
from casebook.state.preferences import PREFERENCES_NAME

_WORD = re.compile(r"[A-Za-z]{3,}")

ALLOWED = {
    # Key names, and the words that stay as they are in the Chinese interface.
    *("enter", "escape", "esc", "ctrl", "tab", "shift", "space", "pageup", "pagedown"),
    *("home", "end", "delete", "left", "right", "up", "down", "English", "casebook"),
}


def _interface_words() -> set[str]:
    """The English words of the interface (words.py), but those its Chinese keeps too."""
    english = {w.casefold() for en, _ in words._WORDS.values() for w in _WORD.findall(en)}
    chinese = {w.casefold() for _, zh in words._WORDS.values() for w in _WORD.findall(zh)}
    return english - chinese - {w.casefold() for w in ALLOWED}


INTERFACE = _interface_words()


def _english_on(app: CasebookApp) -> set[str]:
    """The interface's English words on the screen now (theme names are names)."""
    themes = {w.casefold() for name in app.available_themes for w in _WORD.findall(name)}
    shown = {w.casefold() for line in screen_lines(app) for w in _WORD.findall(line)}
    return shown & INTERFACE - themes


async def _look(pilot: Pilot, where: str, seen: dict[str, set[str]]) -> None:
    await settle(pilot)
    found = _english_on(pilot.app)  # type: ignore[arg-type]
    if found:
        seen[where] = found


def _app(**options: object) -> CasebookApp:
    return quiet(make_app([CASES], **options))  # type: ignore[arg-type]


def test_every_screen_and_dialog_is_chinese_in_chinese():
    seen: dict[str, set[str]] = {}

    async def scenario(pilot: Pilot) -> None:
        app: CasebookApp = pilot.app  # type: ignore[assignment]
        await _look(pilot, "the introduction", seen)
        keys = screen_lines(app)[-1]
        assert keys.lstrip().startswith("1-3,5 分栏"), keys  # the introduction's four panes
        assert keys.rstrip().endswith("^p 命令面板"), keys
        hits = await open_palette(pilot, "", "主题")
        assert any(hit.startswith("主题") for hit in hits), hits  # Textual's Theme
        assert not any(hit.startswith(("Keys", "Quit", "Maximize")) for hit in hits), hits
        assert "搜索命令…" in "\n".join(screen_lines(app))
        await _look(pilot, "the palette", seen)
        await type_text(pilot, "主题")
        await until(pilot, lambda: "主题" in "".join(screen_lines(app)), "the theme command")
        await pilot.press("enter")
        await until(pilot, lambda: "搜索主题…" in "\n".join(screen_lines(app)), "the themes")
        await _look(pilot, "the theme picker", seen)
        await pilot.press("escape")
        await settle(pilot)
        assert not isinstance(app.screen, CommandPalette)
        for where, key in (
            ("help", "question_mark"),
            ("problems", "exclamation_mark"),
            ("filters", "f"),
            ("the timeline of all events", "t"),
            ("bookmarks", "b"),
        ):
            await pilot.press(key)
            await _look(pilot, where, seen)
            await pilot.press("escape")
            await settle(pilot)
        await pilot.press("c")  # compare: three cases, their metrics by kind
        await settle(pilot)
        await pilot.press("space", "down", "space", "down", "space", "s")
        await _look(pilot, "compare", seen)
        await pilot.press("escape")
        await open_search(pilot, "机器人")
        await _look(pilot, "search", seen)
        await pilot.press("escape")
        await open_case(pilot, ZHONGCHENG, "metrics")
        await _look(pilot, "a case", seen)
        await pilot.press("m")
        await _look(pilot, "naming a bookmark", seen)
        await pilot.press("enter", "m")
        await _look(pilot, "a bookmark already there", seen)
        await pilot.press("escape", "e")
        await settle(pilot)
        await type_text(pilot, "笔记")
        await _look(pilot, "the note editor", seen)
        await pilot.press("escape")
        await _look(pilot, "discard the note?", seen)
        await pilot.press("d")
        await settle(pilot)
        await pilot.press("p", "g")
        await _look(pilot, "go to a slide", seen)

    drive(_app(lang="zh"), scenario, size=SMALL)
    assert not seen, f"English interface words in Chinese: {seen}"


def test_the_compare_rows_of_metric_kinds_are_named_in_chinese():
    assert words.kind_title("cycle-time", "zh") == "生产周期"
    assert words.kind_title("cycle-time", "en") == "Cycle time"
    assert words.kind_title("widgets-sold", "en") == "Widgets sold"  # a kind of an author's own


def test_a_dialog_keeps_the_language_it_opened_in():
    async def scenario(pilot: Pilot) -> None:
        app: CasebookApp = pilot.app  # type: ignore[assignment]
        await pilot.press("exclamation_mark")
        await settle(pilot)
        assert isinstance(app.screen, ProblemsScreen)
        await pilot.press("l")
        await settle(pilot)
        assert app.lang == "zh"  # the dialog, in Chinese, stays so
        await pilot.press("escape", "l")
        await settle(pilot)
        assert app.lang == "en"

    drive(_app(lang="zh"), scenario, size=SMALL)


def _preferences() -> Path:
    return Path(os.environ["CASEBOOK_DATA_DIR"]) / PREFERENCES_NAME


def test_the_language_is_kept_across_a_restart_and_lang_overrides_one_run():
    async def choose(pilot: Pilot) -> None:
        await settle(pilot)
        await pilot.press("l")
        await settle(pilot)
        await pilot.press("q")

    drive(_app(remember=True), choose, size=SMALL)
    assert json.loads(_preferences().read_text())["lang"] == "zh"

    async def chinese(pilot: Pilot) -> None:
        app: CasebookApp = pilot.app  # type: ignore[assignment]
        await settle(pilot)
        assert app.lang == explorer(app).lang == "zh"
        assert "分栏" in screen_lines(app)[-1]

    drive(_app(remember=True), chinese, size=SMALL)  # a restart
    drive(_app(remember=True, restore=False), chinese, size=SMALL)  # --fresh: the same
    drive(_app(), chinese, size=SMALL)  # an app that keeps nothing (joining a class) reads it

    async def english(pilot: Pilot) -> None:
        app: CasebookApp = pilot.app  # type: ignore[assignment]
        await settle(pilot)
        assert app.lang == "en"
        await pilot.press("q")

    drive(_app(remember=True, lang="en"), english, size=SMALL)  # --lang en, for one run
    assert json.loads(_preferences().read_text())["lang"] == "zh"
    drive(_app(remember=True), chinese, size=SMALL)


def test_a_served_session_neither_reads_nor_writes_the_preferences():
    _preferences().parent.mkdir(parents=True, exist_ok=True)
    _preferences().write_text(json.dumps({"lang": "zh"}))

    async def scenario(pilot: Pilot) -> None:
        app: CasebookApp = pilot.app  # type: ignore[assignment]
        await settle(pilot)
        assert app.lang == "en" and app.preferences is None
        await pilot.press("l")
        await settle(pilot)

    drive(_app(remember=True, served=True), scenario, size=SMALL)
    assert json.loads(_preferences().read_text()) == {"lang": "zh"}


def test_a_chinese_hit_opens_the_chinese_view_at_its_place_and_an_english_one_english():
    async def scenario(pilot: Pilot) -> None:
        app: CasebookApp = pilot.app  # type: ignore[assignment]
        screen = explorer(app)
        search = await open_search(pilot, "红冲")
        assert search.hits and search.hits[0].lang == "zh"
        hit = search.hits[0]
        await pilot.press("down", "enter")
        await settle(pilot)
        assert (screen.current, screen.pane) == (hit.entry_id, hit.pane)
        assert app.lang == screen.lang == "zh"
        assert screen.jumps.landed == hit.item
        search = await open_search(pilot, "forging")
        assert search.hits and search.hits[0].lang == "en"
        await pilot.press("down", "enter")
        await settle(pilot)
        assert app.lang == screen.lang == "en"
        assert screen.current == search.hits[0].entry_id

    drive(_app(lang="en"), scenario)
