"""One slide, drawn with as many of its steps revealed as the presenter has reached."""

from __future__ import annotations

from collections.abc import Iterator

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.widget import Widget
from textual.widgets import Digits, Static

from casebook.model.format.case import Metric, Quantity
from casebook.model.format.figures import amount, change, format_amount, format_number
from casebook.model.format.text import Lang
from casebook.model.format.words import t
from casebook.model.views.slides import Slide, Step
from casebook.widgets.render import plain, say

_STEP_LABELS = {"problem": "problem", "solution": "solution", "outcome": "outcome"}
_DIGIT_CHARS = set("0123456789.+-")


def digits_or_text(value: float, lang: Lang) -> Widget:
    """A number in big digits when Digits can draw it, else in bold text."""
    shown = format_number(value, lang).replace(",", "")
    if set(shown) <= _DIGIT_CHARS and len(shown) <= 8:
        return Digits(shown, classes="big-number")
    return Static(plain(format_number(value, lang), "bold"), classes="big-number")


class SlideView(Vertical):
    """The audience's view of a slide: its title and the steps revealed so far."""

    DEFAULT_CSS = """
    SlideView { height: auto; padding: 1 2; }
    SlideView .slide-title { text-style: bold; color: $text-accent; margin-bottom: 1; }
    SlideView .step { margin-bottom: 1; }
    SlideView .step-new { text-style: bold; }
    SlideView .figure-row { height: auto; align: center top; margin: 1 0; }
    SlideView .figure-side { width: auto; height: auto; margin: 0 2; }
    SlideView .figure-side Digits { width: auto; color: $text-accent; }
    SlideView .figure-side Static { width: auto; }
    SlideView .arrow { width: auto; padding: 2 1 0 1; }
    SlideView .figure-caption { text-align: center; width: 100%; }
    """

    def __init__(self, slide: Slide, shown: int, lang: Lang) -> None:
        super().__init__(classes=f"slide slide-{slide.kind}")
        self.slide = slide
        self.shown = shown
        self.lang = lang

    def compose(self) -> ComposeResult:
        slide, lang = self.slide, self.lang
        yield Static(say(slide.title, lang), classes="slide-title")
        if slide.metric is not None:
            yield from self._figure(slide.metric)
            return
        visible = slide.steps[: self.shown]
        for number, step in enumerate(visible, start=1):
            newest = number == len(visible) and len(slide.steps) > 1
            yield Static(self._step(step, number), classes="step step-new" if newest else "step")

    def _step(self, step: Step, number: int) -> Text:
        lang = self.lang
        if step.event is not None:
            line = plain(step.event.date.label(lang) + "  ", "bold")
            line.append_text(say(step.event.title, lang))
            return line
        if step.kind in _STEP_LABELS:
            line = Text(t(_STEP_LABELS[step.kind], lang) + "  ", style="bold cyan")
            line.append_text(say(step.text, lang))
            return line
        if step.kind == "question":
            line = Text(f"{number}. ", style="bold")
            line.append_text(say(step.text, lang))
            return line
        return say(step.text, lang)

    def _figure(self, metric: Metric) -> Iterator[Widget]:
        lang = self.lang
        if metric.value is not None:
            yield Horizontal(self._side("", metric.value, metric), classes="figure-row")
            return
        assert metric.before is not None and metric.after is not None
        yield Horizontal(
            self._side(t("before", lang), metric.before, metric),
            Static(Text("→", style="bold"), classes="arrow"),
            self._side(t("after", lang), metric.after, metric),
            classes="figure-row",
        )
        moved = change(metric)
        if moved is not None:
            yield Static(Text(moved.label(), style="bold"), classes="figure-caption")

    def _side(self, label: str, quantity: Quantity, metric: Metric) -> Vertical:
        """One big number with what it is above and the figure in words below."""
        lang = self.lang
        return Vertical(
            Static(Text(label, style="dim"), classes="figure-side-label"),
            digits_or_text(amount(quantity).value, lang),
            Static(
                plain(format_amount(quantity, metric.unit, lang), "bold"), classes="figure-words"
            ),
            classes="figure-side",
        )
