"""Bilingual text and the rules that keep case text plain data."""

import re
from typing import Annotated, Literal

import msgspec
from msgspec import Meta

Lang = Literal["en", "zh"]
LANGS: tuple[Lang, ...] = ("en", "zh")


class Bilingual(msgspec.Struct, forbid_unknown_fields=True, omit_defaults=True, gc=False):
    """A text written in English and Chinese; either may be missing."""

    en: Annotated[str, Meta(description="In English.")] = ""
    zh: Annotated[str, Meta(description="In Chinese (简体中文).")] = ""

    def __post_init__(self) -> None:
        if not self.en and not self.zh:
            raise ValueError("give the text in en, zh or both")


Text = str | Bilingual
"""A text field: a plain string (same in both languages) or ``{en: ..., zh: ...}``."""

TEXT_HELP = "Every text field is either plain text or {en: ..., zh: ...}."
"""How to write text, for authors: in the schema, the template and the scaffold."""

# C0 controls except tab and newline, DEL, C1 controls, and the bidi
# embedding/override/isolate characters that can make text lie about itself.
UNSAFE_CHARS = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")

_CHAR_NAMES = {"\r": "carriage return", "\x1b": "escape", "\x00": "NUL", "\x7f": "DEL"}


def describe_unsafe(value: str) -> str | None:
    """Name the first unsafe character in ``value``, or None when it is clean."""
    found = UNSAFE_CHARS.search(value)
    if found is None:
        return None
    char = found.group()
    name = _CHAR_NAMES.get(char, f"U+{ord(char):04X}")
    return f"control character {name} is not allowed in text"


def strip_unsafe(value: str) -> str:
    """Remove every unsafe character (for display of text that slipped through)."""
    return UNSAFE_CHARS.sub("", value)


_LINE_BREAKING = re.compile("[\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028-\u202e\u2066-\u2069]")
"""Characters that break a line, restyle a terminal or reorder text: control characters,
line and paragraph separators, and bidirectional marks and overrides."""


def _escape(found: re.Match[str]) -> str:
    return ascii(found.group())[1:-1]


def printable(value: str) -> str:
    """``value`` with unsafe characters written as escapes (newlines and tabs kept)."""
    return UNSAFE_CHARS.sub(_escape, value)


def one_line(value: str) -> str:
    """``value`` as one line that cannot forge lines or styles (file names, report lines):
    every control character written as its escape (``\\n``, ``\\x1b``, ``\\u202e``)."""
    return _LINE_BREAKING.sub(_escape, value)


def pick(text: Text | None, lang: Lang) -> str:
    """The text in ``lang``, falling back to the other language, or ``""``."""
    if text is None:
        return ""
    if isinstance(text, str):
        return text
    other = text.zh if lang == "en" else text.en
    return (text.en if lang == "en" else text.zh) or other


def both(text: Text | None) -> tuple[str, ...]:
    """Every distinct non-empty string a text holds (for search and checks)."""
    if text is None:
        return ()
    if isinstance(text, str):
        return (text,) if text else ()
    return tuple(s for s in dict.fromkeys((text.en, text.zh)) if s)


def missing_langs(text: Text | None) -> tuple[Lang, ...]:
    """The languages a bilingual mapping leaves empty (plain strings miss none)."""
    if text is None or isinstance(text, str):
        return ()
    return tuple(lang for lang in LANGS if not getattr(text, lang))
