"""`clientport purge_import_files`: delete uploaded client lists past the firm's retention.

Uploads hold SSNs and the firm has its own copy, so each firm keeps them only for its
*Keep uploaded client lists* setting (30 days by default): after that, an import's file and the
cells of its skipped rows are deleted (its counts, reasons and changes stay), and imports never
started (drafts, dry runs) are deleted whole after the same period, or 30 days if sooner
(`jobs.DRAFT_EXPIRY_DAYS`): drafts expire. `clientport serve` runs it at start-up and every
hour; with other workers, run it from cron (daily is enough). Running it twice is harmless.
It acts as `crm.permissions.SYSTEM`: no person asks for it.
"""

from django.core.management.base import BaseCommand

from crm.permissions import SYSTEM
from imports.jobs import jobs_purge_files


class Command(BaseCommand):
    help = "Deletes uploaded client lists (and skipped rows' cells) older than each firm's retention period."

    def handle(self, *args, **options):
        finished, unstarted = jobs_purge_files(actor=SYSTEM)
        if finished or unstarted or options["verbosity"] > 1:
            self.stdout.write(
                f"Deleted the files of {finished} finished import(s) and {unstarted} import(s) never started."
            )
