"""`clientport resume_imports`: queue again the imports a stopped worker left running.

An import commits its checkpoint with every batch, so a job found "running" while no worker
runs it (the machine restarted, the worker was killed) resumes after its last batch, writing
nothing twice. `clientport serve` runs this at start-up: on the embedded default it is the
only worker, so every running job there is orphaned. With several workers sharing one
PostgreSQL, run it by hand (or from a supervisor) only when no worker is alive.
"""

from django.core.management.base import BaseCommand

from imports.jobs import job_requeue_interrupted


class Command(BaseCommand):
    help = "Queues again the imports that were running when their worker stopped."

    def handle(self, *args, **options):
        jobs = job_requeue_interrupted()
        for job in jobs:
            self.stdout.write(f"Import #{job.pk} ({job.original_name}) queued to resume after row {job.rows_done:,}.")
        if not jobs and options["verbosity"] > 1:
            self.stdout.write("No interrupted import.")
