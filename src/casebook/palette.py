"""The command palette's commands, their titles and help shown as plain text.

Textual's own provider reads each command's title and help as content markup, and
palette titles here carry case names, hooks and filter values: ``Revenue [USD]``
would lose ``[USD]``, ``[@click=app.quit]`` would act when clicked and a ``[link=…]``
could break the palette. This provider offers the same commands (the app's
``get_system_commands``), drawing titles as plain text and escaping the help.
"""

from __future__ import annotations

from textual.command import DiscoveryHit, Hit, Hits
from textual.content import Content
from textual.system_commands import SystemCommandsProvider

from casebook.model.format.text import strip_unsafe


def markup_escape(text: str) -> str:
    """``text`` as Textual content markup that shows exactly ``text``.

    Every ``[`` is escaped: the markup parser then sees no tag at all, and turns
    each ``\\[`` back into ``[`` (a backslash before it stays a backslash).
    ``textual.markup.escape`` only escapes what looks like a known tag, so
    ``Revenue [USD]`` still loses ``[USD]``."""
    return strip_unsafe(text).replace("[", "\\[")


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
        matcher = self.matcher(query)
        for command in self.app.get_system_commands(self.screen):
            title = strip_unsafe(command.title)
            score, offsets = matcher.fuzzy_search.match(matcher.query, title)
            if score > 0:
                shown = Content(title)
                for offset in offsets:
                    if not title[offset].isspace():
                        shown = shown.stylize(matcher.match_style, offset, offset + 1)
                yield Hit(score, shown, command.callback, text=title, help=_help(command.help))


def _help(text: str) -> str | None:
    return markup_escape(text) if text else None


def provider() -> type[CasebookCommands]:
    """The provider class, for ``App.COMMANDS`` (imported when the palette first opens)."""
    return CasebookCommands
