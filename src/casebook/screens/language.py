"""The language a screen shows, which the app keeps in step with its own.

Screens never reach into the app for it: a screen that follows the language
mixes :class:`Bilingual` in, takes the language it opens in, and is told each
change (the app sets ``lang`` on every such screen of its stack); it answers in
``watch_lang``.
"""

from __future__ import annotations

from dataclasses import dataclass

from textual.message import Message
from textual.reactive import reactive

from casebook.model.format.text import Lang


class Bilingual:
    """Mixin for a screen in the reader's language (English or Chinese)."""

    lang: reactive[Lang] = reactive[Lang]("en", init=False)
    """The language of case text and of the interface on this screen."""


@dataclass
class LanguageChosen(Message):
    """A screen turned to ``lang`` (a search hit in that language opened there): the app
    follows, and every screen with it."""

    lang: Lang
