"""Before → after bars, drawn to the width they are given."""

from __future__ import annotations

from rich.cells import cell_len
from rich.text import Text

from casebook.model.format.case import Metric
from casebook.model.format.figures import amount, change, format_amount
from casebook.model.format.text import Lang, pick
from casebook.model.format.words import t
from casebook.widgets.line_block import fitted
from casebook.widgets.render import plain


class MetricBars:
    """One metric's before and after as proportional bars under its name and change.

    Its height is known from the name alone (the bars take a line each), so a long run
    of them is laid out only where drawn (see ``line_block.Measured``)."""

    def __init__(self, metric: Metric, lang: Lang) -> None:
        assert metric.before is not None and metric.after is not None
        self.metric = metric
        self.lang = lang
        title = plain(pick(metric.label, lang), "bold")
        moved = change(metric)
        if moved is not None:
            title.append(f"  {moved.label()}", style="italic")
        self.title = title

    def height(self, width: int) -> int:
        return len(fitted(self.title, width)) + 2

    def lines(self, width: int) -> list[Text]:
        metric, lang = self.metric, self.lang
        assert metric.before is not None and metric.after is not None
        before, after = amount(metric.before), amount(metric.after)
        rows = [
            (
                t("before", lang),
                before.value,
                format_amount(metric.before, metric.unit, lang),
                "dim",
            ),
            (t("after", lang), after.value, format_amount(metric.after, metric.unit, lang), "bold"),
        ]
        label_width = max(cell_len(label) for label, *_ in rows) + 1
        value_width = max(cell_len(shown) for _, _, shown, _ in rows) + 1
        room = max(4, width - label_width - value_width - 1)
        top = max(abs(before.value), abs(after.value)) or 1
        lines = fitted(self.title, width)
        for label, value, shown, style in rows:
            length = max(1, round(abs(value) / top * room)) if value else 0
            line = Text(label + " " * (label_width - cell_len(label)), style="dim")
            line.append("█" * length, style=style)
            line.append(" " * (room - length + 1))
            line.append_text(plain(shown, style))
            lines.append(line)
        return lines
