"""The team's document actions, from the account page's Documents section: upload (shared or
internal), share and unshare, delete, download. Every member of the firm may download; the
rest takes the edit-clients right (checked again by the services). Another firm's ids are 404."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect
from django.urls import reverse
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_POST

from crm import selectors as crm_selectors
from crm.permissions import client_editor_required, firm_member_required
from portal import selectors, services, uploads
from portal.forms import TeamUploadForm
from portal.views.common import document_response, error_text


def _back(pk):
    return redirect(reverse("crm:account_detail", args=[pk]) + "#documents")


@client_editor_required
@csrf_exempt  # the size limit must be in place before the CSRF check reads the body...
def upload(request, pk):
    account = crm_selectors.access_account(request.membership.firm, pk)
    if request.method != "POST":
        return _back(pk)
    if uploads.declared_too_large(request):
        messages.error(request, uploads.too_large_message())
        return _back(pk)
    return _upload_checked(request, account, uploads.limit_upload(request))


@csrf_protect  # ...so the CSRF check happens here, with the limit in place.
def _upload_checked(request, account, handler):
    form = TeamUploadForm(request.POST, request.FILES, account=account)
    if handler.exceeded:
        messages.error(request, uploads.too_large_message())
        return _back(account.pk)
    if not form.is_valid():
        messages.error(request, " ".join(error for errors in form.errors.values() for error in errors))
        return _back(account.pk)
    try:
        documents = services.documents_upload_by_team(
            actor=request.membership, account=account, folder=form.cleaned_data["folder"],
            files=form.cleaned_data["files"], shared=form.cleaned_data["shared"],
        )
    except ValidationError as error:
        messages.error(request, error_text(error))
    else:
        shared = " and shared them with the client" if form.cleaned_data["shared"] else " (internal)"
        messages.success(request, f"Uploaded {uploads.files_text(len(documents))}{shared}.")
    return _back(account.pk)


@firm_member_required
def download(request, pk, document_pk):
    return document_response(selectors.team_document(firm=request.membership.firm, account_pk=pk, pk=document_pk))


@client_editor_required
@require_POST
def share(request, pk, document_pk):
    document = selectors.team_document(firm=request.membership.firm, account_pk=pk, pk=document_pk)
    shared = request.POST.get("shared") == "on"
    try:
        services.document_share(actor=request.membership, document=document, shared=shared)
    except ValidationError as error:
        messages.error(request, error_text(error))
    else:
        messages.success(request, f"{document.original_name} is {'shared with the client' if shared else 'internal'} now.")
    return _back(pk)


@client_editor_required
@require_POST
def delete(request, pk, document_pk):
    document = selectors.team_document(firm=request.membership.firm, account_pk=pk, pk=document_pk)
    services.document_delete(actor=request.membership, document=document)
    messages.success(request, f"{document.original_name} deleted.")
    return _back(pk)
