"""Write paths of the CRM. Views, the importer, commands and tests all change data through
these functions (keyword-only, atomic), never by saving models directly.

What a person does (accounts, contacts and their links, the team, the firm's details) is an
action taking `actor`, the acting Membership: the action checks the right itself
(`crm.permissions.require`), acts in the actor's firm only, logs who did it (the `crm.actions`
logger: the CRM's records have no "created by" field, and the import history is where users
see who did what), and sends its mails after commit. The firm's set-up helpers below (tags,
custom fields, roles, folder templates) are building blocks the settings pages, the importer
and the demo call; their pages are guarded by `firm_admin_required`."""

from __future__ import annotations

import logging
from collections.abc import Iterable

from django.conf import settings
from django.contrib.auth.tokens import default_token_generator
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.http import urlsafe_base64_encode
from django.utils.encoding import force_bytes

from crm import merging
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
from crm.invitations import invitation_revoke
from crm.normalize import normalize_name_key
from crm.permissions import EDIT_CLIENTS, MANAGE_FIRM, require, require_member_change
from webhooks import events as webhook_events

logger = logging.getLogger("crm.actions")

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
    *, actor: Membership, email: str, full_name: str = "", role: str = Membership.Role.MEMBER,
    can_manage_contacts: bool = False,
) -> Membership:
    """Adds a person to the actor's firm's team, creating their user (without a password) if
    needed; someone on the team already (or taken off it) gets the role given. Only an owner
    makes an owner or changes one. Sends no mail: `member_invite` does."""
    require(actor, MANAGE_FIRM)
    firm = actor.firm
    email = User.objects.normalize_email(email).lower()
    user = User.objects.filter(email__iexact=email).first()
    if user is None:
        user = User.objects.create_user(email=email, password=None, full_name=full_name)
    existing = Membership.objects.filter(firm=firm, user=user).select_related("firm").first()
    if existing is not None:
        require_member_change(actor, existing, role=role)
        _keep_an_owner(existing, stays_owner=role == Membership.Role.OWNER)
        existing.role = role
        existing.can_manage_contacts = can_manage_contacts
        existing.is_active = True
        existing.save(update_fields=["role", "can_manage_contacts", "is_active"])
        logger.info("Member %s of %s set to %s by %s.", email, firm.slug, role, actor.user.email)
        return existing
    if role == Membership.Role.OWNER:
        require_member_change(actor, Membership(firm=firm, role=role), role=role)
    membership = Membership.objects.create(firm=firm, user=user, role=role, can_manage_contacts=can_manage_contacts)
    logger.info("Member %s added to %s by %s.", email, firm.slug, actor.user.email)
    return membership


@transaction.atomic
def member_invite(
    *, actor: Membership, email: str, full_name: str = "", role: str = Membership.Role.MEMBER,
    can_manage_contacts: bool = False,
) -> Membership:
    """`member_add`, then (once the new member is committed) the welcome email: where to sign
    in and, for a new user, a link to choose a password."""
    membership = member_add(actor=actor, email=email, full_name=full_name, role=role,
                            can_manage_contacts=can_manage_contacts)
    invited_by = actor.display_name
    transaction.on_commit(lambda: _send_welcome(membership, invited_by=invited_by))
    return membership


def _send_welcome(membership: Membership, *, invited_by: str) -> None:
    user = membership.user
    site = settings.SITE_URL.rstrip("/")
    context = {
        "firm": membership.firm,
        "user": user,
        "invited_by": invited_by,
        "login_url": site + reverse("login"),
        "set_password_url": "" if user.has_usable_password() else password_set_link(user=user, base_url=site),
    }
    send_mail(
        f"You have been added to {membership.firm.name} on Clientport",
        render_to_string("crm/emails/member_welcome.txt", context),
        None,
        [user.email],
    )


def member_reactivate(*, actor: Membership, membership: Membership) -> Membership:
    """Puts a deactivated person back on the team with the role they had."""
    require_member_change(actor, membership)
    return member_add(actor=actor, email=membership.user.email, role=membership.role,
                      can_manage_contacts=membership.can_manage_contacts)


def _keep_an_owner(membership: Membership, *, stays_owner: bool) -> None:
    """Refuses (ValueError) to take away the firm's last active owner."""
    if not membership.is_active or membership.role != Membership.Role.OWNER or stays_owner:
        return
    others = membership.firm.memberships.filter(role=Membership.Role.OWNER, is_active=True).exclude(pk=membership.pk)
    if not others.exists():
        raise ValueError("A firm must keep at least one owner.")


def member_update(*, actor: Membership, membership: Membership, role: str, can_manage_contacts: bool) -> Membership:
    """Changes a team member's role and rights (not the actor's own: nobody locks themselves out)."""
    require_member_change(actor, membership, role=role)
    _keep_an_owner(membership, stays_owner=role == Membership.Role.OWNER)
    membership.role = role
    membership.can_manage_contacts = can_manage_contacts
    membership.save(update_fields=["role", "can_manage_contacts"])
    logger.info("Member %s of %s set to %s by %s.", membership.user.email, membership.firm.slug, role, actor.user.email)
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
    actor: Membership,
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
    person: dict | None = None,
    roles: Iterable[tuple[AccountRole, Membership | None]] = (),
) -> Account:
    """Creates an account in the actor's firm; new accounts get the firm's default folder
    template unless told otherwise (`folder_template=None` for none). `person`: the fields of a
    contact created and put on the account with it; `roles`: (role, member or None) pairs."""
    require(actor, EDIT_CLIENTS)
    firm = actor.firm
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
    if person:
        contact_link(actor=actor, account=account, contact=contact_create(actor=actor, **person))
    _set_roles(account, roles)
    logger.info("Account #%s created in %s by %s.", account.pk, firm.slug, actor.user.email)
    transaction.on_commit(lambda: webhook_events.account_created(account))
    return account


def _set_roles(account: Account, roles: Iterable[tuple[AccountRole, Membership | None]]) -> None:
    for role, member in roles:
        if member is None:
            account_role_unassign(account=account, role=role)
        else:
            account_role_assign(account=account, role=role, member=member)


def account_namesakes(*, account: Account) -> list[Account]:
    """Other accounts of the firm with the same name key: names are not unique (two clients
    may share one), so the pages say so rather than refuse."""
    return list(Account.objects.filter(firm_id=account.firm_id, name_key=account.name_key).exclude(pk=account.pk)
                .order_by("pk")[:10])


@transaction.atomic
def account_update(*, actor: Membership, account: Account, tags: Iterable[Tag] | None = None, assignees=None,
                   roles: Iterable[tuple[AccountRole, Membership | None]] = (), **fields) -> Account:
    require(actor, EDIT_CLIENTS, firm=account.firm_id)
    for name, value in fields.items():
        setattr(account, name, value)
    account.save()
    if tags is not None:
        account.tags.set(list(tags))
    if assignees is not None:
        account.assignees.set(list(assignees))
    _set_roles(account, roles)
    logger.info("Account #%s changed by %s.", account.pk, actor.user.email)
    return account


def account_merge(*, actor: Membership, survivor: Account, other: Account, choices: dict[str, str] | None = None):
    """Merges `other` into `survivor` (both of the actor's firm, *Manage contacts* right) and
    deletes `other`. `choices`: per field (`crm.merging.merge_fields` keys) which account's value
    wins, "survivor" or "other"; a field not chosen takes the survivor's value unless it is empty.
    Contacts, tags, assignees, roles, folders and history move over; one history entry on the
    survivor records it. Returns a `crm.merging.MergeResult`."""
    return merging.merge_accounts(actor=actor, survivor=survivor, other=other, choices=choices)


def account_role_assign(*, account: Account, role: AccountRole, member: Membership) -> AccountRoleAssignment:
    if role.firm_id != account.firm_id or member.firm_id != account.firm_id:
        raise ValueError("Role, member and account must belong to the same firm.")
    assignment, _ = AccountRoleAssignment.objects.update_or_create(
        account=account, role=role, defaults={"member": member}
    )
    return assignment


@transaction.atomic
def contact_create(*, actor: Membership, tags: Iterable[Tag] = (), account: Account | None = None,
                   **fields) -> Contact:
    """Creates a contact in the actor's firm; with `account`, puts it on that account too."""
    require(actor, EDIT_CLIENTS)
    contact = Contact.objects.create(firm=actor.firm, **fields)
    contact.tags.set(list(tags))
    if account is not None:
        contact_link(actor=actor, account=account, contact=contact)
    logger.info("Contact #%s created in %s by %s.", contact.pk, actor.firm.slug, actor.user.email)
    return contact


@transaction.atomic
def contact_update(*, actor: Membership, contact: Contact, tags: Iterable[Tag] | None = None, **fields) -> Contact:
    require(actor, EDIT_CLIENTS, firm=contact.firm_id)
    for name, value in fields.items():
        setattr(contact, name, value)
    contact.save()
    if tags is not None:
        contact.tags.set(list(tags))
    logger.info("Contact #%s changed by %s.", contact.pk, actor.user.email)
    return contact


@transaction.atomic
def contact_link(
    *, actor: Membership, account: Account, contact: Contact, login: bool = False, notify: bool = False,
    email_sync: bool = False,
) -> AccountContact:
    """Puts the contact on the account, or sets the portal switches of the link it has. Turning
    Login off revokes the link's portal access and invitation at once (`invitation_revoke`)."""
    require(actor, EDIT_CLIENTS, firm=account.firm_id)
    if account.firm_id != contact.firm_id:
        raise ValueError("Account and contact must belong to the same firm.")
    had_login = AccountContact.objects.filter(account=account, contact=contact, login=True).exists()
    link, _ = AccountContact.objects.update_or_create(
        account=account, contact=contact, defaults={"login": login, "notify": notify, "email_sync": email_sync}
    )
    if had_login and not login:
        invitation_revoke(actor=actor, link=link)
    logger.info("Contact #%s on account #%s (login=%s, notify=%s, email sync=%s) by %s.", contact.pk, account.pk,
                login, notify, email_sync, actor.user.email)
    return link


# --- Firm settings (used by the settings pages) ----------------------------------------------


def firm_update(*, actor: Membership, name: str, default_country: str, date_order: str,
                individual_account_names: str = "", import_file_retention_days: int | None = None,
                notify_team_on_client_upload: bool | None = None,
                portal_invitation_days: int | None = None) -> Firm:
    """The actor's firm's details. Empty or None leaves a setting as it is."""
    require(actor, MANAGE_FIRM)
    firm = actor.firm
    firm.name = name.strip()
    firm.default_country = default_country.upper()
    firm.date_order = date_order
    if individual_account_names:
        firm.individual_account_names = individual_account_names
    if import_file_retention_days is not None:
        firm.import_file_retention_days = import_file_retention_days
    if portal_invitation_days is not None:
        firm.portal_invitation_days = portal_invitation_days
    if notify_team_on_client_upload is not None:
        firm.notify_team_on_client_upload = notify_team_on_client_upload
    firm.save(update_fields=["name", "default_country", "date_order", "individual_account_names",
                             "import_file_retention_days", "portal_invitation_days",
                             "notify_team_on_client_upload"])
    logger.info("Firm %s details changed by %s.", firm.slug, actor.user.email)
    return firm


def member_deactivate(*, actor: Membership, membership: Membership) -> Membership:
    """Takes a person off the team without deleting what they did (assignments stay)."""
    require_member_change(actor, membership)
    _keep_an_owner(membership, stays_owner=False)
    membership.is_active = False
    membership.save(update_fields=["is_active"])
    logger.info("Member %s of %s deactivated by %s.", membership.user.email, membership.firm.slug, actor.user.email)
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
