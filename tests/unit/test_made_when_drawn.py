"""Lines made when drawn: a long block's height known at once, its lines made where drawn."""

from __future__ import annotations

import itertools
from collections import Counter

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from rich.text import Text

from casebook.model.format.case import Amount, Metric
from casebook.model.format.text import Bilingual
from casebook.widgets.bars import MetricBars
from casebook.widgets.line_block import MadeWhenDrawn
from casebook.widgets.panes.metrics import FigureTable


def test_only_the_groups_drawn_are_made():
    made: list[int] = []

    def group(number: int, height: int):
        def make() -> list[Text]:
            made.append(number)
            return [Text(f"{number}.{line}") for line in range(height)]

        return height, make

    lines = MadeWhenDrawn(group(number, 1 + number % 3) for number in range(1000))
    assert len(lines) == sum(1 + number % 3 for number in range(1000))
    assert made == [], "knowing the height makes no line"
    assert lines[0].plain == "0.0"
    assert lines[2].plain == "1.1"  # group 0 has 1 line, group 1 two
    assert lines[len(lines) - 1].plain == lines[-1].plain == "999.0"
    assert made == [0, 1, 999]
    assert lines[4].plain == "2.1" and lines[1].plain == "1.0"
    assert made == [0, 1, 999, 2], "each group made once"
    with pytest.raises(IndexError):
        lines[len(lines)]
    assert [line.plain for line in lines[1:3]] == ["1.0", "1.1"]


LABELS = st.text(alphabet="ab 浙江众成华益精密，。-", min_size=1, max_size=60)


@settings(max_examples=60, deadline=None)
@given(
    label=LABELS,
    before=st.integers(0, 10**9),
    after=st.integers(0, 10**9),
    width=st.integers(1, 130),
    lang=st.sampled_from(["en", "zh"]),
)
def test_a_figures_bars_are_as_tall_as_they_say(label, before, after, width, lang):
    """The bars' height is known from the name alone, and is the lines' count exactly:
    a jump to a figure lands on its bars."""
    metric = Metric(
        id="m",
        label=Bilingual(en=label, zh=label),
        before=before,
        after=Amount(value=after, qualifier="about"),
        unit=Bilingual(en="days", zh="天"),
    )
    bars = MetricBars(metric, lang)
    assert bars.height(width) == len(bars.lines(width))


@pytest.mark.parametrize("width", [12, 30, 47, 88])
def test_the_figure_tables_height_is_its_lines(width):
    names = ["Delivery cycle", "交货周期从原来的较长时间缩短", "Staff " * 12]
    rows = [
        (Text(name), Text("22 → <10 days"), Text("<−54.5%"), Text("article-source-long-id"))
        for name in names
    ]
    table = FigureTable(("Metric", "Value", "Change", "Source"), rows, classes="")
    laid = table.lay_out(width)
    made = [make() for make in laid._makers]
    assert [len(lines) for lines in made] == [
        end - start for start, end in itertools.pairwise(laid.starts)
    ], "each row as tall as it said"
    drawn = [laid[y] for y in range(len(laid))]
    assert len(drawn) == len(laid) > len(rows) + 2
    assert width < 47 or all(line.cell_len <= width for line in drawn)
    assert drawn[0].plain.startswith("Metric")
    assert set(drawn[1].plain) == {"─"}
    shown = Counter("".join(line.plain for line in drawn[2:]))
    named = Counter("".join(names).replace(" ", ""))
    assert not named - shown, "no line of a row is left out"


def test_a_measured_part_of_a_group_is_made_only_where_drawn():
    """The comparison is a group (its table, a heading, the merged timeline): the table's
    rows are laid out only where drawn, not all to join the group's lines."""
    from rich.console import Console, Group

    from casebook.widgets.flow import Flow
    from casebook.widgets.line_block import rendered

    made: list[int] = []

    class Tall:
        def height(self, width: int) -> int:
            return 100

        def lines(self, width: int) -> list[Text]:
            made.append(width)
            return [Text(f"row {n}") for n in range(100)]

    lines = rendered(Group(Flow(Text("heading")), Tall(), Text("end")), Console(), 40)
    assert len(lines) == 102 and made == []
    assert lines[0].plain == "heading" and lines[-1].plain == "end"
    assert made == []
    assert lines[51].plain == "row 50" and made == [40]


def test_a_text_alone_is_wrapped_by_the_line_breaker():
    """A LineBlock may be given a bare Text (compare's body before its cases are picked)."""
    from rich.console import Console

    from casebook.widgets.line_block import rendered

    lines = rendered(Text("a few words to wrap here"), Console(), 10)
    assert [line.plain for line in lines] == ["a few", "words to", "wrap here"]
    assert list(rendered(Text(), Console(), 10)) == [Text()]


@settings(max_examples=200, deadline=None)
@given(
    text=st.text(alphabet="ab 专精特新，。（）12,.-\n", max_size=60),
    label=st.sampled_from(["", "1. ", "问题 ", "Outcome: "]),
    width=st.integers(1, 40),
)
def test_a_flows_height_is_its_lines_without_making_them(text, label, width):
    """Flow.height (the slides' and the slide grid's measure) counts the lines that
    Flow.lines makes, labelled or not, at any width."""
    from casebook.widgets.flow import Flow

    measured = Flow(Text(text), Text(label) if label else None)
    drawn = Flow(Text(text), Text(label) if label else None)
    assert measured.height(width) == len(drawn.lines(width))
    assert measured._drawn == (0, [])  # measured, nothing made


def test_a_flow_measured_then_drawn_is_wrapped_once(monkeypatch):
    from casebook.widgets import flow as flow_module

    calls: list[int] = []
    wrap = flow_module.wrap_offsets
    counted = lambda text, w: calls.append(w) or wrap(text, w)  # noqa: E731
    monkeypatch.setattr(flow_module, "wrap_offsets", counted)
    measured = flow_module.Flow(Text("专精特新 companies in a long enough line"), Text("1. "))
    height = measured.height(12)
    assert len(measured.lines(12)) == height and len(calls) == 1
    measured.height(20)
    assert len(calls) == 2  # another width: wrapped again
