"""Read paths. Every lookup of tenant data starts from the firm; another firm's id is a 404."""

import datetime

from django.conf import settings
from django.db.models import Count, Exists, ExpressionWrapper, F, IntegerField, OuterRef, Prefetch, Q, Subquery, Value
from django.db.models.functions import Coalesce, Lower
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone

from crm.models import (
    Account,
    AccountContact,
    AccountRole,
    ClientDeletion,
    Contact,
    CustomField,
    Firm,
    FolderTemplate,
    Membership,
    SavedFilter,
    Tag,
)
from crm.normalize import account_name_key, normalize_name_key


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
                 account_ids=None, import_job=None, sort: str = ""):
    """The firm's accounts matching the list's filters, in the order of `sort` (ACCOUNT_SORTS;
    name by default). Each has `contact_count` only when sorted by it: the list counts the
    contacts of its page alone (`with_contact_counts`)."""
    accounts = _of_firm(Account, firm, import_job)
    if query and is_big(Account.objects.filter(firm=firm)):
        accounts = accounts.filter(_account_search(firm, query))
    elif query:
        accounts = accounts.filter(
            Q(name__icontains=query)
            | Q(company_name__icontains=query)
            | Q(client_id__icontains=query)
            | Q(contacts__email__icontains=query)
            | Q(contacts__first_name__icontains=query)
            | Q(contacts__last_name__icontains=query)
        ).distinct()
    if tag_id:
        accounts = accounts.filter(_tagged(Account, tag_id))
    if account_type:
        accounts = accounts.filter(type=account_type)
    if status:
        accounts = accounts.filter(status=status)
    if account_ids is not None:
        accounts = accounts.filter(pk__in=account_ids)
    if sort.lstrip("-") == "contacts":
        # Sorting by it counts every matching account's links: one merge join of the accounts'
        # and the links' indexes with a GROUP BY (320 ms for 200,000 accounts on PostgreSQL).
        # The lists allow it only while the matching accounts are few enough to count exactly
        # (crm.views.paging); no counter is kept on the account for it.
        # A search joins the contacts and keeps only the matching ones' rows, so it counts
        # with a subquery per account instead.
        accounts = accounts.annotate(contact_count=_contact_count() if query else Count("contact_links"))
    return accounts.order_by(*_ordering(ACCOUNT_SORTS, sort)).prefetch_related("tags", "assignees__user")


# --- Search: prefixes, each one index range (docs/crm-rules.md, "Lists of big firms") -----------

DEFAULT_EXACT_COUNT = 10_000


def exact_count_limit() -> int:
    """Up to how many records a list counts exactly and searches anywhere in the words
    (`settings.CLIENT_LIST_EXACT_COUNT`); beyond it, a count is "more than" and a search
    matches the start of names and emails only."""
    return getattr(settings, "CLIENT_LIST_EXACT_COUNT", DEFAULT_EXACT_COUNT)


def is_big(records) -> bool:
    """More records than `exact_count_limit()`: one index probe at that offset, not a count."""
    limit = exact_count_limit()
    return records.order_by().values("pk")[limit : limit + 1].exists()


# Above every character, so `key >= q AND key < q + _TOP` is "key starts with q" as one range
# of a B-tree index, in SQLite's binary order and PostgreSQL's "C" collation alike.
_TOP = chr(0x10FFFF)


def _starts(field: str, prefix: str) -> Q:
    return Q(**{f"{field}__gte": prefix, f"{field}__lt": prefix + _TOP})


def _contacts_matching(firm: Firm, query: str):
    """The firm's contacts whose email, "first last" name, or last name starts with the query."""
    folded = query.casefold()
    words = normalize_name_key(query, 201).split(" ")
    name_key = f"{words[0]}|{' '.join(words[1:])}" if len(words) > 1 else words[0]
    return Contact.objects.filter(firm=firm).alias(last_name_key=Lower("last_name")).filter(
        _starts("email_key", folded) | _starts("name_key", name_key) | _starts("last_name_key", folded)
    )


def _account_search(firm: Firm, query: str) -> Q:
    """An account matches when its name (as keyed: "Rivera, Ana" is "ana rivera") or client ID
    starts with the query, or one of its contacts matches (`_contacts_matching`)."""
    keys = {normalize_name_key(query), account_name_key(query)}
    names = Q()
    for key in keys:
        names |= _starts("name_key", key)
    own = Account.objects.filter(firm=firm).filter(names | _starts("client_id", query.strip()))
    people = AccountContact.objects.filter(contact__in=_contacts_matching(firm, query).values("pk"))
    # One UNION of index-driven id sets: PostgreSQL cannot OR a subquery into a bitmap of the
    # accounts' indexes, and would read every account of the firm to test it row by row.
    return Q(pk__in=own.order_by().values("pk").union(people.order_by().values("account_id")))


# The lists' sortable columns: the fields a column sorts by, then the tie-breakers. "-" before a
# key reverses the whole order, ties included; the primary key last keeps pages from shuffling
# and makes every row's place unique (crm.views.paging finds pages by it). "created" is the id order, which is the order of creation: it needs no
# index of its own (one more to write per imported row).
ACCOUNT_SORTS = {
    "name": (("name_key",), ("pk",)),  # index account_name_lookup (firm, name_key)
    "type": (("type",), ("name_key", "pk")),  # index account_type_by_name (firm, type, name_key)
    "status": (("status",), ("name_key", "pk")),  # index account_status_by_name (firm, status, name_key)
    "created": (("pk",), ()),
    "contacts": (("contact_count",), ("name_key", "pk")),
}
CONTACT_SORTS = {
    "name": (("last_name", "first_name", "email"), ("pk",)),  # index (firm, last_name, first_name)
    "created": (("pk",), ()),
}


def account_ordering(sort: str) -> list[str]:
    return _ordering(ACCOUNT_SORTS, sort)


def contact_ordering(sort: str) -> list[str]:
    return _ordering(CONTACT_SORTS, sort)


def _ordering(sorts: dict, sort: str) -> list[str]:
    descending = sort.startswith("-")
    fields, tie_breakers = sorts.get(sort.lstrip("-")) or sorts["name"]
    # Descending reverses the ties too: one index read backwards serves it, where "status
    # descending, then names A-Z" would sort every active account of a big firm.
    return [f"-{field}" if descending else field for field in (*fields, *tie_breakers)]


def _of_firm(model, firm: Firm, import_job):
    """The firm's records, or those "created by import #N". With an import, the firm is checked
    as `firm_id + 0`, which no index serves: SQLite then reads the (import, name) index, already
    in name order, instead of walking the firm's whole (firm, name) index for the import's rows."""
    if import_job is None:
        return model.objects.filter(firm=firm)
    return model.objects.filter(created_by_import=import_job).alias(
        firm_of_record=ExpressionWrapper(F("firm_id") + 0, output_field=IntegerField())
    ).filter(firm_of_record=firm.pk)


def _tagged(model, tag_id) -> Q:
    """Records with the tag. A tag on many records is checked row by row while the list is read
    in its order (the first page stops after 51 rows); a tag on few gives its records, sorted."""
    through = model.tags.through
    owner = f"{model._meta.model_name}_id"
    links = through.objects.filter(tag_id=tag_id)
    if is_big(links):
        return Q(Exists(links.filter(**{owner: OuterRef("pk")})))
    return Q(pk__in=links.values(owner))


def _contact_count():
    """How many contacts an account has, as a subquery per account (on the links' unique
    (account, contact) index), whatever the outer query joins."""
    links = (AccountContact.objects.filter(account=OuterRef("pk")).order_by().values("account")
             .annotate(n=Count("pk")).values("n"))
    return Coalesce(Subquery(links, output_field=IntegerField()), Value(0))


def with_contact_counts(accounts) -> list:
    """The accounts of one page with `contact_count` set: one small query for the page."""
    accounts = list(accounts)
    missing = [account.pk for account in accounts if not hasattr(account, "contact_count")]
    if missing:
        counts = dict(AccountContact.objects.filter(account_id__in=missing).order_by().values("account_id")
                      .annotate(n=Count("pk")).values_list("account_id", "n"))
        for account in accounts:
            if not hasattr(account, "contact_count"):
                account.contact_count = counts.get(account.pk, 0)
    return accounts


def contact_list(*, firm: Firm, query: str = "", tag_id=None, contact_ids=None, import_job=None, sort: str = ""):
    contacts = _of_firm(Contact, firm, import_job)
    if query and not is_big(Contact.objects.filter(firm=firm)):
        # Word by word, so "Jane Doe" finds the contact whose first name is Jane and last is Doe.
        for word in query.split():
            contacts = contacts.filter(
                Q(first_name__icontains=word)
                | Q(last_name__icontains=word)
                | Q(email__icontains=word)
                | Q(accounts__name__icontains=word)
            )
        contacts = contacts.distinct()
    elif query:
        # "Jane Doe" finds Jane Doe; "doe" finds every Doe; "jane@" the emails; "Acme" the
        # people of the accounts whose name starts with it.
        of_accounts = AccountContact.objects.filter(
            account__in=Account.objects.filter(firm=firm).filter(_starts("name_key", normalize_name_key(query)))
        ).order_by().values("contact_id")
        matching = _contacts_matching(firm, query).order_by().values("pk")
        contacts = contacts.filter(pk__in=matching.union(of_accounts))  # as in _account_search
    if tag_id:
        contacts = contacts.filter(_tagged(Contact, tag_id))
    if contact_ids is not None:
        contacts = contacts.filter(pk__in=contact_ids)
    return contacts.order_by(*_ordering(CONTACT_SORTS, sort)).prefetch_related("tags", "accounts")


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


# --- The client lists: saved filters and the record of deletions --------------------------------


def saved_filters(*, firm: Firm, list_kind: str):
    return SavedFilter.objects.filter(firm=firm, list_kind=list_kind).order_by("name")


def access_saved_filter(firm: Firm, pk) -> SavedFilter:
    return get_object_or_404(SavedFilter.objects.filter(firm=firm), pk=pk)


def recent_deletions(*, firm: Firm, list_kind: str, days: int = 30, limit: int = 3):
    """The list's bulk deletions of the last `days` days, newest first."""
    since = timezone.now() - datetime.timedelta(days=days)
    return list(ClientDeletion.objects.filter(firm=firm, list_kind=list_kind, created_at__gte=since)[:limit])
