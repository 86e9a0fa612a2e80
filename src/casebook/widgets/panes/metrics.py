"""The metrics pane: a table of every figure, then before → after bars, then where the
figures come from (imported when first opened)."""

from __future__ import annotations

from collections.abc import Iterator

from rich import box
from rich.console import Group, RenderableType
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

    def _table(self, metrics: list[Metric], lang: Lang) -> Table:
        table = Table(expand=True, pad_edge=False, header_style="bold", box=box.SIMPLE_HEAD)
        table.add_column(t("metric", lang), ratio=3, overflow="fold")
        table.add_column(t("value", lang), ratio=3, overflow="fold")
        table.add_column(t("change", lang), min_width=9, no_wrap=True)
        table.add_column(t("source", lang), no_wrap=True, overflow="ellipsis", max_width=9)
        for metric in metrics:
            moved = change(metric)
            label = say(metric.label, lang)
            if metric.period is not None:
                label.append("\n")
                label.append_text(say(metric.period, lang, "dim"))
            table.add_row(
                label,
                figure(metric, lang, with_change=False),
                Text(moved.label() if moved else "", style="italic"),
                plain(metric.source or "", "dim"),
            )
        return table


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
