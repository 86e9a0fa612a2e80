"""How many worker processes casebook may run beside itself (to parse case files)."""

from __future__ import annotations

import os
from collections.abc import Mapping

ENV_WORKERS = "CASEBOOK_WORKERS"


def allowed_workers(environ: Mapping[str, str] | None = None) -> int:
    """``CASEBOOK_WORKERS`` (0: none), else one fewer than the cores this process may use."""
    environ = os.environ if environ is None else environ
    configured = environ.get(ENV_WORKERS, "").strip()
    if configured.isdigit():
        return int(configured)
    try:
        cores = len(os.sched_getaffinity(0))
    except (AttributeError, OSError):  # not on Linux
        cores = os.cpu_count() or 1
    return cores - 1
