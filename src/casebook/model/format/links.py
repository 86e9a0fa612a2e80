"""Web addresses of sources, and of a passage in one: the source's ``url`` with a text
fragment (``#:~:text=start,end``, the WICG "Text Fragments" spec) that opens the page
at the passage and highlights it, in browsers that support it (others open the page).

An address leaves here as plain ASCII: an http(s) address (the case format allows no
other), every character outside printable ASCII and every one that is not a URL's own
(spaces, quotes, angle brackets, backslashes, control characters) percent-encoded. So
it can go into a terminal hyperlink (OSC 8), a Markdown link or an HTML attribute
without ending it early or acting as anything but an address.
"""

from __future__ import annotations

import re
from urllib.parse import quote

from casebook.model.format.case import Passage

_WEB = re.compile(r"https?://[^\s/?#]+")
"""What an address must start with: http:// or https:// and a host (as the format's Url)."""

_KEPT = "!#$%&'()*+,/:;=?@[]"
"""The characters of an address kept as written (besides letters, digits and ``-._~``):
its delimiters, and ``%`` so that what is already encoded stays so."""

FRAGMENT_DIRECTIVE = ":~:"
"""What starts the fragment directive, after the page's own fragment if any."""


def web_address(url: str | None) -> str | None:
    """``url`` as a plain ASCII http(s) address, or None when it is not one."""
    if not url or _WEB.match(url) is None:
        return None
    base, hash_mark, fragment = quote(url, safe=_KEPT).partition("#")
    return base + hash_mark + fragment.replace("#", "%23") if hash_mark else base


def directive_words(words: str) -> str:
    """Words of a text directive, percent-encoded as the spec asks: every character but
    letters, digits and ``._~`` (so ``-``, ``,`` and ``&``, which the directive's syntax
    uses, are encoded too)."""
    return quote(words, safe="").replace("-", "%2D")


def text_directive(passage: Passage) -> str:
    """``text=start,end`` (or ``text=start``) for ``passage``."""
    words = directive_words(passage.start)
    if passage.end is not None:
        words += "," + directive_words(passage.end)
    return "text=" + words


def passage_address(url: str | None, passage: Passage | None) -> str | None:
    """The address that opens ``url`` at ``passage``: the page's address and fragment,
    then ``:~:text=start,end`` (a directive the address already had is replaced). None
    without a passage or an http(s) address."""
    address = web_address(url)
    if address is None or passage is None:
        return None
    base, _, fragment = address.partition("#")
    fragment = fragment.split(FRAGMENT_DIRECTIVE, 1)[0]
    return f"{base}#{fragment}{FRAGMENT_DIRECTIVE}{text_directive(passage)}"
