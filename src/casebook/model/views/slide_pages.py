"""A deck split into pages that fit a screen: slides never scroll.

A logical slide (see :mod:`casebook.model.views.slides`) whose steps do not fit the
room goes on over as many pages as it needs, titled "Discussion (2/3)" and so on. Page
breaks fall between steps; a step taller than a page is cut at line boundaries. The
presenter still moves through *positions* — (page, pieces shown) — and every position
names a logical *place*: the slide (1-based, as built from the case) and the step shown
last on it (1-based). The place is what is saved and shared between terminals, which
split the same deck for their own sizes.

Layout (what the slide view draws): the title, then each step after one blank line.
Lines are counted by a :data:`Measure`, by default casebook's line breaker.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from casebook.model.format.linebreak import cells, wrap
from casebook.model.format.text import Lang, pick, strip_unsafe
from casebook.model.format.words import t
from casebook.model.views.slides import Deck, Slide, Step

Measure = Callable[[str, str, int], int]
"""How many lines ``text`` takes at ``width`` cells after a hanging ``label``."""

_ROLES = {"problem": "problem", "solution": "solution", "outcome": "outcome"}
_PART_ROOM = " (99/99)"
"""Room kept after a title for its part number."""


def wrapped_lines(label: str, text: str, width: int) -> int:
    """The default :data:`Measure`: the line breaker's lines, hung under ``label``."""
    return len(wrap(text, max(1, width - cells(label))))


def step_label(step: Step, number: int, lang: Lang) -> str:
    """What starts a step's first line: its role, its question number, its date, or ''."""
    if step.event is not None:
        return strip_unsafe(step.event.date.label(lang)) + "  "
    if step.kind in _ROLES:
        return t(_ROLES[step.kind], lang) + "  "
    if step.kind == "question":
        return f"{number}. "
    return ""


def step_text(step: Step, lang: Lang) -> str:
    """A step's text in ``lang`` (an event's title)."""
    text = step.event.title if step.event is not None else step.text
    return strip_unsafe(pick(text, lang))


@dataclass(frozen=True)
class Piece:
    """A step drawn on a page: whole, or lines ``start`` to ``end`` of it when it is cut."""

    step: int
    """The step's index in its slide (0-based)."""
    start: int = 0
    end: int | None = None
    """The line after the last drawn (``None``: to its end)."""


@dataclass(frozen=True)
class Page:
    """One screenful of a logical slide."""

    slide: int
    """The logical slide's index in the deck (0-based)."""
    part: int
    parts: int
    pieces: tuple[Piece, ...] = ()

    @property
    def reveals(self) -> int:
        """How many positions the page takes: one per piece (at least one)."""
        return max(1, len(self.pieces))


@dataclass(frozen=True)
class Pages:
    """A deck split for one language and room, and the positions through its pages."""

    deck: Deck
    lang: Lang
    pages: tuple[Page, ...]
    positions: tuple[tuple[int, int], ...] = field(init=False)
    _first: dict[tuple[int, int], int] = field(init=False, repr=False)

    def __post_init__(self) -> None:
        flat = tuple(
            (index, shown)
            for index, page in enumerate(self.pages)
            for shown in range(1, page.reveals + 1)
        )
        object.__setattr__(self, "positions", flat)
        first: dict[tuple[int, int], int] = {}
        for position in range(len(flat)):
            first.setdefault(self.place(position), position)
        object.__setattr__(self, "_first", first)

    def clamp(self, position: int) -> int:
        return max(0, min(position, len(self.positions) - 1))

    def at(self, position: int) -> tuple[Page, int]:
        """The page at ``position`` and how many of its pieces are shown."""
        index, shown = self.positions[self.clamp(position)]
        return self.pages[index], shown

    def slide(self, page: Page) -> Slide:
        """The logical slide ``page`` is part of."""
        return self.deck.slides[page.slide]

    def page_number(self, position: int) -> int:
        """1-based number of the page at ``position``: what the presenter counts."""
        return self.positions[self.clamp(position)][0] + 1

    def has_page(self, number: int) -> bool:
        return 1 <= number <= len(self.pages)

    def start_of(self, number: int) -> int:
        """The first position of page ``number`` (1-based, clamped)."""
        index = max(1, min(number, len(self.pages))) - 1
        return self.positions.index((index, 1))

    def place(self, position: int) -> tuple[int, int]:
        """The logical (slide, step) at ``position``, both 1-based."""
        page, shown = self.at(position)
        step = page.pieces[shown - 1].step + 1 if page.pieces else 1
        return page.slide + 1, step

    def position_of(self, slide: int, step: int) -> int:
        """The first position showing logical ``slide`` at ``step`` (clamped, so a place
        saved from a case that changed since stays valid)."""
        index = self.deck.position_of(slide, step)
        return self._first[(self.deck.positions[index][0] + 1, self.deck.positions[index][1])]

    def logical(self, position: int) -> int:
        """The position in the unsplit deck of the place at ``position``."""
        return self.deck.position_of(*self.place(position))

    def title(self, page: Page) -> str:
        """The page's title: its slide's, with "(2/3)" on a slide split over pages."""
        title = strip_unsafe(pick(self.slide(page).title, self.lang))
        return f"{title} ({page.part}/{page.parts})" if page.parts > 1 else title

    def titles(self) -> list[str]:
        """Every page's title, in order."""
        return [self.title(page) for page in self.pages]


def split_slide(
    slide: Slide, lang: Lang, width: int, height: int, measure: Measure = wrapped_lines
) -> list[tuple[Piece, ...]]:
    """The pieces of each page ``slide`` takes in ``width`` × ``height`` cells.

    Each step takes a blank line and its own lines; a page holds the title and as many
    steps as fit; a step too tall for a page is cut across pages (at least one line a
    page, so a tiny room still moves on)."""
    if not slide.steps:
        return [()]
    title = measure("", strip_unsafe(pick(slide.title, lang)) + _PART_ROOM, width)
    room = max(2, height - title)
    pages: list[tuple[Piece, ...]] = []
    page: list[Piece] = []
    used = 0
    for index, step in enumerate(slide.steps):
        lines = measure(step_label(step, index + 1, lang), step_text(step, lang), width)
        if page and used + 1 + lines > room and 1 + lines <= room:
            pages.append(tuple(page))  # it fits on a page of its own: break before it
            page, used = [], 0
        start = 0
        while True:
            free = room - used - 1
            if lines - start <= free:
                page.append(Piece(index, start) if start else Piece(index))
                used += 1 + lines - start
                break
            if page and free < 2:  # too little left here to begin cutting it
                pages.append(tuple(page))
                page, used = [], 0
                continue
            take = max(1, free)
            page.append(Piece(index, start, start + take))
            pages.append(tuple(page))
            page, used = [], 0
            start += take
    if page:
        pages.append(tuple(page))
    return pages


def paginate(
    deck: Deck, lang: Lang, width: int, height: int, measure: Measure = wrapped_lines
) -> Pages:
    """``deck`` split into pages of ``width`` × ``height`` cells (title and steps) in ``lang``."""
    pages: list[Page] = []
    for index, slide in enumerate(deck.slides):
        split = split_slide(slide, lang, width, height, measure)
        pages += [Page(index, part, len(split), pieces) for part, pieces in enumerate(split, 1)]
    return Pages(deck, lang, tuple(pages))


def unsplit(deck: Deck, lang: Lang) -> Pages:
    """``deck`` with one page a slide (before the room is known)."""
    return paginate(deck, lang, 10_000, 10_000_000)
