"""The garbage collector's pause while casebook starts.

Importing Textual and building the first screen make about a hundred thousand
objects that live as long as the program, and almost no garbage. With the cyclic
collector at its default pace (a pass every 700 new objects), it walks that growing
heap again and again: about 30 ms of a 400 ms start on the benchmark machine. So the
``casebook`` command (:func:`casebook.cli.main`, which ``python -m casebook`` runs
too) first slows the collector to a pass every ``PAUSED_THRESHOLD`` new objects, more
than a start makes; the app restores the usual pace once its first screen is drawn,
freezing what start-up made out of later passes, and ``main`` restores it when it
returns, whatever the command. Importing casebook never touches the collector: a
program that builds the app itself (``make_app``) may call :func:`pause_collector`
first to start as fast. A program that turned the collector off keeps it off.
"""

import gc

PAUSED_THRESHOLD = 200_000
"""New objects between two passes of the collector while casebook starts."""

_saved: tuple[int, ...] | None = None


def pause_collector() -> None:
    """Slow the cyclic garbage collector down (if it runs) until it is resumed."""
    global _saved
    if _saved is not None or not gc.isenabled():
        return
    _saved = gc.get_threshold()
    gc.set_threshold(PAUSED_THRESHOLD, *_saved[1:])


def resume_collector(*, freeze: bool = False) -> None:
    """Restore the collector's pace if this module slowed it; with ``freeze``, first
    move every object alive now (start-up's: modules, classes, the library) out of its
    sight."""
    global _saved
    if _saved is None:
        return
    if freeze:
        gc.freeze()
    gc.set_threshold(*_saved)
    _saved = None
