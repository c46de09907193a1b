"""Owner / assignee / preparer columns naming team members (HubSpot's "Contact owner"): matched by
name or email through the real import, and the names matching nobody decided in the settings
step, saved with the mapping and used by the run."""

import json

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse

from crm import services
from crm.models import Account, AccountRole
from imports import jobs
from imports.forms import NOBODY, member_name_field
from imports.mapping import Mapping
from imports.matching import match_header
from tests.actors import owner_of, uploader
from tests.imports.conftest import csv_text, import_rows, make_mapping, upload
from tests.imports.test_wizard import mapping_of, table_post, url, wizard_upload

HUBSPOT = [
    ["Record ID", "First Name", "Last Name", "Email", "Contact owner", "Associated Company"],
    ["51", "Ann", "Smith", "ann@smith.example", "Mia Manager", "Smith Dental"],
    ["52", "Bo", "Jones", "bo@jones.example", "Manager, Mia", "Jones Roofing"],
    ["53", "Cy", "Wu", "cy@wu.example", "Pat Partner", "Wu Consulting"],
    ["54", "Di", "Ray", "di@ray.example", "Former Staffer", "Ray Bakery"],
    ["55", "Ed", "Fox", "ed@fox.example", "pat  partner", "Fox Plumbing"],
    ["56", "Flo", "Hart", "flo@hart.example", "ADAM", "Hart Studio"],
]


def assignees(account_name):
    account = Account.objects.get(name=account_name)
    return sorted(m.user.email for m in account.assignees.select_related("user"))


def warned(job, code="unknown_team_member"):
    return sorted(job.issues.filter(severity="warning", code=code).values_list("row_number", "value"))


@pytest.fixture
def team(firm, manager, admin_user):
    """Olivia Owner (the importer), Mia Manager and Adam Admin."""
    return firm


# --- The automatic mapping --------------------------------------------------------------------


@pytest.mark.parametrize("header", [
    "Contact owner", "Company owner", "HubSpot Owner", "Owner", "Account Manager", "Assigned To", "Preparer",
    "Partner", "Engagement Partner", "Staff", "Manager",
])
def test_owner_like_columns_map_to_the_accounts_assignees(header):
    assert match_header(header) == ("account.assignees", "")


@pytest.mark.parametrize("header, role", [("Partner", "Partner"), ("Manager", "Manager"),
                                          ("Preparer", "Tax preparer")])
def test_an_owner_like_column_named_after_a_firm_role_feeds_that_role(header, role):
    assert match_header(header, roles=["Tax preparer", "Partner", "Manager"]) == ("account.role", role)


# --- The import ---------------------------------------------------------------------------------


def test_contact_owner_names_are_matched_to_team_members_by_the_automatic_mapping(team, owner):
    job, counts = import_rows(team, owner, HUBSPOT)
    assert counts["accounts_created"] == 6
    assert assignees("Smith Dental") == ["manager@firm-a.example"]
    assert assignees("Jones Roofing") == ["manager@firm-a.example"]  # "Family, Given"
    assert assignees("Hart Studio") == ["admin@firm-a.example"]  # the only Adam
    # Names matching nobody are warned on each row, as before any choice is made.
    assert warned(job) == [(4, "Pat Partner"), (5, "Former Staffer"), (6, "pat  partner")]


def test_chosen_member_is_assigned_and_nobody_leaves_the_account_unassigned_without_warning(team, owner):
    columns = {"Associated Company": "account.name", "Email": "contact.email", "Contact owner": "account.assignees"}
    job, _ = import_rows(team, owner, HUBSPOT, columns,
                         member_names={"PAT PARTNER": "Admin@Firm-A.example", "Former Staffer": ""})
    assert assignees("Wu Consulting") == assignees("Fox Plumbing") == ["admin@firm-a.example"]
    # Not even the importer: the firm said this name is nobody.
    assert assignees("Ray Bakery") == []
    assert warned(job) == []


def test_a_name_nobody_decided_is_still_warned_on_each_row(team, owner):
    columns = {"Associated Company": "account.name", "Contact owner": "account.assignees"}
    job, _ = import_rows(team, owner, HUBSPOT, columns, member_names={"Former Staffer": ""})
    assert warned(job) == [(4, "Pat Partner"), (6, "pat  partner")]
    assert assignees("Wu Consulting") == ["owner@firm-a.example"]  # nobody named: the importer


def test_a_choice_also_decides_a_role_column(team, owner):
    AccountRole.objects.create(firm=team, name="Partner", key="partner")
    rows = [["Client", "Partner"], ["Acme LLC", "P. Partner"], ["Beta LLC", "Old Partner"]]
    job, _ = import_rows(team, owner, rows, {"Client": "account.name", "Partner": "account.role:Partner"},
                         member_names={"P. Partner": "manager@firm-a.example", "Old Partner": ""})
    acme, beta = Account.objects.get(name="Acme LLC"), Account.objects.get(name="Beta LLC")
    assert [a.member.user.email for a in acme.role_assignments.select_related("member__user")] == [
        "manager@firm-a.example"]
    assert not beta.role_assignments.exists()
    assert warned(job) == []


def test_a_first_name_two_members_share_matches_neither(team, owner):
    services.member_add(actor=owner_of(team), email="mia.moss@firm-a.example", full_name="Mia Moss")
    rows = [["Client", "Owner"], ["Acme LLC", "Mia"], ["Beta LLC", "Mia Moss"]]
    job, _ = import_rows(team, owner, rows, {"Client": "account.name", "Owner": "account.assignees"})
    assert "manager@firm-a.example" not in assignees("Acme LLC")
    assert "mia.moss@firm-a.example" not in assignees("Acme LLC")
    assert assignees("Beta LLC") == ["mia.moss@firm-a.example"]
    assert warned(job) == [(2, "Mia")]


def test_a_chosen_email_of_another_firms_member_is_refused(team, owner, other_firm, other_owner):
    mapping = make_mapping({"Associated Company": "account.name", "Contact owner": "account.assignees"},
                           member_names={"Pat Partner": other_owner.email})
    job = upload(team, owner, HUBSPOT)
    errors = jobs.job_set_mapping(job, actor=uploader(job), mapping=mapping)
    assert errors == [f"The choice for 'Pat Partner': {other_owner.email} is not a team member of this firm."]
    assert Mapping.from_dict(job.mapping).settings.member_names == {}


def test_a_deactivated_members_email_is_refused_too(team, owner, manager):
    services_membership = team.memberships.get(user=manager)
    services_membership.is_active = False
    services_membership.save()
    job = upload(team, owner, HUBSPOT)
    errors = jobs.job_set_mapping(job, actor=uploader(job), mapping=make_mapping({"Contact owner": "account.assignees"},
                                                    member_names={"Pat Partner": manager.email}))
    assert errors and "is not a team member of this firm" in errors[0]


# --- The settings step ----------------------------------------------------------------------------


def settings_url(job):
    return reverse("imports:step_settings", args=[job.pk])


def test_settings_step_lists_the_names_that_match_no_member_once_each(owner_client, team):
    job = wizard_upload(owner_client, HUBSPOT)
    response = owner_client.get(settings_url(job))
    listed = [(entry.name, entry.rows) for entry in response.context["form"].unmatched.names]
    assert listed == [("Pat Partner", 2), ("Former Staffer", 1)]
    html = response.content.decode()
    assert 'data-member-name="Pat Partner"' in html and "Mia Manager" in html  # a choice, not a listed name
    assert 'data-member-name="Mia Manager"' not in html
    assert "Nobody (leave unassigned)" in html


def test_choices_made_in_the_settings_step_are_saved_shown_again_and_used_by_the_run(owner_client, team, owner):
    job = wizard_upload(owner_client, HUBSPOT)
    response = owner_client.get(settings_url(job))
    owner_client.post(settings_url(job), table_post(response, **{
        member_name_field("Pat Partner"): "admin@firm-a.example",
        member_name_field("Former Staffer"): NOBODY,
    }))
    assert mapping_of(job).settings.member_names == {"Pat Partner": "admin@firm-a.example", "Former Staffer": ""}
    form = owner_client.get(settings_url(job)).context["form"]
    assert form[member_name_field("Pat Partner")].value() == "admin@firm-a.example"
    assert form[member_name_field("Former Staffer")].value() == NOBODY
    summary = dict(owner_client.get(url("review", job)).context["summary"])
    assert summary["Team members named in the file"] == "Pat Partner → Adam Admin; Former Staffer → nobody"

    jobs.job_start(job, actor=uploader(job), enqueue=False)
    job = jobs.job_run(job.pk)
    assert job.status == "finished", job.error
    assert assignees("Wu Consulting") == assignees("Fox Plumbing") == ["admin@firm-a.example"]
    assert assignees("Ray Bakery") == []
    assert assignees("Smith Dental") == ["manager@firm-a.example"]
    assert warned(job) == []


def test_a_name_left_not_chosen_is_not_saved_and_stays_warned(owner_client, team):
    job = wizard_upload(owner_client, HUBSPOT)
    response = owner_client.get(settings_url(job))
    owner_client.post(settings_url(job), table_post(response, **{member_name_field("Former Staffer"): NOBODY}))
    assert mapping_of(job).settings.member_names == {"Former Staffer": ""}


def test_settings_step_refuses_another_firms_member_for_a_name(owner_client, team, other_firm, other_owner):
    job = wizard_upload(owner_client, HUBSPOT)
    response = owner_client.get(settings_url(job))
    response = owner_client.post(settings_url(job), table_post(
        response, **{member_name_field("Pat Partner"): other_owner.email}))
    assert response.status_code == 200
    assert response.context["form"].errors[member_name_field("Pat Partner")]
    assert mapping_of(job).settings.member_names == {}


def test_a_member_added_later_is_matched_and_leaves_the_list(owner_client, team):
    job = wizard_upload(owner_client, HUBSPOT)
    assert len(owner_client.get(settings_url(job)).context["form"].unmatched.names) == 2
    services.member_add(actor=owner_of(team), email="pat@firm-a.example", full_name="Pat Partner")
    listed = [entry.name for entry in owner_client.get(settings_url(job)).context["form"].unmatched.names]
    assert listed == ["Former Staffer"]


def test_the_list_is_read_from_the_file_once_not_on_every_visit(owner_client, team, monkeypatch):
    job = wizard_upload(owner_client, HUBSPOT)
    owner_client.get(settings_url(job))

    def no_second_read(*args, **kwargs):
        raise AssertionError("the file was read again")

    monkeypatch.setattr(jobs, "open_job_table", no_second_read)
    listed = [entry.name for entry in owner_client.get(settings_url(job)).context["form"].unmatched.names]
    assert listed == ["Pat Partner", "Former Staffer"]


def test_a_file_whose_names_all_match_says_so(owner_client, team):
    rows = [["Account Name", "Email", "Contact owner"], ["Acme LLC", "a@acme.example", "mia manager"]]
    job = wizard_upload(owner_client, rows)
    response = owner_client.get(settings_url(job))
    assert response.context["form"].unmatched.names == []
    assert "Every name in “Contact owner” matches one of your team members." in response.content.decode()


def test_a_long_list_of_names_is_bounded_and_says_there_are_more(owner_client, team, monkeypatch):
    monkeypatch.setattr("imports.members.MAX_LISTED_NAMES", 3)
    rows = [["Account Name", "Contact owner"]] + [[f"Client {i}", f"Stranger {chr(65 + i)}"] for i in range(6)]
    job = wizard_upload(owner_client, rows)
    response = owner_client.get(settings_url(job))
    form = response.context["form"]
    assert [entry.name for entry in form.unmatched.names] == ["Stranger A", "Stranger B", "Stranger C"]
    assert form.unmatched.more
    assert "more than 3 people who match no team member" in response.content.decode()


def test_names_in_the_list_are_escaped(owner_client, team):
    rows = [["Account Name", "Contact owner"], ["Acme LLC", "<b>Eve</b>"]]
    job = wizard_upload(owner_client, rows)
    html = owner_client.get(settings_url(job)).content.decode()
    assert "&lt;b&gt;Eve&lt;/b&gt;" in html and "<b>Eve</b>" not in html


# --- The CLI ------------------------------------------------------------------------------------


def test_the_cli_takes_the_choices_from_the_mapping_file(team, owner, tmp_path):
    (tmp_path / "hubspot.csv").write_text(csv_text(HUBSPOT), encoding="utf-8")
    mapping = make_mapping({"Associated Company": "account.name", "Email": "contact.email",
                            "Contact owner": "account.assignees"},
                           member_names={"Pat Partner": "admin@firm-a.example", "Former Staffer": ""})
    (tmp_path / "mapping.json").write_text(mapping.to_json(), encoding="utf-8")
    call_command("import", str(tmp_path / "hubspot.csv"), "--firm", "alpha", "--user", owner.email,
                 "--mapping", str(tmp_path / "mapping.json"), "--json", stdout=open(tmp_path / "out.json", "w"))
    assert json.loads((tmp_path / "out.json").read_text())["warnings"] == 0
    assert assignees("Fox Plumbing") == ["admin@firm-a.example"] and assignees("Ray Bakery") == []


def test_the_cli_refuses_a_choice_naming_another_firms_member(team, owner, other_owner, tmp_path):
    (tmp_path / "hubspot.csv").write_text(csv_text(HUBSPOT), encoding="utf-8")
    mapping = make_mapping({"Associated Company": "account.name", "Contact owner": "account.assignees"},
                           member_names={"Pat Partner": other_owner.email})
    (tmp_path / "mapping.json").write_text(mapping.to_json(), encoding="utf-8")
    with pytest.raises(CommandError, match="is not a team member of this firm"):
        call_command("import", str(tmp_path / "hubspot.csv"), "--firm", "alpha", "--user", owner.email,
                     "--mapping", str(tmp_path / "mapping.json"))
    assert not Account.objects.exists()
