"""The key bar: what fits on one line, hovering, and keys that do nothing now."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable

import pytest
from pilot_support import bundled_app, drive, screen_lines, settle
from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.pilot import Pilot

from casebook.widgets.key_bar import KeyBar


class Keys(App[None]):
    """A key bar over a few bindings, one of them switched off."""

    BINDINGS = [
        Binding("a", "record('a')", "Alpha"),
        Binding("b", "record('b')", "Bravo"),
        Binding("c", "record('c')", "Charlie"),
        Binding("x", "record('x')", "Hidden", show=False),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.pressed: list[str] = []
        self.bells = 0

    def compose(self) -> ComposeResult:
        yield KeyBar()

    def action_record(self, key: str) -> None:
        self.pressed.append(key)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        return None if parameters == ("c",) else True  # shown, but dimmed and inert

    def bell(self) -> None:
        self.bells += 1


def run(width: int, scenario: Callable[[Pilot], Awaitable[None]]) -> Keys:
    app = Keys()

    async def go() -> None:
        async with app.run_test(size=(width, 5)) as pilot:
            await pilot.pause()
            await scenario(pilot)

    asyncio.run(go())
    return app


def test_keys_with_room_show_in_full_and_the_palette_key_on_the_right() -> None:
    async def scenario(pilot: Pilot) -> None:
        line = screen_lines(pilot.app)[-1]
        assert line.startswith(" a Alpha  b Bravo  c Charlie ")
        assert line.endswith("▏ ^p palette")
        assert "Hidden" not in line

    run(60, scenario)


def test_short_of_room_the_bar_goes_compact_and_drops_what_does_not_fit() -> None:
    async def scenario(pilot: Pilot) -> None:
        assert screen_lines(pilot.app)[-1] == " a Alpha b Bravo c Charlie ▏^p palette"

    run(39, scenario)

    async def narrower(pilot: Pilot) -> None:
        line = screen_lines(pilot.app)[-1]
        assert line.startswith(" a Alpha b Bravo ")
        assert "Charlie" not in line and line.endswith("▏^p")

    run(24, narrower)


def test_a_click_presses_the_key_and_an_inert_key_rings_the_bell() -> None:
    async def scenario(pilot: Pilot) -> None:
        bar = pilot.app.query_one(KeyBar)
        await pilot.click(KeyBar, offset=(9, 0))  # on " b Bravo "
        await pilot.click(KeyBar, offset=(19, 0))  # on " c Charlie ": inert
        await settle(pilot)
        assert bar.key_at(9) is not None and bar.key_at(9).key == "b"

    app = run(60, scenario)
    assert app.pressed == ["b"]
    assert app.bells == 1


def test_hovering_a_key_highlights_it() -> None:
    async def scenario(pilot: Pilot) -> None:
        bar = pilot.app.query_one(KeyBar)
        before = bar.render().spans
        await pilot.hover(KeyBar, offset=(2, 0))
        assert bar.render().spans != before
        await pilot.hover(KeyBar, offset=(40, 0))  # blank: nothing highlighted
        assert bar.render().spans == before

    run(60, scenario)


def test_the_explorer_bar_follows_focus_and_language() -> None:
    async def scenario(pilot: Pilot) -> None:
        assert "/ Search" in screen_lines(pilot.app)[-1]
        await pilot.press("l")
        await settle(pilot)
        assert "/ 搜索" in screen_lines(pilot.app)[-1]

    drive(bundled_app(), scenario)


def test_the_keys_are_not_listed_before_the_bar_is_first_drawn(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    drawn: list[KeyBar] = []
    listed_after: list[int] = []  # how many renders there had been at each listing
    real_render, real_entries = KeyBar.render, KeyBar._entries

    def render(self: KeyBar) -> object:
        drawn.append(self)
        return real_render(self)

    def entries(self: KeyBar) -> object:
        listed_after.append(len(drawn))
        return real_entries(self)

    monkeypatch.setattr(KeyBar, "render", render)
    monkeypatch.setattr(KeyBar, "_entries", entries)

    async def scenario(pilot: Pilot) -> None:
        await settle(pilot)

    drive(bundled_app(), scenario)
    assert listed_after and 0 not in listed_after  # the first render lists them, once
