"""Where the student's store lives: the data folder and the names of the files in it."""

from __future__ import annotations

import os
from pathlib import Path

import platformdirs

__all__ = ["ENV_VAR", "LOCK_NAME", "STORE_NAME", "data_dir"]

ENV_VAR = "CASEBOOK_DATA_DIR"
STORE_NAME = "store.json"
LOCK_NAME = "store.lock"


def data_dir() -> Path:
    """Where the store lives: ``$CASEBOOK_DATA_DIR`` if set, else the user data folder."""
    override = os.environ.get(ENV_VAR)
    if override:
        return Path(override).expanduser()
    return Path(platformdirs.user_data_dir("casebook"))
