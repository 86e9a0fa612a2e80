"""Hostile sizes: work that grows with a file's size (never its square), bounded lists
of diagnostics, symbolic link loops and folders that cannot be read."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from casebook.model.load import diagnostics, loader, validate, yamlsafe
from casebook.model.load import library as library_module
from casebook.model.load.diagnostics import MAX_PER_FILE, Diagnostic, capped, cut, left_out
from casebook.model.load.library import case_files, load_library
from casebook.model.load.loader import LINK_LOOP, MAX_BYTES
from casebook.model.load.reload import changed_since, reload_library

CASES = Path(__file__).resolve().parents[2] / "cases"
COLLECTION_HEAD = "kind: collection\nid: book\ntitle: T\nintroduction: I\n"


def references(folder: Path, n: int) -> Path:
    """A collection whose one chapter lists ``n`` cases that do not exist."""
    folder.mkdir(parents=True, exist_ok=True)
    ids = ", ".join(f"m{i}" for i in range(n))
    text = COLLECTION_HEAD + f"chapters:\n  - id: c1\n    title: C\n    cases: [{ids}]\n"
    path = folder / "collection.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def unknown_keys(folder: Path, n: int) -> Path:
    """A collection with ``n`` keys it does not know."""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "collection.yaml"
    path.write_text(COLLECTION_HEAD + "".join(f"k{i}: 1\n" for i in range(n)), encoding="utf-8")
    return path


class Work:
    """What locating problems costs: how often the text is composed again, and how many
    nodes the finder steps through or indexes."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.composed = 0
        self.finders: list[loader._Finder] = []
        compose = yamlsafe.compose
        work = self

        def counted(text: str) -> object:
            work.composed += 1
            return compose(text)

        class Finder(loader._Finder):
            def __init__(self, root: object) -> None:
                super().__init__(root)  # type: ignore[arg-type]
                work.finders.append(self)

        monkeypatch.setattr(yamlsafe, "compose", counted)
        monkeypatch.setattr(loader, "_Finder", Finder)

    @property
    def walked(self) -> int:
        return sum(finder.walked for finder in self.finders)


# -- linear work -------------------------------------------------------------------------


def test_twenty_thousand_missing_cases_are_located_in_one_pass(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    n = 20_000
    path = references(tmp_path / "refs", n)
    assert path.stat().st_size < MAX_BYTES
    work = Work(monkeypatch)
    library = load_library([path.parent], cache=False)
    assert work.composed == 1, "the text is composed once for all its problems, not once each"
    # Each problem's path is 4 steps; each mapping is indexed once: linear in n.
    assert work.walked <= 5 * n + 100
    (loaded,) = library.files
    assert len(loaded.diagnostics) == MAX_PER_FILE + 1
    first, last = loaded.diagnostics[0], loaded.diagnostics[-1]
    assert (first.line, first.col, first.message) == (8, 13, "no valid case has id 'm0'")
    assert left_out(last) == n - MAX_PER_FILE
    assert last.message.startswith(f"… and {n - MAX_PER_FILE} more problems")
    assert last.line == 8 and last.col > first.col, "placed at the first problem left out"


def test_twenty_thousand_unknown_keys_are_located_in_one_pass(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    n = 20_000
    path = unknown_keys(tmp_path / "keys", n)
    assert path.stat().st_size < MAX_BYTES
    work = Work(monkeypatch)
    compared: list[int] = []
    close = validate.difflib.get_close_matches

    def counted(word: str, choices: list[str], *args: object, **kwargs: object) -> list[str]:
        compared.append(len(choices))
        return close(word, choices, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(validate.difflib, "get_close_matches", counted)
    loaded = loader.load_file(path, "collection.yaml")
    assert work.composed == 1
    assert work.walked <= 3 * n + 100
    assert sum(compared) <= validate.HINT_BUDGET
    assert len(loaded.diagnostics) == MAX_PER_FILE + 1
    assert loaded.diagnostics[0].message.startswith("unknown key 'k0'")
    assert left_out(loaded.diagnostics[-1]) == n - MAX_PER_FILE


def test_did_you_mean_work_is_bounded_however_many_ids_and_mistakes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # 3,000 metrics and 5,000 references to none of them: 15 million comparisons unbounded.
    metrics = "".join(f"  - {{id: metric-{i}, label: L, value: 1}}\n" for i in range(3000))
    refs = ", ".join(f"x{i}" for i in range(5000))
    text = (
        "id: many\ncompany: {name: M}\nsummary: S\nmetrics:\n"
        + metrics
        + f"challenges:\n  - title: T\n    problem: P\n    solutions: [S]\n    metrics: [{refs}]\n"
    )
    path = tmp_path / "many.yaml"
    path.write_text(text, encoding="utf-8")
    assert path.stat().st_size < MAX_BYTES
    compared: list[int] = []
    close = validate.difflib.get_close_matches

    def counted(word: str, choices: list[str], *args: object, **kwargs: object) -> list[str]:
        compared.append(len(choices))
        return close(word, choices, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(validate.difflib, "get_close_matches", counted)
    loaded = loader.load_file(path, "many.yaml")
    assert sum(compared) <= validate.HINT_BUDGET
    assert loaded.diagnostics[0].message.startswith("no metric has id 'x0'")
    assert left_out(loaded.diagnostics[-1]) == 5000 - MAX_PER_FILE


def test_hints_still_come_for_an_ordinary_file(load_text) -> None:
    loaded = load_text("id: a\ncompany: {name: A}\nsumary: S\n")
    assert "did you mean 'summary'?" in loaded.diagnostics[-1].message


def _many(n: int, path: str = "a.yaml", severity: str = "error") -> list[Diagnostic]:
    return [Diagnostic(path, i + 1, 1, f"problem {i}", severity) for i in range(n)]  # type: ignore[arg-type]


def test_capped_keeps_the_first_and_counts_the_rest() -> None:
    found = capped(reversed(_many(250)))
    assert found[:MAX_PER_FILE] == _many(MAX_PER_FILE)
    summary = found[-1]
    assert (summary.line, left_out(summary), summary.severity) == (101, 150, "error")
    assert str(summary) == (
        "a.yaml:101:1: … and 150 more problems (only the first 100 of a file are listed)"
    )
    assert sorted(found) == found, "the summary sorts last"
    assert capped(_many(3)) == _many(3)


def test_capping_again_keeps_one_summary_with_the_right_count() -> None:
    once = capped(_many(250))
    again = capped([*once, Diagnostic("a.yaml", 500, 1, "a library-level problem")])
    assert len(again) == MAX_PER_FILE + 1
    assert left_out(again[-1]) == 151
    assert capped(again) == again


def test_a_summary_of_warnings_is_a_warning() -> None:
    assert capped(_many(150, severity="warning"))[-1].severity == "warning"
    mixed = capped([*_many(100), *_many(50, "b.yaml", "warning")])
    assert mixed[-1].severity == "warning"


def test_a_library_keeps_a_bounded_number_of_diagnostics(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(library_module, "cut", lambda found: cut(found, 5))
    for i in range(8):
        (tmp_path / f"bad-{i}.yaml").write_text("id: [\n", encoding="utf-8")
    library = load_library([tmp_path], cache=False)
    assert len(library.diagnostics) == 6
    assert left_out(library.diagnostics[-1]) == 3
    assert "only the first 5 in all" in library.diagnostics[-1].message
    assert cut(_many(3), 5) == _many(3)
    counted = cut([*_many(5), *capped(_many(150, "b.yaml"))], 5)
    assert left_out(counted[-1]) == 150, "a file's own summary counts what it stood for"


def test_the_diagnostics_module_names_the_limits() -> None:
    assert diagnostics.MAX_PER_FILE == 100
    assert diagnostics.MAX_PER_LIBRARY >= 1000


# -- symbolic link loops -------------------------------------------------------------------


@pytest.fixture
def looped(tmp_path: Path) -> Path:
    """A case folder with a good case, two case files linked to each other, a link to
    itself, and a folder linked to its parent."""
    folder = tmp_path / "cases"
    folder.mkdir()
    shutil.copy(CASES / "huayi-precision.yaml", folder)
    (folder / "a.yaml").symlink_to("b.yaml")
    (folder / "b.yaml").symlink_to("a.yaml")
    (folder / "self.yaml").symlink_to("self.yaml")
    (folder / "up").symlink_to("..")
    return folder


def test_a_symlink_loop_is_one_diagnostic_per_link(looped: Path) -> None:
    library = load_library([looped], cache=False)
    assert list(library.cases) == ["huayi-precision"]
    found = sorted((Path(d.path).name, d.line, d.message) for d in library.diagnostics)
    assert found == [(name, 0, LINK_LOOP) for name in ("a.yaml", "b.yaml", "self.yaml")]


def test_a_reload_with_a_symlink_loop_never_raises(looped: Path) -> None:
    before = load_library([looped], cache=False)
    after = reload_library(before, [looped])
    assert list(after.library.cases) == ["huayi-precision"]
    assert len(after.library.diagnostics) == 3
    again = reload_library(after.library, [looped])
    assert list(again.library.cases) == ["huayi-precision"]
    changed_since(again.library, [looped])  # no exception either


def test_a_case_folder_that_is_a_symlink_loop_is_one_diagnostic(tmp_path: Path) -> None:
    loop = tmp_path / "loop"
    loop.symlink_to("loop")
    library = load_library([loop], cache=False)
    assert [(d.message) for d in library.diagnostics] == [LINK_LOOP]
    reload_library(library, [loop])


def test_a_stale_case_whose_file_becomes_a_symlink_loop_stays(tmp_path: Path) -> None:
    folder = tmp_path / "cases"
    folder.mkdir()
    path = folder / "huayi-precision.yaml"
    shutil.copy(CASES / path.name, path)
    before = load_library([folder], cache=False)
    path.unlink()
    path.symlink_to(path.name)
    after = reload_library(before, [folder])
    assert after.stale == {"huayi-precision"}
    assert [d.message for d in after.library.diagnostics] == [LINK_LOOP]


# -- folders that cannot be read ---------------------------------------------------------


@pytest.fixture
def locked(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A case folder whose sub-folder ``locked`` cannot be listed (as without read
    permission; the tests run as root, for whom chmod 000 changes nothing)."""
    folder = tmp_path / "cases"
    (folder / "locked").mkdir(parents=True)
    shutil.copy(CASES / "huayi-precision.yaml", folder / "locked")
    listing = os.scandir

    def scandir(path: str | os.PathLike[str] = ".") -> object:
        if os.fspath(path).endswith("locked"):
            raise PermissionError(13, "Permission denied", os.fspath(path))
        return listing(path)

    monkeypatch.setattr(os, "scandir", scandir)
    return folder


def test_a_folder_that_cannot_be_read_is_a_diagnostic(locked: Path) -> None:
    library = load_library([locked], cache=False)
    (problem,) = library.diagnostics
    assert problem.path.endswith("locked")
    assert "cannot read this folder (Permission denied)" in problem.message
    assert [loaded.ok for loaded in library.files] == [False], "it counts as invalid"
    files, missing = case_files([locked])
    assert files == [] and [d.message for d in missing] == [problem.message]
    assert not changed_since(library, [locked]), "an unreadable folder is no change"


def test_validate_reports_a_folder_that_cannot_be_read(
    locked: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from casebook.cli import main

    status = main(["validate", str(locked)])
    out = capsys.readouterr().out
    assert status == 1, out
    assert "cannot read this folder" in out
    assert "1 invalid" in out
