"""Provenance: each figure, event and saying checked against its source's own text.

A case never copies its source: an item points into it the way a browser's text
fragment (``#:~:text=start,end``) points into a page, by a few of the source's words
(:class:`~casebook.model.format.case.Passage`). The source's text is a file an author
keeps outside the project, named on the command line (``--source ID=PATH``) or found in
a folder (``CASEBOOK_SOURCES``, one ``ID.txt`` per source). With it at hand:

- a passage's start words are found exactly once in the text, and its end words after
  them in the same paragraph (paragraphs are parted by blank lines);
- every number of a figure (value, before, after, the ends of a range) is in its
  passage, in any of the usual forms: 1500, 1,500, 1500多, 1.6亿 (160,000,000),
  1.46万 (14,600), 70%, 1.6 million; simple Chinese numerals (四项, 第一, 五成 = 50%,
  一半 = half) are read too, as a help, not a promise.

Words are matched exactly, as text (never as a pattern), with ``str.find`` in C: each
distinct start costs at most two scans of the text, each end a scan of the rest of its
paragraph. The numbers of a text are read once, in one pass, and only the numbers that
figures ask for are kept; a figure's numbers are then looked up, not searched for.
"""

from __future__ import annotations

import bisect
import os
import re
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import TYPE_CHECKING

from casebook.model.format.case import SLUG_PATTERN, Document, Metric, Passage
from casebook.model.format.figures import amount
from casebook.model.format.text import one_line
from casebook.model.load.diagnostics import capped
from casebook.model.load.safe_files import read_regular
from casebook.model.load.validate import PassageSite, Problem, passage_sites

if TYPE_CHECKING:
    from casebook.model.load.library import Library

SOURCE_MAX_BYTES = 4 * 1024 * 1024
"""The largest source text read (4 MiB): an article or a report, not a library."""

ENV_SOURCES = "CASEBOOK_SOURCES"
"""The environment variable naming a folder of source texts, ``ID.txt`` each."""

SOURCE_SUFFIX = ".txt"


class SourceError(Exception):
    """A source text that cannot be used (missing, not a regular file, too large, not
    UTF-8), or a ``--source`` that is not ``ID=PATH``; the message says which and why."""


# -- reading --------------------------------------------------------------------------


def read_source(path: Path) -> str:
    """The text of a source file: a regular file of at most :data:`SOURCE_MAX_BYTES`,
    UTF-8 (a BOM allowed), with its line ends made ``\\n``."""
    try:
        data = read_regular(path, SOURCE_MAX_BYTES)
    except FileNotFoundError:
        raise SourceError(f"{path}: no such source text") from None
    except OSError as error:
        why = error.strerror or str(error).removeprefix(f"{path}: ")
        raise SourceError(f"{path}: cannot read this source text ({why})") from None
    try:
        text = data.removeprefix(b"\xef\xbb\xbf").decode("utf-8")
    except UnicodeDecodeError as error:
        raise SourceError(
            f"{path}: not UTF-8 text (byte {error.start}); save the source text as UTF-8"
        ) from None
    return text.replace("\r\n", "\n").replace("\r", "\n")


def parse_source_option(value: str) -> tuple[str, Path]:
    """``ID=PATH`` as given to ``--source``: the source's id and its text file."""
    source_id, equals, path = value.partition("=")
    source_id = source_id.strip()
    if not equals or not path:
        raise SourceError(f"--source {value!r}: give ID=PATH, e.g. article=article.txt")
    if not re.fullmatch(SLUG_PATTERN, source_id):
        raise SourceError(
            f"--source {value!r}: {source_id!r} is not a source id "
            "(lower-case letters, digits and hyphens)"
        )
    return source_id, Path(path)


@dataclass
class Sources:
    """Where the source texts are: files named by id, then a folder of ``ID.txt``.

    A text is read when first asked for, and once; a source with no text at hand is
    None (its passages are then checked for form only).
    """

    files: dict[str, Path] = field(default_factory=dict)
    folder: Path | None = None
    _read: dict[str, SourceText | None] = field(default_factory=dict, repr=False)

    @classmethod
    def from_options(
        cls, options: Iterable[str] = (), environ: Mapping[str, str] | None = None
    ) -> Sources:
        """The texts ``--source ID=PATH`` options name (a later one wins), and the folder
        ``CASEBOOK_SOURCES`` names. Raises :class:`SourceError` for a malformed option,
        a named file that does not exist, or a folder that is not one."""
        environ = os.environ if environ is None else environ
        files = dict(parse_source_option(option) for option in options)
        for source_id, path in files.items():
            if not path.exists() and not path.is_symlink():
                raise SourceError(f"--source {source_id}={path}: no such file")
        folder_name = environ.get(ENV_SOURCES, "").strip()
        folder = Path(folder_name) if folder_name else None
        if folder is not None and not folder.is_dir():
            raise SourceError(f"{ENV_SOURCES}={folder}: no such folder")
        return cls(files, folder)

    def path(self, source_id: str) -> Path | None:
        """The file that holds the text of ``source_id``, if any."""
        if source_id in self.files:
            return self.files[source_id]
        if self.folder is not None and re.fullmatch(SLUG_PATTERN, source_id):
            candidate = self.folder / f"{source_id}{SOURCE_SUFFIX}"
            if candidate.exists() or candidate.is_symlink():
                return candidate
        return None

    def text(self, source_id: str) -> SourceText | None:
        """The text of ``source_id``, read once; None when none is at hand. Raises
        :class:`SourceError` when its file cannot be read."""
        if source_id not in self._read:
            path = self.path(source_id)
            found = None if path is None else SourceText(source_id, read_source(path), path)
            self._read[source_id] = found
        return self._read[source_id]


# -- numbers --------------------------------------------------------------------------

_FULL_WIDTH_DIGITS = str.maketrans("０１２３４５６７８９", "0123456789")
_CN_DIGITS = {
    c: n
    for n, chars in enumerate(("零〇", "一", "二两兩", "三", "四", "五", "六", "七", "八", "九"))
    for c in chars
}
_CN_SMALL = {"十": 10, "百": 100, "千": 1000}
_CN_LARGE = {"万": 10**4, "萬": 10**4, "亿": 10**8, "億": 10**8}
_SCALES = {
    "万亿": Decimal(10**12),
    "萬億": Decimal(10**12),  # traditional characters read as the simplified ones
    "亿": Decimal(10**8),
    "億": Decimal(10**8),
    "万": Decimal(10**4),
    "萬": Decimal(10**4),
    "千": Decimal(1000),
    "百": Decimal(100),
    "成": Decimal(10),  # 五成: five tenths, 50%
    "thousand": Decimal(1000),
    "million": Decimal(10**6),
    "billion": Decimal(10**9),
}
_NUMBER = re.compile(
    r"(?P<arabic>[0-9]+(?:,[0-9]{3})*(?:\.[0-9]+)?)"
    r"(?:(?P<scale>万亿|萬億|亿|億|万|萬|千|百|成)|[ \u00a0]?(?P<word>thousand|million|billion)\b)?"
    r"|(?P<chinese>[零〇一二两兩三四五六七八九十百千万萬亿億]+)(?P<tenths>成)?"
    r"|(?P<half>半|\bhalf\b)",
    re.IGNORECASE,
)
"""A number as a text writes it; each match is one number, read by :func:`_values`.
Every part is a plain run or a choice of fixed words: the search never backtracks far."""

_HALF = (Decimal("0.5"), Decimal(50))


def chinese_numeral(run: str) -> int:
    """The value of a run of Chinese numerals: 四 4, 十二 12, 一千五百 1500, 两万 20000,
    二〇二二 2022 (digit by digit). Lenient: any run gives a number."""
    total = section = number = 0
    digit_before = False
    for char in run:
        if char in _CN_DIGITS:
            value = _CN_DIGITS[char]
            number = number * 10 + value if digit_before else value
            digit_before = True
            continue
        digit_before = False
        if char in _CN_SMALL:
            section += (number or 1) * _CN_SMALL[char]
        elif _CN_LARGE[char] == 10**4:  # 万 (萬)
            total += (section + number) * _CN_LARGE[char]
            section = 0
        else:  # 亿 (億)
            total = (total + section + number) * _CN_LARGE[char]
            section = 0
        number = 0
    return total + section + number


def _values(found: re.Match[str]) -> tuple[Decimal, ...]:
    """The values a number of a text may stand for: itself, and scaled by its word
    (1.6亿 is 1.6 and 160,000,000; 五成 is 5 and 50, as a percentage)."""
    if found["arabic"] is not None:
        try:
            value = Decimal(found["arabic"].replace(",", ""))
        except InvalidOperation:  # pragma: no cover - the pattern admits only numbers
            return ()
        scale = found["scale"] or (found["word"] or "").lower()
        return (value, value * _SCALES[scale]) if scale else (value,)
    if found["chinese"] is not None:
        value = Decimal(chinese_numeral(found["chinese"]))
        return (value, value * 10) if found["tenths"] else (value,)
    return _HALF


def numbers_in(text: str) -> Iterator[tuple[re.Match[str], tuple[Decimal, ...]]]:
    """Every number of ``text`` as the checks read it, in order, with the values it may
    stand for (see :func:`_values`). The matches are of ``text`` with full-width digits
    made ASCII: the same places, and ``text[found.start():found.end()]`` is the number as
    the text writes it."""
    for found in _NUMBER.finditer(text.translate(_FULL_WIDTH_DIGITS)):
        yield found, _values(found)


def as_decimal(number: float) -> Decimal:
    """A figure's number as the decimal an author wrote (7.29, not 7.2899999...)."""
    return Decimal(number) if isinstance(number, int) else Decimal(repr(float(number)))


def figure_numbers(metric: Metric) -> list[tuple[str, int | float]]:
    """Every number of a figure, named: value, before, after and the ends of ranges."""
    numbers: list[tuple[str, int | float]] = []
    for name in ("value", "before", "after"):
        quantity = getattr(metric, name)
        if quantity is None:
            continue
        item = amount(quantity)
        numbers.append((name, item.value))
        if item.to is not None:
            numbers.append((f"{name} (to)" if name != "value" else "to", item.to))
    return numbers


# -- one source text ------------------------------------------------------------------

_BLANK_LINE = re.compile(r"\n[^\S\n]*\n")


class _Many:
    """Found more than once."""


MANY = _Many()


@dataclass(frozen=True)
class Span:
    """Where a passage is in its source text: ``text[begin:end]``."""

    begin: int
    end: int


class SourceText:
    """One source's text, with what checks ask of it (found once, then remembered)."""

    def __init__(self, source_id: str, text: str, path: Path | None = None) -> None:
        self.source_id, self.text, self.path = source_id, text, path
        self._starts: dict[str, int | _Many | None] = {}
        self._breaks: list[int] | None = None
        self._numbers: dict[Decimal, list[int]] = {}
        self._read_numbers: frozenset[Decimal] = frozenset()

    def find_once(self, words: str) -> int | _Many | None:
        """Where ``words`` are in the text if they are there exactly once (overlaps
        count); :data:`MANY` when more than once; None when not at all."""
        if words not in self._starts:
            first = self.text.find(words)
            if first < 0:
                found: int | _Many | None = None
            else:
                found = first if self.text.find(words, first + 1) < 0 else MANY
            self._starts[words] = found
        return self._starts[words]

    def paragraph_end(self, position: int) -> int:
        """Where the paragraph holding ``position`` ends (a blank line, or the end)."""
        if self._breaks is None:
            self._breaks = [found.start() for found in _BLANK_LINE.finditer(self.text)]
        index = bisect.bisect_left(self._breaks, position)
        return self._breaks[index] if index < len(self._breaks) else len(self.text)

    def resolve(self, passage: Passage) -> Span | str:
        """The span of ``passage`` in the text, or why it has none (a message that names
        the field at fault first: ``start: ...`` or ``end: ...``)."""
        start = self.find_once(passage.start)
        if start is None:
            return f"start: {passage.start!r} is not in the text of source {self.source_id!r}"
        if isinstance(start, _Many):
            return (
                f"start: {passage.start!r} is found more than once in the text of source "
                f"{self.source_id!r}; take more words, or rarer ones, to find one place"
            )
        after = start + len(passage.start)
        if passage.end is None:
            return Span(start, after)
        end = self.text.find(passage.end, after, self.paragraph_end(after))
        if end < 0:
            return (
                f"end: {passage.end!r} is not found after the start {passage.start!r} in the "
                f"same paragraph of source {self.source_id!r}"
            )
        return Span(start, end + len(passage.end))

    def read_numbers(self, wanted: Iterable[Decimal]) -> None:
        """Read the text's numbers, in one pass, keeping where each of ``wanted`` is;
        numbers wanted by an earlier call are kept, and the text is read again only for
        new ones."""
        wanted = frozenset(wanted) - self._read_numbers
        if not wanted:
            return
        self._read_numbers |= wanted
        digits = self.text.translate(_FULL_WIDTH_DIGITS)  # one character each: same places
        positions = self._numbers
        for found in _NUMBER.finditer(digits):
            for value in _values(found):
                if value in wanted:
                    places = positions.setdefault(value, [])
                    if not places or places[-1] != found.start():
                        places.append(found.start())

    def has_number(self, number: int | float, span: Span) -> bool:
        """Whether ``number`` (or its negative) is written in ``span`` of the text (its
        numbers must have been read with :meth:`read_numbers`)."""
        places = self._numbers.get(abs(as_decimal(number)), [])
        index = bisect.bisect_left(places, span.begin)
        return index < len(places) and places[index] < span.end

    def excerpt(self, span: Span, width: int = 60) -> str:
        """The passage, on one line, cut to ``width`` characters (for messages)."""
        words = " ".join(self.text[span.begin : span.end].split())
        return one_line(words if len(words) <= width else words[: width - 1] + "…")


# -- checking documents -----------------------------------------------------------------


def passage_problems(
    sites: Sequence[PassageSite], text_of: Mapping[str, SourceText | None]
) -> Iterator[Problem]:
    """The problems of ``sites`` (one document's) against the texts at hand
    (``text_of[source_id]``; a source missing or None is not checked)."""
    for site in sites:
        source = text_of.get(site.source) if site.source is not None else None
        if site.passage is None or source is None:
            continue
        where = (*site.path, "passage")
        span = source.resolve(site.passage)
        if isinstance(span, str):
            name, message = span.split(": ", 1)
            yield Problem((*where, name), f"passage {name} {message}")
            continue
        if site.metric is None:
            continue
        for name, number in figure_numbers(site.metric):
            if not source.has_number(number, span):
                yield Problem(
                    where,
                    f"figure {site.metric.id!r}: its {name} {_plain(number)} is not in its "
                    f"passage ({source.excerpt(span)}); widen the passage or correct the figure",
                )


def _plain(number: int | float) -> str:
    return str(number) if isinstance(number, int) or number % 1 else str(int(number))


def check_documents(documents: Sequence[Document], sources: Sources) -> list[list[Problem]]:
    """The passage problems of each of ``documents`` against the texts ``sources`` has:
    every text is read once, and its numbers once, for all documents together."""
    sites = [list(passage_sites(document)) for document in documents]
    cited = {site.source for found in sites for site in found if site.passage is not None}
    text_of = {source_id: sources.text(source_id) for source_id in sorted(cited - {None})}
    wanted: dict[str, set[Decimal]] = {}
    for found in sites:
        for site in found:
            if site.passage is not None and site.metric is not None and site.source:
                numbers = wanted.setdefault(site.source, set())
                numbers.update(abs(as_decimal(n)) for _, n in figure_numbers(site.metric))
    for source_id, numbers in wanted.items():
        text = text_of.get(source_id)
        if text is not None:
            text.read_numbers(numbers)
    return [list(passage_problems(found, text_of)) for found in sites]


def check_library(library: Library, sources: Sources) -> int:
    """Check the passages of every file of ``library`` that loaded cleanly against the
    source texts at hand, adding each problem to its file's diagnostics (as errors, at
    the passage's line and column). Returns how many were found. Raises
    :class:`SourceError` when a text that is needed cannot be read."""
    from casebook.model.load.library import display_path
    from casebook.model.load.loader import _Unreadable, locate_problems, read_text

    files = [loaded for loaded in library.files if loaded.ok and loaded.document is not None]
    found = check_documents([loaded.document for loaded in files], sources)  # type: ignore[misc]
    count = 0
    for loaded, problems in zip(files, found, strict=True):
        if not problems:
            continue
        count += len(problems)
        try:
            text = read_text(loaded.path)
        except _Unreadable:  # gone or changed since it loaded: problems at 0:0
            text = ""
        located = locate_problems(text, problems, display_path(loaded.path))
        loaded.diagnostics = capped([*loaded.diagnostics, *located])
    return count
