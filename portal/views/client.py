"""The client's pages: sign-in, the accounts, an account's folders and documents, uploads,
downloads and "My details". Every page starts from the signed-in user's links with Login on
(`crm.selectors.portal_links`); another client's or another firm's ids are 404."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse_lazy
from django.views.decorators.csrf import csrf_exempt, csrf_protect

from crm import selectors as crm_selectors
from crm.forms import EmailAuthenticationForm
from portal import selectors, services, uploads
from portal.access import client_required
from portal.forms import ClientDetailsForm, UploadForm
from portal.views.common import document_response, error_text


class PortalLoginView(auth_views.LoginView):
    """The portal's own sign-in page. It signs in through the same `authenticate` as the team's
    (EmailAuthenticationForm), so django-axes counts and locks out its failures alike."""

    template_name = "portal/login.html"
    authentication_form = EmailAuthenticationForm
    redirect_authenticated_user = True
    next_page = reverse_lazy("portal:home")


class PortalLogoutView(auth_views.LogoutView):
    next_page = reverse_lazy("portal:login")


def _accounts(request) -> list:
    """The user's accounts for the switcher, each once (a person may be two contacts of one account)."""
    seen, links = set(), []
    for link in request.portal_links:
        if link.account_id not in seen:
            seen.add(link.account_id)
            links.append(link)
    return links


def _page(request, template: str, link, context: dict, status: int = 200):
    return render(request, template, {
        "link": link, "account": link.account if link else None, "firm": link.account.firm if link else None,
        "account_links": _accounts(request), **context,
    }, status=status)


@client_required
def home(request):
    """One account: straight to it. Several: the switcher."""
    links = _accounts(request)
    if len(links) == 1:
        return redirect("portal:account", pk=links[0].account_id)
    return _page(request, "portal/home.html", None, {})


@client_required
def account(request, pk):
    return _account_page(request, crm_selectors.portal_account_link(user=request.user, account_pk=pk))


def _account_page(request, link, form=None, status=200):
    documents = selectors.client_documents(link=link)
    return _page(request, "portal/account.html", link, {
        "folders": selectors.folders_with_documents(account=link.account, documents=documents),
        "form": form or UploadForm(account=link.account),
        "max_upload": uploads.max_upload_text(),
    }, status=status)


@client_required
@csrf_exempt  # the size limit must be in place before the CSRF check reads the body...
def upload(request, pk):
    link = crm_selectors.portal_account_link(user=request.user, account_pk=pk)
    if request.method != "POST":
        return redirect("portal:account", pk=pk)
    if uploads.declared_too_large(request):
        messages.error(request, uploads.too_large_message())
        return redirect("portal:account", pk=pk)
    return _upload_checked(request, link, uploads.limit_upload(request))


@csrf_protect  # ...so the CSRF check happens here, with the limit in place.
def _upload_checked(request, link, handler):
    form = UploadForm(request.POST, request.FILES, account=link.account)
    if handler.exceeded:
        messages.error(request, uploads.too_large_message())
        return redirect("portal:account", pk=link.account_id)
    if not form.is_valid():
        return _account_page(request, link, form=form, status=400)
    try:
        documents = services.documents_upload_by_client(
            user=request.user, link=link, folder=form.cleaned_data["folder"], files=form.cleaned_data["files"],
        )
    except ValidationError as error:
        messages.error(request, error_text(error))
    except PermissionDenied as error:
        raise PermissionDenied(str(error)) from None
    else:
        messages.success(request, f"Uploaded {uploads.files_text(len(documents))}. "
                                  f"{link.account.firm.name} can see them now.")
    return redirect("portal:account", pk=link.account_id)


@client_required
def download(request, pk, document_pk):
    return document_response(selectors.client_document(user=request.user, account_pk=pk, pk=document_pk))


@client_required
def details(request, pk):
    """My details: the contact's name, phones and address on the account's firm."""
    link = crm_selectors.portal_account_link(user=request.user, account_pk=pk)
    form = ClientDetailsForm(request.POST or None, contact=link.contact)
    if request.method == "POST" and form.is_valid():
        made = services.contact_correct_by_client(user=request.user, link=link, changes=form.changes())
        if made:
            messages.success(request, f"Saved. {link.account.firm.name} sees your correction.")
        else:
            messages.info(request, "Nothing changed.")
        return redirect("portal:details", pk=pk)
    return _page(request, "portal/details.html", link, {"form": form}, status=400 if form.errors else 200)

