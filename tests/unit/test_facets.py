"""Case-list filters: chapters, industries and regions, alone and combined."""

from __future__ import annotations

import pytest

from casebook.model.format.case import Case, Collection, convert
from casebook.model.format.text import pick
from casebook.model.load.library import Library, bundled_cases_dir, load_library
from casebook.model.views.facets import (
    Facets,
    Filters,
    chapters_of,
    facets,
    filter_cases,
    key_of,
    matches,
    region_of,
)


@pytest.fixture(scope="module")
def library() -> Library:
    return load_library([bundled_cases_dir()])


@pytest.fixture(scope="module")
def available(library) -> Facets:
    return facets(library)


def case_from(data: dict) -> Case:
    case = convert({"company": {"name": data["id"]}, "summary": "Just enough.", **data}, Case)
    assert isinstance(case, Case)
    return case


# -- the brief's combinations on the bundled cases -------------------------------------


def test_chapter_filter(library) -> None:
    chosen = filter_cases(library, Filters(chapter="digital-transformation"))
    assert chosen == ["huayi-precision", "jingfeng-technology"]


def test_region_filter(library) -> None:
    chosen = filter_cases(library, Filters(region="Zhejiang"))
    assert chosen == ["zhejiang-zhongcheng", "huayi-precision"]


def test_combined_filters_must_all_match(library) -> None:
    both = Filters(chapter="digital-transformation", region="Zhejiang")
    assert filter_cases(library, both) == ["huayi-precision"]
    nothing = Filters(chapter="focus-and-depth", region="Fujian")
    assert filter_cases(library, nothing) == []


def test_empty_filters_match_every_case_in_reading_order(library) -> None:
    assert not Filters().active
    assert filter_cases(library, Filters()) == list(library.cases)


def test_values_compare_ignoring_case_and_spacing(library) -> None:
    assert filter_cases(library, Filters(region="  ZHEJIANG ")) == filter_cases(
        library, Filters(region="Zhejiang")
    )
    industry = library.cases["huayi-precision"].industry
    shouted = "  ".join(pick(industry, "en").upper().split())
    assert filter_cases(library, Filters(industry=shouted)) == ["huayi-precision"]


def test_an_unknown_value_matches_nothing(library) -> None:
    assert filter_cases(library, Filters(region="Atlantis")) == []
    assert filter_cases(library, Filters(chapter="no-such-chapter")) == []


# -- what can be chosen ----------------------------------------------------------------


def test_chapters_are_offered_in_collection_order_with_titles(library, available) -> None:
    collection = library.collection
    assert collection is not None
    assert [c.value for c in available.chapters] == [ch.id for ch in collection.chapters]
    for choice, chapter in zip(available.chapters, collection.chapters, strict=True):
        assert choice.label == chapter.title
        assert choice.count == len(filter_cases(library, Filters(chapter=chapter.id)))


def test_every_industry_and_region_of_the_cases_is_offered(library, available) -> None:
    industries = {key_of(case.industry) for case in library.cases.values() if case.industry}
    assert {c.value for c in available.industries} == industries
    regions = {c.value: c for c in available.regions}
    assert set(regions) == {"zhejiang", "fujian", "beijing"}
    assert regions["zhejiang"].count == 2
    assert regions["zhejiang"].text("zh") == "浙江省"
    for choice in [*available.industries, *available.regions]:
        key = "industry" if choice in available.industries else "region"
        chosen = filter_cases(library, Filters(**{key: choice.value}))
        assert len(chosen) == choice.count > 0


def test_a_province_level_city_is_a_region_an_ordinary_city_is_not() -> None:
    beijing = case_from({"id": "b", "location": {"city": {"en": "Beijing", "zh": "北京市"}}})
    shanghai = case_from({"id": "s", "location": {"city": "上海市"}})
    suzhou = case_from({"id": "z", "location": {"city": {"en": "Suzhou", "zh": "苏州市"}}})
    nowhere = case_from({"id": "n"})
    assert pick(region_of(beijing), "en") == "Beijing"
    assert region_of(shanghai) == "上海市"
    assert region_of(suzhou) is None
    assert region_of(nowhere) is None
    assert matches(beijing, Filters(region="beijing"))
    assert not matches(suzhou, Filters(region="Suzhou"))


def test_chinese_only_values_compare_on_their_chinese() -> None:
    case = case_from({"id": "c", "industry": {"zh": "纺织"}, "location": {"province": "江苏省"}})
    assert key_of(case.industry) == "纺织"
    assert matches(case, Filters(industry="纺织", region="江苏省"))
    assert not matches(case, Filters(industry="Textiles"))


def test_collection_placement_counts_as_chapter_membership() -> None:
    listed = case_from({"id": "listed"})
    named = case_from({"id": "named", "chapter": "two"})
    collection = convert(
        {
            "kind": "collection",
            "id": "book",
            "title": "Book",
            "introduction": "Intro.",
            "chapters": [
                {"id": "one", "title": "One", "cases": ["listed"]},
                {"id": "two", "title": "Two"},
            ],
        },
        Collection,
    )
    assert isinstance(collection, Collection)
    library = Library(cases={"listed": listed, "named": named}, collection=collection)
    assert chapters_of(listed) == ()
    assert chapters_of(listed, collection) == ("one",)
    assert filter_cases(library, Filters(chapter="one")) == ["listed"]
    assert filter_cases(library, Filters(chapter="two")) == ["named"]
    assert [(c.value, c.count) for c in facets(library).chapters] == [("one", 1), ("two", 1)]


def test_a_library_without_cases_offers_nothing() -> None:
    assert facets(Library()) == Facets()


# -- describing the active filters -----------------------------------------------------


def test_describe_names_each_active_filter(library, available) -> None:
    chapter = library.collection.chapters[1]
    filters = Filters(chapter=chapter.id, region="zhejiang")
    english = filters.describe("en", available)
    assert english == f"Chapter: {pick(chapter.title, 'en')} · Region: Zhejiang"
    chinese = filters.describe("zh", available)
    assert chinese == f"章节：{pick(chapter.title, 'zh')} · 地区：浙江省"
    assert Filters(industry="Textiles").describe("en") == "Industry: Textiles"
    assert Filters().describe("en") == "All cases"
    assert Filters().describe("zh") == "全部案例"
