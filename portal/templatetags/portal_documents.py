"""The account page's Documents section, for the team: rendered here, from the account the CRM
page already found in the member's firm, so the CRM's views need not know about documents."""

from django import template

from crm.permissions import can_edit_clients
from portal import selectors, uploads
from portal.forms import TeamUploadForm

register = template.Library()


@register.inclusion_tag("portal/includes/team_documents.html", takes_context=True)
def account_documents(context, account):
    request = context["request"]
    documents = selectors.account_documents(account=account)
    can_edit = can_edit_clients(request.membership)
    return {
        "account": account,
        "folders": selectors.folders_with_documents(account=account, documents=documents),
        "has_documents": bool(documents),
        "can_edit": can_edit,
        "form": TeamUploadForm(account=account) if can_edit else None,
        "max_upload": uploads.max_upload_text(),
        "csrf_token": context.get("csrf_token"),
    }
