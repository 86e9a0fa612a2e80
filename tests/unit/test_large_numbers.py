"""Numbers no case can mean (2**64, 5,000 digits) are errors at their place, never crashes.

Such a number used to validate, then crash the cache writer (OverflowError) under
``casebook``, ``export`` and ``notes export``; 5,000 digits crashed ``export``.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from casebook.model.load.library import bundled_cases_dir, load_library

HUGE = {
    "2**64": "18446744073709551616",
    "5,000 digits": "9" * 5000,
    "too large for a float": "9" * 400 + ".5",
}
MESSAGES = {
    "2**64": "expected a number of at most 1000000000000000, got the number 18446744073709551616",
    "5,000 digits": "a number of 5000 digits is far too large",
    "too large for a float": "the number is far too large",
}


LINE = 1 + (bundled_cases_dir() / "huayi-precision.yaml").read_text(
    encoding="utf-8"
).splitlines().index("    before: 22")
"""The line of the bundled case's first figure, where the huge number goes."""


@pytest.fixture(params=list(HUGE))
def huge(request: pytest.FixtureRequest, tmp_path: Path) -> tuple[Path, str]:
    """A folder with the bundled cases, one of them holding a huge number (at LINE)."""
    folder = tmp_path / "cases"
    shutil.copytree(bundled_cases_dir(), folder, ignore=shutil.ignore_patterns("*.json"))
    path = folder / "huayi-precision.yaml"
    text = path.read_text(encoding="utf-8")
    assert text.splitlines()[LINE - 1] == "    before: 22"
    path.write_text(text.replace("    before: 22\n", f"    before: {HUGE[request.param]}\n"))
    return folder, request.param


def test_a_huge_number_is_an_error_at_its_line_and_the_rest_loads(huge) -> None:
    folder, kind = huge
    for cache in (True, False, True):  # the cache writer sees it too
        library = load_library([folder], cache=cache)
        found = [d for d in library.diagnostics if d.path.endswith("huayi-precision.yaml")]
        assert [(d.line, d.col, d.message) for d in found] == [(LINE, 13, MESSAGES[kind])]
        assert "huayi-precision" not in library.cases
        assert len(library.cases) == 3


def casebook(folder: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "casebook", "--cases", str(folder), *args],
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=60,
        check=False,
    )


@pytest.mark.slow
def test_commands_on_a_huge_number_exit_with_an_error_not_a_traceback(huge) -> None:
    folder, kind = huge
    validate = casebook(folder, "validate")
    assert validate.returncode == 1
    assert f"huayi-precision.yaml:{LINE}:13: {MESSAGES[kind]}" in validate.stdout
    exported = casebook(folder, "export", "huayi-precision")
    assert exported.returncode == 2
    assert "case has id 'huayi-precision'" in exported.stderr
    for args in (["export", "--all"], ["notes", "export"], ["export", "weimai-medical"]):
        result = casebook(folder, *args)
        assert result.returncode == 0, (args, result.stderr)
        assert "Traceback" not in result.stderr
    assert "Traceback" not in validate.stderr + exported.stderr
