"""Where a figure, an event or a thing said comes from: its source, its passage, the
address that opens the source at the passage, and (when the author has the source's text
at hand) the passage in the source's own words.

The passage's words are read at run time from the author's local copy of the source
(``--source ID=PATH`` or ``CASEBOOK_SOURCES``, see :mod:`casebook.model.load.provenance`);
they are shown, never stored, indexed or exported: they are the source's, not the case's.
"""

from __future__ import annotations

import logging
import re
import unicodedata
from dataclasses import dataclass

from casebook.model.format.case import Document, Passage, Said, Saying, Source
from casebook.model.format.links import passage_address
from casebook.model.load.provenance import SourceError, Sources, SourceText, Span

logger = logging.getLogger(__name__)

SHOWN_MAX = 600
"""The most characters of a passage shown: a paragraph, not a page."""


@dataclass(frozen=True)
class Origin:
    """Where one item comes from."""

    source: Source
    """The source entry it cites."""
    passage: Passage
    address: str | None = None
    """The source's address opened at the passage (its url with a text fragment), when
    the source has a url."""
    words: str | None = None
    """The passage as the source's text has it (on one line, cut to :data:`SHOWN_MAX`),
    when that text is at hand and the passage is found in it."""


class Origins:
    """The origins of one document's items, with the source texts at hand (if any).

    Each source's text is read once (by ``sources``); a text that cannot be read, or a
    passage not found in it, leaves the passage's words out (``casebook validate
    --source`` says why).
    """

    def __init__(self, document: Document, sources: Sources | None = None) -> None:
        self.cited = {source.id: source for source in document.sources}
        self.texts = sources
        self._unreadable: set[str] = set()

    def of(self, source_id: str | None, passage: Passage | None) -> Origin | None:
        """The origin of an item citing ``source_id`` at ``passage``; None without a
        passage, or when the item cites no source of the document."""
        if passage is None or source_id is None:
            return None
        source = self.cited.get(source_id)
        if source is None:
            return None
        address = passage_address(source.url, passage) if source.url else None
        return Origin(source, passage, address, self._words(source_id, passage))

    def said(self, source_id: str | None, said: Said) -> Origin | None:
        """The origin of a thing a person said (the person's source, the saying's passage)."""
        return self.of(source_id, said.passage if isinstance(said, Saying) else None)

    def _words(self, source_id: str, passage: Passage) -> str | None:
        text = self._text(source_id)
        if text is None:
            return None
        span = text.resolve(passage)
        return shown_words(text.text, span) if isinstance(span, Span) else None

    def _text(self, source_id: str) -> SourceText | None:
        if self.texts is None or source_id in self._unreadable:
            return None
        try:
            return self.texts.text(source_id)
        except SourceError as error:  # validate says why; here its passages go unshown
            logger.warning("the text of source %r is not shown: %s", source_id, error)
            self._unreadable.add(source_id)
            return None


_SPACES = re.compile(r"\s+")


def _wide(char: str) -> bool:
    return unicodedata.east_asian_width(char) in ("W", "F")


def shown_words(text: str, span: Span) -> str:
    """``text[span]`` on one line: each run of whitespace one space, or none between two
    wide (Chinese) characters, where a line break of the source is no space at all; cut
    to :data:`SHOWN_MAX` characters with an ellipsis."""
    words = text[span.begin : span.end].strip()

    def gap(found: re.Match[str]) -> str:
        before, after = words[found.start() - 1], words[found.end()]
        return "" if "\n" in found.group() and _wide(before) and _wide(after) else " "

    words = _SPACES.sub(gap, words)
    return words if len(words) <= SHOWN_MAX else words[: SHOWN_MAX - 1] + "…"
