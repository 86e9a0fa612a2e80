"""A case as it travels to a student: the student edition as JSON, and back, as strictly
as a case file is read (a trainer's machine is one more place text comes from)."""

from __future__ import annotations

import functools
import hashlib

import msgspec

from casebook.model.format.case import Case, dec_hook, enc_hook
from casebook.model.format.edition import for_edition
from casebook.model.format.text import one_line
from casebook.model.load.cache import untrusted_reason


class CaseDataError(Exception):
    """The case a trainer sent is not a valid case: the message says why, in one line."""


@functools.cache
def _encoder() -> msgspec.json.Encoder:
    return msgspec.json.Encoder(enc_hook=enc_hook)


@functools.cache
def _decoder() -> msgspec.json.Decoder[Case]:
    return msgspec.json.Decoder(Case, dec_hook=dec_hook)


def student_case_bytes(case: Case) -> bytes:
    """The student edition of ``case`` as JSON, written as an author writes it (dates as
    their text, so the student parses them again)."""
    return _encoder().encode(for_edition(case, "student"))


def case_digest(case: Case) -> str:
    """The SHA-256 (hex) of :func:`student_case_bytes`: equal digests, equal cases."""
    return hashlib.sha256(student_case_bytes(case)).hexdigest()


def case_from_bytes(data: bytes) -> Case:
    """A case from JSON: the case format's strict types, then the loader's own checks
    (control characters, dates, cross references); :class:`CaseDataError` if not one.
    Instructor-only parts are dropped, whatever was sent."""
    try:
        case = _decoder().decode(data)
    except (msgspec.DecodeError, msgspec.ValidationError, ValueError, RecursionError) as error:
        raise CaseDataError(f"the case sent is not a valid case: {_one_line(error)}") from None
    reason = untrusted_reason(case)
    if reason is not None:
        raise CaseDataError(f"the case sent is not a valid case: {_one_line(reason)}")
    student = for_edition(case, "student")
    assert isinstance(student, Case)
    return student


def _one_line(error: object) -> str:
    return one_line(str(error))[:300]
