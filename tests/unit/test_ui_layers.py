"""Screens and widgets never reach into the app: they import nothing above them.

The app, the palette, the CLI and the server import the screens; a screen that
imported one of them (even only for a type, under TYPE_CHECKING) would close a
cycle. Screens get the language from the app as a reactive it sets, and ask it for
things with messages (see casebook.screens.language, ExplorerScreen.PresentRequested).
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[2] / "src"
PACKAGE = SRC / "casebook"
ABOVE = ("casebook.app", "casebook.palette", "casebook.cli", "casebook.serve")
"""Modules that import the screens, so that the screens may not import them."""


def _module_name(path: Path) -> str:
    parts = path.relative_to(SRC).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _imported(path: Path, source: str | None = None) -> list[tuple[int, str]]:
    """Every module the file at ``path`` (or ``source``, as if it were there) imports,
    anywhere in it, as (line, absolute name)."""
    text = path.read_text(encoding="utf-8") if source is None else source
    tree = ast.parse(text, str(path))
    package = _module_name(path).split(".")
    if path.name != "__init__.py":
        package = package[:-1]
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parent = package[: len(package) - node.level + 1]
                base = ".".join([*parent, base] if base else parent)
            found.append((node.lineno, base))
            found += [(node.lineno, f"{base}.{alias.name}") for alias in node.names]
    return found


def _ui_modules() -> list[Path]:
    return sorted((PACKAGE / "screens").rglob("*.py")) + sorted((PACKAGE / "widgets").rglob("*.py"))


def test_there_are_screens_and_widgets_to_check() -> None:
    names = {_module_name(path) for path in _ui_modules()}
    assert {"casebook.screens.explorer", "casebook.screens.present"} <= names
    assert "casebook.widgets.panes.base" in names


@pytest.mark.parametrize("path", _ui_modules(), ids=lambda path: _module_name(path))
def test_no_screen_or_widget_imports_the_app(path: Path) -> None:
    wrong = [
        f"{path.name}:{line}: {name}"
        for line, name in _imported(path)
        if any(name == above or name.startswith(above + ".") for above in ABOVE)
    ]
    assert not wrong, wrong
    assert "CasebookApp" not in path.read_text(encoding="utf-8"), "names the concrete app"


def test_the_check_sees_an_import_of_the_app() -> None:
    # Not vacuous: the same walk finds absolute, relative and TYPE_CHECKING imports.
    explorer = PACKAGE / "screens" / "explorer.py"
    assert ("casebook.screens.language.Bilingual") in {name for _, name in _imported(explorer)}
    relative = "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from .. import app\n"
    assert "casebook.app" in {name for _, name in _imported(explorer, relative)}
    absolute = "def late():\n    import casebook.app\n"
    assert "casebook.app" in {name for _, name in _imported(explorer, absolute)}
