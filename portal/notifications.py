"""The portal's mails: to the clients when the firm shares documents with their account, to the
team when a client uploads. One mail per upload batch to each person, from the firm's name."""

from __future__ import annotations

import logging
from email.utils import formataddr, parseaddr

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from crm.models import Account, AccountContact, Membership
from crm.permissions import can_edit_clients
from portal.models import Document

logger = logging.getLogger(__name__)


def firm_sender(firm) -> str:
    """ "Firm Name <the DEFAULT_FROM_EMAIL address>": the client sees who writes, and the mail
    still leaves from the address the server may send from."""
    address = parseaddr(settings.DEFAULT_FROM_EMAIL)[1] or "no-reply@clientport.localhost"
    name = " ".join(firm.name.split())  # no line breaks in a header
    return formataddr((name, address))


def _url(name: str, *args) -> str:
    return settings.SITE_URL.rstrip("/") + reverse(name, args=args)


def _claim(account: Account, document_ids, **criteria) -> list[Document]:
    """The documents of the batch not announced yet, marked announced: a retried task (or a
    second enqueue) sends nothing twice."""
    candidates = Document.objects.filter(account=account, pk__in=document_ids, notified_at__isnull=True, **criteria)
    ids = list(candidates.values_list("pk", flat=True))
    Document.objects.filter(pk__in=ids, notified_at__isnull=True).update(notified_at=timezone.now())
    return list(Document.objects.filter(pk__in=ids).order_by("folder", "original_name"))


def client_recipients(account: Account) -> list[AccountContact]:
    """The account's contacts who get the mail: Notify on, Login on (the mail points at the
    portal, which they could not open otherwise), and an email address."""
    return list(
        AccountContact.objects.filter(account=account, notify=True, login=True)
        .exclude(contact__email="").select_related("contact").order_by("pk")
    )


def team_recipients(account: Account) -> list[Membership]:
    """The account's active assignees; without any, the firm's active members who may edit
    clients (the owner, admins, members with Manage contacts)."""
    assignees = [m for m in account.assignees.filter(is_active=True).select_related("user") if m.user.email]
    if assignees:
        return assignees
    members = Membership.objects.filter(firm_id=account.firm_id, is_active=True, user__is_active=True)
    return [m for m in members.select_related("user", "firm").order_by("pk") if can_edit_clients(m) and m.user.email]


def _send(messages: list[EmailMessage]) -> int:
    if not messages:
        return 0
    try:
        return get_connection().send_messages(messages) or 0
    except Exception:
        # The documents are stored and shown; a mail outage must not fail the task forever.
        logger.exception("Could not send %s portal notification(s).", len(messages))
        return 0


def notify_clients_of_documents(account_id: int, document_ids: list[int]) -> int:
    """Mails each notified client of the account once about the shared documents of the batch.
    Returns how many mails went out."""
    account = Account.objects.select_related("firm").filter(pk=account_id).first()
    if account is None:
        return 0
    documents = _claim(account, document_ids, side=Document.Side.TEAM, shared=True)
    if not documents:
        return 0
    sender, url = firm_sender(account.firm), _url("portal:account", account.pk)
    count = len(documents)
    subject = (f"{account.firm.name} shared a document with you" if count == 1
               else f"{account.firm.name} shared {count} documents with you")
    messages = []
    for link in client_recipients(account):
        body = render_to_string("portal/emails/documents_shared.txt", {
            "firm": account.firm, "account": account, "contact": link.contact, "documents": documents, "url": url,
        })
        messages.append(EmailMessage(" ".join(subject.split()), body, sender, [link.contact.email]))
    return _send(messages)


def notify_team_of_client_upload(account_id: int, document_ids: list[int]) -> int:
    """Mails the team (see `team_recipients`) once about a client's upload, when the firm's
    setting asks for it. Returns how many mails went out."""
    account = Account.objects.select_related("firm").filter(pk=account_id).first()
    if account is None or not account.firm.notify_team_on_client_upload:
        return 0
    documents = _claim(account, document_ids, side=Document.Side.CLIENT)
    if not documents:
        return 0
    uploader = documents[0].uploaded_by_name or "A client"
    subject = " ".join(f"{uploader} uploaded {len(documents)} document(s) to {account.name}".split())
    url = _url("crm:account_detail", account.pk)
    messages = []
    for member in team_recipients(account):
        body = render_to_string("portal/emails/client_uploaded.txt", {
            "firm": account.firm, "account": account, "member": member, "uploader": uploader,
            "documents": documents, "url": url,
        })
        messages.append(EmailMessage(subject, body, firm_sender(account.firm), [member.user.email]))
    return _send(messages)
