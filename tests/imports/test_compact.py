import random

from imports.compact import BUFFER_SIZE, CompactIntSet


def test_compact_set_answers_like_a_set_across_many_flushes():
    rng = random.Random(7)
    members = [rng.getrandbits(64) - 2**63 for _ in range(BUFFER_SIZE * 5 + 123)]
    compact = CompactIntSet()
    for value in members:
        compact.add(value)
        compact.add(value)  # twice: still one member
    assert len(compact) == len(set(members))
    assert all(value in compact for value in members)
    strangers = [rng.getrandbits(64) - 2**63 for _ in range(2000)]
    assert not any(value in compact for value in strangers if value not in set(members))


def test_compact_set_keeps_few_sorted_runs():
    compact = CompactIntSet()
    compact.update(range(BUFFER_SIZE * 16))
    assert len(compact._runs) <= 5
    assert all(list(run) == sorted(run) for run in compact._runs)
