"""The model and the validate command stay plain Python: textual is never imported."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

DATA = Path(__file__).resolve().parent.parent / "data"

SCRIPT = """
import importlib, pkgutil, sys
import casebook.model, casebook.state

names = [m.name for m in pkgutil.walk_packages(casebook.model.__path__, "casebook.model.")]
assert len(names) >= 25, names
for name in names:
    importlib.import_module(name)
for module in pkgutil.walk_packages(casebook.state.__path__, "casebook.state."):
    importlib.import_module(module.name)

from casebook import cli
status = cli.main(["validate", sys.argv[1]])
assert status == 0, status
status = cli.main(["schema"])
assert status == 0, status

loaded = sorted(m for m in sys.modules if m == "textual" or m.startswith("textual."))
assert not loaded, loaded
print("NO-TEXTUAL", len(names))
"""


def test_model_and_validate_never_import_textual() -> None:
    result = subprocess.run(
        [sys.executable, "-c", SCRIPT, str(DATA / "valid")],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert "NO-TEXTUAL" in result.stdout


def test_the_check_itself_can_see_textual() -> None:
    # The same check, after importing the app, does find textual: it is not vacuous.
    script = "import sys, casebook.app; assert any(m.startswith('textual') for m in sys.modules)"
    result = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=60, check=False
    )
    assert result.returncode == 0, result.stderr
