"""The line breaker: UAX #14 by uniseg, tailored by the rules of Chinese text layout,
and Flow, which draws Rich text with it (hanging labels and list marks)."""

from __future__ import annotations

import io
import re
import subprocess
import sys
from itertools import pairwise

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st
from rich.console import Console
from rich.table import Table
from rich.text import Text
from uniseg.linebreak import line_break_breakables

from casebook.model.format import linebreak
from casebook.model.format.linebreak import CLOSING, OPENING, cells, uax14_breaks, wrap
from casebook.widgets.flow import Flow

CJK = "华益精密锻压岗位招人难的单位产品能耗降低客户超过多家厂房高米年元个"
PUNCTUATION = "，。、；：？！（）《》「」“”‘’……——．％"
LATIN = "abcdefghij ABC xyz"
DIGITS = "0123456789.,%"
SIGNS = "−¥$+(→["

pieces = st.one_of(
    st.text(alphabet=CJK, min_size=1, max_size=6),
    st.sampled_from(
        ["12%", "1500多家", "3.4米", "−12%", "¥300", "2019年", "ERP", "iPhone15", "……", "——"]
    ),
    st.text(alphabet=PUNCTUATION, min_size=1, max_size=2),
    st.text(alphabet=LATIN, min_size=1, max_size=10),
    st.text(alphabet=DIGITS + SIGNS, min_size=1, max_size=6),
    st.sampled_from([" ", "  ", "\n"]),
)
texts = st.lists(pieces, max_size=30).map("".join)
widths = st.integers(min_value=2, max_value=60)

FIGURES = ["12%", "1500多家", "3.4米", "−12%", "¥300", "2019年"]
figure_texts = st.lists(
    st.tuples(
        st.one_of(st.text(alphabet=CJK + "，。、 ", min_size=1, max_size=8), st.just("\n")),
        st.sampled_from(FIGURES),
    ),
    max_size=12,
).map(lambda pairs: "".join(a + b for a, b in pairs))


def squash(text: str) -> str:
    return re.sub(r"\s+", "", text)


@settings(max_examples=300, deadline=None)
@given(texts, widths)
def test_no_line_is_wider_than_the_width(text: str, width: int) -> None:
    assert all(cells(line) <= width for line in wrap(text, width))


@settings(max_examples=300, deadline=None)
@given(texts, widths)
def test_nothing_is_lost_or_reordered(text: str, width: int) -> None:
    lines = wrap(text, width)
    assert squash("".join(lines)) == squash(text)
    assert len(lines) >= text.count("\n") + 1
    assert not any(line.endswith(" ") for line in lines)


@settings(max_examples=300, deadline=None)
@given(texts, st.integers(min_value=4, max_value=60))
def test_no_line_starts_closing_or_ends_opening(text: str, width: int) -> None:
    """Between two lines of a paragraph, unless a unit wider than the line left only a
    line of one character as the other choice."""
    lines = linebreak.wrap_offsets(text, width)
    for (start, end), (after, _) in pairwise(lines):
        if "\n" in text[end:after] or end - start <= 1:
            continue
        assert text[after] not in CLOSING, (text[start:end], text[after:], text)
        assert text[end - 1] not in OPENING, (text[start:end], text)


@settings(max_examples=300, deadline=None)
@given(figure_texts, st.integers(min_value=8, max_value=60))
@example("1500多家 、12%", 8)  # found by hypothesis: punctuation after a space
def test_numbers_stay_with_their_units(text: str, width: int) -> None:
    """A figure (with what goes with it: "1500多家", "2019年") that fits, with the
    punctuation after it, is on one line."""
    # The punctuation after a figure goes with it even after a space ("1500多家 、").
    found = re.compile("(?:" + "|".join(re.escape(f) for f in FIGURES) + ")(?: *[，。、])*")
    for line in linebreak.wrap_offsets(text, width):
        for match in found.finditer(text):
            if cells(match.group()) > width:
                continue
            inside = line[0] < match.start() < line[1] or line[0] < match.end() < line[1]
            if inside:
                assert line[0] <= match.start() and match.end() <= line[1], (match, text)


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=CJK + PUNCTUATION + LATIN + DIGITS + SIGNS + "\u0301\u200d😀", max_size=40))
def test_breaks_by_chunks_are_uniseg_s(text: str) -> None:
    """Working a text out chunk by chunk, on stand-ins, finds what uniseg finds."""
    flags = list(line_break_breakables(text))
    assert uax14_breaks(text) == {i for i in range(1, len(text)) if flags[i]}


runs = st.lists(
    st.tuples(st.sampled_from(CJK + PUNCTUATION + LATIN + DIGITS + SIGNS), st.integers(1, 9)),
    max_size=8,
).map(lambda parts: "".join(char * count for char, count in parts))


@settings(max_examples=200, deadline=None)
@given(runs)
def test_runs_of_one_character_cut_short_break_as_uniseg_says(text: str) -> None:
    """A run of three or more of one letter or digit is worked out as two of them."""
    flags = list(line_break_breakables(text))
    assert uax14_breaks(text) == {i for i in range(1, len(text)) if flags[i]}


def test_a_run_of_letters_or_digits_is_asked_about_once_whatever_its_length() -> None:
    linebreak._chunk_breaks.cache_clear()
    for text in ("(+12%)", "(+123%)", "(+1234567%)", "(+99999%)"):
        flags = list(line_break_breakables(text))
        assert uax14_breaks(text) == {i for i in range(1, len(text)) if flags[i]}
    assert linebreak._chunk_breaks.cache_info().misses == 1  # digits stand in for each other


@pytest.mark.parametrize(
    ("text", "width", "expected"),
    [
        # The example: Rich put "，" at a line start.
        (
            "通过机器换人，单位产品能耗降低12%，人均产值提升",
            14,
            ["通过机器换人，", "单位产品能耗降", "低12%，人均产", "值提升"],
        ),
        ("客户超过1500多家，遍布全国", 10, ["客户超过", "1500多家，", "遍布全国"]),
        ("厂房高3.4米，利润−12%", 8, ["厂房高", "3.4米，", "利润−12%"]),
        ("售价为¥300元左右", 6, ["售价为", "¥300元", "左右"]),
        ("他说：“好……”——结束", 8, ["他说：", "“好……”——", "结束"]),
        ("作业环境恶劣、噪音大", 8, ["作业环境", "恶劣、噪", "音大"]),
        ("采用ERP系统", 6, ["采用", "ERP系", "统"]),
        ("The plant grew 3.4% in 2019.", 12, ["The plant", "grew 3.4% in", "2019."]),
        ("see https://example.org/a/b now", 12, ["see", "https://exam", "ple.org/a/b", "now"]),
        ("one\n\ntwo  ", 10, ["one", "", "two"]),
        ("", 10, [""]),
    ],
)
def test_examples(text: str, width: int, expected: list[str]) -> None:
    assert wrap(text, width) == expected


def test_a_unit_wider_than_the_line_is_cut_but_not_before_closing_punctuation() -> None:
    assert wrap("abcdefgh，", 4) == ["abcd", "efg", "h，"]


def test_wide_characters_count_two_cells() -> None:
    assert wrap("华益精密", 5) == ["华益", "精密"]
    assert cells("华益a") == 5


def test_a_100_kb_text_is_worked_out_once() -> None:
    """Break opportunities are found once per text: uniseg runs on the few shapes of
    chunk a long text has, not on every character."""
    text = ("通过机器换人，单位产品能耗降低12%，客户超过1500多家。" * 600)[:10_000]
    text += ("The plant grew 3.4% in 2019, serving 1,500 customers. " * 200)[:10_000]
    text = text * 5
    linebreak.opportunities.cache_clear()
    linebreak._chunk_breaks.cache_clear()
    wrap(text, 80)
    chunks = linebreak._chunk_breaks.cache_info()
    assert chunks.misses < 200, chunks
    wrap(text, 60)
    assert linebreak.opportunities.cache_info().hits >= 1


def test_a_paragraph_that_fits_is_one_line_without_looking_for_breaks() -> None:
    linebreak.opportunities.cache_clear()
    assert wrap("单位产品能耗降低12%，客户超过1500多家\nThe plant grew 3.4% in 2019.", 40) == [
        "单位产品能耗降低12%，客户超过1500多家",
        "The plant grew 3.4% in 2019.",
    ]
    assert linebreak.opportunities.cache_info().misses == 0


def test_words_and_commas_between_spaces_need_no_uniseg() -> None:
    """English prose is cut into chunks uniseg is not asked about: words (with a comma or
    a full stop after them) have no break inside."""
    text = "Line seven moved to automated loading, which cut changeover time. Then the"
    linebreak._chunk_breaks.cache_clear()
    flags = list(line_break_breakables(text))
    assert uax14_breaks(text) == {i for i in range(1, len(text)) if flags[i]}
    assert linebreak._chunk_breaks.cache_info().misses == 0


@pytest.mark.parametrize(
    "text",
    [
        "Cycle 22 days → 10 days, energy 12% less (per unit) — and 1500 customers",
        "Zhejiang Zhongcheng — a film maker [see 2010] with 70 staff, 8 % ahead",
    ],
)
def test_figures_arrows_dashes_and_brackets_between_spaces_need_no_uniseg(text: str) -> None:
    """A figure and its postfix, an arrow, a spaced dash, and a bracket after a space
    are cut at the spaces too: figures' texts are worked out without uniseg."""
    linebreak._chunk_breaks.cache_clear()
    flags = list(line_break_breakables(text))
    assert uax14_breaks(text) == {i for i in range(1, len(text)) if flags[i]}
    assert linebreak._chunk_breaks.cache_info().misses == 0


def test_breaking_lines_reads_no_package_metadata() -> None:
    """The breaker imports uniseg without its package's ``__init__``, whose reading of
    its own version imports ``importlib.metadata`` (``email``, ``zipfile``, ``csv``:
    1.5 MiB of the app's memory); its breaks are still uniseg's."""
    text = "华益精密（2019年）12%, ERP — 3.4米"
    script = (
        "import sys\n"
        "from casebook.model.format.linebreak import uax14_breaks\n"
        f"print(sorted(uax14_breaks({text!r})))\n"
        "print('importlib.metadata' in sys.modules)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=60, check=True
    )
    flags = list(line_break_breakables(text))
    assert result.stdout.split("\n")[:2] == [
        str([i for i in range(1, len(text)) if flags[i]]),
        "False",
    ]


WORDS = ["ab", "Zhe", "12", "3.4", "12%", "1,500", "浙江", "众成", "US$", "(x)", "“引”", "'s"]
SEPARATORS = [" ", "  ", " — ", "——", " —— ", " (", " [", " → ", "→", "% ", " %", " ) "]
SEPARATORS += ["( ", " “", "” ", ' " ', " ' ", " - ", "，", " , "]
joined = st.lists(st.tuples(st.sampled_from(WORDS), st.sampled_from(SEPARATORS)), max_size=10).map(
    lambda parts: "".join(word + separator for word, separator in parts)
)


@settings(max_examples=300, deadline=None)
@given(joined)
def test_cuts_at_spaces_before_brackets_dashes_and_figures_are_uniseg_s(text: str) -> None:
    """Around spaces, the chunks' cuts keep uniseg's answer: after opening punctuation
    or a quote, no break (LB14, LB15), nor between two dashes (LB17)."""
    flags = list(line_break_breakables(text))
    assert uax14_breaks(text) == {i for i in range(1, len(text)) if flags[i]}, text


# -- Flow --------------------------------------------------------------------


def _render(renderable: object, width: int) -> list[str]:
    console = Console(width=width, record=True, color_system=None, file=io.StringIO())
    console.print(renderable)
    return [line.rstrip() for line in console.export_text().splitlines()]


def test_flow_hangs_wrapped_lines_under_the_text_not_the_label() -> None:
    english = Flow(Text("the steps to take when the forge is cold"), Text("Problem: "))
    assert _render(english, 24) == [
        "Problem: the steps to",
        "         take when the",
        "         forge is cold",
    ]
    chinese = Flow(Text("单位产品能耗降低12%，客户超过1500多家"), Text("问题："))
    assert _render(chinese, 20) == [
        "问题：单位产品能耗降",
        "      低12%，客户超",
        "      过1500多家",
    ]
    numbered = Flow(Text("招人难的锻压岗位长期靠手工"), Text("1．"))
    assert _render(numbered, 13) == ["1．招人难的锻", "   压岗位长期", "   靠手工"]


def test_flow_wraps_once_per_width(monkeypatch: pytest.MonkeyPatch) -> None:
    """A layout measures a block's height, then draws it: the text is wrapped once."""
    widths: list[int] = []

    def counted(text: str, width: int) -> list[tuple[int, int]]:
        widths.append(width)
        return linebreak.wrap_offsets(text, width)

    monkeypatch.setattr("casebook.widgets.flow.wrap_offsets", counted)
    flow = Flow(Text("the steps to take when the forge is cold"), Text("Problem: "))
    assert _render(flow, 24) == _render(flow, 24)
    assert widths == [24 - len("Problem: ")]
    flow.lines(30)
    assert widths == [15, 21]


def test_flow_runs_on_under_a_label_that_leaves_no_room() -> None:
    lines = Flow(Text("a few words here"), Text("A rather long label: ")).lines(12)
    assert all(line.cell_len <= 12 for line in lines)
    assert squash("".join(line.plain for line in lines)) == squash(
        "A rather long label: a few words here"
    )


def test_flow_keeps_styles_and_is_measured_for_tables() -> None:
    text = Text("bold then plain")
    text.stylize("bold", 0, 4)
    first = Flow(text).lines(9)[0]
    assert first.plain == "bold then"
    assert [(s.start, s.end, str(s.style)) for s in first.spans] == [(0, 4, "bold")]
    table = Table(show_header=False, box=None, padding=0)
    table.add_column()
    table.add_column()
    table.add_row(Flow(Text("标签")), Flow(Text("单位产品能耗降低12%，客户超过1500多家")))
    shown = _render(table, 16)
    assert shown[0].startswith("标签单位产品")
    assert all(cells(line) <= 16 for line in shown)
    assert not any(line.strip()[:1] in CLOSING for line in shown)
