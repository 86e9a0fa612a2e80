"""A very long case (about 100 KB of text) opens and pages through its panes without freezing.

This is a guard against freezes, not a benchmark: the time budget is generous.
"""

from __future__ import annotations

import time
from pathlib import Path

import yaml
from pilot_support import drive, explorer, folder_app, pane_lines, settle, shows
from textual.pilot import Pilot

from casebook.actions import PANES
from casebook.widgets.item_blocks import ItemBlocks
from casebook.widgets.line_list import LineList

BUDGET = 20.0
"""Seconds for opening the case and visiting every pane."""

WORDS = "robots forging cycle energy staff 华益 精密 "


def long_case(events: int = 40, metrics: int = 40, challenges: int = 20) -> dict:
    metric_list = []
    for i in range(metrics):
        common = {"id": f"m{i}", "label": f"Metric {i} {WORDS * 2}", "source": "src"}
        if i % 2:
            metric_list.append(
                common
                | {
                    "before": 100 + i,
                    "after": {"value": 50 + i, "qualifier": "under"},
                    "unit": "days",
                    "period": f"period {i}",
                    "headline": i < 8,
                }
            )
        else:
            metric_list.append(common | {"value": i * 1000 + 7, "unit": "people"})
    return {
        "id": "long-case",
        "company": {"name": {"en": "Long Case Co", "zh": "长案例公司"}},
        "hook": "A very long case",
        "summary": {"en": "A long summary sentence. " * 600, "zh": "很长的概要。" * 600},
        "timeline": [
            {
                "date": 1950 + i,
                "title": f"Event {i} {WORDS * 2}",
                "detail": f"Detail {i} {WORDS * 10}",
                "source": "src",
            }
            for i in range(events)
        ],
        "metrics": metric_list,
        "challenges": [
            {
                "title": f"Challenge {i}",
                "problem": f"Problem {WORDS * 10}",
                "solutions": [f"Solution {j} {WORDS * 5}" for j in range(3)],
                "outcome": f"Outcome {WORDS * 5}",
                "metrics": [f"m{j}" for j in range(i % 10)],
            }
            for i in range(challenges)
        ],
        "people": [
            {"name": f"Person {i}", "role": "Role", "said": [f"Said {WORDS * 8}"] * 3}
            for i in range(15)
        ],
        "sources": [{"id": "src", "outlet": "Outlet", "year": 2022}],
        "learning_objectives": [f"Objective {i} {WORDS * 4}" for i in range(20)],
        "discussion_questions": [f"Question {i} {WORDS * 6}" for i in range(20)],
    }


def test_a_100_kb_case_opens_and_switches_panes_without_freezing(tmp_path: Path):
    folder = tmp_path / "cases"
    folder.mkdir()
    text = yaml.safe_dump(long_case(), allow_unicode=True, sort_keys=False)
    (folder / "long.yaml").write_text(text, encoding="utf-8")
    size = len(text.encode("utf-8"))
    assert 90_000 <= size <= 130_000, size
    app = folder_app(folder)
    assert app.library.diagnostics == []

    async def scenario(pilot: Pilot) -> None:
        screen = explorer(pilot.app)
        assert screen.current == "long-case"
        for number, pane in enumerate(PANES, start=1):
            await pilot.press(str(number))
            await settle(pilot)
            assert screen.pane == pane
        await pilot.press("l", "1")  # the whole case again, in Chinese
        await settle(pilot)
        assert shows(pane_lines(pilot.app, "overview"), "长案例公司  Long Case Co")
        await pilot.press("l", "6")
        await settle(pilot)
        assert shows(pane_lines(pilot.app, "discussion"), "20. Question 19 robots")
        await pilot.press("4")
        await settle(pilot)
        assert shows(pane_lines(pilot.app, "challenges"), "20. Challenge 19")
        await pilot.press("2")
        await settle(pilot)
        events = screen.query_one("#pane-timeline").query_one(LineList)
        assert events.row_count == 40
        events.focus()
        await pilot.press("end")
        await settle(pilot)
        assert events.highlighted == 39
        assert shows(pane_lines(pilot.app, "timeline"), "Detail 39 robots")

    started = time.monotonic()
    drive(app, scenario, timeout=BUDGET)
    assert time.monotonic() - started < BUDGET + 10


def test_the_metrics_pane_mounts_a_few_widgets_however_many_figures(tmp_path: Path):
    """Every figure's bars are lines of one widget (a widget each cost more to mount and
    lay out than to draw), and a jump to one figure's bars scrolls to it and marks it."""
    counts = []
    for metrics in (10, 80):
        folder = tmp_path / str(metrics)
        folder.mkdir()
        text = yaml.safe_dump(long_case(metrics=metrics), allow_unicode=True, sort_keys=False)
        (folder / "long.yaml").write_text(text, encoding="utf-8")

        async def scenario(pilot: Pilot, target: int = metrics - 3) -> None:
            screen = explorer(pilot.app)
            screen.open("long-case", "metrics")
            await settle(pilot)
            pane = screen.pane_widget("metrics")
            counts.append(len(pane.children))
            bars = pane.query_one(ItemBlocks)
            screen.open("long-case", "metrics", ("metrics", target))  # odd: with bars
            await settle(pilot)
            assert bars.hit is not None
            first = bars.lines(bars.size.width)[bars.hit[0]].plain
            assert first.startswith(f"Metric {target} "), first
            top = bars.virtual_region.y + bars.hit[0]
            assert pane.scroll_y <= top < pane.scroll_y + pane.scrollable_content_region.height

        drive(folder_app(folder), scenario)
    assert counts[0] == counts[1], counts
