import random

from imports.compact import BUFFER_SIZE, MAP_BUFFER_SIZE, CompactIntMap, CompactIntSet


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


def test_compact_map_answers_like_a_dict_and_keeps_the_first_value_across_many_flushes():
    rng = random.Random(11)
    keys = [rng.getrandbits(64) - 2**63 for _ in range(MAP_BUFFER_SIZE * 3 + 77)]
    compact, expected = CompactIntMap(), {}
    for number, key in enumerate(keys):
        assert compact.setdefault(key, number) == expected.setdefault(key, number)
    for key in keys[:: 7]:
        assert compact.setdefault(key, -1) == expected[key]  # a later value does not replace it
    assert len(compact) == len(expected)
    assert all(compact.get(key) == value for key, value in expected.items())
    assert compact.get(rng.getrandbits(64) - 2**63, "absent") == "absent"
    assert len(compact._runs) <= 3 and all(list(run) == sorted(run) for run, _ in compact._runs)
