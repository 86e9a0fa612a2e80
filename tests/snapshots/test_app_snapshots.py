"""SVG snapshots of the explorer on the bundled casebook.

Update the baselines after an intended change with
``pytest tests/snapshots --snapshot-update`` and review the SVGs in the diff.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.pilot import Pilot

from casebook.actions import PANES
from casebook.app import CasebookApp, make_app

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
