"""The library: which folders, which files, cross-file checks and reading order."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from casebook.model.format.case import Collection
from casebook.model.load import library as library_module
from casebook.model.load.library import (
    ENV_PATH,
    bundled_cases_dir,
    case_dirs,
    case_files,
    load_in_parts,
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
        (
            3,
            8,
            "while parsing a flow mapping, did not find expected ',' or '}' "
            "(the `{` opened at line 2, col 10 is never closed)",
        )
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
        (
            3,
            10,
            "the collection has no chapter 'no-such-chapter'; "
            "its chapters are: listed-chapter, other-chapter",
        )
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


# -- a case's chapter against the collection beside it ------------------------------------

BOOK = (
    "kind: collection\nid: book\ntitle: T\nintroduction: I\nchapters:\n"
    "  - {id: making-things, title: One, cases: [listed]}\n"
    "  - {id: selling-things, title: Two, cases: []}\n"
)


def case_in(folder: Path, case_id: str, chapter: str | None, name: str | None = None) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{name or case_id}.yaml"
    line = f"chapter: {chapter}\n" if chapter else ""
    path.write_text(f"id: {case_id}\ncompany: {{name: Co}}\n{line}summary: S\n", encoding="utf-8")
    return path


def test_a_chapter_the_collection_lacks_lists_the_chapters_it_has(
    tmp_path: Path, monkeypatch
) -> None:
    monkeypatch.chdir(tmp_path)
    Path("book.yaml").write_text(BOOK, encoding="utf-8")
    case_in(tmp_path, "lost", "making-thing")
    library = load_library([tmp_path])
    assert messages(library, "lost.yaml") == [
        (
            3,
            10,
            "the collection has no chapter 'making-thing'; did you mean 'making-things'? "
            "its chapters are: making-things, selling-things",
        )
    ]


def test_a_single_file_is_checked_against_the_collection_beside_it(
    tmp_path: Path, monkeypatch
) -> None:
    monkeypatch.chdir(tmp_path)
    Path("book.yaml").write_text(BOOK, encoding="utf-8")
    lost = case_in(tmp_path, "lost", "no-such-chapter")
    library = load_library([Path("lost.yaml")])
    assert messages(library, "lost.yaml") == [
        (
            3,
            10,
            "the collection in book.yaml has no chapter 'no-such-chapter'; "
            "its chapters are: making-things, selling-things",
        )
    ]
    assert not library.files[0].ok
    # The collection was read for this check only: it is not part of the library.
    assert [f.path.name for f in library.files] == ["lost.yaml"]
    assert library.collection is None
    assert load_library([lost]).files[0].diagnostics  # an absolute path: the same


def test_the_collection_beside_also_says_where_it_lists_the_case(
    tmp_path: Path, monkeypatch
) -> None:
    monkeypatch.chdir(tmp_path)
    Path("book.yaml").write_text(BOOK, encoding="utf-8")
    case_in(tmp_path, "listed", "selling-things")
    library = load_library([Path("listed.yaml")])
    assert messages(library, "listed.yaml") == [
        (3, 10, "the collection in book.yaml lists this case under chapter 'making-things'")
    ]


@pytest.mark.parametrize("chapter", [None, "making-things", "selling-things"])
def test_a_good_chapter_or_none_is_no_error(tmp_path: Path, chapter: str | None) -> None:
    (tmp_path / "book.yaml").write_text(BOOK, encoding="utf-8")
    library = load_library([case_in(tmp_path, "other", chapter)])
    assert [str(d) for d in library.diagnostics] == []


def test_without_a_collection_beside_any_chapter_goes(tmp_path: Path) -> None:
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "book.yaml").write_text(BOOK, encoding="utf-8")  # not beside it
    (tmp_path / "notes.txt").write_text("kind: collection\n", encoding="utf-8")  # no yaml
    (tmp_path / ".hidden.yaml").write_text(BOOK, encoding="utf-8")  # hidden
    library = load_library([case_in(tmp_path, "lost", "no-such-chapter")])
    assert library.diagnostics == []


def test_a_broken_collection_beside_is_no_check_and_no_report(tmp_path: Path) -> None:
    (tmp_path / "book.yaml").write_text(BOOK + "  - {id: broken\n", encoding="utf-8")
    library = load_library([case_in(tmp_path, "lost", "no-such-chapter")])
    assert library.diagnostics == []


def test_the_collection_beside_is_read_safely(tmp_path: Path) -> None:
    # Only regular files under the size cap, as the loader reads case files.
    (tmp_path / "a-fifo.yaml").symlink_to("/dev/zero")
    big = tmp_path / "b-big.yaml"
    big.write_text(BOOK + "#" * (300 * 1024) + "\n", encoding="utf-8")
    (tmp_path / "c-book.yaml").write_text(BOOK, encoding="utf-8")
    library = load_library([case_in(tmp_path, "lost", "no-such-chapter")])
    (diagnostic,) = library.diagnostics
    assert "the collection in " in diagnostic.message and "c-book.yaml" in diagnostic.message


def test_each_file_is_checked_against_its_own_folder(tmp_path: Path) -> None:
    (tmp_path / "a").mkdir()
    (tmp_path / "a" / "book.yaml").write_text(BOOK, encoding="utf-8")
    other = BOOK.replace("making-things", "growing-things")
    (tmp_path / "b").mkdir()
    (tmp_path / "b" / "book.yaml").write_text(other, encoding="utf-8")
    first = case_in(tmp_path / "a", "first", "making-things")
    second = case_in(tmp_path / "b", "second", "making-things")
    library = load_library([first, second])
    assert [f.ok for f in library.files] == [True, False]
    assert "its chapters are: growing-things, selling-things" in str(library.diagnostics[0])


def test_a_collection_among_the_files_wins_over_the_one_beside(tmp_path: Path) -> None:
    (tmp_path / "a").mkdir()
    (tmp_path / "a" / "book.yaml").write_text(BOOK, encoding="utf-8")
    named = tmp_path / "named.yaml"
    named.write_text(BOOK.replace("making-things", "growing-things"), encoding="utf-8")
    case = case_in(tmp_path / "a", "first", "making-things")
    library = load_library([case, named])
    assert library.collection is not None and library.collection.chapters[0].id == "growing-things"
    assert "the collection has no chapter 'making-things'" in str(library.diagnostics[0])


def test_many_chapters_are_listed_up_to_a_limit(tmp_path: Path) -> None:
    chapters = "".join(f"  - {{id: chapter-{n}, title: C}}\n" for n in range(30))
    book = "kind: collection\nid: book\ntitle: T\nintroduction: I\nchapters:\n" + chapters
    (tmp_path / "book.yaml").write_text(book, encoding="utf-8")
    library = load_library([case_in(tmp_path, "lost", "elsewhere")])
    (diagnostic,) = library.diagnostics
    limit = library_module.MAX_CHAPTERS_LISTED
    assert f"chapter-{limit - 1} and {30 - limit} more" in diagnostic.message


def test_validate_checks_a_single_file_against_the_collection_beside_it(
    tmp_path: Path, monkeypatch, capsys
) -> None:
    from casebook import cli

    monkeypatch.chdir(tmp_path)
    Path("book.yaml").write_text(BOOK, encoding="utf-8")
    case_in(tmp_path, "lost", "no-such-chapter")
    case_in(tmp_path, "fine", "selling-things")
    assert cli.main(["validate", "lost.yaml"]) == 1
    out = capsys.readouterr().out
    assert (
        "lost.yaml:3:10: the collection in book.yaml has no chapter 'no-such-chapter'; "
        "its chapters are: making-things, selling-things"
    ) in out
    assert "1 file checked: 0 valid, 1 invalid" in out
    assert cli.main(["validate", "fine.yaml"]) == 0
    assert "1 file checked: 1 valid, 0 invalid" in capsys.readouterr().out


def test_the_bundled_cases_each_validate_against_their_collection(capsys) -> None:
    from casebook import cli

    for path in sorted((REPO / "cases").glob("*.yaml")):
        if path.name != "collection.yaml":
            assert cli.main(["validate", str(path)]) == 0, capsys.readouterr().out


def test_a_large_library_loads_its_first_files_then_the_whole(tmp_path: Path) -> None:
    folder = tmp_path / "cases"
    shutil.copytree(bundled_cases_dir(), folder)
    (folder / "zz-broken.yaml").write_text("kind: case\nid: [\n", encoding="utf-8")
    counted: list[tuple[int, int]] = []
    parts = load_in_parts([folder], first=2, cache=False, progress=lambda *at: counted.append(at))
    first = next(parts)
    # collection.yaml and huayi-precision.yaml; the chapters' other cases are not missing.
    assert list(first.cases) == ["huayi-precision"]
    assert first.diagnostics == []
    whole = next(parts)
    assert list(whole.cases) == list(load_library([folder], cache=False).cases)
    assert whole.cases["huayi-precision"] is first.cases["huayi-precision"]  # not rebuilt
    assert {Path(d.path).name for d in whole.diagnostics} == {"zz-broken.yaml"}
    assert whole.read_at == first.read_at
    assert counted[0][0] > 2 and counted[-1] == (6, 6)
