"""The metrics pane: a table of every figure, then before → after bars, then where the
figures come from (imported when first opened)."""

from __future__ import annotations

from collections.abc import Iterator

from rich import box
from rich.cells import cell_len
from rich.console import Console, ConsoleOptions, Group, RenderableType, RenderResult
from rich.table import Table
from rich.text import Text
from textual.widget import Widget
from textual.widgets import Static

from casebook.model.format.case import Case, Collection, Document, Metric, Source
from casebook.model.format.figures import change
from casebook.model.format.text import Lang, pick
from casebook.model.format.words import t
from casebook.model.load.library import Library
from casebook.model.views.origins import Origin, Origins
from casebook.widgets.bars import MetricBars
from casebook.widgets.origins import indented, link, source_words
from casebook.widgets.panes.base import Item, Pane, item_class, registered
from casebook.widgets.render import citation, figure, heading, labelled, plain, say


def _metrics_of(document: Document) -> list[tuple[str, Item, list[Metric]]]:
    """Metric groups: one for a case, one per context region for the collection."""
    if isinstance(document, Case):
        return [("", ("metrics",), document.metrics)] if document.metrics else []
    return [
        (region.id, ("context", number, "figures"), region.figures)
        for number, region in enumerate(document.context)
        if region.figures
    ]


@registered("metrics")
class MetricsPane(Pane):
    """A table of every figure, then before → after bars with the computed change, then
    where each figure with a passage comes from."""

    def build(self, document: Document, library: Library, lang: Lang) -> Iterator[Widget]:
        groups = _metrics_of(document)
        regions = {r.id: r for r in document.context} if isinstance(document, Collection) else {}
        origins = Origins(document, self.sources)
        for region_id, where, metrics in groups:
            if region_id:
                yield Static(heading(pick(regions[region_id].name, lang)), classes="block-title")
            yield Static(self._table(metrics, lang), classes=f"block {item_class(where)}")
            for index, metric in enumerate(metrics):
                if metric.before is not None and metric.after is not None:
                    mark = item_class((*where, index))
                    yield Static(MetricBars(metric, lang), classes=f"block bars {mark}")
            found = [(m, origins.of(m.source, m.passage)) for m in metrics]
            cited = [(metric, origin) for metric, origin in found if origin is not None]
            if cited:
                mark = item_class((*where, "sources"))
                yield Static(_origins(cited, lang), classes=f"block figures-from {mark}")

    def _table(self, metrics: list[Metric], lang: Lang) -> FigureTable:
        rows = []
        for metric in metrics:
            moved = change(metric)
            label = say(metric.label, lang)
            if metric.period is not None:
                label.append("\n")
                label.append_text(say(metric.period, lang, "dim"))
            rows.append(
                (
                    label,
                    figure(metric, lang, with_change=False),
                    Text(moved.label() if moved else "", style="italic"),
                    plain(metric.source or "", "dim"),
                )
            )
        headers = (t("metric", lang), t("value", lang), t("change", lang), t("source", lang))
        return FigureTable(headers, rows)


SOURCE_WIDTH = 12
"""The source column's widest (longer source ids are cut with an ellipsis)."""


class FigureTable:
    """A Rich renderable: the figures as a table sized to its content, at the width it
    is given. The change and source columns take their natural width, the value column
    its natural width too unless the names would then wrap more than the values (it then
    gets a third of the room left, and its values wrap), the names the rest. A column
    empty in every row (no change, no source) is left out."""

    def __init__(self, headers: tuple[str, str, str, str], rows: list[tuple[Text, ...]]) -> None:
        self.headers = headers
        self.rows = rows

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        rows = self.rows
        kept = [i for i in range(4) if i < 2 or any(row[i].plain.strip() for row in rows)]

        def natural(index: int) -> int:
            cells = [Text(self.headers[index]), *(row[index] for row in rows)]
            return max(cell_len(line) for cell in cells for line in cell.plain.split("\n"))

        gaps = 3 * (len(kept) - 1)  # a divider and a blank either side between columns
        fixed = sum(min(natural(i), SOURCE_WIDTH) for i in kept[2:])
        room = max(16, options.max_width - gaps - fixed)
        name, value = natural(0), natural(1)
        if name + value > room:
            value = min(value, max(room - name, room // 3))
        table = Table(
            expand=True, pad_edge=False, show_edge=False, header_style="bold", box=box.SIMPLE_HEAD
        )
        table.add_column(self.headers[0], ratio=1, overflow="fold")
        table.add_column(self.headers[1], max_width=max(value, 6), overflow="fold")
        if 2 in kept:
            table.add_column(self.headers[2], no_wrap=True)
        if 3 in kept:
            table.add_column(
                self.headers[3], no_wrap=True, overflow="ellipsis", max_width=SOURCE_WIDTH
            )
        for row in rows:
            table.add_row(*(row[i] for i in kept))
        yield table


def _origins(cited: list[tuple[Metric, Origin]], lang: Lang) -> Group:
    """Where the figures come from: under each source's citation, its figures, each
    with a link to its passage (when the source has an address) and the passage in the
    source's words (when its text is at hand)."""
    by_source: dict[str, tuple[Source, list[tuple[Metric, Origin]]]] = {}
    for metric, origin in cited:
        by_source.setdefault(origin.source.id, (origin.source, []))[1].append((metric, origin))
    rows: list[RenderableType] = [heading(t("figures_from", lang))]
    for source, figures in by_source.values():
        cited = citation(source, lang)
        cited.stylize("italic")
        rows.append(labelled(t("source", lang), cited))
        for metric, origin in figures:
            row = Text("•" if lang == "zh" else "• ", style="dim")
            row.append_text(say(metric.label, lang))
            if origin.address is not None:
                row.append("  ")
                row.append_text(link(origin.address, lang))
            rows.append(row)
            words = source_words(origin, lang)
            if words is not None:
                rows.append(indented(words))
    return Group(*rows)
