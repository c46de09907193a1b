"""What happened, told to the firm's endpoints: each event becomes one delivery per active
endpoint subscribed to it, sent by the worker (webhooks.sending). Callers emit after their
commit (`transaction.on_commit`), so an event never announces something rolled back.

`account.created` comes one event per account made by hand, and in batches of up to
ACCOUNT_BATCH accounts after an import: a 200,000-row import is 400 deliveries, not 200,000.
"""

from __future__ import annotations

import logging
import uuid

from django.db import transaction
from django.utils import timezone

from crm.models import Account, Firm
from webhooks.models import PING, Delivery, Endpoint, ImportAnnouncement

logger = logging.getLogger(__name__)

IMPORT_FINISHED = "import.finished"
IMPORT_FAILED = "import.failed"
ACCOUNT_CREATED = "account.created"
ACCOUNT_BATCH = 500


def subscribed(firm: Firm, event: str) -> list[Endpoint]:
    # In Python: a firm has a handful of endpoints, and SQLite has no JSON "contains".
    return [endpoint for endpoint in Endpoint.objects.filter(firm=firm, active=True) if event in endpoint.events]


def envelope(*, event: str, event_id: uuid.UUID, firm: Firm, data: dict) -> dict:
    return {"id": str(event_id), "type": event, "created_at": timezone.now().isoformat(), "firm": firm.slug,
            "data": data}


def emit(*, firm: Firm, event: str, data: dict, endpoints: list[Endpoint] | None = None) -> list[Delivery]:
    """Records one delivery of the event per endpoint (the firm's subscribed active endpoints
    unless given) and queues each; returns them. No endpoint, no row."""
    from webhooks.sending import schedule

    endpoints = subscribed(firm, event) if endpoints is None else endpoints
    if not endpoints:
        return []
    event_id = uuid.uuid4()
    payload = envelope(event=event, event_id=event_id, firm=firm, data=data)
    with transaction.atomic():
        deliveries = Delivery.objects.bulk_create(
            [Delivery(endpoint=endpoint, event=event, event_id=event_id, payload=payload) for endpoint in endpoints]
        )
        for delivery in deliveries:
            schedule(delivery)
    return deliveries


def ping(endpoint: Endpoint) -> Delivery:
    return emit(firm=endpoint.firm, event=PING, endpoints=[endpoint],
                data={"endpoint": endpoint.url, "message": "A test ping from Clientport."})[0]


# --- The events of the CRM and the import ----------------------------------------------------


def account_summary(pk: int, name: str, client_id: str) -> dict:
    return {"id": pk, "name": name, "client_id": client_id}


def account_created(account: Account) -> list[Delivery]:
    """An account made by hand (crm.services.account_create): one event of one account."""
    return emit(firm=account.firm, event=ACCOUNT_CREATED,
                data={"accounts": [account_summary(account.pk, account.name, account.client_id)], "import": None})


def import_ended(job) -> list[Delivery]:
    """`import.finished` (finished or cancelled: `status` says which) or `import.failed`, with
    the CLI's `--json` result; then the accounts the run created, in batches."""
    from imports.models import ImportJob
    from imports.report import job_result

    deliveries = []
    if job.status in (ImportJob.Status.FINISHED, ImportJob.Status.CANCELLED, ImportJob.Status.FAILED):
        event = IMPORT_FAILED if job.status == ImportJob.Status.FAILED else IMPORT_FINISHED
        data = {**job_result(job), "file": job.original_name, "error": job.error}
        deliveries += emit(firm=job.firm, event=event, data=data)
    return deliveries + accounts_created_by_import(job)


def accounts_created_by_import(job) -> list[Delivery]:
    """The import's new accounts not announced yet (a resumed import's earlier run announced its
    own), ACCOUNT_BATCH per event, in the order they were made."""
    endpoints = subscribed(job.firm, ACCOUNT_CREATED)
    if not endpoints:
        return []
    deliveries = []
    with transaction.atomic():
        mark, _ = ImportAnnouncement.objects.select_for_update().get_or_create(job=job)
        new = (Account.objects.filter(created_by_import=job, pk__gt=mark.up_to_account_id)
               .order_by("pk").values_list("pk", "name", "client_id"))
        batch = []
        for row in new.iterator(chunk_size=2000):
            batch.append(account_summary(*row))
            if len(batch) == ACCOUNT_BATCH:
                deliveries += _announce(job, batch, endpoints)
                batch = []
        if batch:
            deliveries += _announce(job, batch, endpoints)
        if deliveries:
            mark.up_to_account_id = deliveries[-1].payload["data"]["accounts"][-1]["id"]
            mark.save(update_fields=["up_to_account_id"])
    return deliveries


def _announce(job, accounts: list[dict], endpoints: list[Endpoint]) -> list[Delivery]:
    return emit(firm=job.firm, event=ACCOUNT_CREATED, data={"accounts": accounts, "import": job.pk},
                endpoints=endpoints)
