"""Opening a file in the user's editor at a line, for the problems panel."""

from __future__ import annotations

import os
import shlex
from collections.abc import Mapping
from pathlib import Path

_PLUS_LINE = {
    *("vi", "vim", "nvim", "view", "gvim", "nano", "emacs", "emacsclient"),
    *("micro", "kak", "joe", "ne", "mcedit", "jed", "mg"),
}
_DOUBLE_DASH = {"vi", "vim", "nvim", "view", "gvim", "nano", "emacs", "emacsclient"}
"""Editors that take ``--`` (the end of options) after ``+LINE`` and before the file.
Others (micro, mg: Go's flag package, BSD getopt) would open a file named ``--``."""
_PATH_LINE_COL = {"hx", "helix", "subl", "sublime_text"}
_GOTO_FLAG = {"code", "code-insiders", "codium", "vscodium", "cursor"}


def editor_command(
    path: Path, line: int = 0, col: int = 0, environ: Mapping[str, str] | None = None
) -> list[str] | None:
    """The command that opens ``path`` at ``line``:``col`` in $VISUAL or $EDITOR, if one is set.

    Editors known to take a position get it; any other editor just opens the file. The
    file is always given as an absolute path, so no file name (``+!cmd``, ``-c...``)
    can read as an option or a command, and editors known to accept ``--`` get it
    before the file as well.
    """
    environ = os.environ if environ is None else environ
    setting = environ.get("VISUAL") or environ.get("EDITOR")
    if not setting or not setting.strip():
        return None
    command = shlex.split(setting)
    name = Path(command[0]).name
    target = str(Path(path).absolute())  # starts with "/" or a drive: never an option
    end = ["--"] if name in _DOUBLE_DASH else []
    if line <= 0:
        return [*command, *end, target]
    if name in _PLUS_LINE:
        return [*command, f"+{line}", *end, target]
    if name in _PATH_LINE_COL:
        return [*command, f"{target}:{line}:{max(col, 1)}"]
    if name in _GOTO_FLAG:
        return [*command, "-g", f"{target}:{line}:{max(col, 1)}"]
    return [*command, target]
