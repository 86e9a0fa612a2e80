"""The writing guide's example is a real case file, and the guide explains every warning."""

from __future__ import annotations

import re
from pathlib import Path

from casebook.model.format.schema import MODELINE
from casebook.model.load.lint import CODES, PRESENT_LIMITS, lint
from casebook.model.load.loader import load_file, read_text

REPO = Path(__file__).resolve().parents[2]
GUIDE = REPO / "docs" / "writing-a-case.md"
EXAMPLE = REPO / "docs" / "examples" / "example-case.yaml"


def example_blocks() -> list[str]:
    """The fenced yaml blocks of the guide that are whole case files."""
    blocks = re.findall(r"^```yaml\n(.*?)^```$", GUIDE.read_text(encoding="utf-8"), re.M | re.S)
    return [block for block in blocks if re.search(r"^id: ", block, re.M)]


def test_the_guide_has_one_example_case() -> None:
    assert len(example_blocks()) == 1


def test_the_example_block_is_the_example_file() -> None:
    (block,) = example_blocks()
    assert block == EXAMPLE.read_text(encoding="utf-8")


def test_the_example_loads_with_no_errors_and_no_warnings() -> None:
    loaded = load_file(EXAMPLE, EXAMPLE.name)
    assert loaded.ok, [str(d) for d in loaded.diagnostics]
    assert loaded.diagnostics == []
    assert [str(d) for d in lint(loaded, read_text(EXAMPLE), EXAMPLE.name)] == []


def test_the_example_starts_with_the_modeline() -> None:
    assert EXAMPLE.read_text(encoding="utf-8").splitlines()[0] == MODELINE


def test_the_example_shows_the_main_parts_of_a_case() -> None:
    case = load_file(EXAMPLE).document
    assert case.timeline and case.metrics and case.challenges and case.people and case.sources
    assert any(m.before is not None and m.after is not None for m in case.metrics)
    assert len(case.discussion_questions) >= 3


def test_the_guide_explains_every_warning() -> None:
    guide = GUIDE.read_text(encoding="utf-8")
    for code in CODES:
        assert f"| `{code}` |" in guide, code
    assert f"over {PRESENT_LIMITS['en']} characters in English" in guide
    assert f"{PRESENT_LIMITS['zh']} in Chinese" in guide


def test_the_guide_shows_the_workflow() -> None:
    guide = GUIDE.read_text(encoding="utf-8")
    for command in (
        "casebook new my-company",
        "casebook new my-company --from ",
        "casebook validate my-company.yaml",
        "casebook validate --strict my-company.yaml",
        MODELINE,
    ):
        assert command in guide, command
