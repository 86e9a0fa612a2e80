"""The panes of the detail area, one module each, built from a case (or the collection).

Only :mod:`.base` is imported with the package: :func:`pane_type` imports a pane's
module when the pane is first asked for, so the first screen loads the overview
alone (the timeline and metrics panes bring widgets of their own).
"""

from casebook.widgets.panes.base import Pane, item_class, pane_type

__all__ = ["Pane", "item_class", "pane_type"]
