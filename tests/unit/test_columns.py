"""Columns: cells side by side, laid out by the line breaker, never wider than asked."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from rich.text import Text

from casebook.model.format.linebreak import cells
from casebook.widgets.columns import Columns
from casebook.widgets.flow import Flow


def flow(text: str, label: str | None = None) -> Flow:
    return Flow(Text(text), Text(label) if label is not None else None)


def table(keep_first: bool = False) -> Columns:
    header = [flow(""), flow("浙江众成"), flow("Huayi Precision")]
    rows = [
        [[flow("Location")], [flow("浙江省")], [flow("Zhuji, Zhejiang")]],
        [
            [flow("Recognitions")],
            [flow("国家级“绿色工厂”", "• "), flow("专精特新“小巨人”企业", "• ")],
            [],
        ],
        [[flow("Industry")], [flow("POF（聚烯烃）热收缩包装膜")], [flow("Precision brass parts")]],
    ]
    return Columns(header, rows, spaced=True, keep_first=keep_first)


@pytest.mark.parametrize("width", [20, 33, 47, 80, 120])
def test_no_line_is_wider_than_the_width_and_cells_start_under_their_header(width):
    columns = table()
    lines = columns.lines(width)
    assert all(line.cell_len <= width for line in lines), [line.plain for line in lines]
    widths = columns.widths(width)
    assert sum(widths) + 2 * len(widths) <= max(width, 3 * len(widths))
    assert widths[0] <= max(1, (width - 6) // 3), "the labels take at most a third"
    header = lines[1].plain
    if width >= 47:  # room for every name on one line: each column starts under its name
        start = cells(header[: header.index("Huayi")])
        zhuji = next(line.plain for line in lines if "Zhuji" in line.plain)
        assert cells(zhuji[: zhuji.index("Zhuji")]) == start


def test_a_bullet_hangs_and_every_word_is_kept():
    lines = [line.plain for line in table().lines(80)]
    text = "".join(lines).replace(" ", "")
    for word in (
        "国家级“绿色工厂”",
        "专精特新“小巨人”企业",
        "POF（聚烯烃）热收缩包装膜",
        "Zhuji,Zhejiang",
    ):
        assert word in text, word
    assert lines[0] == "" and lines[-1] == "", "a blank line above and below"
    assert set(lines[2].strip()) == {"─"}, "a rule under the header"
    bullets = [line for line in lines if "•" in line]
    assert len(bullets) == 2 and bullets[0].index("•") == bullets[1].index("•")


def test_the_first_column_keeps_its_width_when_asked_and_markup_stays_text():
    dates = Columns(
        [flow("Date"), flow("[b]Case[/b]")],
        [[[flow("2004–2008年")], [flow("[@click=app.quit]x[/]")]]],
        keep_first=True,
    )
    assert dates.widths(30)[0] == len("2004–2008年") + 1  # 年 is two cells wide
    shown = "".join("".join(line.plain for line in dates.lines(30)).split())
    assert "[b]Case[/b]" in shown and "[@click=app.quit]x[/]" in shown


def test_a_column_with_a_long_word_takes_room_the_others_can_spare():
    """As a browser lays out a table: no word is cut while every word has room."""
    header = [flow(""), *(flow(name) for name in ("Zhejiang", "Huayi", "Jingfeng", "Weimai"))]
    words = ("National-level", "brass", "textiles", "Interventional")
    rows = [[[flow("Label")], *([flow(f"{word} and more")] for word in words)]]
    columns = Columns(header, rows)
    width = 2 * 5 + 5 + sum(map(len, words)) + 8  # every word fits, with 8 cells to spare
    widths = columns.widths(width)
    assert widths[0] == 5 and sum(widths) == width - 10
    assert all(got >= len(word) for got, word in zip(widths[1:], words, strict=True)), widths
    text = [line.plain for line in columns.lines(width)]
    for word in words:
        assert any(word in line for line in text), (word, text)
    # the spare cells go to the narrowest columns: an even share would have cut two words
    assert (width - 10 - 5) // 4 < len("Interventional")


def test_without_room_for_every_word_the_shortest_keep_theirs():
    header = [flow(""), flow("a"), flow("b"), flow("c")]
    rows = [[[flow("x")], [flow("short")], [flow("Interventional")], [flow("Extraordinarily")]]]
    widths = Columns(header, rows).widths(2 * 4 + 1 + 24)
    assert widths == [1, 5, 10, 9], widths  # "short" whole; the two long words share the rest


@settings(max_examples=300, deadline=None)
@given(
    st.lists(st.text(alphabet="ab 浙江-", max_size=30), min_size=1, max_size=5),
    st.integers(min_value=0, max_value=120),
)
def test_the_columns_fill_the_width_and_none_is_empty(texts, width):
    header = [flow(""), *(flow(str(n)) for n in range(len(texts)))]
    columns = Columns(header, [[[flow("label")], *([flow(text)] for text in texts)]])
    widths = columns.widths(width)
    count = len(header)
    assert all(got >= 1 for got in widths)
    assert sum(widths) == max(count, width - 2 * count)
    if min(widths) >= 2:  # room for a wide character in every column
        assert all(line.cell_len <= max(width, 3 * count) for line in columns.lines(width))
