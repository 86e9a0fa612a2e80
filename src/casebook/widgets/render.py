"""Rich text from case data: always plain text, never markup."""

from __future__ import annotations

from rich.console import Group, RenderableType
from rich.text import Text

from casebook.model.format.case import Metric, Source
from casebook.model.format.case import citation as case_citation
from casebook.model.format.figures import change, format_amount
from casebook.model.format.text import Lang, pick, strip_unsafe
from casebook.model.format.text import Text as CaseText
from casebook.widgets.flow import Flow


def plain(value: str, style: str = "") -> Text:
    """Case text as a Rich Text: brackets stay brackets, control characters go."""
    return Text(strip_unsafe(value), style=style)


def say(text: CaseText | None, lang: Lang, style: str = "") -> Text:
    """A bilingual case text in ``lang`` (falling back to the other language)."""
    return plain(pick(text, lang), style)


def both_names(name: CaseText, lang: Lang) -> Text:
    """A name in ``lang``, bold, then dimmed in the other language when it differs."""
    text = say(name, lang, "bold")
    other = pick(name, "zh" if lang == "en" else "en")
    if other != text.plain:
        text.append("  ")
        text.append_text(plain(other, "dim"))
    return text


def heading(title: str) -> Text:
    """A heading: the interface's words, or case text (a region's name), kept plain."""
    return plain(title, "bold underline")


def labelled(label: str, value: Text) -> Flow:
    """'Label: value' with the label dimmed, wrapped lines indented under the value."""
    return Flow(value, Text(f"{label}: ", style="dim"))


def mark(number: int | None, lang: Lang, style: str = "dim") -> Text:
    """A list item's mark: "1. " (Chinese "1．") for a number, else a bullet."""
    # Chinese has no spaces to break at: the mark is written against its text.
    if lang == "zh":
        return Text(f"{number}．" if number is not None else "•", style=style)
    return Text(f"{number}. " if number is not None else "• ", style=style)


def numbered(number: int, title: Text) -> Flow:
    """A numbered title, '1. title' in both languages, wrapped lines under the title."""
    return Flow(title, Text(f"{number}. ", style="bold"))


def flows(*parts: RenderableType | None) -> Group:
    """Non-empty parts one under another, text wrapped by casebook's line breaker."""
    shown: list[RenderableType] = []
    for part in parts:
        if isinstance(part, Text):
            part = Flow(part) if part.plain else None
        elif isinstance(part, Flow) and not part.text.plain:
            part = None
        if part is not None:
            shown.append(part)
    return Group(*shown)


def figure(metric: Metric, lang: Lang, *, with_change: bool = True) -> Text:
    """'22 days → under 10 days  (<−54.5%)' or 'more than 1,500 customers'."""
    if metric.value is not None:
        return plain(format_amount(metric.value, metric.unit, lang), "bold")
    assert metric.before is not None and metric.after is not None
    text = plain(format_amount(metric.before, metric.unit, lang))
    text.append(" → ")
    text.append_text(plain(format_amount(metric.after, metric.unit, lang), "bold"))
    moved = change(metric) if with_change else None
    if moved is not None:
        text.append(f"  ({moved.label()})", style="italic")
    return text


def citation(source: Source, lang: Lang) -> Text:
    """The source's citation (see ``case.citation``) as plain text."""
    return plain(case_citation(source, lang))
