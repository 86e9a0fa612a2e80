"""A headline figure shown large: label, big digits, and the figure in words."""

from __future__ import annotations

import re

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import Digits, Static

from casebook.model.case import Metric
from casebook.model.figures import amount, change, format_amount, format_number
from casebook.model.text import Lang
from casebook.widgets.render import plain, say

_DIGITS_OK = re.compile(r"^[0-9.,+\-×%:$£€()]{1,7}$")


def big_value(metric: Metric, lang: Lang) -> str:
    """The number to draw large: the value, or the after value of a pair."""
    quantity = metric.value if metric.value is not None else metric.after
    assert quantity is not None
    return format_number(amount(quantity).value, lang)


class FigureCard(Vertical):
    """One headline figure. Qualifiers stay visible in the caption under the digits."""

    DEFAULT_CSS = """
    FigureCard {
        width: 100%;
        height: auto;
        padding: 0 1;
        border: round $primary 50%;
    }
    FigureCard .figure-label { color: $text-muted; }
    FigureCard Digits { width: auto; color: $text-accent; }
    FigureCard .figure-big { text-style: bold; color: $text-accent; }
    """

    def __init__(self, metric: Metric, lang: Lang) -> None:
        super().__init__(classes="figure-card")
        self.metric = metric
        self.lang = lang

    def compose(self) -> ComposeResult:
        metric, lang = self.metric, self.lang
        yield Static(say(metric.label, lang), classes="figure-label")
        number = big_value(metric, lang).replace(",", "")
        if _DIGITS_OK.match(number):
            yield Digits(number)
        else:
            yield Static(plain(number), classes="figure-big")
        if metric.value is not None:
            caption = plain(format_amount(metric.value, metric.unit, lang))
        else:
            assert metric.before is not None and metric.after is not None
            caption = plain(format_amount(metric.after, metric.unit, lang), "bold")
            caption.append(f" ← {format_amount(metric.before, metric.unit, lang)}")
            moved = change(metric)
            if moved is not None:
                caption.append(f"  {moved.label()}", style="italic")
        yield Static(caption, classes="figure-caption")
