"""The JSON Schema: valid draft-07, shipped up to date, and in step with the loader."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from jsonschema import Draft7Validator

from casebook import cli
from casebook.model.format import schema

REPO = Path(__file__).resolve().parents[2]
CASES = REPO / "cases"
SHIPPED_SCHEMA = CASES / schema.SCHEMA_FILE
DATA = Path(__file__).resolve().parent.parent / "data"
REGENERATE = f"regenerate it with: casebook schema -o cases/{schema.SCHEMA_FILE}"


def check_jsonschema(schema_file: Path, *files: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [
            sys.executable,
            "-m",
            "check_jsonschema",
            "--schemafile",
            str(schema_file),
            *map(str, files),
        ],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def shipped_yaml() -> list[Path]:
    files = sorted(CASES.glob("*.yaml"))
    assert files, f"no case files in {CASES}"
    return files


def test_schema_command_prints_valid_draft7(capsys) -> None:
    assert cli.main(["schema"]) == 0
    printed = capsys.readouterr().out
    assert printed == schema.schema_text()
    document = json.loads(printed)
    Draft7Validator.check_schema(document)
    assert document["$schema"] == "http://json-schema.org/draft-07/schema#"
    # Every $ref points at a definition that exists.
    refs = set()

    def collect(node: object) -> None:
        if isinstance(node, dict):
            if "$ref" in node:
                refs.add(node["$ref"])
            for value in node.values():
                collect(value)
        elif isinstance(node, list):
            for value in node:
                collect(value)

    collect(document)
    assert refs
    for ref in refs:
        assert ref.startswith("#/definitions/")
        assert ref.removeprefix("#/definitions/") in document["definitions"]


def test_schema_command_writes_a_file(tmp_path: Path, capsys) -> None:
    target = tmp_path / "out.json"
    assert cli.main(["schema", "-o", str(target)]) == 0
    assert target.read_text(encoding="utf-8") == schema.schema_text()
    assert f"wrote {target}" in capsys.readouterr().out


def test_schema_is_deterministic() -> None:
    assert schema.schema_text() == schema.schema_text()
    assert schema.schema_text().endswith("}\n")


def test_shipped_schema_is_up_to_date() -> None:
    if not SHIPPED_SCHEMA.is_file():
        pytest.fail(f"{SHIPPED_SCHEMA} is missing; {REGENERATE}")
    shipped = SHIPPED_SCHEMA.read_text(encoding="utf-8")
    assert shipped == schema.schema_text(), f"{SHIPPED_SCHEMA} is stale; {REGENERATE}"


def test_schema_accepts_every_shipped_file() -> None:
    result = check_jsonschema(SHIPPED_SCHEMA, *shipped_yaml())
    assert result.returncode == 0, result.stdout + result.stderr


def test_schema_accepts_the_valid_fixtures() -> None:
    result = check_jsonschema(SHIPPED_SCHEMA, *sorted((DATA / "valid").glob("*.yaml")))
    assert result.returncode == 0, result.stdout + result.stderr


def test_schema_rejects_an_unknown_key(tmp_path: Path) -> None:
    case = next(p for p in shipped_yaml() if p.name != "collection.yaml")
    copy = tmp_path / case.name
    copy.write_text(case.read_text(encoding="utf-8") + "not_a_casebook_key: 1\n", encoding="utf-8")
    shutil.copy(SHIPPED_SCHEMA, tmp_path / schema.SCHEMA_FILE)
    result = check_jsonschema(tmp_path / schema.SCHEMA_FILE, copy)
    assert result.returncode == 1, result.stdout + result.stderr
    assert "not_a_casebook_key" in result.stdout + result.stderr


def test_schema_rejects_an_unknown_key_in_the_collection(tmp_path: Path) -> None:
    copy = tmp_path / "collection.yaml"
    copy.write_text(
        "kind: collection\nid: book\ntitle: T\nintroduction: I\nsummary: not here\n",
        encoding="utf-8",
    )
    result = check_jsonschema(SHIPPED_SCHEMA, copy)
    assert result.returncode == 1, result.stdout + result.stderr


def test_every_shipped_file_starts_with_the_modeline() -> None:
    assert schema.MODELINE == "# yaml-language-server: $schema=./casebook.schema.json"
    for path in shipped_yaml():
        first = path.read_text(encoding="utf-8").splitlines()[0]
        assert first == schema.MODELINE, f"{path.name} starts with {first!r}"


def test_every_field_is_described_once_in_the_model() -> None:
    """Field descriptions live on the model's structs (the template, the scaffold and the
    schema all read them there): every field has one."""
    docs = schema.field_docs()
    assert "Metric.unit" in docs and "Case.timeline" in docs
    assert [key for key, text in docs.items() if not text] == []
    properties = json.loads(schema.schema_text())["definitions"]["Metric"]["properties"]
    assert properties["unit"]["description"] == docs["Metric.unit"]
