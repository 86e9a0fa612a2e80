"""The class protocol, the case as it travels, and the server's checks of what comes in."""

from __future__ import annotations

import msgspec
import pytest

from casebook.model.classroom import protocol
from casebook.model.classroom.access import (
    TokenBucket,
    clean_answer,
    clean_name,
    host_allowed,
    origin_allowed,
)
from casebook.model.classroom.casedata import (
    CaseDataError,
    case_digest,
    case_from_bytes,
    student_case_bytes,
)
from casebook.model.classroom.client import parse_address
from casebook.model.format.case import Case, Question

CODE = "A" * 16
CASE = """id: live
company: {name: Live Co}
summary: A case for a live class.
timeline:
  - {date: 2019-03, title: Began}
discussion_questions:
  - What would you do?
  - {en: Which first?, zh: 先做哪个？, choices: [Price, {en: Quality, zh: 质量}]}
teaching_notes:
  key_points: [secret point]
epilogue: What happened next.
"""


@pytest.fixture
def case(load_text) -> Case:
    loaded = load_text(CASE)
    assert loaded.ok, loaded.diagnostics
    assert isinstance(loaded.document, Case)
    return loaded.document


def test_messages_round_trip() -> None:
    for message in (
        protocol.Join(code=CODE, name="Ana"),
        protocol.Answer(question=2, choice=1),
        protocol.Ping(),
    ):
        assert protocol.decode_from_student(protocol.encode(message)) == message
    text = protocol.SlideText(
        slide=2, step=1, slides=5, title=protocol.Both(en="T"), lines=[protocol.Both(zh="行")]
    )
    assert protocol.decode_from_server(protocol.encode(text)) == text


@pytest.mark.parametrize(
    "data",
    [
        b"{",
        b"[]",
        b'{"type": "join", "code": "short", "name": "x"}',
        b'{"type": "join", "code": "AAAAAAAAAAAAAAAA", "name": ""}',
        b'{"type": "answer", "question": 1, "extra": 1}',
        b'{"type": "answer", "question": 0}',
        b'{"type": "welcome", "student": "AAAAAAAAAAAAAAAA"}',
        b'{"type": "nothing"}',
    ],
)
def test_malformed_student_messages_are_refused(data: bytes) -> None:
    with pytest.raises((msgspec.ValidationError, msgspec.DecodeError)):
        protocol.decode_from_student(data)


def test_an_oversized_message_is_refused_before_decoding() -> None:
    with pytest.raises(ValueError, match="larger"):
        protocol.decode_from_student(b" " * (protocol.MAX_FROM_STUDENT + 1))


def test_question_with_choices_in_the_case_format(case: Case) -> None:
    asked = case.discussion_questions[1]
    assert isinstance(asked, Question) and len(asked.choices) == 2


@pytest.mark.parametrize("choices", ["[Only one]", "[" + ", ".join(["x"] * 11) + "]"])
def test_a_question_needs_two_to_ten_choices(load_text, choices: str) -> None:
    text = CASE.replace("choices: [Price, {en: Quality, zh: 质量}]", f"choices: {choices}")
    loaded = load_text(text)
    assert not loaded.ok
    assert any(
        word in d.message for d in loaded.diagnostics for word in ("2 to 10", "at most 10 items")
    )


def test_the_case_travels_in_the_student_edition(case: Case) -> None:
    data = student_case_bytes(case)
    assert b"secret point" not in data and b"What happened next" not in data
    back = case_from_bytes(data)
    assert back.teaching_notes is None and back.epilogue is None
    assert back.discussion_questions == case.discussion_questions
    assert case_digest(back) == case_digest(case)


@pytest.mark.parametrize(
    ("data", "why"),
    [
        (b"not json", "not a valid case"),
        (b'{"id": "x"}', "company"),
        (b'{"id":"x","company":{"name":"A\\u001b[31m"},"summary":"s"}', "control character"),
        (
            b'{"id":"x","company":{"name":"A"},"summary":"s","timeline":'
            b'[{"date":"2019-13","title":"t"}]}',
            "date",
        ),
        (
            b'{"id":"x","company":{"name":"A"},"summary":"s","metrics":'
            b'[{"id":"m","label":"l","value":1,"source":"nowhere"}]}',
            "nowhere",
        ),
    ],
)
def test_a_bad_case_is_refused_with_one_line(data: bytes, why: str) -> None:
    with pytest.raises(CaseDataError, match=why) as raised:
        case_from_bytes(data)
    assert "\n" not in str(raised.value) and "\x1b" not in str(raised.value)


def test_sent_instructor_parts_are_dropped() -> None:
    data = b'{"id":"x","company":{"name":"A"},"summary":"s","epilogue":"later"}'
    assert case_from_bytes(data).epilogue is None


@pytest.mark.parametrize(
    ("raw", "name"),
    [
        ("  Ana   Li ", "Ana Li"),
        ("[bold red]x[/]<b>", "[bold red]x[/]<b>"),  # kept as text, shown literally
        ("a\x1b[31mb\x07", "a[31mb"),
        ("\u202eevil\u202c", "evil"),
        ("ｆｕｌｌ", "full"),  # NFKC
        ("x" * 40, "x" * 40),
        ("x" * 41, None),
        ("\x00\u200f ", None),
    ],
)
def test_names_are_cleaned(raw: str, name: str | None) -> None:
    assert clean_name(raw) == name


def test_answers_are_cleaned_and_bounded() -> None:
    assert clean_answer(" line one\r\nline two\x1b[2J ") == "line one\nline two[2J"
    assert clean_answer("x" * 2000) == "x" * 2000
    assert clean_answer("x" * 2001) is None


def test_host_and_origin_checks() -> None:
    assert host_allowed("127.0.0.1:8000", "127.0.0.1")
    assert host_allowed("localhost:8000", "127.0.0.1")
    assert not host_allowed("evil.example:8000", "127.0.0.1")
    assert not host_allowed(None, "127.0.0.1")
    assert host_allowed("192.168.1.5:80", "0.0.0.0")
    assert not host_allowed("rebound.example", "0.0.0.0")
    assert origin_allowed(None, "127.0.0.1:80")
    assert origin_allowed("http://127.0.0.1:80", "127.0.0.1:80")
    assert not origin_allowed("http://evil.example", "127.0.0.1:80")


def test_token_bucket_allows_a_burst_then_the_rate() -> None:
    now = [0.0]
    bucket = TokenBucket(5, 20, clock=lambda: now[0])
    assert all(bucket.take() for _ in range(20))
    assert not bucket.take()
    now[0] += 1.0
    assert sum(bucket.take() for _ in range(10)) == 5


def test_parse_address() -> None:
    url, code = parse_address(f"http://192.168.1.5:8765/c/{CODE}")
    assert (url, code) == (f"ws://192.168.1.5:8765/c/{CODE}/ws", CODE)
    assert parse_address(f"https://[::1]:9/c/{CODE}/")[0] == f"wss://[::1]:9/c/{CODE}/ws"
    for bad in ("", "ftp://h/c/" + CODE, "http://h/c/short", f"http://h/x/{CODE}", "http://h:x/"):
        with pytest.raises(ValueError, match="not a class address"):
            parse_address(bad)
