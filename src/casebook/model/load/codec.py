"""Validated documents as MessagePack, for the cache and the parse workers.

A date travels as it was parsed (its text, precision and bounds), so decoding runs
no date parsing again; everything else is msgspec's own encoding of the structs,
which decodes straight back into them. What another process wrote is trusted
(:func:`dec_hook`); what was read from a file is not (:func:`checked_dec_hook`).
"""

from __future__ import annotations

from datetime import date

from casebook.model.format.dates import FuzzyDate, parse_date


def enc_hook(value: object) -> object:
    """A date as (text, precision, first day, last day), days as ordinals."""
    if isinstance(value, FuzzyDate):
        return (value.text, value.precision, value.start.toordinal(), value.end.toordinal())
    raise NotImplementedError(type(value))


def dec_hook(kind: type, value: object) -> object:
    """A date back from what :func:`enc_hook` made of it."""
    if kind is FuzzyDate and isinstance(value, list) and len(value) == 4:
        text, precision, start, end = value
        return FuzzyDate(date.fromordinal(start), date.fromordinal(end), precision, text)
    raise NotImplementedError(kind)


def checked_dec_hook(kind: type, value: object) -> object:
    """:func:`dec_hook` for bytes that anyone may have written (a cache file): a date is
    parsed again from its text, and must be exactly what the rest says of it."""
    if kind is FuzzyDate and isinstance(value, list) and len(value) == 4:
        text, *rest = value
        if isinstance(text, str):
            parsed = parse_date(text)
            ordinals = [parsed.precision, parsed.start.toordinal(), parsed.end.toordinal()]
            if parsed.text == text and ordinals == rest:
                return parsed
        raise ValueError("a date that is not what its text says")
    raise NotImplementedError(kind)
