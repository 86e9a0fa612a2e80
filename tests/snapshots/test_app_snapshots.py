"""SVG snapshots of the explorer, the slides, search, comparison and help on the bundled
casebook, at 80x24 and 100x30, in English and in Chinese.

Update the baselines after an intended change with
``pytest tests/snapshots --snapshot-update -n 0`` and review the SVGs in the diff
(they are text: the words on screen are in them).
"""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.pilot import Pilot

from casebook.actions import PANES
from casebook.app import CasebookApp, make_app
from casebook.widgets.picker import Picker

CASES = Path(__file__).resolve().parents[2] / "cases"


def bundled(lang: str = "en") -> CasebookApp:
    app = make_app([CASES], lang=lang)  # type: ignore[arg-type]
    app.animation_level = "none"  # the frame after the last key, not mid-animation
    return app


async def open_huayi(pilot: Pilot) -> None:
    await pilot.pause()  # the explorer is composed
    pilot.app.screen.open("huayi-precision")  # type: ignore[attr-defined]
    await pilot.pause()


@pytest.mark.parametrize("pane", PANES)
def test_huayi_precision_pane(snap_compare, pane: str):
    key = str(PANES.index(pane) + 1)
    assert snap_compare(bundled(), press=[key], terminal_size=(100, 30), run_before=open_huayi)


def test_main_screen_at_80_by_24(snap_compare):
    assert snap_compare(bundled(), terminal_size=(80, 24))


def test_huayi_precision_overview_in_chinese(snap_compare):
    assert snap_compare(bundled("zh"), terminal_size=(100, 30), run_before=open_huayi)


SIZES = [
    pytest.param((80, 24), "en", id="80x24-en"),
    pytest.param((100, 30), "en", id="100x30-en"),
    pytest.param((100, 30), "zh", id="100x30-zh"),
]
"""Each screen below at both sizes in English, and at the larger in Chinese."""


@pytest.mark.parametrize(("size", "lang"), SIZES)
def test_slides(snap_compare, size: tuple[int, int], lang: str):
    # p presents; t hides the timer (it would tick); two steps into the talk.
    press = ["p", "t", "right", "right"]
    assert snap_compare(bundled(lang), press=press, terminal_size=size, run_before=open_huayi)


@pytest.mark.parametrize(("size", "lang"), [*SIZES, pytest.param((80, 24), "zh", id="80x24-zh")])
def test_slide_grid(snap_compare, size: tuple[int, int], lang: str):
    # o shows every slide, drawn over a plain background; the third is picked.
    press = ["p", "t", "right", "right", "o"]
    assert snap_compare(bundled(lang), press=press, terminal_size=size, run_before=open_huayi)


@pytest.mark.parametrize(("size", "lang"), SIZES)
def test_search(snap_compare, size: tuple[int, int], lang: str):
    query = "robot" if lang == "en" else "机器人"
    # Typed, then down into the results: the input's cursor, which blinks, is gone.
    press = ["slash", *query, "down"]
    assert snap_compare(bundled(lang), press=press, terminal_size=size, run_before=open_huayi)


async def compare_two(pilot: Pilot) -> None:
    await open_huayi(pilot)
    await pilot.press("c")
    pilot.app.screen.query_one(Picker).select("zhejiang-zhongcheng")
    await pilot.pause()


@pytest.mark.parametrize(("size", "lang"), SIZES)
def test_compare(snap_compare, size: tuple[int, int], lang: str):
    assert snap_compare(bundled(lang), terminal_size=size, run_before=compare_two)


@pytest.mark.parametrize(("size", "lang"), SIZES)
def test_help(snap_compare, size: tuple[int, int], lang: str):
    assert snap_compare(bundled(lang), press=["question_mark"], terminal_size=size)
