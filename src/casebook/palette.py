"""The command palette's commands, their titles and help shown as plain text.

Textual's own provider reads each command's title and help as content markup, and
palette titles here carry case names, hooks and filter values: ``Revenue [USD]``
would lose ``[USD]``, ``[@click=app.quit]`` would act when clicked and a ``[link=…]``
could break the palette. This provider offers the same commands (the app's
``get_system_commands``), drawing titles as plain text and escaping the help.

:func:`casebook_commands` makes casebook's own: every action of the app and of the
screen shown, an "Open: …" per entry and a "Filter by …" per value the cases have.
The module is imported when the palette first opens.
"""

from __future__ import annotations

import heapq
from collections.abc import Iterable, Iterator
from functools import partial
from typing import Any

from textual.app import App, SystemCommand
from textual.command import DiscoveryHit, Hit, Hits
from textual.content import Content
from textual.screen import Screen
from textual.system_commands import SystemCommandsProvider

from casebook.actions import APP_ACTIONS, PRESENT_ACTIONS, commands
from casebook.model.format.addresses import INTRO_ID
from casebook.model.format.text import Lang, pick, strip_unsafe
from casebook.model.format.words import t
from casebook.model.load.library import cards
from casebook.screens.explorer import ExplorerScreen
from casebook.screens.present import PresentScreen


def markup_escape(text: str) -> str:
    """``text`` as Textual content markup that shows exactly ``text``.

    Every ``[`` is escaped: the markup parser then sees no tag at all, and turns
    each ``\\[`` back into ``[`` (a backslash before it stays a backslash).
    ``textual.markup.escape`` only escapes what looks like a known tag, so
    ``Revenue [USD]`` still loses ``[USD]``."""
    return strip_unsafe(text).replace("[", "\\[")


MAX_HITS = 50
"""The most commands the palette lists for a query (the best matches)."""

MAX_DISCOVERED = 40
"""A library with more entries (or filter values) than this lists them in the palette
only as the reader types: before that, the palette lists the actions."""


class CasebookCommands(SystemCommandsProvider):
    """The app's commands, matched and highlighted on their plain titles."""

    async def discover(self) -> Hits:
        commands = sorted(self.app.get_system_commands(self.screen), key=lambda c: c.title)
        for command in commands:
            if command.discover:
                title = strip_unsafe(command.title)
                yield DiscoveryHit(
                    Content(title), command.callback, text=title, help=_help(command.help)
                )

    async def search(self, query: str) -> Hits:
        """The best ``MAX_HITS`` commands for ``query``: a large library matches
        thousands, and the palette lays out every hit it is given."""
        matcher = self.matcher(query)
        found = []
        for order, command in enumerate(self.app.get_system_commands(self.screen)):
            title = strip_unsafe(command.title)
            score, offsets = matcher.fuzzy_search.match(matcher.query, title)
            if score > 0:
                found.append((score, -order, title, offsets, command))
        for score, _order, title, offsets, command in heapq.nlargest(MAX_HITS, found):
            shown = Content(title)
            for offset in offsets:
                if not title[offset].isspace():
                    shown = shown.stylize(matcher.match_style, offset, offset + 1)
            yield Hit(score, shown, command.callback, text=title, help=_help(command.help))


def _help(text: str) -> str | None:
    return markup_escape(text) if text else None


_TEXTUAL_WORDS: dict[str, tuple[str, str]] = {
    "Theme": ("theme", "about_theme"),
    "Maximize": ("maximize", "about_maximize"),
    "Minimize": ("minimize", "about_minimize"),
}
"""Textual's own system commands kept, by title: their words in casebook's words. Quit
and Screenshot come from casebook's actions (same keys, same entries); Keys is casebook's
help (``?``), which lists every key in the reader's language."""


def textual_commands(found: Iterable[SystemCommand], lang: Lang) -> Iterator[SystemCommand]:
    """Textual's system commands that casebook keeps, titled in ``lang``."""
    for command in found:
        words = _TEXTUAL_WORDS.get(command.title)
        if words is not None:
            title, about = words
            yield command._replace(title=t(title, lang), help=t(about, lang))


def casebook_commands(app: App[Any], screen: Screen, lang: Lang) -> Iterator[SystemCommand]:
    """The app's actions, and those of ``screen`` with its entries and filters, in ``lang``."""
    yield from commands(app, APP_ACTIONS, lang)
    if isinstance(screen, ExplorerScreen):
        yield from commands(screen, screen.ACTIONS, lang)  # the edition's panes
        yield from _open_commands(screen, lang)
        yield from _filter_commands(screen, lang)
    elif isinstance(screen, PresentScreen):
        yield from commands(screen, getattr(screen, "ACTIONS", PRESENT_ACTIONS), lang)
    else:  # a screen that lists its own actions (the board)
        yield from commands(screen, getattr(screen, "ACTIONS", ()), lang)


def _filter_commands(screen: ExplorerScreen, lang: Lang) -> Iterator[SystemCommand]:
    """'Filter by region: Zhejiang' and the like, one per value the cases have."""
    found = screen.facets
    groups = (
        ("chapter", found.chapters),
        ("industry", found.industries),
        ("region", found.regions),
    )
    discover = sum(len(choices) for _field, choices in groups) <= MAX_DISCOVERED
    for field, choices in groups:
        for choice in choices:
            value = strip_unsafe(pick(choice.label, lang))
            title = t("filter_by", lang, field=t(field, lang), value=value)
            help_text = t("results", lang, n=choice.count)
            choose = partial(screen.set_filter, field, choice.value)
            yield SystemCommand(title, help_text, choose, discover)


def _open_commands(screen: ExplorerScreen, lang: Lang) -> Iterator[SystemCommand]:
    """'Open: <case>' for every entry (titles drawn as plain text: see above)."""
    library = screen.library
    entries = []
    collection = library.collection
    if collection is not None:
        entries.append((INTRO_ID, pick(collection.title, lang), collection.subtitle))
    for card in cards(library.cases):
        names = dict.fromkeys(pick(card.company.name, each) for each in ("en", "zh"))
        entries.append((card.id, " ".join(names), card.hook))
    discover = len(entries) <= MAX_DISCOVERED
    for entry_id, name, hook in entries:
        title = t("open_entry", lang, name=strip_unsafe(name))
        help_text = strip_unsafe(pick(hook, lang))
        yield SystemCommand(title, help_text, partial(screen.open, entry_id), discover)
