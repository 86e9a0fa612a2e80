"""The trainer's slide and the discussion questions as plain text in both languages, for
browser students (who have no copy of the case to draw them from)."""

from __future__ import annotations

from casebook.model.classroom.protocol import Both, SlideText
from casebook.model.format.case import Case, Question
from casebook.model.format.figures import change, format_amount
from casebook.model.format.text import LANGS, Lang, Text, pick
from casebook.model.format.words import t
from casebook.model.views.slides import Deck, Slide, Step

_LABELS = {"problem": "problem", "solution": "solution", "outcome": "outcome"}


def _both(text: Text | None) -> Both:
    return Both(en=pick(text, "en"), zh=pick(text, "zh"))


def _step(step: Step, number: int, lang: Lang) -> str:
    if step.event is not None:
        return f"{step.event.date.label(lang)}  {pick(step.event.title, lang)}"
    text = pick(step.text, lang)
    if step.kind in _LABELS:
        return f"{t(_LABELS[step.kind], lang)}: {text}"
    if step.kind == "question":
        return f"{number}. {text}"
    return text


def _lines(slide: Slide, shown: int, lang: Lang) -> list[str]:
    metric = slide.metric
    if metric is None:
        return [_step(step, n, lang) for n, step in enumerate(slide.steps[:shown], start=1)]
    if metric.value is not None:
        return [format_amount(metric.value, metric.unit, lang)]
    assert metric.before is not None and metric.after is not None
    lines = [
        f"{t('before', lang)}: {format_amount(metric.before, metric.unit, lang)}",
        f"{t('after', lang)}: {format_amount(metric.after, metric.unit, lang)}",
    ]
    moved = change(metric)
    return [*lines, moved.label()] if moved is not None else lines


def slide_text(deck: Deck, slide: int, step: int, slides: int | None = None) -> SlideText:
    """Logical slide ``slide`` (1-based, clamped) with ``step`` steps shown, of ``slides``
    (the trainer's count; the deck's own by default)."""
    number = max(1, min(slide, len(deck.slides)))
    shown = deck.slides[number - 1]
    step = max(1, min(step, shown.reveals))
    by_lang = {lang: _lines(shown, step, lang) for lang in LANGS}
    lines = [Both(en=en, zh=zh) for en, zh in zip(by_lang["en"], by_lang["zh"], strict=True)]
    return SlideText(
        slide=number,
        step=step,
        slides=slides or len(deck.slides),
        title=_both(shown.title),
        lines=lines,
    )


def question_text(case: Case, question: int) -> tuple[Both, list[Both]]:
    """Discussion question ``question`` (1-based) and its choices, in both languages."""
    asked = case.discussion_questions[question - 1]
    choices = asked.choices if isinstance(asked, Question) else []
    return _both(asked), [_both(choice) for choice in choices]


def choice_count(case: Case, question: int) -> int:
    """How many choices question ``question`` offers (0: students answer in words)."""
    asked = case.discussion_questions[question - 1]
    return len(asked.choices) if isinstance(asked, Question) else 0
