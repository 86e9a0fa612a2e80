"""Full-text search: both scripts, mixed widths, spaces, highlights, order, editions, speed path."""

from __future__ import annotations

import re
import subprocess
import sys
import unicodedata
from pathlib import Path

import msgspec
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from casebook.model.format.addresses import INTRO_ID, PANES
from casebook.model.format.case import Case, citation, convert, to_builtins
from casebook.model.format.text import both
from casebook.model.load.library import Library, bundled_cases_dir, load_library
from casebook.model.views.search import (
    _MAYBE_ODD,
    SearchIndex,
    fold,
    fold_all,
    search_notes,
    terms,
)

REPO = Path(__file__).resolve().parents[2]
HUAYI = "huayi-precision"


@pytest.fixture(scope="module")
def library() -> Library:
    return load_library([bundled_cases_dir()])


@pytest.fixture(scope="module")
def index(library) -> SearchIndex:
    return SearchIndex.build(library)


def spans(hits) -> list[tuple[str, str, tuple, int, int]]:
    return [(h.entry_id, h.pane, h.item, h.start, h.end) for h in hits]


def case_from(data: dict) -> Case:
    case = convert({"summary": "Just enough.", **data}, Case)
    assert isinstance(case, Case)
    return case


def tiny_index(*texts: str) -> SearchIndex:
    """An index over one case whose discussion questions are ``texts``."""
    case = case_from({"id": "tiny", "company": {"name": "Tiny"}, "discussion_questions": texts})
    return SearchIndex.build(Library(cases={"tiny": case}))


# -- both scripts, widths, spaces, case ------------------------------------------------


@pytest.mark.parametrize("query", ["robot", "机器人", "ＲＯＢＯＴ", "Robot", "ROBOTS"])
def test_queries_find_huayis_forging_robots_in_overview_or_timeline(index, query) -> None:
    hits = [h for h in index.search(query) if h.entry_id == HUAYI]
    assert {h.pane for h in hits} >= {"overview", "timeline"}
    for hit in hits:
        assert fold(hit.text[hit.start : hit.end]) == fold(query)


def test_english_and_chinese_hits_come_from_each_language(index) -> None:
    english = [h for h in index.search("robot") if h.entry_id == HUAYI and h.pane == "overview"]
    chinese = [h for h in index.search("机器人") if h.entry_id == HUAYI and h.pane == "overview"]
    assert {h.lang for h in english} == {"en"}
    assert {h.lang for h in chinese} == {"zh"}
    assert all("机器人" in h.text for h in chinese)


def test_chinese_substring_inside_a_longer_word(index) -> None:
    # 机器人 sits inside 红冲机器人 in the hook; the match is exactly the three characters.
    (hook,) = [h for h in index.search("机器人") if h.entry_id == HUAYI and h.item == ("hook",)]
    assert hook.text[hook.start - 2 : hook.end] == "红冲机器人"
    assert hook.matched == "机器人"


def test_full_width_forms_find_what_half_width_finds(index) -> None:
    assert spans(index.search("ＲＯＢＯＴ")) == spans(index.search("robot"))
    assert spans(index.search("２０１７")) == spans(index.search("2017"))
    assert spans(index.search("ｈｏｔ　ｆｏｒｇｉｎｇ")) == spans(index.search("hot forging"))
    assert index.search("2017")


def test_case_is_ignored(index) -> None:
    assert spans(index.search("HUAYI PRECISION")) == spans(index.search("huayi precision"))
    assert index.search("huayi precision")


def test_spaces_are_ignored_in_query_and_text(index) -> None:
    assert spans(index.search('"机器 人"')) == spans(index.search("机器人"))
    (hook,) = [
        h
        for h in index.search("hotforging")
        if h.entry_id == HUAYI and h.pane == "overview" and h.item == ("hook",)
    ]
    assert hook.matched == "hot forging"
    assert spans(index.search(' " hot   forging" ')) == spans(index.search("hotforging"))


@pytest.mark.parametrize("query", ["", "   ", "\t\n", "\u3000"])
def test_empty_or_blank_queries_find_nothing(index, query) -> None:
    assert index.search(query) == []


def test_a_word_that_is_nowhere_finds_nothing(index) -> None:
    assert index.search("zqxjkw") == []
    assert index.search("鲸鱼座") == []


# -- highlights map back to the original text ------------------------------------------


@pytest.mark.parametrize(
    "query", ["robot", "机器人", "hotforging", "2017年", '"22 days"', "Ｗａｎｇ"]
)
def test_every_highlight_is_the_match_in_the_original(index, query) -> None:
    hits = index.search(query, limit=1000)
    assert hits
    for hit in hits:
        original = hit.text[hit.start : hit.end]
        assert fold(original) == fold(query.strip('"'))
        # Nothing unmatched is included at either edge.
        assert not original[:1].isspace() and not original[-1:].isspace()


@pytest.mark.parametrize(
    ("text", "query", "matched"),
    [
        ("Die Straße ist lang", "strasse", "Straße"),
        ("Ｓｔｒａßｅ", "STRASSE", "Ｓｔｒａßｅ"),
        ("a ﬁne day", "fine", "ﬁne"),
        ("Zhōngchéng Co", "zhongcheng", "Zhōngchéng"),
        ("Cafe\u0301 au lait", "cafe", "Cafe\u0301"),
        ("Café au lait", '"cafe au"', "Café au"),
        ("and so on…", "on...", "on…"),
        ("浙江　众成", "浙江众成", "浙江　众成"),
        ("约１２％的能耗", "12%", "１２％"),
        ("zero\u200bwidth", "zerowidth", "zero\u200bwidth"),
    ],
)
def test_highlights_survive_characters_that_fold_to_more_or_fewer(text, query, matched) -> None:
    (hit,) = tiny_index(text).search(query)
    assert hit.matched == matched


def test_a_match_inside_an_expanded_character_highlights_that_character() -> None:
    (hit,) = tiny_index("Maß").search("as")  # "maß" folds to "mass"
    assert hit.matched == "aß"


@settings(max_examples=200, deadline=None)
@given(
    st.lists(st.text(min_size=0, max_size=30), min_size=1, max_size=8),
)
def test_folding_many_texts_at_once_equals_folding_each(texts) -> None:
    assert fold_all(texts) == [fold(text) for text in texts]


@settings(max_examples=300, deadline=None)
@given(st.text(min_size=1, max_size=40), st.data())
def test_every_occurrence_is_found_and_highlighted_where_it_is(text, data) -> None:
    folded = fold(text)
    if not folded:
        return
    first = data.draw(st.integers(0, len(folded) - 1))
    last = data.draw(st.integers(first + 1, min(len(folded), first + 4)))
    needle = folded[first:last]
    if '"' in needle or fold(needle) != needle:
        return  # a quote starts a phrase; a number's grouping folds once more
    index = SearchIndex([("e", "overview", ("summary",), "summary", None)], [text])
    hits = index.search(needle, limit=1000)
    # One hit per occurrence in the folded text, left to right, without overlaps.
    occurrences, at = [], folded.find(needle)
    while at >= 0:
        occurrences.append(at)
        at = folded.find(needle, at + len(needle))
    assert len(hits) == len(occurrences)
    for hit, at in zip(hits, occurrences, strict=True):
        end = hit.end
        while end > hit.start and unicodedata.combining(text[end - 1]):
            end -= 1  # accents after the match are kept with it
        # The first character shown holds the start of the occurrence, the last its end.
        assert len(fold(text[: hit.start])) <= at < len(fold(text[: hit.start + 1]))
        assert len(fold(text[: end - 1])) < at + len(needle) <= len(fold(text[:end]))


def test_characters_assumed_to_fold_one_to_one_do() -> None:
    assert _MAYBE_ODD.match("\U0001f600")  # astral characters are always checked
    for code in range(0x10000):
        char = chr(code)
        if _MAYBE_ODD.match(char) is None:
            assert len(fold(char)) == 1, f"U+{code:04X}"


# -- where hits live, and their order --------------------------------------------------


def test_results_follow_reading_order_then_panes(library, index) -> None:
    order = [INTRO_ID, *library.cases]
    hits = index.search("e", limit=100_000)
    keys = [(order.index(h.entry_id), PANES.index(h.pane)) for h in hits]
    assert keys == sorted(keys)
    assert {h.entry_id for h in hits} == set(order)
    # Within one text, by position.
    by_text: dict[tuple, list[int]] = {}
    for hit in hits:
        key = (hit.entry_id, hit.pane, hit.item, hit.field, hit.lang, hit.text)
        by_text.setdefault(key, []).append(hit.start)
    assert all(starts == sorted(starts) for starts in by_text.values())


def test_limit_is_respected_and_keeps_the_first_hits(index) -> None:
    everything = index.search("e", limit=100_000)
    assert len(everything) > 50
    assert index.search("e", limit=50) == everything[:50]
    assert index.search("e", limit=1) == everything[:1]
    assert index.search("e", limit=0) == []


@pytest.mark.parametrize("query", ["2017", "2022", "pof", "12%"])
def test_limit_cuts_in_order_across_english_and_chinese_texts(index, query) -> None:
    everything = index.search(query, limit=100_000)
    assert {h.lang for h in everything} >= {"en", "zh"}  # ASCII found in Chinese text too
    for limit in range(1, len(everything) + 1):
        index.forget()
        assert index.search(query, limit=limit) == everything[:limit]


def test_item_paths_point_at_the_item(library, index) -> None:
    huayi = library.cases[HUAYI]
    found = index.search("under 10 days")
    (figure,) = [h for h in found if h.field == "figure" and h.pane == "metrics"]
    assert figure.entry_id == HUAYI
    metric = huayi.metrics[figure.item[1]]
    assert figure.item == ("metrics", 0) and metric.id == "cycle-non-standard"

    solution = huayi.challenges[0].solutions[0]
    (hit,) = index.search(both(solution)[0])
    assert hit.pane == "challenges" and hit.item == ("challenges", 0, "solutions", 0)

    said = huayi.people[0].said[1]
    (hit,) = index.search(both(said)[1])
    assert hit.pane == "people" and hit.item == ("people", 0, "said", 1) and hit.lang == "zh"

    question = huayi.discussion_questions[2]
    (hit,) = index.search(both(question)[0])
    assert hit.pane == "discussion" and hit.item == ("discussion_questions", 2)


def test_timeline_dates_are_searchable_as_shown_in_each_language(library, index) -> None:
    zhongcheng = library.cases["zhejiang-zhongcheng"]
    date = zhongcheng.timeline[0].date
    for lang in ("en", "zh"):
        hits = [h for h in index.search(date.label(lang)) if h.field == "date"]
        assert [(h.entry_id, h.pane, h.item) for h in hits] == [
            ("zhejiang-zhongcheng", "timeline", ("timeline", 0))
        ]


def test_collection_texts_are_found_under_the_introduction(library, index) -> None:
    collection = library.collection
    assert collection is not None
    (subtitle,) = index.search(both(collection.subtitle)[0])
    assert (subtitle.entry_id, subtitle.pane, subtitle.item) == (
        INTRO_ID,
        "overview",
        ("subtitle",),
    )

    region = collection.context[1]
    event_hits = [
        h for h in index.search(both(region.timeline[0].title)[0]) if h.entry_id == INTRO_ID
    ]
    assert [(h.pane, h.item) for h in event_hits] == [("timeline", ("context", 1, "timeline", 0))]

    figure = region.figures[1]
    label_hits = [h for h in index.search(both(figure.label)[0]) if h.entry_id == INTRO_ID]
    assert [(h.pane, h.item) for h in label_hits] == [
        *([("overview", ("context", 1, "figures", 1))] if figure.headline else []),
        ("metrics", ("context", 1, "figures", 1)),
    ]

    chapter = collection.chapters[2]
    title = index.search(both(chapter.title)[1])[0]  # then each case in the chapter
    assert (title.entry_id, title.item) == (INTRO_ID, ("chapters", 2))


def test_citations_are_found_as_the_people_pane_shows_them(library, index) -> None:
    hits = index.search("Wang Yajing, Chen Wenjing")
    # The people pane lists the sources; the metrics and timeline panes name the source
    # of each figure and event with a passage (the bundled ones all have one).
    assert {h.pane for h in hits} == {"people", "metrics", "timeline"}
    assert {h.entry_id for h in hits} >= {HUAYI, INTRO_ID}
    # Once per pane and entry: where the figures come from, and the first event from it.
    huayi = [(h.pane, h.item) for h in hits if h.entry_id == HUAYI and h.lang != "zh"]
    assert huayi == [
        ("timeline", ("timeline", 0)),
        ("metrics", ("metrics", "sources")),
        ("people", ("sources", 0)),
    ]
    # In Chinese too, exactly as shown (the pane and the index share one formatter).
    source = library.cases[HUAYI].sources[0]
    shown = citation(source, "zh")
    assert "、" in shown and "。" in shown
    hits = index.search(shown)
    assert (HUAYI, "people", ("sources", 0), "zh") in {
        (h.entry_id, h.pane, h.item, h.lang) for h in hits
    }


def test_figures_are_found_wherever_they_show(library, index) -> None:
    huayi = library.cases[HUAYI]
    metric = huayi.metrics[0]
    assert metric.headline and metric.id in huayi.challenges[0].metrics
    hits = index.search(both(metric.label)[0])
    moved = [
        ("challenges", ("challenges", number, "metrics", challenge.metrics.index(metric.id)))
        for number, challenge in enumerate(huayi.challenges)
        if metric.id in challenge.metrics
    ]
    assert [(h.pane, h.item) for h in hits if h.entry_id == HUAYI] == [
        ("overview", ("metrics", 0)),  # drawn large
        ("metrics", ("metrics", 0)),  # where it lives
        *moved,  # among the figures each challenge moved
    ]


def test_a_case_overview_shows_and_finds_its_chapter(library, index) -> None:
    collection = library.collection
    assert collection is not None
    chapter = collection.chapters[1]
    hits = index.search(both(chapter.title)[0])
    members = [c for c in chapter.cases if c in library.cases]
    assert [(h.entry_id, h.pane) for h in hits] == [
        (INTRO_ID, "overview"),
        *((case_id, "overview") for case_id in members),
    ]
    # and the introduction names the chapter's cases
    name = library.cases[members[0]].company.name
    assert (INTRO_ID, ("chapters", 1), "cases") in {
        (h.entry_id, h.item, h.field) for h in index.search(both(name)[0])
    }


# -- instructor-only text is never indexed ---------------------------------------------


def instructor_only_texts(case: Case) -> list[str]:
    found = list(both(case.epilogue))
    notes = case.teaching_notes
    if notes is not None:
        for segment in notes.segments:
            found += [*both(segment.title), *both(segment.notes)]
        for text in [*notes.board_plan, *notes.key_points]:
            found += both(text)
    return found


def strings(data: object) -> list[str]:
    if isinstance(data, str):
        return [data]
    if isinstance(data, dict):
        data = list(data.values())
    if isinstance(data, list):
        return [s for item in data for s in strings(item)]
    return []


def test_instructor_only_text_is_indexed_in_the_teaching_pane_only() -> None:
    """Teaching notes and epilogues: found in the instructor edition's teaching pane
    (issue #15) and nowhere else; the student edition's search never finds them."""
    instructor = load_library([bundled_cases_dir()], "instructor")
    assert instructor.edition == "instructor"
    index = SearchIndex.build(instructor)
    student = SearchIndex.build(load_library([bundled_cases_dir()], "student"))
    checked = 0
    for case in instructor.cases.values():
        student_view = msgspec.structs.replace(case, teaching_notes=None, epilogue=None)
        visible = fold("\n".join(strings(to_builtins(student_view))))
        for text in instructor_only_texts(case):
            if len(text) < 20 or fold(text) in visible:
                continue
            hits = index.search(text)
            assert hits and {(h.entry_id, h.pane) for h in hits} == {(case.id, "teaching")}
            assert student.search(text) == [], text
            checked += 1
    assert checked > 20
    # The phrase is really there to be found, and the epilogue is really loaded.
    epilogue = instructor.cases[HUAYI].epilogue
    assert epilogue is not None and "yellow" in both(epilogue)[0]
    assert {h.pane for h in index.search("yellow red-punching robot")} == {"teaching"}
    assert student.search("yellow red-punching robot") == []
    assert student.search("yellow") == []


# -- remembering earlier searches never changes results --------------------------------


def test_typing_on_gives_the_same_results_as_searching_afresh(library) -> None:
    typed = SearchIndex.build(library)
    fresh = SearchIndex.build(library)
    for query in [
        "r",
        "ro",
        "rob",
        "robo",
        "robot",
        "robots",
        "robot",
        "机",
        "机器",
        "机器人",
        "z",
        "zq",
        "zqx",
        "zq",
        "hot",
        "hot f",
        "hotfo",
        "2",
        "20",
        "201",
        "2017",
    ]:
        fresh.forget()
        assert spans(typed.search(query, limit=30)) == spans(fresh.search(query, limit=30)), query
        fresh.forget()
        assert spans(typed.search(query)) == spans(fresh.search(query)), query


# -- snippets --------------------------------------------------------------------------


def cells(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


@pytest.mark.parametrize("width", [12, 30, 60, 200])
@pytest.mark.parametrize("query", ["robot", "机器人", '"hot forging"'])
def test_snippets_fit_and_keep_the_match(index, query, width) -> None:
    for hit in index.search(query, limit=1000):
        snippet, start, end = hit.snippet(width)
        flat = "".join(" " if c.isspace() else c for c in hit.text)
        assert cells(snippet) <= width
        assert snippet[start:end] == flat[hit.start : hit.end][: end - start]
        assert end > start
        body = snippet.removeprefix("…").removesuffix("…")
        assert body in flat
        assert snippet.startswith("…") == (not flat.startswith(body))
        assert snippet.endswith("…") == (not flat.endswith(body))
        if cells(flat) <= width:
            assert snippet == flat


def test_snippet_cuts_with_ellipses_around_the_match() -> None:
    text = "word " * 40 + "needle" + " word" * 40
    (hit,) = tiny_index(text).search("needle")
    snippet, start, end = hit.snippet(30)
    assert snippet.startswith("…") and snippet.endswith("…")
    assert snippet[start:end] == "needle"
    assert len(snippet) == 30


def test_snippet_of_a_match_wider_than_the_window_shows_its_start() -> None:
    text = "x" * 10 + "y" * 100
    (hit,) = tiny_index(text).search("y" * 100)
    snippet, start, end = hit.snippet(20)
    assert snippet == "…" + "y" * 18 + "…"
    assert (start, end) == (1, 19)


# -- the model stays free of textual ---------------------------------------------------


def test_search_facets_and_compare_do_not_import_textual() -> None:
    code = (
        "import sys, casebook.model.views.search, casebook.model.views.facets, "
        "casebook.model.views.compare; "
        "print('textual' in sys.modules)"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=REPO
    )
    assert result.stdout.strip() == "False"


# -- several words, phrases, numbers, notes (issue #16) --------------------------------


def test_a_query_is_words_and_quoted_phrases() -> None:
    assert terms("robots  energy") == ["robots", "energy"]
    assert terms('"hot forging" Robots robots') == ["hotforging", "robots"]
    assert terms("“机器 人” 能耗") == ["机器人", "能耗"]
    assert terms("1 500 customers") == ["1500", "customers"]
    assert terms('  "  ') == []


@pytest.mark.parametrize("query", ["robots energy", "energy robots", "ROBOTS  Energy"])
def test_several_words_match_in_any_order_within_one_text(library, index, query) -> None:
    hits = index.search(query, limit=1000)
    assert hits
    assert HUAYI in {hit.entry_id for hit in hits}
    for hit in hits:
        folded = fold(hit.text)
        assert "robots" in folded and "energy" in folded
        # Each word is highlighted where it is.
        shown = {fold(hit.text[a:b]) for a, b in hit.all_spans()}
        assert any("robots" in s for s in shown) and any("energy" in s for s in shown)
    # One hit per text, in reading order like every search.
    keys = [(h.entry_id, h.pane, h.item, h.field, h.lang) for h in hits]
    assert len(keys) == len(set(keys))


def test_every_word_must_be_in_the_same_text(index) -> None:
    assert index.search("robots zqxjkw") == []
    assert index.search("机器人 zqxjkw") == []


def test_a_quoted_phrase_keeps_its_words_together_and_in_order() -> None:
    small = tiny_index("robots save energy", "energy for robots")
    assert len(small.search("robots energy")) == 2
    (hit,) = small.search('"save energy"')
    assert hit.matched == "save energy"
    assert small.search('"energy save"') == []


@pytest.mark.parametrize(
    "query", ["1500", "1,500", "1 500", "１５００", "１，５００", "1\u202f500"]
)
def test_numbers_match_whatever_their_grouping(query) -> None:
    small = tiny_index(
        "We had 1,500 customers", "约１，５００家客户", "some 1 500 units", "15000 rods"
    )
    hits = small.search(query)
    # (1500 is found inside 15000 too: search finds what a text holds, like any find.)
    assert [hit.matched for hit in hits][:3] == ["1,500", "１，５００", "1 500"]


def test_grouping_is_only_thousands() -> None:
    small = tiny_index("1,2,3 and 1,5000")
    assert [h.matched for h in small.search("12")] == []
    assert [h.matched for h in small.search("1,5000")] == ["1,5000"]


def test_bundled_cases_find_numbers_as_typed_without_grouping(index) -> None:
    grouped = re.compile(r"[0-9]{1,3}(?:,[0-9]{3})+(?![0-9])")
    numbers = {m.group() for *_, text in index.texts() for m in grouped.finditer(text)}
    assert numbers, "the bundled cases hold grouped numbers"
    for number in sorted(numbers)[:20]:
        found = index.search(number.replace(",", ""), limit=5000)
        assert number in {hit.matched for hit in found}
        assert found == index.search(number, limit=5000)


def test_notes_are_searched_as_the_readers_own() -> None:
    notes = [
        ("huayi", "overview", "Ask about the robots and energy use"),
        ("x", "people", "nothing"),
    ]
    (hit,) = search_notes("energy robots", notes)
    assert (hit.entry_id, hit.pane, hit.field) == ("huayi", "overview", "note")
    assert [hit.text[a:b] for a, b in hit.all_spans()] == ["robots", "energy"]
    (one,) = search_notes("nothing", notes)
    assert one.pane == "people"
    assert search_notes("", notes) == []
