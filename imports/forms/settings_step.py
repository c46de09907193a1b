"""Step 3: what is applied in bulk to what the import touches (`SettingsForm`): invitations, tags,
assignees, folders, overwrite, each email column's portal switches, a member for each unmatched name."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from django import forms

from crm.models import FolderTemplate, Membership, Tag
from imports.mapping import Mapping, PortalSwitches
from imports.members import UnmatchedNames, member_value_key
from imports.models import ImportJob

@dataclass
class EmailColumn:
    index: int
    header: str
    label: str  # what the column feeds: "Email", "Contact 2 email"
    example: str


NOBODY = "nobody"  # the settings step's value for "leave unassigned" (stored as "")


def member_name_field(name: str) -> str:
    """The settings form's field for one unmatched name: stable for the value as the user sees it."""
    return "member-" + hashlib.sha256(member_value_key(name).encode()).hexdigest()[:12]


PORTAL_SWITCHES = (
    ("login", "Login", "May sign in to the client portal."),
    ("notify", "Notify", "Receives notifications and reminders by email."),
    ("email_sync", "Email sync", "Not in effect yet: once mailbox sync exists, emails with this address will "
     "show in your firm's inbox. Today the switch is only remembered."),
)


class SettingsForm(forms.Form):
    """Step 3: applied in bulk to what the import touches."""

    send_invitations = forms.BooleanField(
        label="Send portal invitations", required=False,
        help_text="Mails an invitation to every imported contact whose Login switch is on, once the import has "
        "finished (none if it is cancelled or stops). We recommend leaving this off: check the imported clients "
        "first, then use Invite to portal on the accounts list when you are ready.",
    )
    tags = forms.MultipleChoiceField(label="Tags for every imported account", required=False,
                                     widget=forms.CheckboxSelectMultiple)
    assignees = forms.MultipleChoiceField(label="Assignees for every imported account", required=False,
                                          widget=forms.CheckboxSelectMultiple)
    folder_template = forms.ChoiceField(label="Folders for new accounts", widget=forms.RadioSelect)
    overwrite = forms.BooleanField(
        label="Overwrite existing values", required=False,
        help_text="Off: existing accounts and contacts only gain what they lack; nothing they hold is changed. "
        "On: values in the file replace the ones already stored. Either way every change is recorded.",
    )
    update_only = forms.BooleanField(
        label="Update only existing accounts", required=False,
        help_text="Rows naming an account that does not exist are skipped (and listed in the skipped rows file) "
        "instead of creating it.",
    )

    def __init__(self, *args, job: ImportJob, mapping: Mapping, email_columns: list[EmailColumn],
                 unmatched: UnmatchedNames | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        firm = job.firm
        self.kind = job.kind
        self.email_columns = email_columns
        tags = [t.name for t in Tag.objects.filter(firm=firm).order_by("name")]
        self.fields["tags"].choices = [(name, name) for name in tags]
        members = Membership.objects.filter(firm=firm, is_active=True).select_related("user")
        self.fields["assignees"].choices = [(m.user.email, m.display_name) for m in members]
        self.unmatched = unmatched or UnmatchedNames()
        self._add_member_name_fields(self.fields["assignees"].choices, mapping)
        default = firm.default_folder_template
        folder_choices = [
            ("default", f"The firm's default: {default.name}" if default else "The firm's default: no folders"),
            ("none", "No folders"),
        ]
        folder_choices += [
            (t.name, t.name) for t in FolderTemplate.objects.filter(firm=firm) if default is None or t.pk != default.pk
        ]
        self.fields["folder_template"].choices = folder_choices
        for column in email_columns:
            for name, label, _ in PORTAL_SWITCHES:
                self.fields[f"portal-{column.index}-{name}"] = forms.BooleanField(
                    required=False, label=f"{label} for {column.header}"
                )
        if self.kind != ImportJob.Kind.ACCOUNTS:
            del self.fields["update_only"]
        if self.kind == ImportJob.Kind.CONTACTS:
            for name in ("send_invitations", "tags", "assignees", "folder_template"):
                del self.fields[name]
        elif self.kind == ImportJob.Kind.ACCOUNTS:
            del self.fields["send_invitations"]
        if not self.is_bound:
            s = mapping.settings
            folder = s.folder_template if s.folder_template in dict(folder_choices) else "default"
            self.initial.update({
                "send_invitations": s.send_invitations, "tags": [t for t in s.tags if t in tags],
                "assignees": s.assignees, "folder_template": folder, "overwrite": s.overwrite,
                "update_only": s.update_only,
            })
            for column in email_columns:
                switches = s.portal.get(column.header) or PortalSwitches()
                for name, _, _ in PORTAL_SWITCHES:
                    self.initial[f"portal-{column.index}-{name}"] = getattr(switches, name)

    def _add_member_name_fields(self, members: list[tuple[str, str]], mapping: Mapping) -> None:
        """One select per name of the file that matches no team member: a member, Nobody, or
        not chosen (each row naming it is warned, as before). Named by the value, not its place
        in the list: a list that changed between showing and posting never puts a choice on
        another name."""
        chosen = {member_value_key(name): email for name, email in mapping.settings.member_names.items()}
        emails = {email.casefold(): email for email, _ in members}
        choices = [("", "Not chosen: warn on each row"), *members, (NOBODY, "Nobody (leave unassigned)")]
        for entry in self.unmatched.names:
            name = member_name_field(entry.name)
            self.fields[name] = forms.ChoiceField(label=entry.name, choices=choices, required=False)
            decision = chosen.get(member_value_key(entry.name))
            if decision is not None and not self.is_bound:
                self.initial[name] = emails.get(decision.casefold(), "") if decision else NOBODY

    def member_name_rows(self):
        """(unmatched name, its select) for the template."""
        for entry in self.unmatched.names:
            yield entry, self[member_name_field(entry.name)]

    def _member_names(self, previous: dict[str, str]) -> dict[str, str]:
        """The choices of the listed names, with the earlier ones for names not listed here
        (beyond the list's bound, or from a mapping file) kept."""
        listed = {member_value_key(entry.name): entry.name for entry in self.unmatched.names}
        kept = {name: email for name, email in previous.items() if member_value_key(name) not in listed}
        for key, name in listed.items():
            value = self.cleaned_data.get(member_name_field(name), "")
            if value:
                kept[name] = "" if value == NOBODY else value
        return kept

    def portal_rows(self):
        """(email column, [(switch field, label, help)]) for the template."""
        for column in self.email_columns:
            yield column, [(self[f"portal-{column.index}-{name}"], label, text) for name, label, text in PORTAL_SWITCHES]

    def apply(self, mapping: Mapping) -> Mapping:
        data = self.cleaned_data
        s = mapping.settings
        if self.kind == ImportJob.Kind.ACCOUNTS_AND_CONTACTS:
            s.portal = {
                column.header: PortalSwitches(
                    **{name: data[f"portal-{column.index}-{name}"] for name, _, _ in PORTAL_SWITCHES}
                )
                for column in self.email_columns
            }
            s.send_invitations = data["send_invitations"]
        if self.kind != ImportJob.Kind.CONTACTS:
            s.tags = list(data["tags"])
            s.assignees = list(data["assignees"])
            s.member_names = self._member_names(s.member_names)
            s.folder_template = data["folder_template"]
        s.overwrite = data["overwrite"]
        s.update_only = bool(data.get("update_only")) if self.kind == ImportJob.Kind.ACCOUNTS else False
        return mapping
