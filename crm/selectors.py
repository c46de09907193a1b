"""Read paths. Every lookup of tenant data starts from the firm; another firm's id is a 404."""

from django.db.models import Count, Prefetch, Q
from django.http import Http404
from django.shortcuts import get_object_or_404

from crm.models import Account, AccountContact, AccountRole, Contact, CustomField, Firm, FolderTemplate, Membership, Tag


def access_account(firm: Firm, pk) -> Account:
    return get_object_or_404(Account.objects.filter(firm=firm), pk=pk)


def access_contact(firm: Firm, pk) -> Contact:
    return get_object_or_404(Contact.objects.filter(firm=firm), pk=pk)


def access_import_job(firm: Firm, value):
    """The firm's import named by a list's `?import=N` filter; another firm's (or garbage) is a 404."""
    from imports.models import ImportJob

    if not str(value).isdigit():
        raise Http404("Unknown import.")
    return get_object_or_404(ImportJob.objects.filter(firm=firm), pk=int(value))


def account_list(*, firm: Firm, query: str = "", tag_id=None, account_type: str = "", status: str = "",
                 account_ids=None, import_job=None):
    accounts = Account.objects.filter(firm=firm)
    if import_job is not None:
        accounts = accounts.filter(created_by_import=import_job)
    if query:
        accounts = accounts.filter(
            Q(name__icontains=query)
            | Q(company_name__icontains=query)
            | Q(client_id__icontains=query)
            | Q(contacts__email__icontains=query)
            | Q(contacts__first_name__icontains=query)
            | Q(contacts__last_name__icontains=query)
        ).distinct()
    if tag_id:
        accounts = accounts.filter(tags__id=tag_id)
    if account_type:
        accounts = accounts.filter(type=account_type)
    if status:
        accounts = accounts.filter(status=status)
    if account_ids is not None:
        accounts = accounts.filter(pk__in=account_ids)
    return accounts.annotate(contact_count=Count("contact_links", distinct=True)).prefetch_related(
        "tags", "assignees__user"
    )


def contact_list(*, firm: Firm, query: str = "", tag_id=None, contact_ids=None, import_job=None):
    contacts = Contact.objects.filter(firm=firm)
    if import_job is not None:
        contacts = contacts.filter(created_by_import=import_job)
    if query:
        # Word by word, so "Jane Doe" finds the contact whose first name is Jane and last is Doe.
        for word in query.split():
            contacts = contacts.filter(
                Q(first_name__icontains=word)
                | Q(last_name__icontains=word)
                | Q(email__icontains=word)
                | Q(accounts__name__icontains=word)
            )
        contacts = contacts.distinct()
    if tag_id:
        contacts = contacts.filter(tags__id=tag_id)
    if contact_ids is not None:
        contacts = contacts.filter(pk__in=contact_ids)
    return contacts.prefetch_related("tags", "accounts")


def account_detail(*, firm: Firm, pk) -> Account:
    queryset = Account.objects.filter(firm=firm).prefetch_related(
        "tags",
        "assignees__user",
        "role_assignments__role",
        "role_assignments__member__user",
        Prefetch("contact_links", queryset=AccountContact.objects.select_related("contact").order_by("pk")),
    )
    return get_object_or_404(queryset, pk=pk)


# --- Firm set-up: every lookup by id goes through the firm ------------------------------------


def access_tag(firm: Firm, pk) -> Tag:
    return get_object_or_404(Tag.objects.filter(firm=firm), pk=pk)


def access_custom_field(firm: Firm, pk) -> CustomField:
    return get_object_or_404(CustomField.objects.filter(firm=firm), pk=pk)


def access_account_role(firm: Firm, pk) -> AccountRole:
    return get_object_or_404(AccountRole.objects.filter(firm=firm), pk=pk)


def access_membership(firm: Firm, pk) -> Membership:
    return get_object_or_404(Membership.objects.filter(firm=firm).select_related("user", "firm"), pk=pk)


def access_folder_template(firm: Firm, pk) -> FolderTemplate:
    return get_object_or_404(FolderTemplate.objects.filter(firm=firm), pk=pk)


def access_account_contact(firm: Firm, *, account_pk, pk) -> AccountContact:
    links = AccountContact.objects.filter(account__firm=firm, account_id=account_pk)
    links = links.select_related("account", "contact")
    return get_object_or_404(links, pk=pk)


def active_members(*, firm: Firm):
    return Membership.objects.filter(firm=firm, is_active=True).select_related("user")


def team_members(*, firm: Firm):
    """Active members first, then the deactivated ones."""
    members = Membership.objects.filter(firm=firm).select_related("user")
    return members.order_by("-is_active", "user__full_name", "user__email")


def custom_fields(*, firm: Firm, applies_to: str):
    return CustomField.objects.filter(firm=firm, applies_to=applies_to).order_by("name")


def tags_with_usage(*, firm: Firm):
    return Tag.objects.filter(firm=firm).annotate(
        account_count=Count("accounts", distinct=True), contact_count=Count("contacts", distinct=True)
    )


def account_roles_with_usage(*, firm: Firm):
    return AccountRole.objects.filter(firm=firm).annotate(assignment_count=Count("assignments"))


def contact_detail(*, firm: Firm, pk) -> Contact:
    queryset = Contact.objects.filter(firm=firm).prefetch_related(
        "tags",
        Prefetch(
            "account_links",
            queryset=AccountContact.objects.select_related("account__firm").order_by("account__name_key"),
        ),
    )
    return get_object_or_404(queryset, pk=pk)


def contacts_addable_to(*, account: Account, query: str = "", limit: int = 20):
    """Contacts of the account's firm that are not on it yet, for the "add a contact" picker."""
    contacts = Contact.objects.filter(firm_id=account.firm_id).exclude(account_links__account=account)
    for word in query.split():
        contacts = contacts.filter(
            Q(first_name__icontains=word) | Q(last_name__icontains=word) | Q(email__icontains=word)
        )
    return contacts[:limit]


def merge_candidates(*, account: Account, query: str = "", limit: int = 20):
    """The firm's other accounts matching `query` (name, company, client ID, a contact's name or
    email), for the merge page's picker."""
    accounts = account_list(firm=account.firm, query=query).exclude(pk=account.pk)
    return accounts.order_by("name_key", "pk")[:limit]


# --- The client portal --------------------------------------------------------------------------


def portal_links(*, user):
    """The account links through which `user` may use the client portal: their contacts'
    links with *Login* on (an invitation accepted sets `Contact.portal_user`). Turning Login
    off, or unlinking the contact, takes the account out of this at once."""
    if user is None or not getattr(user, "is_authenticated", False):
        return AccountContact.objects.none()
    return (
        AccountContact.objects.filter(contact__portal_user=user, login=True)
        .select_related("account", "account__firm", "contact")
        .order_by("account__firm__name", "account__name_key", "pk")
    )


def portal_account_link(*, user, account_pk) -> AccountContact:
    """The link by which `user` reaches account `account_pk` in the portal; 404 when they may
    not (another client's account, another firm's, or Login off)."""
    return get_object_or_404(portal_links(user=user), account_id=account_pk)


def links_of_accounts(*, firm: Firm, accounts):
    """The contact links of these accounts of the firm (the accounts list's bulk actions)."""
    return AccountContact.objects.filter(account__firm=firm, account__in=accounts).select_related(
        "account", "contact__portal_user"
    ).order_by("pk")
