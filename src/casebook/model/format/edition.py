"""Editions: the student edition never holds instructor-only text."""

from __future__ import annotations

import os
from collections.abc import Mapping
from typing import Literal

import msgspec

from casebook.model.format.case import Case, Collection, Document

Edition = Literal["student", "instructor"]
ENV_EDITION = "CASEBOOK_EDITION"


def edition_from(instructor: bool = False, environ: Mapping[str, str] | None = None) -> Edition:
    """``--instructor`` wins; otherwise ``CASEBOOK_EDITION=instructor``; else student."""
    environ = os.environ if environ is None else environ
    if instructor or environ.get(ENV_EDITION, "").strip().lower() == "instructor":
        return "instructor"
    return "student"


def for_edition(document: Document, edition: Edition) -> Document:
    """The document as ``edition`` may see it: students get no teaching notes or epilogue."""
    if edition == "instructor" or isinstance(document, Collection):
        return document
    assert isinstance(document, Case)
    if document.teaching_notes is None and document.epilogue is None:
        return document
    return msgspec.structs.replace(document, teaching_notes=None, epilogue=None)
