"""The challenges pane: each challenge → solutions → outcome, with the figures it moved."""

from __future__ import annotations

from collections.abc import Iterator

from rich.console import ConsoleRenderable, RenderableType
from rich.text import Text
from textual.widget import Widget

from casebook.model.format.addresses import Item
from casebook.model.format.case import Case, Document, Metric
from casebook.model.format.text import Lang
from casebook.model.format.words import t
from casebook.model.load.library import Library
from casebook.widgets.flow import Flow
from casebook.widgets.item_blocks import ItemBlocks
from casebook.widgets.panes.base import Pane, registered
from casebook.widgets.render import figure, flows, numbered, say


@registered("challenges")
class ChallengesPane(Pane):
    """Each challenge → solution → outcome as one chain, with the figures it moved."""

    def build(self, document: Document, library: Library, lang: Lang) -> Iterator[Widget]:
        if not isinstance(document, Case):
            return
        metrics = {m.id: m for m in document.metrics}
        chains: list[tuple[Item, ConsoleRenderable]] = []
        for number, challenge in enumerate(document.challenges, start=1):
            parts: list[RenderableType] = [numbered(number, say(challenge.title, lang, "bold"))]
            parts.append(_step("▼ " + t("problem", lang), say(challenge.problem, lang)))
            for solution in challenge.solutions:
                parts.append(_step("▼ " + t("solution", lang), say(solution, lang)))
            if challenge.outcome is not None:
                parts.append(_step("■ " + t("outcome", lang), say(challenge.outcome, lang)))
            moved = [metrics[m] for m in challenge.metrics if m in metrics]
            if moved:
                parts.append(
                    flows(Text(t("moved", lang), style="dim"), *(_moved(m, lang) for m in moved))
                )
            chains.append((("challenges", number - 1), flows(*parts)))
        if chains:
            yield ItemBlocks(chains, classes="block")


def _step(label: str, body: Text) -> Text:
    line = Text(label, style="bold cyan")
    line.append("\n")
    line.append_text(body)
    return line


def _moved(metric: Metric, lang: Lang) -> Flow:
    row = say(metric.label, lang)
    row.append(": ")
    row.append_text(figure(metric, lang))
    return Flow(row, Text("  · ", style="dim"))
