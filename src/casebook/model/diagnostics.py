"""Diagnostics: one problem in one file, at a line and column."""

from __future__ import annotations

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
