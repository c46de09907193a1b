"""Write paths of the CRM. Views, the importer, commands and tests all change data through
these functions (keyword-only, atomic), never by saving models directly."""

from __future__ import annotations

from collections.abc import Iterable

from django.contrib.auth.tokens import default_token_generator
from django.db import transaction
from django.utils.http import urlsafe_base64_encode
from django.utils.encoding import force_bytes

from crm.models import (
    Account,
    AccountContact,
    AccountRole,
    AccountRoleAssignment,
    Contact,
    CustomField,
    Firm,
    FolderTemplate,
    Membership,
    Tag,
    User,
)
from crm.normalize import normalize_name_key

BUILTIN_TEMPLATE_NAME = "Default tax years"


@transaction.atomic
def firm_create(*, name: str, slug: str, owner: User, default_country: str = "US", date_order: str = "MDY") -> Firm:
    """A new firm with its owner and the built-in folder template as its default."""
    firm = Firm.objects.create(name=name, slug=slug, default_country=default_country, date_order=date_order)
    template = FolderTemplate.objects.create(firm=firm, name=BUILTIN_TEMPLATE_NAME, is_builtin=True)
    firm.default_folder_template = template
    firm.save(update_fields=["default_folder_template"])
    Membership.objects.create(firm=firm, user=owner, role=Membership.Role.OWNER)
    return firm


@transaction.atomic
def member_add(
    *, firm: Firm, email: str, full_name: str = "", role: str = Membership.Role.MEMBER, can_manage_contacts: bool = False
) -> Membership:
    """Adds a person to the firm's team, creating their user (without a password) if needed."""
    email = User.objects.normalize_email(email).lower()
    user = User.objects.filter(email__iexact=email).first()
    if user is None:
        user = User.objects.create_user(email=email, password=None, full_name=full_name)
    membership, created = Membership.objects.get_or_create(
        firm=firm, user=user, defaults={"role": role, "can_manage_contacts": can_manage_contacts}
    )
    if not created:
        membership.role = role
        membership.can_manage_contacts = can_manage_contacts
        membership.is_active = True
        membership.save(update_fields=["role", "can_manage_contacts", "is_active"])
    return membership


def member_update(*, membership: Membership, role: str, can_manage_contacts: bool) -> Membership:
    if membership.role == Membership.Role.OWNER and role != Membership.Role.OWNER:
        others = membership.firm.memberships.filter(role=Membership.Role.OWNER, is_active=True).exclude(pk=membership.pk)
        if not others.exists():
            raise ValueError("A firm must keep at least one owner.")
    membership.role = role
    membership.can_manage_contacts = can_manage_contacts
    membership.save(update_fields=["role", "can_manage_contacts"])
    return membership


def password_set_link(*, user: User, base_url: str) -> str:
    """A one-time link for a new team member to choose a password (Django's reset token)."""
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    token = default_token_generator.make_token(user)
    return f"{base_url.rstrip('/')}/password-reset/{uid}/{token}/"


def tag_get_or_create(*, firm: Firm, name: str) -> Tag:
    name = " ".join(name.split())
    tag = Tag.objects.filter(firm=firm, key=normalize_name_key(name)).first()
    return tag or Tag.objects.create(firm=firm, name=name)


def tags_get_or_create(*, firm: Firm, names: Iterable[str]) -> list[Tag]:
    return [tag_get_or_create(firm=firm, name=name) for name in names if name.strip()]


def custom_field_create(
    *, firm: Firm, applies_to: str, name: str, field_type: str = CustomField.Type.TEXT, options: list[str] | None = None
) -> CustomField:
    return CustomField.objects.create(
        firm=firm, applies_to=applies_to, name=" ".join(name.split()), field_type=field_type, options=options or []
    )


def account_role_get_or_create(*, firm: Firm, name: str) -> AccountRole:
    role = AccountRole.objects.filter(firm=firm, key=normalize_name_key(name)).first()
    return role or AccountRole.objects.create(firm=firm, name=" ".join(name.split()))


def folder_template_set_default(*, firm: Firm, template: FolderTemplate | None) -> None:
    if template is not None and template.firm_id != firm.pk:
        raise ValueError("That folder template belongs to another firm.")
    firm.default_folder_template = template
    firm.save(update_fields=["default_folder_template"])


def account_apply_folder_template(*, account: Account, template: FolderTemplate) -> list[str]:
    """Adds the template's folders the account does not have yet; returns the ones added."""
    new = [path for path in template.folder_paths() if path not in account.folders]
    if new:
        account.folders = [*account.folders, *new]
        account.save(update_fields=["folders", "updated_at"])
    return new


@transaction.atomic
def account_create(
    *,
    firm: Firm,
    name: str,
    type: str = Account.Type.INDIVIDUAL,
    company_name: str = "",
    client_id: str = "",
    tags: Iterable[Tag] = (),
    assignees: Iterable[Membership] = (),
    custom_values: dict | None = None,
    folder_template: FolderTemplate | None | str = "default",
    status: str = Account.Status.ACTIVE,
    street: str = "",
    city: str = "",
    state: str = "",
    postal_code: str = "",
    country: str = "",
    tax_id: str = "",
) -> Account:
    """Creates an account; new accounts get the firm's default folder template unless told
    otherwise (`folder_template=None` for none)."""
    if folder_template == "default":
        folder_template = firm.default_folder_template
    account = Account.objects.create(
        firm=firm, name=name.strip(), type=type, company_name=company_name, client_id=client_id,
        custom_values=custom_values or {},
        folders=folder_template.folder_paths() if folder_template is not None else [],
        status=status, street=street, city=city, state=state, postal_code=postal_code, country=country,
        tax_id=tax_id,
    )
    account.tags.set(list(tags))
    account.assignees.set(list(assignees))
    return account


def account_namesakes(*, account: Account) -> list[Account]:
    """Other accounts of the firm with the same name key: names are not unique (two clients
    may share one), so the pages say so rather than refuse."""
    return list(Account.objects.filter(firm_id=account.firm_id, name_key=account.name_key).exclude(pk=account.pk)
                .order_by("pk")[:10])


@transaction.atomic
def account_update(*, account: Account, tags: Iterable[Tag] | None = None, assignees=None, **fields) -> Account:
    for name, value in fields.items():
        setattr(account, name, value)
    account.save()
    if tags is not None:
        account.tags.set(list(tags))
    if assignees is not None:
        account.assignees.set(list(assignees))
    return account


def account_role_assign(*, account: Account, role: AccountRole, member: Membership) -> AccountRoleAssignment:
    if role.firm_id != account.firm_id or member.firm_id != account.firm_id:
        raise ValueError("Role, member and account must belong to the same firm.")
    assignment, _ = AccountRoleAssignment.objects.update_or_create(
        account=account, role=role, defaults={"member": member}
    )
    return assignment


@transaction.atomic
def contact_create(*, firm: Firm, tags: Iterable[Tag] = (), **fields) -> Contact:
    contact = Contact.objects.create(firm=firm, **fields)
    contact.tags.set(list(tags))
    return contact


@transaction.atomic
def contact_update(*, contact: Contact, tags: Iterable[Tag] | None = None, **fields) -> Contact:
    for name, value in fields.items():
        setattr(contact, name, value)
    contact.save()
    if tags is not None:
        contact.tags.set(list(tags))
    return contact


def contact_link(
    *, account: Account, contact: Contact, login: bool = False, notify: bool = False, email_sync: bool = False
) -> AccountContact:
    if account.firm_id != contact.firm_id:
        raise ValueError("Account and contact must belong to the same firm.")
    link, _ = AccountContact.objects.update_or_create(
        account=account, contact=contact, defaults={"login": login, "notify": notify, "email_sync": email_sync}
    )
    return link


# --- Firm settings (used by the settings pages) ----------------------------------------------


def firm_update(*, firm: Firm, name: str, default_country: str, date_order: str,
                individual_account_names: str = "", import_file_retention_days: int | None = None) -> Firm:
    """Empty or None leaves a setting as it is."""
    firm.name = name.strip()
    firm.default_country = default_country.upper()
    firm.date_order = date_order
    if individual_account_names:
        firm.individual_account_names = individual_account_names
    if import_file_retention_days is not None:
        firm.import_file_retention_days = import_file_retention_days
    firm.save(update_fields=["name", "default_country", "date_order", "individual_account_names",
                             "import_file_retention_days"])
    return firm


def member_deactivate(*, membership: Membership) -> Membership:
    """Takes a person off the team without deleting what they did (assignments stay)."""
    if membership.role == Membership.Role.OWNER:
        others = membership.firm.memberships.filter(role=Membership.Role.OWNER, is_active=True).exclude(pk=membership.pk)
        if not others.exists():
            raise ValueError("A firm must keep at least one owner.")
    membership.is_active = False
    membership.save(update_fields=["is_active"])
    return membership


def tag_rename(*, tag: Tag, name: str) -> Tag:
    name = " ".join(name.split())
    if Tag.objects.filter(firm_id=tag.firm_id, key=normalize_name_key(name)).exclude(pk=tag.pk).exists():
        raise ValueError(f'A tag named "{name}" already exists.')
    tag.name = name
    tag.save()
    return tag


def tag_delete(*, tag: Tag) -> None:
    tag.delete()


@transaction.atomic
def custom_field_delete(*, field: CustomField) -> None:
    """Deletes the field and its values, so a stale value can never resurface."""
    model = Account if field.applies_to == CustomField.AppliesTo.ACCOUNT else Contact
    records = list(model.objects.filter(firm_id=field.firm_id, custom_values__has_key=field.value_key))
    for record in records:
        record.custom_values.pop(field.value_key, None)
    model.objects.bulk_update(records, ["custom_values"], batch_size=500)
    field.delete()


def account_role_delete(*, role: AccountRole) -> None:
    role.delete()


def account_role_unassign(*, account: Account, role: AccountRole) -> None:
    AccountRoleAssignment.objects.filter(account=account, role=role).delete()


def folder_template_create(*, firm: Firm, name: str, folders: list[str]) -> FolderTemplate:
    return FolderTemplate.objects.create(firm=firm, name=" ".join(name.split()), folders=list(folders))


def folder_template_delete(*, template: FolderTemplate) -> None:
    """The built-in template stays; deleting the firm's default leaves the firm with none."""
    if template.is_builtin:
        raise ValueError("The built-in template cannot be deleted.")
    template.delete()
