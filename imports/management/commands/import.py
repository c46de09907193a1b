"""`clientport import FILE --firm SLUG --user EMAIL`: the same pipeline as the web wizard.

The `--user` is the actor of every step (upload, mapping, start): the same services as the
wizard check their right to import into the firm, and the import's history names them."""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

from django.core.exceptions import PermissionDenied
from django.core.files import File
from django.core.management.base import BaseCommand, CommandError

from crm.models import Firm, User
from crm.permissions import actor_for
from imports import jobs, saved_mappings
from imports.mapping import Mapping
from imports.models import COUNTER_NAMES, ROWS_IN_FILE, ImportJob
from imports.report import job_result, skipped_rows_zip


# The file's row count first: after a cancel the counters cover only the rows reached.
OUTPUT_NAMES = (ROWS_IN_FILE, *COUNTER_NAMES)


class ProgressBar:
    """A progress bar with rows/s and time left on a terminal (rich); silence elsewhere (pipes,
    CI logs, --json). Called with the rows done after each batch; `close()` leaves the final
    line on screen. rich is imported only when a bar is shown: the command starts faster."""

    def __init__(self, stream, total: int, label: str):
        self.stream, self.total, self.label = stream, max(total, 1), label
        self.enabled = bool(total) and hasattr(stream, "isatty") and stream.isatty()
        self._progress = self._task = None
        self.started = time.monotonic()

    def _start(self):
        from rich.console import Console
        from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn, TimeRemainingColumn

        self._progress = Progress(
            TextColumn("{task.description}"), BarColumn(),
            TextColumn("{task.completed:,.0f}/{task.total:,.0f} rows"),
            TextColumn("{task.fields[rate]}"),
            TextColumn("elapsed"), TimeElapsedColumn(), TextColumn("left"), TimeRemainingColumn(),
            console=Console(file=self.stream), auto_refresh=False, transient=False,
        )
        self._progress.start()
        self._task = self._progress.add_task(self.label, total=self.total, rate="")

    def __call__(self, done: int) -> None:
        if not self.enabled:
            return
        if self._progress is None:
            self._start()
        rate = f"{done / max(time.monotonic() - self.started, 1e-6):,.0f} rows/s"
        self._progress.update(self._task, completed=min(done, self.total), rate=rate, refresh=True)

    def close(self) -> None:
        if self._progress is not None:
            self._progress.stop()


class Command(BaseCommand):
    help = "Imports a client list (CSV, TSV, XLSX, XLS, ODS or IIF) into a firm."
    # The system checks load every URL (the API's schemas too): a second of start-up for a command
    # that serves no page. `clientport check`, `migrate` and `serve` still run them.
    requires_system_checks = []

    def add_arguments(self, parser):
        parser.add_argument("file", help="The client list to import.")
        parser.add_argument("--firm", required=True, help="The firm's slug.")
        parser.add_argument("--user", required=True, help="Email of the team member importing (must be allowed to).")
        parser.add_argument("--kind", default="accounts-and-contacts", choices=[k.value for k in ImportJob.Kind])
        parser.add_argument("--mapping", help="A mapping JSON file (see README); default: the firm's saved mapping "
                                              "for the file's columns, else the automatic mapping.")
        parser.add_argument("--no-saved-mapping", action="store_true",
                            help="Without --mapping: use the automatic mapping even if one is saved for these columns.")
        parser.add_argument("--dry-run", action="store_true", help="Validate every row and report; write nothing.")
        parser.add_argument("--json", action="store_true", help="Print the results as one JSON object.")
        parser.add_argument("--errors-zip", help="Write the skipped rows as a zipped CSV to this path.")

    def handle(self, *args, **options):
        path = Path(options["file"])
        if not path.is_file():
            raise CommandError(f"{path} does not exist or is not a file.")
        firm = Firm.objects.filter(slug=options["firm"]).first()
        if firm is None:
            raise CommandError(f"No firm has the slug {options['firm']!r}.")
        user = User.objects.filter(email__iexact=options["user"]).first()
        if user is None:
            raise CommandError(f"No user has the email {options['user']!r}.")
        actor = actor_for(firm, user)
        if actor is None:
            raise CommandError(f"{user.email} may not import clients into {firm.name}: not an active team member.")
        mapping = None
        if options["mapping"]:
            try:
                mapping = Mapping.from_json(Path(options["mapping"]).read_text(encoding="utf-8"))
            except (OSError, ValueError) as exc:
                raise CommandError(f"The mapping file cannot be used: {exc}") from exc
            mapping.kind = options["kind"]
        try:
            with path.open("rb") as handle:
                job = jobs.job_create(actor=actor, file=File(handle, name=path.name),
                                      original_name=path.name, kind=options["kind"], mapping=mapping,
                                      use_saved=not options["no_saved_mapping"])
        except PermissionDenied as exc:
            raise CommandError(str(exc)) from exc
        except jobs.ImportRefused as exc:
            raise CommandError(f"{path.name}: {exc}") from exc
        if mapping is not None:
            errors = jobs.job_set_mapping(job, mapping, actor=actor)
            if errors:
                jobs.job_discard(job, actor=actor)
                raise CommandError("The mapping does not fit this file: " + " ".join(errors))

        stderr = options.get("stderr") or sys.stderr
        show_progress = not options["json"] and stderr.isatty()
        saved = saved_mappings.applied(job)
        if saved:
            stderr.write(_saved_mapping_line(saved) + "\n")
        if options["dry_run"]:
            # A check from the command line is not an import of the firm: nothing of it stays.
            bar = ProgressBar(stderr, self._count_rows(job) if show_progress else 0, "Checking")
            try:
                result = jobs.job_dry_run(job, progress=bar)
            finally:
                bar.close()
                jobs.job_discard(job, actor=actor)
            counts = {**result.counters.as_dict(), ROWS_IN_FILE: result.rows_in_file}
            status = "dry-run"
        else:
            bar = ProgressBar(stderr, self._count_rows(job) if show_progress else 0, "Importing")
            jobs.job_start(job, actor=actor, enqueue=False)
            try:
                job = jobs.job_run(job.pk, progress=bar)
            finally:
                bar.close()
            if job.status == ImportJob.Status.FAILED:
                raise CommandError(job.error)
            counts = {name: job.counts.get(name, 0) for name in COUNTER_NAMES}
            counts[ROWS_IN_FILE] = job.rows_in_file
            status = job.status
        if options["errors_zip"] and not options["dry_run"]:
            with open(options["errors_zip"], "wb") as out:
                skipped_rows_zip(job, out)
        self._print(options, job, counts, status, result if options["dry_run"] else None)

    def _count_rows(self, job) -> int:
        from imports.pipeline import open_job_table

        if job.read_info.get("complete"):  # the upload's column profile read every row
            return int(job.read_info["rows_read"])

        with open_job_table(job) as table:
            return sum(1 for _ in table.rows())

    def _print(self, options, job, counts, status, dry_result) -> None:
        if options["json"]:
            if dry_result is None:
                payload = job_result(job)
            else:  # the same shape as a real run's: skip code -> number of rows
                payload = {name: counts.get(name, 0) for name in OUTPUT_NAMES}
                payload.update(job=None, status=status, skipped_reasons=dict(dry_result.skipped.counts))
            self.stdout.write(json.dumps(payload))
            return
        title = f"Check of {job.original_name}" if dry_result is not None else f"Import #{job.pk} of {job.original_name}"
        self.stdout.write(f"{title}: {status}")
        if status == ImportJob.Status.CANCELLED:
            self.stdout.write(f"Cancelled after {counts['rows_total']:,} of {counts[ROWS_IN_FILE]:,} rows.")
        for name in OUTPUT_NAMES:
            self.stdout.write(f"  {name.replace('_', ' '):<22} {counts.get(name, 0):>10,}")
        if dry_result is not None and dry_result.skipped.counts:
            self.stdout.write("Rows that would be skipped:")
            for code, info in dry_result.skipped.as_dict().items():
                self.stdout.write(f"  {code}: {info['count']} (rows {', '.join(map(str, info['rows']))}) - {info['message']}")


def _saved_mapping_line(saved: dict) -> str:
    """Says which saved mapping the import uses, and how not to (on stderr: --json stays one object)."""
    what = (f"your saved mapping “{saved['name']}”" if saved.get("name")
            else f"the mapping of import #{saved.get('source_job')} for files with these columns")
    notes = "".join(f"\n  {note}" for note in saved.get("notes") or [])
    return f"Using {what} (--no-saved-mapping for the automatic one).{notes}"
