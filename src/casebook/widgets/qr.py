"""A QR code drawn in the terminal: two modules a cell, with half blocks, black on white."""

from __future__ import annotations

import segno
from rich.text import Text

QUIET = 4
"""The quiet zone the QR standard asks for, in modules, all round."""
NARROW_QUIET = 2
"""The quiet zone when the standard one does not fit (most readers still scan it)."""
INK = "#000000 on #ffffff"
"""Dark modules black on white, whatever the terminal's theme: scanners need the contrast."""
_CELLS = {(False, False): " ", (True, False): "▀", (False, True): "▄", (True, True): "█"}
"""A cell for a module above and a module below, dark or not."""


def qr_size(data: str, quiet: int = QUIET) -> tuple[int, int]:
    """The width and height in cells of ``data``'s QR code with a ``quiet`` zone."""
    side = segno.make(data, micro=False).symbol_size(border=quiet)[0]
    return side, (side + 1) // 2


def qr_text(data: str, quiet: int = QUIET) -> Text:
    """``data`` as a QR code, with a ``quiet`` zone of light modules all round."""
    code = segno.make(data, micro=False)
    rows = [[bool(module) for module in row] for row in code.matrix_iter(border=quiet)]
    if len(rows) % 2:
        rows.append([False] * len(rows[0]))
    lines = [
        "".join(_CELLS[top, bottom] for top, bottom in zip(upper, lower, strict=True))
        for upper, lower in zip(rows[::2], rows[1::2], strict=True)
    ]
    return Text("\n".join(lines), style=INK, no_wrap=True, overflow="crop")


def fitting_qr(data: str, height: int) -> Text | None:
    """``data``'s QR code in at most ``height`` lines: with the standard quiet zone if it
    fits, else a narrower one; None when neither fits."""
    for quiet in (QUIET, NARROW_QUIET):
        if qr_size(data, quiet)[1] <= height:
            return qr_text(data, quiet)
    return None
