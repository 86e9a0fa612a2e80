"""A parse worker: a process that parses the case files another process sends it.

Started by ``casebook.model.load.parallel`` as ``python -I -S -c``; it imports the loader
and what it needs, nothing else. Messages both ways are MessagePack, each preceded by
its length (4 bytes, big-endian). The first message is every path (as bytes, absolute
or relative to the folder the worker starts in); then each request is a list of
indexes into those paths, and each answer a list of :class:`Answer` in that order.
Requests stay far smaller than a pipe's buffer, so that the parent never waits to
write one while the worker waits to write an answer.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import IO

import msgspec

from casebook.model.format.case import Case, Collection
from casebook.model.load import codec
from casebook.model.load.loader import LoadedFile, load_file


class Answer(msgspec.Struct, array_like=True, gc=False):
    """The result for one file: its document or its diagnostics (without the file's
    name, which the parent knows); ``here``: it could not be sent, parse it there."""

    index: int
    case: Case | None = None
    collection: Collection | None = None
    diagnostics: list[tuple[int, int, str, str]] = []
    here: bool = False


ENCODER = msgspec.msgpack.Encoder(enc_hook=codec.enc_hook)


def serve() -> None:
    """A worker: parse the files each request on stdin names, answer on stdout, until EOF."""
    requests = sys.stdin.buffer
    answers = os.fdopen(os.dup(sys.stdout.fileno()), "wb")
    os.dup2(sys.stderr.fileno(), sys.stdout.fileno())  # a stray print cannot garble answers
    body = read_frame(requests)
    if body is None:
        return
    paths = [Path(os.fsdecode(raw)) for raw in msgspec.msgpack.decode(body, type=list[bytes])]
    decoder = msgspec.msgpack.Decoder(list[int])
    while (body := read_frame(requests)) is not None:
        found = [_answer(index, load_file(paths[index], "")) for index in decoder.decode(body)]
        write_frame(answers, ENCODER.encode(found))


def _answer(index: int, loaded: LoadedFile) -> msgspec.Raw:
    document = loaded.document
    answer = Answer(
        index,
        case=document if isinstance(document, Case) else None,
        collection=document if isinstance(document, Collection) else None,
        diagnostics=[(d.line, d.col, d.message, d.severity) for d in loaded.diagnostics],
    )
    try:
        return msgspec.Raw(ENCODER.encode(answer))
    except Exception:  # text MessagePack cannot hold (a lone surrogate): parse it there
        return msgspec.Raw(ENCODER.encode(Answer(index, here=True)))


def write_frame(stream: IO[bytes], body: bytes) -> None:
    """Send one message."""
    stream.write(len(body).to_bytes(4, "big") + body)
    stream.flush()


def read_frame(stream: IO[bytes]) -> bytes | None:
    """The next message, or None at the end of the stream; a cut-off message raises."""
    header = stream.read(4)
    if not header:
        return None
    size = int.from_bytes(header, "big")
    body = stream.read(size)
    if len(header) != 4 or len(body) != size:
        raise EOFError("a message was cut off")
    return body
