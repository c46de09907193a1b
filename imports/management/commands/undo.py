"""`clientport undo JOB_ID --user EMAIL [--dry-run] [--json]`: the undo of the import's page.

The `--user` is the actor: the same rights as the page (the owner, admins and members with
*Manage contacts* of the import's firm), and the history names them. `--dry-run` prints what
the undo would remove, restore and keep, changing nothing."""

from __future__ import annotations

import json

from django.core.management.base import BaseCommand, CommandError

from crm.models import User
from crm.permissions import actor_for, can_import
from imports import undo as undoing
from imports.models import ImportJob
from imports.notifications import notify_undo_finished


class Command(BaseCommand):
    help = "Undoes an import: removes what it created and restores what it changed, keeping later edits."

    def add_arguments(self, parser):
        parser.add_argument("job_id", type=int, help="The import's number (#N in the import history).")
        parser.add_argument("--user", required=True, help="Email of the team member undoing (must be allowed to).")
        parser.add_argument("--dry-run", action="store_true", help="Only say what the undo would do.")
        parser.add_argument("--json", action="store_true", help="Print the result as one JSON object.")

    def handle(self, *args, **options):
        job = ImportJob.objects.select_related("firm").filter(pk=options["job_id"]).first()
        if job is None:
            raise CommandError(f"No import has the number {options['job_id']}.")
        user = User.objects.filter(email__iexact=options["user"]).first()
        if user is None:
            raise CommandError(f"No user has the email {options['user']!r}.")
        actor = actor_for(job.firm, user)
        if not can_import(actor):
            raise CommandError(f"{user.email} may not undo imports of {job.firm.name}: only the owner, admins and "
                               "members with Manage contacts may.")
        refusal = undoing.undo_refusal(job)
        if options["dry_run"]:
            plan = undoing.plan_undo(job) if not refusal else undoing.UndoPlan()
            return self._print(options, job, "dry-run", plan.counts, plan.conflicts, refusal)
        if not undoing.undo_request(job, actor=actor, enqueue=False):
            return self._print(options, job, "refused", {}, [], refusal or "This import cannot be undone now.")
        undo = undoing.run_undo(job.pk)
        notify_undo_finished(undo)
        if undo.status == undo.Status.FAILED:
            raise CommandError(undo.error)
        return self._print(options, job, undo.status, undo.counts, undo.conflicts, "")

    def _print(self, options, job, status, counts, conflicts, message) -> None:
        if options["json"]:
            payload = {"job": job.pk, "status": status, "dry_run": options["dry_run"], "message": message,
                       "counts": counts, "conflicts": conflicts}
            self.stdout.write(json.dumps(payload))
            return
        if message:
            self.stdout.write(message)
        if not counts:
            return
        heading = "Undoing would:" if options["dry_run"] else f"Import #{job.pk} ({job.original_name}): {status}."
        self.stdout.write(heading)
        for _, label, number in undoing.undo_counter_rows(counts):
            self.stdout.write(f"  {label}: {number:,}")
        for row in conflicts:
            self.stdout.write(f"  kept: {row['name']} ({row['kind']}): {row['reason']}")
