"""What each of the six panes shows, in English and in Chinese, for the bundled cases."""

from __future__ import annotations

import re
import sys
from pathlib import Path

from pilot_support import (
    bundled_app,
    card_lines,
    drive,
    explorer,
    folder_app,
    open_case,
    pane_lines,
    pane_widget,
    screen_lines,
    settle,
    shows,
    shows_wrapped,
    squash,
    visible_lines,
    widget_lines,
)
from rich.console import Console
from rich.style import Style
from textual.pilot import Pilot
from textual.renderables.digits import Digits as BigDigits
from textual.widgets import Static

from casebook.model.format.text import pick
from casebook.model.views.shown import NAMED_PER_CHAPTER
from casebook.widgets.case_list import INTRO_ID
from casebook.widgets.figure_card import FigureCard
from casebook.widgets.line_list import LineList
from casebook.widgets.pane_tabs import PaneTabs


async def in_lang(pilot: Pilot, lang: str) -> None:
    if pilot.app.lang != lang:
        await pilot.press("l")
        await settle(pilot)
    assert pilot.app.lang == lang


def index_of(lines: list[str], needle: str, start: int = 0) -> int:
    """Row of the first line at or after ``start`` that contains ``needle``."""
    return next(i for i, line in enumerate(lines) if i >= start and needle in line)


def digit_rows(number: str, style: Style) -> list[str]:
    """The rows of ``number`` in big digits, as Textual draws them in ``style``."""
    console = Console(width=40, color_system=None, legacy_windows=False)
    with console.capture() as captured:
        console.print(BigDigits(number, style))
    return [row.rstrip() for row in captured.get().splitlines()]


def drawn_large(card: FigureCard) -> bool:
    """The card shows its figure in big digits, row under row."""
    assert card.big_number is not None
    style = card.get_component_rich_style("figure-card--number")
    rows, big = card_lines(card), digit_rows(card.big_number, style)
    return any(rows[i : i + len(big)] == big for i in range(len(rows)))


# -- Overview ---------------------------------------------------------------


def test_overview_shows_names_place_industry_chapter_figures_and_summary():
    async def scenario(pilot: Pilot) -> None:
        app = pilot.app
        screen = await open_case(pilot, "huayi-precision", "overview")
        lines = pane_lines(app, "overview")
        for row in (
            "Huayi Precision  华益精密",
            "Registered name: 浙江华益精密机械有限公司",
            "Location: Zhuji, Zhejiang",
            "Industry: Precision brass components",
            "Chapter: Robots and connected machines: going digital",
            "Headline figures",
            "Summary",
        ):
            assert shows(lines, row), row
        assert shows_wrapped(lines, "Huayi Precision makes precision brass parts, and the first")
        assert shows_wrapped(lines, "and the forging crew shrank by 10 people.")
        assert index_of(lines, "Headline figures") < index_of(lines, "Summary")

        cards = list(screen.query_one("#pane-overview").query(FigureCard))
        assert 3 <= len(cards) <= 4
        assert [card.big_number for card in cards] == ["10", "3", "12", "10"]
        assert all(drawn_large(card) for card in cards), "headline figures are drawn large"
        captions = ["\n".join(card_lines(card)) for card in cards]
        assert shows_wrapped([captions[0]], "Production cycle, non-standard products")
        assert shows_wrapped([captions[0]], "under 10 days ← 22 days  <−54.5%")
        assert shows_wrapped([captions[1]], "under 3 days ← 8 days  <−62.5%")
        assert shows_wrapped([captions[2]], "12%")
        assert shows_wrapped([captions[3]], "10 people")

        await in_lang(pilot, "zh")
        lines = pane_lines(app, "overview")
        for row in (
            "华益精密  Huayi Precision",
            "注册名称: 浙江华益精密机械有限公司",
            "地点: 浙江省诸暨市",
            "行业: 精密黄铜零部件制造",
            "章节: 机器换人与设备互联：走向数字化",
            "关键数字",
            "概要",
        ):
            assert shows(lines, row), row
        assert shows_wrapped(lines, "10天以下 ← 22天")
        assert shows_wrapped(lines, "华益精密生产精密黄铜零部件，其中第一道主要工序")

    drive(bundled_app(), scenario)


def test_every_case_has_three_or_four_large_headline_figures_and_its_recognitions():
    async def scenario(pilot: Pilot) -> None:
        screen = explorer(pilot.app)
        for case_id in screen.library.cases:
            await open_case(pilot, case_id, "overview")
            cards = list(screen.query_one("#pane-overview").query(FigureCard))
            assert 3 <= len(cards) <= 4, case_id
            for card in cards:
                if card.big_number is not None:
                    assert drawn_large(card), f"{case_id}: {card.number} is not drawn large"
                else:
                    assert shows(card_lines(card), card.number), f"{case_id}: {card.number}"
            if case_id == "zhejiang-zhongcheng":
                lines = pane_lines(pilot.app, "overview")
                assert shows(lines, "Formerly: 浙江众大塑料有限公司")
                assert shows(lines, "Location: Zhejiang")
                assert shows_wrapped(
                    lines,
                    'Recognitions: National-level green factory; SRDI "little giant" '
                    "enterprise; Listed company (since late 2010)",
                )
                assert shows(lines, "Chapter: Focus and depth: owning a niche")

    drive(bundled_app(), scenario)


# -- Timeline ---------------------------------------------------------------

FUZZY_ROWS = {
    "en": ["late 1990s ◌", "1996       ●", "2004–2008  ┃", "late 2010  ◌"],
    "zh": ["1990年代末  ◌", "1996年      ●", "2004–2008年 ┃", "2010年末    ◌"],
}


def test_timeline_draws_ranges_as_spans_and_keeps_fuzzy_dates_fuzzy():
    async def scenario(pilot: Pilot) -> None:
        app = pilot.app
        await open_case(pilot, "zhejiang-zhongcheng", "timeline")
        for lang in ("en", "zh"):
            await in_lang(pilot, lang)
            events = explorer(app).query_one("#pane-timeline").query_one(LineList)
            lines = pane_lines(app, "timeline")
            rows = [index_of(lines, start) for start in FUZZY_ROWS[lang]]
            assert rows == sorted(rows), "events are listed in date order"
            assert all(lines[r].startswith(s) for r, s in zip(rows, FUZZY_ROWS[lang], strict=True))
            span = lines[rows[2] + 1 : rows[3]]
            years = "5 years" if lang == "en" else "5 年"
            assert any(re.search(r"┃ ╞═+╡ " + years, line) for line in span), span
            assert events.row_count == 4
            # A fuzzy period never turns into an exact year in the date column.
            for row in (rows[0], rows[3]):
                date = lines[row].split("◌")[0]
                assert not re.fullmatch(r"\s*\d{4}年?\s*", date), date
            exact = [m[1] for line in lines if (m := re.match(r"(\d{4})年?\s+[●◌┃]", line))]
            assert exact == ["1996"], "only the one exact year reads as a year"

        await in_lang(pilot, "en")
        lines = pane_lines(app, "timeline")
        detail = lines[index_of(lines, "(approximate)") :]
        assert detail[0].strip() == "late 1990s  (approximate)"
        assert shows_wrapped(detail, "its plant covered only 7.29 mu")

    drive(bundled_app(), scenario)


def test_timeline_moving_through_events_shows_each_ones_detail():
    async def scenario(pilot: Pilot) -> None:
        app = pilot.app
        screen = await open_case(pilot, "zhejiang-zhongcheng", "timeline")
        events = screen.query_one("#pane-timeline").query_one(LineList)
        detail = screen.query_one("#pane-timeline").query_one(".timeline-detail", Static)
        events.focus()
        await settle(pilot)
        expected = [
            ("late 1990s  (approximate)", "fewer than 70 people"),
            ("1996", "The imported line did not fully match"),
            ("2004–2008", "the in-house three-bubble method"),
            ("late 2010  (approximate)", "keeps its focus on film-making"),
        ]
        for step, (header, words) in enumerate(expected):
            if step:
                await pilot.press("down")
                await settle(pilot)
            assert events.highlighted == step
            shown = widget_lines(detail)
            assert shown[1].strip() == header, shown
            assert shows_wrapped(shown, words)
            assert shows_wrapped(visible_lines(app, detail), words), "the detail is on screen"
        await pilot.press("up")
        await settle(pilot)
        assert shows_wrapped(widget_lines(detail), "the in-house three-bubble method")

    drive(bundled_app(), scenario)


# -- Metrics ----------------------------------------------------------------


def test_metrics_show_a_table_and_before_after_bars_with_the_change_and_qualifiers():
    async def scenario(pilot: Pilot) -> None:
        app = pilot.app
        await open_case(pilot, "huayi-precision", "metrics")
        lines = pane_lines(app, "metrics")
        header = lines[index_of(lines, "Metric")]
        assert re.search(r"Metric\s+Value\s+Change\s+Source", header)
        first = lines[index_of(lines, "Production cycle,")]
        assert "22 days →" in first, first
        assert re.search(r"<\s?−54\.5\s?%\s+article", first), first
        assert shows_wrapped(lines, "before and after the forging robot project")
        for value in ("12%", "10 people", "2 robots", "after the forging"):
            assert shows(lines, value), value
        assert shows(lines, "Production cycle, non-standard products  <−54.5%")
        before = lines[index_of(lines, "Before ")]
        after = lines[index_of(lines, "After ")]
        assert before.rstrip().endswith("22 days")
        assert after.rstrip().endswith("under 10 days")
        assert 0 < after.count("█") < before.count("█"), "the after bar is shorter"
        assert round(after.count("█") / before.count("█"), 1) == round(10 / 22, 1)
        assert shows(lines, "Production cycle, standard products  <−62.5%")
        assert shows(lines, "under 3 days")

        await in_lang(pilot, "zh")
        lines = pane_lines(app, "metrics")
        assert re.search(r"指标\s+数值\s+变化\s+来源", lines[index_of(lines, "指标")])
        assert shows(lines, "22天 → 10天以下")
        assert shows(lines, "非标产品生产周期  <−54.5%")
        assert lines[index_of(lines, "之前 ")].rstrip().endswith("22天")
        assert lines[index_of(lines, "之后 ")].rstrip().endswith("10天以下")

        # Figures that count different things are not a before/after pair: Zhejiang
        # Zhongcheng's early regular customers and later quality customers get no change.
        await in_lang(pilot, "en")
        await open_case(pilot, "zhejiang-zhongcheng", "metrics")
        lines = pane_lines(app, "metrics")
        assert shows(lines, "Quality customers")
        assert shows(lines, "Regular customers")
        assert not any("×150" in line or "+33.3%" in line for line in lines)

    drive(bundled_app(), scenario)


def test_metrics_table_gives_the_names_the_room_and_drops_empty_columns():
    """At 100 columns every name (up to 64 letters) takes at most two lines of its column
    (it took three or four beside a half-empty value column); the value column is as wide
    as its widest value, or narrower; a column no row fills is not drawn."""

    async def scenario(pilot: Pilot) -> None:
        app = pilot.app
        for case_id, case in app.library.cases.items():  # type: ignore[attr-defined]
            await open_case(pilot, case_id, "metrics")
            table = pane_widget(app, "metrics").query(".block").first()
            lines = widget_lines(table)
            top = index_of(lines, "Metric")
            header = lines[top]
            values_at = header.index("Value")
            has_change = any(m.before is not None and m.after is not None for m in case.metrics)
            assert ("Change" in header) == has_change, (case_id, header)
            names = [line[:values_at] for line in lines[top + 2 :]]
            for metric in case.metrics:
                label = squash(pick(metric.label, "en"))
                if len(pick(metric.label, "en")) > 64:  # one name of 100 letters takes three
                    continue
                two_lines = (squash("".join(names[i : i + 2])) for i in range(len(names)))
                assert any(label in both for both in two_lines), (case_id, label, names)
            after = [header.find(word) for word in ("Change", "Source")]
            ends = min((at for at in after if at > values_at), default=len(header))
            widest = max(len(line[values_at:ends].rstrip()) for line in lines[top + 2 :])
            # No half-empty value column: its widest value, a gap of 3, a wrap's slack.
            assert ends - values_at <= widest + 4, (case_id, header)

    drive(bundled_app(), scenario, size=(100, 30))


# -- Challenges -------------------------------------------------------------


def test_challenges_show_each_chain_with_the_figures_it_moved():
    async def scenario(pilot: Pilot) -> None:
        app = pilot.app
        await open_case(pilot, "huayi-precision", "challenges")
        for lang, words in (
            (
                "en",
                ("1. A forging job that was hard to fill", "▼ Problem", "▼ Solution", "■ Outcome"),
            ),
            ("zh", ("1. 招人难的锻压岗位", "▼ 问题", "▼ 对策", "■ 结果")),
        ):
            await in_lang(pilot, lang)
            lines = pane_lines(app, "challenges")
            title, problem, solution, outcome = words
            chain = [index_of(lines, title)]
            for step in (problem, solution, outcome):
                chain.append(index_of(lines, step, chain[-1]))
            moved = "Figures it moved" if lang == "en" else "相关指标"
            chain.append(index_of(lines, moved, chain[-1]))
            second = "2. Judging temperature by eye" if lang == "en" else "2. 靠肉眼判断温度"
            assert chain == sorted(chain)
            assert chain[-1] < index_of(lines, second)
            assert lines[index_of(lines, solution) + 1].strip()

        await in_lang(pilot, "en")
        lines = pane_lines(app, "challenges")
        assert shows_wrapped(lines, "had long been done by hand at Huayi, ever since the plant")
        assert shows(lines, "In 2017, bring in 2 red-punching robots to take over the stamping.")
        assert shows(lines, "· Reduction in forging staff: 10 people")
        assert shows(lines, "· Red-punching (hot forging) robots introduced: 2 robots")
        assert shows(lines, "· Production cycle, non-standard products: 22 days → under 10 days")

    drive(bundled_app(), scenario)


# -- People & sources -------------------------------------------------------


def test_people_show_who_their_role_what_they_said_and_the_citation():
    async def scenario(pilot: Pilot) -> None:
        app = pilot.app
        await open_case(pilot, "huayi-precision", "people")
        lines = pane_lines(app, "people")
        assert lines[0] == "Wang Lujiang  王鲁江"
        assert lines[1] == "Deputy general manager, Huayi Precision"
        assert shows_wrapped(lines, "• Once the forging robot project was running, the cycle")
        assert shows_wrapped(lines, "• The same project cut energy use per unit of product by 12%")
        sources = index_of(lines, "Sources")
        assert shows_wrapped(
            lines[sources:],
            "Wang Yajing, Chen Wenjing (correspondent). CCDI and NSC website, 2022.",
        )

        await in_lang(pilot, "zh")
        lines = pane_lines(app, "people")
        assert lines[0] == "王鲁江  Wang Lujiang"
        assert lines[1] == "华益精密副总经理"
        assert shows_wrapped(lines, "红冲锻压机器人项目落地后")
        assert shows(lines, "王雅婧、陈文静（通讯员），中央纪委国家监委网站，2022年。")

    drive(bundled_app(), scenario)


# -- Discussion -------------------------------------------------------------


def test_discussion_shows_objectives_and_numbered_questions():
    async def scenario(pilot: Pilot) -> None:
        app = pilot.app
        await open_case(pilot, "huayi-precision", "discussion")
        lines = pane_lines(app, "discussion")
        objectives, questions = (
            index_of(lines, "Learning objectives"),
            index_of(lines, "Discussion questions"),
        )
        assert objectives < questions
        assert sum(line.startswith("• ") for line in lines[objectives:questions]) == 4
        numbered = [line for line in lines[questions:] if re.match(r"\d\. ", line)]
        assert [line[:2] for line in numbered] == ["1.", "2.", "3.", "4.", "5."]
        assert numbered[0].startswith("1. Huayi automated one step, hot forging")
        assert shows_wrapped(lines, "would the Huayi answer work there?")

        await in_lang(pilot, "zh")
        lines = pane_lines(app, "discussion")
        assert index_of(lines, "学习目标") < index_of(lines, "讨论题")
        assert shows_wrapped(lines, "• 识别由用工（技能、环境、招聘）而非设备产能造成的工序瓶颈。")
        numbered = [line for line in lines if re.match(r"\d[.．]", line)]
        assert len(numbered) == 5
        assert re.match(r"1[.．]\s?华益精密只把红冲这一道工序自动化", numbered[0]), numbered[0]

    drive(bundled_app(), scenario)


# -- The introduction ---------------------------------------------------------


def test_introduction_shows_the_collection_in_the_panes():
    async def scenario(pilot: Pilot) -> None:
        app = pilot.app
        await open_case(pilot, INTRO_ID, "overview")
        assert screen_lines(app)[0].split("▕")[1].strip() == "Introduction"
        lines = pane_lines(app, "overview")
        assert shows_wrapped(lines, "Specialized, Refined, Distinctive, Innovative: Four Cases")
        assert shows(lines, "Niche focus, digital transformation and the innovation ecosystem")
        assert shows_wrapped(lines, "1. Focus and depth: owning a niche — Zhejiang Zhongcheng")
        assert shows_wrapped(lines, "— Huayi Precision, Jingfeng Technology")
        await open_case(pilot, INTRO_ID, "metrics")
        assert shows(pane_lines(app, "metrics"), "8,997 firms")
        # Only the panes with content are tabs: no Challenges, no Discussion.
        screen = explorer(app)
        tabs = screen.query_one(PaneTabs)
        assert tabs.names == ("overview", "timeline", "metrics", "people")
        assert not shows(screen_lines(app), "Challenges")
        assert not shows(screen_lines(app), "Discussion")
        await pilot.press("4", "6")  # the keys of the missing panes do nothing
        await settle(pilot)
        assert screen.pane == "metrics"
        # A case's Challenges tab, then the introduction: its overview, not an empty pane.
        await open_case(pilot, "huayi-precision", "challenges")
        assert screen.query_one(PaneTabs).names[3] == "challenges"
        screen.open(INTRO_ID)
        await settle(pilot)
        assert (screen.current, screen.pane) == (INTRO_ID, "overview")
        assert "Challenges" not in screen.query_one(PaneTabs).render().plain

    drive(bundled_app(), scenario)


def test_introduction_names_a_few_cases_per_chapter_and_counts_the_rest(tmp_path: Path):
    sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "bench"))
    from generate import generate  # the benchmarks' synthetic casebook

    generate(tmp_path, 60)

    async def scenario(pilot: Pilot) -> None:
        screen = explorer(pilot.app)
        collection = screen.library.collection
        assert collection is not None
        lines = pane_lines(pilot.app, "overview")
        for chapter in collection.chapters:
            names = [screen.library.cases[c].company.name for c in chapter.cases]
            assert len(names) > NAMED_PER_CHAPTER
            shown = [pick(name, "en") for name in names[: NAMED_PER_CHAPTER - 1]]
            more = len(names) - NAMED_PER_CHAPTER + 1
            assert shows_wrapped(lines, f"— {', '.join(shown)}, and {more} more")
            assert not shows_wrapped(lines, pick(names[NAMED_PER_CHAPTER - 1], "en"))

    drive(folder_app(tmp_path), scenario)
