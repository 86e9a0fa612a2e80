"""The discussion pane: learning objectives, discussion questions and the reader's answers.

Each question is a block of its own that takes focus (tab, a click, ↑/↓ between
questions); ``a`` writes a draft answer to the focused one (the explorer's
``answer`` action). Answers (from the store, see :meth:`Store.answers_for`) are shown
under their question as plain text, and the heading counts the questions answered.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping

from rich.console import RenderableType
from rich.text import Text
from textual.binding import Binding
from textual.widget import Widget
from textual.widgets import Static

from casebook.model.format.addresses import Item
from casebook.model.format.case import Case, Document
from casebook.model.format.text import Lang
from casebook.model.format.words import t
from casebook.model.load.library import Library
from casebook.widgets.flow import Flow
from casebook.widgets.panes.base import Pane, block, bullets, item_class, registered
from casebook.widgets.render import flows, heading, mark, plain, say


def answer_draft_key(index: int) -> str:
    """The name a draft answer to question ``index`` is kept under (beside the panes')."""
    return f"answer-{index}"


def answered_count(answers: Mapping[int, str], questions: int) -> int:
    """How many of the first ``questions`` questions have an answer."""
    return sum(1 for index, text in answers.items() if index < questions and text.strip())


class QuestionBlock(Static, can_focus=True):
    """One discussion question, with the reader's answer under it."""

    DEFAULT_CSS = """
    QuestionBlock:focus { background: $boost; }
    """

    BINDINGS = [
        Binding("down", "step(1)", "Next question", show=False),
        Binding("up", "step(-1)", "Previous question", show=False),
    ]

    def __init__(self, content: RenderableType, index: int) -> None:
        item = ("discussion_questions", index)
        super().__init__(content, classes=f"block {item_class(item)}")
        self.index = index

    def on_focus(self) -> None:
        pane = self.parent
        if isinstance(pane, DiscussionPane):
            pane.question = self.index

    def action_step(self, step: int) -> None:
        siblings = list(self.parent.query(QuestionBlock)) if self.parent else []
        target = self.index + step
        if 0 <= target < len(siblings):
            siblings[target].focus()
            siblings[target].scroll_visible(animate=False)
        elif self.parent is not None:  # past the first or last: scroll the pane instead
            pane = self.parent
            if isinstance(pane, Pane):
                pane.scroll_relative(y=step, animate=False)


@registered("discussion")
class DiscussionPane(Pane):
    """Learning objectives, discussion questions and the reader's draft answers."""

    def __init__(self, *, id: str) -> None:
        super().__init__(id=id)
        self.question = 0
        """The index of the question ``a`` answers: the one focused last."""
        self.answers: dict[int, str] = {}
        """The answers shown: question index → text."""

    def show(
        self, document: Document, library: Library, lang: Lang, note: str = "", item: Item = ()
    ) -> None:
        answers = self._stored_answers(document)
        if answers != self.answers:
            self.answers = answers
            self.built_for = None  # rebuild with the new answers
        if self.built_for is not None and self.built_for[0] is not document:
            self.question = 0
        super().show(document, library, lang, note, item)

    def _stored_answers(self, document: Document) -> dict[int, str]:
        store = getattr(self.screen, "store", None) if self.is_attached else None
        if store is None or not isinstance(document, Case):
            return {}
        return dict(store.answers_for(document.id))

    def build(self, document: Document, library: Library, lang: Lang) -> Iterator[Widget]:
        if not isinstance(document, Case):
            return
        if document.learning_objectives:
            yield block(
                heading(t("objectives", lang)),
                bullets(document.learning_objectives, lang),
                item=("learning_objectives",),
            )
        questions = document.discussion_questions
        if not questions:
            return
        done = answered_count(self.answers, len(questions))
        progress = Text(t("answered", lang, k=done, n=len(questions)), style="cyan")
        title = Text.assemble(heading(t("questions", lang)), "  ", progress)
        hint = Text(t("answer_hint", lang), style="dim")
        top = f"block {item_class(('discussion_questions',))}"
        yield Static(flows(title, hint), classes=top)
        self.question = min(self.question, len(questions) - 1)
        for index, question in enumerate(questions):
            asked = Flow(say(question, lang), mark(index + 1, lang, "bold"))
            answer = self.answers.get(index, "")
            if answer.strip():
                said = Text(f"✎ {t('your_answer', lang)}", style="bold green")
                yield QuestionBlock(flows(asked, said, plain(answer)), index)
            else:
                yield QuestionBlock(flows(asked), index)

    def current_item(self) -> Item:
        focused = self.screen.focused if self.is_attached else None
        if isinstance(focused, QuestionBlock) and focused.parent is self:
            return ("discussion_questions", focused.index)
        return ()
