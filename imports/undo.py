"""Undo an import: remove what it created and restore what it changed, from its change log
(`ImportChange`, written by imports/writing.py), keeping every record someone changed since.

`plan_undo` says what an undo would do (the confirmation page, and the run's first step);
`undo_request` queues it for the worker, which calls `run_undo` with the job id. The run works
like the import's: batches of a few thousand records or change-log rows, each in one short
transaction with its checkpoint, so a crashed undo resumes after its last batch, a cancel
stops it between batches, and a worker that lost its claim writes nothing more.

A record is *kept as it is now* (a conflict, listed by name) when it was changed after the
import ended: its `updated_at` is later than the import's end, a later import changed it, a
link was put on it since, a person wrote in its account history, a client signed in to it, or
its portal switches or roles are no longer what the import set. Tags, custom fields and roles the import created are kept
while records that stay use them. Rules: docs/import-rules.md, "Undo".
"""

from __future__ import annotations

import logging
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from django.db import connection, transaction
from django.db.models import F, Q
from django.db.models.functions import Coalesce
from django.utils import timezone

from crm.locks import firm_import_lock
from crm.models import (
    Account, AccountContact, AccountEvent, AccountRole, AccountRoleAssignment, Contact, CustomField, Tag,
)
from crm.normalize import account_name_key, contact_name_key, normalize_email_key
from crm.permissions import IMPORT, MAINTENANCE, require
from imports.models import ImportChange, ImportJob, ImportUndo

logger = logging.getLogger(__name__)

BATCH = 2_000  # records or change-log rows per transaction: short enough for the web's writes
ID_CHUNK = 500  # ids per IN (...) list when reading

UNDO_COUNTS = (
    ("accounts_removed", "Accounts removed"),
    ("contacts_removed", "Contacts removed"),
    ("links_removed", "Account–contact links removed"),
    ("tags_removed", "Tags removed"),
    ("custom_fields_removed", "Custom fields removed"),
    ("roles_removed", "Roles removed"),
    ("fields_restored", "Fields restored"),
    ("tags_restored", "Tags taken off existing records"),
    ("assignments_restored", "Assignees and roles restored"),
    ("switches_restored", "Portal switches restored"),
    ("invitations_withdrawn", "Portal invitations withdrawn"),
    ("conflicts", "Records kept as they are now"),
)

ACCOUNT_LOG = ("account", "account_tag", "account_assignee", "account_role")
CONTACT_LOG = ("contact", "contact_tag", "account_contact")
ENDED = (ImportJob.Status.FINISHED, ImportJob.Status.CANCELLED, ImportJob.Status.FAILED)
PHASES = ("contacts", "accounts", "changes", "definitions")
# The relations of an account or contact the undo removes with it; any other (documents,
# say) is the firm's own work on the record, which keeps it.
OWN_RELATIONS = {AccountContact, AccountRoleAssignment, AccountEvent}


class ClaimLost(Exception):
    """The undo was re-queued and claimed by another worker: this one must write no more."""


@dataclass
class UndoPlan:
    counts: dict = field(default_factory=dict)
    conflicts: list[dict] = field(default_factory=list)
    units: int = 0  # the run's work: records to delete plus change-log rows to undo


def undo_counter_rows(counts: dict) -> list[tuple[str, str, int]]:
    return [(name, label, int(counts.get(name, 0))) for name, label in UNDO_COUNTS]


# --- Asking for an undo ----------------------------------------------------------------------

def undo_refusal(job: ImportJob) -> str:
    """Why `job` cannot be undone now, in one sentence; "" when it can."""
    if job.status in (ImportJob.Status.DRAFT, ImportJob.Status.READY, ImportJob.Status.VALIDATING):
        return "This import has not run, so there is nothing to undo."
    if job.is_active:
        return "An import cannot be undone while it runs: wait for it to end, or cancel it first."
    if job.started_at is None:
        return "This import stopped before it started, so it changed nothing and there is nothing to undo."
    undo = ImportUndo.objects.filter(pk=job.pk).select_related("requested_by").first()
    if undo is None:
        return ""
    if undo.status == ImportUndo.Status.DONE:
        who = undo.requested_by.get_full_name() if undo.requested_by else "someone"
        return f"This import was undone already, by {who} on {timezone.localtime(undo.finished_at):%b %-d, %Y at %H:%M}: there is nothing left to undo."
    if undo.is_active:
        return "This import is being undone already."
    return ""


def undo_request(job: ImportJob, *, actor, enqueue: bool = True) -> bool:
    """Queues the undo of an import that has ended (a failed or cancelled undo goes on after
    its last batch). False, with nothing done, when it cannot be undone (see undo_refusal): a
    second click or another tab finds it queued or done already."""
    require(actor, IMPORT, firm=job.firm_id)
    with transaction.atomic():
        if not ImportJob.objects.select_for_update().filter(pk=job.pk, status__in=ENDED,
                                                             started_at__isnull=False).exists():
            return False
        undo, created = ImportUndo.objects.get_or_create(job=job, defaults={"requested_by": actor.user})
        if not created and not ImportUndo.objects.filter(
            pk=job.pk, status__in=[ImportUndo.Status.FAILED, ImportUndo.Status.CANCELLED]
        ).update(status=ImportUndo.Status.QUEUED, cancel_requested=False, error="", finished_at=None,
                 notified_at=None, requested_by=actor.user):
            return False
    logger.info("Undo of import #%s asked for by %s.", job.pk, actor.user.email)
    if enqueue:
        from imports.tasks import run_undo_job

        transaction.on_commit(lambda: run_undo_job.enqueue(job.pk))
    return True


def undo_cancel(job: ImportJob, *, actor) -> bool:
    """Asks a queued or running undo to stop after its current batch; what was undone so far
    stays undone, and asking again goes on from there."""
    require(actor, IMPORT, firm=job.firm_id)
    with transaction.atomic():
        asked = ImportUndo.objects.filter(
            pk=job.pk, status__in=[ImportUndo.Status.QUEUED, ImportUndo.Status.RUNNING], cancel_requested=False,
        ).update(cancel_requested=True)
        ImportUndo.objects.filter(pk=job.pk, status=ImportUndo.Status.QUEUED).update(
            status=ImportUndo.Status.CANCELLED, finished_at=timezone.now())
    return bool(asked)


def undo_requeue_interrupted(*, actor, silent_for) -> list[ImportUndo]:
    """Running undos whose worker stopped (no batch for `silent_for`) go back to the queue;
    their next run goes on after the last committed batch. Maintenance only."""
    require(actor, MAINTENANCE)
    from imports.tasks import run_undo_job

    stale = ImportUndo.objects.filter(status=ImportUndo.Status.RUNNING).filter(
        Q(heartbeat_at__lt=timezone.now() - silent_for) | Q(heartbeat_at__isnull=True))
    requeued = []
    for undo in stale:
        if ImportUndo.objects.filter(pk=undo.pk, status=ImportUndo.Status.RUNNING, run_token=undo.run_token,
                                     heartbeat_at=undo.heartbeat_at).update(
                status=ImportUndo.Status.QUEUED, run_token=F("run_token") + 1):
            run_undo_job.enqueue(undo.pk)
            requeued.append(undo)
    return requeued


# --- What an undo would do --------------------------------------------------------------------

def _chunks(ids: Iterable[int], size: int = ID_CHUNK):
    ids = sorted(ids)
    for start in range(0, len(ids), size):
        yield ids[start:start + size]


def _ended_at(job: ImportJob):
    return job.finished_at or timezone.now()


class _Conflicts:
    """The records the undo keeps, by kind and id, with a name and the first reason found."""

    def __init__(self):
        self.found: dict[tuple[str, int], str] = {}

    def add(self, kind: str, ids: Iterable[int], reason: str) -> None:
        for pk in ids:
            self.found.setdefault((kind, pk), reason)

    def ids(self, kind: str) -> set[int]:
        return {pk for found_kind, pk in self.found if found_kind == kind}

    def as_list(self) -> list[dict]:
        names = {
            "account": _names(Account, self.ids("account"), lambda a: a.name),
            "contact": _names(Contact, self.ids("contact"), lambda c: str(c)),
            "tag": _names(Tag, self.ids("tag"), lambda t: t.name),
            "custom_field": _names(CustomField, self.ids("custom_field"), lambda f: f.name),
            "role": _names(AccountRole, self.ids("role"), lambda r: r.name),
        }
        rows = [{"kind": kind, "id": pk, "name": names[kind].get(pk, f"#{pk}"), "reason": reason}
                for (kind, pk), reason in self.found.items()]
        order = {"account": 0, "contact": 1, "tag": 2, "custom_field": 3, "role": 4}
        return sorted(rows, key=lambda row: (order[row["kind"]], row["name"].casefold(), row["id"]))


def _names(model, ids: set[int], name: Callable) -> dict[int, str]:
    names = {}
    for chunk in _chunks(ids):
        names.update((obj.pk, name(obj)) for obj in model.objects.filter(pk__in=chunk))
    return names


@dataclass
class _Log:
    """This import's change log, read once: which existing records it touched and how."""

    accounts: set[int] = field(default_factory=set)
    contacts: set[int] = field(default_factory=set)
    rows: int = 0
    fields: set = field(default_factory=set)  # (model, id, field)
    tag_adds: list = field(default_factory=list)  # (model, id, tag id)
    assignments: list = field(default_factory=list)  # account ids, one per assignee or role row
    role_rows: list = field(default_factory=list)  # (account id, role id, member set)
    link_adds: list = field(default_factory=list)  # (account id, contact id)
    switch_rows: list = field(default_factory=list)  # (account id, contact id, switches set)
    created: dict = field(default_factory=lambda: defaultdict(list))  # model -> ids


def _read_log(job: ImportJob) -> _Log:
    log = _Log()
    rows = ImportChange.objects.filter(job=job).values_list("model", "object_id", "action", "field", "new_value")
    for model, object_id, action, name, new in rows.iterator(chunk_size=5_000):
        if action == ImportChange.Action.CREATE:
            log.created[model].append(object_id)
            continue
        log.rows += 1
        if model in ACCOUNT_LOG:
            log.accounts.add(object_id)
        else:
            log.contacts.add(object_id)
        if model in ("account", "contact"):
            log.fields.add((model, object_id, name))
        elif model in ("account_tag", "contact_tag"):
            log.tag_adds.append((model, object_id, int(name)))
        elif model == "account_assignee":
            log.assignments.append(object_id)
        elif model == "account_role":
            log.assignments.append(object_id)
            log.role_rows.append((object_id, int(name), new))
        elif model == "account_contact" and action == ImportChange.Action.ADD:
            log.link_adds.append((int(name), object_id))
        elif model == "account_contact":
            log.switch_rows.append((int(name), object_id, new))
    return log


def _later_imports(job: ImportJob):
    """The firm's other imports that ran after this one started and were not undone."""
    if job.started_at is None:
        return ImportJob.objects.none()
    return (ImportJob.objects.filter(firm_id=job.firm_id, started_at__gte=job.started_at).exclude(pk=job.pk)
            .exclude(undo__status=ImportUndo.Status.DONE))


def _later_touches(job: ImportJob) -> tuple[dict[int, int], dict[int, int]]:
    """Accounts and contacts a later import changed, each with that import's number."""
    accounts, contacts = {}, {}
    rows = ImportChange.objects.filter(job__in=_later_imports(job)).exclude(action=ImportChange.Action.CREATE)
    for model, object_id, name, job_id in rows.values_list("model", "object_id", "field", "job_id").iterator(
            chunk_size=5_000):
        if model in ACCOUNT_LOG:
            accounts.setdefault(object_id, job_id)
        elif model in CONTACT_LOG:
            contacts.setdefault(object_id, job_id)
            if model == "account_contact":
                accounts.setdefault(int(name), job_id)
    return accounts, contacts


def _other_relations(model, job: ImportJob) -> Iterable[tuple[int, str]]:
    """Records created by the import that other parts of the product hang things on."""
    for rel in model._meta.related_objects:
        if rel.related_model in OWN_RELATIONS or rel.related_model is model:
            continue
        if rel.many_to_many and rel.through in OWN_RELATIONS:
            continue
        label = rel.related_model._meta.verbose_name_plural
        ids = (rel.related_model._base_manager.filter(**{f"{rel.field.name}__created_by_import": job})
               .values_list(rel.field.name, flat=True).distinct())
        for pk in ids:
            yield pk, f"has {label}"


def _find_conflicts(job: ImportJob, log: _Log, created_accounts: set[int],
                    created_contacts: set[int]) -> _Conflicts:
    conflicts = _Conflicts()
    ended = _ended_at(job)
    edited = "edited after the import"
    conflicts.add("account", Account.objects.filter(created_by_import=job, updated_at__gt=ended)
                  .values_list("pk", flat=True), edited)
    conflicts.add("contact", Contact.objects.filter(created_by_import=job, updated_at__gt=ended)
                  .values_list("pk", flat=True), edited)
    for chunk in _chunks(log.accounts):
        conflicts.add("account", Account.objects.filter(pk__in=chunk, updated_at__gt=ended)
                      .values_list("pk", flat=True), edited)
    for chunk in _chunks(log.contacts):
        conflicts.add("contact", Contact.objects.filter(pk__in=chunk, updated_at__gt=ended)
                      .values_list("pk", flat=True), edited)

    later_accounts, later_contacts = _later_touches(job)
    for kind, later, mine in (("account", later_accounts, created_accounts | log.accounts),
                              ("contact", later_contacts, created_contacts | log.contacts)):
        for pk in mine & later.keys():
            conflicts.add(kind, [pk], f"changed by import #{later[pk]}")

    # A link put on a record after the import (by hand, or by a later import that created its
    # other end, which its change log does not list) is someone's work on that record.
    conflicts.add("account", AccountContact.objects.filter(account__created_by_import=job, created_at__gt=ended)
                  .values_list("account_id", flat=True), "a contact was put on it after the import")
    conflicts.add("contact", AccountContact.objects.filter(contact__created_by_import=job, created_at__gt=ended)
                  .values_list("contact_id", flat=True), "was put on an account after the import")
    # A merge after the import moves the merged account's people onto the account that stays
    # (crm/merging.py), keeping the links' dates: the people it moved are someone's work now.
    survivors = set(AccountEvent.objects.filter(firm_id=job.firm_id, kind="merged", created_at__gt=ended)
                    .values_list("account_id", flat=True))
    for chunk in _chunks(survivors):
        conflicts.add("contact", AccountContact.objects.filter(account_id__in=chunk, contact__created_by_import=job)
                      .values_list("contact_id", flat=True), "its account was merged with another after the import")
    people = (AccountEvent.objects.filter(account__created_by_import=job)
              .exclude(actor_kind=AccountEvent.Actor.SYSTEM).values_list("account_id", flat=True).distinct())
    conflicts.add("account", people, "has history entries by people")
    conflicts.add("account", AccountContact.objects.filter(
        account__created_by_import=job, invitation=AccountContact.Invitation.ACCEPTED,
    ).values_list("account_id", flat=True), "a client signed in to its portal")
    conflicts.add("contact", Contact.objects.filter(created_by_import=job, portal_user__isnull=False)
                  .values_list("pk", flat=True), "has a portal login")
    for model, kind in ((Account, "account"), (Contact, "contact")):
        for pk, reason in _other_relations(model, job):
            conflicts.add(kind, [pk], reason)

    # Links and roles carry no updated_at: what they hold now tells whether someone changed them.
    switches = {(a, c): tuple(new or ()) for a, c, new in log.switch_rows}
    for chunk in _chunks({c for _, c in switches}):
        for a, c, *now in AccountContact.objects.filter(contact_id__in=chunk).values_list(
                "account_id", "contact_id", "login", "notify", "email_sync"):
            if (a, c) in switches and tuple(now) != switches[(a, c)]:
                conflicts.add("contact", [c], "its portal switches were changed after the import")
    roles = {(a, r): member for a, r, member in log.role_rows}
    for chunk in _chunks({a for a, _ in roles}):
        for a, r, member in AccountRoleAssignment.objects.filter(account_id__in=chunk).values_list(
                "account_id", "role_id", "member_id"):
            if (a, r) in roles and member != roles[(a, r)]:
                conflicts.add("account", [a], "its roles were changed after the import")
    return conflicts


def _kept_definitions(job: ImportJob, log: _Log, conflicts: _Conflicts, gone_accounts: set[int],
                      gone_contacts: set[int]) -> None:
    """Tags, custom fields and roles the import created stay while a record that stays holds
    them (a person or a later import put them there, or a kept record has them)."""
    kept_accounts, kept_contacts = conflicts.ids("account"), conflicts.ids("contact")
    undone_tags = {(model, pk, tag) for model, pk, tag in log.tag_adds
                   if pk not in (kept_accounts if model == "account_tag" else kept_contacts)}
    tags = set(log.created["tag"])
    for through, column, model, gone in ((Account.tags.through, "account_id", "account_tag", gone_accounts),
                                         (Contact.tags.through, "contact_id", "contact_tag", gone_contacts)):
        for chunk in _chunks(tags):
            for pk, tag in through.objects.filter(tag_id__in=chunk).values_list(column, "tag_id").iterator():
                if pk not in gone and (model, pk, tag) not in undone_tags:
                    conflicts.add("tag", [tag], "used by records that stay")
    restored = {(model, pk, name) for model, pk, name in log.fields}
    for field_id in log.created["custom_field"]:
        for model, kind, gone in ((Account, "account", gone_accounts), (Contact, "contact", gone_contacts)):
            holders = model.objects.filter(firm_id=job.firm_id, custom_values__has_key=str(field_id))
            for pk in holders.values_list("pk", flat=True).iterator():
                kept = pk in (kept_accounts if kind == "account" else kept_contacts)
                if pk not in gone and (kept or (kind, pk, f"custom:{field_id}") not in restored):
                    conflicts.add("custom_field", [field_id], "holds values of records that stay")
    undone_roles = {(a, r) for a, r, _ in log.role_rows if a not in kept_accounts}
    for chunk in _chunks(log.created["account_role"]):
        for a, r in AccountRoleAssignment.objects.filter(role_id__in=chunk).values_list("account_id", "role_id"):
            if a not in gone_accounts and (a, r) not in undone_roles:
                conflicts.add("role", [r], "held on accounts that stay")


# What an invitation the import queued on a link that existed before may have become, short of
# accepted (an accepted one is a client who signed in: that record is kept, see above).
WITHDRAWN = (AccountContact.Invitation.QUEUED, AccountContact.Invitation.INVITED, AccountContact.Invitation.FAILED)


def _invited_links(job: ImportJob, skip_accounts: set[int], skip_contacts: set[int]) -> list[int]:
    """Links of records that stay, on which the import queued a portal invitation (the writer
    marks them `queued_by_import`; links it created go with their records)."""
    rows = AccountContact.objects.filter(queued_by_import=job.pk, invitation__in=WITHDRAWN).values_list(
        "pk", "account_id", "contact_id")
    return [pk for pk, account, contact in rows.iterator() if account not in skip_accounts
            and contact not in skip_contacts]


def plan_undo(job: ImportJob) -> UndoPlan:
    """What undoing `job` would remove, restore and keep, in a bounded number of queries (the
    change log and the created records are read in chunks, never loaded as model objects)."""
    log = _read_log(job)
    created_accounts = set(Account.objects.filter(firm_id=job.firm_id, created_by_import=job)
                           .values_list("pk", flat=True))
    created_contacts = set(Contact.objects.filter(firm_id=job.firm_id, created_by_import=job)
                           .values_list("pk", flat=True))
    conflicts = _find_conflicts(job, log, created_accounts, created_contacts)
    kept_accounts, kept_contacts = conflicts.ids("account"), conflicts.ids("contact")
    gone_accounts, gone_contacts = created_accounts - kept_accounts, created_contacts - kept_contacts
    _kept_definitions(job, log, conflicts, gone_accounts, gone_contacts)

    links = set(AccountContact.objects.filter(account__created_by_import=job).values_list("account_id", "contact_id"))
    links |= set(AccountContact.objects.filter(contact__created_by_import=job).values_list("account_id", "contact_id"))
    removed_links = {(a, c) for a, c in links if a in gone_accounts or c in gone_contacts}
    removed_links |= {(a, c) for a, c in log.link_adds if a not in kept_accounts and c not in kept_contacts}

    settled_accounts, settled_contacts = created_accounts | kept_accounts, created_contacts | kept_contacts

    def undone(model_kind: str, pk: int) -> bool:
        return pk not in (kept_accounts if model_kind.startswith("account") else kept_contacts)

    counts = {
        "accounts_removed": len(gone_accounts),
        "contacts_removed": len(gone_contacts),
        "links_removed": len(removed_links),
        "tags_removed": len(set(log.created["tag"]) - conflicts.ids("tag")),
        "custom_fields_removed": len(set(log.created["custom_field"]) - conflicts.ids("custom_field")),
        "roles_removed": len(set(log.created["account_role"]) - conflicts.ids("role")),
        "fields_restored": sum(1 for model, pk, _ in log.fields if undone(model, pk)),
        "tags_restored": sum(1 for model, pk, _ in log.tag_adds if undone(model, pk)),
        "assignments_restored": sum(1 for a in log.assignments if a not in kept_accounts),
        # (A link of a record the import created goes with it: switches the import changed on it
        # in a later batch are not restored, the link is removed.)
        "switches_restored": sum(1 for a, c, _ in log.switch_rows if a not in settled_accounts
                                 and c not in settled_contacts),
        "invitations_withdrawn": len(_invited_links(job, kept_accounts | gone_accounts,
                                                    kept_contacts | gone_contacts)),
        "conflicts": len(conflicts.found),
    }
    units = len(created_accounts) + len(created_contacts) + log.rows + 1
    return UndoPlan(counts=counts, conflicts=conflicts.as_list(), units=units)


# --- The run ----------------------------------------------------------------------------------

def run_undo(job_id: int) -> ImportUndo:
    """Runs (or goes on with) a queued undo to the end. Called by the worker and the CLI."""
    now = timezone.now()
    claimed = ImportUndo.objects.filter(pk=job_id, status=ImportUndo.Status.QUEUED, cancel_requested=False).update(
        status=ImportUndo.Status.RUNNING, run_token=F("run_token") + 1, heartbeat_at=now,
        started_at=Coalesce("started_at", now),
    )
    undo = ImportUndo.objects.select_related("job__firm", "requested_by").get(pk=job_id)
    if not claimed:
        return undo
    try:
        if not undo.planned:
            plan = plan_undo(undo.job)
            _claimed(undo).update(counts=plan.counts, conflicts=plan.conflicts, units_total=plan.units, planned=True)
            undo.refresh_from_db()
        finished = _Run(undo).run()
    except ClaimLost:
        logger.warning("The undo of import #%s was taken over by another worker; this one stops.", job_id)
        undo.refresh_from_db()
        return undo
    except Exception as exc:
        logger.exception("The undo of import #%s failed", job_id)
        _claimed(undo).update(status=ImportUndo.Status.FAILED, finished_at=timezone.now(), error=(
            f"The undo stopped because of an unexpected error ({type(exc).__name__}); what was undone so far stays "
            "undone, and undoing again goes on from there."))
        undo.refresh_from_db()
        return undo
    status = ImportUndo.Status.DONE if finished else ImportUndo.Status.CANCELLED
    _claimed(undo).update(status=status, finished_at=timezone.now())
    undo.refresh_from_db()
    logger.info("Import #%s: undo %s.", job_id, undo.status)
    return undo


def _claimed(undo: ImportUndo):
    return ImportUndo.objects.filter(pk=undo.pk, run_token=undo.run_token)


class _Run:
    """The undo's batches, phase after phase, from the checkpoint on."""

    def __init__(self, undo: ImportUndo):
        self.undo = undo
        self.job = undo.job
        kept = defaultdict(set)
        for row in undo.conflicts:
            kept[row["kind"]].add(row["id"])
        self.kept = kept

    def run(self) -> bool:
        checkpoint = self.undo.checkpoint or {}
        phase_index = PHASES.index(checkpoint.get("phase", PHASES[0]))
        after = checkpoint.get("after")
        for phase in PHASES[phase_index:]:
            step = getattr(self, f"_{phase}")
            while True:
                if ImportUndo.objects.filter(pk=self.undo.pk, cancel_requested=True).exists():
                    return False
                with transaction.atomic():
                    firm_import_lock(self.job.firm_id)
                    done = step(after)
                    if done is None:
                        next_phase = PHASES.index(phase) + 1
                        self._checkpoint({"phase": PHASES[next_phase]} if next_phase < len(PHASES) else
                                         {"phase": phase, "done": True}, 0)
                        break
                    after, units = done
                    self._checkpoint({"phase": phase, "after": after}, units)
            after = None
        return True

    def _checkpoint(self, checkpoint: dict, units: int) -> None:
        if not _claimed(self.undo).update(checkpoint=checkpoint, units_done=F("units_done") + units,
                                          heartbeat_at=timezone.now()):
            raise ClaimLost(f"The undo of import #{self.job.pk} was taken over by another worker.")

    def _created(self, model, kept: set[int], after):
        ids = list(model.objects.filter(firm_id=self.job.firm_id, created_by_import=self.job, pk__gt=after or 0)
                   .order_by("pk").values_list("pk", flat=True)[:BATCH])
        if not ids:
            return None
        doomed = [pk for pk in ids if pk not in kept]
        for chunk in _chunks(doomed):
            model.objects.filter(pk__in=chunk).delete()
        return ids[-1], len(ids)

    def _contacts(self, after):
        return self._created(Contact, self.kept["contact"], after)

    def _accounts(self, after):
        return self._created(Account, self.kept["account"], after)

    def _changes(self, after):
        rows = ImportChange.objects.filter(job=self.job).exclude(action=ImportChange.Action.CREATE)
        if after is not None:
            rows = rows.filter(pk__lt=after)
        batch = list(rows.order_by("-pk").values_list("pk", "model", "object_id", "action", "field",
                                                      "old_value", "new_value")[:BATCH])
        if not batch:
            return None
        _undo_changes(batch, self.kept["account"], self.kept["contact"])
        return batch[-1][0], len(batch)

    def _definitions(self, after):
        if after is not None:
            return None
        created = defaultdict(list)
        for model, pk in ImportChange.objects.filter(job=self.job, action=ImportChange.Action.CREATE).values_list(
                "model", "object_id"):
            created[model].append(pk)
        for model, kind, name in ((Tag, "tag", "tag"), (CustomField, "custom_field", "custom_field"),
                                  (AccountRole, "role", "account_role")):
            doomed = [pk for pk in created[name] if pk not in self.kept[kind]]
            for chunk in _chunks(doomed):
                model.objects.filter(firm_id=self.job.firm_id, pk__in=chunk).delete()
        # An invitation the import queued on a link that existed before is withdrawn as a revoke
        # does (`crm.invitations.invitation_revoke`): its mailed link stops working.
        for chunk in _chunks(_invited_links(self.job, self.kept["account"], self.kept["contact"])):
            AccountContact.objects.filter(pk__in=chunk, invitation__in=WITHDRAWN).update(
                invitation=AccountContact.Invitation.NOT_INVITED, invited_at=None, invitation_error="",
                invitation_attempts=0, queued_by_import=None)
        return 0, 1


def _undo_changes(batch: list[tuple], kept_accounts: set[int], kept_contacts: set[int]) -> None:
    """Undoes a batch of change-log rows, newest first: where a record was changed twice, the
    oldest value is the one that stays."""
    fields = {"account": defaultdict(dict), "contact": defaultdict(dict)}
    pairs = defaultdict(list)
    for _, model, object_id, action, name, old, new in batch:
        if object_id in (kept_accounts if model in ACCOUNT_LOG else kept_contacts):
            continue
        if model in ("account", "contact"):
            fields[model][object_id][name] = old
        elif model == "account_tag":
            pairs[(Account.tags.through, "account_id", "tag_id")].append((object_id, int(name)))
        elif model == "contact_tag":
            pairs[(Contact.tags.through, "contact_id", "tag_id")].append((object_id, int(name)))
        elif model == "account_assignee":
            pairs[(Account.assignees.through, "account_id", "membership_id")].append((object_id, int(name)))
        elif model == "account_role" and action == ImportChange.Action.ADD:
            AccountRoleAssignment.objects.filter(account_id=object_id, role_id=int(name), member_id=new).delete()
        elif model == "account_role":
            AccountRoleAssignment.objects.filter(account_id=object_id, role_id=int(name), member_id=new).update(
                member_id=old)
        elif model == "account_contact" and int(name) in kept_accounts:
            continue
        elif model == "account_contact" and action == ImportChange.Action.ADD:
            pairs[(AccountContact, "account_id", "contact_id")].append((int(name), object_id))
        elif model == "account_contact":
            login, notify, email_sync = old
            AccountContact.objects.filter(account_id=int(name), contact_id=object_id).update(
                login=login, notify=notify, email_sync=email_sync)
    for (model, first, second), rows in pairs.items():
        _delete_pairs(model, first, second, rows)
    _restore_fields(Account, fields["account"])
    _restore_fields(Contact, fields["contact"])


def _delete_pairs(model, first: str, second: str, rows: list[tuple[int, int]]) -> None:
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        cursor.executemany(f"DELETE FROM {quote(model._meta.db_table)} WHERE {quote(first)} = %s "
                           f"AND {quote(second)} = %s", rows)


def _restore_fields(model, changes: dict[int, dict]) -> None:
    """Puts back the values the change log holds (`custom:<id>` names a custom value: None,
    it had none), with the keys derived from them, in one bulk update."""
    if not changes:
        return
    objects, names = [], {"updated_at"}
    now = timezone.now()
    for chunk in _chunks(changes):
        for record in model.objects.filter(pk__in=chunk):
            for name, old in changes[record.pk].items():
                if name.startswith("custom:"):
                    key = name.removeprefix("custom:")
                    values = dict(record.custom_values)
                    if old is None:
                        values.pop(key, None)
                    else:
                        values[key] = old
                    record.custom_values = values
                    names.add("custom_values")
                    continue
                model_field = model._meta.get_field(name)
                if old is None and not model_field.null:
                    old = [] if name in ("additional_emails", "phones") else ""
                setattr(record, name, model_field.to_python(old))
                names.add(name)
            if model is Account:
                record.name_key = account_name_key(record.name)
                names.add("name_key")
            else:
                record.email_key = normalize_email_key(record.email) or None
                record.name_key = contact_name_key(record.first_name, record.last_name)
                names.update({"email_key", "name_key"})
            record.updated_at = now
            objects.append(record)
    model.objects.bulk_update(objects, sorted(names), batch_size=500)
