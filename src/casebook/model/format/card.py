"""A case's card: what lists, pickers, filters and the palette show of it.

A cache keeps each case's card beside the case, so a large library can be listed,
filtered and picked from without decoding its cases (about 9 KB each, decoded).
"""

from __future__ import annotations

from msgspec import Struct

from casebook.model.format.case import Case, Company, Location
from casebook.model.format.text import Text


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
