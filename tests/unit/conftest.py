"""Shared fixtures for the unit tier: the fixture folder and loading text from tmp_path."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from casebook.model.load.loader import LoadedFile, load_file

DATA = Path(__file__).resolve().parent.parent / "data"

MINIMAL = "id: minimal\ncompany: {name: Minimal Co}\nsummary: Just enough.\n"
"""The smallest valid case, as text to build variants from."""


@pytest.fixture
def data() -> Path:
    """The folder of fixture files (tests/data)."""
    return DATA


@pytest.fixture
def load_text(tmp_path: Path) -> Callable[..., LoadedFile]:
    """Write text or bytes to ``tmp_path/name`` and load it, displayed as ``name``."""

    def load(content: str | bytes, name: str = "case.yaml") -> LoadedFile:
        path = tmp_path / name
        path.write_bytes(content.encode("utf-8") if isinstance(content, str) else content)
        return load_file(path, name)

    return load


@pytest.fixture
def minimal() -> str:
    """Text of a minimal valid case."""
    return MINIMAL
