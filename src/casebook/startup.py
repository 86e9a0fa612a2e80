"""The garbage collector's pace: paused while casebook starts, then set for an app.

Importing Textual and building the first screen make about a hundred thousand
objects that live as long as the program, and almost no garbage. With the cyclic
collector at its default pace (a pass every 700 new objects), it walks that growing
heap again and again: about 30 ms of a 400 ms start on the benchmark machine. So the
``casebook`` command (:func:`casebook.cli.main`, which ``python -m casebook`` runs
too) first slows the collector to a pass every ``PAUSED_THRESHOLD`` new objects, more
than a start makes; the app sets its own pace (below) once its first screen is drawn,
freezing what start-up made out of later passes, and ``main`` restores the usual one when it
returns, whatever the command. Importing casebook never touches the collector: a
program that builds the app itself (``make_app``) may call :func:`pause_collector`
first to start as fast. A program that turned the collector off keeps it off.

Once started, the app leaves the collector's older passes (a full one walks every
object alive: 15–30 ms with a big case's panes built) to :class:`IdleCollector`,
which runs them while the reader reads; by itself, the collector made them in the
middle of whatever the reader had just asked for, switching panes or opening a
screen. Its young passes come every ``YOUNG_PASS_AFTER`` new objects, not 700: drawing
a screen makes tens of thousands, nearly all kept, and at 700 the collector walked them
in 15 young passes and a middle one (about 6 ms of compare's first open and 1.5 ms of
switching panes, measured; now under 2 ms and none).
"""

import gc
import time

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


def resume_collector(*, freeze: bool = False, when_idle: bool = False) -> bool:
    """Restore the collector's pace if this module slowed it; with ``freeze``, first
    move every object alive now (start-up's: modules, classes, the library) out of its
    sight; with ``when_idle``, leave its older passes to an :class:`IdleCollector` the
    caller runs (until resumed again without it). True when the pace was restored."""
    global _saved
    if _saved is None:
        return False
    if freeze:
        gc.freeze()
    if when_idle:
        young = _saved[0] and max(_saved[0], YOUNG_PASS_AFTER)  # 0: no automatic passes
        gc.set_threshold(young, OLDER_PASS_AFTER, _saved[2])
        return True
    gc.set_threshold(*_saved)
    _saved = None
    return True


YOUNG_PASS_AFTER = 10_000
"""New objects between two young passes of the collector while an IdleCollector runs
its older passes (700 by default)."""

OLDER_PASS_AFTER = 100
"""Young passes before the collector makes an older pass by itself (10 by default)
while an IdleCollector runs them: only a program never quiet gets there (every million
new objects), so that its garbage is collected all the same."""

IDLE_SHARE = 0.05
"""The share of a core under which the program counts as quiet (a reader reading)."""

QUIET_CALLS = 2
"""Calls in a row that must find the program quiet: not a pass just as a key comes."""

FULL_PASS_DUE = 7
"""Young passes since the last full pass that make one due: as many new objects
(70,000) as make one at the collector's own pace (700 × 10 × 10)."""


class IdleCollector:
    """A full pass of the collector when one is due and the program has been quiet for
    the last ``QUIET_CALLS`` calls: call it a few times a second (a timer of the app)."""

    def __init__(self) -> None:
        self._cpu = time.process_time()
        self._wall = time.monotonic()
        self._quiet = 0

    def __call__(self) -> bool:
        """Make a full pass if it is due and the program quiet; True when it did."""
        cpu, wall = time.process_time(), time.monotonic()
        quiet = cpu - self._cpu <= IDLE_SHARE * (wall - self._wall)
        self._cpu, self._wall = cpu, wall
        self._quiet = self._quiet + 1 if quiet else 0
        if self._quiet < QUIET_CALLS or not gc.isenabled() or gc.get_count()[1] < FULL_PASS_DUE:
            return False
        gc.collect()
        self._cpu = time.process_time()  # its own work is not the program's
        return True
