"""Merging two accounts that are one client (docs/crm-rules.md, "Merging accounts").

The survivor keeps its id, its page and `created_by_import`; the other account's fields are
taken where the user chose them, everything that hangs off it moves over, and the other account
is deleted. `merge_fields` and `merge_summary` are what the comparison page shows;
`crm.services.account_merge` is the door that writes, through `merge_accounts` here.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from dataclasses import dataclass, field

from django.db import transaction

from crm import history
from crm.locks import firm_import_lock
from crm.models import Account, AccountContact, AccountEvent, AccountRoleAssignment, CustomField, Membership
from crm.permissions import EDIT_CLIENTS, require

logger = logging.getLogger("crm.actions")

SURVIVOR = "survivor"
OTHER = "other"
SIDES = (SURVIVOR, OTHER)

ADDRESS_FIELDS = ("street", "city", "state", "postal_code", "country")
# (choice key, label, the model fields chosen together). The address is one block: a street of
# one account with the city of the other would be nobody's address.
PLAIN_FIELDS = [
    ("name", "Name", ("name",)),
    ("type", "Type", ("type",)),
    ("company_name", "Company name", ("company_name",)),
    ("client_id", "Client ID", ("client_id",)),
    ("status", "Status", ("status",)),
    ("tax_id", "EIN / tax ID", ("tax_id",)),
    ("address", "Address", ADDRESS_FIELDS),
]
CUSTOM_PREFIX = "custom_"
ROLE_PREFIX = "role_"

# How far a contact link's invitation has got: a contact on both accounts keeps the link that
# got further, so an accepted invitation is never set back to "invited".
INVITATION_RANK = {
    AccountContact.Invitation.NOT_INVITED: 0,
    AccountContact.Invitation.FAILED: 0,
    AccountContact.Invitation.QUEUED: 1,
    AccountContact.Invitation.INVITED: 1,
    AccountContact.Invitation.ACCEPTED: 2,
}
SWITCHES = ("login", "notify", "email_sync")


def is_empty(value) -> bool:
    if isinstance(value, tuple):
        return all(is_empty(part) for part in value)
    return value is None or value == "" or value == []


@dataclass(frozen=True)
class MergeField:
    """One choice of the merge: a field, an address, a custom value or a role's holder, with
    both accounts' values (a role's value is the holding Membership, or None)."""

    key: str
    label: str
    survivor_value: object
    other_value: object
    kind: str = "field"  # "field", "address", "custom" or "role"

    @property
    def differs(self) -> bool:
        return self.survivor_value != self.other_value

    @property
    def default(self) -> str:
        """The survivor's value, unless it is empty and the other account has one."""
        if is_empty(self.survivor_value) and not is_empty(self.other_value):
            return OTHER
        return SURVIVOR


@dataclass
class MergeSummary:
    """What moves from the other account to the survivor."""

    contacts_moved: int = 0  # links to contacts the survivor did not have
    contacts_combined: int = 0  # contacts on both accounts: one link kept
    tags: int = 0
    assignees: int = 0
    folders: int = 0
    history_entries: int = 0
    roles: list[str] = field(default_factory=list)  # roles whose holder comes from the other account

    def as_details(self) -> dict:
        return {
            "contacts_moved": self.contacts_moved, "contacts_combined": self.contacts_combined, "tags": self.tags,
            "assignees": self.assignees, "folders": self.folders, "history_entries": self.history_entries,
            "roles": self.roles,
        }


def merge_fields(survivor: Account, other: Account) -> list[MergeField]:
    """Every choice of a merge of `other` into `survivor`, differing or not, in page order:
    the account's fields, the address, the custom values either holds, the roles either has."""
    fields = [
        MergeField(key, label, _values(survivor, names), _values(other, names),
                   kind="address" if key == "address" else "field")
        for key, label, names in PLAIN_FIELDS
    ]
    custom_keys = [key for key in {**survivor.custom_values, **other.custom_values}
                   if not (is_empty(survivor.custom_values.get(key)) and is_empty(other.custom_values.get(key)))]
    labels = {f.value_key: f.name for f in CustomField.objects.filter(
        firm_id=survivor.firm_id, applies_to=CustomField.AppliesTo.ACCOUNT)}
    # The firm's fields in name order; values of a deleted field (not shown anywhere) last.
    custom_keys.sort(key=lambda key: (key not in labels, labels.get(key, "").casefold(), key))
    fields += [
        MergeField(CUSTOM_PREFIX + key, labels.get(key, f"Custom field #{key}"), survivor.custom_values.get(key),
                   other.custom_values.get(key), kind="custom")
        for key in custom_keys
    ]
    held = _holders(survivor), _holders(other)
    roles = {**{a.role_id: a.role for a in held[0].values()}, **{a.role_id: a.role for a in held[1].values()}}
    for role in sorted(roles.values(), key=lambda role: role.name.casefold()):
        mine, theirs = held[0].get(role.pk), held[1].get(role.pk)
        fields.append(MergeField(ROLE_PREFIX + str(role.pk), f"{role.name} (role)", mine.member if mine else None,
                                 theirs.member if theirs else None, kind="role"))
    return fields


def _values(account: Account, names: tuple[str, ...]):
    if len(names) == 1:
        return getattr(account, names[0])
    return tuple(getattr(account, name) for name in names)


def _holders(account: Account) -> dict[int, AccountRoleAssignment]:
    assignments = AccountRoleAssignment.objects.filter(account=account).select_related("role", "member__user")
    return {assignment.role_id: assignment for assignment in assignments}


def merge_summary(survivor: Account, other: Account, sides: Mapping[str, str] | None = None) -> MergeSummary:
    """What a merge of `other` into `survivor` would move, counted before anything is written;
    the roles with `sides` chosen (by default, the defaults)."""
    fields = merge_fields(survivor, other)
    sides = resolve_choices(fields, sides or {})
    on_survivor = set(survivor.contact_links.values_list("contact_id", flat=True))
    on_other = set(other.contact_links.values_list("contact_id", flat=True))
    return MergeSummary(
        contacts_moved=len(on_other - on_survivor),
        contacts_combined=len(on_other & on_survivor),
        tags=other.tags.exclude(pk__in=survivor.tags.all()).count(),
        assignees=other.assignees.exclude(pk__in=survivor.assignees.all()).count(),
        folders=len(_new_folders(survivor, other)),
        history_entries=AccountEvent.objects.filter(account=other).count(),
        roles=[f.label for f in fields if f.kind == "role" and f.differs and sides[f.key] == OTHER],
    )


def _new_folders(survivor: Account, other: Account) -> list[str]:
    seen = set(survivor.folders)
    return [path for path in other.folders if not (path in seen or seen.add(path))]


def resolve_choices(fields: list[MergeField], choices: Mapping[str, str]) -> dict[str, str]:
    """Each field's winning side: the user's choice, else the default. Refuses (ValueError) a
    choice of a field these accounts do not have, or a side other than survivor / other."""
    by_key = {f.key: f for f in fields}
    for key, side in choices.items():
        if key not in by_key:
            raise ValueError(f"“{key}” is not a field of these accounts, so there is nothing to choose for it.")
        if side not in SIDES:
            raise ValueError(f"Choose whose {by_key[key].label} to keep: “{SURVIVOR}” or “{OTHER}”, not “{side}”.")
    return {f.key: choices.get(f.key, f.default) for f in fields}


@dataclass(frozen=True)
class MergeResult:
    survivor: Account
    event: AccountEvent
    summary: MergeSummary
    taken_from_other: list[str]  # labels of the fields whose value came from the other account


@transaction.atomic
def merge_accounts(*, actor: Membership, survivor: Account, other: Account,
                   choices: Mapping[str, str] | None = None) -> MergeResult:
    """Merges `other` into `survivor` in one transaction and deletes `other`; see the module."""
    require(actor, EDIT_CLIENTS, firm=survivor.firm_id)
    require(actor, EDIT_CLIENTS, firm=other.firm_id)
    if survivor.pk == other.pk:
        raise ValueError("An account cannot be merged with itself: choose another account.")
    # An import's batch plans against what exists: let a batch under way finish first.
    firm_import_lock(actor.firm_id)
    survivor, other = _lock(actor, survivor, other)
    fields = merge_fields(survivor, other)
    sides = resolve_choices(fields, choices or {})
    summary = merge_summary(survivor, other, sides)
    taken = [f.label for f in fields if f.differs and sides[f.key] == OTHER]
    _take_fields(survivor, other, fields, sides)
    _take_roles(survivor, other, fields, sides)
    _move_contact_links(survivor, other)
    survivor.tags.add(*other.tags.all())
    survivor.assignees.add(*other.assignees.all())
    survivor.folders = [*survivor.folders, *_new_folders(survivor, other)]
    survivor.save()
    _move_what_hangs_off(survivor, other)
    gone = {"id": other.pk, "name": other.name, "client_id": other.client_id}
    other.delete()
    label = f"“{gone['name']}” (#{gone['id']})"
    event = history.record(
        account=survivor, kind="merged", actor=actor, summary=f"Merged {label} into this account",
        details={"merged_account": gone, "taken_from_merged": taken, "moved": summary.as_details()},
    )
    logger.info("Account #%s merged into account #%s by %s.", gone["id"], survivor.pk, actor.user.email)
    return MergeResult(survivor=survivor, event=event, summary=summary, taken_from_other=taken)


def _lock(actor: Membership, survivor: Account, other: Account) -> tuple[Account, Account]:
    """Both accounts as they are now, locked; refuses when one is gone (merged meanwhile)."""
    locked = {a.pk: a for a in Account.objects.select_for_update().filter(firm_id=actor.firm_id,
                                                                         pk__in=[survivor.pk, other.pk])}
    for account in (survivor, other):
        if account.pk not in locked:
            raise ValueError(f"“{account.name}” no longer exists: it was merged or deleted meanwhile.")
    return locked[survivor.pk], locked[other.pk]


def _take_fields(survivor: Account, other: Account, fields: list[MergeField], sides: dict[str, str]) -> None:
    names = {key: model_fields for key, _, model_fields in PLAIN_FIELDS}
    custom = dict(survivor.custom_values)
    for f in fields:
        winner = other if sides[f.key] == OTHER else survivor
        if f.kind in ("field", "address"):
            for name in names[f.key]:
                setattr(survivor, name, getattr(winner, name))
        elif f.kind == "custom":
            key = f.key.removeprefix(CUSTOM_PREFIX)
            value = winner.custom_values.get(key)
            if is_empty(value):
                custom.pop(key, None)
            else:
                custom[key] = value
    survivor.custom_values = custom


def _take_roles(survivor: Account, other: Account, fields: list[MergeField], sides: dict[str, str]) -> None:
    for f in fields:
        if f.kind != "role":
            continue
        role_id = int(f.key.removeprefix(ROLE_PREFIX))
        member = f.other_value if sides[f.key] == OTHER else f.survivor_value
        if member is None:
            AccountRoleAssignment.objects.filter(account=survivor, role_id=role_id).delete()
        else:
            AccountRoleAssignment.objects.update_or_create(account=survivor, role_id=role_id,
                                                           defaults={"member": member})
    AccountRoleAssignment.objects.filter(account=other).delete()


def _move_contact_links(survivor: Account, other: Account) -> None:
    """The other account's contacts join the survivor. A contact on both keeps one link: the
    one whose invitation got further (so its invitation state and anything tied to that link
    stay as they are), with each portal switch on if it was on in either link."""
    mine = {link.contact_id: link for link in AccountContact.objects.filter(account=survivor)}
    for theirs in AccountContact.objects.filter(account=other, contact_id__in=list(mine)):
        ours = mine[theirs.contact_id]
        keep, drop = (theirs, ours) if INVITATION_RANK[theirs.invitation] > INVITATION_RANK[ours.invitation] \
            else (ours, theirs)
        for switch in SWITCHES:
            setattr(keep, switch, getattr(ours, switch) or getattr(theirs, switch))
        drop.delete()  # first: (account, contact) is unique
        keep.account = survivor
        keep.save(update_fields=["account", *SWITCHES])
    AccountContact.objects.filter(account=other).update(account=survivor)


def _move_what_hangs_off(survivor: Account, other: Account) -> None:
    """Moves to the survivor every other record that points at the other account, before it is
    deleted (its foreign keys cascade): its history entries, so the other account's history
    lives on in the survivor's, and its portal documents (`portal.Document`, through the reverse
    relation: the CRM does not import the portal), each in the same folder path, which the
    survivor has too once the folders are merged."""
    AccountEvent.objects.filter(account=other).update(account=survivor)
    other.documents.update(account=survivor)
