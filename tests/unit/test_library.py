"""The library: which folders, which files, cross-file checks and reading order."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from casebook.model.format.case import Collection
from casebook.model.load import library as library_module
from casebook.model.load.library import (
    ENV_PATH,
    bundled_cases_dir,
    case_dirs,
    case_files,
    load_library,
)

DATA = Path(__file__).resolve().parent.parent / "data"
LIBRARY = DATA / "library"
REPO = Path(__file__).resolve().parents[2]


@pytest.fixture
def in_library(monkeypatch) -> Path:
    """Run from tests/data/library, so files display as e.g. ``duplicate/first.yaml``."""
    monkeypatch.chdir(LIBRARY)
    return LIBRARY


def messages(library, name: str) -> list[tuple[int, int, str]]:
    (loaded,) = [f for f in library.files if f.path.name == name]
    return [(d.line, d.col, d.message) for d in loaded.diagnostics]


# -- which folders ---------------------------------------------------------------------


def test_cli_dirs_win_over_everything(tmp_path: Path) -> None:
    (tmp_path / "cases").mkdir()
    environ = {ENV_PATH: str(tmp_path / "env")}
    chosen = case_dirs([Path("one"), Path("two")], environ, tmp_path)
    assert chosen == [Path("one"), Path("two")]


def test_environment_wins_over_local_cases(tmp_path: Path) -> None:
    (tmp_path / "cases").mkdir()
    environ = {ENV_PATH: os.pathsep.join(["/first", "", "  ", "/second"])}
    assert case_dirs([], environ, tmp_path) == [Path("/first"), Path("/second")]


def test_local_cases_folder_wins_over_bundled(tmp_path: Path) -> None:
    (tmp_path / "cases").mkdir()
    assert case_dirs([], {}, tmp_path) == [tmp_path / "cases"]
    assert case_dirs([], {ENV_PATH: os.pathsep}, tmp_path) == [tmp_path / "cases"]


def test_bundled_cases_are_the_fallback(tmp_path: Path) -> None:
    (tmp_path / "cases").write_text("a file, not a folder", encoding="utf-8")
    assert case_dirs([], {}, tmp_path) == [bundled_cases_dir()]


def test_bundled_cases_exist() -> None:
    bundled = bundled_cases_dir()
    assert bundled.is_dir()
    assert (bundled / "huayi-precision.yaml").is_file()
    if bundled.name != "bundled_cases":  # in a checkout, the repository's cases/
        assert bundled == REPO / "cases"


def test_case_dirs_reads_the_real_environment_by_default(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setenv(ENV_PATH, str(tmp_path))
    assert case_dirs() == [tmp_path]


# -- which files -----------------------------------------------------------------------


def test_folders_are_searched_for_yaml_skipping_hidden_files(in_library: Path) -> None:
    files, missing = case_files([Path("ordered")])
    assert missing == []
    assert [f.name for f in files] == [
        "alpha.yaml",
        "beta.yaml",
        "broken.yaml",
        "collection.yaml",
        "delta.yaml",
        "gamma.yaml",
    ]
    # The fixture does hold what is skipped.
    assert (in_library / "ordered" / ".hidden" / "ignored.yaml").is_file()
    assert (in_library / "ordered" / ".dotfile.yaml").is_file()
    assert (in_library / "ordered" / "notes.txt").is_file()


def test_folders_are_searched_recursively(tmp_path: Path, minimal: str) -> None:
    deep = tmp_path / "a" / "b"
    deep.mkdir(parents=True)
    (deep / "x.yml").write_text(minimal, encoding="utf-8")
    files, _ = case_files([tmp_path])
    assert files == [deep / "x.yml"]


def test_a_file_named_twice_is_loaded_once(in_library: Path) -> None:
    files, _ = case_files([Path("duplicate/first.yaml"), Path("duplicate")])
    assert [f.name for f in files] == ["first.yaml", "second.yaml", "single.yaml"]


def test_missing_path_is_a_diagnostic(in_library: Path) -> None:
    library = load_library([Path("nowhere"), Path("duplicate/single.yaml")])
    assert [str(d) for d in library.diagnostics] == ["nowhere: no such file or folder"]
    assert list(library.cases) == ["single"]


# -- cross-file checks ----------------------------------------------------------------


def test_same_id_in_two_files_is_an_error_in_both(in_library: Path) -> None:
    library = load_library([Path("duplicate")])
    assert messages(library, "first.yaml") == [
        (1, 5, "id 'twin' is also used by duplicate/second.yaml")
    ]
    # second.yaml has a comment first: its id is on line 2.
    assert messages(library, "second.yaml") == [
        (2, 5, "id 'twin' is also used by duplicate/first.yaml")
    ]
    assert messages(library, "single.yaml") == []
    assert {f.path.name: f.ok for f in library.files} == {
        "first.yaml": False,
        "second.yaml": False,
        "single.yaml": True,
    }
    assert len(library.diagnostics) == 2


def test_one_bad_file_does_not_stop_the_others(in_library: Path) -> None:
    library = load_library([Path("ordered")])
    assert messages(library, "broken.yaml") == [
        (3, 8, "while parsing a flow mapping, did not find expected ',' or '}'")
    ]
    assert sorted(library.cases) == ["alpha", "beta", "delta", "gamma"]
    assert isinstance(library.collection, Collection)
    assert [f.path.name for f in library.files if f.diagnostics] == ["broken.yaml"]


def test_reading_order_follows_the_collection(in_library: Path) -> None:
    library = load_library([Path("ordered")])
    # Chapter one lists gamma then alpha, chapter two beta; delta is in no chapter: last.
    assert list(library.cases) == ["gamma", "alpha", "beta", "delta"]


def test_without_a_collection_cases_are_in_id_order(in_library: Path) -> None:
    files = [Path("ordered") / f"{name}.yaml" for name in ("gamma", "delta", "alpha")]
    library = load_library(files)
    assert library.collection is None
    assert list(library.cases) == ["alpha", "delta", "gamma"]


def test_chapter_consistency(in_library: Path) -> None:
    library = load_library([Path("chapters")])
    assert messages(library, "collection.yaml") == [(8, 21, "no valid case has id 'ghost'")]
    assert messages(library, "lost.yaml") == [
        (3, 10, "the collection has no chapter 'no-such-chapter'")
    ]
    assert messages(library, "misplaced.yaml") == [
        (3, 10, "the collection lists this case under chapter 'other-chapter'")
    ]
    assert messages(library, "listed.yaml") == []


def test_collection_lists_a_case_whose_file_is_invalid(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    Path("book.yaml").write_text(
        "kind: collection\nid: book\ntitle: T\nintroduction: I\n"
        "chapters:\n  - {id: one, title: One, cases: [broken]}\n",
        encoding="utf-8",
    )
    Path("broken.yaml").write_text("id: broken\nsummary: no company\n", encoding="utf-8")
    library = load_library([tmp_path])
    assert messages(library, "book.yaml") == [(6, 35, "no valid case has id 'broken'")]
    assert messages(library, "broken.yaml") == [(1, 1, "missing required key 'company'")]


def test_second_collection_is_flagged(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    for name in ("a-book", "b-book"):
        Path(f"{name}.yaml").write_text(
            f"kind: collection\nid: {name}\ntitle: T\nintroduction: I\n", encoding="utf-8"
        )
    library = load_library([tmp_path])
    assert library.collection.id == "a-book"
    assert messages(library, "b-book.yaml") == [
        (1, 7, "a second collection file; the first is a-book.yaml")
    ]


def test_library_never_raises_on_hostile_files(tmp_path: Path) -> None:
    library = load_library([DATA / "hostile"])
    hostile = sorted(p.name for p in (DATA / "hostile").iterdir() if p.suffix == ".yaml")
    assert sorted(f.path.name for f in library.files) == hostile
    assert all(not f.ok for f in library.files)
    assert library.cases == {}


def test_display_path_is_relative_below_cwd(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    assert library_module.display_path(tmp_path / "a" / "b.yaml") == str(Path("a/b.yaml"))
    assert library_module.display_path(Path("/elsewhere/c.yaml")) == "/elsewhere/c.yaml"
