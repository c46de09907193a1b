"""`clientport resume_imports`: queue again the imports whose worker stopped, and those that failed.

An import commits its checkpoint with every batch, so a job found "running" while no worker
runs it (the machine restarted, the worker was killed) resumes after its last batch, writing
nothing twice. By default only jobs that committed no batch for `IMPORT_HEARTBEAT_TIMEOUT_SECONDS`
(5 minutes) are taken (a live worker commits every second or so), so it is safe to run while
other workers share the database; every `clientport worker` runs this same rule on a timer, so
neither a person nor cron needs to; `--silent-for 0` takes every running job, which is what `clientport serve` does at
start-up, where it is the only worker. A worker that was merely slow loses its claim on the job
and stops at its next batch, so a job is never written by two workers.

An import that failed (an error its batch retries did not get past) resumes the same way, once
it has been failed for as long, and at most twice (`jobs.AUTOMATIC_RESUMES`): a failure that
comes back is left to a person, who has the *Resume* button of the import's page.

An undo whose worker stopped (imports/undo.py) is queued again the same way, to go on after its
last batch.

No person asks for this: it acts as `crm.permissions.SYSTEM`, the actor that holds only the
maintenance right.
"""

import datetime

from django.conf import settings
from django.core.management.base import BaseCommand

from crm.permissions import SYSTEM
from imports.jobs import jobs_sweep


class Command(BaseCommand):
    help = "Queues again the imports that were running when their worker stopped, and those that failed."

    def add_arguments(self, parser):
        parser.add_argument(
            "--silent-for", type=int, default=settings.IMPORT_HEARTBEAT_TIMEOUT_SECONDS, metavar="SECONDS",
            help="take running imports that committed nothing, and failed imports that failed, this long ago "
                 "(default: IMPORT_HEARTBEAT_TIMEOUT_SECONDS, %(default)s; 0: all)",
        )

    def handle(self, *args, **options):
        swept = jobs_sweep(actor=SYSTEM, silent_for=datetime.timedelta(seconds=options["silent_for"]))
        report_sweep(swept, self.stdout.write)
        if not (swept.interrupted or swept.failed or swept.undos) and options["verbosity"] > 1:
            self.stdout.write("No interrupted or failed import.")


def report_sweep(swept, write) -> None:
    """One line per job queued again (the worker's sweep logs the same lines)."""
    for job in swept.interrupted + swept.failed:
        write(f"Import #{job.pk} ({job.original_name}) queued to resume after row {job.rows_done:,}.")
    for undo in swept.undos:
        write(f"The undo of import #{undo.pk} queued to go on after its last batch.")
