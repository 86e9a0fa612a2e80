"""Panes do their work once: the text of a pane first opened is wrapped at one width (a
pane taller than the screen is not laid out again narrower for its scroll bar), and
switching back to a pane wraps nothing again (counted, not timed)."""

from __future__ import annotations

import importlib.util
import inspect
from collections import Counter
from pathlib import Path

import pytest
from pilot_support import bundled_app, drive, folder_app, open_case, settle
from textual.pilot import Pilot

from casebook.model.format import linebreak
from casebook.widgets.flow import Flow
from casebook.widgets.line_list import LineList, Row
from casebook.widgets.timeline import TimelineView

BENCH = Path(__file__).resolve().parents[2] / "bench"

PANES = ("challenges", "people", "timeline")


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_text_is_wrapped_once_and_not_again_on_switching_back(
    monkeypatch: pytest.MonkeyPatch, lang: str
) -> None:
    wrapped: list[tuple[Flow, int]] = []  # each time a Flow's text is wrapped, and the width

    def counted(text: str, width: int) -> list[tuple[int, int]]:
        flow = inspect.currentframe().f_back.f_locals["self"]  # type: ignore[union-attr]
        wrapped.append((flow, width))
        return linebreak.wrap_offsets(text, width)

    monkeypatch.setattr("casebook.widgets.flow.wrap_offsets", counted)

    async def scenario(pilot: Pilot) -> None:
        for pane in PANES:
            await open_case(pilot, "huayi-precision", pane)
        flows = Counter(id(flow) for flow, _ in wrapped)  # all kept: no id is used twice
        assert flows
        assert [flow for flow, times in flows.items() if times > 1] == []
        wrapped.clear()
        for pane in PANES:
            await open_case(pilot, "huayi-precision", pane)
        assert wrapped == []

    drive(bundled_app(lang), scenario)


def test_the_timeline_list_is_as_tall_as_its_rows_up_to_sixteen_lines() -> None:
    async def scenario(pilot: Pilot) -> None:
        await open_case(pilot, "huayi-precision", "timeline")
        await settle(pilot)
        events = pilot.app.screen.query_one("#pane-timeline LineList", LineList)
        lines = sum(len(events.rows[number].lines) for number in range(events.row_count))
        assert events.size.height == min(16, lines)

    drive(bundled_app(), scenario)


def test_a_long_timeline_makes_the_rows_it_shows_not_all(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """A case of hundreds of events: opening its timeline makes the rows in view (and a
    screenful around the highlighted one), not every row; switching back makes none."""
    spec = importlib.util.spec_from_file_location("bench_generate", BENCH / "generate.py")
    assert spec is not None and spec.loader is not None
    generate = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(generate)
    (tmp_path / "big-case.yaml").write_text(generate.dump(generate.big_case(60_000)), "utf-8")
    made: list[int] = []
    real = TimelineView._row

    def counted(self: TimelineView, number: int, width: int) -> Row:
        made.append(number)
        return real(self, number, width)

    monkeypatch.setattr(TimelineView, "_row", counted)

    async def scenario(pilot: Pilot) -> None:
        await open_case(pilot, "big-case", "timeline")
        events = pilot.app.screen.query_one("#pane-timeline LineList", LineList)
        assert events.row_count > 100 and events.highlighted == 0
        assert 0 < len(set(made)) <= 3 * events.size.height, len(made)
        await open_case(pilot, "big-case", "overview")
        made.clear()
        await open_case(pilot, "big-case", "timeline")
        assert made == [] and events.highlighted == 0

    drive(folder_app(tmp_path), scenario)
