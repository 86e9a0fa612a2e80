"""Slides as data: a presentation generated from a case, step by step.

A deck is a list of slides; each slide reveals its steps one at a time. The
presenter moves through *positions* — (slide, number of steps shown) — so the
whole talk is one linear sequence that the screen indexes with one integer.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

from casebook.model.format.case import Case, Challenge, Event, Metric, Segment, place_name
from casebook.model.format.edition import Edition
from casebook.model.format.text import LANGS, Bilingual, Text, pick
from casebook.model.format.words import t

SlideKind = Literal["title", "context", "timeline", "challenge", "figure", "discussion", "epilogue"]
StepKind = Literal["text", "event", "problem", "solution", "outcome", "question"]


@dataclass(frozen=True)
class Step:
    """One thing revealed on a slide: a text with a role, or a timeline event."""

    kind: StepKind
    text: Text | None = None
    event: Event | None = None


@dataclass(frozen=True)
class Slide:
    """One slide: a title, the steps it reveals in order, and for a figure its metric."""

    kind: SlideKind
    title: Text
    steps: tuple[Step, ...] = ()
    metric: Metric | None = None

    @property
    def reveals(self) -> int:
        """How many positions the slide takes: one per step (at least one)."""
        return max(1, len(self.steps))


@dataclass(frozen=True)
class Deck:
    """The slides of one case, and the flat list of positions through them."""

    case: Case
    slides: tuple[Slide, ...]
    positions: tuple[tuple[int, int], ...] = field(init=False)

    def __post_init__(self) -> None:
        flat = tuple(
            (index, shown)
            for index, slide in enumerate(self.slides)
            for shown in range(1, slide.reveals + 1)
        )
        object.__setattr__(self, "positions", flat)

    def at(self, position: int) -> tuple[Slide, int]:
        """The slide at ``position`` and how many of its steps are shown."""
        index, shown = self.positions[self.clamp(position)]
        return self.slides[index], shown

    def clamp(self, position: int) -> int:
        return max(0, min(position, len(self.positions) - 1))

    def slide_number(self, position: int) -> int:
        """1-based number of the slide at ``position``."""
        return self.positions[self.clamp(position)][0] + 1

    def start_of(self, slide_number: int) -> int:
        """The first position of slide ``slide_number`` (1-based, clamped)."""
        return self.position_of(slide_number, 1)

    def has_slide(self, slide_number: int) -> bool:
        """Whether there is a slide ``slide_number`` (1-based)."""
        return 1 <= slide_number <= len(self.slides)

    def position_of(self, slide_number: int, step: int) -> int:
        """The position showing ``step`` steps of slide ``slide_number`` (both 1-based and
        clamped: a saved place stays valid when the case has changed since)."""
        index = max(1, min(slide_number, len(self.slides))) - 1
        shown = max(1, min(step, self.slides[index].reveals))
        return self.positions.index((index, shown))

    def step_at(self, position: int) -> tuple[int, int]:
        """How many steps of its slide ``position`` shows, and how many the slide has."""
        index, shown = self.positions[self.clamp(position)]
        return shown, self.slides[index].reveals

    @property
    def plan_minutes(self) -> int:
        """The length of the teaching plan in minutes (0 without a plan)."""
        segments = self.case.teaching_notes.segments if self.case.teaching_notes else []
        return sum(s.minutes for s in segments)

    def segment_at(self, position: int) -> tuple[int, Segment] | None:
        """The teaching-plan segment the talk should be in at ``position``, if there is a plan.

        Segments are taken in proportion to their minutes, so scaling the plan to a
        class length moves no boundary."""
        segments = self.case.teaching_notes.segments if self.case.teaching_notes else []
        if not segments:
            return None
        total = self.plan_minutes
        point = self.planned_minutes(position)
        elapsed = 0.0
        for number, segment in enumerate(segments):
            elapsed += segment.minutes
            if point < elapsed or elapsed >= total:
                return number, segment
        return len(segments) - 1, segments[-1]

    def planned_minutes(self, position: int, length: float | None = None) -> float:
        """Minutes expected to have passed on reaching ``position``: of the teaching plan,
        or of a class of ``length`` minutes (the plan scaled to it)."""
        total = length if length else self.plan_minutes
        last = max(1, len(self.positions) - 1)
        return total * self.clamp(position) / last

    def scaled(self, minutes: float, length: float | None) -> float:
        """``minutes`` of the plan in a class of ``length`` minutes (unscaled without one)."""
        plan = self.plan_minutes
        return minutes * length / plan if length and plan else minutes


_TITLES: dict[str, Bilingual] = {
    kind: Bilingual(en=t(word, "en"), zh=t(word, "zh"))
    for kind, word in (
        ("context", "situation"),
        ("timeline", "timeline"),
        ("discussion", "discussion"),
        ("epilogue", "epilogue"),
    )
}
"""The titles of the slides that have no title in the case: the interface's words."""


def _challenge(challenge: Challenge) -> Slide:
    steps = [Step("problem", challenge.problem)]
    steps += [Step("solution", solution) for solution in challenge.solutions]
    if challenge.outcome is not None:
        steps.append(Step("outcome", challenge.outcome))
    return Slide("challenge", challenge.title, tuple(steps))


def _identity(case: Case) -> Bilingual | None:
    """'Zhuji, Zhejiang · Precision brass components' in both languages."""
    lines: dict[str, str] = {}
    for lang in LANGS:
        bits = [place_name(case.location, lang), pick(case.industry, lang)]
        lines[lang] = " · ".join(bit for bit in bits if bit)
    return Bilingual(**lines) if lines["en"] or lines["zh"] else None


def build_deck(case: Case, edition: Edition = "student") -> Deck:
    """The presentation of ``case``: title, context, timeline, challenges, figures, discussion.

    The epilogue closes the deck only in the instructor edition.
    """
    opening = [Step("text", text) for text in (case.hook, _identity(case)) if text is not None]
    slides = [Slide("title", case.company.name, tuple(opening))]
    slides.append(Slide("context", _TITLES["context"], (Step("text", case.summary),)))
    if case.timeline:
        events = sorted(case.timeline, key=lambda e: e.date.sort_key)
        slides.append(
            Slide("timeline", _TITLES["timeline"], tuple(Step("event", event=e) for e in events))
        )
    slides += [_challenge(challenge) for challenge in case.challenges]
    figures = [m for m in case.metrics if m.headline] or case.metrics[:4]
    slides += [Slide("figure", metric.label, metric=metric) for metric in figures]
    if case.discussion_questions:
        questions = tuple(Step("question", q) for q in case.discussion_questions)
        slides.append(Slide("discussion", _TITLES["discussion"], questions))
    if edition == "instructor" and case.epilogue is not None:
        slides.append(Slide("epilogue", _TITLES["epilogue"], (Step("text", case.epilogue),)))
    return Deck(case, tuple(slides))
