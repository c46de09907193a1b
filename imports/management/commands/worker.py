"""`clientport worker`: django-tasks-db's `db_worker`, which also sweeps for imports whose worker died.

Any number of these may run, on any number of machines sharing one database. Besides running
tasks, each one runs the resume rule (`jobs.jobs_sweep`, the same as `clientport
resume_imports`) every `IMPORT_SWEEP_SECONDS` in a thread of its own: a running import or undo
whose heartbeat has been silent for `IMPORT_HEARTBEAT_TIMEOUT_SECONDS` lost its worker (killed,
machine gone) and is queued again, so another worker takes it over and resumes after its last
committed batch, without a person or a cron job. The thread sweeps while the worker runs a long
task too, so a pool whose workers are all busy still notices a dead one. Several sweepers at once
are harmless: each job is taken by one conditional UPDATE (see `job_requeue_interrupted`).
"""

from __future__ import annotations

import datetime
import logging
import os
import random
import threading

from django.conf import settings
from django.db import connections
from django.utils.autoreload import DJANGO_AUTORELOAD_ENV
from django_tasks_db.management.commands import db_worker

from crm.permissions import SYSTEM
from imports.jobs import jobs_sweep
from imports.management.commands.resume_imports import report_sweep

logger = logging.getLogger("imports.worker")


class Sweeper(threading.Thread):
    """Runs the resume rule every `every` seconds until `stop()`; the first sweep comes after a
    random part of one interval, so workers started together do not sweep in step."""

    def __init__(self, *, every: float, silent_for: datetime.timedelta):
        super().__init__(name="import-sweeper", daemon=True)
        self.every, self.silent_for = every, silent_for
        self._stopping = threading.Event()

    def run(self) -> None:
        delay = random.uniform(0, self.every)  # noqa: S311 - spreading, not secrecy
        while not self._stopping.wait(delay):
            try:
                self.sweep()
            finally:
                # This thread's own connection: not held open between sweeps.
                connections.close_all()
            delay = self.every

    def sweep(self) -> None:
        try:
            report_sweep(jobs_sweep(actor=SYSTEM, silent_for=self.silent_for), logger.warning)
        except Exception:  # noqa: BLE001 - a failed sweep (database away) is retried next time
            logger.exception("Sweeping for interrupted imports failed; trying again in %s s.", self.every)

    def stop(self) -> None:
        self._stopping.set()


class Command(db_worker.Command):
    help = (
        "Runs background tasks (django-tasks-db's db_worker) and, every IMPORT_SWEEP_SECONDS, queues "
        "again the imports whose worker stopped (as resume_imports does). Run as many as you like."
    )

    def add_arguments(self, parser):
        super().add_arguments(parser)
        parser.add_argument(
            "--sweep-every", type=float, default=settings.IMPORT_SWEEP_SECONDS, metavar="SECONDS",
            help="how often to sweep for interrupted imports (default: IMPORT_SWEEP_SECONDS, %(default)s; 0: never)",
        )
        parser.add_argument(
            "--silent-for", type=int, default=settings.IMPORT_HEARTBEAT_TIMEOUT_SECONDS, metavar="SECONDS",
            help="a running import silent this long has lost its worker "
                 "(default: IMPORT_HEARTBEAT_TIMEOUT_SECONDS, %(default)s)",
        )

    def handle(self, *args, sweep_every: float, silent_for: int, **options):
        # With --reload the parent process only watches files; the child runs the tasks and sweeps.
        runs_tasks = not options["reload"] or os.environ.get(DJANGO_AUTORELOAD_ENV) == "true"
        sweeper = None
        if sweep_every > 0 and runs_tasks:
            if not logger.hasHandlers():
                logger.addHandler(logging.StreamHandler(self.stderr))
            logger.setLevel(logging.INFO)
            sweeper = Sweeper(every=sweep_every, silent_for=datetime.timedelta(seconds=silent_for))
            sweeper.start()
        try:
            super().handle(*args, **options)
        finally:
            if sweeper is not None:
                sweeper.stop()
