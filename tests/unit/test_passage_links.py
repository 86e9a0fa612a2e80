"""Addresses that open a source at a passage (``#:~:text=start,end``, the WICG Text
Fragments spec), and the links handouts carry to them (Markdown and HTML)."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote

import markdown_it
import pytest

from casebook.model.export import export
from casebook.model.export.blocks import Linked
from casebook.model.export.markdown import md_link
from casebook.model.format.case import Passage
from casebook.model.format.links import directive_words, passage_address, web_address
from casebook.model.load.library import load_library

DATA = Path(__file__).resolve().parents[1] / "data" / "passages"
PAGE = "https://example.org/news/mill-report?id=7#top"
OUTPUT = f"{PAGE}:~:text=Output%20per%20worker,to%2030%20tonnes"
SAID = f"{PAGE}:~:text=We%20had%20no%20choice,or%20close."
HOSTILE_PAGE = "https://example.org/a(b)?q=%22x%22&r=%3Cy%3E%7C%60z%60%5Cw[1]"


# -- the addresses -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("words", "encoded"),
    [
        ("plain", "plain"),
        ("two words", "two%20words"),
        ("year-on-year", "year%2Don%2Dyear"),  # the directive's own syntax: - , &
        ("a, b & c", "a%2C%20b%20%26%20c"),
        ("100% sure", "100%25%20sure"),
        ("a#b?c=d/e:f", "a%23b%3Fc%3Dd%2Fe%3Af"),
        ("10天以下", "10%E5%A4%A9%E4%BB%A5%E4%B8%8B"),
        ("“引号”", "%E2%80%9C%E5%BC%95%E5%8F%B7%E2%80%9D"),
        ("._~", "._~"),
    ],
)
def test_directive_words_are_percent_encoded_as_the_spec_asks(words, encoded) -> None:
    assert directive_words(words) == encoded
    assert unquote(encoded) == words


def test_a_passage_address_is_the_page_then_the_text_directive() -> None:
    passage = Passage(start="Output per worker", end="to 30 tonnes")
    assert passage_address("https://example.org/r", passage) == (
        "https://example.org/r#:~:text=Output%20per%20worker,to%2030%20tonnes"
    )
    # The page's own fragment stays; a directive it had is replaced.
    assert passage_address(PAGE, passage) == OUTPUT
    assert passage_address(f"{PAGE}:~:text=old", passage) == OUTPUT
    # A start alone.
    assert passage_address("http://x.org", Passage(start="a-b")) == "http://x.org#:~:text=a%2Db"


@pytest.mark.parametrize(
    "url", [None, "", "ftp://x.org/a", "javascript:alert(1)", "file:///etc/passwd", "https://"]
)
def test_only_http_addresses_are_linked(url) -> None:
    assert web_address(url) is None
    assert passage_address(url, Passage(start="a")) is None


def test_no_passage_no_address() -> None:
    assert passage_address(PAGE, None) is None


def test_an_address_leaves_as_printable_ascii_that_ends_nowhere_early() -> None:
    odd = 'https://例子.org/路径?q="x"&r=<y>|`z`\\w\x1b]8;;evil\x07 \u202e#a#b'
    address = web_address(odd)
    assert address is not None
    assert all(" " < char < "\x7f" for char in address)
    assert not set(address) & set('"<>\\`| \x1b\x07')
    assert address.count("#") == 1 and address.endswith("#a%23b")
    assert unquote(address) == odd  # nothing lost


# -- handouts ----------------------------------------------------------------------------


@pytest.fixture(scope="module")
def library():
    library = load_library([DATA / "cases"])
    assert library.diagnostics == []
    return library


class Anchors(HTMLParser):
    def __init__(self, source: str) -> None:
        super().__init__(convert_charrefs=True)
        self.anchors: list[tuple[str, str]] = []
        self.tags: list[str] = []
        self._href: str | None = None
        self.feed(source)

    def handle_starttag(self, tag, attrs) -> None:
        self.tags.append(tag)
        if tag == "a":
            self._href = dict(attrs)["href"]
            self.anchors.append((self._href or "", ""))

    def handle_data(self, data) -> None:
        if self._href is not None:
            href, text = self.anchors[-1]
            self.anchors[-1] = (href, text + data)

    def handle_endtag(self, tag) -> None:
        if tag == "a":
            self._href = None


@pytest.mark.parametrize("lang", ["en", "zh", "both"])
def test_passage_links_in_html(library, lang) -> None:
    anchors = Anchors(export(library, ["river-mill"], "html", lang)).anchors
    hrefs = [href for href, _ in anchors]
    # Each figure, event and saying with a passage: its [1] opens the source there.
    assert (OUTPUT, "[1]") in anchors and (SAID, "[1]") in anchors
    assert sum(":~:text=" in href for href in hrefs) == 5  # 2 events, 2 figures, 1 saying
    # The sources list links the page itself; a source without an address, nothing.
    assert (PAGE, PAGE) in anchors
    assert len(anchors) == 6
    assert all(href.startswith("https://example.org/") for href in hrefs)


@pytest.mark.parametrize("lang", ["en", "zh", "both"])
def test_passage_links_in_markdown(library, lang) -> None:
    out = export(library, ["river-mill"], "md", lang)
    assert f"[\\[1\\]]({OUTPUT})" in out
    assert f"[\\[1\\]]({SAID})" in out
    rendered = markdown_it.MarkdownIt("commonmark").enable("table").render(out)
    anchors = Anchors(rendered).anchors
    assert (OUTPUT, "[1]") in anchors and (SAID, "[1]") in anchors
    assert (PAGE, PAGE) in anchors and len(anchors) == 6
    # Figures, events and sayings without a passage keep their plain reference.
    assert "| \\[1\\] |" in out  # the staff figure
    assert "\\[2\\]" in out  # the looms: a passage, but the notes have no address


def test_handouts_never_hold_the_passages_words(library) -> None:
    for fmt in ("md", "html"):
        out = export(library, ["river-mill"], fmt, "both")
        assert "year-on-year" not in out and "best money" not in out
        assert "今年新增订单超过200笔" not in out


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_hostile_addresses_stay_addresses_in_html(library, lang) -> None:
    source = export(library, ["hostile-mill"], "html", lang)
    page = Anchors(source)
    assert "script" not in page.tags and "i" not in page.tags and "b" not in page.tags
    hrefs = [href for href, _ in page.anchors]
    assert hrefs == [
        f"{HOSTILE_PAGE}#:~:text=%5Bbold%5Dnot%20bold,%5B%2Flink%5D",
        f"{HOSTILE_PAGE}#:~:text=100%25%20sure",
        HOSTILE_PAGE,
    ]
    # The address as written shows as text, in the sources list.
    assert page.anchors[-1][1] == 'https://example.org/a(b)?q="x"&r=<y>|`z`\\w[1]'
    assert "&amp;r=" in source and "<y>" not in source


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_hostile_addresses_stay_addresses_in_markdown(library, lang) -> None:
    out = export(library, ["hostile-mill"], "md", lang)
    md = markdown_it.MarkdownIt("commonmark", {"linkify": True})
    md.enable(["table", "linkify"])
    page = Anchors(md.render(out))
    hrefs = [href for href, _ in page.anchors]
    assert hrefs == [  # as markdown-it writes them (it encodes the brackets too)
        md.normalizeLink(f"{HOSTILE_PAGE}#:~:text=%5Bbold%5Dnot%20bold,%5B%2Flink%5D"),
        md.normalizeLink(f"{HOSTILE_PAGE}#:~:text=100%25%20sure"),
        md.normalizeLink(HOSTILE_PAGE),
    ]
    assert page.anchors[-1][1] == 'https://example.org/a(b)?q="x"&r=<y>|`z`\\w[1]'
    assert not {"script", "b", "i", "img"} & set(page.tags)
    # The metrics table keeps its columns: the address holds no pipe.
    table = [line for line in out.splitlines() if line.startswith("| Sureness")]
    assert len(table) == 1 and re.sub(r"\\.", "", table[0]).count("|") == 6


def test_a_markdown_link_escapes_what_could_end_its_address() -> None:
    link = md_link("[1] *x*", "https://x.org/a(b)c&amp;d<e>[f]\\g")
    assert link == "[\\[1\\] \\*x\\*](https://x.org/a\\(b\\)c\\&amp;d\\<e\\>\\[f\\]\\\\g)"
    (anchor,) = Anchors(markdown_it.MarkdownIt("commonmark").render(link)).anchors
    assert anchor == ("https://x.org/a(b)c&amp;d%3Ce%3E%5Bf%5D%5Cg", "[1] *x*")


@pytest.mark.parametrize(
    "href", ["javascript:alert(1)", "https://x.org/a b", "https://x.org/\x1b", "https://x.org/é"]
)
def test_a_link_is_to_a_printable_ascii_web_address_only(href) -> None:
    with pytest.raises(ValueError, match="not a web address"):
        Linked((), "[1]", href)
