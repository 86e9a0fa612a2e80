"""Splitting a deck into pages that fit a screen: pure, at many sizes."""

from __future__ import annotations

import math
from functools import cache
from itertools import pairwise
from pathlib import Path

import pytest

from casebook.model.format.text import Lang, pick
from casebook.model.load.library import load_library
from casebook.model.views.slide_pages import (
    Pages,
    paginate,
    split_slide,
    step_label,
    step_text,
    unsplit,
    wrapped_lines,
)
from casebook.model.views.slides import Deck, Slide, Step, build_deck

CASES = Path(__file__).resolve().parents[2] / "cases"
SIZES = [(w, h) for w in (24, 40, 68, 72, 92, 112, 192) for h in (4, 6, 9, 13, 19, 33, 53)]


@cache
def decks() -> tuple[Deck, ...]:
    library = load_library([CASES], "instructor")
    return tuple(build_deck(case, "instructor") for case in library.cases.values())


def drawn(pages: Pages, index: int, width: int) -> int:
    """Rows page ``index`` takes with every piece shown: the title, then each piece after a
    blank line."""
    page = pages.pages[index]
    slide = pages.slide(page)
    rows = wrapped_lines("", pages.title(page), width)
    for piece in page.pieces:
        step = slide.steps[piece.step]
        lines = wrapped_lines(
            step_label(step, piece.step + 1, pages.lang), step_text(step, pages.lang), width
        )
        rows += 1 + (piece.end if piece.end is not None else lines) - piece.start
    return rows


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_every_page_fits_and_every_step_is_there_once_in_order(
    size: tuple[int, int], lang: Lang
) -> None:
    width, height = size
    for deck in decks():
        pages = paginate(deck, lang, width, height)
        for index, page in enumerate(pages.pages):
            title = wrapped_lines("", pages.title(page), width)
            if height - title >= 2:  # room for a blank line and a line of text
                assert drawn(pages, index, width) <= height, (deck.case.id, index, page)
        for number, slide in enumerate(deck.slides):
            own = [page for page in pages.pages if page.slide == number]
            assert [page.part for page in own] == list(range(1, len(own) + 1))
            assert all(page.parts == len(own) for page in own)
            pieces = [piece for page in own for piece in page.pieces]
            assert sorted({piece.step for piece in pieces}) == list(range(len(slide.steps)))
            assert [piece.step for piece in pieces] == sorted(piece.step for piece in pieces)
            for step in range(len(slide.steps)):  # a cut step's lines follow on, none lost
                cut = [piece for piece in pieces if piece.step == step]
                assert cut[0].start == 0 and cut[-1].end is None
                assert all(a.end == b.start for a, b in pairwise(cut))


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("size", [(24, 6), (68, 19), (112, 33), (192, 53)])
def test_places_walk_the_logical_deck_in_order(size: tuple[int, int], lang: Lang) -> None:
    for deck in decks():
        pages = paginate(deck, lang, *size)
        places = [pages.place(position) for position in range(len(pages.positions))]
        assert places == sorted(places)
        logical = [(index + 1, shown) for index, shown in deck.positions]
        assert sorted(set(places)) == logical  # every logical place is shown, in order
        for slide, step in logical:
            position = pages.position_of(slide, step)
            assert pages.place(position) == (slide, step)
            assert position == 0 or pages.place(position - 1) < (slide, step)
            assert deck.positions[pages.logical(position)] == (slide - 1, step)


def test_an_unsplit_deck_has_a_page_a_slide() -> None:
    deck = decks()[0]
    pages = unsplit(deck, "zh")
    assert len(pages.pages) == len(deck.slides) and len(pages.positions) == len(deck.positions)
    assert pages.titles() == [pick(slide.title, "zh") for slide in deck.slides]


def _long(steps: int, chars: int) -> Slide:
    return Slide("discussion", "讨论", tuple(Step("question", "问" * chars) for _ in range(steps)))


def test_steps_go_on_over_pages_titled_with_their_part() -> None:
    by_chars = lambda label, text, width: math.ceil(len(text) / width)  # noqa: E731
    slide = _long(4, 30)  # three lines each at width 10: four lines with its blank line
    split = split_slide(slide, "zh", 10, 9, by_chars)  # the title takes 1, 8 left
    assert [[piece.step for piece in page] for page in split] == [[0, 1], [2, 3]]
    deck = Deck(decks()[0].case, (slide,))
    pages = paginate(deck, "zh", 10, 9, by_chars)
    assert pages.titles() == ["讨论 (1/2)", "讨论 (2/2)"]
    assert [pages.page_number(p) for p in range(4)] == [1, 1, 2, 2]
    assert pages.position_of(1, 3) == pages.start_of(2) == 2
    assert pages.position_of(99, 99) == 3 and pages.position_of(0, 0) == 0  # clamped


def test_a_step_taller_than_a_page_is_cut_at_lines() -> None:
    by_chars = lambda label, text, width: math.ceil(len(text) / width)  # noqa: E731
    slide = _long(2, 100)  # ten lines each
    split = split_slide(slide, "zh", 10, 6, by_chars)  # five rows under the title
    cuts = [[(piece.step, piece.start, piece.end) for piece in page] for page in split]
    assert cuts == [
        [(0, 0, 4)],
        [(0, 4, 8)],
        [(0, 8, None)],
        [(1, 0, 4)],
        [(1, 4, 8)],
        [(1, 8, None)],
    ]
    deck = Deck(decks()[0].case, (slide,))
    pages = paginate(deck, "zh", 10, 6, by_chars)
    assert [pages.place(p) for p in range(len(pages.positions))] == [(1, 1)] * 3 + [(1, 2)] * 3


def test_a_tiny_room_still_moves_on() -> None:
    by_chars = lambda label, text, width: math.ceil(len(text) / width)  # noqa: E731
    split = split_slide(_long(2, 5), "zh", 1, 1, by_chars)
    assert sum(1 for page in split for _ in page) >= 10  # a line a page, never stuck
