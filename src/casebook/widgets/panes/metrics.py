"""The metrics pane: a table of every figure, then before → after bars, then where the
figures come from (imported when first opened)."""

from __future__ import annotations

from collections.abc import Iterator

from rich.cells import cell_len
from rich.console import ConsoleRenderable, Group, RenderableType
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
from casebook.widgets.columns import side_by_side
from casebook.widgets.item_blocks import ItemBlocks
from casebook.widgets.line_block import LineBlock, LineGroup, MadeWhenDrawn, fitted
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

    # Room for the scrollbar kept at all times: the table and the bars are laid out once,
    # not again without the scrollbar's two columns when a long pane first lays out.
    DEFAULT_CSS = """
    MetricsPane { scrollbar-gutter: stable; }
    """

    def build(self, document: Document, library: Library, lang: Lang) -> Iterator[Widget]:
        groups = _metrics_of(document)
        regions = {r.id: r for r in document.context} if isinstance(document, Collection) else {}
        origins = Origins(document, self.sources)
        for region_id, where, metrics in groups:
            if region_id:
                yield Static(heading(pick(regions[region_id].name, lang)), classes="block-title")
            yield self._table(metrics, lang, f"block {item_class(where)}")
            bars: list[tuple[Item, ConsoleRenderable]] = [
                ((*where, index), MetricBars(metric, lang))
                for index, metric in enumerate(metrics)
                if metric.before is not None and metric.after is not None
            ]
            if bars:
                yield ItemBlocks(bars, classes="block bars")
            found = [(m, origins.of(m.source, m.passage)) for m in metrics]
            cited = [(metric, origin) for metric, origin in found if origin is not None]
            if cited:
                mark = item_class((*where, "sources"))
                yield Static(_origins(cited, lang), classes=f"block figures-from {mark}")

    def _table(self, metrics: list[Metric], lang: Lang, classes: str) -> FigureTable:
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
        return FigureTable(headers, rows, classes)


SOURCE_WIDTH = 12
"""The source column's widest (longer source ids are cut with an ellipsis)."""

GAP = "   "
"""Between two columns."""


class FigureTable(LineBlock):
    """The figures as a table sized to its content, at the width it is given. The change
    and source columns take their natural width, the value column its natural width too
    unless the names would then wrap more than the values (it then gets a third of the
    room left, and its values wrap), the names the rest. A column empty in every row (no
    change, no source) is left out. Names and values wrap with casebook's line breaker.

    Laid out once per width and drawn a line at a time (:class:`LineBlock`)."""

    def __init__(
        self, headers: tuple[str, str, str, str], rows: list[tuple[Text, ...]], classes: str
    ) -> None:
        super().__init__(classes=classes)
        self.headers = headers
        self.rows = rows

    def widths(self, width: int) -> list[tuple[int, int]]:
        """The (column, width) of each column shown, at ``width`` cells."""
        rows = self.rows
        kept = [i for i in range(4) if i < 2 or any(row[i].plain.strip() for row in rows)]

        def natural(index: int) -> int:
            cells = [Text(self.headers[index]), *(row[index] for row in rows)]
            return max(cell_len(line) for cell in cells for line in cell.plain.split("\n"))

        fixed = [(i, min(natural(i), SOURCE_WIDTH) if i == 3 else natural(i)) for i in kept[2:]]
        room = max(16, width - len(GAP) * (len(kept) - 1) - sum(w for _, w in fixed))
        name, value = natural(0), natural(1)
        if name + value > room:
            value = max(min(value, max(room - name, room // 3)), min(value, 6))
        return [(0, max(1, room - value)), (1, value), *fixed]

    def lay_out(self, width: int) -> MadeWhenDrawn:
        """The table at ``width`` cells: the header, a rule, then each figure (its names
        and values wrapped now, for its height; its line made when drawn)."""
        columns = self.widths(width)
        head = tuple(Text(h, style="bold") for h in self.headers)
        rule = [Text("─" * width, style="dim")]
        rows = (_row(row, columns) for row in self.rows)
        return MadeWhenDrawn([_row(head, columns), (1, lambda: rule), *rows])


def _row(cells: tuple[Text, ...], columns: list[tuple[int, int]]) -> LineGroup:
    """One row of the table: its names and values wrapped to their columns (its height),
    and how to make its lines (each cell beside the others, a source cut to its column)."""
    wrapped = [fitted(cells[index], width) for index, width in columns if index < 2]

    def lines() -> list[Text]:
        cut = [[_cut(cells[index], width)] for index, width in columns if index >= 2]
        return side_by_side([*wrapped, *cut], [width for _, width in columns], gap=GAP)

    return max(len(column) for column in wrapped), lines


def _cut(text: Text, width: int) -> Text:
    """``text`` cut to ``width`` cells, an ellipsis marking the cut."""
    text = text.copy()
    text.truncate(width, overflow="ellipsis")
    return text


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
