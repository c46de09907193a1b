"""Custom fields in bulk (Settings > Custom fields): how many records use each field, deleting
several at once, and merging one field into another (docs/crm-rules.md, "Custom fields").

A value lives in the record's `custom_values` JSON under the field's id (`CustomField.value_key`),
so "used by" is a `has_key` lookup (a JSON key test on SQLite and PostgreSQL alike), and a merge
moves values between two keys of the same records.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field

from django.db import transaction
from django.db.models import Count, Q

from crm import services
from crm.models import Account, Contact, CustomField, Membership
from crm.permissions import MANAGE_FIRM, require

logger = logging.getLogger("crm.actions")

MERGE_BATCH = 500
CONFLICTS_LISTED = 50


def _model(applies_to: str):
    return Account if applies_to == CustomField.AppliesTo.ACCOUNT else Contact


def custom_field_usage(fields: list[CustomField]) -> dict[int, int]:
    """How many records hold a value of each field: one query per kind of record (accounts,
    contacts), counting every field of that kind in the same pass over the firm's records."""
    usage: dict[int, int] = {}
    for applies_to in (CustomField.AppliesTo.ACCOUNT, CustomField.AppliesTo.CONTACT):
        mine = [f for f in fields if f.applies_to == applies_to]
        if not mine:
            continue
        counts = _model(applies_to).objects.filter(firm_id=mine[0].firm_id).aggregate(**{
            f"f{f.pk}": Count("pk", filter=Q(custom_values__has_key=f.value_key)) for f in mine
        })
        usage.update({f.pk: counts[f"f{f.pk}"] or 0 for f in mine})
    return usage


def custom_fields_delete(*, actor: Membership, fields: list[CustomField]) -> int:
    """Deletes the fields (of the actor's firm) and every value stored in them. Returns how many."""
    require(actor, MANAGE_FIRM)
    fields = [f for f in fields if f.firm_id == actor.firm_id]
    with transaction.atomic():
        for f in fields:
            services.custom_field_delete(field=f)
    logger.info("Custom fields %s of %s deleted by %s.", ", ".join(f.name for f in fields), actor.firm.slug,
                actor.user.email)
    return len(fields)


class MergeRefused(ValueError):
    """The two fields cannot be merged; str() says why, for the person who asked."""


@dataclass
class Conflict:
    record: str  # the account's or contact's name
    source_value: object
    target_value: object


@dataclass
class MergeResult:
    source: str
    target: str
    moved: int = 0  # values moved into the target, which had none
    same: int = 0  # records whose target held the same value already
    conflict_count: int = 0  # records whose target held another value: the target's is kept
    conflicts: list[Conflict] = field(default_factory=list)  # the first CONFLICTS_LISTED of them


def _empty(value) -> bool:
    return value is None or value == "" or value == []


def _as_text(value) -> str:
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if isinstance(value, list):
        return ", ".join(str(v) for v in value)
    return str(value)


def check_merge(source: CustomField, target: CustomField) -> None:
    """Raises MergeRefused unless `source`'s values can move into `target`."""
    if source.pk == target.pk:
        raise MergeRefused("Choose two different fields: a field cannot be merged into itself.")
    if source.firm_id != target.firm_id:
        raise MergeRefused("Both fields must belong to your firm.")
    if source.applies_to != target.applies_to:
        raise MergeRefused(f"“{source.name}” is a field of {source.get_applies_to_display().lower()} and "
                           f"“{target.name}” of {target.get_applies_to_display().lower()}: only fields of the "
                           "same records can be merged.")
    if source.field_type != target.field_type and target.field_type != CustomField.Type.TEXT:
        raise MergeRefused(f"“{source.name}” holds {source.get_field_type_display()} values and “{target.name}” "
                           f"{target.get_field_type_display()} values: merge into a field of the same type, or into "
                           "a Text field.")


def custom_field_merge(*, actor: Membership, source: CustomField, target: CustomField,
                       dry_run: bool = False) -> MergeResult:
    """Moves `source`'s values into `target` and deletes `source`.

    A record whose target is empty gets the source's value; one whose target holds a value
    keeps it (a conflict, listed in the result; an equal value is no conflict). Values moved
    into a Text field from another type are written as text; a dropdown target gains the
    source's options it lacks. With `dry_run`, only counts: nothing is written."""
    require(actor, MANAGE_FIRM, firm=source.firm_id)
    check_merge(source, target)
    result = MergeResult(source=source.name, target=target.name)
    skey, tkey = source.value_key, target.value_key
    to_text = source.field_type != target.field_type
    model = _model(source.applies_to)
    records = model.objects.filter(firm_id=source.firm_id, custom_values__has_key=skey).order_by("pk")
    with transaction.atomic():
        changed = []
        for record in records.iterator(chunk_size=MERGE_BATCH):
            values = dict(record.custom_values)
            value = values.pop(skey)
            current = values.get(tkey)
            if _empty(value):
                pass
            elif _empty(current):
                values[tkey] = _as_text(value) if to_text else value
                result.moved += 1
            elif current == value or (to_text and current == _as_text(value)):
                result.same += 1
            else:
                result.conflict_count += 1
                if len(result.conflicts) < CONFLICTS_LISTED:
                    result.conflicts.append(Conflict(str(record), value, current))
            if not dry_run:
                record.custom_values = values
                changed.append(record)
                if len(changed) >= MERGE_BATCH:
                    model.objects.bulk_update(changed, ["custom_values"])
                    changed = []
        if dry_run:
            return result
        if changed:
            model.objects.bulk_update(changed, ["custom_values"])
        if target.field_type == CustomField.Type.DROPDOWN and not to_text:
            missing = [o for o in source.options if o not in target.options]
            if missing:
                target.options = [*target.options, *missing]
                target.save(update_fields=["options"])
        source.delete()
    logger.info("Custom field %r merged into %r in %s by %s: %s moved, %s conflicts kept the target's value.",
                result.source, result.target, actor.firm.slug, actor.user.email, result.moved, result.conflict_count)
    return result
