"""Any text in any text field either loads exactly and round-trips, or is a diagnostic."""

from __future__ import annotations

import copy
import json
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from casebook.model.format.case import to_builtins
from casebook.model.format.text import UNSAFE_CHARS
from casebook.model.load.loader import LoadedFile, load_file
from casebook.model.load.yamlsafe import StrictLoader, YamlError, load_mapping

BASE = {
    "id": "prop",
    "company": {"name": "Prop Co"},
    "hook": {"en": "Hook", "zh": "引子"},
    "summary": "Summary.",
    "timeline": [{"date": 2017, "title": "Event"}],
    "metrics": [{"id": "m", "label": "Label", "value": 1}],
}
FIELDS = {
    "summary": ("summary",),
    "metric label": ("metrics", 0, "label"),
    "event title": ("timeline", 0, "title"),
    "bilingual en": ("hook", "en"),
    "bilingual zh": ("hook", "zh"),
}
TRICKY = [
    *"\t\n\r\x00\x1b\x7f\x85\x9b\u2028\u2029\u202e\u2066\ufeff\ufffe\uffff",
    *"\\\"'#:&*!%|>-[]{}",
    *["1e3", "0o17", "0x1F", "yes", "~", "null", "2017-09"],
]
CHARACTERS = st.characters(exclude_categories=("Cs",))  # surrogates cannot be UTF-8
TEXT = st.one_of(
    st.text(CHARACTERS),
    st.lists(st.one_of(CHARACTERS, st.sampled_from(TRICKY)), max_size=12).map("".join),
)


def _yaml_printable(char: str) -> bool:
    """Characters YAML lets a file hold raw (YAML 1.1 printable set, as libyaml has it)."""
    code = ord(char)
    return (
        char in "\t\n\r\x85"
        or 0x20 <= code <= 0x7E
        or 0xA0 <= code <= 0xD7FF
        or 0xE000 <= code <= 0xFFFD
        or code >= 0x10000
    )


class Yaml12Dumper(yaml.SafeDumper):
    """PyYAML's safe dumper, quoting whatever the loader's YAML 1.2 core schema reads as
    not-text. Stock safe_dump follows YAML 1.1 and writes the text 1e3 or 0o17 unquoted,
    which YAML 1.2 reads as numbers (see test_pyyaml_dump_of_numeric_looking_text)."""

    yaml_implicit_resolvers = StrictLoader.yaml_implicit_resolvers


def _write(document: object, writer: str) -> str:
    if writer == "json":  # JSON is YAML: one line, double-quoted strings, raw non-ASCII
        return json.dumps(document, ensure_ascii=False) + "\n"
    if writer == "pyyaml":
        return yaml.safe_dump(document, allow_unicode=True, sort_keys=False)
    return yaml.dump(
        document, Dumper=Yaml12Dumper, allow_unicode=writer == "yaml-unicode", sort_keys=False
    )


def _looks_like_a_yaml12_number(text: str) -> bool:
    try:
        data, _ = load_mapping(f"k: {text}\n")
    except YamlError:
        return False
    return isinstance(data.get("k"), (int, float))


def _get(node: object, path: tuple) -> object:
    for step in path:
        node = node[step] if isinstance(node, (dict, list)) else getattr(node, step)
    return node


def _check(path: Path, content: str) -> LoadedFile:
    path.write_text(content, encoding="utf-8")
    loaded = load_file(path, "prop.yaml")
    if loaded.document is None:
        assert loaded.diagnostics
        assert all(str(d).startswith("prop.yaml") for d in loaded.diagnostics)
    return loaded


@pytest.mark.parametrize("writer", ["json", "yaml-ascii", "yaml-unicode", "pyyaml"])
@pytest.mark.parametrize("field", sorted(FIELDS))
@settings(
    max_examples=30,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(text=TEXT)
def test_any_text_loads_exactly_or_is_a_diagnostic(
    tmp_path: Path, field: str, writer: str, text: str
) -> None:
    document = copy.deepcopy(BASE)
    *parents, last = FIELDS[field]
    _get(document, tuple(parents))[last] = text
    loaded = _check(tmp_path / "prop.yaml", _write(document, writer))

    # U+2028 and U+2029 are refused too: YAML reads them as line breaks (see yamlsafe).
    unsafe = UNSAFE_CHARS.search(text) is not None or "\u2028" in text or "\u2029" in text
    raw_only = writer == "json" and not all(map(_yaml_printable, text))
    numeric = writer == "pyyaml" and _looks_like_a_yaml12_number(text)
    if loaded.document is None:
        # Refusing is right only for unsafe text, raw characters YAML cannot hold, or
        # text PyYAML wrote unquoted that YAML 1.2 reads as a number (never silently).
        assert unsafe or raw_only or numeric, [str(d) for d in loaded.diagnostics]
        return
    assert not unsafe, f"unsafe text {text!r} loaded"
    assert _get(loaded.document, FIELDS[field]) == text

    # The document re-dumped and re-loaded is the same document.
    dumped = _write(to_builtins(loaded.document), "yaml-unicode")
    again = _check(tmp_path / "again.yaml", dumped)
    assert again.ok, [str(d) for d in again.diagnostics]
    assert again.document == loaded.document


@pytest.mark.parametrize("text", ["1e3", "0E0", "+1e5", "0o17", "+.5"])
def test_pyyaml_dump_of_numeric_looking_text(tmp_path: Path, text: str) -> None:
    # PyYAML dumps YAML 1.1, where these are text, so it leaves them unquoted...
    assert yaml.safe_dump({"summary": text}) == f"summary: {text}\n"
    # ...and the YAML 1.2 loader reads a number: a diagnostic, never a silent change.
    document = {**BASE, "summary": text}
    loaded = _check(tmp_path / "prop.yaml", yaml.safe_dump(document, sort_keys=False))
    assert [d.line for d in loaded.diagnostics] == [7]  # block style: summary is line 7
    assert "got the number" in loaded.diagnostics[0].message
    # Quoting as YAML 1.2 needs keeps the text.
    loaded = _check(tmp_path / "prop.yaml", _write(document, "yaml-ascii"))
    assert loaded.ok
    assert loaded.document.summary == text
