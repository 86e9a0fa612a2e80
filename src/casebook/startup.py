"""The garbage collector's pause while casebook starts.

Importing Textual and building the first screen make a few hundred thousand objects
that live as long as the program, and almost no garbage. With the cyclic collector
running, it walks that growing heap again and again: about 30 ms of a 400 ms start
on the benchmark machine. So importing the package pauses the collector, and the app
resumes it once its first screen is drawn, freezing what start-up made out of later
collections. Any other program that imports casebook gets it back after
``RESUME_AFTER`` seconds at the latest, or sooner by calling :func:`resume_collector`.
A program that had turned the collector off keeps it off.
"""

import gc
import threading

RESUME_AFTER = 2.0
"""Seconds after the import at which the collector resumes if nothing resumed it."""

_paused = False


def pause_collector() -> None:
    """Pause the cyclic garbage collector (if it runs), to resume on its own later."""
    global _paused
    if _paused or not gc.isenabled():
        return
    gc.disable()
    _paused = True
    timer = threading.Timer(RESUME_AFTER, resume_collector)
    timer.daemon = True
    timer.start()


def resume_collector(*, freeze: bool = False) -> None:
    """Resume the collector if this module paused it; with ``freeze``, first move every
    object alive now (start-up's: modules, classes, the library) out of its sight."""
    global _paused
    if not _paused:
        return
    _paused = False
    if freeze:
        gc.freeze()
    gc.enable()
