"""Every key of the explorer, checked on state and on what the screen shows."""

from __future__ import annotations

import pytest
from pilot_support import (
    SIZE,
    bundled_app,
    drive,
    explorer,
    open_case,
    pane_lines,
    screen_lines,
    screen_text,
    settle,
    shows,
    shows_wrapped,
)
from textual.pilot import Pilot
from textual.widgets import OptionList, TabbedContent, Tabs

from casebook.actions import PANES
from casebook.screens.explorer import ExplorerScreen
from casebook.screens.help import HelpScreen
from casebook.screens.problems import ProblemsScreen
from casebook.widgets.case_list import INTRO_ID, CaseList
from casebook.widgets.panes import Pane

ORDER = [
    INTRO_ID,
    "zhejiang-zhongcheng",
    "huayi-precision",
    "jingfeng-technology",
    "weimai-medical",
]
"""Openable list entries, top to bottom (chapter headings are not openable)."""

TAB_LABELS = {
    "en": ["Overview", "Timeline", "Metrics", "Challenges", "People & sources", "Discussion"],
    "zh": ["概览", "时间线", "指标", "挑战", "人物与来源", "讨论"],
}

PANE_MARK = {
    "overview": "Headline figures",
    "timeline": "Brings in 2 red-punching (hot forging) robots",
    "metrics": "Change",
    "challenges": "1. A forging job nobody wanted",
    "people": "Wang Lujiang",
    "discussion": "Discussion questions",
}
"""Text that shows only on that pane of the Huayi Precision case."""


def highlighted_id(screen: ExplorerScreen) -> str | None:
    option = screen.query_one(CaseList).highlighted_option
    return option.id if option is not None else None


def test_starts_on_the_introduction_with_the_list_focused():
    async def scenario(pilot: Pilot) -> None:
        app = pilot.app
        screen = explorer(app)
        assert isinstance(app.screen, ExplorerScreen)
        assert screen.current == INTRO_ID
        assert screen.pane == "overview"
        assert screen.list_visible
        assert isinstance(app.focused, CaseList)
        assert app.lang == "en"
        lines = screen_lines(app)
        assert lines[0].startswith("Introduction")
        assert shows(lines, "Overview  Timeline  Metrics  Challenges  People & sources  Discussion")
        assert shows_wrapped(pane_lines(app, "overview"), "Little Giants: Four Cases")

    drive(bundled_app(), scenario)


def test_list_groups_cases_under_chapters_with_name_and_hook():
    async def scenario(pilot: Pilot) -> None:
        case_list = explorer(pilot.app).query_one(CaseList)
        prompts = [
            (option.id, option.disabled, str(option.prompt))
            for option in (case_list.get_option_at_index(i) for i in range(case_list.option_count))
        ]
        assert [p[0] for p in prompts if not p[1]] == ORDER
        headings = [p[2] for p in prompts if p[1]]
        assert headings == [
            "FOCUS AND DEPTH: OWNING A NICHE",
            "ROBOTS AND CONNECTED MACHINES: GOING DIGITAL",
            "ITERATE AND PERSIST: THE ECOSYSTEM BEHIND INNOVATION",
        ]
        kinds = ["case" if not disabled else "chapter" for _, disabled, _ in prompts]
        assert kinds == ["case", "chapter", "case", "chapter", "case", "case", "chapter", "case"]
        huayi = next(p[2] for p in prompts if p[0] == "huayi-precision")
        assert huayi.splitlines() == [
            "Huayi Precision",
            "Two hot forging robots take over the hardest post to staff",
        ]
        lines = screen_lines(pilot.app)
        rows = [next(y for y, ln in enumerate(lines) if ln.startswith(h[:18])) for h in headings]
        names = ["Zhejiang Zhongcheng", "Huayi Precision", "Jingfeng Technology", "Weimai Medical"]
        name_rows = [next(y for y, line in enumerate(lines) if line.startswith(n)) for n in names]
        assert rows[0] < name_rows[0] < rows[1] < name_rows[1] < name_rows[2] < rows[2]
        assert rows[2] < name_rows[3]

    drive(bundled_app(), scenario)


@pytest.mark.parametrize(("down", "up"), [("down", "up"), ("j", "k")])
def test_list_keys_move_the_highlight_without_opening(down: str, up: str):
    async def scenario(pilot: Pilot) -> None:
        screen = explorer(pilot.app)
        seen = [highlighted_id(screen)]
        for _ in range(len(ORDER) - 1):
            await pilot.press(down)
            seen.append(highlighted_id(screen))
        assert seen == ORDER
        await pilot.press(up, up)
        assert highlighted_id(screen) == "huayi-precision"
        await settle(pilot)
        assert screen.current == INTRO_ID
        assert screen_lines(pilot.app)[0].endswith("Introduction")

    drive(bundled_app(), scenario)


def test_enter_opens_the_highlighted_case():
    async def scenario(pilot: Pilot) -> None:
        screen = explorer(pilot.app)
        await pilot.press("j", "j", "enter")
        await settle(pilot)
        assert screen.current == "huayi-precision"
        assert screen.pane == "overview"
        title = screen_lines(pilot.app)[0]
        assert title.split("▕")[1].strip() == "Huayi Precision"
        assert shows(pane_lines(pilot.app, "overview"), "Huayi Precision  华益精密")
        await pilot.press("k", "k", "enter")
        await settle(pilot)
        assert screen.current == INTRO_ID

    drive(bundled_app(), scenario)


def test_number_keys_show_each_pane():
    async def scenario(pilot: Pilot) -> None:
        screen = await open_case(pilot, "huayi-precision", "discussion")
        tabs = screen.query_one(TabbedContent)
        assert [str(tabs.get_tab(p).label) for p in PANES] == TAB_LABELS["en"]
        for number, pane in enumerate(PANES, start=1):
            await pilot.press(str(number))
            await settle(pilot)
            assert screen.pane == pane
            assert screen.query_one(TabbedContent).active == pane
            lines = screen_lines(pilot.app)
            assert shows(lines, PANE_MARK[pane]), pane
            for other, mark in PANE_MARK.items():
                assert other == pane or not shows(lines, mark), (pane, other)

    drive(bundled_app(), scenario)


FOCUS_TARGETS = {
    "case list": lambda s: s.query_one(CaseList),
    "tabs": lambda s: s.query_one(Tabs),
    "pane": lambda s: s.query_one("#pane-timeline", Pane),
    "timeline events": lambda s: s.query_one("#pane-timeline").query_one(OptionList),
}


def test_number_keys_switch_panes_wherever_the_focus_is():
    async def scenario(pilot: Pilot) -> None:
        screen = await open_case(pilot, "zhejiang-zhongcheng", "timeline")
        for target, find in FOCUS_TARGETS.items():
            widget = find(screen)
            widget.focus()
            await settle(pilot)
            assert pilot.app.focused is widget, target
            await pilot.press("3")
            await settle(pilot)
            assert screen.pane == "metrics", target
            assert shows(screen_lines(pilot.app), "Change"), target
            await pilot.press("2")
            await settle(pilot)
            assert screen.pane == "timeline", target

    drive(bundled_app(), scenario)


def test_tab_cycles_focus_through_list_tabs_and_pane():
    async def scenario(pilot: Pilot) -> None:
        app = pilot.app
        await open_case(pilot, "zhejiang-zhongcheng", "timeline")
        explorer(app).query_one(CaseList).focus()
        await settle(pilot)
        order = []
        for _ in range(4):
            await pilot.press("tab")
            order.append(app.focused)
        assert isinstance(order[0], Tabs)
        assert isinstance(order[1], Pane)
        assert order[1].id == "pane-timeline"
        assert isinstance(order[2], OptionList)
        assert order[2].has_class("timeline-events")
        assert isinstance(order[3], CaseList)
        back = []
        for _ in range(4):
            await pilot.press("shift+tab")
            back.append(app.focused)
        assert back == [order[2], order[1], order[0], order[3]]

    drive(bundled_app(), scenario)


def test_l_switches_case_text_and_interface_to_chinese_and_back():
    async def scenario(pilot: Pilot) -> None:
        app = pilot.app
        screen = await open_case(pilot, "huayi-precision")
        await pilot.press("l")
        await settle(pilot)
        assert app.lang == "zh"
        lines = screen_lines(app)
        assert lines[0].startswith("导言")
        assert lines[0].split("▕")[1].strip() == "华益精密"
        assert shows(lines, "  ".join(TAB_LABELS["zh"]))
        for part in ("1-6 分栏", "s 列表", "q 退出", "l English", "? 帮助", "! 问题"):
            assert part in lines[-1]
        assert shows(lines, "两台红冲机器人接过车间里最")
        overview = pane_lines(app, "overview")
        assert shows(overview, "华益精密  Huayi Precision")
        assert shows(overview, "地点: 浙江省诸暨市")
        assert shows(overview, "关键数字")
        assert screen.current == "huayi-precision"
        assert screen.pane == "overview"

        await pilot.press("l")
        await settle(pilot)
        assert app.lang == "en"
        lines = screen_lines(app)
        assert lines[0].split("▕")[1].strip() == "Huayi Precision"
        assert shows(lines, "  ".join(TAB_LABELS["en"]))
        for part in ("1-6 Panes", "s List", "q Quit", "l 中文", "? Help", "! Problems"):
            assert part in lines[-1]
        assert not shows(lines, "华益精密  Huayi")

    drive(bundled_app(), scenario)


def test_l_keeps_the_open_pane_and_the_list_highlight():
    async def scenario(pilot: Pilot) -> None:
        app = pilot.app
        screen = await open_case(pilot, "zhejiang-zhongcheng", "timeline")
        screen.query_one(CaseList).highlighted = 4
        await pilot.press("l")
        await settle(pilot)
        assert screen.pane == "timeline"
        assert screen.current == "zhejiang-zhongcheng"
        assert highlighted_id(screen) == "huayi-precision"
        assert shows(pane_lines(app, "timeline"), "1990年代末")

    drive(bundled_app(), scenario)


def test_app_starts_in_chinese_when_asked():
    async def scenario(pilot: Pilot) -> None:
        assert pilot.app.lang == "zh"
        assert screen_lines(pilot.app)[0].startswith("导言")
        assert shows(pane_lines(pilot.app, "overview"), "专精特新：中小企业成长案例集")

    drive(bundled_app("zh"), scenario)


def test_q_quits():
    async def scenario(pilot: Pilot) -> None:
        await pilot.press("q")
        await pilot.pause()

    app = drive(bundled_app(), scenario)
    assert app.return_code == 0
    assert not app.is_running


def test_question_mark_opens_help_listing_every_key():
    async def scenario(pilot: Pilot) -> None:
        app = pilot.app
        await pilot.press("question_mark")
        await settle(pilot)
        assert isinstance(app.screen, HelpScreen)
        rows = [
            " ".join(line.split("│")[1].split())
            for line in screen_lines(app)
            if line.count("│") >= 2
        ]
        for key, words in [
            ("up/down j/k", "Move in the list"),
            ("enter", "Open the highlighted case"),
            ("tab", "Move focus"),
            ("ctrl+p", "Command palette"),
            ("1", "Show the overview pane"),
            ("6", "Show the discussion pane"),
            ("s", "Show or hide the case list"),
            ("q", "Quit casebook"),
            ("l", "Switch English / Chinese"),
            ("?", "Show every key"),
            ("!", "List problems in the case files"),
        ]:
            assert f"{key} {words}" in rows, (key, words)
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, ExplorerScreen)
        assert not shows(screen_lines(app), "Show every key")

    drive(bundled_app(), scenario)


def test_help_closes_with_escape_question_mark_or_q_without_quitting():
    async def scenario(pilot: Pilot) -> None:
        for key in ("escape", "question_mark", "q"):
            await pilot.press("question_mark")
            await settle(pilot)
            assert isinstance(pilot.app.screen, HelpScreen)
            await pilot.press(key)
            await settle(pilot)
            assert isinstance(pilot.app.screen, ExplorerScreen), key
            assert pilot.app.is_running, key

    app = drive(bundled_app(), scenario)
    assert app.return_code in (None, 0)


def test_help_is_in_chinese_after_l():
    async def scenario(pilot: Pilot) -> None:
        await pilot.press("l", "question_mark")
        await settle(pilot)
        assert isinstance(pilot.app.screen, HelpScreen)
        text = screen_text(pilot.app)
        for words in ("按键", "在列表中移动", "显示第 3 栏", "切换中文 / 英文", "退出 casebook"):
            assert words in text

    drive(bundled_app(), scenario)


def test_exclamation_mark_opens_the_problems_list_and_escape_closes_it():
    async def scenario(pilot: Pilot) -> None:
        app = pilot.app
        assert not explorer(app).query_one("#status").display
        await pilot.press("exclamation_mark")
        await settle(pilot)
        assert isinstance(app.screen, ProblemsScreen)
        assert shows(screen_lines(app), "No problems: every file loaded.")
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, ExplorerScreen)

    drive(bundled_app(), scenario)


def test_s_hides_and_shows_the_case_list():
    async def scenario(pilot: Pilot) -> None:
        app = pilot.app
        screen = await open_case(pilot, "huayi-precision")
        case_list = screen.query_one(CaseList)
        detail_width = screen.query_one("#detail").size.width
        await pilot.press("s")
        await settle(pilot)
        assert screen.list_visible is False
        assert not case_list.display
        lines = screen_lines(app)
        assert not shows(lines, "Zhejiang Zhongcheng")
        assert lines[0].strip() == "Huayi Precision"
        assert screen.query_one("#detail").size.width == SIZE[0]
        assert screen.query_one("#detail").size.width > detail_width
        await pilot.press("s")
        await settle(pilot)
        assert screen.list_visible is True
        assert case_list.display
        assert shows(screen_lines(app), "Zhejiang Zhongcheng")

    drive(bundled_app(), scenario)


def test_hiding_the_focused_list_leaves_the_focus_on_something_visible():
    """Rough edge: after `s` hides the list, keyboard focus should not vanish."""

    async def scenario(pilot: Pilot) -> None:
        app = pilot.app
        assert isinstance(app.focused, CaseList)
        await pilot.press("s")
        await settle(pilot)
        assert app.focused is not None, "no widget has the focus after hiding the list"
        assert app.focused.display
        assert app.focused.is_on_screen

    drive(bundled_app(), scenario)
