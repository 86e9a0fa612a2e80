"""The JSON Schema (draft-07) of case and collection files, generated from the model."""

from __future__ import annotations

import json

import msgspec

from casebook.model.format.case import Case, Collection
from casebook.model.format.dates import DATE_HELP, FuzzyDate

SCHEMA_FILE = "casebook.schema.json"
MODELINE = f"# yaml-language-server: $schema=./{SCHEMA_FILE}"


def _schema_hook(kind: type) -> dict[str, object]:
    if kind is FuzzyDate:
        return {"type": ["integer", "string"], "description": DATE_HELP}
    raise NotImplementedError(kind)


def json_schema() -> dict[str, object]:
    """The schema an editor uses to check and complete case files as they are typed."""
    (case_ref, collection_ref), definitions = msgspec.json.schema_components(
        [Case, Collection], schema_hook=_schema_hook, ref_template="#/definitions/{name}"
    )
    return {
        "$schema": "http://json-schema.org/draft-07/schema#",
        "title": "casebook case or collection",
        "description": (
            "A case study (one company) or, with kind: collection, the casebook itself. "
            "Text fields take a plain string or {en: ..., zh: ...}."
        ),
        "if": {"properties": {"kind": {"const": "collection"}}, "required": ["kind"]},
        "then": collection_ref,
        "else": case_ref,
        "definitions": definitions,
    }


def schema_text() -> str:
    """The schema as the text ``casebook schema`` prints and ``cases/`` ships."""
    return json.dumps(json_schema(), indent=2, ensure_ascii=False) + "\n"
