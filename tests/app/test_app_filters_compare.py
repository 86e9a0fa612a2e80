"""Filters of the case list, comparing cases side by side, and every event on one axis."""

from __future__ import annotations

import re

from pilot_support import (
    bundled_app,
    drive,
    explorer,
    folder_app,
    open_palette,
    palette_done,
    palette_hits,
    screen_lines,
    settle,
    shows,
    type_text,
    until,
)
from study_support import (
    CASE_IDS,
    HUAYI,
    HUAYI_EVENT,
    ZHONGCHENG,
    body_lines,
    filter_bar,
    five_cases,
    listed_cases,
)
from textual.command import CommandPalette
from textual.pilot import Pilot
from textual.widgets import (
    Select,
    SelectionList,
)

from casebook.app import CasebookApp
from casebook.model.views.facets import Filters
from casebook.screens.compare import CompareScreen, TimelineScreen
from casebook.screens.filters import FilterScreen

# -- filters ----------------------------------------------------------------


async def choose(pilot: Pilot, field: str, value: str) -> None:
    """In the filter screen, pick ``value`` in the ``field`` select with the keys."""
    screen = pilot.app.screen
    assert isinstance(screen, FilterScreen)
    select = screen.query_one(f"#filter-{field}", Select)
    while pilot.app.focused is not select:
        await pilot.press("tab")
    await pilot.press("enter")  # the drop-down opens on "Any", then the facet's values
    await settle(pilot)
    choices = {"chapter": screen.facets.chapters, "region": screen.facets.regions}[field]
    values = [None, *(choice.value for choice in choices)]
    await pilot.press(*["down"] * values.index(value), "enter")
    await settle(pilot)
    assert select.value == value


async def apply_filters(pilot: Pilot) -> None:
    apply = pilot.app.screen.query_one("#filter-apply")
    while pilot.app.focused is not apply:
        await pilot.press("tab")
    await pilot.press("enter")
    await settle(pilot)


def test_filters_from_keys_and_palette_narrow_the_list_and_show_and_clear():
    async def scenario(pilot: Pilot) -> None:
        app: CasebookApp = pilot.app  # type: ignore[assignment]
        screen = explorer(app)
        assert listed_cases(screen) == CASE_IDS
        assert filter_bar(app) == ""

        await pilot.press("f")
        await settle(pilot)
        assert isinstance(app.screen, FilterScreen)
        await choose(pilot, "region", "zhejiang")
        await apply_filters(pilot)
        assert app.screen is screen
        assert screen.filters == Filters(region="zhejiang")
        assert listed_cases(screen) == [ZHONGCHENG, HUAYI]
        assert filter_bar(app) == "Filtered: Region: Zhejiang (F clears)"

        # The filter screen opens on the active filters; a chapter combines with them.
        await pilot.press("f")
        await settle(pilot)
        assert app.screen.query_one("#filter-region", Select).value == "zhejiang"
        await choose(pilot, "chapter", "digital-transformation")
        await apply_filters(pilot)
        assert screen.filters == Filters(chapter="digital-transformation", region="zhejiang")
        assert listed_cases(screen) == [HUAYI]
        assert filter_bar(app) == (
            "Filtered: Chapter: Robots and connected machines: going digital · "
            "Region: Zhejiang (F clears)"
        )

        await pilot.press("F")
        await settle(pilot)
        assert not screen.filters.active
        assert listed_cases(screen) == CASE_IDS
        assert filter_bar(app) == ""

        # The palette lists a "Filter by region" entry per region; choosing one applies it.
        hits = await open_palette(pilot, "region", "Filter by Region: Zhejiang")
        for region, count in [("Beijing", 1), ("Fujian", 1), ("Zhejiang", 2)]:
            assert f"Filter by Region: {region}\n{count} result(s)" in hits, hits
        await type_text(pilot, " zhe")
        query = "region zhe"
        await until(pilot, lambda: palette_done(app, query), "the palette to search")
        assert palette_hits(app)[0].startswith("Filter by Region: Zhejiang")
        await pilot.press("enter")
        await settle(pilot)
        assert not isinstance(app.screen, CommandPalette)
        assert screen.filters == Filters(region="zhejiang")
        assert listed_cases(screen) == [ZHONGCHENG, HUAYI]
        assert filter_bar(app) == "Filtered: Region: Zhejiang (F clears)"

    drive(bundled_app(), scenario)


# -- compare and the all-events axis ----------------------------------------


def test_compare_lines_up_two_to_four_cases_and_merges_their_timelines(tmp_path):
    async def scenario(pilot: Pilot) -> None:
        app: CasebookApp = pilot.app  # type: ignore[assignment]
        assert len(app.library.cases) == 5
        screen = explorer(app)
        screen.open(HUAYI)
        await settle(pilot)
        await pilot.press("c")
        await settle(pilot)
        assert isinstance(app.screen, CompareScreen)
        picker = app.screen.query_one(SelectionList)
        assert app.focused is picker

        # One case (the open one) is not a comparison.
        assert picker.selected == [HUAYI]
        assert body_lines(app)[0].strip() == "Pick 2 to 4 cases to compare"

        await pilot.press("space")  # Zhejiang Zhongcheng, first in the list
        await settle(pilot)
        assert sorted(picker.selected) == sorted([ZHONGCHENG, HUAYI])
        lines = body_lines(app)
        assert not shows(lines, "Pick 2 to 4")
        header = next(line for line in lines if "Huayi Precision" in line)
        assert header.index("Zhejiang Zhongcheng") < header.index("Huayi Precision")
        huayi_column = header.index("Huayi Precision")
        assert shows(lines, "Zhuji, Zhejiang")  # identity
        assert shows(lines, "Headline figures")
        cycle = next(i for i, line in enumerate(lines) if line.strip().startswith("Cycle time"))
        # Only Huayi has cycle-time figures: they sit in its column, on the row's line.
        assert lines[cycle].index("Production cycle, non-standard") == huayi_column
        assert shows(lines[cycle : cycle + 3], "22 days → under 10 days")

        axis = next(i for i, line in enumerate(lines) if "Timelines on one axis" in line)
        rows = [line.strip() for line in lines[axis + 1 :]]
        for date in ["late 1990s", "1996", "2004–2008", "late 2010", "2017"]:
            assert any(row.startswith(date) for row in rows), (date, rows)
        order = [
            next(i for i, row in enumerate(rows) if row.startswith(date))
            for date in ["late 1990s", "1996", "2004–2008", "late 2010", "2017"]
        ]
        assert order == sorted(order), rows
        event_row = lines[axis + 1 + order[-1]]
        assert event_row.index("Brings in 2 red-punching") > event_row.index("2017")

        # Up to four cases side by side; a fifth is too many.
        await pilot.press("down", "down", "space", "down", "space")  # Jingfeng, Weimai
        await settle(pilot)
        assert len(picker.selected) == 4
        header = next(line for line in body_lines(app) if "Weimai Medical" in line)
        for name in ["Zhejiang Zhongcheng", "Huayi Precision", "Jingfeng Technology"]:
            assert name in header
        await pilot.press("down", "space")  # Huayi Twin
        await settle(pilot)
        assert len(picker.selected) == 5
        assert body_lines(app)[0].strip() == "Pick 2 to 4 cases to compare"
        assert not shows(body_lines(app), "Timelines on one axis")

        await pilot.press("escape")
        await settle(pilot)
        assert app.screen is screen
        await open_palette(pilot, "compare", "Compare")
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, CompareScreen)

    drive(folder_app(five_cases(tmp_path)), scenario, size=(140, 50))


def test_all_events_puts_every_case_and_region_on_one_axis_filterable_by_case():
    owners = [
        "Zhejiang Zhongcheng",
        "Huayi Precision",
        "Jingfeng Technology",
        "Weimai Medical",
        "China",
        "Fuzhou, Fujian",
        "Beijing and Beijing E-Town",
    ]

    def events(lines: list[str]) -> list[str]:
        """Event rows ('   1996 ┼ Owner · Title'), continuation rows left out."""
        return [line for line in lines if re.match(r"^\s*\S.* [┼│] ", line)]

    async def scenario(pilot: Pilot) -> None:
        app: CasebookApp = pilot.app  # type: ignore[assignment]
        await pilot.press("t")
        await settle(pilot)
        assert isinstance(app.screen, TimelineScreen)
        rows = events(body_lines(app))
        for owner in owners:
            assert any(f" {owner} · " in row for row in rows), (owner, rows)
        assert any(HUAYI_EVENT in row for row in rows)
        assert shows(screen_lines(app), "Huayi Precision · Brings in 2 red-punching")
        years = [int(re.search(r"\d{4}", row)[0]) for row in rows]  # type: ignore[index]
        assert years == sorted(years), rows
        assert len(rows) == 14

        picker = app.screen.query_one(SelectionList)
        assert len(picker.selected) == len(owners)
        names = [str(picker.get_option_at_index(i).prompt) for i in range(picker.option_count)]
        assert sorted(names) == sorted(owners)
        picker.focus()
        await pilot.press(*["down"] * names.index("Huayi Precision"), "space")
        await settle(pilot)
        assert HUAYI not in picker.selected
        rows = events(body_lines(app))
        assert not any("Huayi Precision" in row or HUAYI_EVENT in row for row in rows)
        for owner in owners:
            if owner != "Huayi Precision":
                assert any(f" {owner} · " in row for row in rows), owner
        assert len(rows) == 13

    drive(bundled_app(), scenario, size=(120, 40))


def test_compare_and_all_events_follow_the_language_and_keep_the_choice():
    async def scenario(pilot: Pilot) -> None:
        app: CasebookApp = pilot.app  # type: ignore[assignment]
        explorer(app).open(HUAYI)
        await settle(pilot)
        await pilot.press("c")
        await settle(pilot)
        picker = app.screen.query_one(SelectionList)
        await pilot.press("space")  # Zhejiang Zhongcheng beside Huayi Precision
        await settle(pilot)
        assert screen_lines(app)[-1].startswith(" esc Leave  q Quit  l 中文")
        await pilot.press("l")
        await settle(pilot)
        assert app.lang == "zh"
        assert sorted(picker.selected) == sorted([ZHONGCHENG, HUAYI]), "the choice stays"
        assert str(picker.get_option_at_index(1).prompt) == "华益精密"
        assert shows(body_lines(app), "浙江省诸暨市")
        lines = screen_lines(app)
        assert lines[0].startswith("╭─ 选择 2 到 4 个案例")
        assert lines[-1].startswith(" esc 返回  q 退出  l English")

        await pilot.press("escape", "t")
        await settle(pilot)
        assert isinstance(app.screen, TimelineScreen)
        await pilot.press("l")
        await settle(pilot)
        assert app.lang == "en"
        assert shows(body_lines(app), "Huayi Precision · Brings in 2 red-punching")
        assert lines[-1] != screen_lines(app)[-1]
        assert screen_lines(app)[-1].startswith(" esc Leave  q Quit  l 中文")

    drive(bundled_app(), scenario, size=(120, 40))
