"""The JSON Schema (draft-07) of case and collection files, generated from the model.

The model's field descriptions (``Meta(description=...)`` on the structs in
:mod:`casebook.model.format.case`) are the one place fields are documented: the schema
publishes them to editors, and :func:`field_docs` hands the same text to the template
and the scaffold that ``casebook new`` writes.
"""

from __future__ import annotations

import functools
import json

import msgspec

from casebook.model.format.case import Case, Collection
from casebook.model.format.dates import FuzzyDate
from casebook.model.format.text import TEXT_HELP

SCHEMA_FILE = "casebook.schema.json"
MODELINE = f"# yaml-language-server: $schema=./{SCHEMA_FILE}"


def _schema_hook(kind: type) -> dict[str, object]:
    if kind is FuzzyDate:  # described where it is used (case.DateValue)
        return {"type": ["integer", "string"]}
    raise NotImplementedError(kind)


@functools.cache
def _components() -> tuple[tuple[dict[str, object], ...], dict[str, dict[str, object]]]:
    refs, definitions = msgspec.json.schema_components(
        [Case, Collection], schema_hook=_schema_hook, ref_template="#/definitions/{name}"
    )
    return tuple(refs), definitions


def json_schema() -> dict[str, object]:
    """The schema an editor uses to check and complete case files as they are typed."""
    (case_ref, collection_ref), definitions = _components()
    return {
        "$schema": "http://json-schema.org/draft-07/schema#",
        "title": "casebook case or collection",
        "description": (
            f"A case study (one company) or, with kind: collection, the casebook itself. "
            f"{TEXT_HELP}"
        ),
        "if": {"properties": {"kind": {"const": "collection"}}, "required": ["kind"]},
        "then": collection_ref,
        "else": case_ref,
        "definitions": definitions,
    }


def schema_text() -> str:
    """The schema as the text ``casebook schema`` prints and ``cases/`` ships."""
    return json.dumps(json_schema(), indent=2, ensure_ascii=False) + "\n"


def _description(node: dict[str, object], definitions: dict[str, dict[str, object]]) -> str:
    """A property's description: its own, else one of its alternatives', else that of the
    struct it holds (or a list of)."""
    if isinstance(node.get("description"), str):
        return str(node["description"])
    for key in ("anyOf", "items"):
        value = node.get(key)
        for branch in value if isinstance(value, list) else [value] if value else []:
            if isinstance(branch, dict) and isinstance(branch.get("description"), str):
                return str(branch["description"])
    ref = node.get("$ref")
    if isinstance(ref, str):
        target = definitions.get(ref.rsplit("/", 1)[-1], {})
        return str(target.get("description", ""))
    return ""


@functools.cache
def field_docs() -> dict[str, str]:
    """Every field's description, keyed ``"Struct.field"`` (``"Metric.unit"``), exactly as
    the schema gives it to editors; structs under ``"Struct"`` (their docstring)."""
    _, definitions = _components()
    docs: dict[str, str] = {}
    for name, definition in definitions.items():
        docs[name] = str(definition.get("description", ""))
        properties = definition.get("properties", {})
        assert isinstance(properties, dict)
        for field, node in properties.items():
            docs[f"{name}.{field}"] = _description(node, definitions)
    return docs
