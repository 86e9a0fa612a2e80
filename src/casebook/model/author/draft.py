"""A case drafted from its source text: ``casebook draft SOURCE.txt``.

An author with the text of a source (an article, a report; in Chinese, simplified or
traditional, or in English) gets a case file whose metrics are the figures the text
gives, found for them: each number with its unit and its qualifier as the text words it
(不到, 以下, 超过, 多, 余, 约, 近, 左右, nearly, more than, over, under, about...), and its
``passage``: the first and the last few words of its sentence, checked to find that
sentence exactly once (as ``casebook validate --source`` will). Above each, a comment
shows the sentence, for the author to keep, merge (a before and an after make one
metric) or delete. Every text is a visible placeholder ("TODO: ..." / "待填：...") for
the author's own words, so the draft loads as ``casebook new``'s template does.

What counts as a figure:

- a number written in digits (1500, 1,500, 1.6亿, 1.46万, 70%, 1.6 million, ４０) or in
  Chinese numerals before a unit (四项, 两台, 五成): provenance's reader reads them, so
  a draft's numbers are the ones ``validate`` finds in their passages;
- not a year, a month, a day or a time of day: a year (2017年, 2022年9月14日,
  2004—2008年, 1990年代, in 2017, September 2022, the 1990s) makes a candidate timeline
  *event* instead, dated as precisely as the text dates it;
- not an ordinal (第4批, 第一), a code (5G, COVID-19, ISO9001), a label (Table 3), one in
  Chinese numerals without a unit or of value one (一家 is "a firm"), nor "half".

The text's numbers are read once, in one pass; at most :data:`MAX_FIGURES` figures and
:data:`MAX_EVENTS` events are drafted (the rest are counted in a comment), and each
sentence is given its passage with at most :data:`MAX_FINDS_PER_SENTENCE` searches of
the text: the work is linear in the size of the text.
"""

from __future__ import annotations

import re
import shlex
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

import yaml

from casebook.model.author.scaffold import PLACEHOLDER_EN, PLACEHOLDER_ZH, _Writer
from casebook.model.format.case import MAX_NUMBER, PASSAGE_WORDS_MAX, SLUG_PATTERN, Passage
from casebook.model.format.dates import parse_date
from casebook.model.format.figures import format_number
from casebook.model.format.schema import MODELINE
from casebook.model.format.text import TEXT_HELP, UNSAFE_CHARS, one_line
from casebook.model.load.provenance import (
    MANY,
    SourceText,
    Span,
    as_decimal,
    chinese_numeral,
    numbers_in,
)

MAX_FIGURES = 200
"""The most figures a draft holds; the rest of the text's are counted, not drafted."""
MAX_EVENTS = 100
"""The most dated events a draft holds."""
MAX_FINDS_PER_SENTENCE = 12
"""The most searches of the whole text made to give one sentence its passage."""
LEFT_OUT_COUNTED = 1000
"""How many figures (and dates) left out are counted before the text is read no further."""
MAX_FINDS = MAX_FINDS_PER_SENTENCE * (MAX_FIGURES + MAX_EVENTS)
"""The most searches of the whole text made for one draft."""
SENTENCE_REACH = 300
"""How far from a number its sentence is looked for, either way (characters): a longer
sentence is cut there."""
SHOWN_SENTENCE = 200
"""The most characters of a sentence shown in its comment (the middle is cut)."""

_SHORT_START = 12
"""The first length tried for the start words of a Chinese passage (then 20)."""
_SHORT_END = 10

# -- the text's sentences ----------------------------------------------------------------

_HARD = "\x85\u2028\u2029\ufeff\ufffe\uffff"
"""Characters never part of a passage's words (YAML or the loader refuse them), beside
the control characters of :data:`UNSAFE_CHARS`: the text is cut at each."""
_STOP = re.compile(
    r"[。！？!?；;…]+[”’」』）)\]】》\"']*"  # the end of a sentence, with its closing quotes
    r"|\.+(?=[\s\"'”’)\]]|$)[\"'”’)\]]*"  # a full stop (not a decimal point)
    r"|\n[^\S\n]*\n"  # a blank line: the end of a paragraph
    r"|(?<![A-Za-z0-9,;\-])\n|\n(?![^\S\n]*[a-z0-9(])"  # a line break, not within a sentence
    r"|" + UNSAFE_CHARS.pattern + r"|[" + _HARD + r"]"
)
_SHIFT_AT = re.compile(r"[，、：,:;；\s“”‘’\"(（]+")
"""Where a later start of a passage may be tried: after a comma, a space, a quote."""
_CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")
_PAUSES = "，、,;；：:"
"""Punctuation that neither starts nor ends the words of a passage."""
_WORD_CHAR = re.compile(r"[A-Za-z0-9０-９]")
_DIGITS = "0123456789０１２３４５６７８９"
_CN_NUMERAL = "零〇一二两兩三四五六七八九十百千万萬亿億"


@dataclass(frozen=True)
class _Sentence:
    begin: int
    end: int


def _sentence(text: str, begin: int, end: int) -> _Sentence:
    """The sentence around ``text[begin:end]`` (a number), without its end mark and the
    spaces around it, cut :data:`SENTENCE_REACH` characters away either way."""
    low = max(0, begin - SENTENCE_REACH)
    start = low
    for stop in _STOP.finditer(text, low, begin):
        start = stop.end()
    found = _STOP.search(text, end, end + SENTENCE_REACH)
    finish = found.start() if found else min(len(text), end + SENTENCE_REACH)
    while start < begin and text[start].isspace():
        start += 1
    while finish > end and text[finish - 1].isspace():
        finish -= 1
    return _Sentence(start, finish)


def _shown(text: str) -> str:
    """A sentence for a comment: on one line, its control characters escaped, cut in the
    middle when long."""
    words = " ".join(text.split())
    if len(words) > SHOWN_SENTENCE:
        head = SHOWN_SENTENCE * 2 // 3
        words = f"{words[:head]} … {words[head - SHOWN_SENTENCE + 3 :]}"
    return _comment_safe(words)


def _comment_safe(text: str) -> str:
    """``text`` safe in a YAML comment: one line, every character YAML refuses escaped."""
    return re.sub(f"[{_HARD}]", lambda found: ascii(found.group())[1:-1], one_line(text))


# -- passages ------------------------------------------------------------------------------


class _Finder:
    """Passages for sentences, each found once in the text by provenance's finder, and
    remembered; counts its searches of the whole text."""

    def __init__(self, source: SourceText) -> None:
        self.source = source
        self.text = source.text
        self.finds = 0
        self._made: dict[_Sentence, tuple[Passage, Span] | None] = {}

    @property
    def exhausted(self) -> bool:
        """Whether the searches of the text are spent (:data:`MAX_FINDS`): no more
        passages are made."""
        return self.finds >= MAX_FINDS

    def passage(self, sentence: _Sentence, first: int) -> tuple[Passage, Span] | None:
        """Start and end words that pick out ``sentence`` (or its part from a later
        start, at most ``first``, where its first number is), found once, and where they
        are; None when the text has no such words (the sentence is there more than once).
        When no end words pick out the sentence's end, the passage is its start words
        alone."""
        if sentence not in self._made:
            self._made[sentence] = self._make(sentence, first)
        return self._made[sentence]

    def _find_once(self, words: str) -> int | object | None:
        self.finds += 1
        return self.source.find_once(words)

    def _make(self, sentence: _Sentence, first: int) -> tuple[Passage, Span] | None:
        text, begin, end = self.text, sentence.begin, sentence.end
        budget = MAX_FINDS_PER_SENTENCE
        for start_at in self._starts(begin, first):
            for size in self._sizes(start_at):
                words = self._start_words(start_at, min(end, start_at + size))
                if not words or budget <= 0:
                    continue
                budget -= 1
                found = self._find_once(words)
                if found is MANY and start_at == begin and size == PASSAGE_WORDS_MAX:
                    # Its first words twice: if the whole sentence is there twice, no
                    # words of it can be found once.
                    budget -= 1
                    self.finds += 1
                    if (
                        text.find(text[begin:end], begin + 1) >= 0
                        or text.find(text[begin:end], 0, end - 1) >= 0
                    ):
                        return None
                if found == start_at:
                    return self._ended(words, start_at, end)
        return None

    def _starts(self, begin: int, first: int) -> Iterator[int]:
        """Where start words are tried: the sentence's start, after its commas or
        spaces, then its first number."""
        yield begin
        tried = 1
        for shift in _SHIFT_AT.finditer(self.text, begin, first):
            if shift.end() < first and tried < 4:
                tried += 1
                yield shift.end()
        if first > begin:
            yield first

    def _sizes(self, at: int) -> tuple[int, ...]:
        if _CJK.search(self.text, at, at + _SHORT_START):
            return (_SHORT_START, PASSAGE_WORDS_MAX)
        return (PASSAGE_WORDS_MAX,)

    def _start_words(self, begin: int, stop: int) -> str:
        text = self.text
        words = text[begin:stop].split("\n", 1)[0]
        cut = begin + len(words)
        while cut > begin + 4 and _mid_word(text, cut):  # not within a word or a number
            cut -= 1
        words = text[begin:cut] if cut > begin + 4 else words
        return words.rstrip().rstrip(_PAUSES).rstrip() or words.rstrip()

    def _ended(self, start: str, begin: int, end: int) -> tuple[Passage, Span]:
        """The passage from ``start`` (at ``begin``) through the sentence's end, or of
        the start words alone."""
        text = self.text
        after = begin + len(start)
        alone = (Passage(start=start), Span(begin, after))
        if after >= end or not text[after:end].strip():
            return alone
        sizes = (_SHORT_END, PASSAGE_WORDS_MAX) if _CJK.search(text, end - 1, end) else (20,)
        for size in sizes:
            at = max(after, end - size)
            at += text[at:end].rfind("\n") + 1  # on one line
            shifted = at
            while shifted > after and _mid_word(text, shifted) and end - shifted > 4:
                shifted += 1  # not from within a word or a number
            words = text[shifted if end - shifted > 4 else at : end].lstrip()
            words = words.lstrip(_PAUSES).lstrip() or words
            if not words:
                continue
            passage = Passage(start=start, end=words)
            span = self.source.resolve(passage)
            if isinstance(span, Span) and span.begin == begin and span.end == end:
                return passage, span
        return alone  # its end words are in it twice


def _mid_word(text: str, at: int) -> bool:
    """Whether ``at`` falls inside a word of Latin letters or digits, or inside a number
    (1.|6, 4,|000, 二|十)."""
    if not 0 < at < len(text):
        return False
    before, after = text[at - 1], text[at]
    if _WORD_CHAR.match(before) and _WORD_CHAR.match(after):
        return True
    if before in _CN_NUMERAL and after in _CN_NUMERAL:
        return True
    if before in ".," and after in _DIGITS:
        return at >= 2 and text[at - 2] in _DIGITS
    return after in ".," and before in _DIGITS and text[at + 1 : at + 2] in tuple(_DIGITS)


# -- units and qualifiers ---------------------------------------------------------------------

_ZH_UNITS: dict[str, str | None] = {
    # the unit as the text writes it: its English (None: the author names it)
    "个百分点": "percentage points",
    "個百分點": "percentage points",
    "百分点": "percentage points",
    "百分點": "percentage points",
    "平方公里": "square kilometres",
    "平方米": "square metres",
    "公里": "km",
    "千米": "km",
    "毫米": "mm",
    "厘米": "cm",
    "米": "metres",
    "吨": "tonnes",
    "噸": "tonnes",
    "公斤": "kg",
    "千克": "kg",
    "亩": "mu",
    "畝": "mu",
    "公顷": "hectares",
    "公頃": "hectares",
    "美元": "US dollars",
    "欧元": "euros",
    "歐元": "euros",
    "元": "yuan",
    "家": "firms",
    "人次": "person-times",
    "人": "people",
    "名": "people",
    "位": "people",
    "项": "items",
    "項": "items",
    "台": "units",
    "臺": "units",
    "套": "sets",
    "件": "pieces",
    "种": "kinds",
    "種": "kinds",
    "类": "types",
    "類": "types",
    "批": "batches",
    "次": "times",
    "倍": "times",
    "款": "models",
    "户": "households",
    "戶": "households",
    "个月": "months",
    "個月": "months",
    "天": "days",
    "周": "weeks",
    "週": "weeks",
    "年": "years",
    "小时": "hours",
    "小時": "hours",
    "分钟": "minutes",
    "分鐘": "minutes",
    "千瓦时": "kWh",
    "千瓦時": "kWh",
    "千瓦": "kW",
    "兆瓦": "MW",
    "个": None,
    "個": None,
    "条": None,
    "條": None,
    "只": None,
    "座": None,
    "所": None,
    "支": None,
}
_ZH_UNIT_SIZES = sorted({len(unit) for unit in _ZH_UNITS}, reverse=True)
_ZH_NOT_UNITS = ("年代", "年级", "年級", "月", "日", "号", "號", "点", "點", "时", "時", "分")
"""After a number, these make it a date or a time of day, not a figure."""
_ZH_SCALE_AFTER = "万萬亿億"
"""A scale after 多 or 余 (10余万元): part of the unit, as provenance reads the number
before it alone."""

_EN_UNITS: dict[str, str] = {
    # the unit as the text writes it (lower case): its Chinese
    "percentage points": "个百分点",
    "percentage point": "个百分点",
    "square kilometres": "平方公里",
    "square kilometers": "平方公里",
    "square metres": "平方米",
    "square meters": "平方米",
    "production lines": "条生产线",
    "people": "人",
    "persons": "人",
    "employees": "名员工",
    "workers": "名工人",
    "staff": "名员工",
    "firms": "家",
    "companies": "家",
    "enterprises": "家",
    "businesses": "家",
    "customers": "家客户",
    "clients": "家客户",
    "suppliers": "家供应商",
    "yuan": "元",
    "rmb": "元",
    "dollars": "美元",
    "euros": "欧元",
    "days": "天",
    "day": "天",
    "weeks": "周",
    "months": "个月",
    "years": "年",
    "year": "年",
    "hours": "小时",
    "minutes": "分钟",
    "times": "倍",
    "tonnes": "吨",
    "tons": "吨",
    "metres": "米",
    "meters": "米",
    "kilometres": "公里",
    "kilometers": "公里",
    "km": "公里",
    "kg": "公斤",
    "mm": "毫米",
    "items": "项",
    "projects": "个项目",
    "patents": "项专利",
    "products": "款产品",
    "lines": "条",
    "machines": "台",
    "robots": "台机器人",
    "units": "台",
    "sets": "套",
    "batches": "批",
    "platforms": "个平台",
}
_EN_UNIT = re.compile(
    r"[ \u00a0]?[%％]|[ \u00a0-]?(?:per ?cent|percent)\b"
    r"|[ \u00a0-]?(?P<unit>(?:square|percentage|production) [a-z]+|[a-z]+)\b",
    re.IGNORECASE,
)
_EN_NOT_UNITS = frozenset(
    re.findall(
        "[a-z]+",
        "a an and are as at be been but by for from had has have in into is it its more less "
        "of on or per than that the their them then these they this those to was were which "
        "who with",
    )
)
_PLURAL = re.compile(r"[a-z]{2,}[^su]s")
"""A word that may be a plural noun (countries, customers), taken as a figure's unit."""
_CURRENCIES = {
    "US$": ("US dollars", "美元"),
    "$": ("US dollars", "美元"),
    "USD": ("US dollars", "美元"),
    "RMB": ("yuan", "元"),
    "CNY": ("yuan", "元"),
    "¥": ("yuan", "元"),
    "￥": ("yuan", "元"),
    "€": ("euros", "欧元"),
    "£": ("pounds", "英镑"),
}


def _backwards(words: Iterable[str]) -> str:
    """A choice of ``words`` spelled backwards, longest first. What comes before a
    number is matched read backwards from it: a match at one place, where a search
    for words at the end would try every place."""
    return "|".join(re.escape(word[::-1]) for word in sorted(words, key=len, reverse=True))


_CURRENCY_BACK = re.compile(r"[ \u00a0]?(" + _backwards(_CURRENCIES) + ")")

# A qualifier as the text words it: (qualifier, the same in the other language).
_ZH_BEFORE: dict[str, tuple[str, str] | None] = {
    "不超过": ("under", "at most"),
    "不超過": ("under", "at most"),
    "不到": ("under", "under"),
    "不足": ("under", "under"),
    "低于": ("under", "below"),
    "低於": ("under", "below"),
    "少于": ("under", "fewer than"),
    "少於": ("under", "fewer than"),
    "小于": ("under", "less than"),
    "小於": ("under", "less than"),
    "将近": ("under", "nearly"),
    "將近": ("under", "nearly"),
    "接近": ("under", "nearly"),
    "近": ("under", "nearly"),
    "最近": None,  # "the last" (最近3年), not "nearly"
    "附近": None,
    "超过": ("over", "more than"),
    "超過": ("over", "more than"),
    "高于": ("over", "above"),
    "高於": ("over", "above"),
    "多于": ("over", "more than"),
    "多於": ("over", "more than"),
    "大于": ("over", "more than"),
    "大於": ("over", "more than"),
    "逾": ("over", "more than"),
    "超": ("over", "more than"),
    "大约": ("about", "about"),
    "大約": ("about", "about"),
    "约": ("about", "about"),
    "約": ("about", "about"),
}
_ZH_BEFORE_SIZES = sorted({len(word) for word in _ZH_BEFORE}, reverse=True)
_ZH_AFTER_NUMBER = {"多": ("over", "more than"), "余": ("over", "more than")}
_ZH_AFTER_NUMBER["餘"] = _ZH_AFTER_NUMBER["余"]
_ZH_AFTER_UNIT = {
    "以上": ("over", "more than"),
    "以下": ("under", "under"),
    "以内": ("under", "within"),
    "以內": ("under", "within"),
    "左右": ("about", "about"),
}
_EN_BEFORE = {
    "more than": ("over", "超过"),
    "over": ("over", "超过"),
    "above": ("over", "超过"),
    "upwards of": ("over", "超过"),
    "in excess of": ("over", "超过"),
    "at least": ("over", "至少"),
    ">": ("over", "超过"),
    "nearly": ("under", "近"),
    "almost": ("under", "近"),
    "close to": ("under", "近"),
    "under": ("under", "不到"),
    "below": ("under", "不到"),
    "less than": ("under", "不到"),
    "fewer than": ("under", "不到"),
    "up to": ("under", "最多"),
    "<": ("under", "不到"),
    "about": ("about", "约"),
    "around": ("about", "约"),
    "approximately": ("about", "约"),
    "roughly": ("about", "约"),
    "some": ("about", "约"),
    "an estimated": ("about", "约"),
    "~": ("about", "约"),
    "≈": ("about", "约"),
}
_EN_BEFORE_BACK = re.compile(
    r"[ \u00a0]*(" + _backwards(_EN_BEFORE) + r")(?![A-Za-z])", re.IGNORECASE
)
_EN_AFTER = re.compile(r"[ \u00a0]+or (more|so)\b|(\+)|-(plus|odd)\b", re.IGNORECASE)
_EN_AFTER_WORDS = {
    "more": ("over", "超过"),
    "+": ("over", "超过"),
    "plus": ("over", "超过"),
    "so": ("about", "约"),
    "odd": ("about", "约"),
}
_LABELS = re.findall(
    "[a-z]+",
    "table figure fig page p no number article section chapter item step phase version v "
    "grade level room line",
)
_CODE_BACK = re.compile(r"[A-Za-z]|[-_/.][A-Za-z0-9]")
"""Before a number (read backwards), these make it part of a code: G20, COVID-19, 1.2.3."""
_LABEL_BACK = re.compile(
    r"[第#№]|[ \u00a0]?\.?(?:" + _backwards(_LABELS) + r")(?![A-Za-z])", re.IGNORECASE
)
"""Before a number, these make it a label or an ordinal (Table 3, No. 5, 第4批)."""

# -- dates ------------------------------------------------------------------------------

_MONTHS = re.findall(
    "[a-z]+",
    "january february march april may june july august september october november december",
)
_MONTH_WORDS = [*_MONTHS, *re.findall("[a-z]+", "jan feb mar apr jun jul aug sept sep oct nov dec")]
_MONTH = rf"({'|'.join(_MONTH_WORDS)})\b\.?"
_EN_DATE_BEFORE = re.compile(
    rf"(?:\b{_MONTH}[ \u00a0]+(?:([0-9]{{1,2}})(?:st|nd|rd|th)?,?[ \u00a0]+)?"
    rf"|\b([0-9]{{1,2}})(?:st|nd|rd|th)?[ \u00a0]+{_MONTH},?[ \u00a0]+)$",
    re.IGNORECASE,
)
_MONTH_BACK = re.compile(
    r"\W{0,3}(?:" + _backwards(_MONTH_WORDS) + r")(?![A-Za-z])",
    re.IGNORECASE,
)
_MONTH_AFTER = re.compile(rf"\W{{0,3}}{_MONTH}", re.IGNORECASE)
_CN_SMALL_NUMBER = "[0-9]{1,2}|[一二三四五六七八九十]{1,3}"
_ZH_DATE_AFTER = re.compile(
    rf"[^\S\n]*年(?:[^\S\n]*({_CN_SMALL_NUMBER})[^\S\n]*月"
    rf"(?:[^\S\n]*({_CN_SMALL_NUMBER})[^\S\n]*[日号號])?)?"
)
_YEAR_TO = re.compile(r"[^\S\n]*年?[^\S\n]*(?:[-—–~～〜至到]|to|through|until)[^\S\n]*")
_RANGE_TO = re.compile(r"[^\S\n]*(?:[-—–~～〜至到]|to)[^\S\n]*")
_ZH_PARTS = {"初": "early", "底": "late", "末": "late"}
"""After 年: the part of the year (2010年底, late 2010)."""
_FIRST_YEAR, _LAST_YEAR = 1800, 2199


def _small_number(text: str) -> int:
    return int(text) if text.isdigit() else chinese_numeral(text)


# -- candidates -------------------------------------------------------------------------------


@dataclass
class _Figure:
    begin: int  # the number's place in the text
    phrase: tuple[int, int]  # where the text words the figure: qualifier, number, unit
    value: int | float
    to: int | float | None = None
    qualifier: str = "exact"
    other_word: str = ""  # the qualifier in the other language
    lang: str = "zh"  # the language the text words it in
    unit: str | None = None  # the unit as the text writes it
    unit_other: str | None = None  # the unit in the other language, where known


@dataclass
class _Event:
    begin: int
    date: str
    took: bool = False  # took in the next number (the end of a range of years)


_Number = tuple[re.Match[str], tuple[Decimal, ...]]
"""A number of the text as provenance reads it, with the values it may stand for."""
_NOT_ALONE = object()


@dataclass
class _Found:
    """What a draft found in a text."""

    figures: list[tuple[_Figure, _Sentence, Passage]] = field(default_factory=list)
    events: list[tuple[_Event, _Sentence, Passage]] = field(default_factory=list)
    figures_left_out: int = 0
    events_left_out: int = 0
    not_once: int = 0  # figures and events with no passage found once in the text
    stopped: dict[str, int] = field(default_factory=dict)
    """Where the text was read no further for figures ("figures"), or dates ("dates")."""


def _plain_value(value: Decimal) -> int | float | None:
    """``value`` as a case writes it, or None when a case cannot hold it exactly."""
    if value.adjusted() > len(str(MAX_NUMBER)) or abs(value) > MAX_NUMBER:
        return None  # (first: a long run of digits is slow to convert, or overflows)
    number: int | float = int(value) if value == value.to_integral_value() else float(value)
    if as_decimal(number) != value:
        return None
    return number


def _scaled(found: re.Match[str], values: tuple[Decimal, ...]) -> Decimal:
    """The value a number stands for: 1.6亿 160,000,000, 五成 50 (a percentage)."""
    return values[-1] if len(values) > 1 else values[0]


class _Reader:
    """Reads the figures and dates of a text, number by number, in one pass."""

    def __init__(self, text: str) -> None:
        self.text = text
        self._back: tuple[int, str] = (-1, "")

    def before(self, at: int, reach: int = 24) -> str:
        return self.text[max(0, at - reach) : at]

    def back(self, at: int, reach: int = 24) -> str:
        """What comes before ``at`` (``reach`` characters), read backwards (see
        :func:`_backwards`)."""
        if self._back[0] != at:
            self._back = (at, self.text[max(0, at - 24) : at][::-1])
        return self._back[1][:reach]

    def figure(
        self, found: re.Match[str], values: tuple[Decimal, ...], following: _Number | None
    ) -> tuple[_Figure | None, bool]:
        """The figure ``found`` is, if any, and whether it took in ``following`` (the
        upper end of a range)."""
        text = self.text
        begin, end = found.span()
        back = self.back(begin)
        if found["half"] is not None or _LABEL_BACK.match(back):
            return None, False
        if found["arabic"] is not None:
            if _CODE_BACK.match(back) or re.match("0[0-9]", found["arabic"]):
                return None, False  # G20, ISO9001, COVID-19, 1.2.3, 010-6000
        elif not self._counted_chinese(found):
            return None, False
        value = _plain_value(_scaled(found, values))
        if value is None:
            return None, False
        figure = _Figure(begin, (begin, end), value)
        took = False
        upper = self._range(found, value, following)
        if upper is _NOT_ALONE:
            return None, False  # 1至2亿元: the lower end is not the figure
        if upper is not None and following is not None:
            figure.to = upper  # type: ignore[assignment]
            end = following[0].end()
            took = True
        lang = "zh" if _CJK.search(text, max(0, begin - 4), min(len(text), end + 4)) else "en"
        figure.lang = lang
        start = self._qualifier_before(figure, begin)
        start = self._currency(figure, start)
        end = self._after(figure, end)
        if end is None:
            return None, False
        if figure.unit is None and (found["tenths"] is not None or found["scale"] == "成"):
            figure.unit, figure.unit_other = "%", "%"
        if figure.unit is None and _year_like(found):
            return None, False  # 2022全国...: a year, not a figure
        figure.phrase = (start, end)
        return figure, took

    def _counted_chinese(self, found: re.Match[str]) -> bool:
        """Whether a run of Chinese numerals counts something: it has a digit (not 万物,
        千方百计), it is more than one (一家 is "a firm"), and a unit follows it."""
        run = found["chinese"]
        if not re.search("[零〇一二两兩三四五六七八九]", run) and not run.startswith("十"):
            return False
        if self.text[found.start() - 1 : found.start()] in ("几", "幾", "数", "數", "上"):
            return False  # 几十项, 数百人, 上千家: "dozens", "hundreds", no number
        if found["tenths"] is not None:
            return True
        if chinese_numeral(run) < 2:
            return False
        rest = found.end()
        if self.text[rest : rest + 1] in _ZH_AFTER_NUMBER:
            rest += 1
        return self._zh_unit(rest) is not None

    def _range(
        self, found: re.Match[str], lower: int | float, following: _Number | None
    ) -> int | float | object | None:
        """The upper end when the text gives a range (4000至6000家, 10-20%, 4,000 to
        6,000) written the same way as the lower end; :data:`_NOT_ALONE` when it gives
        one written otherwise (1至2亿元), whose lower end means nothing alone."""
        if following is None or following[0]["half"] is not None:
            return None
        upper_end = following[0]
        if not _RANGE_TO.fullmatch(found.string, found.end(), upper_end.start()):
            return None
        if (found["arabic"] is None) != (upper_end["arabic"] is None) or (
            (found["scale"] or found["word"] or "").lower()
            != (upper_end["scale"] or upper_end["word"] or "").lower()
        ):
            return _NOT_ALONE
        upper = _plain_value(_scaled(upper_end, following[1]))
        return upper if upper is not None and upper > lower else None

    def _qualifier_before(self, figure: _Figure, begin: int) -> int:
        text = self.text
        if figure.lang == "zh":
            for size in _ZH_BEFORE_SIZES:
                word = text[max(0, begin - size) : begin]
                if len(word) == size and word in _ZH_BEFORE:
                    meaning = _ZH_BEFORE[word]
                    if meaning is None:
                        return begin
                    figure.qualifier, figure.other_word = meaning
                    return begin - size
            return begin
        currency = _CURRENCY_BACK.match(self.back(begin, 6))
        at = begin - currency.end() if currency else begin
        found = _EN_BEFORE_BACK.match(self.back(at))
        if found is not None:
            figure.qualifier, figure.other_word = _EN_BEFORE[found[1][::-1].lower()]
            return at - found.end()
        return begin

    def _currency(self, figure: _Figure, start: int) -> int:
        """A currency written before the number ($1.6 million, ¥300): its unit."""
        number = figure.begin
        currency = _CURRENCY_BACK.match(self.back(number, 6))
        if currency is not None:
            english, chinese = _CURRENCIES[currency[1][::-1]]
            figure.unit, figure.unit_other = (
                (english, chinese) if figure.lang == "en" else (chinese, english)
            )
            return min(start, number - currency.end())
        return start

    def _after(self, figure: _Figure, end: int) -> int | None:
        """Reads the unit and any qualifier after the number; the end of the phrase, or
        None when what follows makes the number a date, a time or a code."""
        if figure.lang == "zh":
            return self._zh_after(figure, end)
        return self._en_after(figure, end)

    def _zh_after(self, figure: _Figure, end: int) -> int | None:
        text = self.text
        more = _ZH_AFTER_NUMBER.get(text[end : end + 1])
        if more is not None:
            if figure.qualifier == "exact":
                figure.qualifier, figure.other_word = more
            end += 1
        if text.startswith(_ZH_NOT_UNITS, end) and not text.startswith(("分钟", "分鐘"), end):
            return None
        if text.startswith(("%", "％"), end):
            figure.unit, figure.unit_other = "%", "%"
            end += 1
        elif text[end : end + 1] and text[end] in _ZH_SCALE_AFTER:
            unit = self._zh_unit(end + 1)
            size = len(unit) if unit else 0
            figure.unit = text[end : end + 1 + size]
            end += 1 + size
        else:
            unit = self._zh_unit(end)
            if unit is not None:
                figure.unit, figure.unit_other = unit, _ZH_UNITS[unit]
                end += len(unit)
            elif _WORD_CHAR.match(text, end):
                return self._en_after(figure, end) if figure.lang == "en" else None
        for word, meaning in _ZH_AFTER_UNIT.items():
            if text.startswith(word, end):
                if figure.qualifier == "exact":
                    figure.qualifier, figure.other_word = meaning
                end += len(word)
                break
        return end

    def _zh_unit(self, at: int) -> str | None:
        for size in _ZH_UNIT_SIZES:
            word = self.text[at : at + size]
            if word in _ZH_UNITS:
                return word
        return None

    def _en_after(self, figure: _Figure, end: int) -> int | None:
        text = self.text
        if _WORD_CHAR.match(text, end) and not self._en_attached_unit(end):
            return None  # 5G, 3D, 2nd
        after = _EN_AFTER.match(text, end)
        if after is not None and after[2] is not None:  # 300+
            self._en_more(figure, "+")
            end = after.end()
        unit = _EN_UNIT.match(text, end)
        if unit is not None:
            name = unit["unit"]
            if name is None:
                figure.unit, figure.unit_other = "%", "%"
                end = unit.end()
            elif figure.unit is None and (  # not after a currency
                name.lower() in _EN_UNITS
                or (name.islower() and _PLURAL.fullmatch(name) and name not in _EN_NOT_UNITS)
            ):
                figure.unit = name
                figure.unit_other = _EN_UNITS.get(name.lower())
                end = unit.end()
        after = _EN_AFTER.match(text, end)
        if after is not None:
            self._en_more(figure, (after[1] or after[2] or after[3]).lower())
            end = after.end()
        return end

    def _en_attached_unit(self, end: int) -> bool:
        unit = re.match(r"[A-Za-z]+\b", self.text[end : end + 8])
        return unit is not None and unit.group().lower() in ("km", "kg", "mm")

    @staticmethod
    def _en_more(figure: _Figure, word: str) -> None:
        if figure.qualifier == "exact":
            figure.qualifier, figure.other_word = _EN_AFTER_WORDS[word]

    # -- dates --

    def year(self, found: re.Match[str], following: re.Match[str] | None) -> _Event | None:
        """The event a year makes (2017年, 2022年9月14日, 2004—2008年, 1990年代,
        September 2022, the 1990s), or None when ``found`` is no year."""
        digits = found.string
        begin, end = found.span()
        if found["arabic"] is not None:
            run = found["arabic"]
            if len(run) != 4 or not run.isdigit() or found["scale"] or found["word"]:
                return None
        elif found["chinese"] is not None:
            run = found["chinese"]
            if len(run) != 4 or re.search("[十百千万萬亿億两兩]", run) or found["tenths"]:
                return None
        else:
            return None
        year = _small_number(run) if run.isdigit() else chinese_numeral(run)
        back = self.back(begin)
        if not _FIRST_YEAR <= year <= _LAST_YEAR or _LABEL_BACK.match(back):
            return None
        if _CODE_BACK.match(back) or digits[end : end + 1] in ("/", "_"):
            return None  # in an address or a name: /2021/05/, file_2021
        if self.text[end : end + 2] in ("年代",) or digits[end : end + 1] == "s":
            if year % 10 == 0 and not _WORD_CHAR.match(digits, end + 1):
                return _Event(begin, f"{year}s")
            return None
        if following is not None and found["arabic"] is not None:
            to = _YEAR_TO.fullmatch(digits, end, following.start())
            upper = following["arabic"] or ""
            if to and len(upper) == 4 and upper.isdigit() and year < int(upper) <= _LAST_YEAR:
                return _Event(begin, f"{year}-{upper}", took=True)
        zh = _ZH_DATE_AFTER.match(digits, end)
        if zh is not None:
            part = _ZH_PARTS.get(digits[zh.end() : zh.end() + 1]) if zh.end() - end <= 2 else None
            return _Event(begin, f"{part} {year}" if part else _dated(year, zh[1], zh[2]))
        if _CJK.search(self.text, max(0, begin - 2), min(len(self.text), end + 2)):
            return None  # 2022全国...: a year with no 年 is no date in Chinese
        if _WORD_CHAR.match(digits, end) or found["arabic"] is None:
            return None
        unit = _EN_UNIT.match(self.text, end)
        if unit is not None and unit["unit"] and unit["unit"].lower() in _EN_UNITS:
            return None  # 2000 workers
        month = _EN_DATE_BEFORE.search(self.before(begin, 30))
        if month is None:
            return _Event(begin, str(year))
        name, day = (month[1], month[2]) if month[1] else (month[4], month[3])
        number = next(i for i, full in enumerate(_MONTHS, 1) if full.startswith(name.lower()))
        return _Event(begin, _dated(year, str(number), day))

    def near_month(self, found: re.Match[str]) -> bool:
        """Whether an English number is a day beside a month's name (September 14)."""
        begin, end = found.span()
        return bool(_MONTH_BACK.match(self.back(begin, 14)) or _MONTH_AFTER.match(self.text, end))


def _year_like(found: re.Match[str]) -> bool:
    """Whether a number is written as a year is (four digits, 1800 to 2199)."""
    run = found["arabic"] or ""
    return (
        len(run) == 4 and run.isdigit() and not found["scale"] and not found["word"]
    ) and _FIRST_YEAR <= int(run) <= _LAST_YEAR


def _dated(year: int, month: str | None, day: str | None) -> str:
    """A date as precise as the text gives it, if it is a real one; else less precise."""
    for text in (
        f"{year}-{_small_number(month):02d}-{_small_number(day):02d}" if month and day else "",
        f"{year}-{_small_number(month):02d}" if month else "",
        str(year),
    ):
        if text:
            try:
                parse_date(text)
            except ValueError:
                continue
            return text
    return str(year)  # pragma: no cover - a year always parses


def _covering(made: tuple[Passage, Span] | None, found: re.Match[str]) -> Passage | None:
    """The passage, if it holds the number ``found`` (as validate will look for it)."""
    if made is None:
        return None
    passage, span = made
    return passage if span.begin <= found.start() < span.end else None


def find_candidates(source: SourceText, finder: _Finder) -> _Found:
    """The figures and dated events of a source's text, each with its passage. Figures
    (dates) left out are counted up to :data:`LEFT_OUT_COUNTED`; then the text is read
    no further for them."""
    text = source.text
    reader = _Reader(text)
    result = _Found()
    event_sentences: set[_Sentence] = set()
    numbers = numbers_in(text)
    upcoming = next(numbers, None)
    while upcoming is not None:
        found, values = upcoming
        upcoming = next(numbers, None)
        figures_open = result.figures_left_out < LEFT_OUT_COUNTED
        events_open = result.events_left_out < LEFT_OUT_COUNTED
        for what, still in (("figures", figures_open), ("dates", events_open)):
            if not still:
                result.stopped.setdefault(what, found.start())
        if not (figures_open or events_open):
            break
        took = False
        event = reader.year(found, upcoming[0] if upcoming is not None else None)
        if event is not None:
            took = event.took
            if not events_open:
                pass
            elif len(result.events) >= MAX_EVENTS or finder.exhausted:
                result.events_left_out += 1
            else:
                sentence = _sentence(text, *found.span())
                if sentence not in event_sentences:
                    event_sentences.add(sentence)
                    passage = _covering(finder.passage(sentence, found.start()), found)
                    if passage is None:
                        result.not_once += 1
                    else:
                        result.events.append((event, sentence, passage))
        elif figures_open and not (reader.near_month(found) and not _CJK.search(found.group())):
            figure, took = reader.figure(found, values, upcoming)
            if figure is None:
                pass
            elif len(result.figures) >= MAX_FIGURES or finder.exhausted:
                result.figures_left_out += 1
            else:
                sentence = _sentence(text, *found.span())
                passage = _covering(finder.passage(sentence, found.start()), found)
                if passage is None:
                    result.not_once += 1
                else:
                    result.figures.append((figure, sentence, passage))
        if took:
            upcoming = next(numbers, None)
    result.events.sort(key=lambda item: (parse_date(item[0].date).sort_key, item[0].begin))
    return result


# -- the file -----------------------------------------------------------------------------

_NO_WRAP = 1 << 30


def _flow(value: Any) -> str:
    """``value`` as YAML on one line (flow style), quoted by the emitter as it needs: a
    text that YAML would read otherwise ('[b]', 'a: b', '#1', 'yes', '- x') is quoted,
    and a character that may not stand raw in a file is escaped."""
    dumped = yaml.safe_dump(
        [value], default_flow_style=True, allow_unicode=True, width=_NO_WRAP, sort_keys=False
    )
    if re.search(f"[{_HARD}]", dumped) or UNSAFE_CHARS.search(dumped):
        dumped = yaml.safe_dump(
            [value], default_flow_style=True, allow_unicode=False, width=_NO_WRAP
        )
    return dumped.rstrip("\n")[1:-1]


def _placeholder(en: str, zh: str) -> dict[str, str]:
    return {"en": PLACEHOLDER_EN + en, "zh": PLACEHOLDER_ZH + zh}


def _unit(figure: _Figure) -> str | dict[str, str] | None:
    if figure.unit is None:
        return None
    if figure.unit == "%":
        return "%"
    if figure.lang == "en" and figure.unit_other is None:
        return figure.unit  # its noun, in both languages until the author translates it
    other = figure.unit_other or PLACEHOLDER_EN + "unit"
    return (
        {"en": figure.unit, "zh": other}
        if figure.lang == "en"
        else {"en": other, "zh": figure.unit}
    )


def _quantity(figure: _Figure, text: str) -> int | float | dict[str, Any]:
    """The figure's value, with its qualifier and the text's wording of it (and the same
    in the other language) when it is not exact."""
    if figure.qualifier == "exact" and figure.to is None:
        return figure.value
    quantity: dict[str, Any] = {"value": figure.value}
    if figure.to is not None:
        quantity["to"] = figure.to
    if figure.qualifier != "exact":
        quantity["qualifier"] = figure.qualifier
        own = " ".join(text[figure.phrase[0] : figure.phrase[1]].split())
        other_lang = "en" if figure.lang == "zh" else "zh"
        number = format_number(figure.value, other_lang)  # type: ignore[arg-type]
        if figure.to is not None:
            number += "–" + format_number(figure.to, other_lang)  # type: ignore[arg-type]
        unit = figure.unit_other if figure.unit_other is not None else ""
        if other_lang == "en":
            joiner = "" if unit in ("", "%") else " "
            other = f"{figure.other_word} {number}{joiner}{unit}"
        else:
            other = f"{figure.other_word}{number}{unit}"
        by_lang = {figure.lang: own, other_lang: other}
        quantity["wording"] = {"en": by_lang["en"], "zh": by_lang["zh"]}
    return quantity


@dataclass
class Draft:
    """A drafted case file and what went into it."""

    text: str
    figures: int
    events: int
    figures_left_out: int
    events_left_out: int
    not_once: int
    finds: int
    """Searches of the whole text made for passages (the work that grows with it)."""


def slug(name: str) -> str:
    """``name`` as an id: lower-case letters, digits and single hyphens ('' when nothing
    of it is Latin letters or digits)."""
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    words = re.sub(r"[^a-z0-9]+", "-", ascii_name.lower()).strip("-")
    return words[:60].rstrip("-")


def source_id_for(path: Path) -> str:
    """The id of the source whose text is at ``path``: its file name's stem as an id
    (``article`` for ``article.txt``), or ``source``."""
    return slug(path.stem) or "source"


def draft_case(text: str, case_id: str, source_id: str, source_path: Path | None = None) -> Draft:
    """A case file ``case_id`` drafted from ``text``, the text of source ``source_id``
    (read from ``source_path``, named in its comments)."""
    for name, value in (("case", case_id), ("source", source_id)):
        if not re.fullmatch(SLUG_PATTERN, value):
            raise ValueError(f"{value!r} is not a valid {name} id")
    source = SourceText(source_id, text, source_path)
    finder = _Finder(source)
    found = find_candidates(source, finder)
    out = _Writer()
    _header(out, found, text, case_id, source_id, source_path)
    out.line(0, f"id: {case_id}", "Case.id")
    out.blank()
    out.line(0, "company:", "Case.company")
    out.line(2, f"name: {_flow(_placeholder('company name', '公司简称'))}", "Company.name")
    out.line(0, f"industry: {_flow(_placeholder('industry', '行业'))}", "Case.industry")
    out.blank()
    out.line(0, f"summary: {_flow(_placeholder('summary', '案例概述'))}", "Case.summary")
    _events(out, found, text, source_id)
    _figures(out, found, text, source_id)
    out.blank()
    out.line(0, "sources:", "Case.sources")
    out.line(2, f"- id: {source_id}", "Source.id")
    out.line(4, f"outlet: {_flow(_placeholder('publisher', '发布方'))}", "Source.outlet")
    out.line(4, "# authors: [{en: Name, zh: 姓名}]", "Source.authors")
    out.line(4, "# year: 2022", "Source.year")
    out.line(4, "# title: {en: Title, zh: 标题}", "Source.title")
    out.line(4, "# url: https://...", "Source.url")
    out.blank()
    out.line(0, "learning_objectives:", "Case.learning_objectives")
    out.line(2, f"- {_flow(_placeholder('objective 1', '学习目标1'))}")
    out.blank()
    out.line(0, "discussion_questions:", "Case.discussion_questions")
    for number in (1, 2, 3):
        out.line(2, f"- {_flow(_placeholder(f'question {number}', f'讨论题{number}'))}")
    return Draft(
        out.text(),
        len(found.figures),
        len(found.events),
        found.figures_left_out,
        found.events_left_out,
        found.not_once,
        finder.finds,
    )


def _count(number: int) -> str:
    return f"{number} or more" if number >= LEFT_OUT_COUNTED else str(number)


def _header(
    out: _Writer, found: _Found, text: str, case_id: str, source_id: str, path: Path | None
) -> None:
    name = _comment_safe(path.name) if path is not None else source_id
    out.raw(MODELINE)
    out.raw(f"# A case drafted from the source text {name} (casebook draft): the figures and")
    out.raw("# dates it gives, each with its passage (its first and last words in the text)")
    out.raw("# and, in a comment above it, the sentence it is in. Keep, merge (a before and")
    out.raw("# an after make one metric) or delete each; write every label, title and text")
    out.raw("# in your own words; delete the sentences when done: a case never copies them.")
    if found.figures_left_out:
        out.raw(
            f"# {_count(found.figures_left_out)} more figure(s) of the text were left out: a "
            f"draft holds at most {MAX_FIGURES}."
        )
    if found.events_left_out:
        out.raw(
            f"# {_count(found.events_left_out)} more date(s) were left out: a draft holds at "
            f"most {MAX_EVENTS} events."
        )
    for what, at in found.stopped.items():
        line = text.count("\n", 0, at) + 1
        out.raw(f"# The text was read for {what} only as far as its line {line}.")
    if found.not_once:
        out.raw(
            f"# {found.not_once} figure(s) or date(s) were left out: no words of their "
            "sentence are found once in the text (the sentence is there more than once)."
        )
    out.raw(f"# {TEXT_HELP}")
    where = shlex.quote(str(path)) if path is not None else "PATH"
    check = f"casebook validate --strict --source {source_id}={where} {case_id}.yaml"
    out.raw(f"# Check it with: {_comment_safe(check)}")
    out.blank()


def _sentence_comment(out: _Writer, indent: int, text: str, sentence: _Sentence) -> None:
    out.raw(" " * indent + "# “" + _shown(text[sentence.begin : sentence.end]) + "”")


def _events(out: _Writer, found: _Found, text: str, source_id: str) -> None:
    out.blank()
    if not found.events:
        out.line(0, "timeline: []  # no dates found in the text", None)
        return
    out.line(0, "timeline:", "Case.timeline")
    for event, sentence, passage in found.events:
        _sentence_comment(out, 2, text, sentence)
        date: int | str = int(event.date) if event.date.isdigit() else event.date
        out.line(2, f"- date: {_flow(date)}", "Event.date")
        out.line(4, f"title: {_flow(_placeholder('what happened', '发生了什么'))}", "Event.title")
        out.line(4, f"source: {source_id}", "Event.source")
        out.line(4, f"passage: {_flow(_passage_data(passage))}", "Event.passage")


def _figures(out: _Writer, found: _Found, text: str, source_id: str) -> None:
    out.blank()
    if not found.figures:
        out.line(0, "metrics: []  # no figures found in the text", None)
        return
    out.line(0, "metrics:", "Case.metrics")
    for number, (figure, sentence, passage) in enumerate(found.figures, 1):
        _sentence_comment(out, 2, text, sentence)
        out.line(2, f"- id: figure-{number}", "Metric.id")
        label = _placeholder(f"what figure {number} measures", f"指标{number}衡量什么")
        out.line(4, f"label: {_flow(label)}", "Metric.label")
        out.line(4, f"value: {_flow(_quantity(figure, text))}", "Metric.value")
        unit = _unit(figure)
        if unit is not None:
            out.line(4, f"unit: {_flow(unit)}", "Metric.unit")
        out.line(4, f"source: {source_id}", "Event.source")
        out.line(4, f"passage: {_flow(_passage_data(passage))}", "Metric.passage")


def _passage_data(passage: Passage) -> dict[str, str]:
    words = {"start": passage.start}
    if passage.end is not None:
        words["end"] = passage.end
    return words
