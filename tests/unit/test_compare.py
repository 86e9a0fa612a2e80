"""Comparing cases side by side, and the merged timeline."""

from __future__ import annotations

import msgspec
import pytest

from casebook.model.format.case import Case, convert
from casebook.model.format.text import pick
from casebook.model.load.library import Library, bundled_cases_dir, load_library
from casebook.model.views.compare import (
    AllEvents,
    compare,
    merged_timeline,
    only,
    timeline_once,
)


@pytest.fixture(scope="module")
def library() -> Library:
    return load_library([bundled_cases_dir()])


@pytest.fixture(scope="module")
def cases(library) -> list[Case]:
    return list(library.cases.values())


def case_from(data: dict) -> Case:
    case = convert({"company": {"name": data["id"]}, "summary": "Just enough.", **data}, Case)
    assert isinstance(case, Case)
    return case


def metric(id: str, kind: str | None = None, headline: bool = False) -> dict:
    data: dict = {"id": id, "label": id, "value": 1, "headline": headline}
    if kind:
        data["kind"] = kind
    return data


# -- how many cases --------------------------------------------------------------------


def test_two_to_four_cases_only(cases) -> None:
    assert len(cases) == 4
    compare(cases[:2])
    compare(cases)
    with pytest.raises(ValueError, match="2 to 4"):
        compare(cases[:1])
    with pytest.raises(ValueError, match="2 to 4"):
        compare([])
    with pytest.raises(ValueError, match="2 to 4"):
        compare([*cases, case_from({"id": "fifth"})])


def test_the_same_case_twice_is_refused(cases) -> None:
    with pytest.raises(ValueError, match="different"):
        compare([cases[0], cases[0]])


# -- identity and headlines ------------------------------------------------------------


def test_identity_rows_hold_each_case_in_order(library, cases) -> None:
    comparison = compare(cases, library.collection)
    rows = {row.key: row for row in comparison.identity}
    assert list(rows) == ["name", "location", "industry", "recognitions", "chapter"]
    assert rows["name"].cells == tuple(case.company.name for case in cases)
    assert rows["industry"].cells == tuple(case.industry for case in cases)
    # The recognitions themselves, not their count.
    assert rows["recognitions"].cells == tuple(
        tuple(r.name for r in case.recognitions) or None for case in cases
    )
    with_some = next(i for i, case in enumerate(cases) if case.recognitions)
    first = pick(cases[with_some].recognitions[0].name, "en")
    assert f"• {first}" in rows["recognitions"].cell(with_some, "en").splitlines()
    huayi = [case.id for case in cases].index("huayi-precision")
    assert rows["location"].cell(huayi, "en") == "Zhuji, Zhejiang"
    assert rows["location"].cell(huayi, "zh") == "浙江省诸暨市"
    titles = {chapter.id: chapter.title for chapter in library.collection.chapters}
    assert rows["chapter"].cells == tuple(titles[case.chapter] for case in cases)
    assert rows["name"].label.zh and rows["name"].label.en == "Name"


def test_without_a_collection_chapters_show_as_ids(cases) -> None:
    rows = {row.key: row for row in compare(cases).identity}
    assert rows["chapter"].cells == tuple(case.chapter for case in cases)


def test_headlines_are_each_cases_headline_metrics(cases) -> None:
    comparison = compare(cases)
    for case, headline in zip(cases, comparison.headlines, strict=True):
        assert headline == tuple(m for m in case.metrics if m.headline)
    assert all(comparison.headlines)


# -- metric rows aligned by kind -------------------------------------------------------


def test_cycle_time_row_holds_huayis_two_cycle_time_metrics(library, cases) -> None:
    comparison = compare(cases)
    row = comparison.row("cycle-time")
    assert row is not None
    huayi = [case.id for case in cases].index("huayi-precision")
    expected = [m for m in library.cases["huayi-precision"].metrics if m.kind == "cycle-time"]
    assert len(expected) == 2
    assert list(row.cells[huayi]) == expected
    assert all(not cell for i, cell in enumerate(row.cells) if i != huayi)
    assert row.title == "Cycle time"


def test_every_kind_gets_one_row_and_every_metric_one_place(cases) -> None:
    comparison = compare(cases)
    kinds = {m.kind for case in cases for m in case.metrics if m.kind}
    assert sorted(row.kind for row in comparison.metrics) == sorted(kinds)
    for index, case in enumerate(cases):
        placed = [m for row in comparison.metrics for m in row.cells[index]]
        placed += comparison.other[index]
        assert sorted(m.id for m in placed) == sorted(m.id for m in case.metrics)
        assert all(m.kind is None for m in comparison.other[index])


def test_kinds_shared_by_more_cases_come_first(cases) -> None:
    shared = [row.shared_by for row in compare(cases).metrics]
    assert shared == sorted(shared, reverse=True)
    assert shared[0] > 1


def test_ties_keep_the_order_kinds_first_appear_in() -> None:
    first = case_from(
        {"id": "a", "metrics": [metric("x", "zeta"), metric("y", "alpha"), metric("n")]}
    )
    second = case_from(
        {"id": "b", "metrics": [metric("z", "alpha"), metric("w", "beta"), metric("m", "zeta")]}
    )
    comparison = compare([first, second])
    assert [row.kind for row in comparison.metrics] == ["zeta", "alpha", "beta"]
    assert [row.shared_by for row in comparison.metrics] == [2, 2, 1]
    assert [[m.id for m in other] for other in comparison.other] == [["n"], []]


# -- merged timeline -------------------------------------------------------------------


def test_merged_timeline_is_in_date_order_with_every_event(library, cases) -> None:
    collection = library.collection
    assert collection is not None
    entries = merged_timeline(cases, collection)
    keys = [entry.event.date.sort_key for entry in entries]
    assert keys == sorted(keys)
    expected = sum(len(case.timeline) for case in cases)
    expected += sum(len(region.timeline) for region in collection.context)
    assert len(entries) == expected
    owners = {entry.owner for entry in entries}
    assert {case.id for case in cases if case.timeline} <= owners
    assert {region.id for region in collection.context if region.timeline} <= owners
    for entry in entries:
        source = (
            next(r for r in collection.context if r.id == entry.owner)
            if entry.context
            else library.cases[entry.owner]
        )
        assert source.timeline[entry.index] is entry.event


def test_equal_dates_keep_cases_in_the_given_order_then_regions(library, cases) -> None:
    entries = merged_timeline(cases, library.collection)
    order = [case.id for case in cases] + [region.id for region in library.collection.context]
    by_key: dict = {}
    for entry in entries:
        by_key.setdefault(entry.event.date.sort_key, []).append(order.index(entry.owner))
    assert any(len(positions) > 1 for positions in by_key.values())
    assert all(positions == sorted(positions) for positions in by_key.values())


def test_fuzzy_periods_sort_by_when_they_start() -> None:
    dated = case_from(
        {
            "id": "dated",
            "timeline": [
                {"date": 1996, "title": "Year"},
                {"date": "late 1990s", "title": "Late nineties"},
                {"date": "1990s", "title": "Nineties"},
                {"date": "1996-03", "title": "March"},
            ],
        }
    )
    other = case_from({"id": "other", "timeline": [{"date": "early 1996", "title": "Early"}]})
    titles = [e.event.title for e in merged_timeline([dated, other])]
    # By start, then end: "early 1996" ends before the whole of 1996 does.
    assert titles == ["Nineties", "Late nineties", "Early", "Year", "March"]


def test_context_can_be_left_out(library, cases) -> None:
    entries = merged_timeline(cases, library.collection, include_context=False)
    assert not any(entry.context for entry in entries)
    assert len(entries) == sum(len(case.timeline) for case in cases)
    assert merged_timeline(cases) == entries


def test_filtering_by_owner(library, cases) -> None:
    entries = merged_timeline(cases, library.collection)
    mine = only(entries, {"huayi-precision", "national"})
    assert {entry.owner for entry in mine} == {"huayi-precision", "national"}
    assert mine == [e for e in entries if e.owner in ("huayi-precision", "national")]
    assert pick(mine[0].owner_name, "en") in ("Huayi Precision", "China")


# -- every event once ------------------------------------------------------------------


def test_each_event_once_a_context_event_naming_the_cases_that_tell_it(library, cases) -> None:
    entries = timeline_once(cases, library.collection)
    everything = merged_timeline(cases, library.collection)
    told = [e for e in entries if e.cited_by]
    assert told, "the bundled context has events the cases tell"
    for entry in told:
        assert entry.context
        for case_id, _name in entry.cited_by:  # the case's own telling is left out
            assert not any(e.owner == case_id and e.event.date == entry.event.date for e in entries)
    assert len(entries) < len(everything)
    assert [e for e in entries if not e.cited_by] == [
        e for e in everything if e in entries and not e.cited_by
    ]
    keys = [entry.event.date.sort_key for entry in entries]
    assert keys == sorted(keys)


def test_all_events_measures_each_event_as_listed_and_reads_it_again(library, cases) -> None:
    seen: list = []

    def measure(entry) -> list[int]:
        seen.append(entry)
        return [len(seen), entry.index]

    events, (given, indexes) = AllEvents.build(iter(cases), library.collection, measure)
    listed = timeline_once(cases, library.collection)
    assert sorted(seen, key=lambda e: (e.owner, e.index)) == sorted(
        listed, key=lambda e: (e.owner, e.index)
    )  # each measured once...
    assert [seen[number - 1] for number in given] == listed  # ...its numbers in the axis's order
    assert list(indexes) == [entry.index for entry in listed]
    by_id = {case.id: case for case in cases}
    assert [events.entry(n, by_id.__getitem__) for n in range(len(events))] == listed
    assert events.dates == [entry.event.date for entry in listed]
    assert [events.owners[owner][0] for owner in events.owner] == [e.owner for e in listed]


def test_an_event_its_case_no_longer_has_is_shown_untitled_on_its_date(cases) -> None:
    events, _ = AllEvents.build(cases)
    shrunk = {case.id: msgspec.structs.replace(case, timeline=[]) for case in cases}
    entry = events.entry(0, shrunk.__getitem__)
    assert entry.event.date == events.dates[0]
    assert pick(entry.event.title, "en") == ""
