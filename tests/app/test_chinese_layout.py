"""Every pane of the bundled casebook, in Chinese (and English), as drawn: no line starts
with closing punctuation or ends with opening punctuation, and no figure is split."""

from __future__ import annotations

import re

import pytest
from pilot_support import CASES, SMALL, drive, explorer, pane_lines, pane_widget, quiet, settle
from pilot_support import visible_lines as shown_lines
from textual.pilot import Pilot

from casebook.app import make_app
from casebook.model.format.addresses import INTRO_ID
from casebook.model.format.linebreak import CLOSING, OPENING
from casebook.model.format.text import Lang

DECOR = " │┃╞═╡●◌▼■·•▕▏─╭╮╰╯"
"""What frames text in a pane (the timeline's rail, marks, borders): not the text itself."""

SPLIT_FIGURE = re.compile(r"[0-9][.,]?$")
"""A line ending in a figure's digits..."""
FIGURE_GOES_ON = re.compile(r"^(?:[%％多余万亿千百]|[.,]?[0-9]+%)")
"""... and the next line going on with the same figure: its unit, or the rest of a
percentage (numbers one under another are the rows of a table or of a list)."""


def problems(lines: list[str], where: str) -> list[str]:
    """The lines that break the rules, each with its place."""
    found = []
    texts = [line.strip(DECOR) for line in lines]
    for number, text in enumerate(texts):
        if text[:1] in CLOSING:
            found.append(f"{where} line {number} starts with closing punctuation: {text!r}")
        if text[-1:] in OPENING:
            found.append(f"{where} line {number} ends with opening punctuation: {text!r}")
        following = texts[number + 1] if number + 1 < len(texts) else ""
        if SPLIT_FIGURE.search(text) and FIGURE_GOES_ON.match(following):
            found.append(f"{where} line {number} splits a figure: {text!r} / {following!r}")
    return found


async def every_pane(pilot: Pilot) -> list[str]:
    """Opens every pane of every entry; returns the rule breakers found."""
    app = pilot.app
    screen = explorer(app)  # type: ignore[arg-type]
    found: list[str] = []
    seen = 0
    for entry in [INTRO_ID, *app.library.cases]:  # type: ignore[attr-defined]
        screen.open(entry)
        await settle(pilot)
        for pane in screen.shown_panes(entry):
            screen.pane = pane
            await settle(pilot)
            assert screen.current == entry and screen.pane == pane
            where = f"{entry} {pane}"
            drawn = pane_lines(app, pane)  # type: ignore[arg-type]
            assert any(line.strip() for line in drawn), where
            found += problems(drawn, where)
            found += problems(shown_lines(app, pane_widget(app, pane)), f"{where} (screen)")  # type: ignore[arg-type]
            seen += 1
    assert seen >= 25, "every pane of the introduction and the four cases"
    return found


@pytest.mark.parametrize(
    ("lang", "size"), [("zh", SMALL), ("zh", (120, 40)), ("en", SMALL)], ids=str
)
def test_every_pane_keeps_the_line_breaking_rules(lang: Lang, size: tuple[int, int]) -> None:
    found: list[str] = []

    async def scenario(pilot: Pilot) -> None:
        found.extend(await every_pane(pilot))

    app = quiet(make_app([CASES], lang=lang, edition="instructor"))
    drive(app, scenario, size=size, timeout=120)
    assert not found, "\n".join(found)


def test_the_rules_catch_what_rich_did() -> None:
    """The check itself: lines as Rich's wrapping drew them before are caught."""
    drawn = ["通过机器换人", "，单位产品能耗降低1", "2%，人均（", "产值提升1500", "多家"]
    assert len(problems(drawn, "x")) == 4
