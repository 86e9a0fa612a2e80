"""Slides never scroll: every page and reveal step of the bundled cases fits, in both
languages, at a laptop's, a monitor's and a projector's size, with and without the
presenter console; labels stay with their text and no line starts with closing
punctuation."""

from __future__ import annotations

import pytest
from pilot_support import CASES, drive, quiet, region_lines, settle, until
from textual.pilot import Pilot

from casebook.app import CasebookApp, make_app
from casebook.model.format.text import LANGS
from casebook.model.format.words import t
from casebook.model.load.library import load_library
from casebook.screens.present import PresentScreen, SlideArea
from casebook.widgets.slide_view import SlideView

CLOSING = set("，。、；：？！）》」』】")
ROLES = ("problem", "solution", "outcome")


def labels() -> set[str]:
    """What must never stand alone on a line: a role, a question number."""
    words = {t(role, lang) for role in ROLES for lang in LANGS}
    return words | {f"{n}." for n in range(1, 20)}


async def walk(pilot: Pilot, case_id: str, console: bool) -> int:
    """Every page of ``case_id``'s slides in the app's language, checked; how many."""
    app: CasebookApp = pilot.app  # type: ignore[assignment]
    app.present(case_id, console=console)
    await until(pilot, lambda: isinstance(app.screen, PresentScreen), "the slides")
    screen = app.screen
    assert isinstance(screen, PresentScreen)
    await until(pilot, lambda: screen.room is not None, "the pages")
    area = screen.query_one("#slide-area", SlideArea)
    alone = labels()
    for number in range(1, len(screen.pages.pages) + 1):
        # Each page with all its steps shown: it draws every line its earlier reveal steps
        # draw (a step is a widget of its own), and is the tallest of them.
        position = (
            screen.pages.start_of(number + 1) - 1
            if number < len(screen.pages.pages)
            else len(screen.pages.positions) - 1
        )
        screen.position = position
        await pilot.pause()
        where = (case_id, app.lang, console, position, screen.place)
        view = screen.query_one(SlideView)
        assert area.max_scroll_y == 0, where
        assert view.outer_size.height <= area.content_size.height, where
        lines = [line.strip() for line in region_lines(app, area.content_region)]
        title = screen.pages.title(screen.pages.at(position)[0])
        assert title[:8] in "".join(lines).replace(" ", "") or title[:8] in " ".join(lines), where
        for line in lines:
            assert line not in alone, (where, line)
            assert not line or line[0] not in CLOSING, (where, line)
    await pilot.press("escape")
    await until(pilot, lambda: not isinstance(app.screen, PresentScreen), "the explorer")
    return len(screen.pages.pages)


@pytest.mark.parametrize("console", [False, True], ids=["audience", "console"])
@pytest.mark.parametrize("size", [(80, 24), (120, 40), (200, 60)], ids=lambda s: f"{s[0]}x{s[1]}")
def test_every_page_fits_without_scrolling(size: tuple[int, int], console: bool) -> None:
    library = load_library([CASES], "instructor")
    app = quiet(make_app(library=library))
    walked: list[int] = []

    async def scenario(pilot: Pilot) -> None:
        await settle(pilot)
        for lang in LANGS:
            app.lang = lang
            for case_id in library.cases:
                walked.append(await walk(pilot, case_id, console))

    drive(app, scenario, size=size, timeout=120)
    assert len(walked) == 2 * len(library.cases) and min(walked) >= 10
