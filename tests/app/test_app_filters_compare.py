"""Filters of the case list, comparing cases side by side, and every event on one axis."""

from __future__ import annotations

import dataclasses
import re

import pytest
from pilot_support import (
    bundled_app,
    drive,
    explorer,
    folder_app,
    open_palette,
    palette_done,
    palette_hits,
    screen_lines,
    screen_text,
    settle,
    shows,
    shows_wrapped,
    squash,
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
    timeline_key,
)
from textual.command import CommandPalette
from textual.pilot import Pilot
from textual.widgets import OptionList

from casebook.app import CasebookApp
from casebook.model.format.addresses import INTRO_ID
from casebook.model.format.text import pick
from casebook.model.views.facets import Filters
from casebook.screens import compare as compare_screen
from casebook.screens.compare import CompareScreen, TimelineScreen
from casebook.screens.filters import FilterScreen
from casebook.widgets.picker import Picker

# -- filters ----------------------------------------------------------------


async def choose(pilot: Pilot, field: str, value: str | None) -> None:
    """In the filter screen, choose ``value`` (None: any) for ``field`` with the keys."""
    screen = pilot.app.screen
    assert isinstance(screen, FilterScreen)
    choices = screen.query_one("#filter-choices", OptionList)
    while pilot.app.focused is not choices:
        await pilot.press("tab")
    target = choices.get_option_index(f"{field}:{value or ''}")
    while choices.highlighted != target:
        await pilot.press("down" if (choices.highlighted or 0) < target else "up")
    await pilot.press("enter")
    await settle(pilot)
    assert getattr(screen.current, field) == value
    assert f"● {choices.get_option_at_index(target).prompt.plain[2:]}" in screen_text(pilot.app)


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
        assert app.screen.current == Filters(region="zhejiang")
        assert "● Zhejiang (2)" in screen_text(app)
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


def test_every_filter_value_shows_whole_in_chinese_at_80_by_24():
    """The dialog lists every value of every filter, with its count, whole: no
    drop-down, which Textual draws over other widgets' edges with Chinese characters
    missing (Textual issue #6357: "迭代求进" showed as "  代求进")."""
    from casebook.model.format.text import pick

    async def scenario(pilot: Pilot) -> None:
        app: CasebookApp = pilot.app  # type: ignore[assignment]
        await pilot.press("l", "f")
        await settle(pilot)
        assert isinstance(app.screen, FilterScreen)
        shown = screen_text(app)
        facets = app.screen.facets
        for choice in (*facets.chapters, *facets.industries, *facets.regions):
            label = f"{pick(choice.label, 'zh')}（{choice.count}）"
            assert squash(label) in squash(shown), (label, shown)
        assert "迭代求进：托举创新的服务生态（1）" in shown

    drive(bundled_app(), scenario, size=(80, 24))


def test_the_filter_screen_is_kept_and_opens_on_the_filters_on_now():
    """Built at its first open (Textual's three selects take 70-90 ms) and opened again
    on the filters as they are now: cleared with F, set from the palette, in the
    reader's language; a reloaded library gets a new one (its choices may differ)."""
    from casebook.model.format.words import t
    from casebook.model.load.reload import Reloaded

    async def scenario(pilot: Pilot) -> None:
        app: CasebookApp = pilot.app  # type: ignore[assignment]
        screen = explorer(app)
        await pilot.press("f")
        await settle(pilot)
        kept = app.screen
        await choose(pilot, "region", "zhejiang")
        await apply_filters(pilot)
        await pilot.press("F", "f")
        await settle(pilot)
        assert app.screen is kept, "the same screen, opened again"
        assert kept.current == Filters()
        assert app.focused is kept.query_one("#filter-choices")
        await pilot.press("escape")
        await settle(pilot)
        assert app.screen is screen and not screen.filters.active, "escape keeps things"

        screen.set_filter("chapter", "digital-transformation")  # as the palette does
        await pilot.press("l", "f")
        await settle(pilot)
        assert app.screen is kept and kept.lang == "zh"
        assert kept.current == Filters(chapter="digital-transformation")
        assert kept.query_one("#filter-box").border_title == t("filters", "zh")
        shown = "\n".join(screen_lines(app))
        assert re.search(r"走向数字化（2）", shown), "counts as Chinese writes them"
        await apply_filters(pilot)
        assert screen.filters == Filters(chapter="digital-transformation")

        app.apply_reload(Reloaded(dataclasses.replace(app.library)))
        await pilot.press("f")
        await settle(pilot)
        assert isinstance(app.screen, FilterScreen) and app.screen is not kept
        assert app.screen.current == Filters(chapter="digital-transformation")

    drive(bundled_app(), scenario, size=(120, 40))


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
        picker = app.screen.query_one(Picker)
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
        lines = body_lines(app)
        at = next(i for i, line in enumerate(lines) if "Weimai Medical" in line)
        header = " ".join(lines[at - 1 : at + 2])  # a long name wraps over two lines
        for name in ["Zhejiang", "Zhongcheng", "Huayi Precision", "Jingfeng", "Technology"]:
            assert name in header, name
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
        # Jingfeng's two events are context events: told once, under their region.
        for owner in owners:
            if owner != "Jingfeng Technology":
                assert any(f" {owner} · " in row for row in rows), (owner, rows)
        assert shows_wrapped(body_lines(app), "(told by Jingfeng Technology)")
        assert any(HUAYI_EVENT in row for row in rows)
        assert shows(screen_lines(app), "Huayi Precision · Brings in 2 red-punching")
        years = [int(re.search(r"\d{4}", row)[0]) for row in rows]  # type: ignore[index]
        assert years == sorted(years), rows
        assert len(rows) == 11  # 14 events told, 3 of them by a case and its region

        picker = app.screen.query_one(Picker)
        assert len(picker.selected) == len(owners)
        names = [name for _, name in picker.entries]
        assert sorted(names) == sorted(owners)
        picker.focus()
        await pilot.press(*["down"] * names.index("Huayi Precision"), "space")
        await settle(pilot)
        assert HUAYI not in picker.selected
        rows = events(body_lines(app))
        assert not any("Huayi Precision" in row or HUAYI_EVENT in row for row in rows)
        for owner in owners:
            if owner not in ("Huayi Precision", "Jingfeng Technology"):
                assert any(f" {owner} · " in row for row in rows), owner
        assert len(rows) == 10

    drive(bundled_app(), scenario, size=(120, 40))


def test_compare_and_all_events_follow_the_language_and_keep_the_choice():
    async def scenario(pilot: Pilot) -> None:
        app: CasebookApp = pilot.app  # type: ignore[assignment]
        explorer(app).open(HUAYI)
        await settle(pilot)
        await pilot.press("c")
        await settle(pilot)
        picker = app.screen.query_one(Picker)
        await pilot.press("space")  # Zhejiang Zhongcheng beside Huayi Precision
        await settle(pilot)
        assert screen_lines(app)[-1].startswith(" esc Leave  s Pick  q Quit  l 中文")
        await pilot.press("l")
        await settle(pilot)
        assert app.lang == "zh"
        assert sorted(picker.selected) == sorted([ZHONGCHENG, HUAYI]), "the choice stays"
        assert picker.entries[1][1] == "华益精密"
        assert shows(body_lines(app), "浙江省诸暨市")
        lines = screen_lines(app)
        assert lines[0].startswith("╭─ 选择 2 到 4 个案例")
        assert lines[-1].startswith(" esc 返回  s 选择  q 退出  l English")

        await pilot.press("escape", "t")
        await settle(pilot)
        assert isinstance(app.screen, TimelineScreen)
        await pilot.press("l")
        await settle(pilot)
        assert app.lang == "en"
        assert shows(body_lines(app), "Huayi Precision · Brings in 2 red-punching")
        assert lines[-1] != screen_lines(app)[-1]
        assert screen_lines(app)[-1].startswith(" esc Leave  s Pick  q Quit  l 中文")

    drive(bundled_app(), scenario, size=(120, 40))


def test_compare_at_80_by_24_hides_the_picker_wraps_names_and_lists_recognitions():
    async def scenario(pilot: Pilot) -> None:
        app: CasebookApp = pilot.app  # type: ignore[assignment]
        screen = explorer(app)
        screen.open(HUAYI)
        await settle(pilot)
        await pilot.press("c", "space")  # Zhejiang Zhongcheng beside Huayi Precision
        await settle(pilot)
        compare_screen = app.screen
        assert isinstance(compare_screen, CompareScreen)
        picker = compare_screen.query_one(Picker)
        await pilot.press("down", "down", "space", "down", "space")  # four cases
        await settle(pilot)
        assert len(picker.selected) == 4
        assert picker.display, "picking: the picker stays"
        await pilot.press("s")  # hidden: the comparison takes the whole width
        await settle(pilot)
        assert not picker.display
        assert compare_screen.query_one("#compare-body").region.width == 80
        lines = body_lines(app)
        assert not any("…" in line for line in lines), lines
        words = " ".join(lines).split()
        for word in ("Zhejiang", "Zhongcheng", "Location", "Recognitions", "Industry"):
            assert word in words, word
        # The recognitions themselves, not "3 vs 0".
        header = next(line for line in lines if "Huayi" in line)
        starts = [header.index(name) for name in ("Zhejiang", "Huayi", "Jingfeng", "Weimai")]
        ids = [ZHONGCHENG, HUAYI, "jingfeng-technology", "weimai-medical"]
        listed = 0
        for case_id, start, end in zip(ids, starts, [*starts[1:], 80], strict=True):
            column = squash("".join(line[start:end] for line in lines))
            for recognition in app.library.cases[case_id].recognitions:
                listed += 1
                assert squash(f"• {pick(recognition.name, 'en')}") in column, recognition
        assert listed >= 3, "the bundled cases hold recognitions to compare"
        await pilot.press("s")
        await settle(pilot)
        assert picker.display and app.focused is picker

        # Opened again with four cases chosen at 80 columns: the picker starts hidden.
        await pilot.press("escape")
        await settle(pilot)
        from casebook.screens.compare import CompareScreen as Compare

        app.push_screen(Compare(app.library, [HUAYI, ZHONGCHENG], "zh"))
        await settle(pilot)
        assert not app.screen.query_one(Picker).display
        assert not any("…" in line for line in body_lines(app))

    drive(bundled_app(), scenario, size=(80, 24))


def test_all_events_tells_each_event_once_and_enter_opens_it_in_its_case():
    async def scenario(pilot: Pilot) -> None:
        app: CasebookApp = pilot.app  # type: ignore[assignment]
        await pilot.press("t")
        await settle(pilot)
        timeline = app.screen
        assert isinstance(timeline, TimelineScreen)
        assert not timeline.query_one(Picker).display, "hidden at 80 columns"
        lines = body_lines(app)
        # The Fuzhou and E-Town context events, each once, with the cases that tell them.
        assert sum("325 Fuzhou industrial firms" in line for line in lines) == 1
        assert sum("47 E-Town firms" in line for line in lines) == 1
        assert not shows(lines, "Context:")
        assert shows_wrapped(lines, "(told by Weimai Medical)")
        # A wrapped title stays indented under its first line, right of the time axis.
        first = next(i for i, line in enumerate(lines) if "Zhongda, the small" in line)
        axis = lines[first].index("┼")
        assert lines[first + 1][: axis + 1].strip() == "", lines[first : first + 2]
        assert lines[first + 1].strip()

        # Enter on Zhongcheng's last event: its case, on the Timeline pane, at that event.
        body = timeline.query_one("#compare-body")
        index = next(
            i
            for i, e in enumerate(timeline.shown)
            if (e.owner, e.item) == (ZHONGCHENG, ("timeline", 3))
        )
        body.highlighted = index  # type: ignore[attr-defined]
        await pilot.press("enter")
        await settle(pilot)
        screen = explorer(app)
        assert app.screen is screen
        assert (screen.current, screen.pane) == (ZHONGCHENG, "timeline")
        await until(pilot, lambda: timeline_key(app) == ("timeline", 3), "the event selected")

        # A context event opens the introduction's timeline at it.
        await pilot.press("t")
        await settle(pilot)
        timeline = app.screen
        assert isinstance(timeline, TimelineScreen)
        index = next(i for i, e in enumerate(timeline.shown) if e.owner == "beijing-e-town")
        timeline.query_one("#compare-body").highlighted = index  # type: ignore[attr-defined]
        await pilot.press("enter")
        await settle(pilot)
        assert (screen.current, screen.pane) == (INTRO_ID, "timeline")
        item = timeline.shown[index].item
        await until(pilot, lambda: timeline_key(app) == item, "the context event selected")

    drive(bundled_app(), scenario, size=(80, 24))


def test_the_timeline_is_made_once_per_library(monkeypatch: pytest.MonkeyPatch) -> None:
    """Opening the timeline again reuses its events: only a new library makes them anew."""
    made: list[object] = []
    real = compare_screen.AllEvents.build

    def counted(*args: object) -> object:
        made.append(args)
        return real(*args)  # type: ignore[arg-type]

    monkeypatch.setattr(compare_screen.AllEvents, "build", counted)

    async def scenario(pilot: Pilot) -> None:
        app: CasebookApp = pilot.app  # type: ignore[assignment]
        shown = []
        for _ in range(2):
            await pilot.press("t")
            await settle(pilot)
            assert isinstance(app.screen, TimelineScreen)
            shown.append(body_lines(app))
            await pilot.press("escape")
            await settle(pilot)
        assert len(made) == 1
        assert shown[0] == shown[1]
        app.push_screen(TimelineScreen(dataclasses.replace(app.library), "en"))
        await settle(pilot)
        assert len(made) == 2

    drive(bundled_app(), scenario, size=(80, 24))


def test_compare_and_all_events_are_built_after_start_and_kept_for_their_library():
    """Both are built off screen once the first screen is drawn and open again as the
    reader left them; compare starts again from the open case; a reloaded library gets
    new ones."""
    from casebook.model.load.reload import Reloaded
    from casebook.widgets.fitted_list import FittedList
    from casebook.widgets.key_bar import KeyBar

    async def scenario(pilot: Pilot) -> None:
        app: CasebookApp = pilot.app  # type: ignore[assignment]
        screen = explorer(app)
        warming = lambda: any(worker.group == "warm-up" for worker in app.workers)  # noqa: E731
        await until(pilot, lambda: not warming() and len(screen.kept_screens) == 2, "warm-up")
        compare, events = screen.kept_screens["compare"], screen.kept_screens["events"]
        assert compare.is_running and events.is_running and app.screen is screen
        assert events.query_one("#compare-body", FittedList).row_count > 0, "laid out"
        for kept in (compare, events):
            assert kept.query_one(KeyBar).size.width > 0, "laid out, without being shown"

        await pilot.press("t")
        await settle(pilot)
        assert app.screen is events and events.picker_shown
        await pilot.press("s", "escape", "t")  # the picker hidden, and opened again
        await settle(pilot)
        assert app.screen is events and not events.picker_shown, "as the reader left it"
        await pilot.press("escape")

        screen.open(HUAYI)
        await settle(pilot)
        await pilot.press("c")
        await settle(pilot)
        assert app.screen is compare and compare.selected() == [HUAYI]
        compare.query_one(Picker).select(ZHONGCHENG)
        await settle(pilot)
        assert shows(body_lines(app), "Zhejiang Zhongcheng")
        await pilot.press("escape", "l")  # now in Chinese
        screen.open(ZHONGCHENG)
        await settle(pilot)
        await pilot.press("c")
        await settle(pilot)
        assert app.screen is compare and compare.selected() == [ZHONGCHENG]
        assert compare.lang == "zh" and compare.query_one(Picker).entries[0][1] == "浙江众成"
        await pilot.press("escape")
        await settle(pilot)

        app.apply_reload(Reloaded(dataclasses.replace(app.library)))
        assert screen.kept_screens == {}
        await until(pilot, lambda: not compare.is_attached and not events.is_attached, "let go")
        await pilot.press("t")
        await settle(pilot)
        assert isinstance(app.screen, TimelineScreen) and app.screen is not events
        assert app.screen.library is app.library

    drive(bundled_app(), scenario, size=(120, 40))


def test_the_filters_choices_are_made_after_start_for_the_library_shown(monkeypatch):
    """The warm-up makes them in a thread, so the first filter applied and the filter
    dialog's first open find them made; one made for a library since reloaded is not kept."""
    import casebook.screens.explorer as explorer_module
    from casebook.model.views.facets import Filters
    from casebook.screens.filters import FilterScreen

    real = explorer_module.facets
    made: list[object] = []

    def counted(library):
        made.append(library)
        return real(library)

    monkeypatch.setattr(explorer_module, "facets", counted)

    async def scenario(pilot: Pilot) -> None:
        app: CasebookApp = pilot.app  # type: ignore[assignment]
        screen = explorer(app)
        warming = lambda: any(worker.group == "warm-up" for worker in app.workers)  # noqa: E731
        await until(pilot, lambda: not warming() and len(screen.kept_screens) == 2, "warm-up")
        assert made == [app.library] and "facets" in screen.__dict__
        await pilot.press("f")
        await settle(pilot)
        assert isinstance(app.screen, FilterScreen)
        await pilot.press("escape")
        screen.filters = Filters(chapter=screen.facets.chapters[0].value)
        await settle(pilot)
        assert made == [app.library], "made once"

        screen.__dict__.pop("facets")
        other = dataclasses.replace(app.library)

        def reloaded_meanwhile(library):
            screen.library = other
            return real(library)

        monkeypatch.setattr(explorer_module, "facets", reloaded_meanwhile)
        await screen.ready_facets()
        assert "facets" not in screen.__dict__, "not kept for a library no longer shown"

    drive(bundled_app(), scenario, size=(120, 40))


def test_a_library_reloaded_while_compare_is_open_lets_it_go_when_it_closes():
    """Compare stays open on the library it was opened on; closed, it is let go of, and
    the next compare is the reloaded library's (Textual refuses to uninstall an open
    screen: the reload crashed the app)."""
    from casebook.model.load.reload import Reloaded

    async def scenario(pilot: Pilot) -> None:
        app: CasebookApp = pilot.app  # type: ignore[assignment]
        screen = explorer(app)
        warming = lambda: any(worker.group == "warm-up" for worker in app.workers)  # noqa: E731
        await until(pilot, lambda: not warming() and len(screen.kept_screens) == 2, "warm-up")
        compare = screen.kept_screens["compare"]
        await pilot.press("c")
        await settle(pilot)
        assert app.screen is compare
        app.apply_reload(Reloaded(dataclasses.replace(app.library)))
        await settle(pilot)
        assert app.screen is compare and app.is_screen_installed(compare), "still open"
        await pilot.press("escape")
        await until(pilot, lambda: not compare.is_attached, "let go once closed")
        assert app.screen is screen and not app.is_screen_installed(compare)
        await pilot.press("c")
        await settle(pilot)
        assert isinstance(app.screen, CompareScreen) and app.screen is not compare
        assert app.screen.library is app.library

    drive(bundled_app(), scenario, size=(120, 40))
