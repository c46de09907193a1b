"""Read paths of the portal: which documents a client or a team member may see, found from
the account link (client) or the firm (team), never by a bare id."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Q
from django.shortcuts import get_object_or_404

from crm import selectors as crm_selectors
from crm.models import Account, AccountContact, Firm
from portal.models import Document

CLIENT_VISIBLE = Q(side=Document.Side.CLIENT) | Q(side=Document.Side.TEAM, shared=True)


def client_documents(*, link: AccountContact):
    """What a client sees of the account: the documents the firm shared, and every client upload
    (theirs and the account's other clients'), newest first. Internal team documents never."""
    return Document.objects.filter(account_id=link.account_id).filter(CLIENT_VISIBLE).order_by("-created_at", "-pk")


def client_document(*, user, account_pk, pk) -> Document:
    """The document `pk` of account `account_pk`, if `user` may see it; else 404 (another
    client's, another firm's, an internal one, or the account's Login switch turned off)."""
    link = crm_selectors.portal_account_link(user=user, account_pk=account_pk)
    return get_object_or_404(client_documents(link=link), pk=pk)


def account_documents(*, account: Account):
    """Everything in the account's folders for the team, newest first."""
    return Document.objects.filter(account=account).select_related("uploaded_by").order_by("-created_at", "-pk")


def team_document(*, firm: Firm, account_pk, pk) -> Document:
    """A document of `firm`'s account `account_pk`; 404 for another firm's or another account's."""
    return get_object_or_404(
        Document.objects.select_related("account"), firm=firm, account__firm=firm, account_id=account_pk, pk=pk
    )


@dataclass
class Folder:
    path: str
    documents: list[Document] = field(default_factory=list)

    @property
    def label(self) -> str:
        return self.path or "Top level"

    @property
    def depth(self) -> int:
        return self.path.count("/") if self.path else 0


def folders_with_documents(*, account: Account, documents) -> list[Folder]:
    """The account's folders in their order, each with its documents (newest first); the top
    level first. A document whose folder was taken off the account stays listed under its path."""
    folders = {"": Folder("")}
    for path in account.folders or []:
        folders.setdefault(path, Folder(path))
    for document in documents:
        folders.setdefault(document.folder, Folder(document.folder)).documents.append(document)
    return list(folders.values())
