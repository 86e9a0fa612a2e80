"""Study tools: search, filters, compare, the all-events axis, notes, bookmarks, progress.

Each test drives one or two app sessions through the keys (and the palette) a
student would use, and checks both the explorer's state and what the screen
shows. Notes, bookmarks and progress go to the private CASEBOOK_DATA_DIR every
test gets (tests/conftest.py); a "restart" is a second ``make_app`` on it.
"""

from __future__ import annotations

import json
import os
import re
import shutil
from pathlib import Path

from pilot_support import (
    CASES,
    bundled_app,
    click_text,
    drive,
    explorer,
    folder_app,
    open_case,
    open_palette,
    palette_done,
    palette_hits,
    pane_lines,
    pane_widget,
    screen_lines,
    settle,
    shows,
    type_text,
    until,
    visible_lines,
    widget_lines,
)
from textual.command import CommandPalette
from textual.pilot import Pilot
from textual.widgets import (
    Input,
    Select,
    SelectionList,
    Static,
    TextArea,
)

from casebook.app import CasebookApp
from casebook.model.views.facets import Filters
from casebook.screens.bookmarks import BookmarksScreen
from casebook.screens.compare import CompareScreen, TimelineScreen
from casebook.screens.explorer import ExplorerScreen
from casebook.screens.filters import FilterScreen
from casebook.screens.note_editor import NoteEditor
from casebook.screens.search import MAX_RESULTS, SearchScreen
from casebook.state.notes import STORE_NAME
from casebook.widgets.case_list import INTRO_ID, CaseList
from casebook.widgets.line_list import LineList
from casebook.widgets.pane_tabs import PaneTabs
from casebook.widgets.timeline import TimelineView

CASE_IDS = ["zhejiang-zhongcheng", "huayi-precision", "jingfeng-technology", "weimai-medical"]
HUAYI = "huayi-precision"
ZHONGCHENG = "zhejiang-zhongcheng"
HUAYI_EVENT = "Brings in 2 red-punching (hot forging) robots"
ZHONGCHENG_LAST_EVENT = "Lists on the stock market"
"""Zhejiang Zhongcheng's latest event: ("timeline", 3), last of four on its axis."""


# -- reading the study tools ------------------------------------------------


def store_file() -> Path:
    return Path(os.environ["CASEBOOK_DATA_DIR"]) / STORE_NAME


def stored() -> dict:
    return json.loads(store_file().read_text(encoding="utf-8"))


def listed_cases(screen: ExplorerScreen) -> list[str]:
    """Case ids in the case list, top to bottom (the introduction and headings left out)."""
    rows = screen.query_one(CaseList).rows
    return [o.id for o in rows if o.id and not o.disabled and o.id != INTRO_ID]


def entry_text(screen: ExplorerScreen, entry_id: str) -> str:
    """An entry of the case list as it reads: name, marker, hook."""
    case_list = screen.query_one(CaseList)
    index = case_list.index_of(entry_id)
    assert index is not None, f"{entry_id} is not listed"
    return case_list.rows[index].plain


def entry_marker(screen: ExplorerScreen, entry_id: str) -> str:
    """The reader's marker beside an entry's name ('✎ 2/6'), '' when none."""
    first_line = entry_text(screen, entry_id).split("\n")[0]
    return first_line.partition("  ")[2].strip()


def tab_label(screen: ExplorerScreen, pane: str) -> str:
    return screen.query_one(PaneTabs).labels[pane]


def filter_bar(app: CasebookApp) -> str:
    """The filter bar as the screen shows it ('' when hidden), rows joined by spaces."""
    bar = explorer(app).query_one("#filter-bar", Static)
    if not bar.display or bar.region.height == 0:
        return ""
    return " ".join(line.strip() for line in visible_lines(app, bar) if line.strip())


def timeline_key(app: CasebookApp) -> tuple:
    """The item of the event the open timeline pane highlights."""
    return pane_widget(app, "timeline").query_one(TimelineView).current_key()


def search_screen(app: CasebookApp) -> SearchScreen:
    assert isinstance(app.screen, SearchScreen), f"not searching: {app.screen!r}"
    return app.screen


def results(app: CasebookApp) -> list[str]:
    """The result list's entries as text ('Huayi Precision · Timeline' over the snippet)."""
    return [row.plain for row in search_screen(app).query_one("#search-results", LineList).rows]


def highlighted(app: CasebookApp) -> list[str]:
    """The text each result highlights as the match."""
    marked = []
    for row in search_screen(app).query_one("#search-results", LineList).rows:
        for line in row.lines:
            spans = [s for s in line.spans if "reverse" in str(s.style)]
            marked += [line.plain[s.start : s.end] for s in spans]
    return marked


def result_count(app: CasebookApp) -> str:
    return " ".join(widget_lines(search_screen(app).query_one("#search-count"))).strip()


async def search_for(pilot: Pilot, query: str) -> None:
    """Empty the search box (ctrl+u), then type ``query`` key by key."""
    await pilot.press("ctrl+u")
    await type_text(pilot, query)
    await settle(pilot)
    assert search_screen(pilot.app).query_one(Input).value == query  # type: ignore[arg-type]


async def open_search(pilot: Pilot, query: str = "") -> SearchScreen:
    await pilot.press("slash")
    await settle(pilot)
    search = search_screen(pilot.app)  # type: ignore[arg-type]
    assert pilot.app.focused is search.query_one(Input)
    if query:
        await search_for(pilot, query)
    return search


async def jump_to(pilot: Pilot, index: int) -> None:
    """Move into the results (down), down to result ``index``, and press enter."""
    await pilot.press("down", *["down"] * index, "enter")
    await settle(pilot)


def body_lines(app: CasebookApp) -> list[str]:
    """Everything the compare / all-events body shows, scrolled into view or not."""
    return widget_lines(app.screen.query_one("#compare-body"))


def folder_state(folder: Path) -> dict[str, tuple[bytes, int]]:
    """Every file under ``folder`` with its bytes and modification time."""
    return {
        str(path.relative_to(folder)): (path.read_bytes(), path.stat().st_mtime_ns)
        for path in sorted(folder.rglob("*"))
        if path.is_file()
    }


def copy_cases(tmp_path: Path) -> Path:
    folder = tmp_path / "cases"
    shutil.copytree(CASES, folder)
    return folder


def five_cases(tmp_path: Path) -> Path:
    """The bundled casebook plus a fifth case, a renamed copy of Huayi Precision."""
    folder = copy_cases(tmp_path)
    text = (folder / "huayi-precision.yaml").read_text(encoding="utf-8")
    text = text.replace("id: huayi-precision", "id: huayi-twin", 1)
    text = text.replace("en: Huayi Precision", "en: Huayi Twin", 1)
    (folder / "huayi-twin.yaml").write_text(text, encoding="utf-8")
    return folder


# -- search -----------------------------------------------------------------


def test_search_finds_huayi_in_both_languages_as_you_type_and_jumps_to_the_hit():
    async def scenario(pilot: Pilot) -> None:
        app: CasebookApp = pilot.app  # type: ignore[assignment]
        screen = explorer(app)
        assert (screen.current, screen.pane) == (INTRO_ID, "overview")

        # Escape closes search and leaves the open entry alone.
        await open_search(pilot, "肉眼")
        assert results(app)[0].startswith("Huayi Precision · Challenges")
        await pilot.press("escape")
        await settle(pilot)
        assert app.screen is screen
        assert (screen.current, screen.pane) == (INTRO_ID, "overview")

        # Results follow every keystroke.
        search = await open_search(pilot)
        box = search.query_one(Input)
        assert box.value == ""
        assert results(app) == []
        counts = []
        for key in "robot":
            await pilot.press(key)
            await settle(pilot)
            shown = results(app)
            assert result_count(app) == f"{len(shown)} result(s)"
            expected = app.search_index.search(box.value, limit=MAX_RESULTS)
            assert len(shown) == len(expected), box.value
            counts.append(len(shown))
        assert counts == sorted(counts, reverse=True), counts
        assert counts[0] > counts[-1] > 0, counts
        assert any(r.startswith("Huayi Precision · ") for r in results(app))
        assert {m.casefold() for m in highlighted(app)} == {"robot"}

        # Full-width Latin, Chinese as a substring, and a stray space all find Huayi.
        for query, match in [("ＲＯＢＯＴ", "robot"), ("机器人", "机器人"), ("机器 人", "机器人")]:
            await search_for(pilot, query)
            shown = results(app)
            assert result_count(app) == f"{len(shown)} result(s)"
            assert any(r.startswith("Huayi Precision · ") for r in shown), (query, shown)
            assert {m.casefold() for m in highlighted(app)} == {match}, query
        huayi = [r for r in results(app) if r.startswith("Huayi Precision · ")]
        assert any("红冲机器人" in r for r in huayi), huayi

        # Enter on Huayi's timeline hit opens its timeline on that event.
        target = next(i for i, hit in enumerate(search.hits) if hit.pane == "timeline")
        hit = search.hits[target]
        assert results(app)[target].startswith("Huayi Precision · Timeline\n")
        await jump_to(pilot, target)
        assert app.screen is screen
        assert (screen.current, screen.pane) == (HUAYI, "timeline")
        assert timeline_key(app) == hit.item == ("timeline", 0)
        assert shows(visible_lines(app, pane_widget(app, "timeline")), HUAYI_EVENT)

    drive(bundled_app(), scenario)


def test_search_enter_scrolls_the_pane_to_the_hit():
    async def scenario(pilot: Pilot) -> None:
        app: CasebookApp = pilot.app  # type: ignore[assignment]
        screen = explorer(app)
        search = await open_search(pilot, "肉眼")  # "Judging temperature by eye"
        target = next(i for i, hit in enumerate(search.hits) if hit.entry_id == HUAYI)
        assert search.hits[target].item == ("challenges", 1)
        assert results(app)[target].startswith("Huayi Precision · Challenges\n")
        await jump_to(pilot, target)
        assert (screen.current, screen.pane) == (HUAYI, "challenges")
        pane = pane_widget(app, "challenges")
        chain = pane.query_one(".item-challenges-1")
        # The second challenge starts below the fold until the pane scrolls to it.
        assert pane.scroll_y > 0, "the pane stayed at its top"
        assert pane.region.y <= chain.region.y and chain.region.bottom <= pane.region.bottom
        assert shows(visible_lines(app, pane), "2. Judging temperature by eye")

    drive(bundled_app(), scenario)


def test_search_jump_to_another_case_highlights_the_timeline_event_it_found():
    async def scenario(pilot: Pilot) -> None:
        app: CasebookApp = pilot.app  # type: ignore[assignment]
        screen = explorer(app)
        search = await open_search(pilot, "stock market")
        (hit,) = search.hits
        assert (hit.entry_id, hit.pane, hit.item) == (ZHONGCHENG, "timeline", ("timeline", 3))
        await pilot.press("enter")
        await settle(pilot)
        assert (screen.current, screen.pane) == (ZHONGCHENG, "timeline")
        detail = pane_widget(app, "timeline").query_one(".timeline-detail")
        assert timeline_key(app) == ("timeline", 3), "the first event is highlighted instead"
        assert shows(widget_lines(detail), ZHONGCHENG_LAST_EVENT)

    drive(bundled_app(), scenario)


def test_jumping_from_search_counts_only_the_pane_it_opens_as_read():
    async def scenario(pilot: Pilot) -> None:
        app: CasebookApp = pilot.app  # type: ignore[assignment]
        screen = explorer(app)
        assert app.store is not None
        search = await open_search(pilot, "引进2台")  # Huayi's timeline event, in Chinese
        await jump_to(pilot, next(i for i, hit in enumerate(search.hits) if hit.pane == "timeline"))
        assert (screen.current, screen.pane) == (HUAYI, "timeline")
        # Huayi's overview was never on screen: only its timeline was read.
        read = set(app.store.opened_panes(HUAYI))
        assert read == {"timeline"}, f"counted as read: {sorted(read)}"
        assert entry_marker(screen, HUAYI) == "1/6"

    drive(bundled_app(), scenario)


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


# -- notes ------------------------------------------------------------------

NOTE = "cf. [b]x[/b]"
"""A note holding Rich markup, which must show as typed."""


def test_note_is_saved_shown_kept_after_restart_and_deleted_when_emptied():
    async def write(pilot: Pilot) -> None:
        app: CasebookApp = pilot.app  # type: ignore[assignment]
        screen = await open_case(pilot, HUAYI, "metrics")
        assert tab_label(screen, "metrics") == "Metrics"
        await pilot.press("e")
        await settle(pilot)
        assert isinstance(app.screen, NoteEditor)
        assert isinstance(app.focused, TextArea)
        await type_text(pilot, NOTE)
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert app.screen is screen
        lines = pane_lines(app, "metrics")
        assert lines[0].strip(" █▌▐") == "✎ Your note (e to edit)", lines[:3]
        assert lines[1].strip(" █▌▐") == NOTE, lines[:3]
        assert tab_label(screen, "metrics") == "Metrics ✎"
        assert tab_label(screen, "overview") == "Overview"
        assert entry_marker(screen, HUAYI).startswith("✎")
        notes = stored()["notes"]
        assert [(n["case_id"], n["pane"], n["text"]) for n in notes] == [(HUAYI, "metrics", NOTE)]

    async def restart_and_delete(pilot: Pilot) -> None:
        app: CasebookApp = pilot.app  # type: ignore[assignment]
        screen = explorer(app)
        assert screen.current == INTRO_ID
        assert entry_marker(screen, HUAYI).startswith("✎")  # before opening the case
        await open_case(pilot, HUAYI, "metrics")
        lines = pane_lines(app, "metrics")
        assert lines[1].strip(" █▌▐") == NOTE, lines[:3]
        assert shows(visible_lines(app, pane_widget(app, "metrics")), NOTE)
        assert tab_label(screen, "metrics") == "Metrics ✎"

        await pilot.press("e")
        await settle(pilot)
        editor = app.screen
        assert isinstance(editor, NoteEditor)
        assert editor.query_one("#note-text").text == NOTE  # type: ignore[attr-defined]
        await pilot.press("f7", "backspace", "ctrl+s")  # select all, delete, save
        await settle(pilot)
        assert app.screen is screen
        assert not shows(pane_lines(app, "metrics"), "Your note")
        assert tab_label(screen, "metrics") == "Metrics"
        assert "✎" not in entry_marker(screen, HUAYI)
        assert stored()["notes"] == []

    drive(bundled_app(), write)
    drive(bundled_app(), restart_and_delete)


# -- bookmarks --------------------------------------------------------------


def test_bookmark_a_timeline_event_then_jump_back_to_it_from_elsewhere():
    async def scenario(pilot: Pilot) -> None:
        app: CasebookApp = pilot.app  # type: ignore[assignment]
        screen = await open_case(pilot, ZHONGCHENG, "timeline")
        await click_text(pilot, "2004–2008", within=pane_widget(app, "timeline"))
        assert timeline_key(app) == ("timeline", 2)
        await pilot.press("m")
        await settle(pilot)
        (mark,) = stored()["bookmarks"]
        where = (mark["case_id"], mark["pane"], mark["item"])
        assert where == (ZHONGCHENG, "timeline", ["timeline", 2])
        assert mark["label"].startswith("Zhejiang Zhongcheng · Timeline · 2004–2008 Designs")

        await open_case(pilot, "weimai-medical", "people")
        await pilot.press("b")
        await settle(pilot)
        assert isinstance(app.screen, BookmarksScreen)
        assert shows(screen_lines(app), "Zhejiang Zhongcheng · Timeline · 2004–2008")
        await pilot.press("enter")
        await settle(pilot)
        assert app.screen is screen
        assert (screen.current, screen.pane) == (ZHONGCHENG, "timeline")
        assert timeline_key(app) == ("timeline", 2), "the first event is highlighted instead"

    drive(bundled_app(), scenario)


# -- reading progress -------------------------------------------------------


def test_reading_progress_counts_opened_panes_and_survives_restart():
    async def read(pilot: Pilot) -> None:
        app: CasebookApp = pilot.app  # type: ignore[assignment]
        screen = explorer(app)
        assert entry_marker(screen, INTRO_ID) == "1/6"  # its overview shows at start
        assert entry_marker(screen, HUAYI) == ""
        case_list = screen.query_one(CaseList)
        case_list.highlight_id(HUAYI)
        await pilot.press("enter")
        await settle(pilot)
        assert (screen.current, screen.pane) == (HUAYI, "overview")
        assert entry_marker(screen, HUAYI) == "1/6"
        for count, key in enumerate("234", start=2):
            await pilot.press(key)
            await settle(pilot)
            assert entry_marker(screen, HUAYI) == f"{count}/6"
        await pilot.press("2")  # again: already read
        await settle(pilot)
        assert entry_marker(screen, HUAYI) == "4/6"
        assert shows(visible_lines(app, case_list), "Huayi Precision  4/6")
        assert entry_marker(screen, ZHONGCHENG) == ""

    async def restart(pilot: Pilot) -> None:
        app: CasebookApp = pilot.app  # type: ignore[assignment]
        screen = explorer(app)
        assert entry_marker(screen, HUAYI) == "4/6"
        assert entry_marker(screen, INTRO_ID) == "1/6"
        assert entry_marker(screen, ZHONGCHENG) == ""
        assert shows(visible_lines(app, screen.query_one(CaseList)), "Huayi Precision  4/6")

    drive(bundled_app(), read)
    assert stored()["progress"][HUAYI] == ["challenges", "metrics", "overview", "timeline"]
    drive(bundled_app(), restart)


# -- the case files stay as they are ------------------------------------------


def test_notes_bookmarks_and_progress_never_touch_the_case_folder(tmp_path):
    folder = copy_cases(tmp_path)
    before = folder_state(folder)

    async def scenario(pilot: Pilot) -> None:
        app: CasebookApp = pilot.app  # type: ignore[assignment]
        await open_case(pilot, HUAYI, "challenges")
        await pilot.press("e")
        await settle(pilot)
        await type_text(pilot, "mine")
        await pilot.press("ctrl+s")
        await settle(pilot)
        await pilot.press("m")
        await open_case(pilot, ZHONGCHENG, "timeline")
        await pilot.press("m")
        await settle(pilot)
        assert app.store is not None
        assert len(app.store.bookmarks()) == 2

    drive(folder_app(folder), scenario)
    data = stored()
    assert [n["text"] for n in data["notes"]] == ["mine"]
    assert len(data["bookmarks"]) == 2
    assert set(data["progress"]) >= {HUAYI, ZHONGCHENG}
    assert folder_state(folder) == before
