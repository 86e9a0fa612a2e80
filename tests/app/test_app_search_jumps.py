"""Search, issue #16: several words, numbers, hits marked where they land, n/N, the
reader's notes, and the history of places (back/forward) over every jump."""

from __future__ import annotations

from pilot_support import (
    bundled_app,
    drive,
    explorer,
    notified,
    open_case,
    pane_widget,
    recording,
    settle,
)
from study_support import (
    HUAYI,
    ZHONGCHENG,
    highlighted,
    jump_to,
    open_search,
    results,
    timeline_key,
)
from textual.pilot import Pilot

from casebook.app import CasebookApp
from casebook.screens.bookmarks import BookmarksScreen
from casebook.widgets.case_list import INTRO_ID


def test_several_words_in_any_order_find_huayi_and_the_hit_is_marked_where_it_lands():
    async def scenario(pilot: Pilot) -> None:
        app: CasebookApp = pilot.app  # type: ignore[assignment]
        screen = explorer(app)
        search = await open_search(pilot, "robots energy")
        assert search.hits, "no result for two words"
        assert HUAYI in {hit.entry_id for hit in search.hits}
        # Each word is highlighted (the snippet shows from the first word to the last,
        # as much as fits).
        marked = {word.lower() for word in highlighted(app)}
        assert "robots" in marked and marked <= {"robots", "energy"}, marked
        target = next(i for i, hit in enumerate(search.hits) if hit.entry_id == HUAYI)
        hit = search.hits[target]
        await jump_to(pilot, target)
        assert (screen.current, screen.pane) == (HUAYI, hit.pane)
        pane = pane_widget(app, hit.pane)
        # The item the hit is in (or the nearest enclosing one) carries the mark.
        marked_items = list(pane.query(".-hit"))
        assert len(marked_items) == 1
        assert any(
            marked_items[0].has_class("item-" + "-".join(map(str, hit.item[:n])))
            for n in range(1, len(hit.item) + 1)
        )

    drive(bundled_app(), scenario)


def test_numbers_are_found_whatever_their_grouping():
    async def scenario(pilot: Pilot) -> None:
        app: CasebookApp = pilot.app  # type: ignore[assignment]
        search = await open_search(pilot, "4000")  # the cases write 4,000
        assert "4,000" in highlighted(app)
        found = [(h.entry_id, h.pane, h.item, h.start) for h in search.hits]
        search = await open_search_again(pilot, "4,000")
        assert [(h.entry_id, h.pane, h.item, h.start) for h in search.hits] == found

    async def open_search_again(pilot: Pilot, query: str):
        from study_support import search_for, search_screen

        await search_for(pilot, query)
        return search_screen(pilot.app)  # type: ignore[arg-type]

    drive(bundled_app(), scenario)


def test_n_and_shift_n_step_through_the_hits_of_the_last_search():
    async def scenario(pilot: Pilot) -> None:
        app: CasebookApp = pilot.app  # type: ignore[assignment]
        screen = explorer(app)
        search = await open_search(pilot, "robot")
        hits = list(search.hits)
        assert len(hits) > 2
        await pilot.press("enter")  # the first result
        await settle(pilot)
        assert app.screen is screen
        where = [(h.entry_id, h.pane) for h in hits]
        assert (screen.current, screen.pane) == where[0]
        await pilot.press("n")
        await settle(pilot)
        assert (screen.current, screen.pane) == where[1]
        assert screen.jumps.at == 1
        assert any("Hit 2 of" in line for line in notified(app))
        await pilot.press("N", "N")  # back past the first: wraps to the last
        await settle(pilot)
        assert screen.jumps.at == len(hits) - 1
        assert (screen.current, screen.pane) == where[-1]

    drive(recording(bundled_app()), scenario)


def test_back_and_forward_after_a_search_jump_and_a_bookmark_jump():
    async def scenario(pilot: Pilot) -> None:
        app: CasebookApp = pilot.app  # type: ignore[assignment]
        assert app.store is not None
        app.store.toggle_bookmark(ZHONGCHENG, "timeline", ("timeline", 2), "Zhongcheng 2004")
        screen = await open_case(pilot, HUAYI, "people")
        search = await open_search(pilot, "stock market")
        assert [(h.entry_id, h.pane) for h in search.hits] == [(ZHONGCHENG, "timeline")]
        await pilot.press("enter")
        await settle(pilot)
        assert (screen.current, screen.pane) == (ZHONGCHENG, "timeline")

        await pilot.press("b")
        await settle(pilot)
        assert isinstance(app.screen, BookmarksScreen)
        await pilot.press("enter")
        await settle(pilot)
        assert app.screen is screen
        assert timeline_key(app) == ("timeline", 2)

        # Back: to the search hit (the fourth event), then to Huayi's people.
        await pilot.press("alt+left")
        await settle(pilot)
        assert (screen.current, screen.pane) == (ZHONGCHENG, "timeline")
        assert timeline_key(app) == ("timeline", 3)
        await pilot.press("alt+left")
        await settle(pilot)
        assert (screen.current, screen.pane) == (HUAYI, "people")
        # Forward again, twice: back at the bookmark.
        await pilot.press("alt+right")
        await settle(pilot)
        assert (screen.current, screen.pane, timeline_key(app)) == (
            ZHONGCHENG,
            "timeline",
            ("timeline", 3),
        )
        await pilot.press("alt+right")
        await settle(pilot)
        assert timeline_key(app) == ("timeline", 2)
        await pilot.press("alt+right")  # nothing further
        await settle(pilot)
        assert any("Nowhere to go" in line for line in notified(app))

    drive(recording(bundled_app()), scenario)


def test_the_history_is_bounded():
    async def scenario(pilot: Pilot) -> None:
        app: CasebookApp = pilot.app  # type: ignore[assignment]
        screen = explorer(app)
        for n in range(130):
            screen.open(HUAYI if n % 2 else INTRO_ID, "overview")
        await settle(pilot)
        assert len(screen.jumps.back) == 100

    drive(bundled_app(), scenario)


def test_a_note_is_found_by_search_marked_as_yours_and_opens_its_pane():
    async def scenario(pilot: Pilot) -> None:
        app: CasebookApp = pilot.app  # type: ignore[assignment]
        assert app.store is not None
        app.store.set_note(ZHONGCHENG, "people", "Ask the class: why did the founder wait?")
        screen = explorer(app)
        search = await open_search(pilot, "founder wait")
        assert search.hits[0].field == "note"
        assert results(app)[0].startswith("✎ your note · Zhejiang Zhongcheng · People")
        await pilot.press("enter")
        await settle(pilot)
        assert (screen.current, screen.pane) == (ZHONGCHENG, "people")

    drive(bundled_app(), scenario)


def test_a_note_is_found_in_chinese_labelled_as_yours():
    async def scenario(pilot: Pilot) -> None:
        app: CasebookApp = pilot.app  # type: ignore[assignment]
        assert app.store is not None
        app.store.set_note(HUAYI, "timeline", "机器人 能耗：问一问")
        await open_search(pilot, "能耗 机器人")
        assert results(app)[0].startswith("✎ 你的笔记 · ")
        assert {"机器人", "能耗"} <= set(highlighted(app))

    drive(bundled_app("zh"), scenario)
