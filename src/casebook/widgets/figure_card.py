"""A headline figure shown large: label, big digits, and the figure in words."""

from __future__ import annotations

from rich.console import Group, RenderableType
from rich.text import Text
from textual.renderables.digits import Digits
from textual.widget import Widget

from casebook.model.format.case import Metric
from casebook.model.format.figures import amount, change, format_amount, format_number
from casebook.model.format.text import Lang
from casebook.widgets.flow import Flow
from casebook.widgets.render import plain, say

DIGITS_DRAWN = frozenset("0123456789.,+-×%:$£€()")
"""Characters the big digits can draw; a figure with others is shown in bold text."""
MAX_DIGITS = 7


def big_value(metric: Metric, lang: Lang) -> str:
    """The number to draw large: the value, or the after value of a pair."""
    quantity = metric.value if metric.value is not None else metric.after
    assert quantity is not None
    return format_number(amount(quantity).value, lang)


class FigureCard(Widget):
    """One headline figure. Qualifiers stay visible in the caption under the digits.

    A single widget drawing three renderables, so a pane of figures stays cheap to
    mount and lay out.
    """

    COMPONENT_CLASSES = {"figure-card--label", "figure-card--number"}
    DEFAULT_CSS = """
    FigureCard {
        width: 100%;
        height: auto;
        padding: 0 1;
        border: round $primary 50%;
    }
    FigureCard > .figure-card--label { color: $text-muted; }
    FigureCard > .figure-card--number { color: $text-accent; text-style: bold; }
    """

    def __init__(self, metric: Metric, lang: Lang) -> None:
        super().__init__(classes="figure-card")
        self.metric = metric
        self.lang = lang
        number = big_value(metric, lang).replace(",", "")
        fits = len(number) <= MAX_DIGITS and set(number) <= DIGITS_DRAWN
        self.big_number: str | None = number if fits else None
        """The figure drawn in big digits, or None when it is shown in bold text."""
        self.number = number

    def caption(self) -> Text:
        """The figure in words, with its qualifier, and its change for a pair."""
        metric, lang = self.metric, self.lang
        if metric.value is not None:
            return plain(format_amount(metric.value, metric.unit, lang))
        assert metric.before is not None and metric.after is not None
        caption = plain(format_amount(metric.after, metric.unit, lang), "bold")
        caption.append(f" ← {format_amount(metric.before, metric.unit, lang)}")
        moved = change(metric)
        if moved is not None:
            caption.append(f"  {moved.label()}", style="italic")
        return caption

    def render(self) -> RenderableType:
        label = say(self.metric.label, self.lang)
        label.stylize(self.get_component_rich_style("figure-card--label"))
        style = self.get_component_rich_style("figure-card--number")
        if self.big_number is not None:
            number: RenderableType = Digits(self.big_number, style)
        else:
            number = Text(self.number, style=style)
        return Group(Flow(label), number, Flow(self.caption()))
