"""The trainer's class bar at any width: the join address stays whole while the bar can
hold it; the key hint goes first, then the end of the counts."""

from __future__ import annotations

import pytest
from rich.console import Console

from casebook.model.format.text import LANGS
from casebook.widgets.class_views import class_bar

ADDRESS = "http://192.168.101.123:48123/c/K7QX-2M9P"
SHOWN = "192.168.101.123:48123/c/K7QX-2M9P"


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("question", [None, 2])
def test_the_address_is_whole_at_any_width_that_holds_it(lang, question):
    bar = class_bar(12, question, 7, ADDRESS, lang)
    wide = bar.line(200).plain
    assert "12" in wide and wide.rstrip().endswith(bar.hint.plain.strip())
    for width in range(len(SHOWN) + 2, 200):
        line = bar.line(width)
        assert line.cell_len == width, width
        assert SHOWN in line.plain, (width, line.plain)
    for width in range(1, len(SHOWN) + 2):  # too narrow for it: cut at its end, never wider
        assert bar.line(width).cell_len == width


def test_the_hint_goes_before_the_counts_are_cut():
    bar = class_bar(12, 2, 7, ADDRESS, "en")
    left = bar.left.cell_len
    just = left + bar.GAP + len(SHOWN) + 1  # the counts and the address, no hint
    assert bar.hint.plain.strip() not in bar.line(just).plain
    assert bar.line(just).plain.startswith(bar.left.plain)
    assert "…" in bar.line(just - 5).plain and SHOWN in bar.line(just - 5).plain


def test_drawn_by_rich_at_the_console_width():
    console = Console(width=60, color_system=None)
    with console.capture() as captured:
        console.print(class_bar(3, 1, 0, ADDRESS, "zh"))
    assert captured.get().rstrip("\n") == class_bar(3, 1, 0, ADDRESS, "zh").line(60).plain
