"""What comes in, checked: names and answers (the live class), Host and Origin headers
(the live class and `casebook serve`), and the pace of a connection's messages."""

from __future__ import annotations

import ipaddress
import re
import socket
import time
import unicodedata
from collections.abc import Callable

from casebook.model.classroom.protocol import MAX_ANSWER, MAX_NAME

_NAME_DROPPED = re.compile(
    "[\x00-\x1f\x7f-\x9f\u061c\u200b-\u200f\u2028-\u202e\u2060-\u206f\ufeff]"
)
"""Removed from names: control characters, line and paragraph separators, zero-width
characters and bidirectional marks, overrides and isolates."""
_ANSWER_DROPPED = re.compile(
    "[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]"
)
"""Removed from answers: the same, except tabs and newlines (an answer may have lines)."""
_HOST_HEADER = re.compile(r"(\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9.-]+)(:[0-9]{1,5})?")


def clean_name(raw: str) -> str | None:
    """A name as the class shows it (NFKC, one line, spaces collapsed, controls and
    bidi marks gone), or None when nothing of 1 to MAX_NAME characters is left."""
    spaced = unicodedata.normalize("NFKC", raw).replace("\t", " ")
    name = " ".join(_NAME_DROPPED.sub("", spaced).split())
    return name if 1 <= len(name) <= MAX_NAME else None


def clean_answer(raw: str) -> str | None:
    """An answer with controls and bidi marks gone, trimmed; None when it is longer than
    MAX_ANSWER characters."""
    answer = _ANSWER_DROPPED.sub("", raw.replace("\r\n", "\n")).strip()
    return answer if len(answer) <= MAX_ANSWER else None


def _address(name: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    try:
        return ipaddress.ip_address(name.strip("[]"))
    except ValueError:
        return None


def is_loopback(host: str) -> bool:
    """Whether binding ``host`` keeps the server to this machine."""
    address = _address(host)
    return host.lower() == "localhost" or (address is not None and address.is_loopback)


def is_wildcard(host: str) -> bool:
    """Whether binding ``host`` listens on every interface."""
    address = _address(host)
    return host == "" or (address is not None and address.is_unspecified)


def host_allowed(header: str | None, bind: str) -> bool:
    """Whether a Host header names this server as bound to ``bind``: loopback, only
    localhost and loopback addresses; every interface, any address or this machine's
    name; else that name or address. A DNS-rebinding page comes with its own name."""
    match = _HOST_HEADER.fullmatch(header or "")
    if match is None:
        return False
    name = match.group(1).strip("[]").lower()
    address = _address(name)
    if is_wildcard(bind):
        return address is not None or name in ("localhost", socket.gethostname().lower())
    if is_loopback(bind):
        return name == "localhost" or (address is not None and address.is_loopback)
    bound = _address(bind)
    return address == bound if bound is not None else name == bind.lower()


def origin_allowed(origin: str | None, host: str) -> bool:
    """Whether a websocket's Origin is the join page this server served at ``host``
    (no Origin: not a browser, and it still needs the class code)."""
    if origin is None:
        return True
    scheme, _, rest = origin.partition("://")
    return scheme.lower() in ("http", "https") and rest.lower() == host.lower()


class TokenBucket:
    """At most ``rate`` messages a second on average, ``burst`` at once."""

    def __init__(
        self, rate: float, burst: int, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self.rate, self.burst = rate, float(burst)
        self._clock = clock
        self._tokens = float(burst)
        self._at = clock()

    def take(self) -> bool:
        """Whether one more message may pass now."""
        now = self._clock()
        self._tokens = min(self.burst, self._tokens + (now - self._at) * self.rate)
        self._at = now
        if self._tokens < 1:
            return False
        self._tokens -= 1
        return True
