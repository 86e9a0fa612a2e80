"""A case's card (what lists, pickers, filters and the palette show of it) and its
chronicle (what the cross-case timeline shows of it).

A cache keeps both beside each case, so a large library can be listed, filtered,
picked from and put on one time axis without decoding its cases (about 9 KB each,
decoded, and checked as untrusted: six times the time of a chronicle).
"""

from __future__ import annotations

import msgspec
from msgspec import Struct

from casebook.model.format.case import Case, Company, Event, Location, Source
from casebook.model.format.text import Bilingual, Text


class Card(Struct, frozen=True, forbid_unknown_fields=True, gc=False):
    """A case's id, chapter, names, place, industry and hook, as its file gives them."""

    id: str
    chapter: str | None
    company: Company
    location: Location | None = None
    industry: Text | None = None
    hook: Text | None = None


def card_of(case: Case) -> Card:
    """The card of ``case``."""
    return Card(case.id, case.chapter, case.company, case.location, case.industry, case.hook)


class Chronicle(Struct, frozen=True, forbid_unknown_fields=True, gc=False):
    """A case's id, names, events and sources (which its events cite), as its file gives
    them: all the cross-case timeline reads of a case."""

    id: str
    company: Company
    timeline: list[Event]
    sources: list[Source]


def shared(card: Card, seen: dict[object, object]) -> Card:
    """``card`` with its chapter, place and industry the very objects of an equal card's
    seen before (kept in ``seen``): a library keeps the card of every case it lists, and
    thousands of cases name a few dozen chapters, places and industries."""
    location = card.location
    if location is not None:
        parts = (location.province, location.city, location.district)
        location = seen.setdefault(("place", *map(_key, parts)), location)  # type: ignore[assignment]
    industry = card.industry
    if industry is not None:
        industry = seen.setdefault(("industry", _key(industry)), industry)  # type: ignore[assignment]
    chapter = card.chapter
    if chapter is not None:
        chapter = seen.setdefault(("chapter", chapter), chapter)  # type: ignore[assignment]
    return msgspec.structs.replace(card, chapter=chapter, location=location, industry=industry)


def _key(text: Text | None) -> object:
    return (text.en, text.zh) if isinstance(text, Bilingual) else text


def chronicle_of(case: Case) -> Chronicle:
    """The chronicle of ``case``."""
    return Chronicle(case.id, case.company, case.timeline, case.sources)
