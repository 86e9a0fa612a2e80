"""The comments of the files ``casebook new`` writes, from the model's field descriptions.

A field's comment is the first sentence of its description (as the schema gives it to
editors), without its full stop and starting in lower case: the template, the scaffold
and the schema never describe a field in different words.
"""

from __future__ import annotations

import re
import textwrap
import unicodedata

from casebook.model.format.schema import field_docs

COMMENT_COLUMN = 36
"""Where a comment after a field starts."""
WIDTH = 100
"""A line with its comment no wider than this; a longer comment goes above its field."""

_SENTENCE_END = re.compile(r"(?<!\.)(?<!e\.g)(?<!i\.e)\.(?!\.)(?:\s|$)")
"""A full stop that ends a sentence (not one of an ellipsis, nor of "e.g." or "i.e.")."""


def _width(text: str) -> int:
    """Terminal cells: Chinese characters take two."""
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def comment(key: str) -> str:
    """The comment for field ``key`` ("Metric.unit"): its description's first sentence."""
    description = field_docs()[key]
    if not description:
        raise KeyError(f"{key} has no description in the model")
    first = _SENTENCE_END.split(description, maxsplit=1)[0].strip()
    if first[:1].isupper() and first[1:2].islower():
        first = first[0].lower() + first[1:]
    return first


def commented(line: str, key: str) -> list[str]:
    """``line`` with the comment of field ``key``: after it at :data:`COMMENT_COLUMN` when
    it fits in :data:`WIDTH`, else wrapped on lines of its own above it."""
    text = comment(key)
    # Two or more spaces before '#': one space would read as part of the text.
    beside = line + " " * max(0, COMMENT_COLUMN - 2 - _width(line)) + "  # " + text
    if _width(beside) <= WIDTH:
        return [beside]
    indent = " " * (len(line) - len(line.lstrip(" ")))
    above = textwrap.wrap(text, WIDTH - len(indent) - 2)
    return [*(f"{indent}# {part}" for part in above), line]
