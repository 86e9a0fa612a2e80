"""A small JSON state file read strictly and rewritten with the fields it did not know."""

from __future__ import annotations

from pathlib import Path
from typing import TypeVar

import msgspec
from msgspec import Raw

from casebook.model.load.safe_files import read_regular, write_atomic

T = TypeVar("T", bound=msgspec.Struct)

Extra = dict[str, Raw]
"""Fields of the file its reader does not know (a newer casebook's), kept as they were."""


class Unreadable(Exception):
    """The file is there but cannot be read or decoded: the one-line reason (English)."""


def read(path: Path, limit: int, kind: type[T]) -> tuple[T, Extra] | None:
    """``path`` decoded as ``kind`` (a regular file of at most ``limit`` bytes, not a link)
    and its unknown fields; None when there is no file."""
    try:
        raw = read_regular(path, limit)
    except FileNotFoundError:
        return None
    except OSError as error:
        raise Unreadable(f"{path}: {error.strerror or error}") from error
    try:
        fields = msgspec.json.decode(raw, type=dict[str, Raw])
        found = msgspec.json.decode(raw, type=kind)
    except (msgspec.DecodeError, RecursionError, UnicodeDecodeError) as error:
        raise Unreadable(f"{path}: {error}") from error
    known = frozenset(kind.__struct_fields__)
    return found, {key: value.copy() for key, value in fields.items() if key not in known}


def write(path: Path, fields: dict[str, object], extra: Extra) -> bool:
    """Write ``fields`` and the ``extra`` fields atomically (0600); False if it failed."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        doc = {**fields, **extra}
        write_atomic(path, msgspec.json.encode(doc) + b"\n", mode=0o600, durable=False)
    except OSError:
        return False
    return True
