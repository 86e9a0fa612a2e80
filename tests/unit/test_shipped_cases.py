"""The bundled casebook: every case is there, valid, and ready to teach from."""

from __future__ import annotations

from pathlib import Path

import pytest

from casebook import cli
from casebook.model.format.case import Case
from casebook.model.load.library import load_library

REPO = Path(__file__).resolve().parents[2]
CASES = REPO / "cases"
EXPECTED_CASES = [
    "zhejiang-zhongcheng",
    "huayi-precision",
    "jingfeng-technology",
    "weimai-medical",
]


@pytest.fixture(scope="module")
def shipped():
    return load_library([CASES])


def test_validate_cases_exits_0_and_lists_every_case(capsys, monkeypatch) -> None:
    monkeypatch.chdir(REPO)
    status = cli.main(["validate", "cases/"])
    out = capsys.readouterr().out
    assert status == 0, out
    ok_lines = [line for line in out.splitlines() if line.startswith("ok  ")]
    listed = {line.split()[2] for line in ok_lines}
    for case_id in EXPECTED_CASES:
        assert case_id in listed, f"{case_id} missing from:\n{out}"
    assert out.splitlines()[-1].endswith(" valid, 0 invalid")


def test_the_collection_is_shipped_and_listed(shipped, capsys) -> None:
    assert shipped.collection is not None, "cases/ has no collection file"
    assert cli.main(["validate", str(CASES)]) == 0
    assert f"  {shipped.collection.id}  " in capsys.readouterr().out


def test_every_expected_case_is_valid(shipped) -> None:
    assert shipped.diagnostics == []
    assert set(EXPECTED_CASES) <= set(shipped.cases)
    for loaded in shipped.files:
        assert loaded.ok, [str(d) for d in loaded.diagnostics]


def test_the_collection_places_every_case_in_a_chapter(shipped) -> None:
    placed = [case_id for chapter in shipped.collection.chapters for case_id in chapter.cases]
    assert sorted(placed) == sorted(shipped.cases)
    # The reading order is the collection's.
    assert list(shipped.cases) == placed


@pytest.mark.parametrize("case_id", EXPECTED_CASES)
def test_each_case_has_at_least_three_discussion_questions(shipped, case_id: str) -> None:
    case = shipped.cases.get(case_id)
    assert isinstance(case, Case), f"{case_id} is not in cases/"
    assert len(case.discussion_questions) >= 3
