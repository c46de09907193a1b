"""The collector settings an import changes are the process's: they must come back."""

import gc

from imports.gc_tuning import BULK_GC_THRESHOLD, quiet_gc


def test_overlapping_imports_leave_the_collector_as_they_found_it():
    before = gc.get_threshold()
    first, second = quiet_gc(), quiet_gc()  # two checks in two threads of one web process
    first.__enter__()
    second.__enter__()
    assert gc.get_threshold() == BULK_GC_THRESHOLD and gc.get_freeze_count() > 0

    first.__exit__(None, None, None)  # the first ends while the second still runs
    assert gc.get_threshold() == BULK_GC_THRESHOLD

    second.__exit__(None, None, None)
    assert gc.get_threshold() == before and gc.get_freeze_count() == 0


def test_an_import_that_fails_still_restores_the_collector():
    before = gc.get_threshold()
    try:
        with quiet_gc():
            raise RuntimeError("the import failed")
    except RuntimeError:
        pass
    assert gc.get_threshold() == before and gc.get_freeze_count() == 0
