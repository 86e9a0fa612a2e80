"""Provenance: passages in the format, checked for form, then against a source's text.

Every source text here is made up for the test; none is the shipped article.
"""

from __future__ import annotations

import time
from decimal import Decimal
from pathlib import Path

import msgspec
import pytest

from casebook import cli
from casebook.model.format.case import Case, Passage, Person, Saying, Source, convert
from casebook.model.format.text import Bilingual, pick
from casebook.model.load import provenance
from casebook.model.load.lint import lint
from casebook.model.load.provenance import (
    MANY,
    SOURCE_MAX_BYTES,
    SourceError,
    Sources,
    SourceText,
    Span,
    chinese_numeral,
)
from casebook.model.load.yamlsafe import load_mapping

QUESTIONS = "discussion_questions: [{en: A?, zh: 甲？}, {en: B?, zh: 乙？}, {en: C?, zh: 丙？}]\n"

TEXT = (
    "Acme Widgets was founded in 2009 by three engineers.\n"
    "\n"
    "By 2021 it had more than 1,500 customers and 1.6 million yuan of orders.\n"
    "Its staff grew to 40 people.\n"
    "\n"
    "该公司投入约1.6亿元，客户1500多家，员工1.46万人，研发人员约占一半，超五成产品出口。"
    "拥有四项核心技术，市场占有率排名第一。\n"
    "\n"
    "Special words: a.*b(c)[d]+?^$|\\ and {x} end here.\n"
)
"""A made-up source: three paragraphs of figures and one of regex-special characters."""


def run(argv: list[str]) -> int:
    try:
        return cli.main(argv)
    except SystemExit as exit_:
        return exit_.code if isinstance(exit_.code, int) else 1


@pytest.fixture
def text() -> SourceText:
    return SourceText("article", TEXT)


def case_text(metrics: str = "", people: str = "", extra: str = "") -> str:
    """A case citing source ``article``, with these metrics and people (YAML)."""
    return (
        "id: acme\ncompany: {name: Acme}\nsummary: S\n"
        + (f"metrics:\n{metrics}" if metrics else "")
        + (f"people:\n{people}" if people else "")
        + extra
        + "sources: [{id: article, outlet: O}]\n"
        + QUESTIONS
    )


def metric(value: str, passage: str, name: str = "m") -> str:
    return (
        f"  - id: {name}\n    label: L\n    value: {value}\n    source: article\n"
        f"    passage: {passage}\n"
    )


# -- the format ------------------------------------------------------------------------


def test_a_passage_is_start_and_an_optional_end() -> None:
    assert msgspec.convert({"start": "ab"}, Passage) == Passage(start="ab")
    both = msgspec.convert({"start": "ab", "end": "cd"}, Passage)
    assert (both.start, both.end) == ("ab", "cd")


def test_a_saying_is_bilingual_text_with_a_passage() -> None:
    person = msgspec.convert(
        {
            "name": "N",
            "role": "R",
            "said": ["plain", {"en": "E", "zh": "中", "passage": {"start": "x"}}],
        },
        Person,
    )
    plain, saying = person.said
    assert plain == "plain"
    assert isinstance(saying, Saying) and isinstance(saying, Bilingual)
    assert pick(saying, "zh") == "中" and saying.passage == Passage(start="x")


@pytest.mark.parametrize(
    ("yaml", "message"),
    [
        ("{start: " + "字" * 21 + "}", "expected text of at most 20 characters, got 21"),
        ('{start: ""}', "expected text of at least 1 characters, got 0"),
        ("{start: ab, end: " + "x" * 25 + "}", "expected text of at most 20 characters, got 25"),
        ("{start: ab, finish: cd}", "unknown key 'finish'"),
        ('{start: "two\\nlines"}', "must be on one line"),
        ('{start: " spaced"}', "must not begin or end with a space"),
    ],
)
def test_passage_words_are_checked_for_form(load_text, yaml: str, message: str) -> None:
    loaded = load_text(case_text(metric("3", yaml)))
    assert not loaded.ok
    assert any(message in d.message for d in loaded.diagnostics), loaded.diagnostics


def test_a_passage_without_a_source_is_an_error_at_the_passage(load_text) -> None:
    text = case_text(
        "  - id: m\n    label: L\n    value: 3\n    passage: {start: three}\n",
        "  - name: N\n    role: R\n    said:\n      - {en: E, zh: 中, passage: {start: x}}\n",
    )
    loaded = load_text(text)
    found = [(d.line, d.message) for d in loaded.diagnostics]
    assert (8, "a passage points into a source: give the item a source:") in found
    assert (13, "a passage points into a source: give the person a source:") in found


@pytest.mark.parametrize(
    "url",
    ["https://example.com/a?b=c#:~:text=x,y", "http://example.org", "https://例子.中国/路径"],
)
def test_a_source_may_give_its_web_address(url: str) -> None:
    source = convert({"id": "a", "outlet": "O", "url": url}, Source)  # type: ignore[arg-type]
    assert source.url == url


@pytest.mark.parametrize(
    "url",
    [
        "ftp://example.com/file",
        "javascript:alert(1)",
        "https://",
        "https:///path",
        "https://exa mple.com",
        "https://example.com/\n",
        "example.com",
        "https://" + "a" * 2000,
    ],
)
def test_a_web_address_is_http_or_https_and_bounded(load_text, url: str) -> None:
    loaded = load_text(
        "id: x\ncompany: {name: X}\nsummary: S\nsources:\n  - id: a\n    outlet: O\n"
        f"    url: {msgspec.json.encode(url).decode()}\n"
    )
    assert not loaded.ok
    (problem,) = loaded.diagnostics
    assert problem.line == 7
    assert "not a web address" in problem.message or "at most 2000" in problem.message


# -- finding passages ------------------------------------------------------------------


def test_a_passage_is_found_from_its_start_through_its_end(text: SourceText) -> None:
    span = text.resolve(Passage(start="By 2021", end="of orders"))
    assert isinstance(span, Span)
    assert TEXT[span.begin : span.end] == (
        "By 2021 it had more than 1,500 customers and 1.6 million yuan of orders"
    )
    alone = text.resolve(Passage(start="three engineers"))
    assert isinstance(alone, Span) and TEXT[alone.begin : alone.end] == "three engineers"


def test_a_start_must_be_found_exactly_once(text: SourceText) -> None:
    assert "not in the text" in str(text.resolve(Passage(start="Beta Widgets")))
    twice = text.resolve(Passage(start="Widgets"))  # "Acme Widgets" is there once, but...
    assert isinstance(twice, Span)
    assert "more than once" in str(text.resolve(Passage(start="1.6")))
    assert text.find_once("aaa") is None
    assert SourceText("s", "aaaa").find_once("aaa") is MANY  # overlapping finds count


def test_the_end_is_after_the_start_in_the_same_paragraph(text: SourceText) -> None:
    # "Its staff" is in the start's paragraph: found, even across a single line break.
    assert isinstance(text.resolve(Passage(start="By 2021", end="40 people")), Span)
    # "three engineers" comes before the start; "该公司" is in the next paragraph.
    for end in ("three engineers", "该公司", "By 2021"):
        found = text.resolve(Passage(start="By 2021", end=end))
        assert isinstance(found, str) and found.startswith("end: "), end


@pytest.mark.parametrize(
    ("start", "end", "found"),
    [
        ("a.*b(c)[d]+?^$|\\", "end here", True),  # every character literal
        ("{x}", None, True),
        (".+", None, False),  # as a pattern it would match anywhere
        ("(c)[d]", "^$|", True),
        ("[A-Z]cme", None, False),
        ("\\d+", None, False),
    ],
)
def test_words_are_matched_as_text_never_as_a_pattern(
    text: SourceText, start: str, end: str | None, found: bool
) -> None:
    result = text.resolve(Passage(start=start, end=end))
    assert isinstance(result, Span) is found, result


# -- numbers -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("run", "value"),
    [
        ("四", 4),
        ("十", 10),
        ("十二", 12),
        ("二十", 20),
        ("一百零五", 105),
        ("一千五百", 1500),
        ("两万", 20000),
        ("三万亿", 3 * 10**12),
        ("二〇二二", 2022),
        ("第一"[1:], 1),
    ],
)
def test_simple_chinese_numerals_are_read(run: str, value: int) -> None:
    assert chinese_numeral(run) == value


@pytest.mark.parametrize(
    ("passage", "numbers"),
    [
        (Passage(start="more than 1,500"), [1500]),
        (Passage(start="1.6 million"), [1_600_000, 1.6]),
        (Passage(start="该公司投入约1.6亿元"), [160_000_000, 1.6]),
        (Passage(start="客户1500多家"), [1500]),
        (Passage(start="员工1.46万人"), [14_600]),
        (Passage(start="研发人员约占一半"), [50, 0.5]),
        (Passage(start="超五成产品出口"), [50]),
        (Passage(start="拥有四项核心技术"), [4]),
        (Passage(start="排名第一"), [1]),
        (Passage(start="founded in 2009", end="engineers"), [2009]),
    ],
)
def test_a_number_is_found_in_its_usual_forms(
    text: SourceText, passage: Passage, numbers: list[float]
) -> None:
    span = text.resolve(passage)
    assert isinstance(span, Span)
    text.read_numbers(provenance.as_decimal(n) for n in numbers)
    for number in numbers:
        assert text.has_number(number, span), number
        assert text.has_number(-number, span), number  # a drop written as a negative


def test_a_number_outside_its_passage_is_not_found(text: SourceText) -> None:
    span = text.resolve(Passage(start="Its staff"))
    text.read_numbers([Decimal(1500), Decimal(40), Decimal(7)])
    assert not text.has_number(1500, span)  # in the same paragraph, not in the passage
    assert not text.has_number(7, span)
    wider = text.resolve(Passage(start="Its staff", end="40 people"))
    assert text.has_number(40, wider)  # type: ignore[arg-type]


def test_full_width_digits_are_numbers() -> None:
    source = SourceText("s", "共有１５００家。")
    source.read_numbers([Decimal(1500)])
    assert source.has_number(1500, Span(0, len(source.text)))


def test_a_float_is_compared_as_written() -> None:
    source = SourceText("s", "占地7.29亩，增长0.1和0.2，合计0.3。")
    source.read_numbers(provenance.as_decimal(n) for n in (7.29, 0.1 + 0.2, 0.3))
    whole = Span(0, len(source.text))
    assert source.has_number(7.29, whole)
    assert source.has_number(0.3, whole)
    assert not source.has_number(0.1 + 0.2, whole)  # 0.30000000000000004 is not written


# -- whole files, through validate -------------------------------------------------------


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    cases = tmp_path / "cases"
    cases.mkdir()
    (tmp_path / "article.txt").write_text(TEXT, encoding="utf-8")
    return cases


def write(folder: Path, text: str, name: str = "acme.yaml") -> Path:
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def test_validate_checks_passages_against_the_source_text(folder: Path, capsys) -> None:
    metrics = (
        metric("{value: 1500, qualifier: over}", "{start: By 2021, end: customers}", "good")
        + metric("1600000", "{start: 1.6 million}", "million")
        + metric("41", "{start: Its staff, end: 40 people}", "wrong")
        + metric("3", "{start: Beta Widgets}", "missing")
        + metric("3", '{start: "1.6"}', "twice")
        + metric("3", "{start: By 2021, end: three engineers}", "before")
    )
    people = (
        "  - name: N\n    role: R\n    source: article\n    said:\n"
        "      - {en: E, zh: 中, passage: {start: a.*b(c), end: end here}}\n"
    )
    write(folder, case_text(metrics, people))
    source = f"article={folder.parent / 'article.txt'}"
    assert run(["validate", "--source", source, str(folder)]) == cli.EXIT_INVALID
    out = capsys.readouterr().out.splitlines()
    problems = [line.split(": ", 1) for line in out if line.startswith(str(folder))]
    assert len(problems) == 4, out
    lines = [(place.split(":", 1)[1], message) for place, message in problems]
    assert [place for place, _ in lines] == ["19:14", "24:22", "29:22", "34:36"]
    assert lines[0][1].startswith(
        "figure 'wrong': its value 41 is not in its passage (Its staff grew to 40 people)"
    )
    assert lines[1][1] == "passage start 'Beta Widgets' is not in the text of source 'article'"
    assert "passage start '1.6' is found more than once" in lines[2][1]
    assert "passage end 'three engineers' is not found after the start 'By 2021'" in lines[3][1]
    assert out[-1] == "1 file checked: 0 valid, 1 invalid"


def test_the_source_may_be_named_before_or_after_the_command(folder: Path, capsys) -> None:
    write(folder, case_text(metric("3", "{start: Beta Widgets}")))
    source = f"article={folder.parent / 'article.txt'}"
    for argv in (
        ["--source", source, "validate", str(folder)],
        ["--sou", source, "validate", str(folder)],
        [f"--source={source}", "validate", str(folder)],
        ["validate", str(folder), "--source", source],
    ):
        assert run(argv) == cli.EXIT_INVALID, argv
        assert "not in the text" in capsys.readouterr().out


def test_without_the_text_passages_are_checked_for_form_only(folder: Path, capsys) -> None:
    write(folder, case_text(metric("3", "{start: Beta Widgets}")))
    assert run(["validate", str(folder)]) == cli.EXIT_OK
    other = f"report={folder.parent / 'article.txt'}"  # a text, but of another source
    assert run(["validate", "--source", other, str(folder)]) == cli.EXIT_OK
    capsys.readouterr()


def test_a_folder_of_source_texts(folder: Path, monkeypatch, capsys) -> None:
    write(folder, case_text(metric("3", "{start: Beta Widgets 3}")))
    texts = folder.parent / "texts"
    texts.mkdir()
    monkeypatch.setenv("CASEBOOK_SOURCES", str(texts))
    assert run(["validate", str(folder)]) == cli.EXIT_OK  # no article.txt there
    (texts / "article.txt").write_text(TEXT, encoding="utf-8")
    assert run(["validate", str(folder)]) == cli.EXIT_INVALID
    assert "not in the text of source 'article'" in capsys.readouterr().out
    # --source wins over the folder for the same id.
    good = folder.parent / "good.txt"
    good.write_text("Beta Widgets 3 made.", encoding="utf-8")
    assert run(["validate", "--source", f"article={good}", str(folder)]) == cli.EXIT_OK
    monkeypatch.setenv("CASEBOOK_SOURCES", str(folder.parent / "nowhere"))
    assert run(["validate", str(folder)]) == cli.EXIT_USAGE
    assert "CASEBOOK_SOURCES" in capsys.readouterr().err


@pytest.mark.parametrize(
    ("option", "why"),
    [
        ("article", "give ID=PATH"),
        ("article=", "give ID=PATH"),
        ("Not An Id=x.txt", "is not a source id"),
        ("article=does-not-exist.txt", "no such file"),
    ],
)
def test_a_bad_source_option_is_a_usage_error(folder: Path, capsys, option: str, why: str):
    write(folder, case_text(metric("3", "{start: three}")))
    assert run(["validate", "--source", option, str(folder)]) == cli.EXIT_USAGE
    err = capsys.readouterr().err
    assert why in err and "Traceback" not in err


@pytest.mark.parametrize("kind", ["too-large", "not-utf8", "symlink", "folder"])
def test_an_unusable_source_text_is_refused(folder: Path, capsys, kind: str) -> None:
    write(folder, case_text(metric("3", "{start: three}")))
    bad = folder.parent / "bad.txt"
    if kind == "too-large":
        bad.write_bytes(b"a" * (SOURCE_MAX_BYTES + 1))
    elif kind == "not-utf8":
        bad.write_bytes("三个工程师".encode("gbk"))
    elif kind == "symlink":
        (folder.parent / "real.txt").write_text(TEXT, encoding="utf-8")
        bad.symlink_to(folder.parent / "real.txt")
    else:
        bad.mkdir()
    assert run(["validate", "--source", f"article={bad}", str(folder)]) == cli.EXIT_USAGE
    err = capsys.readouterr().err
    assert str(bad) in err and "Traceback" not in err


def test_a_source_text_with_windows_line_ends_and_a_bom(tmp_path: Path) -> None:
    path = tmp_path / "s.txt"
    path.write_bytes(b"\xef\xbb\xbfone 1\r\n\r\ntwo 2\r\n")
    text = provenance.read_source(path)
    assert text == "one 1\n\ntwo 2\n"
    source = SourceText("s", text)
    assert "same paragraph" in str(source.resolve(Passage(start="one", end="two")))


def test_strict_warns_of_figures_and_sayings_without_a_passage(load_text) -> None:
    text = case_text(
        "  - id: m\n    label: L\n    value: 3\n    source: article\n"
        "  - id: unsourced\n    label: L\n    value: 3\n",  # warned of as missing-source
        "  - name: N\n    role: R\n    source: article\n    said:\n"
        "      - plain text\n      - {en: E, zh: 中}\n"
        "      - {en: E, zh: 中, passage: {start: x}}\n",
    )
    found = lint(load_text(text), text)
    codes = [(d.message.split(":")[0], d.line) for d in found]
    assert codes == [
        ("missing-passage", 5),
        ("missing-source", 9),
        ("missing-passage", 17),
        ("missing-passage", 18),
    ]
    assert all(d.severity == "warning" for d in found)


# -- hostile inputs -----------------------------------------------------------------------


def _big_text(size: int = SOURCE_MAX_BYTES) -> str:
    """A UTF-8 text of exactly ``size`` bytes: paragraphs of Chinese with numbers."""
    paragraph = "第{n}段：该企业投入{n}万元，员工{n}人，客户超过1,{m:03d}家。\n\n"
    parts, total, n = [], 0, 0
    while True:
        part = paragraph.format(n=n, m=n % 1000)
        size_of = len(part.encode("utf-8"))
        if total + size_of > size:
            break
        parts.append(part)
        total += size_of
        n += 1
    parts.append("x" * (size - total))
    return "".join(parts)


def test_a_source_at_the_cap_is_read_and_one_byte_more_is_not(tmp_path: Path) -> None:
    path = tmp_path / "big.txt"
    path.write_text(_big_text(), encoding="utf-8")
    assert path.stat().st_size == SOURCE_MAX_BYTES
    assert provenance.read_source(path).startswith("第0段")
    with path.open("ab") as stream:
        stream.write(b"y")
    with pytest.raises(SourceError, match="cannot read"):
        provenance.read_source(path)


def test_many_passages_in_a_text_at_the_cap_take_linear_time() -> None:
    """Thousands of figures against a 4 MiB text: each start costs a scan or two in C,
    and the text's numbers are read once for all of them, never once per figure."""
    text = _big_text()
    count = 1500
    metrics = "".join(
        metric(
            f"{n * 10_000}",
            "{start: " + f"第{n}段：该企业投入" + ", end: 万元}",
            f"m{n}",
        )
        for n in range(0, count * 30, 30)
    )
    special = "".join(  # words full of regex syntax, none of them in the text
        metric("1", "{start: " + f'"(.*)+[{n}]?\\\\d{{9}}^$"' + "}", f"s{n}") for n in range(200)
    )
    data, _ = load_mapping(case_text(metrics + special))
    document = convert(data, Case)
    sources = Sources()
    sources._read["article"] = SourceText("article", text)
    started = time.process_time()
    (problems,) = provenance.check_documents([document], sources)
    elapsed = time.process_time() - started
    assert [p.path[1] for p in problems] == list(range(count, count + 200))
    assert all("is not in the text" in p.message for p in problems)
    assert elapsed < 30, elapsed


def test_the_numbers_of_a_text_are_read_once_for_all_figures(monkeypatch) -> None:
    calls = []
    pattern = provenance._NUMBER

    class Counting:
        def finditer(self, text: str):
            calls.append(len(text))
            return pattern.finditer(text)

    monkeypatch.setattr(provenance, "_NUMBER", Counting())
    text = "\n\n".join(f"段{n}有{n}家" for n in range(500))
    sources = Sources()
    sources._read["article"] = SourceText("article", text)
    document = convert(
        {
            "id": "x",
            "company": {"name": "X"},
            "summary": "S",
            "sources": [{"id": "article", "outlet": "O"}],
            "metrics": [
                {
                    "id": f"m{n}",
                    "label": "L",
                    "value": n,
                    "source": "article",
                    "passage": {"start": f"段{n}有"},
                }
                for n in range(500)
            ],
        },
        Case,
    )
    (problems,) = provenance.check_documents([document], sources)
    assert problems == []
    assert len(calls) == 1
