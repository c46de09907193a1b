"""Settings (owner and admins): firm details, team, tags, custom fields, roles, folders.

Each section is one page with its list and its "add" form; changes to one row are small POST
forms that come back to the page with a message.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from crm import selectors, services
from crm.custom_fields import custom_field_usage
from crm.forms import (
    AccountRoleForm,
    CustomFieldForm,
    DefaultFolderTemplateForm,
    FirmForm,
    FolderTemplateForm,
    MemberAddForm,
    MemberUpdateForm,
    TagForm,
)
from crm.models import CustomField, Membership
from crm.permissions import firm_admin_required, may_change_member


def _render(request, template: str, section: str, context: dict):
    return render(request, template, {"section": section, **context})


# --- Firm details -----------------------------------------------------------------------------


@firm_admin_required
def firm_settings(request):
    firm = request.membership.firm
    initial = {"name": firm.name, "default_country": firm.default_country, "date_order": firm.date_order,
               "individual_account_names": firm.individual_account_names,
               "import_file_retention_days": firm.import_file_retention_days,
               "notify_team_on_client_upload": firm.notify_team_on_client_upload,
               "portal_invitation_days": firm.portal_invitation_days}
    form = FirmForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        services.firm_update(actor=request.membership, **form.cleaned_data)
        messages.success(request, "Firm details saved.")
        return redirect("crm:settings")
    return _render(request, "crm/settings/firm.html", "firm", {"form": form})


# --- Team -------------------------------------------------------------------------------------


@firm_admin_required
def team(request):
    firm, me = request.membership.firm, request.membership
    form = MemberAddForm(request.POST or None, firm=firm, by=me)
    if request.method == "POST" and form.is_valid():
        try:
            membership = services.member_invite(actor=me, **form.cleaned_data)
        except (PermissionDenied, ValueError) as error:
            messages.error(request, str(error))
            return redirect("crm:settings_team")
        messages.success(request, f"{membership.display_name} added. We emailed them a link to sign in.")
        return redirect("crm:settings_team")
    members = list(selectors.team_members(firm=firm))
    for member in members:
        member.editable = may_change_member(me, member)
    return _render(
        request,
        "crm/settings/team.html",
        "team",
        {"form": form, "members": members, "roles": _role_choices(me)},
    )


def _role_choices(me: Membership):
    if me.role == Membership.Role.OWNER:
        return Membership.Role.choices
    return [choice for choice in Membership.Role.choices if choice[0] != Membership.Role.OWNER]


@firm_admin_required
@require_POST
def member_update(request, pk):
    firm, me = request.membership.firm, request.membership
    member = selectors.access_membership(firm, pk)
    form = MemberUpdateForm(request.POST)
    if not may_change_member(me, member):
        messages.error(request, "You cannot change this team member.")
    elif not form.is_valid():
        messages.error(request, "Choose a valid role.")
    else:
        try:
            services.member_update(actor=me, membership=member, **form.cleaned_data)
        except (PermissionDenied, ValueError) as error:
            messages.error(request, str(error))
        else:
            messages.success(request, f"{member.display_name} updated.")
    return redirect("crm:settings_team")


@firm_admin_required
@require_POST
def member_deactivate(request, pk):
    firm, me = request.membership.firm, request.membership
    member = selectors.access_membership(firm, pk)
    try:
        services.member_deactivate(actor=me, membership=member)
    except PermissionDenied:
        messages.error(request, "You cannot deactivate this team member.")
    except ValueError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, f"{member.display_name} can no longer sign in to {firm.name}.")
    return redirect("crm:settings_team")


@firm_admin_required
@require_POST
def member_reactivate(request, pk):
    firm, me = request.membership.firm, request.membership
    member = selectors.access_membership(firm, pk)
    try:
        services.member_reactivate(actor=me, membership=member)
    except PermissionDenied:
        messages.error(request, "You cannot reactivate this team member.")
    else:
        messages.success(request, f"{member.display_name} is back on the team.")
    return redirect("crm:settings_team")


# --- Tags -------------------------------------------------------------------------------------


@firm_admin_required
def tags(request):
    firm = request.membership.firm
    form = TagForm(request.POST or None, firm=firm)
    if request.method == "POST" and form.is_valid():
        tag = services.tag_get_or_create(firm=firm, name=form.cleaned_data["name"])
        messages.success(request, f'Tag "{tag.name}" created.')
        return redirect("crm:settings_tags")
    return _render(request, "crm/settings/tags.html", "tags", {"form": form, "tags": selectors.tags_with_usage(firm=firm)})


@firm_admin_required
@require_POST
def tag_rename(request, pk):
    tag = selectors.access_tag(request.membership.firm, pk)
    name = " ".join(request.POST.get("name", "").split())
    if not name or len(name) > 100:
        messages.error(request, "A tag name is 1 to 100 characters long.")
        return redirect("crm:settings_tags")
    old = tag.name
    try:
        services.tag_rename(tag=tag, name=name)
    except ValueError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, f'Tag "{old}" renamed to "{tag.name}".')
    return redirect("crm:settings_tags")


@firm_admin_required
@require_POST
def tag_delete(request, pk):
    tag = selectors.access_tag(request.membership.firm, pk)
    services.tag_delete(tag=tag)
    messages.success(request, f'Tag "{tag.name}" deleted; accounts and contacts keep everything else.')
    return redirect("crm:settings_tags")


# --- Custom fields ----------------------------------------------------------------------------


@firm_admin_required
def custom_fields(request):
    firm = request.membership.firm
    form = CustomFieldForm(request.POST or None, firm=firm)
    if request.method == "POST" and form.is_valid():
        field = services.custom_field_create(firm=firm, **form.cleaned_data)
        messages.success(request, f'Custom field "{field.name}" created.')
        return redirect("crm:settings_custom_fields")
    account_fields = list(selectors.custom_fields(firm=firm, applies_to=CustomField.AppliesTo.ACCOUNT))
    contact_fields = list(selectors.custom_fields(firm=firm, applies_to=CustomField.AppliesTo.CONTACT))
    usage = custom_field_usage(account_fields + contact_fields)
    for field in account_fields + contact_fields:
        field.usage = usage.get(field.pk, 0)
    return _render(
        request,
        "crm/settings/custom_fields.html",
        "custom_fields",
        {"form": form, "account_fields": account_fields, "contact_fields": contact_fields},
    )


@firm_admin_required
@require_POST
def custom_field_delete(request, pk):
    field = selectors.access_custom_field(request.membership.firm, pk)
    services.custom_field_delete(field=field)
    messages.success(request, f'Custom field "{field.name}" and its values deleted.')
    return redirect("crm:settings_custom_fields")


# --- Account roles ----------------------------------------------------------------------------


@firm_admin_required
def roles(request):
    firm = request.membership.firm
    form = AccountRoleForm(request.POST or None, firm=firm)
    if request.method == "POST" and form.is_valid():
        role = services.account_role_get_or_create(firm=firm, name=form.cleaned_data["name"])
        messages.success(request, f'Role "{role.name}" created.')
        return redirect("crm:settings_roles")
    return _render(
        request, "crm/settings/roles.html", "roles", {"form": form, "roles": selectors.account_roles_with_usage(firm=firm)}
    )


@firm_admin_required
@require_POST
def role_delete(request, pk):
    role = selectors.access_account_role(request.membership.firm, pk)
    services.account_role_delete(role=role)
    messages.success(request, f'Role "{role.name}" deleted.')
    return redirect("crm:settings_roles")


# --- Folder templates -------------------------------------------------------------------------


@firm_admin_required
def folder_templates(request):
    firm = request.membership.firm
    form = FolderTemplateForm(request.POST or None, firm=firm)
    if request.method == "POST" and form.is_valid():
        template = services.folder_template_create(firm=firm, **form.cleaned_data)
        messages.success(request, f'Folder template "{template.name}" created.')
        return redirect("crm:settings_folders")
    templates = list(firm.folder_templates.all())
    return _render(
        request,
        "crm/settings/folders.html",
        "folders",
        {
            "form": form,
            "templates": [(template, template.folder_paths()) for template in templates],
            "default_form": DefaultFolderTemplateForm(firm=firm),
        },
    )


@firm_admin_required
@require_POST
def folder_template_default(request):
    firm = request.membership.firm
    form = DefaultFolderTemplateForm(request.POST, firm=firm)
    if form.is_valid():
        template = form.chosen()
        services.folder_template_set_default(firm=firm, template=template)
        messages.success(
            request,
            f'New accounts now get the "{template.name}" folders.' if template else "New accounts now get no folders.",
        )
    else:
        messages.error(request, "Choose one of the templates.")
    return redirect("crm:settings_folders")


@firm_admin_required
@require_POST
def folder_template_delete(request, pk):
    template = selectors.access_folder_template(request.membership.firm, pk)
    try:
        services.folder_template_delete(template=template)
    except ValueError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, f'Folder template "{template.name}" deleted.')
    return redirect("crm:settings_folders")
