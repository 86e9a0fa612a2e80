"""Every key of the explorer, checked on state and on what the screen shows."""

from __future__ import annotations

from pilot_support import (
    SIZE,
    bundled_app,
    drive,
    explorer,
    open_case,
    pane_lines,
    screen_lines,
    settle,
    shows,
    shows_wrapped,
    widget_lines,
)
from textual.pilot import Pilot
from textual.widgets import Static

from casebook.actions import PANES
from casebook.screens.explorer import ExplorerScreen
from casebook.screens.help import HelpScreen
from casebook.screens.problems import ProblemsScreen
from casebook.widgets.case_list import INTRO_ID, CaseList
from casebook.widgets.line_list import LineList
from casebook.widgets.pane_tabs import PaneTabs
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
    "challenges": "1. A forging job that was hard to fill",
    "people": "Wang Lujiang",
    "discussion": "Discussion questions",
}
"""Text that shows only on that pane of the Huayi Precision case."""


def highlighted_id(screen: ExplorerScreen) -> str | None:
    row = screen.query_one(CaseList).highlighted_row
    return row.id if row is not None else None


def test_starts_on_the_introduction_with_cases_grouped_by_chapter():
    async def scenario(pilot: Pilot) -> None:
        app = pilot.app
        screen = explorer(app)
        assert isinstance(app.screen, ExplorerScreen)
        assert screen.current == INTRO_ID
        assert screen.pane == "overview"
        assert screen.list_visible
        assert isinstance(app.focused, CaseList)
        assert app.lang == "en"
        assert shows_wrapped(pane_lines(app, "overview"), "Specialized, Refined, Distinctive")

        options = screen.query_one(CaseList).rows
        assert [o.id for o in options if not o.disabled] == ORDER
        headings = [o.plain for o in options if o.disabled]
        assert headings == [
            "FOCUS AND DEPTH: OWNING A NICHE",
            "ROBOTS AND CONNECTED MACHINES: GOING DIGITAL",
            "ITERATE AND PERSIST: THE ECOSYSTEM BEHIND INNOVATION",
        ]
        kinds = ["chapter" if o.disabled else "entry" for o in options]
        assert kinds == [
            "entry",
            "chapter",
            "entry",
            "chapter",
            "entry",
            "entry",
            "chapter",
            "entry",
        ]

        lines = screen_lines(app)
        assert lines[0].startswith("Introduction")
        assert lines[1].startswith("Specialized, Refined")
        row = {
            text: next(y for y, ln in enumerate(lines) if ln.startswith(text))
            for text in (
                "FOCUS AND DEPTH",
                "Zhejiang Zhongcheng",
                "ROBOTS AND CONNECTED",
                "Huayi Precision",
                "Jingfeng Technology",
                "ITERATE AND PERSIST",
                "Weimai Medical",
            )
        }
        assert list(row.values()) == sorted(row.values())
        hook = "Two hot forging robots take over a post that was hard to staff"
        assert lines[row["Huayi Precision"] + 1].startswith(hook[:20]), "hook under the name"

    drive(bundled_app(), scenario)


def test_up_down_j_k_move_in_the_list_and_enter_opens():
    async def scenario(pilot: Pilot) -> None:
        screen = explorer(pilot.app)
        seen = [highlighted_id(screen)]
        for key in ("down", "j", "down", "j"):
            await pilot.press(key)
            seen.append(highlighted_id(screen))
        assert seen == ORDER, "chapter headings are skipped"
        await pilot.press("up", "k")
        assert highlighted_id(screen) == "huayi-precision"
        await settle(pilot)
        assert screen.current == INTRO_ID, "moving does not open"
        assert screen_lines(pilot.app)[0].split("▕")[1].strip() == "Introduction"
        await pilot.press("enter")
        await settle(pilot)
        assert screen.current == "huayi-precision"
        assert screen.pane == "overview"
        assert screen_lines(pilot.app)[0].split("▕")[1].strip() == "Huayi Precision"
        assert shows(pane_lines(pilot.app, "overview"), "Huayi Precision  华益精密")

    drive(bundled_app(), scenario)


def test_number_keys_show_each_pane():
    async def scenario(pilot: Pilot) -> None:
        screen = await open_case(pilot, "huayi-precision", "discussion")
        tabs = screen.query_one(PaneTabs)
        assert [tabs.labels[p] for p in PANES] == TAB_LABELS["en"]
        assert widget_lines(tabs)[0].split() == " ".join(TAB_LABELS["en"]).split()
        for number, pane in enumerate(PANES, start=1):
            await pilot.press(str(number))
            await settle(pilot)
            assert screen.pane == pane
            assert tabs.active == pane
            lines = screen_lines(pilot.app)
            assert shows(lines, PANE_MARK[pane]), pane
            for other, mark in PANE_MARK.items():
                assert other == pane or not shows(lines, mark), (pane, other)

    drive(bundled_app(), scenario)


FOCUS_TARGETS = {
    "tabs": (lambda s: s.query_one(PaneTabs), "3", "metrics"),
    "pane": (lambda s: s.query_one("#pane-metrics", Pane), "2", "timeline"),
    "timeline events": (
        lambda s: s.query_one("#pane-timeline").query_one(LineList),
        "5",
        "people",
    ),
}


def test_number_keys_switch_panes_wherever_the_focus_is():
    async def scenario(pilot: Pilot) -> None:
        screen = await open_case(pilot, "zhejiang-zhongcheng", "metrics")
        for target, (find, key, pane) in FOCUS_TARGETS.items():
            widget = find(screen)
            widget.focus()
            await settle(pilot)
            assert pilot.app.focused is widget, target
            await pilot.press(key)
            await settle(pilot)
            assert screen.pane == pane, target

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
        assert isinstance(order[0], PaneTabs)
        assert isinstance(order[1], Pane)
        assert order[1].id == "pane-timeline"
        assert isinstance(order[2], LineList)
        assert order[2].has_class("timeline-events")
        assert isinstance(order[3], CaseList), "the cycle comes back to the list"
        await pilot.press("shift+tab", "shift+tab")
        assert app.focused is order[1]

    drive(bundled_app(), scenario)


def test_l_switches_case_text_and_interface_language_and_keeps_the_place():
    async def scenario(pilot: Pilot) -> None:
        app = pilot.app
        screen = await open_case(pilot, "huayi-precision", "overview")
        screen.query_one(CaseList).highlighted = 2  # Zhejiang Zhongcheng, not opened
        await pilot.press("l")
        await settle(pilot)
        assert app.lang == "zh"
        assert (screen.current, screen.pane) == ("huayi-precision", "overview")
        assert highlighted_id(screen) == "zhejiang-zhongcheng"
        lines = screen_lines(app)
        assert lines[0].startswith("导言")
        assert lines[0].split("▕")[1].strip() == "华益精密"
        assert lines[1].split("▕")[1].split() == TAB_LABELS["zh"], "the pane tabs"
        assert shows(lines, "两台红冲机器人接过车间里")
        assert lines[-1].startswith(" 1-6 分栏  s 列表"), "footer labels follow the language"
        overview = pane_lines(app, "overview")
        for row in ("华益精密  Huayi Precision", "地点: 浙江省诸暨市", "关键数字"):
            assert shows(overview, row), row

        await pilot.press("l")
        await settle(pilot)
        assert app.lang == "en"
        lines = screen_lines(app)
        assert lines[0].split("▕")[1].strip() == "Huayi Precision"
        assert lines[1].split("▕")[1].split() == " ".join(TAB_LABELS["en"]).split()
        assert lines[-1].startswith(" 1-6 Panes  s List")
        assert not shows(lines, "华益精密  Huayi")

    drive(bundled_app(), scenario)


def test_starts_in_chinese_when_asked_and_help_speaks_chinese():
    async def scenario(pilot: Pilot) -> None:
        assert pilot.app.lang == "zh"
        assert screen_lines(pilot.app)[0].startswith("导言")
        assert shows(pane_lines(pilot.app, "overview"), "专精特新：中小企业成长案例集")
        await pilot.press("question_mark")
        await settle(pilot)
        assert isinstance(pilot.app.screen, HelpScreen)
        text = "\n".join(help_rows(pilot.app.screen))
        for words in ("按键", "在列表中移动", "显示第 3 栏", "切换中文 / 英文", "退出 casebook"):
            assert words in text

    drive(bundled_app("zh"), scenario)


def test_l_on_the_help_screen_lists_the_keys_in_the_other_language():
    async def scenario(pilot: Pilot) -> None:
        await pilot.press("question_mark")
        await settle(pilot)
        help_screen = pilot.app.screen
        assert isinstance(help_screen, HelpScreen)
        assert "l Switch English / Chinese" in help_rows(help_screen)
        await pilot.press("l")
        await settle(pilot)
        assert pilot.app.screen is help_screen, "the help stays open"
        rows = help_rows(help_screen)
        assert "l 切换中文 / 英文" in rows
        assert not any("Switch English" in row for row in rows)
        await pilot.press("escape")
        await settle(pilot)
        assert screen_lines(pilot.app)[0].startswith("导言"), "the explorer switched too"

    drive(bundled_app(), scenario)


def help_rows(help_screen: HelpScreen) -> list[str]:
    """Every row of the help table (scrolled into view or not), whitespace collapsed."""
    table = help_screen.query_one("#help-body").query_one(Static)
    return [" ".join(line.split()) for line in widget_lines(table)]


def test_help_problems_and_quit_keys():
    async def scenario(pilot: Pilot) -> None:
        app = pilot.app
        await pilot.press("question_mark")
        await settle(pilot)
        assert isinstance(app.screen, HelpScreen)
        rows = help_rows(app.screen)
        for key, words in [
            ("up/down j/k", "Move in the list"),
            ("enter", "Open the highlighted case"),
            ("tab", "Move focus"),
            ("ctrl+p", "Command palette"),
            ("1", "Show the overview pane"),
            ("5", "Show the people pane"),  # the introduction has no 4 or 6
            ("s", "Show or hide the case list"),
            ("q", "Quit casebook"),
            ("l", "Switch English / Chinese"),
            ("?", "Show every key"),
            ("!", "List problems in the case files"),
        ]:
            assert f"{key} {words}" in rows, (key, words)
        for key in ("escape", "question_mark", "q"):
            if not isinstance(app.screen, HelpScreen):
                await pilot.press("question_mark")
                await settle(pilot)
            await pilot.press(key)
            await settle(pilot)
            assert isinstance(app.screen, ExplorerScreen), f"{key} closes the help"
            assert app.is_running, f"{key} in the help quit the app"
        assert not shows(screen_lines(app), "Show every key")

        assert not explorer(app).query_one("#status").display, "no problems, no status line"
        await pilot.press("exclamation_mark")
        await settle(pilot)
        assert isinstance(app.screen, ProblemsScreen)
        assert shows(screen_lines(app), "No problems: every file loaded.")
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, ExplorerScreen)

        await pilot.press("q")
        await pilot.pause()

    app = drive(bundled_app(), scenario)
    assert app.return_code == 0
    assert not app.is_running


def test_s_hides_and_shows_the_case_list_and_the_focus_stays_visible():
    async def scenario(pilot: Pilot) -> None:
        app = pilot.app
        screen = await open_case(pilot, "huayi-precision")
        case_list = screen.query_one(CaseList)
        case_list.focus()
        await settle(pilot)
        detail_width = screen.query_one("#detail").size.width
        await pilot.press("s")
        await settle(pilot)
        assert screen.list_visible is False
        assert not case_list.is_on_screen
        assert app.focused is not None, "no widget has the focus after hiding the list"
        assert app.focused.is_on_screen, "the focus stays on something visible"
        lines = screen_lines(app)
        assert not shows(lines, "Zhejiang Zhongcheng")
        assert lines[0].strip() == "Huayi Precision"
        assert screen.query_one("#detail").size.width == SIZE[0]
        assert screen.query_one("#detail").size.width > detail_width
        await pilot.press("s")
        await settle(pilot)
        assert screen.list_visible is True
        assert case_list.is_on_screen
        assert shows(screen_lines(app), "Zhejiang Zhongcheng")

    drive(bundled_app(), scenario)


def test_footer_shows_the_issue_keys_in_both_languages():
    async def scenario(pilot: Pilot) -> None:
        missing = []
        for lang, labels in (
            # The introduction has four panes: keys 1-3 and 5.
            ("en", ("1-3,5 Panes", "s List", "q Quit", "l 中文", "? Help", "! Problems", "^p")),
            ("zh", ("1-3,5 分栏", "s 列表", "q 退出", "l English", "? 帮助", "! 问题", "^p")),
        ):
            if pilot.app.lang != lang:
                await pilot.press("l")
                await settle(pilot)
            footer = screen_lines(pilot.app)[-1]
            missing += [label for label in labels if label not in footer]
        assert not missing, f"missing from the footer at {SIZE[0]} columns: {missing}"

    drive(bundled_app(), scenario)


def test_left_and_right_on_the_pane_tabs_step_through_the_panes():
    async def scenario(pilot: Pilot) -> None:
        screen = await open_case(pilot, "weimai-medical", "overview")
        tabs = screen.query_one(PaneTabs)
        tabs.focus()
        await pilot.press("right", "right")  # the second before the first has switched
        await settle(pilot)
        assert (screen.pane, tabs.active) == ("metrics", "metrics")
        await pilot.press("left", "left", "left")
        await settle(pilot)
        assert (screen.pane, tabs.active) == ("discussion", "discussion"), "it wraps around"
        assert shows(screen_lines(pilot.app), PANE_MARK["discussion"])

    drive(bundled_app(), scenario)


def test_help_on_the_introduction_lists_only_the_panes_it_has():
    async def scenario(pilot: Pilot) -> None:
        screen = explorer(pilot.app)
        assert screen.current == INTRO_ID
        missing = [pane for pane in PANES if pane not in screen.shown_panes()]
        assert missing, "the introduction lacks some panes"
        await pilot.press("question_mark")
        await settle(pilot)
        rows = help_rows(pilot.app.screen)
        for number, pane in enumerate(PANES, start=1):
            listed = any(row.startswith(f"{number} ") for row in rows)
            assert listed == (pane not in missing), (number, pane, rows)
        await pilot.press("escape", "down", "down", "enter")  # a case: every pane
        await settle(pilot)
        assert screen.current != INTRO_ID
        await pilot.press("question_mark")
        await settle(pilot)
        rows = help_rows(pilot.app.screen)
        assert all(any(row.startswith(f"{n} ") for row in rows) for n in range(1, 7))

    drive(bundled_app(), scenario)
