"""Cold call: whom the trainer calls on next (pure; the server keeps the counts)."""

from __future__ import annotations

import random
from collections.abc import Mapping, Sequence


def pick(
    candidates: Sequence[str], spoken: Mapping[str, int], last: str | None, rng: random.Random
) -> str | None:
    """A student to call on, at random, weighted toward those who have spoken least this
    class (``spoken``: contributions plus calls): a student who has spoken ``n`` times
    more than the quietest is ``2**n`` times less likely. Never ``last`` when another
    candidate exists; None when there is no candidate."""
    pool = list(dict.fromkeys(candidates))
    if len(pool) > 1 and last in pool:
        pool.remove(last)
    if not pool:
        return None
    quietest = min(spoken.get(student, 0) for student in pool)
    weights = [0.5 ** min(spoken.get(student, 0) - quietest, 60) for student in pool]
    return rng.choices(pool, weights=weights)[0]
