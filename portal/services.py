"""Write paths of the portal: documents uploaded, shared and deleted by the team, uploaded by a
client, and a client's corrections of their own contact details.

Team actions take `actor` (the acting Membership) and check it with `crm.permissions.require`:
uploading, sharing and deleting take the *edit clients* right; every member may look and
download (portal/selectors.py). Client actions take the portal `user` and the account `link`
they act through, and check that the link is still one of theirs with Login on. Every action
records itself in the account's history (`crm.history.record`) and sends its mails after commit,
through the worker (portal/tasks.py)."""

from __future__ import annotations

import logging
import mimetypes
import unicodedata
import uuid
from collections.abc import Sequence
from contextlib import contextmanager

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.text import Truncator

from crm import history, selectors
from crm.models import Account, AccountContact, Contact
from crm.permissions import EDIT_CLIENTS, require
from portal.models import Document

logger = logging.getLogger("portal.actions")

# More files than this in one post is a mistake (a whole disk dragged in), not a batch.
MAX_FILES_PER_UPLOAD = 20
# What a client may correct about themselves (the rest is the firm's record).
CLIENT_EDITABLE_FIELDS = ("first_name", "middle_name", "last_name", "phones", "street", "city", "state",
                          "postal_code", "country")


# --- Documents ----------------------------------------------------------------------------------


def clean_original_name(name: str) -> str:
    """The uploader's file name as data: no path, no control characters, at most 255 characters
    (the extension kept). Never used to store or to open a file."""
    name = name.replace("\\", "/").rsplit("/", 1)[-1]
    name = "".join(ch for ch in unicodedata.normalize("NFC", name) if unicodedata.category(ch)[0] != "C").strip()
    if not name or name in {".", ".."}:
        name = "file"
    if len(name) > 255:
        stem, dot, extension = name.rpartition(".")
        name = (stem[: 254 - len(extension)] + "." + extension) if dot and len(extension) < 20 else name[:255]
    return name


def check_folder(account: Account, folder: str) -> str:
    """`folder` as one of the account's folders, or "" for the top level."""
    folder = (folder or "").strip()
    if folder and folder not in (account.folders or []):
        raise ValidationError(f'"{folder}" is not a folder of {account.name}.')
    return folder


def check_files(files: Sequence) -> None:
    if not files:
        raise ValidationError("Choose at least one file to upload.")
    if len(files) > MAX_FILES_PER_UPLOAD:
        raise ValidationError(f"Upload at most {MAX_FILES_PER_UPLOAD} files at once.")
    empty = [clean_original_name(f.name or "") for f in files if not f.size]
    if empty:
        raise ValidationError(f"{', '.join(empty)}: the file is empty.")


@contextmanager
def _stored_files_removed_on_failure():
    """Yields the list the upload appends its documents to; if the upload fails after some
    files were stored, they are deleted (their rows are rolled back), so no file is left
    without its row."""
    documents: list[Document] = []
    try:
        yield documents
    except BaseException:
        for document in documents:
            document.file.storage.delete(document.file.name)
        raise


def _store(documents: list[Document], *, account: Account, folder: str, files: Sequence, side: str,
           shared: bool, user, uploaded_by_name: str) -> list[Document]:
    """Stores the files and their rows as one batch (one `batch` id)."""
    batch = uuid.uuid4()
    for upload in files:
        name = clean_original_name(upload.name or "")
        document = Document(
            firm_id=account.firm_id, account=account, folder=folder, original_name=name,
            size=upload.size, content_type=mimetypes.guess_type(name)[0] or "", uploaded_by=user,
            uploaded_by_name=uploaded_by_name, side=side, shared=shared, batch=batch,
        )
        # The name given here is ignored: `document_storage_name` chooses it.
        document.file.save(name, upload, save=False)
        documents.append(document)
        document.save()
    return documents


def _folder_text(folder: str) -> str:
    return f'"{Truncator(folder).chars(200)}"' if folder else "the top level"


def _name(document: Document) -> str:
    return Truncator(document.original_name).chars(200)


def _names(documents: Sequence[Document]) -> str:
    """The files of an upload for a history line, which holds 500 characters: the first few
    names, each cut at 60 characters, and how many more."""
    names = [Truncator(d.original_name).chars(60) for d in documents]
    return ", ".join(names[:3]) + (f" and {len(names) - 3} more" if len(names) > 3 else "")


def documents_upload_by_team(*, actor, account: Account, folder: str, files: Sequence,
                             shared: bool = False) -> list[Document]:
    """The team puts files in one of the account's folders, shared with the account's clients
    or kept internal. The clients with Notify on hear of shared ones: one mail per upload."""
    require(actor, EDIT_CLIENTS, firm=account.firm_id)
    folder = check_folder(account, folder)
    check_files(files)
    verb = "shared" if shared else "uploaded (internal)"
    with _stored_files_removed_on_failure() as documents, transaction.atomic():
        _store(documents, account=account, folder=folder, files=files, side=Document.Side.TEAM, shared=shared,
               user=actor.user, uploaded_by_name=actor.display_name)
        history.record(account=account, kind="document_uploaded", actor=actor,
                       summary=f"{verb} {_names(documents)} in {_folder_text(folder)}",
                       details={"documents": [d.pk for d in documents], "shared": shared})
        if shared:
            _notify_clients_after_commit(account, documents)
    logger.info("%s document(s) uploaded to account #%s by %s (shared=%s).", len(documents), account.pk,
                actor.user.email, shared)
    return documents


@transaction.atomic
def document_share(*, actor, document: Document, shared: bool) -> Document:
    """Shares a team document with the account's clients, or takes it back. A document shared
    for the first time is announced to the clients with Notify on."""
    require(actor, EDIT_CLIENTS, firm=document.firm_id)
    if document.side != Document.Side.TEAM:
        raise ValidationError("A client's upload is always visible to the team and the client; it has no sharing.")
    if document.shared == shared:
        return document
    document.shared = shared
    document.save(update_fields=["shared"])
    history.record(account=document.account, kind="document_shared" if shared else "document_unshared",
                   actor=actor, details={"document": document.pk},
                   summary=f"{'shared' if shared else 'stopped sharing'} {_name(document)}")
    if shared:
        _notify_clients_after_commit(document.account, [document])
    return document


@transaction.atomic
def document_delete(*, actor, document: Document) -> None:
    """Deletes a document (the team's or a client's) and, once that is committed, its file."""
    require(actor, EDIT_CLIENTS, firm=document.firm_id)
    storage, name = document.file.storage, document.file.name
    history.record(account=document.account, kind="document_deleted", actor=actor,
                   summary=f"deleted {_name(document)} from {_folder_text(document.folder)}",
                   details={"document": document.pk})
    document.delete()
    transaction.on_commit(lambda: storage.delete(name))


def client_link(*, user, link: AccountContact) -> AccountContact:
    """`link` as it stands now, if it is still one of `user`'s links with Login on."""
    current = selectors.portal_links(user=user).filter(pk=link.pk).first()
    if current is None:
        raise PermissionDenied("This account is not open to you in the portal.")
    return current


def documents_upload_by_client(*, user, link: AccountContact, folder: str, files: Sequence) -> list[Document]:
    """A client puts files in one of their account's folders; the team sees them at once and,
    when the firm asks for it, hears of them by mail (one per upload)."""
    link = client_link(user=user, link=link)
    account = link.account
    folder = check_folder(account, folder)
    check_files(files)
    with _stored_files_removed_on_failure() as documents, transaction.atomic():
        _store(documents, account=account, folder=folder, files=files, side=Document.Side.CLIENT, shared=False,
               user=user, uploaded_by_name=user.get_full_name() or link.contact.full_name or user.email)
        history.record(account=account, kind="document_uploaded", client_user=user, contact=link.contact,
                       summary=f"uploaded {_names(documents)} in {_folder_text(folder)}",
                       details={"documents": [d.pk for d in documents]})
        if account.firm.notify_team_on_client_upload:
            _notify_team_after_commit(account, documents)
    logger.info("%s document(s) uploaded to account #%s by client user #%s.", len(documents), account.pk, user.pk)
    return documents


def _notify_clients_after_commit(account: Account, documents: Sequence[Document]) -> None:
    from portal.tasks import notify_clients_of_documents

    ids = [d.pk for d in documents]
    transaction.on_commit(lambda: notify_clients_of_documents.enqueue(account.pk, ids))


def _notify_team_after_commit(account: Account, documents: Sequence[Document]) -> None:
    from portal.tasks import notify_team_of_client_upload

    ids = [d.pk for d in documents]
    transaction.on_commit(lambda: notify_team_of_client_upload.enqueue(account.pk, ids))


# --- A client's own details ---------------------------------------------------------------------


@transaction.atomic
def contact_correct_by_client(*, user, link: AccountContact, changes: dict) -> dict:
    """A client corrects their own name, phones or address. Each change is recorded, with the
    old and the new value, in the history of every account of theirs the portal shows them.
    Returns the changes actually made ({field: [old, new]})."""
    link = client_link(user=user, link=link)
    contact = Contact.objects.select_for_update().get(pk=link.contact_id)
    unknown = set(changes) - set(CLIENT_EDITABLE_FIELDS)
    if unknown:
        raise PermissionDenied(f"A client may not change {', '.join(sorted(unknown))}.")
    made = {}
    for field, new in changes.items():
        old = getattr(contact, field)
        if old != new:
            made[field] = [old, new]
            setattr(contact, field, new)
    if not made:
        return {}
    contact.save()
    labels = ", ".join(Contact._meta.get_field(field).verbose_name for field in made)
    for account_link in selectors.portal_links(user=user).filter(contact=contact):
        history.record(account=account_link.account, kind="contact_corrected", client_user=user, contact=contact,
                       summary=f"corrected {contact.full_name or contact.email}'s {labels}", details=made)
    logger.info("Contact #%s corrected in the portal by user #%s (%s).", contact.pk, user.pk, ", ".join(made))
    return made
