"""A cancelled import: what it counts (the rows it reached) and what it says about the file
(how many rows it has), in the engine, on the results page, in the email and from the CLI."""

import pytest

from imports import jobs, pipeline
from imports.models import ImportJob
from tests.imports.conftest import csv_text, make_mapping, upload
from tests.imports.test_pipeline import COLUMNS, generated_rows

pytestmark = pytest.mark.django_db


def report(count: int) -> str:
    """`count` client rows with a blank line among them and a totals footer: neither is a row."""
    lines = csv_text(generated_rows(count)).splitlines(keepends=True)
    return "".join(lines[:6]) + "\n" + "".join(lines[6:]) + f'\n"Grand Totals ({count} records)",,,,,,,\n'


def counters_add_up(counts: dict) -> bool:
    return counts["rows_total"] == counts["rows_imported"] + counts["rows_skipped"]


@pytest.mark.parametrize("processes", [0, 1])
def test_a_cancelled_run_counts_the_rows_it_reached_and_knows_the_rows_of_the_file(firm, owner, processes):
    # Cleaning reads batches ahead of the writer (two without workers, more with one): the rows
    # read ahead and the rows never read are both in the file's count, and in no counter.
    job = upload(firm, owner, report(100), mapping=make_mapping(COLUMNS))
    result = pipeline.run_pipeline(job, dry_run=False, batch_size=10, should_stop=lambda: True,
                                   cleaning_processes=processes)
    assert result.cancelled
    assert result.counters.rows_total == 10 and counters_add_up(result.counters.as_dict())
    assert result.rows_in_file == 100


def test_a_run_to_the_end_has_as_many_rows_in_the_file_as_it_counted(firm, owner):
    job = upload(firm, owner, report(30), mapping=make_mapping(COLUMNS))
    result = pipeline.run_pipeline(job, dry_run=False, batch_size=10, should_stop=lambda: False)
    assert not result.cancelled and result.counters.rows_total == result.rows_in_file == 30


def test_a_resumed_run_cancelled_again_counts_the_rows_before_its_checkpoint(firm, owner):
    job = upload(firm, owner, report(50), mapping=make_mapping(COLUMNS))
    jobs.job_start(job, enqueue=False)
    ImportJob.objects.filter(pk=job.pk).update(status="running")

    class WorkerKilled(Exception):
        pass

    def die(rows_done):
        raise WorkerKilled

    with pytest.raises(WorkerKilled):
        pipeline.run_pipeline(ImportJob.objects.get(pk=job.pk), dry_run=False, batch_size=10, progress=die)
    result = pipeline.run_pipeline(ImportJob.objects.get(pk=job.pk), dry_run=False, batch_size=10,
                                   should_stop=lambda: True)
    assert result.counters.rows_total == 20 and counters_add_up(result.counters.as_dict())
    assert result.rows_in_file == 50
