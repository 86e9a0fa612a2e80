"""``casebook new``: a commented template that validates clean, written without overwriting."""

from __future__ import annotations

from pathlib import Path

import pytest

from casebook import cli
from casebook.model.author.template import case_template
from casebook.model.format.case import Case
from casebook.model.format.schema import MODELINE, SCHEMA_FILE, schema_text
from casebook.model.load.library import ENV_PATH
from casebook.model.load.loader import load_file


@pytest.mark.parametrize("case_id", ["new-case", "a", "acme-2024"])
def test_template_validates_clean(tmp_path: Path, case_id: str) -> None:
    path = tmp_path / f"{case_id}.yaml"
    path.write_text(case_template(case_id), encoding="utf-8")
    loaded = load_file(path)
    assert loaded.ok, [str(d) for d in loaded.diagnostics]
    assert isinstance(loaded.document, Case)
    assert loaded.document.id == case_id
    assert len(loaded.document.discussion_questions) >= 3


def test_template_starts_with_the_modeline() -> None:
    assert case_template("x").splitlines()[0] == MODELINE


def test_new_writes_template_and_schema(tmp_path: Path, capsys) -> None:
    assert cli.main(["new", "fresh-case", "--dir", str(tmp_path)]) == 0
    written = tmp_path / "fresh-case.yaml"
    assert written.read_text(encoding="utf-8") == case_template("fresh-case")
    assert (tmp_path / SCHEMA_FILE).read_text(encoding="utf-8") == schema_text()
    out = capsys.readouterr().out
    assert f"wrote {written}" in out
    assert load_file(written).ok


def test_new_keeps_an_existing_schema_file(tmp_path: Path) -> None:
    (tmp_path / SCHEMA_FILE).write_text("{}", encoding="utf-8")
    assert cli.main(["new", "fresh-case", "--dir", str(tmp_path)]) == 0
    assert (tmp_path / SCHEMA_FILE).read_text(encoding="utf-8") == "{}"


def test_new_refuses_to_overwrite(tmp_path: Path, capsys) -> None:
    existing = tmp_path / "taken.yaml"
    existing.write_text("mine: true\n", encoding="utf-8")
    status = cli.main(["new", "taken", "--dir", str(tmp_path)])
    assert status != 0
    assert existing.read_text(encoding="utf-8") == "mine: true\n"
    assert "already exists" in capsys.readouterr().err


def test_new_refuses_to_write_through_a_dangling_symlink(tmp_path: Path) -> None:
    (tmp_path / "link.yaml").symlink_to(tmp_path / "elsewhere.yaml")
    assert cli.main(["new", "link", "--dir", str(tmp_path)]) != 0
    assert not (tmp_path / "elsewhere.yaml").exists()


@pytest.mark.parametrize("case_id", ["Bad", "bad_id", "bad--id", "中文", "../escape", "x.yaml"])
def test_new_with_a_bad_id_exits_2(tmp_path: Path, capsys, case_id: str) -> None:
    assert cli.main(["new", case_id, "--dir", str(tmp_path)]) == 2
    assert list(tmp_path.iterdir()) == []
    assert "not a valid id" in capsys.readouterr().err


def test_new_with_an_id_that_looks_like_an_option_exits_2(tmp_path: Path) -> None:
    with pytest.raises(SystemExit) as raised:  # argparse's own usage error
        cli.main(["new", "-bad", "--dir", str(tmp_path)])
    assert raised.value.code == 2
    assert list(tmp_path.iterdir()) == []


def test_new_into_a_missing_folder_exits_2(tmp_path: Path, capsys) -> None:
    assert cli.main(["new", "x", "--dir", str(tmp_path / "missing")]) == 2
    assert "no such folder" in capsys.readouterr().err


def test_new_defaults_to_the_active_case_folder(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.delenv(ENV_PATH, raising=False)
    (tmp_path / "cases").mkdir()
    monkeypatch.chdir(tmp_path)
    assert cli.main(["new", "here"]) == 0
    assert (tmp_path / "cases" / "here.yaml").is_file()


def test_new_never_writes_into_the_bundled_cases(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.delenv(ENV_PATH, raising=False)
    monkeypatch.chdir(tmp_path)  # no ./cases here: the bundled cases are active
    assert cli.main(["new", "mine"]) == 0
    assert (tmp_path / "mine.yaml").is_file()
