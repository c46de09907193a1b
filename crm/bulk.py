"""Bulk actions of the client lists (docs/crm-rules.md, "Client lists and bulk actions").

Each action takes its actor (EDIT_CLIENTS, checked here) and a queryset of the records chosen
on a list: the ticked rows or every record matching the list's filter, which may be a whole
firm of 200,000 accounts. The records are never loaded at once: the queryset is walked by
primary key, CHUNK ids at a time, and each chunk is written and committed on its own, so a
long action holds no lock for long and what it did so far stays done. Running an action twice
changes nothing more (tags and assignees are sets, type and status are values).
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Iterator

from django.db import transaction
from django.utils import timezone

from crm.locks import firm_import_lock
from crm.models import Account, ClientDeletion, Contact, ListKind, Membership, Tag
from crm.permissions import EDIT_CLIENTS, require

logger = logging.getLogger("crm.actions")

CHUNK = 1000


def id_chunks(records, size: int = CHUNK) -> Iterator[list[int]]:
    """The records' ids in ascending chunks of `size`, each read by one query that starts after
    the last id of the previous one (keyset paging: memory stays one chunk, whatever the count)."""
    ids = records.order_by("pk").values_list("pk", flat=True)
    last = 0
    while True:
        chunk = list(ids.filter(pk__gt=last)[:size])
        if not chunk:
            return
        yield chunk
        last = chunk[-1]


def _scoped(actor, records, model):
    """The records of the actor's firm only, after the rights check (another firm's never)."""
    require(actor, EDIT_CLIENTS)
    return records.filter(firm_id=actor.firm_id).order_by().select_related(None).prefetch_related(None)


def _same_firm(actor, items: Iterable, what: str) -> list:
    items = list(items)
    if any(item.firm_id != actor.firm_id for item in items):
        raise ValueError(f"Those {what} belong to another firm.")
    return items


def _add_m2m(through, owner_field: str, other_field: str, chunk: list[int], others: list[int]) -> None:
    rows = [through(**{owner_field: pk, other_field: other}) for pk in chunk for other in others]
    through.objects.bulk_create(rows, ignore_conflicts=True, batch_size=CHUNK)


def _touch(model, chunk: list[int], **fields) -> int:
    return model.objects.filter(pk__in=chunk).update(updated_at=timezone.now(), **fields)


def _each_chunk(actor, records, model, write, *, touch: bool = True) -> int:
    """Runs `write` on each chunk of ids in its own transaction; `touch` sets the records'
    updated time (a write that updates the records' own row sets it itself)."""
    count = 0
    for chunk in id_chunks(_scoped(actor, records, model)):
        with transaction.atomic():
            written = write(chunk)
            count += _touch(model, chunk) if touch else written
    return count


def tags_add(*, actor: Membership, records, tags: Iterable[Tag]) -> int:
    """Adds the tags to every account (or contact) of `records`; returns how many."""
    model = records.model
    tag_ids = [tag.pk for tag in _same_firm(actor, tags, "tags")]
    through, owner = model.tags.through, f"{model._meta.model_name}_id"
    count = _each_chunk(actor, records, model, lambda chunk: _add_m2m(through, owner, "tag_id", chunk, tag_ids))
    logger.info("Tags %s added to %s %s of %s by %s.", tag_ids, count, model._meta.verbose_name_plural,
                actor.firm.slug, actor.user.email)
    return count


def tags_remove(*, actor: Membership, records, tags: Iterable[Tag]) -> int:
    """Takes the tags off every account (or contact) of `records`; returns how many."""
    model = records.model
    tag_ids = [tag.pk for tag in _same_firm(actor, tags, "tags")]
    through, owner = model.tags.through, f"{model._meta.model_name}_id"
    count = _each_chunk(actor, records, model, lambda chunk: through.objects.filter(
        **{f"{owner}__in": chunk}, tag_id__in=tag_ids).delete())
    logger.info("Tags %s removed from %s %s of %s by %s.", tag_ids, count, model._meta.verbose_name_plural,
                actor.firm.slug, actor.user.email)
    return count


def accounts_set_assignees(*, actor: Membership, accounts, members: Iterable[Membership]) -> int:
    """Makes `members` the assignees of every account of `accounts` (replacing the ones they had)."""
    member_ids = [member.pk for member in _same_firm(actor, members, "team members")]
    through = Account.assignees.through

    def write(chunk):
        through.objects.filter(account_id__in=chunk).exclude(membership_id__in=member_ids).delete()
        _add_m2m(through, "account_id", "membership_id", chunk, member_ids)

    count = _each_chunk(actor, accounts, Account, write)
    logger.info("Assignees of %s accounts of %s set to %s by %s.", count, actor.firm.slug, member_ids,
                actor.user.email)
    return count


def accounts_set_type(*, actor: Membership, accounts, type: str) -> int:
    if type not in Account.Type.values:
        raise ValueError(f'"{type}" is not an account type.')
    count = _each_chunk(actor, accounts, Account, lambda chunk: _touch(Account, chunk, type=type), touch=False)
    logger.info("Type of %s accounts of %s set to %s by %s.", count, actor.firm.slug, type, actor.user.email)
    return count


def accounts_set_status(*, actor: Membership, accounts, status: str) -> int:
    if status not in Account.Status.values:
        raise ValueError(f'"{status}" is not an account status.')
    count = _each_chunk(actor, accounts, Account, lambda chunk: _touch(Account, chunk, status=status), touch=False)
    logger.info("Status of %s accounts of %s set to %s by %s.", count, actor.firm.slug, status, actor.user.email)
    return count


def accounts_delete(*, actor: Membership, accounts) -> ClientDeletion:
    """Deletes the accounts with everything that hangs off them (contact links, roles, history,
    portal documents and their files); their contacts stay. Cannot be undone: the returned
    ClientDeletion records who deleted how many, when, and the first names."""
    accounts = _scoped(actor, accounts, Account)
    names = list(accounts.order_by("name_key", "pk").values_list("name", flat=True)[:ClientDeletion.NAMES_KEPT])
    return _delete(actor, accounts, Account, ListKind.ACCOUNTS, names)


def contacts_delete(*, actor: Membership, contacts) -> ClientDeletion:
    """Deletes the contacts (and their links to accounts); the accounts stay. Cannot be undone."""
    contacts = _scoped(actor, contacts, Contact)
    names = [str(contact) for contact in contacts.order_by("last_name", "first_name", "email", "pk")
             .only("first_name", "middle_name", "last_name", "email")[:ClientDeletion.NAMES_KEPT]]
    return _delete(actor, contacts, Contact, ListKind.CONTACTS, names)


def _delete(actor, records, model, kind: str, names: list[str]) -> ClientDeletion:
    # Written first and counted up chunk by chunk: should the action stop half-way, the record
    # still says what was deleted.
    record = ClientDeletion.objects.create(firm_id=actor.firm_id, list_kind=kind, count=0, names=names,
                                           actor_user=actor.user, actor_name=actor.display_name)
    for chunk in id_chunks(records):
        with transaction.atomic():
            firm_import_lock(actor.firm_id)  # an import's batch and a deletion take turns
            files = _document_files(model, chunk)
            deleted = model.objects.filter(pk__in=chunk).delete()[1].get(model._meta.label, 0)
            ClientDeletion.objects.filter(pk=record.pk).update(count=record.count + deleted)
            record.count += deleted
            transaction.on_commit(lambda files=files: _remove_files(files))
    logger.info("%s %s of %s deleted by %s.", record.count, kind, actor.firm.slug, actor.user.email)
    return record


def _document_files(model, ids: list[int]) -> list:
    """The stored files of the accounts' portal documents, removed once their rows are gone.
    Reached through the reverse relation: the CRM does not import the portal."""
    relation = model._meta.fields_map.get("documents")
    if relation is None:
        return []
    documents = relation.related_model
    storage = documents._meta.get_field("file").storage
    return [(storage, name) for name in documents.objects.filter(account_id__in=ids).values_list("file", flat=True)]


def _remove_files(files) -> None:
    for storage, name in files:
        storage.delete(name)
