"""Diagnostics: one problem in one file, at a line and column."""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Literal

import msgspec

Severity = Literal["error", "warning"]


class Diagnostic(msgspec.Struct, frozen=True, order=True):
    """A problem an author can fix, printed as ``path:line:col: message``.

    ``line`` and ``col`` are 1-based; 0 means the problem has no position
    (an unreadable file, say), and the location is then just the path.
    """

    path: str
    line: int
    col: int
    message: str
    severity: Severity = "error"

    @property
    def location(self) -> str:
        if self.line <= 0:
            return self.path
        return f"{self.path}:{self.line}:{max(self.col, 1)}"

    def __str__(self) -> str:
        label = "warning: " if self.severity == "warning" else ""
        return f"{self.location}: {label}{self.message}"


MAX_PER_FILE = 100
"""The most diagnostics kept for one file; a last line says how many more there were."""

MAX_PER_LIBRARY = 5000
"""The most diagnostics a library keeps in all (each file's are capped already)."""

_MORE = re.compile(r"… and (\d+) more problems?\b")


def more(
    count: int, at: Diagnostic | None, severity: Severity = "error", *, limit: int = MAX_PER_FILE
) -> Diagnostic:
    """The line that stands for ``count`` problems left out, placed at ``at`` (the first
    one left out), so that it sorts after the ones kept."""
    noun = "problem" if count == 1 else "problems"
    scope = "of a file" if limit == MAX_PER_FILE else "in all"
    message = f"… and {count} more {noun} (only the first {limit} {scope} are listed)"
    if at is None:
        return Diagnostic("", 0, 0, message, severity)
    return Diagnostic(at.path, at.line, at.col, message, severity)


def left_out(diagnostic: Diagnostic) -> int:
    """How many problems ``diagnostic`` stands for when it is a :func:`more` line (else 0)."""
    found = _MORE.match(diagnostic.message)
    return int(found[1]) if found else 0


def capped(found: Iterable[Diagnostic], limit: int = MAX_PER_FILE) -> list[Diagnostic]:
    """``found`` sorted, cut to ``limit`` diagnostics and a final "… and N more" line.

    "… and N more" lines already in ``found`` are counted in: adding problems to a
    capped list and capping it again keeps one such line, with the right count.
    """
    kept: list[Diagnostic] = []
    summaries: list[Diagnostic] = []
    for diagnostic in found:
        (summaries if left_out(diagnostic) else kept).append(diagnostic)
    extra = sum(left_out(summary) for summary in summaries)
    severity: Severity = "error" if any(s.severity == "error" for s in summaries) else "warning"
    kept.sort()
    if len(kept) <= limit and not extra:
        return kept
    dropped = kept[limit:]
    del kept[limit:]
    if any(d.severity == "error" for d in dropped):
        severity = "error"
    places = [*summaries, *dropped[:1]]
    at = min(places) if places else None
    return [*kept, more(len(dropped) + extra, at, severity, limit=limit)]


def cut(found: list[Diagnostic], limit: int = MAX_PER_LIBRARY) -> list[Diagnostic]:
    """The first ``limit`` of ``found``, in their order, and a last line counting the rest
    (for a whole library, whose files' lists are capped already)."""
    if len(found) <= limit:
        return found
    dropped = found[limit:]
    count = sum(left_out(diagnostic) or 1 for diagnostic in dropped)
    severity: Severity = "error" if any(d.severity == "error" for d in dropped) else "warning"
    return [*found[:limit], more(count, dropped[0], severity, limit=limit)]
