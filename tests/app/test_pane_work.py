"""Panes do their work once: the text of a pane first opened is wrapped at one width (a
pane taller than the screen is not laid out again narrower for its scroll bar), and
switching back to a pane wraps nothing again (counted, not timed)."""

from __future__ import annotations

import inspect
from collections import Counter

import pytest
from pilot_support import bundled_app, drive, open_case, settle
from textual.pilot import Pilot
from textual.widgets import OptionList

from casebook.model.format import linebreak
from casebook.widgets.flow import Flow

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
        events = pilot.app.screen.query_one("#pane-timeline OptionList", OptionList)
        lines = sum(len(option.prompt.plain.split("\n")) for option in events.options)
        assert events.size.height == min(16, lines)

    drive(bundled_app(), scenario)


def test_the_timeline_list_is_not_measured_again_when_switched_back_to(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """An OptionList measures every row again after a resize; shown again at the width
    it had, the timeline's keeps its measures."""
    forgotten: list[OptionList] = []
    clear = OptionList._clear_caches

    def counted(self: OptionList) -> None:
        forgotten.append(self)
        clear(self)

    monkeypatch.setattr(OptionList, "_clear_caches", counted)

    async def scenario(pilot: Pilot) -> None:
        await open_case(pilot, "huayi-precision", "timeline")
        events = pilot.app.screen.query_one("#pane-timeline OptionList", OptionList)
        await open_case(pilot, "huayi-precision", "overview")
        forgotten.clear()
        await open_case(pilot, "huayi-precision", "timeline")
        assert events not in forgotten
        assert events.highlighted == 0

    drive(bundled_app(), scenario)
