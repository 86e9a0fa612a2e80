"""The messages of a live class, as versioned msgspec structs, validated on both sides.

Every message is a JSON object tagged by ``"type"``. Students send :data:`FromStudent`;
the server sends :data:`FromServer`. A message that does not decode as one of them, or is
larger than its side's limit, closes that one connection with a :class:`Refused` reason.
The trainer is in the server's process and controls the class by method calls, never by
message: no control message exists, so nothing a student sends can act as the trainer.

Slides are named by their *logical* number in the deck (1-based, as built from the case
before it is split to fit a screen) and a step: each terminal splits a slide to fit its
own size.
"""

from __future__ import annotations

from typing import Annotated, Literal

import msgspec
from msgspec import Meta, Struct

VERSION = 1
"""The protocol's version: a join with another version is refused with a clear reason."""

MAX_NAME = 40
"""The longest a student's name may be, in characters (after control characters go)."""

MAX_ANSWER = 2000
"""The longest an answer may be, in characters."""

MAX_FROM_STUDENT = 16 * 1024
"""The largest message a student may send, in bytes."""

MAX_FROM_SERVER = 4 * 1024 * 1024
"""The largest message the server may send (a case is the largest), in bytes."""

CODE_BYTES = 12
"""Random bytes in a class code (96 bits, shown as 16 URL-safe characters)."""

Name = Annotated[str, Meta(min_length=1, max_length=MAX_NAME * 4)]
"""A name as sent: checked and cleaned by the server (see ``clean_name``)."""

Key = Annotated[str, Meta(min_length=16, max_length=64, pattern=r"^[A-Za-z0-9_-]+$")]
"""A student's reconnect key or a class code: URL-safe characters only."""


class _Message(
    Struct, forbid_unknown_fields=True, omit_defaults=True, kw_only=True, tag_field="type"
):
    """The base of every message: the protocol version rides along."""

    v: Annotated[int, Meta(ge=1, le=1_000)] = VERSION


# ---- from a student ---------------------------------------------------------------------


class Join(_Message, tag="join"):
    """The first message on a connection: the class code, a name, and on a reconnect the
    key the server gave (the same identity, the same answers)."""

    code: Key
    name: Name
    student: Key | None = None
    digest: Annotated[str, Meta(max_length=128)] | None = None
    """The digest of the student's own copy of the case, if any: the server then sends no case."""
    client: Literal["terminal", "browser"] = "terminal"


class Answer(_Message, tag="answer"):
    """An answer to the open question ``question`` (its number among the case's discussion
    questions, 1-based): free text, or the number of a choice (1-based). Sent again, it
    revises the answer, until the trainer closes the question."""

    question: Annotated[int, Meta(ge=1, le=1_000)]
    text: Annotated[str, Meta(max_length=MAX_ANSWER * 4)] = ""
    choice: Annotated[int, Meta(ge=1, le=100)] | None = None


class Ping(_Message, tag="ping"):
    """Keeps an idle connection known to be alive."""


FromStudent = Join | Answer | Ping


# ---- from the server --------------------------------------------------------------------


class Welcome(_Message, tag="welcome"):
    """Sent once a join is accepted: who the student is in this class and what is taught."""

    student: Key
    name: str
    title: str
    case_id: str
    digest: str
    lang: Literal["en", "zh"] = "en"


class CaseData(_Message, tag="case"):
    """The case, in the student edition, as the JSON of the case format: the student
    decodes it with the same strict model as a file (see ``casebook.model.classroom``)."""

    case: bytes


class Slide(_Message, tag="slide"):
    """Where the trainer is: a logical slide (1-based) and the steps shown on it."""

    slide: Annotated[int, Meta(ge=1)]
    step: Annotated[int, Meta(ge=1)]
    slides: Annotated[int, Meta(ge=1)]


class Both(Struct, forbid_unknown_fields=True, omit_defaults=True, kw_only=True):
    """A text of the case in both languages (one may be empty), for a browser to show in
    either language."""

    en: str = ""
    zh: str = ""


MAX_CHOICES = 10
MAX_LINES = 500


class Question(_Message, tag="question"):
    """The discussion question ``question`` (1-based) is open for answers, or closed.
    ``answer`` and ``choice`` are the student's own last answer, if any; ``text`` and
    ``choices`` are the question's own (students answer with a choice's number when it
    has choices)."""

    question: Annotated[int, Meta(ge=1)]
    open: bool
    answer: str = ""
    choice: int | None = None
    text: Both | None = None
    choices: Annotated[list[Both], Meta(max_length=MAX_CHOICES)] = []


class SlideText(_Message, tag="slide_text"):
    """The text of the trainer's slide, for a browser (which has no copy of the case):
    its title and the lines of the steps shown, sent only to browser students."""

    slide: Annotated[int, Meta(ge=1)]
    step: Annotated[int, Meta(ge=1)]
    slides: Annotated[int, Meta(ge=1)]
    title: Both
    lines: Annotated[list[Both], Meta(max_length=MAX_LINES)] = []


class Received(_Message, tag="received"):
    """The student's answer to ``question`` was recorded (as revision ``revision``)."""

    question: int
    revision: int


class Refused(_Message, tag="refused"):
    """Why the server refuses a message or a join; the connection then closes."""

    reason: str


class Ended(_Message, tag="ended"):
    """The trainer ended the class."""


FromServer = Welcome | CaseData | Slide | SlideText | Question | Received | Refused | Ended

_student_decoder = msgspec.json.Decoder(FromStudent)
_server_decoder = msgspec.json.Decoder(FromServer)
_encoder = msgspec.json.Encoder()


def encode(message: _Message) -> bytes:
    """A message as JSON bytes."""
    return _encoder.encode(message)


def decode_from_student(data: bytes | str) -> Join | Answer | Ping:
    """A student's message; ``msgspec.ValidationError``/``DecodeError`` or ``ValueError``
    (too large) when it is not one."""
    if len(data) > MAX_FROM_STUDENT:
        raise ValueError(f"message larger than {MAX_FROM_STUDENT} bytes")
    return _student_decoder.decode(data)


def decode_from_server(
    data: bytes | str,
) -> Welcome | CaseData | Slide | SlideText | Question | Received | Refused | Ended:
    """A server's message, checked as strictly as a student's."""
    if len(data) > MAX_FROM_SERVER:
        raise ValueError(f"message larger than {MAX_FROM_SERVER} bytes")
    return _server_decoder.decode(data)
