"""`clientport worker` sweeps on its own: an import whose worker died (its heartbeat silent for
IMPORT_HEARTBEAT_TIMEOUT_SECONDS) is taken over and finished by a running worker, with no person
and no cron job; an import whose worker is alive is left to it. (tests/scale/ does the same with
three workers on PostgreSQL and a real `kill -9`.)"""

from __future__ import annotations

import datetime
import os
import sqlite3
import subprocess
import sys
import time
from contextlib import closing

import pytest
from django.conf import settings
from django.db import connection
from django.utils import timezone

from crm.permissions import SYSTEM
from imports import jobs, pipeline
from imports.management.commands.worker import Sweeper
from imports.models import ImportJob
from tests.actors import uploader
from tests.imports.conftest import import_rows, make_mapping, upload
from tests.imports.test_concurrency import TEST_ONLY_VARIABLES, database_for_processes
from tests.imports.test_pipeline import COLUMNS, database_state, generated_rows


class WorkerKilled(Exception):
    pass


def interrupted_job(firm, owner, rows, *, silent_for: datetime.timedelta) -> ImportJob:
    """A job left running after its first batch by a worker that died `silent_for` ago."""
    job = upload(firm, owner, rows, mapping=make_mapping(COLUMNS))
    jobs.job_start(job, actor=uploader(job), enqueue=False)
    ImportJob.objects.filter(pk=job.pk).update(status="running")

    def die_after_first_batch(rows_done):
        raise WorkerKilled

    with pytest.raises(WorkerKilled):
        pipeline.run_pipeline(ImportJob.objects.get(pk=job.pk), dry_run=False, batch_size=25,
                              progress=die_after_first_batch)
    ImportJob.objects.filter(pk=job.pk).update(heartbeat_at=timezone.now() - silent_for)
    return ImportJob.objects.get(pk=job.pk)


def test_a_sweep_finishes_a_silent_import_and_leaves_a_live_one(firm, owner, other_firm, other_owner):
    rows = generated_rows(80)
    _, reference = import_rows(other_firm, other_owner, rows, COLUMNS)
    dead = interrupted_job(firm, owner, rows, silent_for=datetime.timedelta(seconds=301))
    live = upload(firm, owner, generated_rows(10, seed=7), mapping=make_mapping(COLUMNS))
    ImportJob.objects.filter(pk=live.pk).update(status="running", run_token=1, heartbeat_at=timezone.now())

    Sweeper(every=1, silent_for=datetime.timedelta(seconds=300)).sweep()  # tasks run inline in the tests

    dead.refresh_from_db()
    assert (dead.status, dead.counts) == ("finished", reference)
    assert dead.run_token == 2  # the sweep's re-queue, then the new worker's claim
    assert ImportJob.objects.filter(pk=live.pk, status="running", run_token=1).exists()


def test_a_second_sweep_takes_nothing_the_first_took(firm, owner, settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}  # queued, not run
    dead = interrupted_job(firm, owner, generated_rows(60), silent_for=datetime.timedelta(minutes=10))
    first = jobs.jobs_sweep(actor=SYSTEM, silent_for=datetime.timedelta(minutes=5))
    second = jobs.jobs_sweep(actor=SYSTEM, silent_for=datetime.timedelta(minutes=5))
    assert [job.pk for job in first.interrupted] == [dead.pk]
    assert second.interrupted == second.failed == second.undos == []
    assert ImportJob.objects.get(pk=dead.pk).status == "queued"


def _job_status(url: str, pk: int) -> tuple[str, int]:
    table = ImportJob._meta.db_table
    with closing(sqlite3.connect(url.removeprefix("sqlite:///"), timeout=20)) as db:
        return db.execute(f"SELECT status, run_token FROM {table} WHERE id = ?", [pk]).fetchone()  # noqa: S608


@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
def test_a_running_worker_takes_over_an_import_whose_worker_died(firm, owner, other_firm, other_owner, tmp_path):
    if connection.vendor != "sqlite":
        pytest.skip("tests/scale/ runs the workers on PostgreSQL")
    rows = generated_rows(120)
    _, reference = import_rows(other_firm, other_owner, rows, COLUMNS)
    dead = interrupted_job(firm, owner, rows, silent_for=datetime.timedelta(seconds=60))
    live = upload(firm, owner, generated_rows(10, seed=7), mapping=make_mapping(COLUMNS))
    ImportJob.objects.filter(pk=live.pk).update(status="running", run_token=1, heartbeat_at=timezone.now())

    env = {name: value for name, value in os.environ.items() if name not in TEST_ONLY_VARIABLES}
    env.update(SECRET_KEY="x" * 50, CLIENTPORT_VAR_DIR=str(tmp_path / "var"), MEDIA_ROOT=str(settings.MEDIA_ROOT),
               IMPORT_CLEANING_PROCESSES="0")
    with database_for_processes(tmp_path) as url:
        env["DATABASE_URL"] = url
        worker = subprocess.Popen(
            [sys.executable, "-m", "clientport", "worker", "--no-reload", "--queue-name=*", "--no-startup-delay",
             "--sweep-every", "0.5", "--silent-for", "45"],
            env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
        )
        try:
            deadline = time.monotonic() + 90
            while _job_status(url, dead.pk)[0] != "finished" and time.monotonic() < deadline:
                time.sleep(0.3)
            assert _job_status(url, dead.pk) == ("finished", 2)
            # Its heartbeat is fresher than --silent-for: its worker is alive as far as anyone knows.
            assert _job_status(url, live.pk) == ("running", 1)
        finally:
            worker.terminate()
            output, _ = worker.communicate(timeout=30)
    assert f"Import #{dead.pk} (clients.csv) queued to resume after row 25." in output
    dead.refresh_from_db()
    assert dead.counts == reference
    assert database_state(firm) == database_state(other_firm)
