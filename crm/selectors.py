"""Read paths. Every lookup of tenant data starts from the firm; another firm's id is a 404."""

from django.db.models import Count, Prefetch, Q
from django.shortcuts import get_object_or_404

from crm.models import Account, AccountContact, Contact, Firm


def access_account(firm: Firm, pk) -> Account:
    return get_object_or_404(Account.objects.filter(firm=firm), pk=pk)


def access_contact(firm: Firm, pk) -> Contact:
    return get_object_or_404(Contact.objects.filter(firm=firm), pk=pk)


def account_list(*, firm: Firm, query: str = "", tag_id=None, account_type: str = "", account_ids=None):
    accounts = Account.objects.filter(firm=firm)
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
    if account_ids is not None:
        accounts = accounts.filter(pk__in=account_ids)
    return accounts.annotate(contact_count=Count("contact_links", distinct=True)).prefetch_related(
        "tags", "assignees__user"
    )


def contact_list(*, firm: Firm, query: str = "", tag_id=None, contact_ids=None):
    contacts = Contact.objects.filter(firm=firm)
    if query:
        contacts = contacts.filter(
            Q(first_name__icontains=query)
            | Q(last_name__icontains=query)
            | Q(email__icontains=query)
            | Q(accounts__name__icontains=query)
        ).distinct()
    if tag_id:
        contacts = contacts.filter(tags__id=tag_id)
    if contact_ids is not None:
        contacts = contacts.filter(pk__in=contact_ids)
    return contacts.prefetch_related("tags", "accounts")


def account_detail(*, firm: Firm, pk) -> Account:
    queryset = Account.objects.filter(firm=firm).prefetch_related(
        "tags",
        "assignees__user",
        "folders",
        "role_assignments__role",
        "role_assignments__member__user",
        Prefetch("contact_links", queryset=AccountContact.objects.select_related("contact").order_by("pk")),
    )
    return get_object_or_404(queryset, pk=pk)
