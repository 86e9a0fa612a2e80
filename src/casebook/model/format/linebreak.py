"""Line breaking for terminal text: where a line may end, and lines that fit a width.

STUB (to be replaced): the signatures are final, the bodies are a first cut.
"""

from __future__ import annotations

from rich.cells import cell_len


def cells(text: str) -> int:
    """The width of ``text`` in terminal cells (wide characters count two)."""
    return cell_len(text)


def wrap_offsets(text: str, width: int) -> list[tuple[int, int]]:
    """The lines of ``text`` that fit ``width`` cells, as (start, end) offsets into it.

    A newline always ends a line (and belongs to no line); spaces at the end of a line
    are left out of it. Empty text is one empty line."""
    lines: list[tuple[int, int]] = []
    start = 0
    for paragraph in text.split("\n"):
        pos = start
        end = start + len(paragraph)
        while True:
            used = 0
            cut = pos
            while cut < end and used + cell_len(text[cut]) <= max(1, width):
                used += cell_len(text[cut])
                cut += 1
            if cut == pos and pos < end:
                cut += 1
            lines.append((pos, cut))
            pos = cut
            while pos < end and text[pos] == " ":
                pos += 1
            if pos >= end:
                break
        start = end + 1
    return lines


def wrap(text: str, width: int) -> list[str]:
    """The lines of ``text`` that fit ``width`` cells."""
    return [text[a:b] for a, b in wrap_offsets(text, width)]
