"""Strict YAML: 1.2 scalars, and every sharp edge of YAML refused with its position."""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest
import yaml

from casebook.model.load.loader import LoadedFile, load_file
from casebook.model.load.yamlsafe import YamlError, load_mapping

DATA = Path(__file__).resolve().parent.parent / "data"
HOSTILE = DATA / "hostile"


def found(loaded: LoadedFile) -> list[tuple[int, int, str]]:
    """(line, col, message) of every diagnostic; a refused file never has a document."""
    assert loaded.document is None
    assert not loaded.ok
    return [(d.line, d.col, d.message) for d in loaded.diagnostics]


def hostile(name: str) -> list[tuple[int, int, str]]:
    return found(load_file(HOSTILE / name))


# -- YAML 1.2 scalars ----------------------------------------------------------


def test_yaml11_booleans_dates_and_sexagesimals_stay_text() -> None:
    loaded = load_file(DATA / "valid" / "yaml12-scalars.yaml")
    assert loaded.ok, loaded.diagnostics
    case = loaded.document
    assert case.company.name == "yes"
    assert case.company.former_names == [
        "yes",
        "no",
        "on",
        "off",
        "y",
        "n",
        "Yes",
        "NO",
        "On",
        "OFF",
    ]
    assert case.summary == "2017-09"
    assert case.hook == "2017-09-14"
    assert case.industry == "12:30"  # YAML 1.1 reads this as 750


def test_yaml12_integers() -> None:
    loaded = load_file(DATA / "valid" / "yaml12-scalars.yaml")
    values = {metric.id: metric.value for metric in loaded.document.metrics}
    # 0x1F and 0o17 are hex and octal; 010 is ten (YAML 1.1 said eight); 1.5e3 is a float.
    assert values == {"hex": 31, "octal": 15, "leading-zero": 10, "exponent": 1500.0}
    assert isinstance(values["leading-zero"], int)


@pytest.mark.parametrize(
    ("scalar", "value"),
    [
        ("true", True),
        ("False", False),
        ("~", None),
        ("null", None),
        ("-12", -12),
        ("+7", 7),
        (".5", 0.5),
        ("1e3", 1000.0),
        ("0x_1", "0x_1"),  # underscores were YAML 1.1 only
        ("1_000", "1_000"),
        ("0b101", "0b101"),
        ("0o8", "0o8"),
        ("1:30", "1:30"),
        ("yes", "yes"),
        ("2001-12-14t21:59:43.10-05:00", "2001-12-14t21:59:43.10-05:00"),
    ],
)
def test_core_schema_scalars(scalar: str, value: object) -> None:
    data, problems = load_mapping(f"k: {scalar}\n")
    assert problems == []
    assert data["k"] == value
    assert type(data["k"]) is type(value)


def test_nan_and_infinity_are_rejected_each_at_its_position() -> None:
    assert hostile("yaml-nan-inf.yaml") == [
        (5, 30, "NaN and infinity are not numbers"),  # value: .nan
        (6, 30, "NaN and infinity are not numbers"),  # value: -.inf
        (9, 12, "NaN and infinity are not numbers"),  # value: .Inf, block style
    ]


# -- keys ----------------------------------------------------------------------


def test_duplicate_keys_name_both_lines() -> None:
    assert hostile("yaml-duplicate-keys.yaml") == [
        (4, 3, "duplicate key 'name' (lines 3 and 4)"),
        (6, 1, "duplicate key 'id' (lines 1 and 6)"),
    ]


def test_non_string_keys_are_each_refused() -> None:
    problems = hostile("yaml-non-string-keys.yaml")
    # 1: (int), ~: (null), ? [a, list] (a list, reported at the list), true: (bool)
    assert problems == [
        (4, 1, "keys must be plain text"),
        (5, 1, "keys must be plain text"),
        (6, 3, "keys must be plain text"),
        (8, 1, "keys must be plain text"),
    ]


@pytest.mark.parametrize("key", ['"1"', "'~'", '"true"'])
def test_quoted_keys_are_text(key: str) -> None:
    data, problems = load_mapping(f"{key}: v\n")
    assert problems == []
    assert list(data) == [key.strip("'\"")]


# -- anchors, aliases, merge keys, tags, directives ---------------------------------


def test_anchors_and_aliases_are_refused() -> None:
    assert hostile("yaml-anchor-alias.yaml") == [
        (2, 10, "anchors (&) are not allowed"),
        (5, 7, "aliases (*) are not allowed; write the value out"),
    ]


def test_merge_key_is_refused_as_a_merge_key() -> None:
    problems = hostile("yaml-merge-key.yaml")
    assert (3, 3, "merge keys (<<) are not allowed") in problems


def test_quoted_merge_key_is_an_ordinary_unknown_key(load_text, minimal: str) -> None:
    problems = found(load_text(minimal + '"<<": {hook: x}\n'))
    assert len(problems) == 1
    assert problems[0][:2] == (4, 1)
    assert problems[0][2].startswith("unknown key '<<'")


def test_python_tag_is_refused_and_never_executed(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    source = HOSTILE / "yaml-python-tag.yaml"
    problems = found(load_file(source))
    assert problems == [
        (3, 10, "tags (tag:yaml.org,2002:python/object/apply:os.system) are not allowed")
    ]
    assert not (tmp_path / "casebook-tag-marker").exists()


def test_python_tag_fixture_would_run_under_an_unsafe_loader(monkeypatch) -> None:
    # Proves the fixture above is a real exploit: an unsafe loader calls os.system.
    calls: list[str] = []
    monkeypatch.setattr(os, "system", calls.append)
    yaml.unsafe_load((HOSTILE / "yaml-python-tag.yaml").read_text(encoding="utf-8"))
    assert calls == ["touch casebook-tag-marker"]


def test_every_kind_of_tag_is_refused() -> None:
    assert hostile("yaml-tags.yaml") == [
        (2, 17, "tags (tag:yaml.org,2002:str) are not allowed"),
        (3, 10, "tags (!local) are not allowed"),
        (4, 7, "tags (tag:yaml.org,2002:binary) are not allowed"),
        (5, 11, "tags (tag:yaml.org,2002:str) are not allowed"),
    ]


@pytest.mark.parametrize("name", ["yaml-tag-directive.yaml", "yaml-version-directive.yaml"])
def test_directives_are_refused(name: str) -> None:
    assert hostile(name) == [(1, 1, "YAML directives (%) are not allowed")]


def test_percent_in_text_is_not_a_directive(load_text) -> None:
    loaded = load_text(
        "id: percent\ncompany: {name: P}\nsummary: |\n  %YAML is only a directive at column 1\n"
    )
    assert loaded.ok, loaded.diagnostics
    assert loaded.document.summary == "%YAML is only a directive at column 1\n"


def test_ampersand_asterisk_and_bang_in_text_are_text(load_text) -> None:
    loaded = load_text("id: amp\ncompany: {name: R&D *Co*}\nsummary: Wow! &more *stars\n")
    assert loaded.ok, loaded.diagnostics
    assert loaded.document.company.name == "R&D *Co*"
    assert loaded.document.summary == "Wow! &more *stars"


# -- documents and roots -------------------------------------------------------


def test_more_than_one_document_is_refused() -> None:
    assert hostile("yaml-two-documents.yaml") == [
        (4, 1, "only one document per file (remove the ---)")
    ]


def test_explicit_document_markers_around_one_document_are_fine(load_text, minimal) -> None:
    assert load_text(f"---\n{minimal}...\n").ok


def test_second_document_after_end_marker_is_refused(load_text, minimal) -> None:
    problems = found(load_text(f"---\n{minimal}...\n---\nid: two\n"))
    assert problems == [(6, 1, "only one document per file (remove the ---)")]


@pytest.mark.parametrize("name", ["yaml-root-list.yaml", "yaml-root-scalar.yaml"])
def test_root_must_be_a_mapping(name: str) -> None:
    assert hostile(name) == [(1, 1, "the file must be a mapping of keys")]


@pytest.mark.parametrize("name", ["yaml-empty.yaml", "yaml-comments-only.yaml"])
def test_empty_files_say_so(name: str) -> None:
    assert hostile(name) == [(1, 1, "the file is empty")]


@pytest.mark.parametrize("content", ["\n\n   \n", "\ufeff", "\ufeff\r\n# note\r\n"])
def test_blank_files_say_so(load_text, content: str) -> None:
    assert found(load_text(content)) == [(1, 1, "the file is empty")]


@pytest.mark.parametrize(
    ("content", "line"), [("null\n", 1), ("---\n", 2), ("--- # nothing\n...\n", 2)]
)
def test_a_document_of_null_is_not_a_mapping(load_text, content: str, line: int) -> None:
    assert found(load_text(content)) == [(line, 1, "the file must be a mapping of keys")]


# -- resource exhaustion ---------------------------------------------------------
# Bounds are hang guards in this process's CPU time: the other test workers sharing the
# machine's cores do not count against them.


def test_billion_laughs_finishes_fast_with_diagnostics() -> None:
    start = time.process_time()
    problems = hostile("yaml-billion-laughs.yaml")
    assert time.process_time() - start < 2
    # nine anchors (one per line) and nine aliases on each of lines 2 to 9
    assert sum(message.startswith("anchors") for _, _, message in problems) == 9
    assert sum(message.startswith("aliases") for _, _, message in problems) == 8 * 9
    assert problems[0] == (1, 6, "anchors (&) are not allowed")


@pytest.mark.parametrize(("opening", "closing"), [("[", "]"), ("{a: ", "}")])
def test_deep_flow_nesting_is_a_diagnostic(load_text, opening: str, closing: str) -> None:
    depth = 100_000 if opening == "[" else 40_000  # both stay under the size cap
    start = time.process_time()
    problems = found(load_text("hook: " + opening * depth + closing * depth + "\n"))
    assert time.process_time() - start < 5
    assert len(problems) == 1
    line, col, message = problems[0]
    assert line == 1
    assert col > len("hook: ")
    assert "nesting depth" in message


def test_deep_block_nesting_is_a_diagnostic(load_text) -> None:
    problems = found(load_text("timeline:\n  " + "- " * 100_000 + "x\n"))
    assert len(problems) == 1
    assert problems[0][0] == 2
    assert "nesting depth" in problems[0][2]


def test_deep_indented_mappings_load_without_recursion_error(load_text) -> None:
    # As deep as indentation allows under the size cap: parsed, then refused by validation.
    nested = "".join(" " * depth + "a:\n" for depth in range(700))
    loaded = load_text(nested)
    assert "unknown key 'a'" in " ".join(d.message for d in loaded.diagnostics)
    assert loaded.document is None


def test_the_deepest_nesting_libyaml_allows_is_read_whole() -> None:
    # libyaml refuses 1,000 levels; 998 lists in the mapping are read without recursion,
    # and a problem at the bottom is found at its place.
    depth = 998
    data, problems = load_mapping("hook: " + "[" * depth + ".nan" + "]" * depth + "\n")
    value = data["hook"]
    for _ in range(depth):
        assert isinstance(value, list) and len(value) == 1
        value = value[0]
    assert value != value  # NaN
    assert [(p.line, p.col, p.message) for p in problems] == [
        (1, 7 + depth, "NaN and infinity are not numbers")
    ]


def test_values_are_built_level_by_level_as_pyyaml_builds_them() -> None:
    text = "a:\n  b: .nan\n  c: [.inf]\nd: -.inf\ne: {f: x, f: y}\n"
    data, problems = load_mapping(text)
    assert list(data) == ["a", "d", "e"]
    assert list(data["a"]) == ["b", "c"]
    assert data["e"] == {"f": "x"}
    # Each level before the next (PyYAML's constructors, deferred): lines 4, 2, 5, then 3.
    assert [(p.line, p.col) for p in problems] == [(4, 4), (2, 6), (5, 11), (3, 7)]


@pytest.mark.parametrize("name", ["yaml-deep-flow.yaml", "yaml-deep-block.yaml"])
def test_deep_nesting_fixtures(name: str) -> None:
    problems = hostile(name)
    assert len(problems) == 1
    assert "exceeded maximum nesting depth" in problems[0][2]


# -- syntax errors -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "line", "col", "words"),
    [
        (
            "syntax-unclosed-flow.yaml",
            3,
            8,
            "did not find expected ',' or '}' (the `{` opened at line 2, col 10 is never closed)",
        ),
        ("syntax-bad-indent.yaml", 4, 8, "mapping values are not allowed"),
        ("syntax-tab-indent.yaml", 3, 1, "cannot start any token"),
        (
            "syntax-unclosed-quote.yaml",
            5,
            1,
            'unexpected end of stream (the `"` opened at line 3, col 10 is never closed)',
        ),
    ],
)
def test_syntax_errors_have_line_and_column(name: str, line: int, col: int, words: str) -> None:
    problems = hostile(name)
    assert len(problems) == 1
    assert problems[0][:2] == (line, col)
    assert words in problems[0][2]


def test_yaml_error_carries_every_problem() -> None:
    with pytest.raises(YamlError) as raised:
        load_mapping("a: &x 1\nb: *x\n")
    assert [(p.line, p.col) for p in raised.value.problems] == [(1, 4), (2, 4)]
    assert str(raised.value) == raised.value.problems[0].message


# -- characters YAML reads as line breaks ------------------------------------------------

SEPARATORS = [("\u2028", "U+2028 LINE SEPARATOR"), ("\u2029", "U+2029 PARAGRAPH SEPARATOR")]
MINIMAL_CASE = "id: minimal\ncompany: {name: Minimal Co}\nsummary: Just enough.\n"


@pytest.mark.parametrize(("char", "name"), SEPARATORS)
@pytest.mark.parametrize(
    ("line", "col", "where"),
    [
        (3, 22, "summary: Just enough.{c}And more.\n"),  # plain text
        (3, 12, 'summary: "a{c}b"\n'),  # quoted text: libyaml would fold it away
        (3, 3, "su{c}mmary: Just enough.\n"),  # in a key
        (3, 27, "summary: Just enough.  # a{c}b: c\n"),  # in a comment, it would end it
    ],
)
def test_line_and_paragraph_separators_are_refused_where_they_are(
    load_text, char: str, name: str, line: int, col: int, where: str
) -> None:
    text = MINIMAL_CASE.replace("summary: Just enough.\n", where.format(c=char))
    assert found(load_text(text)) == [
        (
            line,
            col,
            f"{name} is not allowed (YAML reads it as a line break); use a newline, or delete it",
        )
    ]


def test_every_separator_is_reported_at_the_line_an_editor_shows(load_text) -> None:
    text = "id: x\u2028y\ncompany: {name: A\u2029B}\n\nsummary: \u2028\u2028\n"
    assert [(line, col) for line, col, _ in found(load_text(text))] == [
        (1, 6),
        (2, 18),
        (4, 10),
        (4, 11),
    ]


@pytest.mark.parametrize(("escape", "name"), [("\\L", SEPARATORS[0][1]), ("\\P", SEPARATORS[1][1])])
def test_a_separator_written_as_an_escape_is_refused_too(load_text, escape: str, name: str) -> None:
    # Loaded, it could not be written back raw (PyYAML would) and read again the same.
    loaded = load_text(MINIMAL_CASE.replace("Just enough.", f'"one{escape}two"'))
    assert found(loaded) == [(3, 10, f"{name} is not allowed in text; use a newline, or delete it")]


@pytest.mark.parametrize("scalar", ["true\n", "null\n", "12\n", "1.5\n"])
def test_implicit_types_match_the_whole_scalar(scalar: str) -> None:
    from casebook.model.load.yamlsafe import StrictLoader

    for tag, pattern in StrictLoader.yaml_implicit_resolvers.get(scalar[0], ()):
        assert not pattern.match(scalar), (tag, scalar)


# -- where an unclosed bracket or quote opened ------------------------------------------


def syntax_error(text: str) -> tuple[int, int, str]:
    with pytest.raises(YamlError) as raised:
        load_mapping(text)
    (problem,) = raised.value.problems
    return problem.line, problem.col, problem.message


@pytest.mark.parametrize(
    ("text", "stopped", "opened"),
    [
        # The parser stops at the next key, or at the end: the opener is lines above.
        ("a: 1\nb: [1, 2\nc: 3\n", (3, 2), "the `[` opened at line 2, col 4 is never closed"),
        ("a: 1\nb: [1, 2\n", (3, 1), "the `[` opened at line 2, col 4 is never closed"),
        ("a: {en: x, zh: y\nc: 3\n", (2, 2), "the `{` opened at line 1, col 4 is never closed"),
        ('a: 1\nb: "abc\nc: 3\n', (4, 1), 'the `"` opened at line 2, col 4 is never closed'),
        ("a: 1\nb: 'abc\nc: 3\n", (4, 1), "the `'` opened at line 2, col 4 is never closed"),
        # The outer bracket is the one left open, the inner one closed.
        ("a: [1, {b: 2}\nc: 3\n", (2, 1), "the `[` opened at line 1, col 4 is never closed"),
        # A bracket in quoted text or a comment closes nothing.
        ('a: ["x]", 2\nb: 1\n', (2, 2), "the `[` opened at line 1, col 4 is never closed"),
        ("a: ['it''s]', 2\nb: 1\n", (2, 2), "the `[` opened at line 1, col 4 is never closed"),
        ('a: ["x\\"]", 2\nb: 1\n', (2, 2), "the `[` opened at line 1, col 4 is never closed"),
        ("a: [1, 2  # ]\nb: 1\n", (2, 1), "the `[` opened at line 1, col 4 is never closed"),
        # A wrong closing bracket does not close it.
        ("a: [1, {b: 2]\n", (1, 13), "the `{` opened at line 1, col 8 is never closed"),
        # Columns count characters, lines end at \r\n too.
        ("名字: 1\r\nb: [一, 二\r\nc: 3\r\n", (3, 2), "the `[` opened at line 2, col 4"),
        ("a:\n  - x\n  - {en: 甲乙, zh: 丙\n", (4, 1), "the `{` opened at line 3, col 5"),
    ],
)
def test_an_unclosed_bracket_or_quote_names_where_it_opened(
    text: str, stopped: tuple[int, int], opened: str
) -> None:
    line, col, message = syntax_error(text)
    assert (line, col) == stopped
    assert f"({opened}" in message
    assert message.endswith(")")


@pytest.mark.parametrize(
    ("text", "inside"),
    [
        # Closed further on: the mistake is inside it, not a missing bracket.
        ("a: [1, 2 : 3 : 4]\n", "(inside the `[` opened at line 1, col 4)"),
        ("a: {x: 1, y: 2 z: 3}\n", "(inside the `{` opened at line 1, col 4)"),
        ('a: "bad \\q escape"\n', '(inside the `"` opened at line 1, col 4)'),
    ],
)
def test_a_closed_bracket_or_quote_is_not_called_unclosed(text: str, inside: str) -> None:
    _, _, message = syntax_error(text)
    assert message.endswith(inside)
    assert "never closed" not in message


@pytest.mark.parametrize(
    "text",
    ["a: 1\n b: 2\n", "a: b: c\n", "a:\n\t- x\n", "- [1]\n- 2\n"],
)
def test_other_syntax_errors_name_no_opener(text: str) -> None:
    message = syntax_error(text)[2]
    assert "opened at" not in message and "inside the" not in message


def test_the_opener_is_named_in_validate_output(tmp_path: Path, capsys) -> None:
    from casebook import cli

    path = tmp_path / "case.yaml"
    path.write_text(
        "id: x\ncompany: {name: Co}\nsummary: S\nsolutions: [\n  one,\n  two\nhook: h\n",
        encoding="utf-8",
    )
    assert cli.main(["validate", str(path)]) == 1
    out = capsys.readouterr().out
    assert f"{path}:7:5: while parsing a flow sequence, did not find expected ',' or ']' " in out
    assert "(the `[` opened at line 4, col 12 is never closed)" in out


def test_finding_the_opener_is_linear() -> None:
    # One pass over the text after the opener, however many brackets and quotes follow.
    items = ", ".join("[\"a]\", {b: \"c\\\\\"}, 'd''e']" for _ in range(20_000))
    text = f"a: [{items}\nb: 1\n"
    started = time.process_time()
    _, _, message = syntax_error(text)
    assert time.process_time() - started < 5
    assert "(the `[` opened at line 1, col 4 is never closed)" in message
