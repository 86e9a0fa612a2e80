"""Every test runs with private user dirs: no test reads or writes a real user's data."""

from __future__ import annotations

import pytest


@pytest.fixture(autouse=True)
def _private_user_dirs(
    tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    home = tmp_path_factory.mktemp("user")
    monkeypatch.setenv("CASEBOOK_DATA_DIR", str(home / "data"))
    monkeypatch.setenv("CASEBOOK_RUNTIME_DIR", str(home / "runtime"))
    monkeypatch.setenv("CASEBOOK_CACHE_DIR", str(home / "cache"))
    monkeypatch.delenv("CASEBOOK_PATH", raising=False)
    monkeypatch.delenv("CASEBOOK_EDITION", raising=False)
    monkeypatch.delenv("CASEBOOK_LOG", raising=False)
    monkeypatch.delenv("CASEBOOK_SOURCES", raising=False)
    monkeypatch.delenv("VISUAL", raising=False)
    monkeypatch.delenv("EDITOR", raising=False)
