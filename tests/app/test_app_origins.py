"""Where each figure, event and saying comes from, in the Metrics, Timeline and People
panes: the outlet (the source's citation) of an item with a passage; the passage in the
source's own words when the source's text is at hand; a terminal hyperlink (OSC 8) that
opens the source at the passage when the source has an address; nothing for an item
without a passage.

The cases and the source text are made up for these tests (``tests/data/passages``).
"""

from __future__ import annotations

from pathlib import Path

import pytest
from pilot_support import SMALL, drive, open_case, pane_lines, pane_widget, quiet, settle, shows
from textual.geometry import Region
from textual.pilot import Pilot
from textual.widget import Widget
from textual.widgets import Static

from casebook.app import CasebookApp, make_app
from casebook.model.format.case import citation
from casebook.model.format.text import Lang
from casebook.model.load.provenance import Sources
from casebook.widgets.flow import Flow
from casebook.widgets.line_list import LineList
from casebook.widgets.timeline import TimelineView

DATA = Path(__file__).resolve().parents[1] / "data" / "passages"
CASES = DATA / "cases"
REPORT = DATA / "sources" / "report.txt"

PAGE = "https://example.org/news/mill-report?id=7#top"
"""The report's address: its fragment (#top) stays, the text directive follows it."""
OUTPUT = f"{PAGE}:~:text=Output%20per%20worker,to%2030%20tonnes"
ORDERS = (
    f"{PAGE}:~:text=%E4%BB%8A%E5%B9%B4%E6%96%B0%E5%A2%9E%E8%AE%A2%E5%8D%95%E8%B6%85%E8%BF%87"
    "200%E7%AC%94"
)
"""今年新增订单超过200笔, as UTF-8, percent-encoded (digits as they are)."""
FOUNDED = f"{PAGE}:~:text=founded%20in%201987%20by,brothers%20%26%20a%20cousin"
FRAMES = f"{PAGE}:~:text=In%202019%20the%20mill,rose%2C%20year%2Don%2Dyear%2C"
SAID = f"{PAGE}:~:text=We%20had%20no%20choice,or%20close."

CITED = "“A year of change”. Riverside Weekly, 2023."
NOTES = "Site visit notes, 2024."


def passages_app(*, texts: bool = True, lang: Lang = "en", served: bool = False) -> CasebookApp:
    sources = Sources.from_options([f"report={REPORT}", f"web={REPORT}"], environ={})
    return quiet(make_app([CASES], lang=lang, sources=sources if texts else None, served=served))


def links(widget: Widget) -> dict[str, str]:
    """Each run of text ``widget`` draws as a hyperlink, with the address it opens: the
    segments Textual writes to the terminal, with their styles' links (OSC 8)."""
    width, height = widget.outer_size
    found: dict[str, str] = {}
    for strip in widget.render_lines(Region(0, 0, width, height)):
        for segment in strip:
            if segment.style is not None and segment.style.link:
                found[segment.style.link] = found.get(segment.style.link, "") + segment.text
    return {address: text.strip() for address, text in found.items()}


def block(app: CasebookApp, pane: str, css_class: str) -> Static:
    return pane_widget(app, pane).query_one(f".{css_class}", Static)


def detail(app: CasebookApp) -> Static:
    return pane_widget(app, "timeline").query_one(".timeline-detail", Static)


def lines_of(widget: Widget) -> list[str]:
    width, height = widget.outer_size
    return [s.text.rstrip() for s in widget.render_lines(Region(0, 0, width, height))]


async def show_event(pilot: Pilot, index: int) -> list[str]:
    view = pane_widget(pilot.app, "timeline").query_one(TimelineView)  # type: ignore[arg-type]
    view.query_one(LineList).highlighted = index
    await settle(pilot)
    return lines_of(detail(pilot.app))  # type: ignore[arg-type]


# -- Metrics ---------------------------------------------------------------------------


def test_metrics_say_where_each_figure_with_a_passage_comes_from() -> None:
    async def scenario(pilot: Pilot) -> None:
        await open_case(pilot, "river-mill", "metrics")
        shown = lines_of(block(pilot.app, "metrics", "figures-from"))  # type: ignore[arg-type]
        assert shown[0] == "Where the figures come from"
        at = {line.strip(): n for n, line in enumerate(shown)}
        # Under each source's citation, its figures with a passage, in order.
        assert f"Source: {CITED}" in at and f"Source: {NOTES}" in at
        assert at[f"Source: {CITED}"] < at[f"Source: {NOTES}"]
        assert shows(shown, "• Output per worker  ↗ open at the passage")
        assert shows(shown, "• New orders this year  ↗ open at the passage")
        # A source without an address has no link; a source without a text, no words.
        assert shown[at[f"Source: {NOTES}"] + 1].strip() == "• Looms kept"
        # A figure without a passage is not listed (the table still names its source).
        assert not shows(shown, "Staff")
        assert shows(pane_lines(pilot.app, "metrics"), "Staff")  # type: ignore[arg-type]

    drive(passages_app(texts=False), scenario)


def test_metrics_quote_the_passage_when_the_source_text_is_at_hand() -> None:
    async def scenario(pilot: Pilot) -> None:
        await open_case(pilot, "river-mill", "metrics")
        shown = lines_of(block(pilot.app, "metrics", "figures-from"))  # type: ignore[arg-type]
        text = " ".join(line.strip() for line in shown)
        # From the start words through the end words, the line break of the text a space.
        words = "“Output per worker rose, year-on-year, from 12 tonnes to 30 tonnes”"
        assert f"In the source's words: {words}" in text
        assert "In the source's words: “今年新增订单超过200笔”" in text
        assert text.count("In the source's words") == 2  # the notes' text is not at hand

    drive(passages_app(), scenario)


def test_metrics_link_each_passage_with_its_text_fragment() -> None:
    async def scenario(pilot: Pilot) -> None:
        await open_case(pilot, "river-mill", "metrics")
        found = links(block(pilot.app, "metrics", "figures-from"))  # type: ignore[arg-type]
        assert found == {OUTPUT: "↗ open at the passage", ORDERS: "↗ open at the passage"}

    drive(passages_app(), scenario, size=(120, 40))


def test_the_words_quoted_are_dim_and_never_the_cases_text() -> None:
    async def scenario(pilot: Pilot) -> None:
        await open_case(pilot, "river-mill", "metrics")
        content = block(pilot.app, "metrics", "figures-from").content  # type: ignore[arg-type]
        inner = [getattr(part, "renderable", part) for part in content.renderables]  # type: ignore[union-attr]
        quoted = [
            part.text for part in inner if isinstance(part, Flow) and "“今年" in part.text.plain
        ]
        (text,) = quoted
        start = text.plain.index("“")
        styles = [str(span.style) for span in text.spans if span.start <= start < span.end]
        styles.append(str(text.style))
        assert any("dim" in style and "italic" in style for style in styles)

    drive(passages_app(), scenario)


# -- Timeline --------------------------------------------------------------------------


def test_timeline_detail_says_where_the_event_comes_from() -> None:
    async def scenario(pilot: Pilot) -> None:
        await open_case(pilot, "river-mill", "timeline")
        shown = await show_event(pilot, 0)
        assert shows(shown, f"Source: {CITED}  ↗ open at the passage")
        text = " ".join(line.strip() for line in shown)
        words = "“founded in 1987 by two brothers & a cousin”"
        assert f"In the source's words: {words}" in text
        assert links(detail(pilot.app)) == {FOUNDED: "↗ open at the passage"}  # type: ignore[arg-type]
        await show_event(pilot, 1)
        assert links(detail(pilot.app)) == {FRAMES: "↗ open at the passage"}  # type: ignore[arg-type]
        # An event without a passage: nothing of its source.
        shown = await show_event(pilot, 2)
        assert shows(shown, "A second shift starts")
        assert not shows(shown, "Source:") and not shows(shown, "In the source's words")
        assert links(detail(pilot.app)) == {}  # type: ignore[arg-type]

    drive(passages_app(), scenario, size=(120, 40))


def test_timeline_without_the_text_shows_the_outlet_and_link_only() -> None:
    async def scenario(pilot: Pilot) -> None:
        await open_case(pilot, "river-mill", "timeline")
        shown = await show_event(pilot, 0)
        assert shows(shown, f"Source: {CITED}")
        assert not shows(shown, "In the source's words")
        assert links(detail(pilot.app)) == {FOUNDED: "↗ open at the passage"}  # type: ignore[arg-type]

    drive(passages_app(texts=False), scenario, size=(120, 40))


# -- People ----------------------------------------------------------------------------


def test_people_say_where_each_saying_comes_from() -> None:
    async def scenario(pilot: Pilot) -> None:
        await open_case(pilot, "river-mill", "people")
        person = block(pilot.app, "people", "item-people-0")  # type: ignore[arg-type]
        shown = [line.strip() for line in lines_of(person)]
        said = shown.index("• It was new machines or closing the mill.  ↗ open at the passage")
        quoted = " ".join(shown[said + 1 : said + 3])
        assert quoted.startswith("In the source's words: “We had no choice,")
        assert "Buy new machines or close.”" in quoted
        # The saying without a passage: no words under it, no link; the person's source once.
        plain = shown.index("• The workers learnt the new frames in a month.")
        assert shown[plain + 1] == f"Source: {CITED}"
        assert sum(line.startswith("Source:") for line in shown) == 1
        assert links(person) == {SAID: "↗ open at the passage"}
        # The sources: each citation, and the address as a link to the page itself.
        sources = block(pilot.app, "people", "item-sources")  # type: ignore[arg-type]
        assert shows(lines_of(sources), PAGE)
        assert links(sources) == {PAGE: PAGE}

    drive(passages_app(), scenario, size=(120, 40))


# -- nothing to show, hostile text, Chinese, served ------------------------------------


def test_no_passage_no_origin(tmp_path: Path) -> None:
    case = (CASES / "river-mill.yaml").read_text(encoding="utf-8")
    without = "\n".join(line for line in case.splitlines() if "passage" not in line)
    (tmp_path / "river-mill.yaml").write_text(without, encoding="utf-8")

    async def scenario(pilot: Pilot) -> None:
        await open_case(pilot, "river-mill", "metrics")
        assert not pane_widget(pilot.app, "metrics").query(".figures-from")  # type: ignore[arg-type]
        await open_case(pilot, "river-mill", "people")
        shown = pane_lines(pilot.app, "people")  # type: ignore[arg-type]
        assert not shows(shown, "Source:") and not shows(shown, "In the source's words")
        assert links(block(pilot.app, "people", "item-people-0")) == {}  # type: ignore[arg-type]
        await open_case(pilot, "river-mill", "timeline")
        for index in range(3):
            assert not shows(await show_event(pilot, index), "Source:")

    sources = Sources.from_options([f"report={REPORT}"], environ={})
    drive(quiet(make_app([tmp_path], sources=sources)), scenario, size=(120, 40))


def test_hostile_addresses_and_passages_stay_text() -> None:
    async def scenario(pilot: Pilot) -> None:
        await open_case(pilot, "hostile-mill", "timeline")
        shown = " ".join(line.strip() for line in await show_event(pilot, 0))
        assert "Source: [b]Outlet[/b] <i>x</i>." in shown
        assert "“[bold]not bold[/bold] <script>alert(1)</script>" in shown
        assert "[link=https://evil.example]click[/link]”" in shown
        # The one link: the source's address, percent-encoded to printable ASCII.
        (address,) = links(detail(pilot.app))  # type: ignore[arg-type]
        assert address == (
            "https://example.org/a(b)?q=%22x%22&r=%3Cy%3E%7C%60z%60%5Cw[1]"
            "#:~:text=%5Bbold%5Dnot%20bold,%5B%2Flink%5D"
        )
        await open_case(pilot, "hostile-mill", "people")
        sources = block(pilot.app, "people", "item-sources")  # type: ignore[arg-type]
        assert shows(lines_of(sources), 'https://example.org/a(b)?q="x"&r=<y>|`z`\\w[1]')
        (page,) = links(sources)
        assert page == "https://example.org/a(b)?q=%22x%22&r=%3Cy%3E%7C%60z%60%5Cw[1]"
        assert all(" " < char < "\x7f" for char in page)

    drive(passages_app(), scenario, size=(120, 40))


def test_origins_in_chinese_at_80_by_24() -> None:
    async def scenario(pilot: Pilot) -> None:
        await pilot.press("s")  # the list hidden, as at 80 columns one would
        await open_case(pilot, "river-mill", "metrics")
        shown = lines_of(block(pilot.app, "metrics", "figures-from"))  # type: ignore[arg-type]
        assert shown[0] == "数字出处"
        assert shows(shown, "来源: 《变革的一年》，河畔周报，2023年。")
        assert shows(shown, "•人均产量  ↗ 打开原文此处")
        assert shows(shown, "原文: “今年新增订单超过200笔”")
        assert max(len(line) for line in shown) <= 80

    drive(passages_app(lang="zh"), scenario, size=SMALL)


def test_a_served_session_never_gets_the_source_texts() -> None:
    app = passages_app(served=True)
    assert app.sources is None

    async def scenario(pilot: Pilot) -> None:
        await open_case(pilot, "river-mill", "metrics")
        shown = lines_of(block(pilot.app, "metrics", "figures-from"))  # type: ignore[arg-type]
        assert shows(shown, "Output per worker") and not shows(shown, "In the source's words")

    drive(app, scenario)


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_the_outlet_is_the_one_citation(lang: Lang) -> None:
    async def scenario(pilot: Pilot) -> None:
        case = pilot.app.library.cases["river-mill"]  # type: ignore[attr-defined]
        await open_case(pilot, "river-mill", "metrics")
        shown = "".join(lines_of(block(pilot.app, "metrics", "figures-from")))  # type: ignore[arg-type]
        for source in case.sources:
            assert citation(source, lang) in shown

    drive(passages_app(lang=lang), scenario, size=(120, 40))
