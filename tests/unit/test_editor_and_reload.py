"""The editor command line for a problem, and reloading a library with stale cases."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from casebook.editor import editor_command
from casebook.model.load import reload
from casebook.model.load.library import load_library
from casebook.model.load.reload import changed_since, is_case_file, reload_library

CASES = Path(__file__).resolve().parents[2] / "cases"
FILE = Path("/cases/a.yaml")


@pytest.mark.parametrize(
    ("editor", "expected"),
    [
        ("vim", ["vim", "+12", "--", "/cases/a.yaml"]),
        ("/usr/bin/nvim", ["/usr/bin/nvim", "+12", "--", "/cases/a.yaml"]),
        ("nano", ["nano", "+12", "--", "/cases/a.yaml"]),
        ("emacs -nw", ["emacs", "-nw", "+12", "--", "/cases/a.yaml"]),
        ("micro", ["micro", "+12", "/cases/a.yaml"]),  # Go flags: "--" would be a file
        ("code --wait", ["code", "--wait", "-g", "/cases/a.yaml:12:5"]),
        ("hx", ["hx", "/cases/a.yaml:12:5"]),
        ("gedit", ["gedit", "/cases/a.yaml"]),
    ],
)
def test_editor_gets_the_line_when_it_takes_one(editor: str, expected: list[str]) -> None:
    assert editor_command(FILE, 12, 5, {"EDITOR": editor}) == expected


def test_visual_wins_over_editor_and_none_means_no_command() -> None:
    both = {"VISUAL": "vi", "EDITOR": "nano"}
    assert editor_command(FILE, 3, 1, both) == ["vi", "+3", "--", "/cases/a.yaml"]
    assert editor_command(FILE, 3, 1, {}) is None
    assert editor_command(FILE, 3, 1, {"EDITOR": "  "}) is None
    assert editor_command(FILE, 0, 0, {"EDITOR": "vim"}) == ["vim", "--", "/cases/a.yaml"]


HOSTILE_NAMES = [
    "+!touch X;.yaml",  # vim: +CMD runs CMD
    "-c!touch X.yaml",  # vim: -c CMD runs CMD
    "--cmd=!touch X.yaml",
    "-",  # stdin
    "+12",
    "with space.yaml",
    "new\nline.yaml",
    "tab\tand\rreturn.yaml",
]


@pytest.mark.parametrize("name", HOSTILE_NAMES)
@pytest.mark.parametrize(
    "editor", ["vim", "vi", "nvim", "nano", "emacs", "micro", "code --wait", "hx", "gedit"]
)
@pytest.mark.parametrize("line", [0, 7])
def test_a_file_name_never_reads_as_an_option_or_a_command(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, name: str, editor: str, line: int
) -> None:
    monkeypatch.chdir(tmp_path)
    command = editor_command(Path(name), line, 3, {"EDITOR": editor})
    assert command is not None
    fixed = len(editor.split())
    added = command[fixed:]
    target = str(tmp_path / name)
    # The file is the last argument, whole and absolute: it starts with the root, so it
    # can be neither an option (-) nor a command (+); a position is never glued before it.
    assert added[-1] in (target, f"{target}:{line}:3")
    assert Path(added[-1]).is_absolute() and added[-1].startswith(str(tmp_path))
    before = added[:-1]
    assert all(arg in ("--", "-g", f"+{line}") for arg in before), before
    if editor in ("vim", "vi", "nvim", "nano", "emacs"):
        assert before[-1] == "--", "vi, vim, nano, emacs also get the end of options"


def test_an_absolute_path_stays_as_it_is() -> None:
    odd = Path("/cases/../cases/+x.yaml")
    assert editor_command(odd, 2, 1, {"EDITOR": "vim"}) == ["vim", "+2", "--", str(odd)]


def _copy(tmp_path: Path) -> Path:
    folder = tmp_path / "cases"
    folder.mkdir()
    for name in ("huayi-precision.yaml", "weimai-medical.yaml"):
        shutil.copy(CASES / name, folder / name)
    return folder


def test_a_broken_file_keeps_its_last_good_case_as_stale(tmp_path: Path) -> None:
    folder = _copy(tmp_path)
    before = load_library([folder])
    path = folder / "huayi-precision.yaml"
    path.write_text(path.read_text(encoding="utf-8") + "oops: [\n", encoding="utf-8")
    after = reload_library(before, [folder])
    assert after.stale == {"huayi-precision"}
    assert after.library.cases["huayi-precision"] is before.cases["huayi-precision"]
    assert list(after.library.cases) == list(before.cases)
    assert any(d.path.endswith("huayi-precision.yaml") for d in after.library.diagnostics)


def test_deleted_files_go_and_new_files_come(tmp_path: Path) -> None:
    folder = _copy(tmp_path)
    before = load_library([folder])
    (folder / "weimai-medical.yaml").unlink()
    text = (folder / "huayi-precision.yaml").read_text(encoding="utf-8")
    (folder / "huayi-two.yaml").write_text(
        text.replace("id: huayi-precision", "id: huayi-two"), encoding="utf-8"
    )
    after = reload_library(before, [folder])
    assert set(after.library.cases) == {"huayi-precision", "huayi-two"}
    assert after.stale == frozenset()


def test_changed_since_sees_edits_additions_and_removals(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(reload, "MTIME_SLACK", 0.0)
    folder = _copy(tmp_path)
    path = folder / "huayi-precision.yaml"
    for name in ("huayi-precision.yaml", "weimai-medical.yaml"):
        os.utime(folder / name, (1_000_000, 1_000_000))  # long before the read
    library = load_library([folder])
    assert not changed_since(library, [folder])
    (folder / "notes.txt").write_text("not a case", encoding="utf-8")
    assert not changed_since(library, [folder])
    os.utime(path)  # touched now
    assert changed_since(library, [folder])
    os.utime(path, (1_000_000, 1_000_000))
    (folder / "new.yaml").write_text("id: new\n", encoding="utf-8")
    assert changed_since(library, [folder])
    (folder / "new.yaml").unlink()
    (folder / "weimai-medical.yaml").unlink()
    assert changed_since(library, [folder])


@pytest.mark.parametrize("cached", [True, False], ids=["from the cache", "parsed"])
def test_changed_since_compares_paths_as_listed_without_a_path_a_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, cached: bool
) -> None:
    """The watcher's first look at 2,000 files made a Path and a new string for each,
    on both sides (0.7 MiB more for the app); a cached file's path is compared as the
    string it was listed by. A parsed file (or one named by a Path) still compares."""
    from casebook.model.load import cache
    from casebook.model.load.cache import CachedFile

    monkeypatch.setattr(reload, "MTIME_SLACK", 0.0)
    monkeypatch.setattr(cache, "RACY_NS", 0)  # files written just now may be cached
    folder = _copy(tmp_path)
    for path in folder.iterdir():
        os.utime(path, (1_000_000, 1_000_000))
    if cached:
        load_library([folder])  # written to the cache: the next load reads it
    library = load_library([folder], cache=cached)
    assert any(isinstance(f, CachedFile) for f in library.files) == cached

    def no_path(self: CachedFile) -> Path:
        raise AssertionError("a Path made for a cached file")

    monkeypatch.setattr(CachedFile, "path", property(no_path))
    assert not changed_since(library, [folder])
    assert not changed_since(library, [folder, folder / "huayi-precision.yaml"])
    (folder / "new.yaml").write_text("id: new\n", encoding="utf-8")
    assert changed_since(library, [folder])


def test_the_watcher_only_reacts_to_case_files() -> None:
    assert is_case_file("/x/cases/a.yaml") and is_case_file("b.yml")
    assert not is_case_file("/x/cases/.a.yaml.swp")
    assert not is_case_file("/x/cases/.hidden.yaml")
    assert not is_case_file("/x/cases/casebook.schema.json")


def test_load_library_reports_progress_for_each_parsed_file(tmp_path: Path) -> None:
    folder = _copy(tmp_path)
    seen: list[tuple[int, int]] = []
    library = load_library(
        [folder], cache=False, progress=lambda done, total: seen.append((done, total))
    )
    assert seen == [(1, 2), (2, 2)]
    assert len(library.cases) == 2


def test_a_case_stays_stale_through_any_number_of_broken_saves(tmp_path: Path) -> None:
    folder = _copy(tmp_path)
    path = folder / "huayi-precision.yaml"
    good = path.read_text(encoding="utf-8")
    first = load_library([folder])
    library = first
    for broken in ("oops: [\n", "id: [\n", "\n\t\n", ""):  # each save broken anew
        path.write_text(good + broken if broken != "" else "", encoding="utf-8")
        after = reload_library(library, [folder])
        assert after.stale == {"huayi-precision"}, broken
        assert after.library.cases["huayi-precision"] is first.cases["huayi-precision"]
        assert list(after.library.cases) == list(first.cases), "in its place in the list"
        assert after.library.kept == {"huayi-precision": path}
        library = after.library
    path.write_text(good.replace("before: 22", "before: 23", 1), encoding="utf-8")
    fixed = reload_library(library, [folder])
    assert fixed.stale == frozenset() and fixed.library.kept == {}
    assert fixed.library.cases["huayi-precision"].metrics[0].before == 23


def test_a_stale_case_goes_when_its_file_is_deleted(tmp_path: Path) -> None:
    folder = _copy(tmp_path)
    path = folder / "huayi-precision.yaml"
    library = load_library([folder])
    path.write_text("id: [\n", encoding="utf-8")
    library = reload_library(library, [folder]).library
    path.unlink()
    after = reload_library(library, [folder])
    assert "huayi-precision" not in after.library.cases
    assert after.stale == frozenset()


def test_folder_identities_change_when_a_folder_is_made_again(tmp_path: Path) -> None:
    folder = _copy(tmp_path)
    there = reload.folder_identities([folder, tmp_path / "none"])
    assert there[0] is not None and there[1] is None
    assert reload.folder_identities([folder]) == there[:1]
    folder.rename(tmp_path / "away")
    assert reload.folder_identities([folder]) == (None,)
    (tmp_path / "away").rename(folder)
    assert reload.folder_identities([folder]) == there[:1], "renamed back: the same folder"
    shutil.rmtree(folder)
    folder.mkdir()
    keep = tmp_path / "keep"  # so that the new folder cannot reuse the old inode number
    keep.mkdir()
    assert reload.folder_identities([folder])[0] is not None
    assert reload.folder_identities([folder / "huayi-precision.yaml"]) == (None,), "a file"


def test_same_file_never_raises() -> None:
    assert reload.same_file(Path("/no/such/folder/a.yaml")) == "/no/such/folder/a.yaml"
    assert reload.same_file(Path("a\0b")) == "a\0b"
