"""The import's memory of a file: sets and maps of 64-bit hashes that answer like a set and a dict
in a fraction of their memory."""

import random
import tracemalloc

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


def memory_of(build) -> float:
    """Bytes still held by what `build()` returns (what it allocated and freed again is not counted)."""
    tracemalloc.start()
    try:
        before = tracemalloc.get_traced_memory()[0]
        built = build()
        held = tracemalloc.get_traced_memory()[0] - before
    finally:
        tracemalloc.stop()
    assert built is not None
    return held


def test_compact_set_holds_a_member_in_about_eight_bytes():
    rng = random.Random(3)
    members = [rng.getrandbits(64) - 2**63 for _ in range(BUFFER_SIZE * 16)]

    def build():
        compact = CompactIntSet()
        compact.update(members)
        return compact

    assert memory_of(build) / len(members) < 10  # a Python set of these ints: about 60


def test_compact_map_holds_an_entry_in_about_sixteen_bytes():
    rng = random.Random(5)
    keys = [rng.getrandbits(64) - 2**63 for _ in range(MAP_BUFFER_SIZE * 2)]

    def build():
        compact = CompactIntMap()
        for number, key in enumerate(keys):
            compact.setdefault(key, number)
        return compact

    assert memory_of(build) / len(keys) < 20  # a dict of these ints: about 100


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
