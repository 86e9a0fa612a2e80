"""What the CLI writes and prints (issue #12, items 4 and 13).

Outputs (``export -o``, ``schema -o``, ``notes export -o``, ``new``'s files) never replace
a case file, never go through a symlink, replace an existing file only when casebook
wrote it (or with ``--force``) and are written whole or not at all. Printed lines never
carry a file name's control characters, and ``NO_COLOR`` means no styles at all.
"""

from __future__ import annotations

import os
import shutil
import sys
from pathlib import Path

import pytest

from casebook import cli
from casebook.model.export import GENERATED_HTML, GENERATED_MD
from casebook.model.format.schema import SCHEMA_FILE, schema_text
from casebook.model.load import safe_files

CASES = Path(__file__).resolve().parents[2] / "cases"
HUAYI = "huayi-precision"
MINE = "my own words\n"


@pytest.fixture(autouse=True)
def _plain_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("FORCE_COLOR", "TTY_COMPATIBLE", "TTY_INTERACTIVE", "COLUMNS", "NO_COLOR"):
        monkeypatch.delenv(name, raising=False)


@pytest.fixture
def cases(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A copy of the bundled cases at ./cases."""
    monkeypatch.chdir(tmp_path)
    shutil.copytree(CASES, tmp_path / "cases")
    return tmp_path / "cases"


def export(*args: str) -> int:
    return cli.main(["--cases", "cases", "export", HUAYI, *args])


def files_in(folder: Path) -> list[str]:
    return sorted(path.name for path in folder.iterdir())


# -- case files ------------------------------------------------------------------------


@pytest.mark.parametrize("force", [[], ["--force"]])
def test_export_never_replaces_a_case_file(cases: Path, capsys, force: list[str]) -> None:
    source = cases / f"{HUAYI}.yaml"
    before = source.read_bytes()
    assert export("-o", str(source), *force) == 1
    assert source.read_bytes() == before
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "case file" in err and "Traceback" not in err


@pytest.mark.parametrize(
    "argv",
    [
        ["schema", "-o", "cases/other.yml", "--force"],
        ["notes", "export", "-o", "cases/notes.YAML"],
        ["--cases", "cases", "export", "--all", "-o", "cases/new.yaml"],
    ],
)
def test_no_output_goes_to_a_yaml_name(cases: Path, capsys, argv: list[str]) -> None:
    before = files_in(cases)
    assert cli.main(argv) == 1
    assert files_in(cases) == before
    assert "case file" in capsys.readouterr().err


# -- symlinks --------------------------------------------------------------------------


OUTPUTS = [
    ["--cases", "cases", "export", HUAYI, "-o"],
    ["--cases", "cases", "export", HUAYI, "--format", "html", "-o"],
    ["schema", "-o"],
    ["--cases", "cases", "notes", "export", "-o"],
]


@pytest.mark.parametrize("argv", OUTPUTS)
@pytest.mark.parametrize("force", [[], ["--force"]])
def test_an_output_never_goes_through_a_symlink(
    cases: Path, tmp_path: Path, capsys, argv: list[str], force: list[str]
) -> None:
    target = tmp_path / "target.txt"
    target.write_text(MINE, encoding="utf-8")
    link = tmp_path / "out.md"
    link.symlink_to(target)
    dangling = tmp_path / "dangling.md"
    dangling.symlink_to(tmp_path / "nowhere.md")
    for output in (link, dangling):
        assert cli.main([*argv, str(output), *force]) == 1
        err = capsys.readouterr().err
        assert "symbolic link" in err and err.count("\n") == 1
    assert target.read_text(encoding="utf-8") == MINE
    assert not (tmp_path / "nowhere.md").exists()
    assert link.is_symlink() and dangling.is_symlink()


def test_new_never_writes_the_schema_through_a_symlink(tmp_path: Path, capsys) -> None:
    folder = tmp_path / "cases"
    folder.mkdir()
    (folder / SCHEMA_FILE).symlink_to(tmp_path / "elsewhere.json")
    assert cli.main(["new", "fresh-case", "--dir", str(folder)]) == 0
    assert not (tmp_path / "elsewhere.json").exists()
    assert (folder / SCHEMA_FILE).is_symlink()
    assert (folder / "fresh-case.yaml").is_file()
    captured = capsys.readouterr()
    assert "dangling symbolic link" in captured.err
    assert "wrote" in captured.out and SCHEMA_FILE not in captured.out


def test_new_keeps_a_symlinked_schema_that_points_somewhere(tmp_path: Path) -> None:
    shared = tmp_path / "shared.json"
    shared.write_text("{}", encoding="utf-8")
    folder = tmp_path / "cases"
    folder.mkdir()
    (folder / SCHEMA_FILE).symlink_to(shared)
    assert cli.main(["new", "fresh-case", "--dir", str(folder)]) == 0
    assert shared.read_text(encoding="utf-8") == "{}"


# -- files casebook did not write ----------------------------------------------------------


@pytest.mark.parametrize("argv", OUTPUTS)
def test_a_foreign_file_is_replaced_only_with_force(
    cases: Path, tmp_path: Path, capsys, argv: list[str]
) -> None:
    mine = tmp_path / "mine.md"
    mine.write_text(MINE, encoding="utf-8")
    assert cli.main([*argv, str(mine)]) == 1
    assert mine.read_text(encoding="utf-8") == MINE
    assert "--force" in capsys.readouterr().err
    assert cli.main([*argv, str(mine), "--force"]) == 0
    assert mine.read_text(encoding="utf-8") != MINE
    assert f"wrote {mine}" in capsys.readouterr().out


@pytest.mark.parametrize("argv", OUTPUTS)
def test_casebook_replaces_its_own_output(cases: Path, tmp_path: Path, argv: list[str]) -> None:
    out = tmp_path / "out.txt"
    assert cli.main([*argv, str(out)]) == 0
    first = out.read_text(encoding="utf-8")
    assert first.startswith((GENERATED_MD, GENERATED_HTML, "{"))
    out.write_text(first + "an older version\n", encoding="utf-8")
    assert cli.main([*argv, str(out)]) == 0  # no --force needed
    assert out.read_text(encoding="utf-8") == first


def test_schema_regenerates_the_shipped_schema_file(cases: Path) -> None:
    shipped = cases / SCHEMA_FILE
    shipped.write_text(shipped.read_text(encoding="utf-8")[:-40], encoding="utf-8")  # stale
    assert cli.main(["schema", "-o", str(shipped)]) == 0
    assert shipped.read_text(encoding="utf-8") == schema_text()


def test_export_into_a_folder_replaces_the_earlier_export(cases: Path, tmp_path: Path) -> None:
    out = tmp_path / "handouts"
    out.mkdir()
    assert export("-o", str(out)) == 0
    assert export("-o", str(out)) == 0
    assert files_in(out) == [f"{HUAYI}.md"]
    (out / f"{HUAYI}.md").write_text(MINE, encoding="utf-8")
    assert export("-o", str(out)) == 1
    assert (out / f"{HUAYI}.md").read_text(encoding="utf-8") == MINE


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs FIFOs")
def test_a_fifo_or_folder_is_never_an_output(cases: Path, tmp_path: Path, capsys) -> None:
    fifo = tmp_path / "pipe.md"
    os.mkfifo(fifo)
    assert cli.main(["schema", "-o", str(fifo), "--force"]) == 1
    assert "not a regular file" in capsys.readouterr().err


# -- whole or not at all -----------------------------------------------------------------------


def test_a_failed_write_leaves_the_old_file_and_no_temporary(
    cases: Path, tmp_path: Path, capsys, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "out"
    out.mkdir()
    handout = out / "handout.md"
    assert export("-o", str(handout)) == 0
    before = handout.read_bytes()

    def disk_full(fd: int) -> None:  # after the bytes are written, before the rename
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(safe_files.os, "fsync", disk_full)
    assert export("-o", str(handout), "--lang", "zh") == 1
    assert handout.read_bytes() == before
    assert files_in(out) == ["handout.md"]
    err = capsys.readouterr().err
    assert err == f"casebook: No space left on device: {handout}\n"


def test_a_failed_new_leaves_no_file(tmp_path: Path, capsys, monkeypatch) -> None:
    def disk_full(fd: int) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(safe_files.os, "fsync", disk_full)
    assert cli.main(["new", "fresh-case", "--dir", str(tmp_path)]) == 1
    assert list(tmp_path.iterdir()) == []
    err = capsys.readouterr().err
    assert err == f"casebook: No space left on device: {tmp_path / 'fresh-case.yaml'}\n"


# -- printed lines ---------------------------------------------------------------------


BAD = "id: bad-case\ncompany: {name: Bad}\nsummary: s\nunknown_key: 1\nother_key: 2\n"
GOOD = "id: good-case\ncompany: {name: Good}\nsummary: s\n"


@pytest.mark.skipif(sys.platform == "win32", reason="file names with control characters")
def test_a_file_name_never_forges_lines_in_validate(tmp_path: Path, capsys, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    folder = tmp_path / "c"
    folder.mkdir()
    forged = "x.yaml:1:1: forged\nok  y.yaml"
    (folder / f"{forged}.yaml").write_text(BAD, encoding="utf-8")
    (folder / "tab\there\x1b[31m.yaml").write_text(GOOD, encoding="utf-8")
    for color in ("", "1"):
        if color:
            monkeypatch.setenv("FORCE_COLOR", color)  # through Rich as well
        assert cli.main(["validate", "c"]) == 1
        lines = capsys.readouterr().out.splitlines()
        assert len(lines) == 2 + 1 + 1, lines  # two problems, one ok line, the summary
        shown = "c/x.yaml:1:1: forged\\nok  y.yaml.yaml"
        assert sum(shown in line for line in lines) == 2
        assert any("c/tab\\there\\x1b[31m.yaml" in line for line in lines)


@pytest.mark.skipif(sys.platform == "win32", reason="file names with control characters")
def test_error_messages_escape_file_names(tmp_path: Path, capsys) -> None:
    missing = tmp_path / "no\nsuch\x1b[2J"
    assert cli.main(["validate", str(missing)]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "\x1b" not in err and "no\\nsuch\\x1b[2J" in err
    assert cli.main(["schema", "-o", str(missing / "out.json")]) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "\x1b" not in err and "no\\nsuch" in err


@pytest.mark.parametrize("forced", ["FORCE_COLOR", "TTY_COMPATIBLE"])
def test_no_color_means_no_escape_codes_even_on_a_forced_terminal(
    cases: Path, tmp_path: Path, capsys, monkeypatch, forced: str
) -> None:
    monkeypatch.setenv(forced, "1")
    bad = tmp_path / "bad.yaml"
    bad.write_text(BAD, encoding="utf-8")
    assert cli.main(["validate", str(bad)]) == 1
    assert "\x1b[" in capsys.readouterr().out, "forced: styled, so the check can fail"
    monkeypatch.setenv("NO_COLOR", "1")
    runs = [
        ["validate", str(bad), str(cases)],
        ["validate", str(tmp_path / "missing")],
        ["schema", "-o", str(tmp_path / "schema.json")],
        ["schema", "-o", str(bad)],
        ["--cases", "cases", "export", "nope"],
    ]
    for argv in runs:
        cli.main(argv)
        captured = capsys.readouterr()
        assert captured.out + captured.err, argv
        assert "\x1b" not in captured.out + captured.err, argv


def test_exported_notes_are_readable_by_their_owner_only(cases: Path, tmp_path: Path) -> None:
    output = tmp_path / "notes.md"
    argv = ["--cases", "cases", "notes", "export", "-o", str(output)]
    assert cli.main(argv) == 0
    assert output.stat().st_mode & 0o777 == 0o600
    output.chmod(0o640)  # a replaced file keeps what its owner chose, never wider
    assert cli.main(argv) == 0
    assert output.stat().st_mode & 0o777 == 0o600 & 0o640
    handout = tmp_path / "handout.md"
    assert export("-o", str(handout)) == 0
    umask = os.umask(0o022)
    os.umask(umask)
    assert handout.stat().st_mode & 0o777 == 0o644 & ~umask, "a handout is for sharing"
