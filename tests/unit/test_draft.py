"""``casebook draft``: a case skeleton drafted from a source text (issue #17).

The samples are written for these tests (invented companies and figures), in simplified
and traditional Chinese and in English.
"""

from __future__ import annotations

import os
import re
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
import yaml

from casebook import cli
from casebook.model.author import draft as drafting
from casebook.model.author.draft import (
    LEFT_OUT_COUNTED,
    MAX_EVENTS,
    MAX_FIGURES,
    MAX_FINDS,
    Draft,
    draft_case,
    slug,
    source_id_for,
)
from casebook.model.author.template import case_template
from casebook.model.format.case import PASSAGE_WORDS_MAX, Case, Passage, convert
from casebook.model.format.schema import MODELINE, SCHEMA_FILE
from casebook.model.format.text import UNSAFE_CHARS
from casebook.model.load import provenance
from casebook.model.load.lint import lint
from casebook.model.load.loader import load_file, read_text
from casebook.model.load.provenance import (
    SOURCE_MAX_BYTES,
    SourceText,
    Span,
    as_decimal,
    check_documents,
)
from casebook.model.load.yamlsafe import load_mapping

SIMPLIFIED = """\
江南阀门：一家阀门厂的数字化之路

江南阀门成立于2005年，现有员工1200余人。2020年3月，公司投入约3000万元建设数字化车间，订单交付周期从45天缩短到20天以内。

公司已累计取得发明专利二十项，产品出口到30多个国家和地区，年产值超过5亿元。厂区占地4.5万平方米，主厂房长120米。

2019年至2021年间，公司新增两条生产线，不良品率下降了五成左右。去年，公司研发投入不到800万元，引进技术人才近50人，新增客户100家以上。
"""

TRADITIONAL = """\
臺北精工：一家小廠的數位轉型

臺北精工成立於2003年，目前員工約120人。2021年9月，公司投入近1.2億元建設智慧工廠，產品不良率從5%降到1%以下。

公司擁有兩條自動化產線，每年生產超過30萬件零件，客戶達200餘家。研發人員佔比約三成，已取得十二項專利。

2018年至2020年間，公司與3所大學合作，培養技術人員50多名，營收增長了15%左右。
"""

ENGLISH = """\
Northwind Pumps: a small firm that learned to measure

Northwind Pumps was founded in 1998 in a river town. By September 2021 it employed
about 240 workers and sold pumps in more than 30 countries.

In 2019 the company spent $1.6 million on sensors. Downtime fell from 12 days a year
to under 3 days, and energy use per pump dropped by nearly 18%.
Its order book grew to 4,000-6,000 units a quarter. Some 45 percent of sales came from
repeat customers, and fewer than 10 suppliers delivered over 90% of parts.

From 2015 to 2018 the firm built 3 new lines; the plan for the 2020s is 2 more. See
Table 3 and the COVID-19 notes on page 12. The G20 meeting and the 5G rollout were
mentioned on 14 March 2022.
"""

SAMPLES = {"simplified": SIMPLIFIED, "traditional": TRADITIONAL, "english": ENGLISH}


def draft_of(text: str, case_id: str = "sample", source_id: str = "sample") -> Draft:
    return draft_case(text, case_id, source_id, Path(f"{source_id}.txt"))


def data_of(text: str) -> dict[str, Any]:
    return yaml.safe_load(draft_of(text).text)


def metrics_of(text: str) -> list[dict[str, Any]]:
    return data_of(text)["metrics"]


def figure(metric: dict[str, Any], lang: str = "zh") -> tuple[Any, ...]:
    """(value, to, qualifier, unit as the text writes it) of a drafted metric, from a
    text in ``lang``."""
    value = metric["value"]
    unit = metric.get("unit")
    if isinstance(unit, dict):
        unit = unit[lang]
    if isinstance(value, dict):
        return (value["value"], value.get("to"), value.get("qualifier", "exact"), unit)
    return (value, None, "exact", unit)


def write_and_load(tmp_path: Path, text: str, name: str = "sample") -> tuple[Path, Path]:
    """The sample's source file and its draft, written to ``tmp_path``."""
    source = tmp_path / f"{name}.txt"
    source.write_text(text, encoding="utf-8")
    target = tmp_path / f"{name}.yaml"
    target.write_text(draft_case(text, name, name, source).text, encoding="utf-8")
    return source, target


def warning_codes(path: Path) -> set[str]:
    loaded = load_file(path, path.name)
    assert loaded.ok, [str(d) for d in loaded.diagnostics]
    return {d.message.split(":")[0] for d in lint(loaded, read_text(path), path.name)}


# -- what a draft finds ---------------------------------------------------------------------


def test_simplified_chinese_figures_units_and_qualifiers() -> None:
    found = [figure(m) for m in metrics_of(SIMPLIFIED)]
    assert found == [
        (1200, None, "over", "人"),  # 1200余人
        (30_000_000, None, "about", "元"),  # 约3000万元
        (45, None, "exact", "天"),
        (20, None, "under", "天"),  # 20天以内
        (20, None, "exact", "项"),  # 二十项
        (30, None, "over", "个"),  # 30多个
        (500_000_000, None, "over", "元"),  # 超过5亿元
        (45_000, None, "exact", "平方米"),  # 4.5万平方米
        (120, None, "exact", "米"),
        (2, None, "exact", "条"),  # 两条
        (50, None, "about", "%"),  # 五成左右
        (8_000_000, None, "under", "元"),  # 不到800万元
        (50, None, "under", "人"),  # 近50人: nearly
        (100, None, "over", "家"),  # 100家以上
    ]


def test_traditional_chinese_is_read_as_simplified() -> None:
    found = [figure(m) for m in metrics_of(TRADITIONAL)]
    assert found == [
        (120, None, "about", "人"),  # 約120人
        (120_000_000, None, "under", "元"),  # 近1.2億元
        (5, None, "exact", "%"),
        (1, None, "under", "%"),  # 1%以下
        (2, None, "exact", "條"),  # 兩條
        (300_000, None, "over", "件"),  # 超過30萬件
        (200, None, "over", "家"),  # 200餘家
        (30, None, "about", "%"),  # 約三成
        (12, None, "exact", "項"),  # 十二項
        (3, None, "exact", "所"),
        (50, None, "over", "名"),  # 50多名
        (15, None, "about", "%"),  # 15%左右
    ]


def test_english_figures_units_and_qualifiers() -> None:
    found = [figure(m, "en") for m in metrics_of(ENGLISH)]
    assert found == [
        (240, None, "about", "workers"),
        (30, None, "over", "countries"),
        (1_600_000, None, "exact", "US dollars"),  # $1.6 million
        (12, None, "exact", "days"),
        (3, None, "under", "days"),
        (18, None, "under", "%"),  # nearly 18%
        (4000, 6000, "exact", "units"),  # a range
        (45, None, "about", "%"),  # some 45 percent
        (10, None, "under", "suppliers"),  # fewer than 10
        (90, None, "over", "%"),
        (3, None, "exact", None),  # 3 new lines: no plural noun right after it
        (2, None, "exact", None),
    ]  # not: G20, 5G, COVID-19, Table 3, page 12, the day 14, the years


def test_the_wording_keeps_the_texts_words_and_gives_the_other_language() -> None:
    by_value = {
        m["value"]["value"]: m["value"]
        for m in metrics_of(SIMPLIFIED)
        if isinstance(m["value"], dict)
    }
    assert by_value[1200]["wording"] == {"en": "more than 1,200 people", "zh": "1200余人"}
    assert by_value[30_000_000]["wording"] == {"en": "about 30 million yuan", "zh": "约3000万元"}
    english = {
        m["value"]["value"]: m["value"] for m in metrics_of(ENGLISH) if isinstance(m["value"], dict)
    }
    assert english[18]["wording"] == {"en": "nearly 18%", "zh": "近18%"}
    assert english[10]["wording"]["en"] == "fewer than 10 suppliers"


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("客户不到10家。", (10, None, "under", "家")),
        ("客户不足10家。", (10, None, "under", "家")),
        ("员工约300人。", (300, None, "about", "人")),
        ("支持近300个平台。", (300, None, "under", "个")),
        ("最近3年增长。", (3, None, "exact", "年")),  # 最近: "the last", not "nearly"
        ("超过50家企业。", (50, None, "over", "家")),
        ("超70%的企业。", (70, None, "over", "%")),
        ("50家以上。", (50, None, "over", "家")),
        ("1500多家客户。", (1500, None, "over", "家")),
        ("300余人。", (300, None, "over", "人")),
        ("100人左右。", (100, None, "about", "人")),
        ("缩短到10天以下。", (10, None, "under", "天")),
        ("新增3万人。", (30_000, None, "exact", "人")),
        ("营收2.5亿元。", (250_000_000, None, "exact", "元")),
        ("长3米。", (3, None, "exact", "米")),
        ("投入800元。", (800, None, "exact", "元")),
        ("取得4项专利。", (4, None, "exact", "项")),
        ("增长了12%。", (12, None, "exact", "%")),
        ("培育4000至6000家企业。", (4000, 6000, "exact", "家")),
        ("10余万元。", (10, None, "over", "万元")),  # the number stays as the text reads it
        ("nearly 40 firms.", (40, None, "under", "firms")),
        ("almost 40 firms.", (40, None, "under", "firms")),
        ("more than 40 firms.", (40, None, "over", "firms")),
        ("over 40 firms.", (40, None, "over", "firms")),
        ("under 40 firms.", (40, None, "under", "firms")),
        ("less than 40%.", (40, None, "under", "%")),
        ("about 40 firms.", (40, None, "about", "firms")),
        ("around 40 people.", (40, None, "about", "people")),
        ("40 firms or more.", (40, None, "over", "firms")),
        ("300+ robots.", (300, None, "over", "robots")),
        ("1.5 billion yuan.", (1_500_000_000, None, "exact", "yuan")),
    ],
)
def test_qualifiers_and_units(sentence: str, expected: tuple[Any, ...]) -> None:
    lang = "zh" if re.search("[\u3400-\u9fff]", sentence) else "en"
    assert [figure(m, lang) for m in metrics_of(f"Sample.\n\n{sentence}\n")] == [expected]


@pytest.mark.parametrize(
    "sentence",
    [
        "第4批名单。",  # an ordinal
        "第一批名单。",
        "一家企业。",  # "a firm"
        "几十项专利。",  # "dozens"
        "千家万户。",  # an idiom
        "十分重要。",
        "9月14日上午8点。",  # a date and a time
        "5G and 3D printing.",
        "COVID-19 and ISO9001.",
        "See Table 3 and page 12.",
        "half of them.",
        "一半的企业。",
    ],
)
def test_not_figures(sentence: str) -> None:
    assert metrics_of(f"Sample.\n\n{sentence}\n") == []


# -- dates ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "dates"),
    [
        ("simplified", [2005, "2019-2021", "2020-03"]),
        ("traditional", [2003, "2018-2020", "2021-09"]),
        ("english", [1998, "2015-2018", 2019, "2020s", "2021-09", "2022-03-14"]),
    ],
)
def test_dates_are_events_in_order_not_figures(name: str, dates: list[Any]) -> None:
    data = data_of(SAMPLES[name])
    assert [event["date"] for event in data["timeline"]] == dates
    years = {date for date in dates if isinstance(date, int)}
    assert not years & {figure(metric)[0] for metric in data["metrics"]}


@pytest.mark.parametrize(
    ("sentence", "date"),
    [
        ("公司2010年底上市。", "late 2010"),
        ("2015年初投产。", "early 2015"),
        ("2022年9月14日开工。", "2022-09-14"),
        ("2022年2月30日开工。", "2022-02"),  # no such day: as precise as is real
        ("二〇二二年开工。", 2022),
        ("1990年代创办。", "1990s"),
        ("2004—2008年建成。", "2004-2008"),
        ("It opened in 2012.", 2012),
        ("It opened on Sept. 3, 2012.", "2012-09-03"),
    ],
)
def test_dates(sentence: str, date: Any) -> None:
    data = data_of(f"Sample.\n\n{sentence}\n")
    assert [event["date"] for event in data["timeline"]] == [date]
    assert data["metrics"] == []


# -- passages -------------------------------------------------------------------------------


def passages(data: dict[str, Any]) -> list[Passage]:
    items = [*data["metrics"], *data["timeline"]]
    return [
        Passage(start=item["passage"]["start"], end=item["passage"].get("end")) for item in items
    ]


@pytest.mark.parametrize("name", SAMPLES)
def test_every_passage_is_found_once_and_holds_its_numbers(name: str) -> None:
    text = SAMPLES[name]
    data = data_of(text)
    source = SourceText("sample", text)
    assert data["metrics"] and data["timeline"]
    for passage in passages(data):
        assert 1 <= len(passage.start) <= PASSAGE_WORDS_MAX
        assert passage.end is None or 1 <= len(passage.end) <= PASSAGE_WORDS_MAX
        for words in (passage.start, passage.end or "x"):
            assert "\n" not in words and words == words.strip()
        assert isinstance(source.find_once(passage.start), int), passage
        assert isinstance(source.resolve(passage), Span), passage
    case = load_case(draft_of(text).text)
    assert check_documents([case], _sources(text)) == [[]]  # as validate --source checks


def load_case(text: str) -> Case:
    data, problems = load_mapping(text)
    assert problems == []
    case = convert(data, Case)
    assert isinstance(case, Case)
    return case


def _sources(text: str) -> provenance.Sources:
    sources = provenance.Sources()
    sources._read["sample"] = SourceText("sample", text)
    return sources


@pytest.mark.parametrize("name", SAMPLES)
def test_each_passage_picks_out_its_sentence(name: str) -> None:
    text = SAMPLES[name]
    source = SourceText("sample", text)
    for metric in data_of(text)["metrics"]:
        span = source.resolve(Passage(**metric["passage"]))
        assert isinstance(span, Span)
        passage = text[span.begin : span.end]
        assert not re.search(r"[。！？]|\.\s|\n\s*\n", passage), passage  # one sentence
        value = metric["value"]["value"] if isinstance(metric["value"], dict) else metric["value"]
        source.read_numbers([abs(as_decimal(value))])
        assert source.has_number(value, span)


def test_a_shared_start_is_shifted_and_a_repeated_sentence_is_left_out() -> None:
    text = (
        "公司表示，今年产量达到500万件。公司表示，今年员工达到300人。\n\n"
        "重复的一句话共有7家。重复的一句话共有7家。\n"
    )
    draft = draft_of(text)
    data = yaml.safe_load(draft.text)
    assert [figure(m) for m in data["metrics"]] == [
        (5_000_000, None, "exact", "件"),
        (300, None, "exact", "人"),
    ]
    source = SourceText("sample", text)
    for passage in passages(data):
        assert isinstance(source.resolve(passage), Span)
    assert draft.not_once == 2
    assert "2 figure(s) or date(s) were left out" in draft.text


# -- the file -------------------------------------------------------------------------------


@pytest.mark.parametrize("name", SAMPLES)
def test_the_draft_validates_as_a_fresh_template_does(tmp_path: Path, name: str) -> None:
    source, target = write_and_load(tmp_path, SAMPLES[name])
    template = tmp_path / "fresh.yaml"
    template.write_text(case_template("fresh"), encoding="utf-8")
    assert warning_codes(target) <= warning_codes(template) | {"template-text"}
    assert draft_case(SAMPLES[name], "sample", "sample", source).text.splitlines()[0] == MODELINE
    assert cli.main(["validate", "--source", f"sample={source}", str(target)]) == 0


def test_the_draft_lists_its_source_with_an_id_from_the_file_name(tmp_path: Path) -> None:
    source = tmp_path / "Annual Report 2022.zh.txt"
    source.write_text(SIMPLIFIED, encoding="utf-8")
    assert cli.main(["draft", str(source), "--dir", str(tmp_path)]) == 0
    written = tmp_path / "annual-report-2022-zh.yaml"
    case = load_file(written).document
    assert isinstance(case, Case)
    assert case.id == "annual-report-2022-zh"
    assert [s.id for s in case.sources] == ["annual-report-2022-zh"]
    assert {m.source for m in case.metrics} == {"annual-report-2022-zh"}
    assert (tmp_path / SCHEMA_FILE).exists()
    assert cli.main(["validate", "--source", f"annual-report-2022-zh={source}", str(written)]) == 0


def test_id_option_and_slugs(tmp_path: Path) -> None:
    source = tmp_path / "x.txt"
    source.write_text(ENGLISH, encoding="utf-8")
    assert cli.main(["draft", str(source), "--id", "northwind", "--dir", str(tmp_path)]) == 0
    assert load_file(tmp_path / "northwind.yaml").document.sources[0].id == "x"
    assert slug("Ünïcode Name_v2!") == "unicode-name-v2"
    assert slug("报告") == ""
    assert source_id_for(Path("报告.txt")) == "source"


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["--id", "Bad_Id"], "not a valid id"),
        ([], "gives no id"),
    ],
)
def test_usage_mistakes_exit_2(tmp_path: Path, capsys, argv: list[str], message: str) -> None:
    source = tmp_path / "报告.txt"
    source.write_text(SIMPLIFIED, encoding="utf-8")
    assert cli.main(["draft", str(source), "--dir", str(tmp_path), *argv]) == 2
    assert message in capsys.readouterr().err
    assert list(tmp_path.glob("*.yaml")) == []


def test_an_unreadable_source_exits_2(tmp_path: Path, capsys) -> None:
    assert cli.main(["draft", str(tmp_path / "missing.txt"), "--dir", str(tmp_path)]) == 2
    assert "no such source text" in capsys.readouterr().err
    big = tmp_path / "big.txt"
    big.write_bytes(b"a" * (SOURCE_MAX_BYTES + 1))
    assert cli.main(["draft", str(big), "--dir", str(tmp_path)]) == 2
    latin1 = tmp_path / "latin.txt"
    latin1.write_bytes("caf\xe9 3 firms".encode("latin-1"))
    assert cli.main(["draft", str(latin1), "--dir", str(tmp_path)]) == 2
    assert list(tmp_path.glob("*.yaml")) == []


def test_never_overwrites_a_file(tmp_path: Path, capsys) -> None:
    source = tmp_path / "sample.txt"
    source.write_text(SIMPLIFIED, encoding="utf-8")
    existing = tmp_path / "sample.yaml"
    existing.write_text("mine\n", encoding="utf-8")
    assert cli.main(["draft", str(source), "--dir", str(tmp_path)]) == 1
    assert "already exists" in capsys.readouterr().err
    assert existing.read_text(encoding="utf-8") == "mine\n"


@pytest.mark.skipif(not hasattr(os, "symlink"), reason="needs symlinks")
def test_never_writes_through_a_symlink(tmp_path: Path) -> None:
    source = tmp_path / "sample.txt"
    source.write_text(SIMPLIFIED, encoding="utf-8")
    victim = tmp_path / "victim.txt"
    victim.write_text("keep\n", encoding="utf-8")
    out = tmp_path / "out"
    out.mkdir()
    (out / "sample.yaml").symlink_to(victim)
    assert cli.main(["draft", str(source), "--dir", str(out)]) == 1
    assert victim.read_text(encoding="utf-8") == "keep\n"
    (out / "sample.yaml").unlink()
    (out / "sample.yaml").symlink_to(tmp_path / "nowhere.yaml")  # dangling
    assert cli.main(["draft", str(source), "--dir", str(out)]) == 1
    assert not (tmp_path / "nowhere.yaml").exists()
    assert (out / "sample.yaml").is_symlink()


def test_writes_into_the_active_case_folder(tmp_path: Path, monkeypatch) -> None:
    cases = tmp_path / "cases"
    cases.mkdir()
    source = tmp_path / "sample.txt"
    source.write_text(TRADITIONAL, encoding="utf-8")
    assert cli.main(["--cases", str(cases), "draft", str(source)]) == 0
    assert load_file(cases / "sample.yaml").ok


def test_no_figures_still_loads(tmp_path: Path) -> None:
    _, target = write_and_load(tmp_path, "只有文字，没有数字。\n\nNo numbers here.\n")
    data = yaml.safe_load(target.read_text(encoding="utf-8"))
    assert data["metrics"] == [] and data["timeline"] == []
    assert load_file(target).ok


# -- hostile text ---------------------------------------------------------------------------

HOSTILE = (
    "[b]Revenue[/b]: more than 30% #1 & *alias !tag {x} 'q' \"dq\" - yes: no\n\n"
    "\x1b[31mRed\x07 text with 12 firms\x1b[0m and [@click=quit]7 people[/].\n\n"
    "Line\u2028break 5 firms\u2029and\x85 nel 9 units\ufeff here.\n\n"
    "Bidi \u202eevil 40 people\u202c back; \t tabbed 8 days.\n\n"
    "%YAML 1.2 --- ... 11 firms: |> ~ null ? key 6 people.\n"
)


def test_hostile_text_is_written_safely(tmp_path: Path) -> None:
    source, target = write_and_load(tmp_path, HOSTILE)
    written = target.read_text(encoding="utf-8")
    assert not UNSAFE_CHARS.search(written)
    assert not re.search("[\u2028\u2029\ufeff]", written)
    assert len(written.splitlines()) == written.count("\n")
    loaded = load_file(target)
    assert loaded.ok, [str(d) for d in loaded.diagnostics]
    case = loaded.document
    assert isinstance(case, Case)
    assert case.id == "sample" and len(case.metrics) >= 5
    assert check_documents([case], _sources(read_source_like(source))) == [[]]
    for metric in case.metrics:
        for words in (metric.passage.start, metric.passage.end or "x"):
            assert not UNSAFE_CHARS.search(words)
            assert not re.search("[\u2028\u2029\ufeff]", words)


def read_source_like(path: Path) -> str:
    return provenance.read_source(path)


def test_a_hostile_file_name_stays_in_its_comment(tmp_path: Path) -> None:
    name = Path("evil\n- id: x\n\u2028[b]#.txt")
    text = draft_case(ENGLISH, "sample", "sample", name).text
    data = yaml.safe_load(text)
    assert data["id"] == "sample"
    assert "evil\\n- id: x" in text
    assert not re.search("[\u2028\x00-\x08\x0b-\x1f]", text)


@pytest.mark.parametrize(
    "value", ["[b]", "a: b", "#1", "yes", "- x", "\x1b[31m", "tab\there", "'q'", '"d"', "@x", "~"]
)
def test_values_are_quoted_by_the_emitter(value: str) -> None:
    written = drafting._flow({"en": value, "zh": value})
    assert "\n" not in written and not UNSAFE_CHARS.search(written)
    assert yaml.safe_load(f"k: {written}") == {"k": {"en": value, "zh": value}}


# -- work -----------------------------------------------------------------------------------


def _long_text(size: int) -> str:
    """A text of about ``size`` bytes, its sentences unlike each other, with figures."""
    parts: list[str] = []
    total = index = 0
    while total < size - 200:
        sentence = (
            f"车间{index:07d}报告：本月产量达到{index % 977 + 2}万件，员工{index % 300 + 2}人。"
        )
        sentence += "\n\n" if index % 5 == 4 else ""
        parts.append(sentence)
        total += len(sentence.encode("utf-8"))
        index += 1
    return "".join(parts)


def test_a_text_at_the_size_cap_is_drafted_with_bounded_work(monkeypatch) -> None:
    finds = []
    real = SourceText.find_once

    def counted(self: SourceText, words: str) -> object:
        finds.append(words)
        return real(self, words)

    monkeypatch.setattr(SourceText, "find_once", counted)
    text = _long_text(SOURCE_MAX_BYTES)
    assert SOURCE_MAX_BYTES - 300 < len(text.encode("utf-8")) <= SOURCE_MAX_BYTES
    draft = draft_of(text)
    assert draft.figures == MAX_FIGURES
    assert draft.figures_left_out == LEFT_OUT_COUNTED  # then the text is read no further
    assert f"{LEFT_OUT_COUNTED} or more more figure(s)" in draft.text
    assert "The text was read for figures only as far as its line" in draft.text
    assert len(set(finds)) <= draft.finds <= MAX_FINDS  # (a word's second search is remembered)
    assert draft.finds <= 2 * (MAX_FIGURES + MAX_EVENTS)  # unlike sentences: one or two each
    quarter = draft_of(_long_text(SOURCE_MAX_BYTES // 4))
    assert quarter.finds == draft.finds  # the work is the cap's, not the text's size
    assert yaml.safe_load(draft.text)["metrics"][-1]["id"] == f"figure-{MAX_FIGURES}"


def test_a_text_of_one_repeated_sentence_is_cheap(monkeypatch) -> None:
    text = ("The firm had 1,500 workers in 2017. " * 120_000)[:SOURCE_MAX_BYTES]
    draft = draft_of(text)
    assert draft.figures == draft.events == 0
    assert draft.finds <= MAX_FINDS
    assert draft.not_once > 0
    assert load_case(draft.text).metrics == []


def test_long_runs_are_cut_not_read_whole() -> None:
    digits = "5" * 100_000  # one number too large for a case
    sentence = "a" * 50_000 + " 7 firms " + "b" * 50_000  # a sentence without an end
    draft = draft_of(f"{digits}\n\n{sentence}\n")
    (metric,) = yaml.safe_load(draft.text)["metrics"]
    assert figure(metric, "en") == (7, None, "exact", "firms")
    shown = [line for line in draft.text.splitlines() if line.lstrip().startswith("# “")]
    assert shown and all(len(line) < 300 for line in shown)


def test_reading_numbers_is_provenances(monkeypatch) -> None:
    """The draft reads numbers with provenance's reader: what it finds, validate finds."""
    seen: list[str] = []
    real = drafting.numbers_in

    def spy(text: str) -> Any:
        for found, values in real(text):
            seen.append(found.group())
            yield found, values

    monkeypatch.setattr(drafting, "numbers_in", spy)
    draft_of("Sales rose 12% to 1.6亿元.\n")
    assert seen == ["12", "1.6亿"]
    assert provenance.chinese_numeral("兩萬") == 20_000
    assert dict(provenance.numbers_in("1.2億"))  # read at all
    ((_, values),) = list(provenance.numbers_in("1.2億"))
    assert Decimal(120_000_000) in values
