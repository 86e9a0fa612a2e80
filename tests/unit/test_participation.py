"""Cold call: random, weighted toward the quiet, never the same student twice in a row."""

from __future__ import annotations

import random
from collections import Counter

from casebook.model.classroom.participation import pick

STUDENTS = ["ana", "bo", "chen", "dee"]


def test_a_student_called_more_is_picked_less() -> None:
    rng = random.Random(7)
    spoken = {"ana": 0, "bo": 1, "chen": 2, "dee": 4}
    drawn = Counter(pick(STUDENTS, spoken, None, rng) for _ in range(4000))
    assert drawn["ana"] > drawn["bo"] > drawn["chen"] > drawn["dee"] > 0


def test_never_the_same_student_twice_in_a_row() -> None:
    rng = random.Random(11)
    spoken: Counter[str] = Counter()
    last = None
    for _ in range(2000):
        chosen = pick(STUDENTS, spoken, last, rng)
        assert chosen is not None and chosen != last
        spoken[chosen] += 1
        last = chosen
    counts = sorted(spoken.values())
    assert counts[-1] - counts[0] <= 3, spoken  # calls even out over a long discussion


def test_the_quietest_is_favoured_even_after_many_calls() -> None:
    rng = random.Random(3)
    spoken = {"ana": 10, "bo": 10, "chen": 10, "dee": 9}
    drawn = Counter(pick(STUDENTS, spoken, None, rng) for _ in range(3000))
    assert drawn.most_common(1)[0][0] == "dee"


def test_no_candidates_and_a_single_one() -> None:
    rng = random.Random(1)
    assert pick([], {}, None, rng) is None
    assert pick(["ana"], {}, "ana", rng) == "ana"  # the only one may be called again
    assert pick(["ana", "bo"], {"ana": 0, "bo": 50}, "ana", rng) == "bo"


def test_the_same_seed_gives_the_same_calls() -> None:
    first = [pick(STUDENTS, {}, None, random.Random(5)) for _ in range(3)]
    again = [pick(STUDENTS, {}, None, random.Random(5)) for _ in range(3)]
    assert first == again
