"""Whether this process is a session of ``casebook serve`` (the restricted app).

Read at every start (by ``make_app`` and the ``casebook`` command): kept apart from
:mod:`casebook.serve`, whose own imports a start does without."""

from __future__ import annotations

import os
from collections.abc import Mapping

SERVED_ENV = "CASEBOOK_SERVED"
"""Set to ``1`` in each served session's environment: ``make_app`` then builds the
restricted app."""


def served_session(environ: Mapping[str, str] | None = None) -> bool:
    """Whether this process is a session of ``casebook serve`` (the restricted app)."""
    environ = os.environ if environ is None else environ
    return environ.get(SERVED_ENV) == "1"
