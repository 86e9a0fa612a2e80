"""The shipped cases against their source article, which is never part of the project.

The article is kept beside the checkout, at ``../shared/source-article.zh.txt`` (every
developer and CI have it). Where it is, every passage of the cases and the collection
must be found in it, every figure's numbers must be in its passage, and nothing in the
project may copy a run of more than :data:`LONGEST_RUN` of its characters. Where it is
not, these tests are skipped; the detector itself is tested on made-up text either way.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest

from casebook import cli
from casebook.model.format.case import Case, Collection
from casebook.model.load.loader import load_file
from casebook.model.load.validate import passage_sites

REPO = Path(__file__).resolve().parents[2]
ARTICLE = REPO.parent / "shared" / "source-article.zh.txt"
ARTICLE_ID = "article"
"""The id the cases give the article under ``sources:``."""
CASES = REPO / "cases"
SCANNED = ("cases", "docs", "src", "tests")
LONGEST_RUN = 25
"""The most consecutive characters of the article the project may hold (passage words are
at most 20; a name such as a programme's may come near it)."""

needs_article = pytest.mark.skipif(
    not ARTICLE.is_file(), reason=f"the source article is not at {ARTICLE}"
)
_SPACE = re.compile(r"\s+")


def copied_runs(source: str, text: str, longest: int = LONGEST_RUN) -> Iterator[str]:
    """Every run of more than ``longest`` characters of ``source`` in ``text``, white space
    ignored in both (so a run folded over lines is still found).

    Each window of ``longest + 1`` characters of ``text`` is looked up in a set of the
    source's windows (by hash), once: the work grows with the length of the text."""
    size = longest + 1
    source, text = _SPACE.sub("", source), _SPACE.sub("", text)
    windows = {source[i : i + size] for i in range(len(source) - size + 1)}
    index = 0
    while index <= len(text) - size:
        if text[index : index + size] in windows:
            end = index + size
            while end < len(text) and text[index : end + 1] in source:
                end += 1
            yield text[index:end]
            index = end
        else:
            index += 1


def project_texts() -> Iterator[tuple[Path, str]]:
    for folder in SCANNED:
        for path in sorted((REPO / folder).rglob("*")):
            if "__pycache__" in path.parts or not path.is_file():
                continue
            try:
                yield path, path.read_text(encoding="utf-8")
            except (UnicodeDecodeError, OSError):
                continue  # not text


# -- the detector, on made-up text ---------------------------------------------------------


def test_the_detector_finds_a_long_run_however_it_is_laid_out() -> None:
    source = "甲乙丙丁戊己庚辛壬癸" * 2 + "子丑寅卯辰巳午未申酉戌亥" * 2 + "。结束"
    run = source[3:30]  # 27 characters
    assert list(copied_runs(source, f"前言{run}后记")) == [run]
    folded = f"zh: >-\n  {run[:10]}\n  {run[10:]}\n"
    assert list(copied_runs(source, folded)) == [run]
    assert list(copied_runs(source, source[3:28])) == []  # 25 characters: allowed
    assert list(copied_runs(source, "毫不相干的一段文字" * 10)) == []


# -- the shipped cases against the article ---------------------------------------------------


@needs_article
def test_every_passage_resolves_and_strict_validation_is_clean(capsys) -> None:
    status = cli.main(["validate", "--strict", "--source", f"{ARTICLE_ID}={ARTICLE}", str(CASES)])
    out = capsys.readouterr().out
    assert status == cli.EXIT_OK, out
    assert out.splitlines()[-1].endswith(": 5 valid, 0 invalid, 0 warnings"), out


@needs_article
def test_a_wrong_figure_in_a_shipped_case_fails_the_check(tmp_path: Path, capsys) -> None:
    text = (CASES / "huayi-precision.yaml").read_text(encoding="utf-8")
    assert text.count("value: 12\n") == 1
    (tmp_path / "huayi-precision.yaml").write_text(
        text.replace("value: 12\n", "value: 13\n"), encoding="utf-8"
    )
    status = cli.main(["validate", "--source", f"{ARTICLE_ID}={ARTICLE}", str(tmp_path)])
    out = capsys.readouterr().out
    assert status == cli.EXIT_INVALID
    assert "figure 'energy-per-unit': its value 13 is not in its passage" in out


def test_every_figure_event_and_saying_points_to_its_passage() -> None:
    for path in sorted(CASES.glob("*.yaml")):
        loaded = load_file(path)
        assert loaded.ok and isinstance(loaded.document, (Case, Collection)), path
        sites = list(passage_sites(loaded.document))
        assert sites, path
        for site in sites:
            assert site.passage is not None, (path.name, site.path)
            assert site.source == ARTICLE_ID, (path.name, site.path)


@needs_article
def test_the_project_copies_no_long_run_of_the_article() -> None:
    article = ARTICLE.read_text(encoding="utf-8")
    found = [
        (str(path.relative_to(REPO)), run)
        for path, text in project_texts()
        for run in copied_runs(article, text)
    ]
    assert found == [], f"runs of more than {LONGEST_RUN} characters of the article: {found}"
