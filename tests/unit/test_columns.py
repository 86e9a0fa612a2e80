"""Columns: cells side by side, laid out by the line breaker, never wider than asked."""

from __future__ import annotations

import pytest
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
