"""What the trainer sees of a live class: the class bar, the answers to a question (a list,
or a bar chart of the choices) and the participation table.

Names and answers come from students: they are hostile text, always drawn as Rich
``Text`` (never markup), with control characters gone (see ``render.plain``).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

from rich.console import Console, ConsoleOptions, Group, RenderableType, RenderResult
from rich.segment import Segment
from rich.table import Table
from rich.text import Text

from casebook.model.format.text import Lang, pick
from casebook.model.format.text import Text as CaseText
from casebook.model.format.words import t
from casebook.widgets.render import plain, say

if TYPE_CHECKING:
    from casebook.model.classroom.server import AnswerView, Participant

BAR = "█"
SORTS: dict[str, Callable[[Participant], object]] = {
    "name": lambda p: p.name.casefold(),
    "contributions": lambda p: p.contributions,
    "answers": lambda p: p.answers,
    "calls": lambda p: p.calls,
    "minutes": lambda p: p.seconds_connected,
}
"""The participation table's columns, by what sorts them."""
NEVER_CALLED = "◆"
NOT_CONNECTED = "○"


def short_address(address: str) -> str:
    """A join address without its scheme: ``192.168.1.5:8123/c/CODE``."""
    return address.partition("://")[2] or address


def class_bar(
    connected: int, question: int | None, answered: int, address: str, lang: Lang
) -> ClassBar:
    """Students connected and answers in for the open question on the left; the join
    address on the right, whole while the bar can hold it (see :class:`ClassBar`)."""
    left = Text(" ")
    left.append(f"● {t('live_connected', lang, n=connected)}", style="bold")
    if question is not None:
        left.append("  │  ")
        left.append(t("live_open", lang, k=question, n=answered), style="bold green")
    hint = Text(f"  {t('live_join_key', lang)} ", style="dim italic")
    return ClassBar(left, Text(short_address(address), style="dim"), hint)


class ClassBar:
    """The class bar laid out at the width it is drawn: what a narrow bar gives up
    first is the key hint, then the end of the left side; the address, which students
    type, is cut only when it alone is wider than the bar."""

    GAP = 2

    def __init__(self, left: Text, address: Text, hint: Text) -> None:
        self.left, self.address, self.hint = left, address, hint

    def line(self, width: int) -> Text:
        """The bar at ``width`` cells: one line, exactly that wide."""
        left = self.left.copy()
        right = Text.assemble(self.address, self.hint)
        if left.cell_len + self.GAP + right.cell_len > width:
            right = Text.assemble(self.address, " ")
            room = width - right.cell_len - self.GAP
            if room < 2:  # not even an ellipsis beside the address: the address alone
                left = Text(" ")
            elif left.cell_len > room:
                left.truncate(room, overflow="ellipsis")
        line = Text.assemble(left, " " * max(0, width - left.cell_len - right.cell_len), right)
        line.truncate(width, overflow="ellipsis", pad=True)
        return line

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        yield from self.line(options.max_width).render(console)
        yield Segment.line()


def answers_view(
    number: int,
    question: CaseText,
    answers: Sequence[AnswerView],
    lang: Lang,
    *,
    names: bool,
    is_open: bool,
    width: int,
) -> RenderableType:
    """The answers to question ``number``: anonymous unless ``names``; when the question
    has choices, a bar chart of how many picked each."""
    state = t("live_state_open" if is_open else "live_state_closed", lang)
    shown = t("live_named" if names else "live_anonymous", lang)
    head = Text(t("live_answers_title", lang, k=number), style="bold underline")
    count = Text(f"{t('live_answers_count', lang, n=len(answers), state=state)} · {shown}")
    count.stylize("dim")
    parts: list[RenderableType] = [head, say(question, lang, "bold"), count, Text()]
    choices: list[CaseText] = list(getattr(question, "choices", None) or [])
    ordered = sorted(answers, key=lambda a: a.at)
    if not ordered:
        parts.append(Text(t("live_no_answers", lang), style="italic"))
    elif choices:
        parts.append(_chart(choices, ordered, lang, width))
        if names:
            parts.append(Text())
            parts += [_named(a, _choice_label(choices, a.choice, lang)) for a in ordered]
    else:
        for answer in ordered:
            parts.append(_named(answer, plain(answer.text)) if names else _bullet(answer.text))
    return Group(*parts)


def _bullet(text: str) -> Text:
    line = Text("• ", style="dim")
    line.append_text(plain(text))
    return line


def _named(answer: AnswerView, said: Text) -> Text:
    line = plain(answer.name, "bold")
    line.append(": ")
    line.append_text(said)
    return line


def _choice_label(choices: Sequence[CaseText], choice: int | None, lang: Lang) -> Text:
    if choice is None or not 1 <= choice <= len(choices):
        return Text(t("live_no_choice", lang), style="dim")
    return plain(f"{choice}. {pick(choices[choice - 1], lang)}")


def _chart(
    choices: Sequence[CaseText], answers: Sequence[AnswerView], lang: Lang, width: int
) -> Table:
    """One bar per choice, as long as its count (the most picked filling the bar's room)."""
    counts = [0] * (len(choices) + 1)  # the last: answers without a valid choice
    for answer in answers:
        choice = answer.choice
        counts[choice - 1 if choice is not None and 1 <= choice <= len(choices) else -1] += 1
    labels = [_choice_label(choices, n, lang) for n in range(1, len(choices) + 1)]
    if counts[-1]:
        labels.append(_choice_label(choices, None, lang))
    label_width = min(max(label.cell_len for label in labels), max(8, width // 3))
    room = max(4, width - label_width - 10)
    most = max(counts) or 1
    chart = Table.grid(padding=(0, 1))
    chart.add_column(width=label_width, no_wrap=True, overflow="ellipsis")
    chart.add_column(no_wrap=True)
    chart.add_column(justify="right", no_wrap=True)
    for label, n in zip(labels, counts, strict=False):
        length = round(n / most * room) if n else 0
        chart.add_row(label, Text(BAR * max(length, 1 if n else 0), style="cyan"), str(n))
    return chart


def participation_table(
    participants: Sequence[Participant], lang: Lang, *, sort: str, reverse: bool
) -> Table:
    """Each student's contributions, answers, calls and minutes connected, sorted by
    ``sort`` (see :data:`SORTS`); those never called marked, and in colour."""
    key = SORTS[sort]
    rows = sorted(participants, key=lambda p: (key(p), p.name.casefold()), reverse=reverse)
    table = Table(expand=True, box=None, padding=(0, 1), header_style="bold")
    table.add_column("", width=2, no_wrap=True)
    headers = ("name", "contributions", "answers", "calls", "minutes")
    for column in headers:
        arrow = ("▼" if reverse else "▲") if column == sort else ""
        heading = t(f"live_col_{column}", lang) + arrow
        if column == "name":
            table.add_column(heading, ratio=1, no_wrap=True, overflow="ellipsis")
        else:
            table.add_column(heading, justify="right", no_wrap=True)
    for p in rows:
        never = p.calls == 0
        mark = Text(NEVER_CALLED if never else " ", style="bold yellow")
        mark.append(" " if p.connected else NOT_CONNECTED, style="dim")
        name = plain(p.name, "bold yellow" if never else "")
        minutes = str(int(p.seconds_connected // 60))
        table.add_row(mark, name, str(p.contributions), str(p.answers), str(p.calls), minutes)
    return table
