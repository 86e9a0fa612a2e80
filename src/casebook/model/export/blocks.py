"""The content of a handout as a small tree of blocks, whatever the output format.

:func:`.content.build` turns cases (and, for the whole casebook, the
collection's introduction, context and chapters) into :class:`Section` blocks
holding headings, paragraphs, lists, label/value fields and tables. Each text is
:data:`Words`: the text in the handout's language, or English then Chinese, each
part tagged with its language. :mod:`.markdown` and :mod:`.html` write the same
tree, so both formats hold the same content. Texts are plain case text (unsafe
characters removed), never escaped: escaping is the writers' job. A table cell or
a list item's line may be :class:`Linked`: words, then a mark that links to a web
address (a source's, or a source's opened at a passage).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import ClassVar, Literal

from casebook.model.format.text import Lang

Language = Literal["en", "zh", "both"]
LANGUAGES: tuple[Language, ...] = ("en", "zh", "both")

Part = tuple[Lang | None, str]
"""A text in one language (None: the same in every language)."""
Words = tuple[Part, ...]
"""A text in the handout's language(s): one part, or English then Chinese."""

_ADDRESS = re.compile(r"https?://[!-~]+")
"""A link's address: http(s), printable ASCII only (see ``casebook.model.format.links``)."""


@dataclass(frozen=True)
class Linked:
    """``words``, then ``mark`` (e.g. ``[1]``, or the address itself) as a link to ``href``:
    an http(s) address, printable ASCII only, so that no writer can be led out of a link
    by it (anything else is refused)."""

    words: Words
    mark: str
    href: str

    def __post_init__(self) -> None:
        if not _ADDRESS.fullmatch(self.href):
            raise ValueError(f"not a web address to link to: {self.href!r}")


Line = Words | Linked
"""A table cell or a line of a list item: words, or words and a link."""


@dataclass(frozen=True)
class Heading:
    """A heading of ``level`` 1–4, numbered ("1. ") when ``number`` is set."""

    kind: ClassVar[str] = "heading"
    level: int
    text: Words
    number: int | None = None


@dataclass(frozen=True)
class Para:
    """Paragraphs (a blank line in a text starts another), after an optional bold label."""

    kind: ClassVar[str] = "para"
    text: Words
    label: Words = ()
    em: bool = False


@dataclass(frozen=True)
class Item:
    """A list item: an optional bold lead, then lines (each in the handout's languages)."""

    lead: Words = ()
    lines: tuple[Line, ...] = ()
    colon: bool = False  # "Lead: line" rather than "Lead — line"


@dataclass(frozen=True)
class Items:
    """A bulleted or numbered list; ``cls`` names it for styling."""

    kind: ClassVar[str] = "items"
    items: tuple[Item, ...]
    numbered: bool = False
    cls: str = ""


@dataclass(frozen=True)
class Fields:
    """Label/value rows (the identity of a company)."""

    kind: ClassVar[str] = "fields"
    rows: tuple[tuple[Words, Words], ...]


@dataclass(frozen=True)
class Table:
    """A table with a header row; ``cls`` names it for styling."""

    kind: ClassVar[str] = "table"
    head: tuple[Words, ...]
    rows: tuple[tuple[Line, ...], ...]
    cls: str = ""


@dataclass(frozen=True)
class Section:
    """A group of blocks: a case (``tag`` "article"), a pane, a challenge, a region…"""

    kind: ClassVar[str] = "section"
    cls: str
    blocks: tuple[Block, ...]
    ident: str = ""
    new_page: bool = False
    tag: str = "section"


Block = Heading | Para | Items | Fields | Table | Section


@dataclass(frozen=True)
class Handout:
    """What a handout holds: its title and its parts (the collection, then each case)."""

    title: str
    parts: tuple[Section, ...]
    lang: Language
