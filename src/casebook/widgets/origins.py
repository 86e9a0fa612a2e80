"""Where an item comes from, drawn: its outlet (the source's citation), a link that
opens the source at the passage (a terminal hyperlink, OSC 8), and the passage in the
source's own words, dim and quoted, marked as the source's.

The passage's words come from the author's local copy of the source, not from the case:
they are drawn as plain text here, never through :func:`casebook.widgets.render.plain`
(whose strings are case text, which search finds).
"""

from __future__ import annotations

from rich.console import RenderableType
from rich.padding import Padding
from rich.style import Style
from rich.text import Text

from casebook.model.format.text import Lang, strip_unsafe
from casebook.model.format.words import t
from casebook.model.views.origins import Origin
from casebook.widgets.flow import Flow
from casebook.widgets.render import citation, labelled

QUOTE_STYLE = "dim italic"
"""The style of the source's own words."""


def link(address: str, lang: Lang) -> Text:
    """'↗ open at the passage', a hyperlink to ``address`` (an ASCII http(s) address,
    see :mod:`casebook.model.format.links`)."""
    return Text(t("open_passage", lang), style=Style(underline=True, link=address))


def outlet(origin: Origin, lang: Lang, *, with_link: bool = True) -> Flow:
    """'Source: <citation>', dimmed, then the link when the source has an address."""
    cited = citation(origin.source, lang)
    cited.stylize("dim")
    if with_link and origin.address is not None:
        cited.append("  ")
        cited.append_text(link(origin.address, lang))
    return labelled(t("source", lang), cited)


def source_words(origin: Origin, lang: Lang) -> Flow | None:
    """'In the source's words: “…”', dim and quoted; None when the words are not at hand."""
    if origin.words is None:
        return None
    quoted = Text(f"“{strip_unsafe(origin.words)}”", style=QUOTE_STYLE)
    return labelled(t("source_words", lang), quoted)


def indented(line: RenderableType, by: int = 2) -> Padding:
    """``line`` indented by ``by`` cells, wrapped lines too (under a bullet)."""
    return Padding(line, (0, 0, 0, by))


def origin_lines(
    origin: Origin | None, lang: Lang, *, with_outlet: bool = True
) -> list[RenderableType]:
    """The lines that say where an item comes from: its outlet (or, without it, the link
    alone) and the passage's words; none when it has no origin."""
    if origin is None:
        return []
    lines: list[RenderableType] = []
    if with_outlet:
        lines.append(outlet(origin, lang))
    elif origin.address is not None:
        lines.append(link(origin.address, lang))
    words = source_words(origin, lang)
    if words is not None:
        lines.append(words)
    return lines
