"""What a parse worker answers: each file's document or diagnostics, in MessagePack.

The pool's workers (``casebook.model.load.parallel``) and a large library's head start
(``casebook.model.load.head_start``) run :func:`parse_chunk`; this process decodes its
answers with ``ANSWERS`` and :func:`loaded_from`. Apart from the pool, so that reading
a head start's answers imports no ``multiprocessing``.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

import msgspec

from casebook.model.format.case import Case, Collection
from casebook.model.load import codec
from casebook.model.load.diagnostics import Diagnostic
from casebook.model.load.loader import LoadedFile, load_file


class Answer(msgspec.Struct, array_like=True, gc=False):
    """A worker's result for one file: its document or its diagnostics (without the
    file's name, which this process knows); ``here``: it could not be sent, parse it
    here."""

    case: Case | None = None
    collection: Collection | None = None
    diagnostics: list[tuple[int, int, str, str]] = []
    here: bool = False


ENCODER = msgspec.msgpack.Encoder(enc_hook=codec.enc_hook)
ANSWERS = msgspec.msgpack.Decoder(list[Answer], dec_hook=codec.dec_hook)
"""Decodes a worker's answers (what :func:`parse_chunk` returns)."""


def parse_chunk(paths: list[str]) -> bytes:
    """What a worker runs: each file parsed, as a MessagePack list of :class:`Answer`."""
    return ENCODER.encode([_answer(load_file(Path(path), "")) for path in paths])


def _answer(loaded: LoadedFile) -> msgspec.Raw:
    document = loaded.document
    answer = Answer(
        case=document if isinstance(document, Case) else None,
        collection=document if isinstance(document, Collection) else None,
        diagnostics=[(d.line, d.col, d.message, d.severity) for d in loaded.diagnostics],
    )
    try:
        return msgspec.Raw(ENCODER.encode(answer))
    except (ValueError, OverflowError, TypeError):  # a lone surrogate, a huge int: parse it there
        return msgspec.Raw(ENCODER.encode(Answer(here=True)))


def loaded_from(answer: Answer, path: Path, shown: Callable[[Path], str]) -> LoadedFile:
    """The file a worker's answer (not ``here``) stands for; ``shown`` names it in its
    diagnostics."""
    document = answer.case if answer.case is not None else answer.collection
    named = shown(path) if answer.diagnostics else ""
    diagnostics = [Diagnostic(named, *found) for found in answer.diagnostics]  # type: ignore[arg-type]
    return LoadedFile(path, document, diagnostics)


def quiet() -> None:
    """A worker's first step: it has nothing to say, and what it might print (a warning,
    a traceback as it is stopped) must not land in a report or on the app's screen."""
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, 1)
    os.dup2(devnull, 2)
    os.close(devnull)
