"""Search: as you type, in both languages, and jumping to a hit (its pane, its item)."""

from __future__ import annotations

import threading

import pytest
from pilot_support import (
    bundled_app,
    drive,
    explorer,
    pane_widget,
    screen_lines,
    settle,
    shows,
    until,
    visible_lines,
    widget_lines,
)
from study_support import (
    HUAYI,
    ZHONGCHENG,
    ZHONGCHENG_LAST_EVENT,
    entry_marker,
    highlighted,
    jump_to,
    open_search,
    result_count,
    results,
    search_for,
    timeline_key,
)
from textual.pilot import Pilot
from textual.widgets import (
    Input,
)

from casebook.app import CasebookApp
from casebook.model.views.search import SearchIndex
from casebook.screens.search import MAX_RESULTS, SearchScreen
from casebook.widgets.case_list import INTRO_ID
from casebook.widgets.item_blocks import ItemBlocks

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
            expected = explorer(app).search_index.search(box.value, limit=MAX_RESULTS)
            assert len(shown) == len(expected), box.value
            counts.append(len(shown))
        assert counts == sorted(counts, reverse=True), counts
        assert counts[0] > counts[-1] > 0, counts
        assert any(r.startswith("Huayi Precision · ") for r in results(app))
        assert {m.casefold() for m in highlighted(app)} == {"robot"}

        # Full-width Latin, Chinese as a substring, and a space inside a quoted phrase
        # all find Huayi.
        for query, match in [
            ("ＲＯＢＯＴ", "robot"),
            ("机器人", "机器人"),
            ('"机器 人"', "机器人"),
        ]:
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
        # The hit was in the Chinese text: it opens the Chinese view.
        assert hit.lang == "zh" and screen.lang == "zh"
        assert shows(visible_lines(app, pane_widget(app, "timeline")), "引进2台红冲机器人")

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
        chains = pane.query_one(ItemBlocks)
        # The second challenge starts below the fold until the pane scrolls to it, and is
        # marked as the hit.
        assert pane.scroll_y > 0, "the pane stayed at its top"
        assert chains.hit == chains.lines_of(("challenges", 1))
        top = chains.virtual_region.y + chains.hit[0]
        assert pane.scroll_y <= top < pane.scroll_y + pane.scrollable_content_region.height
        # A hit in the Chinese text opens the Chinese view.
        assert shows(visible_lines(app, pane), "2. 靠肉眼判断温度")

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


def test_search_opens_at_once_and_indexes_in_a_thread_once_per_library(
    monkeypatch: pytest.MonkeyPatch,
):
    """A large library's index takes about a second: search opens before it is built,
    says it is indexing, lists the hits once it is, and keeps it for the next search."""
    go_on = threading.Event()
    built: list[object] = []
    build = SearchIndex.build

    def held_back(library):  # type: ignore[no-untyped-def]
        assert go_on.wait(10)
        built.append(library)
        return build(library)

    monkeypatch.setattr(SearchIndex, "build", held_back)

    async def scenario(pilot: Pilot) -> None:
        app: CasebookApp = pilot.app  # type: ignore[assignment]
        await pilot.press("slash")
        await settle(pilot)
        search = app.screen
        assert isinstance(search, SearchScreen)
        assert shows(screen_lines(app), "Indexing the cases for search")
        await search_for(pilot, "肉眼")
        assert results(app) == []
        go_on.set()
        await until(pilot, lambda: bool(results(app)), "the hits")
        assert results(app)[0].startswith("Huayi Precision · Challenges")
        await pilot.press("escape")
        await settle(pilot)
        await open_search(pilot, "肉眼")
        assert results(app)[0].startswith("Huayi Precision · Challenges")
        assert built == [app.library]

    drive(bundled_app(), scenario)
