"""The editor command line for a problem, and reloading a library with stale cases."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from casebook.editor import editor_command
from casebook.model import reload
from casebook.model.library import load_library
from casebook.model.reload import changed_since, is_case_file, reload_library

CASES = Path(__file__).resolve().parents[2] / "cases"
FILE = Path("/cases/a.yaml")


@pytest.mark.parametrize(
    ("editor", "expected"),
    [
        ("vim", ["vim", "+12", "/cases/a.yaml"]),
        ("/usr/bin/nvim", ["/usr/bin/nvim", "+12", "/cases/a.yaml"]),
        ("nano", ["nano", "+12", "/cases/a.yaml"]),
        ("code --wait", ["code", "--wait", "-g", "/cases/a.yaml:12:5"]),
        ("hx", ["hx", "/cases/a.yaml:12:5"]),
        ("gedit", ["gedit", "/cases/a.yaml"]),
    ],
)
def test_editor_gets_the_line_when_it_takes_one(editor: str, expected: list[str]) -> None:
    assert editor_command(FILE, 12, 5, {"EDITOR": editor}) == expected


def test_visual_wins_over_editor_and_none_means_no_command() -> None:
    both = {"VISUAL": "vi", "EDITOR": "nano"}
    assert editor_command(FILE, 3, 1, both) == ["vi", "+3", "/cases/a.yaml"]
    assert editor_command(FILE, 3, 1, {}) is None
    assert editor_command(FILE, 3, 1, {"EDITOR": "  "}) is None
    assert editor_command(FILE, 0, 0, {"EDITOR": "vim"}) == ["vim", "/cases/a.yaml"]


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
