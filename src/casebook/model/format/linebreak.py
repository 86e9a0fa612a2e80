"""Line breaking for terminal text: where a line may end, and lines that fit a width.

Break opportunities follow Unicode line breaking (UAX #14, by ``uniseg``), tailored by the
W3C "Requirements for Chinese Text Layout": no line starts with closing punctuation or
ends with opening punctuation, and a number stays with its unit ("12%", "1500多家", "3.4米").
As terminals always have, Latin text breaks at spaces only: a word, a number, an address
or "and/or" is never split (unless wider than the line).

``uniseg`` is exact but slow (tens of microseconds a character), so a text is cut into
chunks at places where the rules are known to allow a break and look no further back, and
each chunk is worked out on a stand-in string (every character replaced by one with the
same line-breaking properties) whose answer is cached: Chinese and English repeat the
same few shapes. A paragraph that fits its width is one line, found without them; ``uniseg``
is imported when a text first needs them (see ``_import_uniseg``).
"""

from __future__ import annotations

import re
import sys
from bisect import bisect_left, bisect_right
from functools import lru_cache
from itertools import accumulate

from rich.cells import cell_len, get_character_cell_size

CLOSING = frozenset(
    "，。、；：？！）》」』】〉〕〗〙〛〞”’．％：；｝］｠｣ー々〻ゝゞ・,.;:?!)]}%‰℃°′″"
)
"""Characters that never start a line."""

OPENING = frozenset("（《「『【〈〔〖〘〚〝“‘［｛｟｢([{¥￥$£€")
"""Characters that never end a line: opening punctuation and currency signs."""

_CLOSING = re.compile("[" + re.escape("".join(sorted(CLOSING))) + "]")
_AFTER_CLOSING = re.compile(
    "["
    + re.escape("，。、；：？！）》」』】〉〕〗〙〛〞］｝｠｣")
    + "](?=[^"
    + re.escape("".join(sorted(CLOSING)))
    + "\\s…‥—])"
)
"""Chinese closing punctuation before a new word: a line may always break there (UAX #14
would keep "、−12%" or "，¥300" together, as if the comma closed the number before)."""
_OPENING = re.compile("[" + re.escape("".join(sorted(OPENING))) + "] *")

_SPECIAL = frozenset("\u2010\u25cc")
"""Characters uniseg's rules name one by one: they stand for themselves."""

_STAND_IN: dict[int, str] = {}
"""A character's stand-in: the first character seen with its line-breaking properties."""

_CODE: dict[int, str] = {}
"""A character's code for finding chunk cuts: I(deograph), A(lphabetic, or ambiguous:
UAX #14's LB1 takes AI as AL), S(pace), C(losing: breaks before I and A), N(umeric) and
Q (a postfix such as %: both break before I), P(unctuation: an infix separator or
closing parenthesis, breaks after spaces), O(pening) and B (a dash such as "—": both may
start a line after spaces), or '.'."""

_BY_PROPERTIES: dict[tuple[object, ...], str] = {}

_REPEATS: set[str] = set()
"""Stand-ins of letters and digits (classes AL and NU): never a break between two of
them (UAX #14's LB28 and LB25), so a run of three or more works out as two."""

_RUN = re.compile(r"(.)\1\1+")
"""Three or more of one character."""
_CODES = {"ID": "I", "AL": "A", "SP": "S", "CL": "C", "EX": "C", "NS": "C", "NU": "N", "PO": "Q"}
_CODES.update(AI="A", IS="P", CP="P", OP="O", B2="B")

_CUT = re.compile(r"[IACNPQ]S+(?=[IANQOB])|BS+(?=[IANQO])|[IACNQ](?=I)|[IC](?=A)")
"""Ends just before a character where UAX #14 allows a break whatever came earlier
(after spaces, LB18, unless what came before them was opening punctuation, a quote, or
a dash before a dash: LB14-17)."""

_WORD = re.compile("O?(?:A+|N+Q?)P?S*|[BQ]S*")
"""Maybe an opening bracket, then letters, or digits and maybe a postfix; then maybe a
comma, full stop or closing parenthesis, and spaces. Or a dash or a postfix, then
spaces. No break inside, whatever is around (UAX #14's LB14, LB28, LB25, LB13, LB15d
and LB7)."""

# The next two are compiled (by ``re``, which keeps them) when first used: their wide
# character ranges take milliseconds to compile, which start-up need not wait for.
_NUMBER_UNIT = r"\d+(?:[.,．]\d+)*[万亿千百十多余几来]*[\u3400-\u9fff]?"
"""A number with what goes with it in Chinese: "1500多家", "3.4米", "2019年"."""

_LATIN_RUN = r"[^\s\u2e80-\U0010ffff]{2,}"
"""Characters before the CJK blocks, no spaces between: a word, a number, an address."""

_MEMO = 512
"""How many texts' break opportunities are kept."""


def cells(text: str) -> int:
    """The width of ``text`` in terminal cells (wide characters count two)."""
    return cell_len(text)


def cells_once(text: str) -> int:
    """:func:`cells` of a text measured once (thousands of events' words): Rich keeps
    each text it measures in a cache of 4,096, which such texts would fill (a megabyte)
    with what is never measured again."""
    if text.isascii() and text.isprintable():
        return len(text)
    return sum(map(get_character_cell_size, text))


def _import_uniseg() -> None:
    """Make ``uniseg``'s modules importable without running its package ``__init__``,
    which only reads the package's version through ``importlib.metadata``: that import
    brings in ``email``, ``zipfile`` and ``csv``: 1.5 MiB (4% of a bare Textual app's
    memory) and 25–30 ms (measured), and nothing here needs the version."""
    if "uniseg" not in sys.modules:
        import importlib.util

        spec = importlib.util.find_spec("uniseg")
        if spec is not None:  # else the import below says uniseg is missing
            sys.modules.setdefault("uniseg", importlib.util.module_from_spec(spec))


def _learn(text: str) -> None:
    """Give every character of ``text`` a stand-in and a code."""
    _import_uniseg()
    from uniseg.emoji import extended_pictographic
    from uniseg.linebreak import line_break
    from uniseg.unicodedatawrapper import category, east_asian_width

    for char in [c for c in set(text) if ord(c) not in _STAND_IN]:
        point = ord(char)
        kind = line_break(char)
        properties = (
            char if char in _SPECIAL else None,
            kind,
            category(char),
            east_asian_width(char),
            extended_pictographic(char),
        )
        _STAND_IN[point] = stand_in = _BY_PROPERTIES.setdefault(properties, char)
        _CODE[point] = _CODES.get(kind.name, ".")
        if kind.name in ("AL", "NU"):
            _REPEATS.add(stand_in)


@lru_cache(maxsize=4096)
def _chunk_breaks(stand_in: str, size: int) -> tuple[int, ...]:
    """Offsets inside a chunk of ``size`` characters where UAX #14 allows a break
    (``stand_in`` may go on with the next chunk's first character, to look ahead). Asked
    after ``_learn``, which has imported ``uniseg``."""
    from uniseg.linebreak import line_break_breakables

    flags = list(line_break_breakables(stand_in))
    return tuple(i for i in range(1, size) if flags[i])


def uax14_breaks(text: str) -> set[int]:
    """The offsets in ``text`` before which UAX #14 allows a break (as ``uniseg`` finds
    them, worked out chunk by chunk)."""
    _learn(text)
    stand_in = text.translate(_STAND_IN)
    codes = text.translate(_CODE)
    cuts = [match.end() for match in _CUT.finditer(codes)]
    found = set(cuts)
    start = 0
    for cut in [*cuts, len(text)]:
        if cut - start > 1 and not _WORD.fullmatch(codes, start, cut):
            chunk, offsets = _shortened(stand_in[start : cut + 1])
            size = bisect_left(offsets, cut - start)
            found.update(start + offsets[i] for i in _chunk_breaks(chunk, size))
        start = cut
    return found


def _shortened(chunk: str) -> tuple[str, list[int]]:
    """``chunk`` with each run of three or more of one letter or digit cut to two (the
    same breaks, and fewer shapes to ask ``uniseg`` about: it takes about a millisecond
    a chunk), and where each character kept was in ``chunk``."""
    kept = list(range(len(chunk)))
    for run in _RUN.finditer(chunk):
        if run.group(1) in _REPEATS:
            kept[run.start() + 2 : run.end()] = [-1] * (run.end() - run.start() - 2)
    offsets = [offset for offset in kept if offset >= 0]
    if len(offsets) == len(chunk):
        return chunk, offsets
    return "".join(chunk[offset] for offset in offsets), offsets


def warm_up() -> None:
    """Import ``uniseg`` and go once through the breaker, ahead of the first text that
    needs it (14–15 ms; the first compare table paid it): the app calls it in a thread
    once its first screen is drawn.
    Safe beside a breaker at work: what it learns, it learns the same way. The tailoring's
    patterns are compiled here too (6 ms)."""
    for text in WARM_UP_TEXTS:
        opportunities(text)


WARM_UP_TEXTS = (
    "Warm-up: 2,000 cases, 12% (est.)；预热，“专精特新”。",
    "Sales 1,200 → 3,400 t (<−12,5%) in 2019-2021, a well-known 3 d rise: 4.5x / 7%",
    "营收从1.2亿元增至3.4亿元（增长约12%），2021年—2022年，近300家、超过50%。",
)
"""Shapes of text that business cases hold in both languages (figures, changes,
ranges), worked out by the warm-up ahead of the first screen that wraps them."""


@lru_cache(maxsize=_MEMO)
def opportunities(text: str) -> tuple[int, ...]:
    """The offsets in ``text`` (one line of it: no newlines) before which a line may start."""
    if len(text) < 2:
        return ()
    found = uax14_breaks(text)
    found.update(match.end() for match in _AFTER_CLOSING.finditer(text))
    found.difference_update(match.start() for match in _CLOSING.finditer(text))
    found.difference_update(match.end() for match in _OPENING.finditer(text))
    for pattern in (_NUMBER_UNIT, _LATIN_RUN):
        for match in re.finditer(pattern, text):
            found.difference_update(range(match.start() + 1, match.end()))
    return tuple(sorted(found))


def _widths(text: str) -> list[int]:
    """Cells used by text[:i] for every i."""
    if text.isascii():
        return list(range(len(text) + 1))
    return [0, *accumulate(map(get_character_cell_size, text))]


def _poor_cut(text: str, end: int) -> bool:
    """A cut at ``end`` (inside the text) would end a line with opening punctuation, or
    start the next one with closing punctuation (spaces aside)."""
    before, after = end, end
    while before > 1 and text[before - 1] == " ":
        before -= 1
    while after < len(text) and text[after] == " ":
        after += 1
    return text[before - 1] in OPENING or (after < len(text) and text[after] in CLOSING)


def _paragraph(text: str, base: int, width: int, lines: list[tuple[int, int]]) -> None:
    """Append the lines of one paragraph (no newlines) starting at ``base`` to ``lines``."""
    used = _widths(text)
    if used[-1] <= width:  # the whole paragraph fits: one line, no breaks to look for
        lines.append((base, base + len(text.rstrip(" "))))
        return
    breaks = opportunities(text)
    size = len(text)
    start = 0
    while True:
        rest = text[start:].rstrip(" ")
        if used[start + len(rest)] - used[start] <= width:
            lines.append((base + start, base + start + len(rest)))
            return
        fits = bisect_right(used, used[start] + width) - 1  # text[start:fits] fits
        nxt = bisect_left(breaks, fits + 1)
        end = breaks[nxt] if nxt < len(breaks) else size
        if text[fits:end].strip(" "):  # more than spaces beyond the fit: break earlier
            before = bisect_right(breaks, fits) - 1
            end = breaks[before] if before >= 0 and breaks[before] > start else -1
            if end > 0 and not text[start:end].strip(" "):  # an indent and too long a word
                start = end
                continue
        if end < 0:  # one unit wider than the line: cut it by cells, between punctuation
            end = max(fits, start + 1)
            while end > start + 1 and _poor_cut(text, end):
                end -= 1
        line = text[start:end].rstrip(" ")
        lines.append((base + start, base + start + len(line)))
        start = end
        while start < size and text[start] == " ":
            start += 1
        if start >= size:
            return


def wrap_offsets(text: str, width: int) -> list[tuple[int, int]]:
    """The lines of ``text`` that fit ``width`` cells, as (start, end) offsets into it.

    A newline always ends a line (and belongs to no line); spaces at the end of a line
    are left out of it. Empty text is one empty line."""
    width = max(1, width)
    lines: list[tuple[int, int]] = []
    base = 0
    for paragraph in text.split("\n"):
        _paragraph(paragraph, base, width, lines)
        base += len(paragraph) + 1
    return lines


def wrap(text: str, width: int) -> list[str]:
    """The lines of ``text`` that fit ``width`` cells."""
    return [text[a:b] for a, b in wrap_offsets(text, width)]
