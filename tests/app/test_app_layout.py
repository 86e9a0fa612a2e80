"""Usable at 80×24, legible in dark and light themes, and text that wraps without breaking."""

from __future__ import annotations

import re

from pilot_support import (
    CASES,
    SIZE,
    SMALL,
    bundled_app,
    drive,
    explorer,
    open_case,
    pane_lines,
    pane_widget,
    screen_lines,
    settle,
    text_contrasts,
    until,
    widget_lines,
)
from textual.geometry import Region
from textual.pilot import Pilot

from casebook.actions import PANES
from casebook.widgets.case_list import CaseList
from casebook.widgets.figure_card import FigureCard

SHORT_TABS = {
    "en": "Overview Timeline Metrics Challenges People Discussion",
    "zh": "概览 时间线 指标 挑战 人物 讨论",
}
FOOTER_KEYS = ("1-6", " s ", " q ", " l ", " ? ", " ! ", "^p")
"""The issue's keys, as the footer shows them."""
LEGIBLE = 3.0
"""Lowest contrast ratio for text (WCAG's floor for large text and UI parts)."""


def test_usable_at_80_by_24_in_both_languages():
    async def scenario(pilot: Pilot) -> None:
        app = pilot.app
        screen = explorer(app)
        missing = []
        for lang in ("en", "zh"):
            if app.lang != lang:
                await pilot.press("l")
                await settle(pilot)
            for pane in PANES if lang == "en" else ("overview", "metrics"):
                await open_case(pilot, "huayi-precision", pane)
                lines = screen_lines(app)
                assert len(lines) == SMALL[1]
                tabs = lines[1].split("▕")[1].split()
                assert tabs == SHORT_TABS[lang].split(), "all six tabs fit"
                assert screen.query_one(CaseList).display
                widget = pane_widget(app, pane)
                assert widget.size.width >= 50, "the pane keeps a readable width"
                assert widget.max_scroll_x == 0, f"{pane} ({lang}) scrolls sideways"
                assert "华益精密" in lines[0] or "Huayi Precision" in lines[0]
            footer = lines[-1]
            missing += [(lang, k) for k in FOOTER_KEYS if k not in footer]
        await pilot.press("s")
        await settle(pilot)
        assert pane_widget(app, screen.pane).size.width >= 75, "hiding the list widens the pane"
        assert not missing, f"keys of the issue missing from the footer at 80 columns: {missing}"

    drive(bundled_app(), scenario, size=SMALL)


def detail_region(app) -> Region:
    screen = explorer(app)
    return screen.query_one("#detail").region


THEMES = ("textual-dark", "textual-light")


def test_case_content_is_legible_in_dark_and_light_themes():
    async def scenario(pilot: Pilot) -> None:
        app = pilot.app
        low: set[tuple[str, float, str, str]] = set()
        visits = [
            ("huayi-precision", "overview"),  # headline figures in big digits
            ("jingfeng-technology", "overview"),  # a headline figure too long for big digits
            ("huayi-precision", "metrics"),
            ("huayi-precision", "challenges"),
        ]
        for theme in THEMES:
            app.theme = theme
            for case_id, pane in visits:
                await open_case(pilot, case_id, pane)
                where = f"{case_id}/{pane}"
                found = [(c, text) for c, text in text_contrasts(app, detail_region(app))]
                for card in pane_widget(app, pane).query(FigureCard):
                    if card.region:
                        glyphs = text_contrasts(app, card.content_region, glyphs=True)
                        found += [(c, f"figure {card.number}: {g}") for c, g in glyphs]
                low |= {(theme, round(c, 2), text, where) for c, text in found if c < LEGIBLE}
        assert not low, f"hard to read: {sorted(low)[:8]}"

    drive(bundled_app(), scenario)


def test_case_list_is_legible_in_dark_and_light_themes():
    async def scenario(pilot: Pilot) -> None:
        app = pilot.app
        await open_case(pilot, "huayi-precision")
        case_list = explorer(app).query_one(CaseList)
        low: set[tuple[str, float, str]] = set()
        for theme in THEMES:
            app.theme = theme
            await settle(pilot)
            found = text_contrasts(app, case_list.region)
            assert found
            low |= {(theme, round(c, 2), text) for c, text in found if c < LEGIBLE}
        assert not low, f"hard to read: {sorted(low)}"

    drive(bundled_app(), scenario)


# -- wrapping -----------------------------------------------------------------


def test_chinese_bullets_and_numbers_stay_on_the_line_of_their_text():
    """CJK text has no spaces: the item must not wrap whole below its '1.' or '•'."""

    async def scenario(pilot: Pilot) -> None:
        await pilot.press("l")
        bare = []
        for pane in ("discussion", "people"):
            await open_case(pilot, "huayi-precision", pane)
            bare += [
                line
                for line in pane_lines(pilot.app, pane)
                if re.fullmatch(r"\s*(•|\d+[.．])\s*", line)
            ]
        assert not bare, f"markers alone on their line: {bare}"

    drive(bundled_app(), scenario)


def test_computed_changes_never_break_across_lines():
    """'<−54.5%' read as '<' at the end of one line and '−54.5%' on the next is misleading."""

    async def scenario(pilot: Pilot) -> None:
        broken = []
        for lang, pane in (("en", "challenges"), ("zh", "overview"), ("zh", "challenges")):
            if pilot.app.lang != lang:
                await pilot.press("l")
            await open_case(pilot, "huayi-precision", pane)
            for line in pane_lines(pilot.app, pane):
                if re.search(r"[<>≈]\s*$|^\s*\(?[−+]\d+(\.\d+)?\s?%", line.rstrip(" │")):
                    broken.append((lang, pane, line.strip()))
        assert not broken, f"a change label is split over two lines: {broken}"

    drive(bundled_app(), scenario)


def test_metrics_table_does_not_cut_chinese_text():
    async def scenario(pilot: Pilot) -> None:
        await pilot.press("l")
        await open_case(pilot, "huayi-precision", "metrics")
        cut = []
        for size in (SIZE, SMALL):
            await pilot.resize_terminal(*size)
            await settle(pilot)
            table = pane_widget(pilot.app, "metrics").query(".block").first()
            cut += [(size, line.strip()) for line in widget_lines(table) if "…" in line]
        assert not cut, f"metric labels or periods cut short: {cut}"

    drive(bundled_app(), scenario)


def test_timeline_line_runs_unbroken_past_wrapped_titles():
    """A wrapped event title must not start under the date column and break the line."""

    async def scenario(pilot: Pilot) -> None:
        await open_case(pilot, "zhejiang-zhongcheng", "timeline")
        lines = pane_lines(pilot.app, "timeline")
        rows = lines[: next(i for i, line in enumerate(lines) if not line.strip())]
        column = rows[0].index("◌")
        off = [row for row in rows if len(row) <= column or row[column] not in "●◌┃│"]
        assert not off, f"rows that break the timeline's line: {off}"

    drive(bundled_app(), scenario)


def test_every_screens_stylesheet_is_read_once_after_start_not_when_a_screen_opens():
    """A stylesheet read when its screen opens makes Textual parse every rule again."""
    from pathlib import Path

    from casebook.app import SCREEN_STYLESHEETS

    folder = Path(__file__).parents[2] / "src" / "casebook" / "screens"
    assert {path.stem for path in folder.glob("*.tcss")} == set(SCREEN_STYLESHEETS)
    app = bundled_app()
    parses: list[str] = []

    async def scenario(pilot: Pilot) -> None:
        sheet = app.stylesheet
        wanted = [str((folder / f"{name}.tcss").resolve()) for name in SCREEN_STYLESHEETS]
        await until(pilot, lambda: all(sheet.has_source(path) for path in wanted), "stylesheets")
        reparse = sheet.reparse
        sheet.reparse = lambda: (parses.append("reparse"), reparse())[1]  # type: ignore[method-assign]
        for key, shown in (
            ("t", "TimelineScreen"),
            ("slash", "SearchScreen"),
            ("f", "FilterScreen"),
        ):
            await pilot.press(key)
            await settle(pilot)
            assert type(app.screen).__name__ == shown
            await pilot.press("escape")
            await settle(pilot)

    drive(app, scenario)
    assert parses == [], "no screen read its stylesheet again"


def test_every_cases_card_is_read_after_start_a_few_at_a_time(monkeypatch):
    """Compare, filters and the palette list every case by its card: none of them
    should be the first to decode them all."""
    import casebook.app
    from casebook.model.load.library import card_in

    app = bundled_app()
    read: list[str] = []

    def recording(cases):
        for case_id in cases:
            read.append(case_id)
            yield card_in(cases, case_id)

    monkeypatch.setattr(casebook.app, "cards", recording)
    monkeypatch.setattr(casebook.app, "CARDS_AT_A_TIME", 2)

    async def scenario(pilot: Pilot) -> None:
        await until(pilot, lambda: len(read) == len(app.library.cases), "the warm-up")
        assert read == list(app.library.cases)

    drive(app, scenario)


def test_the_first_screen_decodes_only_the_cases_it_needs_whole(monkeypatch):
    """A case in the cache is decoded whole only when something needs more than its card.
    On the first screen, only a case with panes opened is: its "k/N panes read" needs the
    case's panes. Listing the cases and naming them in the introduction need only cards."""
    from casebook.app import make_app
    from casebook.model.load import library
    from casebook.state.notes import Store

    library.load_library([CASES])  # now in the cache: the app's cases are decoded when asked
    decoded: list[str] = []
    original = library._CaseOf.__call__

    def recording(self: library._CaseOf):
        case = original(self)
        decoded.append(case.id)
        return case

    monkeypatch.setattr(library._CaseOf, "__call__", recording)
    store = Store.in_memory()
    store.mark_opened("jingfeng-technology", "timeline")
    app = make_app([CASES], store=store, restore=False)

    async def scenario(pilot: Pilot) -> None:
        cases = pilot.app.screen.query_one(CaseList)
        await until(pilot, lambda: cases.row_count > 0, "the list")
        await settle(pilot)
        assert decoded == ["jingfeng-technology"]
        assert "1/6" in "\n".join(widget_lines(cases))

    drive(app, scenario)


def test_a_warm_up_that_fails_costs_only_speed(monkeypatch):
    import casebook.app
    import casebook.screens.compare

    app = bundled_app()
    tried: list[bool] = []

    def broken(cases):
        tried.append(True)
        raise OSError("a card that cannot be read")
        yield  # a generator, as cards() is

    def unmade(library, lang):
        tried.append(True)
        raise MemoryError("no room for the whole casebook's timeline")

    monkeypatch.setattr(casebook.app, "cards", broken)
    monkeypatch.setattr(casebook.screens.compare, "warm_up", unmade)

    async def scenario(pilot: Pilot) -> None:
        await until(pilot, lambda: len(tried) == 2 and not app.workers, "the warm-up")
        await pilot.press("t")
        await settle(pilot)
        assert type(app.screen).__name__ == "TimelineScreen", "the app goes on"

    drive(app, scenario)
