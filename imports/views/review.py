"""Step 5: examples from the file, the totals of a full check (dry run), and Start import.

The check runs inline for small files and as a background task for large ones, with a progress
fragment the page polls. Its totals count only while they describe the current mapping: going
back and changing anything asks for a new check. Start is the only button that writes.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpResponseNotAllowed
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django_htmx.http import HttpResponseClientRefresh

from crm.models import Membership
from crm.permissions import import_permission_required
from imports import jobs
from imports.models import ImportJob
from imports.pipeline import UnknownFolderTemplate
from imports.reading import UnreadableFile
from imports.review import review_examples
from imports.views.common import REVIEW, access_job, is_editable, job_mapping, started_redirect, step_context

DUPLICATES_PAGE_SIZE = 25
DUPLICATE_CHOICES = ("", "same", "different")
# A check that has not moved for this long is probably lost (worker restarted): offer a restart.
CHECK_STALE_SECONDS = 90


def check_status(job: ImportJob) -> str:
    """"stale" (no check of the current mapping yet), "queued", "running", "done" or "failed"."""
    if not job.dry_run_state or job.dry_run_mapping != job.mapping:
        return "stale"
    return job.dry_run_state


def check_rows_total(job: ImportJob) -> int:
    """The file's data rows as known before the check ends: counted at upload when the profile
    read the whole file, else the last run's count; 0 when unknown."""
    if job.read_info.get("complete") and job.read_info.get("rows_read"):
        return int(job.read_info["rows_read"])
    return int(job.rows_estimate or 0)


def check_seconds_left(job: ImportJob, total: int, now=None) -> int | None:
    """The check's time left at the rate so far (rows checked per second since it began);
    None until it has checked some rows or when the total is unknown."""
    started = parse_datetime(str(job.dry_run_counts.get("check_started_at") or ""))
    done = job.dry_run_rows_done
    if started is None or not done or not total:
        return None
    elapsed = ((now or timezone.now()) - started).total_seconds()
    if elapsed <= 0:
        return None
    return max(0, round((total - done) * elapsed / done))


def time_left_text(seconds: int | None) -> str:
    """ "about 3 minutes left", "less than a minute left"; "" when unknown."""
    if seconds is None:
        return ""
    if seconds < 60:
        return "less than a minute left"
    minutes = round(seconds / 60)
    if minutes < 60:
        return f"about {minutes} minute{'s' if minutes != 1 else ''} left"
    hours, minutes = divmod(minutes, 60)
    return f"about {hours} h {minutes:02d} min left"


def _check_context(job: ImportJob) -> dict:
    status = check_status(job)
    counts = job.dry_run_counts if status == "done" else {}
    quiet_for = (timezone.now() - job.dry_run_updated_at).total_seconds() if job.dry_run_updated_at else 0
    total = check_rows_total(job)
    running = status == "running"
    return {
        "check_status": status,
        "check": counts,
        "check_stuck": status in ("queued", "running") and quiet_for > CHECK_STALE_SECONDS,
        "check_rows_done": job.dry_run_rows_done,
        "check_rows_total": total,
        "check_percent": min(100, job.dry_run_rows_done * 100 // total) if total else None,
        "check_time_left": time_left_text(check_seconds_left(job, total)) if running else "",
    }


def _choices_summary(job: ImportJob) -> list[tuple[str, str]]:
    """The choices of the earlier steps in a few lines, to check before starting."""
    mapping = job_mapping(job)
    s = mapping.settings
    lines = [("Kind", job.get_kind_display())]
    if job.kind != ImportJob.Kind.CONTACTS:
        name = mapping.columns_for("account.name")
        lines.append(("Account name", f"column “{name[0].column}”" if name else "named after each row's contact"))
        mode = mapping.account_type.mode
        type_columns = mapping.columns_for("account.type")
        type_text = {
            "fixed": f"{mapping.account_type.value.capitalize()} for every account",
            "column": f"from column “{type_columns[0].column}”" if type_columns else "from a column",
            "auto": "automatic",
            "ignore": "ignored (new accounts get Other)",
        }.get(mode, mode)
        lines.append(("Account type", type_text))
        members = dict(Membership.objects.filter(firm=job.firm, user__email__in=s.assignees)
                       .values_list("user__email", "user__full_name"))
        lines.append(("Tags for every account", ", ".join(s.tags) or "none"))
        lines.append(("Assignees", ", ".join(members.get(e) or e for e in s.assignees)
                      or "as the file says; the importer where it names no one"))
        if s.member_names:
            lines.append(("Team members named in the file", _member_names_text(job, s.member_names)))
        folder = {"default": "the firm's default template", "none": "none"}.get(s.folder_template, s.folder_template)
        lines.append(("Folders for new accounts", folder))
    if job.kind == ImportJob.Kind.ACCOUNTS_AND_CONTACTS:
        portal = []
        for column, sw in s.portal.items():
            switches = (("Login", sw.login), ("Notify", sw.notify), ("Email sync", sw.email_sync))
            on = [label for label, value in switches if value]
            portal.append(f"“{column}”: {', '.join(on) if on else 'all off'}")
        lines.append(("Portal switches", "; ".join(portal) or "all off"))
        lines.append(("Invitations", "sent to contacts with Login on" if s.send_invitations else "not sent (invite later)"))
    lines.append(("Existing values", "replaced by the file's" if s.overwrite else "kept; only empty ones are filled"))
    if job.kind == ImportJob.Kind.ACCOUNTS:
        lines.append(("Unknown accounts", "skipped (update only)" if s.update_only else "created"))
    lines.append(("Columns", f"{len(mapping.mapped())} of {len(mapping.columns)} imported"))
    return lines


def _member_names_text(job: ImportJob, choices: dict[str, str]) -> str:
    """ "Ann L. → Mia Manager; Bob → nobody": the choices made for names matching no member."""
    emails = [email for email in choices.values() if email]
    members = dict(Membership.objects.filter(firm=job.firm, user__email__in=emails)
                   .values_list("user__email", "user__full_name"))
    return "; ".join(f"{name} → {(members.get(email) or email) if email else 'nobody'}"
                     for name, email in choices.items())


@import_permission_required
def review(request, pk):
    job = access_job(request, pk)
    if not is_editable(job):
        return started_redirect(request, job)
    if request.method == "POST" or check_status(job) == "stale":
        # Asking for a check writes only its bookkeeping on the job row.
        jobs.job_check(job, actor=request.membership)
        if request.method == "POST":
            return redirect("imports:review", pk=job.pk)
    error = ""
    try:
        examples = review_examples(job)
    except UnreadableFile as exc:
        examples, error = None, f"{exc} Go back to step 1 and choose other reading options, or upload the file again."
    except UnknownFolderTemplate as exc:  # deleted since it was chosen
        examples, error = None, f"{exc} Go back to the Settings step and choose the folders for new accounts again."
    context = {
        **step_context(job, REVIEW.key),
        **_check_context(job),
        "examples": examples,
        "error": error,
        "summary": _choices_summary(job),
        **_duplicates_context(request, job, _checked_counts(job)),
    }
    return render(request, "imports/review.html", context)


def _checked_counts(job: ImportJob) -> dict:
    return job.dry_run_counts if check_status(job) == "done" else {}


def _stored_pairs(job: ImportJob) -> list[dict]:
    return ((job.dry_run_counts or {}).get("duplicates") or {}).get("pairs") or []


def _duplicates_context(request, job: ImportJob, counts: dict) -> dict:
    """The check's likely duplicates, a page at a time, grouped by the existing account or
    earlier row they pair with, each with the decision the mapping holds."""
    found = counts.get("duplicates")
    if not found:
        return {"duplicates": None}
    mapping = job_mapping(job)
    pairs = [{**pair, "index": index, "key": _pair_key(pair), "decision": mapping.duplicate_decision(
        pair["row"]["row"], account=pair["other"]["account"], other_row=pair["other"]["row"])}
        for index, pair in enumerate(found["pairs"])]
    page = Paginator(pairs, DUPLICATES_PAGE_SIZE).get_page(request.GET.get("page"))
    groups: list[dict] = []
    for pair in page.object_list:
        if not groups or groups[-1]["other"] != pair["other"]:
            groups.append({"other": pair["other"], "pairs": []})
        groups[-1]["pairs"].append(pair)
    return {"duplicates": found, "duplicates_page": page, "duplicate_groups": groups,
            "duplicates_decided": sum(1 for pair in pairs if pair["decision"])}


def _pair_key(pair: dict) -> str:
    """Which pair a form field decides, checked on saving: row, account, earlier row."""
    return f"{pair['row']['row']}-{pair['other']['account']}-{pair['other']['row']}"


@import_permission_required
def decide_duplicates(request, pk):
    """Saves the decisions of one page of likely duplicates into the job's mapping. Only the
    pairs the check listed for this job can be decided: the form names them by position."""
    job = access_job(request, pk)
    if request.method != "POST":  # the list lives on the review page
        return redirect(f"{reverse('imports:review', args=[job.pk])}#duplicates")
    if not is_editable(job):
        return started_redirect(request, job)
    pairs = _stored_pairs(job)
    decisions, errors = [], []
    for name, value in request.POST.items():
        if not name.startswith("pair-"):
            continue
        index = name.removeprefix("pair-")
        if not index.isdigit() or int(index) >= len(pairs):
            errors.append("A pair on the page is no longer listed (the check ran again); look at the list again.")
            continue
        pair = pairs[int(index)]
        if request.POST.get(f"key-{index}") != _pair_key(pair):  # the check ran again since the page was shown
            errors.append("A pair on the page is no longer listed (the check ran again); look at the list again.")
            continue
        if value not in DUPLICATE_CHOICES:
            errors.append(f"Row {pair['row']['row']}: choose “Same client” or “Different”, not {value!r}.")
            continue
        decisions.append((pair["row"]["row"], pair["other"]["account"], pair["other"]["row"], value))
    if not errors:
        errors = jobs.job_decide_duplicates(job, decisions, actor=request.membership)
    for error in errors:
        messages.error(request, error)
    if not errors:
        messages.success(request, "Decisions saved. Every row is checked again with them.")
    page = request.POST.get("page", "")
    query = f"?page={page}" if page.isdigit() else ""
    return redirect(f"{reverse('imports:review', args=[job.pk])}{query}#duplicates")


@import_permission_required
def check_progress(request, pk):
    """The check's progress, polled by the review page; a finished check reloads the page."""
    job = access_job(request, pk)
    status = check_status(job)
    if not is_editable(job) or status not in ("queued", "running"):
        return HttpResponseClientRefresh()
    return render(request, "imports/includes/check_progress.html", {"job": job, **_check_context(job)})


@import_permission_required
def start_import(request, pk):
    """Queues the import once: a second click or another tab finds it started."""
    job = access_job(request, pk)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    if is_editable(job):
        if check_status(job) != "done":
            messages.error(request, "The check of every row has not finished for these choices yet. Wait for the "
                                    "totals to appear, then start the import.")
            return redirect("imports:review", pk=job.pk)
        jobs.job_start(job, actor=request.membership)
    return redirect("imports:job", pk=job.pk)
