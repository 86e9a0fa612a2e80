"""Choices about what the panes show that search must make the same way: which figures
an overview draws large, and which cases a chapter of the introduction names."""

from __future__ import annotations

from casebook.model.format.case import Chapter, Metric
from casebook.model.load.library import Library

HEADLINE_FIGURES = 4
"""At most this many headline figures are drawn large on an overview."""

NAMED_PER_CHAPTER = 8
"""Cases named after a chapter's title in the introduction; the rest are counted."""


def headline_figures(metrics: list[Metric]) -> list[Metric]:
    """The figures an overview draws large: the first few marked ``headline``."""
    return [metric for metric in metrics if metric.headline][:HEADLINE_FIGURES]


def chapter_cases(chapter: Chapter, library: Library) -> tuple[list[str], int]:
    """The ids of the cases a chapter's row names, in order, and how many more it counts."""
    members = [case_id for case_id in chapter.cases if case_id in library.cases]
    if len(members) <= NAMED_PER_CHAPTER:
        return members, 0
    named = members[: NAMED_PER_CHAPTER - 1]
    return named, len(members) - len(named)
