"""/api/v1/accounts, /contacts, /tags, /custom-fields: the client lists and records.

Reads go through crm/selectors.py (scoped by the token's firm: another firm's id is a 404);
writes through the CRM's own forms (the same cleaning of emails, phones, dates and tax IDs as
the pages and the import) and crm/services.py (the rights check with `actor=`)."""

from __future__ import annotations

import datetime
import hashlib
import json
import unicodedata
from typing import Any, Literal

from django.db import IntegrityError
from django.http import HttpResponse
from ninja import Header, Query, Router, Schema, Status

from api.auth import READ, WRITE
from api.errors import ApiError, responses
from api.pagination import DEFAULT_LIMIT, MAX_LIMIT, paginate
from crm import selectors, services
from crm.forms.accounts import AccountForm
from crm.forms.contacts import ContactForm
from crm.forms.custom_fields import custom_field_name
from crm.models import Account, Contact, CustomField, Tag
from crm.permissions import EDIT_CLIENTS, require

router = Router(tags=["clients"], auth=READ)

ACCOUNT_TEXT = ("name", "type", "company_name", "client_id", "status", "street", "city", "state", "postal_code",
                "country")
CONTACT_TEXT = ("prefix", "first_name", "middle_name", "last_name", "suffix", "email", "street", "city", "state",
                "postal_code", "country", "notes")


# --- Output ---------------------------------------------------------------------------------


class AccountOut(Schema):
    id: int
    name: str
    type: str
    company_name: str
    client_id: str
    status: str
    street: str
    city: str
    state: str
    postal_code: str
    country: str
    tax_id_masked: str
    tags: list[str]
    assignees: list[str]
    custom_fields: dict[str, Any]
    contact_count: int
    created_by_import: int | None
    created_at: datetime.datetime
    updated_at: datetime.datetime


class ContactOut(Schema):
    id: int
    prefix: str
    first_name: str
    middle_name: str
    last_name: str
    suffix: str
    email: str
    additional_emails: list[str]
    phones: list[str]
    street: str
    city: str
    state: str
    postal_code: str
    country: str
    date_of_birth: datetime.date | None
    tax_id_masked: str
    notes: str
    tags: list[str]
    custom_fields: dict[str, Any]
    account_ids: list[int]
    created_by_import: int | None
    created_at: datetime.datetime
    updated_at: datetime.datetime


class AccountPage(Schema):
    items: list[AccountOut]
    next_cursor: str | None


class ContactPage(Schema):
    items: list[ContactOut]
    next_cursor: str | None


class TagOut(Schema):
    id: int
    name: str


class CustomFieldOut(Schema):
    id: int
    name: str
    applies_to: str
    field_type: str
    options: list[Any]


def _custom_names(firm, applies_to: str) -> dict[str, str]:
    return {field.value_key: field.name for field in selectors.custom_fields(firm=firm, applies_to=applies_to)}


def account_out(account: Account, names: dict[str, str]) -> dict:
    return {
        **{name: getattr(account, name) for name in ACCOUNT_TEXT},
        "id": account.pk, "tax_id_masked": account.tax_id_masked,
        "tags": sorted(tag.name for tag in account.tags.all()),
        "assignees": sorted(member.user.email for member in account.assignees.all()),
        "custom_fields": {names[key]: value for key, value in account.custom_values.items() if key in names},
        "contact_count": getattr(account, "contact_count", None) if hasattr(account, "contact_count")
        else account.contact_links.count(),
        "created_by_import": account.created_by_import_id,
        "created_at": account.created_at, "updated_at": account.updated_at,
    }


def contact_out(contact: Contact, names: dict[str, str]) -> dict:
    return {
        **{name: getattr(contact, name) for name in CONTACT_TEXT},
        "id": contact.pk, "additional_emails": list(contact.additional_emails), "phones": list(contact.phones),
        "date_of_birth": contact.date_of_birth, "tax_id_masked": contact.tax_id_masked,
        "tags": sorted(tag.name for tag in contact.tags.all()),
        "custom_fields": {names[key]: value for key, value in contact.custom_values.items() if key in names},
        "account_ids": sorted(account.pk for account in contact.accounts.all()),
        "created_by_import": contact.created_by_import_id,
        "created_at": contact.created_at, "updated_at": contact.updated_at,
    }


def etag(data: dict) -> str:
    """A strong validator of the representation: it changes whenever anything shown changes."""
    text = json.dumps(data, sort_keys=True, default=str)
    return '"' + hashlib.sha256(text.encode()).hexdigest()[:32] + '"'


def _with_etag(response: HttpResponse, data: dict) -> dict:
    response["ETag"] = etag(data)
    return data


def _check_if_match(if_match: str | None, current: dict) -> None:
    if if_match is None:
        return
    tags = {value.strip() for value in if_match.split(",")}
    if "*" not in tags and etag(current) not in tags and f"W/{etag(current)}" not in tags:
        raise ApiError(412, "precondition_failed",
                       "The record changed since you read it (If-Match does not match its ETag); read it again.",
                       details={"etag": etag(current)})


def _import_filter(firm, value: int | None):
    return None if value is None else selectors.access_import_job(firm, value)


# --- Reads ----------------------------------------------------------------------------------


@router.get("/accounts", response=responses({200: AccountPage}), summary="Accounts, newest first")
def account_list(request, q: str = Query("", max_length=200), tag: int | None = None,
                 type: Literal["individual", "company", "other"] | None = None,
                 status: Literal["active", "inactive"] | None = None, import_id: int | None = Query(None, alias="import"),
                 cursor: str | None = None, limit: int = Query(DEFAULT_LIMIT, ge=1, le=MAX_LIMIT)):
    """Filters as the accounts page: `q` (name, company, client ID, a contact's name or email),
    `tag` (a tag id), `type`, `status`, `import` (created by that import)."""
    firm = request.actor.firm
    accounts = selectors.account_list(firm=firm, query=q.strip(), tag_id=tag, account_type=type or "",
                                      status=status or "", import_job=_import_filter(firm, import_id))
    rows, next_cursor = paginate(accounts, cursor=cursor, limit=limit)
    names = _custom_names(firm, CustomField.AppliesTo.ACCOUNT)
    return {"items": [account_out(account, names) for account in rows], "next_cursor": next_cursor}


@router.get("/accounts/{account_id}", response=responses({200: AccountOut}), summary="An account")
def account_detail(request, response: HttpResponse, account_id: int):
    firm = request.actor.firm
    account = selectors.account_detail(firm=firm, pk=account_id)
    return _with_etag(response, account_out(account, _custom_names(firm, CustomField.AppliesTo.ACCOUNT)))


@router.get("/contacts", response=responses({200: ContactPage}), summary="Contacts, newest first")
def contact_list(request, q: str = Query("", max_length=200), tag: int | None = None,
                 import_id: int | None = Query(None, alias="import"),
                 cursor: str | None = None, limit: int = Query(DEFAULT_LIMIT, ge=1, le=MAX_LIMIT)):
    """Filters as the contacts page: `q` (name, email, account name, word by word), `tag`, `import`."""
    firm = request.actor.firm
    contacts = selectors.contact_list(firm=firm, query=q.strip(), tag_id=tag, import_job=_import_filter(firm, import_id))
    rows, next_cursor = paginate(contacts, cursor=cursor, limit=limit)
    names = _custom_names(firm, CustomField.AppliesTo.CONTACT)
    return {"items": [contact_out(contact, names) for contact in rows], "next_cursor": next_cursor}


@router.get("/contacts/{contact_id}", response=responses({200: ContactOut}), summary="A contact")
def contact_detail(request, response: HttpResponse, contact_id: int):
    firm = request.actor.firm
    contact = selectors.contact_detail(firm=firm, pk=contact_id)
    return _with_etag(response, contact_out(contact, _custom_names(firm, CustomField.AppliesTo.CONTACT)))


@router.get("/tags", response=responses({200: list[TagOut]}), summary="The firm's tags")
def tag_list(request):
    return list(Tag.objects.filter(firm=request.actor.firm).order_by("name").values("id", "name"))


@router.get("/custom-fields", response=responses({200: list[CustomFieldOut]}), summary="The firm's custom fields")
def custom_field_list(request, applies_to: Literal["account", "contact"] | None = None):
    fields = CustomField.objects.filter(firm=request.actor.firm).order_by("applies_to", "name")
    if applies_to:
        fields = fields.filter(applies_to=applies_to)
    return [{"id": f.pk, "name": f.name, "applies_to": f.applies_to, "field_type": f.field_type,
             "options": list(f.options or [])} for f in fields]


# --- Writes ---------------------------------------------------------------------------------


class AccountIn(Schema):
    name: str | None = None
    type: Literal["individual", "company", "other"] | None = None
    company_name: str | None = None
    client_id: str | None = None
    status: Literal["active", "inactive"] | None = None
    street: str | None = None
    city: str | None = None
    state: str | None = None
    postal_code: str | None = None
    country: str | None = None
    tax_id: str | None = None
    tags: list[str] | None = None
    assignees: list[str] | None = None
    custom_fields: dict[str, Any] | None = None
    # On create only: an individual's person (the account is named after them when `name` is empty).
    first_name: str | None = None
    last_name: str | None = None


class AccountUpdate(AccountIn):
    mode: Literal["overwrite", "additive"] = "overwrite"


class ContactIn(Schema):
    prefix: str | None = None
    first_name: str | None = None
    middle_name: str | None = None
    last_name: str | None = None
    suffix: str | None = None
    email: str | None = None
    additional_emails: list[str] | None = None
    phones: list[str] | None = None
    street: str | None = None
    city: str | None = None
    state: str | None = None
    postal_code: str | None = None
    country: str | None = None
    date_of_birth: str | None = None
    tax_id: str | None = None
    notes: str | None = None
    tags: list[str] | None = None
    custom_fields: dict[str, Any] | None = None
    # On create only: put the new contact on this account of the firm.
    account_id: int | None = None


class ContactUpdate(ContactIn):
    mode: Literal["overwrite", "additive"] = "overwrite"


def _current(form) -> dict:
    """The form's data for what the record holds now: an update changes only what it names."""
    data = {}
    for name, field in form.fields.items():
        value = form[name].value()
        if isinstance(value, (list, tuple)):
            data[name] = [str(item.pk if hasattr(item, "pk") else item) for item in value]
        elif value is None:
            data[name] = ""
        elif isinstance(value, bool):
            data[name] = "true" if value else "false"
        else:
            data[name] = value
    return data


def _blank(value) -> bool:
    return value in (None, "", [], {})


def _merge(data: dict, name: str, value, *, additive: bool) -> None:
    """Overwrite: the given value replaces. Additive (as an additive import): a value fills only
    an empty field, and list fields (tags, assignees, emails, phones) gain the new items."""
    if isinstance(value, list) and additive:
        current = data.get(name) or []
        if isinstance(current, str):
            current = [line for line in current.splitlines() if line.strip()]
        data[name] = [*current, *[item for item in value if item not in current]]
    elif not additive or _blank(data.get(name)):
        data[name] = value


def _tag_ids(firm, names: list[str]) -> list[str]:
    names = [" ".join(str(name).split()) for name in names]
    if any(not name for name in names):
        raise ApiError(422, "invalid_request", "A tag name cannot be empty.", details={"field": "tags"})
    # What the forms' text fields refuse too (Django's ProhibitNullCharactersValidator): no
    # database stores a NUL in text, and a lone surrogate is not UTF-8.
    unusable = [name for name in names if any(unicodedata.category(ch) in ("Cc", "Cs") for ch in name)]
    if unusable:
        raise ApiError(422, "invalid_request", "A tag name cannot contain control characters or invalid text.",
                       details={"field": "tags", "invalid": [name.encode("utf-8", "backslashreplace").decode()
                                                              for name in unusable]})
    return [str(tag.pk) for tag in services.tags_get_or_create(firm=firm, names=names)]


def _assignee_ids(firm, emails: list[str]) -> list[str]:
    members = {m.user.email.casefold(): m for m in selectors.active_members(firm=firm).select_related("user")}
    unknown = [email for email in emails if str(email).casefold() not in members]
    if unknown:
        raise ApiError(422, "invalid_request", "Assignees must be active team members of the firm (by email).",
                       details={"field": "assignees", "unknown": unknown})
    return [str(members[str(email).casefold()].pk) for email in emails]


def _custom_data(form, values: dict[str, Any]) -> dict:
    by_name = {field.name.casefold(): field for field in form.custom_field_rows}
    unknown = [name for name in values if name.casefold() not in by_name]
    if unknown:
        raise ApiError(422, "invalid_request", "Unknown custom fields (see GET /custom-fields).",
                       details={"field": "custom_fields", "unknown": unknown})
    data = {}
    for name, value in values.items():
        field = by_name[name.casefold()]
        if isinstance(value, bool):
            value = "true" if value else "false"
        data[custom_field_name(field)] = "" if value is None else str(value)
    return data


def _form_data(form, body: Schema, *, additive: bool) -> dict:
    """The form's data: what the record holds, with the body's fields applied (tags by name,
    assignees by email, custom fields by name, lists as the form's one-per-line text)."""
    firm = form.firm
    data = _current(form)
    given = body.dict(exclude_unset=True)
    given.pop("mode", None)
    given.pop("account_id", None)
    if "tags" in given:
        given["tags"] = _tag_ids(firm, given["tags"] or [])
    if "assignees" in given:
        given["assignees"] = _assignee_ids(firm, given["assignees"] or [])
    custom = given.pop("custom_fields", None) or {}
    for name, value in given.items():
        if name in form.fields:
            _merge(data, name, value if value is not None else "", additive=additive)
    for name, value in _custom_data(form, custom).items():
        _merge(data, name, value, additive=additive)
    for name in ("additional_emails", "phones"):
        if isinstance(data.get(name), list):
            data[name] = "\n".join(data[name])
    return data


def _invalid(form) -> ApiError:
    errors = {field: [str(message) for message in messages] for field, messages in form.errors.items()}
    first = next(iter(errors.values()))[0] if errors else "The data is not valid."
    return ApiError(422, "invalid_request", first, details=errors)


@router.post("/accounts", auth=WRITE, response=responses({201: AccountOut}), summary="Create an account")
def account_create(request, response: HttpResponse, body: AccountIn):
    actor = request.actor
    require(actor, EDIT_CLIENTS)
    form = AccountForm(firm=actor.firm)
    form = AccountForm(_form_data(form, body, additive=False), firm=actor.firm)
    if not form.is_valid():
        raise _invalid(form)
    account = services.account_create(actor=actor, tags=form.cleaned_data["tags"],
                                      assignees=form.cleaned_data["assignees"],
                                      folder_template=form.chosen_folder_template(), person=form.person(),
                                      roles=form.chosen_roles(), **form.account_fields())
    account = selectors.account_detail(firm=actor.firm, pk=account.pk)
    return Status(201, _with_etag(response, account_out(account, _custom_names(actor.firm, CustomField.AppliesTo.ACCOUNT))))


@router.patch("/accounts/{account_id}", auth=WRITE, response=responses({200: AccountOut}, 412),
              summary="Update an account (overwrite or additive)")
def account_update(request, response: HttpResponse, account_id: int, body: AccountUpdate,
                   if_match: str | None = Header(None, alias="If-Match")):
    """Only the fields sent change. `mode: additive` (as an additive import): a value only fills
    an empty field, tags and assignees are added to the ones held. Send the `ETag` of your read
    as `If-Match`: if the account changed since, the answer is 412 and nothing is written."""
    actor = request.actor
    require(actor, EDIT_CLIENTS)
    firm = actor.firm
    names = _custom_names(firm, CustomField.AppliesTo.ACCOUNT)
    account = selectors.account_detail(firm=firm, pk=account_id)
    _check_if_match(if_match, account_out(account, names))
    form = AccountForm(firm=firm, account=account)
    form = AccountForm(_form_data(form, body, additive=body.mode == "additive"), firm=firm, account=account)
    if not form.is_valid():
        raise _invalid(form)
    services.account_update(actor=actor, account=account, tags=form.cleaned_data["tags"],
                            assignees=form.cleaned_data["assignees"], roles=form.chosen_roles(),
                            **form.account_fields())
    account = selectors.account_detail(firm=firm, pk=account.pk)
    return _with_etag(response, account_out(account, names))


@router.post("/contacts", auth=WRITE, response=responses({201: ContactOut}), summary="Create a contact")
def contact_create(request, response: HttpResponse, body: ContactIn):
    actor = request.actor
    require(actor, EDIT_CLIENTS)
    firm = actor.firm
    account = selectors.access_account(firm, body.account_id) if body.account_id is not None else None
    form = ContactForm(firm=firm)
    form = ContactForm(_form_data(form, body, additive=False), firm=firm)
    if not form.is_valid():
        raise _invalid(form)
    try:
        contact = services.contact_create(actor=actor, tags=form.cleaned_data["tags"], account=account,
                                          **form.contact_fields())
    except IntegrityError as exc:
        raise ApiError(409, "conflict", "Another contact already has this email address.") from exc
    contact = selectors.contact_detail(firm=firm, pk=contact.pk)
    return Status(201, _with_etag(response, contact_out(contact, _custom_names(firm, CustomField.AppliesTo.CONTACT))))


@router.patch("/contacts/{contact_id}", auth=WRITE, response=responses({200: ContactOut}, 409, 412),
              summary="Update a contact (overwrite or additive)")
def contact_update(request, response: HttpResponse, contact_id: int, body: ContactUpdate,
                   if_match: str | None = Header(None, alias="If-Match")):
    """As the account's update: only the fields sent change; `mode: additive` fills empty fields
    and adds tags, emails and phones; `If-Match` guards against overwriting someone's change."""
    actor = request.actor
    require(actor, EDIT_CLIENTS)
    firm = actor.firm
    names = _custom_names(firm, CustomField.AppliesTo.CONTACT)
    contact = selectors.contact_detail(firm=firm, pk=contact_id)
    _check_if_match(if_match, contact_out(contact, names))
    form = ContactForm(firm=firm, contact=contact)
    form = ContactForm(_form_data(form, body, additive=body.mode == "additive"), firm=firm, contact=contact)
    if not form.is_valid():
        raise _invalid(form)
    try:
        services.contact_update(actor=actor, contact=contact, tags=form.cleaned_data["tags"], **form.contact_fields())
    except IntegrityError as exc:
        raise ApiError(409, "conflict", "Another contact already has this email address.") from exc
    contact = selectors.contact_detail(firm=firm, pk=contact.pk)
    return _with_etag(response, contact_out(contact, names))
