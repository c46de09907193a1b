"""The import wizard, step by step, through Django's test client: what each step shows, what it
stores on the job, and that going back and forth keeps every choice."""

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from django.urls import reverse

from crm import services
from crm.models import Account, AccountContact, Contact, CustomField, Tag
from imports import jobs
from imports.mapping import Mapping
from imports.models import ImportChange, ImportJob
from tests.actors import owner_of, uploader
from tests.imports.conftest import csv_text

CLIENTS = [
    ["Account Name", "First Name", "Last Name", "Email", "Spouse First Name", "Spouse Email", "Client Since", "Tags"],
    ["Smith Household", "John", "Smith", "john@example.com", "Jane", "jane@example.com", "2019-04-01", "VIP"],
    ["Acme LLC", "Bob", "Jones", "bob@acme.example", "", "", "2021-01-15", ""],
    ["", "", "", "", "", "", "2020-02-02", ""],
]
KIND = "accounts-and-contacts"


def wizard_upload(client, rows=CLIENTS, *, kind=KIND, name="clients.csv", content=None) -> ImportJob:
    data = content if content is not None else csv_text(rows).encode("utf-8")
    response = client.post(reverse("imports:upload", args=[kind]), {"file": SimpleUploadedFile(name, data)})
    assert response.status_code == 302, response.content.decode()[:2000]
    return ImportJob.objects.latest("pk")


def url(name, job):
    return reverse(f"imports:{name}", args=[job.pk])


def mapping_of(job) -> Mapping:
    job.refresh_from_db()
    return Mapping.from_dict(job.mapping)


def target(job, column) -> tuple[str, str, str]:
    col = mapping_of(job).column(column)
    return col.target, col.field, col.field_type


def table_post(response, **changes) -> dict:
    """The step's form as the page rendered it (every field's current value), with `changes`."""
    form = response.context["form"]
    data = {}
    for name, field in form.fields.items():
        value = form[name].value()
        if isinstance(value, bool):
            if value:
                data[name] = "on"
        elif isinstance(value, (list, tuple)):
            data[name] = list(value)
        elif value is not None:
            data[name] = value
    data.update(changes)
    return {k: v for k, v in data.items() if v is not None}


def column_prefix(job, header) -> str:
    return f"c{job.read_info['headers'].index(header)}"


# --- Entry and step 1 --------------------------------------------------------------------------


def test_start_page_offers_the_three_kinds_with_a_line_each(owner_client):
    html = owner_client.get(reverse("imports:start")).content.decode()
    for kind in ("accounts-and-contacts", "accounts", "contacts"):
        assert reverse("imports:upload", args=[kind]) in html
    assert "Moving from another system" in html
    assert "Contacts are never touched" in html
    assert "prospects" in html


def test_import_button_of_both_lists_opens_the_wizard(owner_client):
    for name in ("crm:account_list", "crm:contact_list"):
        assert reverse("imports:start") in owner_client.get(reverse(name)).content.decode()


@override_settings(IMPORT_MAX_UPLOAD_BYTES=5 * 1024 * 1024)
def test_upload_page_states_the_size_limit_before_anything_is_sent(owner_client):
    html = owner_client.get(reverse("imports:upload", args=[KIND])).content.decode()
    assert "up to 5 MB" in html
    assert 'data-max-bytes="5242880"' in html
    assert 'enctype="multipart/form-data"' in html


def test_unknown_kind_is_not_found(owner_client):
    assert owner_client.get(reverse("imports:upload", args=["everything"])).status_code == 404


def test_upload_creates_a_draft_job_and_shows_what_was_detected(owner_client, firm, owner):
    job = wizard_upload(owner_client)
    assert (job.firm, job.created_by, job.kind, job.status) == (firm, owner, KIND, ImportJob.Status.DRAFT)
    response = owner_client.get(url("file", job))
    html = response.content.decode()
    assert re.search(r'data-detected="encoding">UTF-8<', html)
    assert re.search(r'data-detected="delimiter">Comma<', html)
    assert re.search(r'data-detected="header_row">Row 1<', html)
    assert "Smith Household" in html and "bob@acme.example" in html
    assert response.context["preview"].headers == CLIENTS[0]


def test_a_choice_that_changes_the_columns_maps_them_afresh(owner_client):
    rows = [["Client list — exported 2026"], [], ["Name", "Email"], ["Ann Lee", "ann@example.com"]]
    job = wizard_upload(owner_client, rows)
    assert job.read_info["header_row"] == 3
    response = owner_client.post(url("file", job), {"action": "reread", "encoding": "auto", "delimiter": "auto",
                                                    "header_row": "1"}, follow=True)
    job.refresh_from_db()
    assert job.read_info["header_row"] == 1
    assert job.read_info["headers"][0] == "Client list — exported 2026"
    assert [c.column for c in mapping_of(job).columns] == job.read_info["headers"]
    assert "mapped afresh" in response.content.decode()


def test_changing_only_how_the_file_is_read_keeps_the_mapping(owner_client):
    text = "Account Name;First Name;Notes\nCafé Crème;Zoë;très bien\n"
    job = wizard_upload(owner_client, content=text.encode("cp1252"))
    assert job.read_info["encoding"] == "cp1252" and job.read_info["delimiter"] == ";"
    response = owner_client.get(reverse("imports:step_accounts", args=[job.pk]))
    p = column_prefix(job, "Notes")
    owner_client.post(reverse("imports:step_accounts", args=[job.pk]), table_post(response, **{f"{p}-action": "ignore"}))
    assert target(job, "Notes")[0] == "ignore"

    response = owner_client.post(url("file", job), {"action": "reread", "encoding": "latin-1", "delimiter": ";"},
                                 follow=True)
    job.refresh_from_db()
    assert job.read_info["encoding"] == "iso8859-1"
    assert mapping_of(job).read.encoding == "latin-1"
    assert target(job, "Notes")[0] == "ignore"  # kept: same columns
    assert "your mapping is kept" in response.content.decode()
    assert "Café Crème" in response.content.decode()


def test_a_reading_choice_that_cannot_work_is_explained_and_the_old_one_kept(owner_client):
    job = wizard_upload(owner_client, content="Name;Notes\nAnn;crème\n".encode("utf-16"))
    response = owner_client.post(url("file", job), {"action": "reread", "encoding": "utf-8", "delimiter": "auto"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "The previous choices are kept" in html
    job.refresh_from_db()
    assert job.read_info["encoding"] == "utf-16" and mapping_of(job).read.encoding is None


def test_workbook_sheet_can_be_chosen(owner_client, tmp_path):
    from tests.imports.reading.workbooks import write_xlsx

    path = write_xlsx(tmp_path / "book.xlsx", {
        "Read me": [["Exported from Drake on 2026-11-01"]],
        "Clients": [["Client", "Email"], ["Lee Family", "lee@example.com"]],
    })
    job = wizard_upload(owner_client, name="book.xlsx", content=path.read_bytes())
    html = owner_client.get(url("file", job)).content.decode()
    assert 'value="Clients"' in html
    owner_client.post(url("file", job), {"action": "reread", "sheet": "Clients"})
    job.refresh_from_db()
    assert job.read_info["sheet"] == "Clients"
    assert job.read_info["headers"] == ["Client", "Email"]
    assert target(job, "Email")[0] == "contact.email"


def test_continue_from_step_one_goes_to_the_accounts_step(owner_client):
    job = wizard_upload(owner_client)
    response = owner_client.post(url("file", job), {"nav": "next"})
    assert response.url == reverse("imports:step_accounts", args=[job.pk])
    response = owner_client.post(url("file", job), {"nav": "back"})
    assert response.url == reverse("imports:start")


# --- Step 2: accounts ----------------------------------------------------------------------------


def accounts_url(job):
    return reverse("imports:step_accounts", args=[job.pk])


def test_accounts_step_preselects_the_account_name_column_from_the_automatic_mapping(owner_client):
    job = wizard_upload(owner_client)
    response = owner_client.get(accounts_url(job))
    form = response.context["form"]
    assert form["account_name"].value() == "0"
    html = response.content.decode()
    assert "Account name (chosen above)" in html
    assert "new accounts get Other" in html
    assert "Choosing Company also fills each account&#x27;s company name" in html
    samples = dict((c.header, c.samples) for c in form.table)
    assert samples["First Name"] == ["John", "Bob"]


def test_field_table_offers_grouped_standard_custom_and_new_fields(owner_client, firm):
    services.custom_field_create(firm=firm, applies_to="account", name="Fiscal year end", field_type="date")
    job = wizard_upload(owner_client)
    html = owner_client.get(accounts_url(job)).content.decode()
    for group in ("Account", "Account custom fields", "Contact", "Contact 2", "Contact 5", "Create a custom field"):
        assert f'<optgroup label="{group}">' in html
    assert ">Fiscal year end<" in html
    assert "New account field…" in html and "New contact field…" in html


def test_new_custom_field_is_created_inline_with_its_type_guessed_from_the_values(owner_client):
    job = wizard_upload(owner_client)
    response = owner_client.get(accounts_url(job))
    p = column_prefix(job, "Client Since")
    assert response.context["form"][f"{p}-type"].value() == "date"
    owner_client.post(accounts_url(job), table_post(
        response, **{f"{p}-target": "new:account", f"{p}-name": "Client since", f"{p}-type": "date"}))
    assert target(job, "Client Since") == ("account.custom", "Client since", "date")
    assert not CustomField.objects.exists()  # created by Start import, not before


def test_existing_custom_field_and_role_can_be_chosen(owner_client, firm):
    field = services.custom_field_create(firm=firm, applies_to="account", name="Fiscal year end", field_type="date")
    role = services.account_role_get_or_create(firm=firm, name="Tax preparer")
    job = wizard_upload(owner_client)
    response = owner_client.get(accounts_url(job))
    since, tags = column_prefix(job, "Client Since"), column_prefix(job, "Tags")
    owner_client.post(accounts_url(job), table_post(
        response, **{f"{since}-target": f"cf:{field.pk}", f"{tags}-target": f"role:{role.pk}"}))
    assert target(job, "Client Since")[:2] == ("account.custom", "Fiscal year end")
    assert target(job, "Tags")[:2] == ("account.role", "Tax preparer")


def test_another_firms_custom_field_is_not_a_valid_choice(owner_client, other_firm):
    theirs = services.custom_field_create(firm=other_firm, applies_to="account", name="Secret")
    job = wizard_upload(owner_client)
    response = owner_client.get(accounts_url(job))
    p = column_prefix(job, "Client Since")
    response = owner_client.post(accounts_url(job), table_post(response, **{f"{p}-target": f"cf:{theirs.pk}"}))
    assert response.status_code == 200
    assert response.context["form"].errors
    assert target(job, "Client Since")[1] != "Secret"


HUBSPOT = [["First Name", "Last Name", "Email", "Company Name"],
           ["Ann", "Lee", "ann@smithdental.example", "Smith Dental"],
           ["Raj", "Patel", "raj@smithdental.example", "Smith Dental"],
           ["Mary", "Jones", "mary@example.com", ""]]


def test_accounts_step_says_accounts_come_from_the_company_column_and_one_click_splits_them(owner_client, firm):
    job = wizard_upload(owner_client, HUBSPOT)
    response = owner_client.get(accounts_url(job))
    html = response.content.decode()
    assert "Accounts come from the “Company Name” column: rows of one company are one company account" in html
    assert target(job, "Company Name")[0] == "account.name"

    response = owner_client.post(accounts_url(job), table_post(response, switch_account_source=""))
    assert response.status_code == 302 and response.url == accounts_url(job)
    assert target(job, "Company Name")[0] == "account.company_name"  # kept, as each account's company
    html = owner_client.get(accounts_url(job)).content.decode()
    assert "Each row&#x27;s person is their own account" in html and "One account per “Company Name” instead" in html

    response = owner_client.get(accounts_url(job))
    owner_client.post(accounts_url(job), table_post(response, switch_account_source="3"))
    assert target(job, "Company Name")[0] == "account.name"


@pytest.mark.parametrize("per_person, accounts", [
    (False, [("Mary Jones", "individual", ""), ("Smith Dental", "company", "Smith Dental")]),
    (True, [("Ann Lee", "individual", "Smith Dental"), ("Mary Jones", "individual", ""),
            ("Raj Patel", "individual", "Smith Dental")]),
])
def test_an_organisation_column_groups_people_into_company_accounts_unless_told_otherwise(
        owner_client, firm, per_person, accounts):
    job = wizard_upload(owner_client, HUBSPOT)
    if per_person:
        response = owner_client.get(accounts_url(job))
        owner_client.post(accounts_url(job), table_post(response, switch_account_source=""))
    job.refresh_from_db()
    jobs.job_start(job, actor=uploader(job), enqueue=False)
    assert jobs.job_run(job.pk).status == "finished"
    assert sorted(Account.objects.filter(firm=firm).values_list("name", "type", "company_name")) == accounts
    if not per_person:
        dental = Account.objects.get(firm=firm, name="Smith Dental")
        assert sorted(dental.contacts.values_list("email", flat=True)) == ["ann@smithdental.example",
                                                                           "raj@smithdental.example"]


def test_account_type_one_for_all_is_stored(owner_client):
    job = wizard_upload(owner_client)
    response = owner_client.get(accounts_url(job))
    owner_client.post(accounts_url(job), table_post(response, type_mode="fixed", type_value="company"))
    mapping = mapping_of(job)
    assert (mapping.account_type.mode, mapping.account_type.value) == ("fixed", "company")


def test_account_type_from_a_column_maps_that_column(owner_client):
    rows = [["Client", "Entity Type", "Email"], ["Acme", "Business", "a@acme.example"]]
    job = wizard_upload(owner_client, rows)
    response = owner_client.get(accounts_url(job))
    assert response.context["form"]["type_mode"].value() == "column"
    owner_client.post(accounts_url(job), table_post(response, type_mode="auto", type_column=""))
    assert mapping_of(job).account_type.mode == "auto"
    assert target(job, "Entity Type")[0] == "ignore"
    response = owner_client.get(accounts_url(job))
    owner_client.post(accounts_url(job), table_post(response, type_mode="column", type_column="1"))
    assert target(job, "Entity Type")[0] == "account.type"
    assert mapping_of(job).account_type.mode == "column"


def test_account_type_column_must_be_chosen(owner_client):
    job = wizard_upload(owner_client)
    response = owner_client.get(accounts_url(job))
    response = owner_client.post(accounts_url(job), table_post(response, type_mode="column", type_column=""))
    assert "Choose the column that holds the account type" in response.content.decode()


def test_changing_the_account_name_column_frees_the_previous_one(owner_client):
    job = wizard_upload(owner_client)
    response = owner_client.get(accounts_url(job))
    p = column_prefix(job, "Tags")
    owner_client.post(accounts_url(job), table_post(response, account_name="7", **{f"{p}-action": "sync"}))
    assert target(job, "Tags")[0] == "account.name"
    assert target(job, "Account Name")[0] == "ignore"


def test_the_services_objections_are_shown_as_form_errors_and_nothing_is_stored(owner_client):
    job = wizard_upload(owner_client)
    before = dict(job.mapping)
    response = owner_client.get(accounts_url(job))
    first, spouse = column_prefix(job, "First Name"), column_prefix(job, "Spouse First Name")
    response = owner_client.post(accounts_url(job), table_post(
        response, **{f"{spouse}-target": "contact.first_name", f"{first}-target": "contact.first_name"}))
    assert response.status_code == 200
    assert "both feed contact.first_name; keep one" in response.content.decode()
    job.refresh_from_db()
    assert job.mapping == before


def test_sync_without_a_field_asks_for_one(owner_client):
    job = wizard_upload(owner_client)
    response = owner_client.get(accounts_url(job))
    p = column_prefix(job, "Client Since")
    response = owner_client.post(accounts_url(job), table_post(response, **{f"{p}-action": "sync", f"{p}-target": ""}))
    assert "Choose the field “Client Since” feeds, or set it to Ignore." in response.content.decode()


def test_columns_mapped_elsewhere_are_marked(owner_client):
    job = wizard_upload(owner_client)
    accounts_html = owner_client.get(accounts_url(job)).content.decode()
    assert "contact field, also in step 4" in accounts_html
    contacts_html = owner_client.get(reverse("imports:step_contacts", args=[job.pk])).content.decode()
    assert "an account field, set in step 2" in contacts_html


# --- Step 3: settings ----------------------------------------------------------------------------


def settings_url(job):
    return reverse("imports:step_settings", args=[job.pk])


def test_settings_offer_portal_switches_for_each_email_column_with_an_example(owner_client):
    job = wizard_upload(owner_client)
    response = owner_client.get(settings_url(job))
    html = response.content.decode()
    assert [c.header for c in response.context["form"].email_columns] == ["Email", "Spouse Email"]
    assert "john@example.com" in html and "jane@example.com" in html
    assert "May sign in to the client portal" in html
    assert "use Invite to portal on the accounts list when you are ready" in html
    assert "has no effect" in html  # Email sync is not a mailbox integration yet
    email, spouse = (c.index for c in response.context["form"].email_columns)
    owner_client.post(settings_url(job), table_post(response, **{
        f"portal-{email}-login": "on", f"portal-{email}-notify": "on", f"portal-{spouse}-notify": "on"}))
    portal = mapping_of(job).settings.portal
    assert (portal["Email"].login, portal["Email"].notify, portal["Email"].email_sync) == (True, True, False)
    assert (portal["Spouse Email"].login, portal["Spouse Email"].notify) == (False, True)
    assert mapping_of(job).settings.send_invitations is False


def test_settings_store_tags_assignees_folders_and_overwrite(owner_client, firm, manager):
    services.tag_get_or_create(firm=firm, name="Migrated")
    services.folder_template_create(firm=firm, name="Bookkeeping", folders=["Bank statements"])
    job = wizard_upload(owner_client)
    response = owner_client.get(settings_url(job))
    assert response.context["form"]["folder_template"].value() == "default"
    assert "new accounts are assigned to you" in response.content.decode()
    owner_client.post(settings_url(job), table_post(
        response, tags=["Migrated"], assignees=[manager.email], folder_template="Bookkeeping", overwrite="on"))
    s = mapping_of(job).settings
    assert (s.tags, s.assignees, s.folder_template, s.overwrite) == (["Migrated"], [manager.email], "Bookkeeping", True)



def test_a_folder_template_deleted_after_it_was_chosen_stops_the_check_naming_it(owner_client, firm):
    template = services.folder_template_create(firm=firm, name="Bookkeeping", folders=["Bank statements"])
    job = wizard_upload(owner_client)
    owner_client.post(settings_url(job), table_post(owner_client.get(settings_url(job)), folder_template="Bookkeeping"))
    services.folder_template_delete(template=template)
    html = owner_client.get(reverse("imports:review", args=[job.pk])).content.decode()
    assert "has no folder template called &#x27;Bookkeeping&#x27;" in html
    job.refresh_from_db()
    assert job.dry_run_state == "failed"

def test_settings_refuse_another_firms_tag_and_member(owner_client, other_firm, other_owner):
    services.tag_get_or_create(firm=other_firm, name="Theirs")
    job = wizard_upload(owner_client)
    response = owner_client.get(settings_url(job))
    response = owner_client.post(settings_url(job), table_post(response, tags=["Theirs"], assignees=[other_owner.email]))
    assert response.status_code == 200
    assert not mapping_of(job).settings.tags and not mapping_of(job).settings.assignees


# --- Kinds -----------------------------------------------------------------------------------------


def test_accounts_only_import_has_no_contacts_step_and_offers_update_only(owner_client):
    job = wizard_upload(owner_client, [["Client", "Tags"], ["Acme", "VIP"]], kind="accounts")
    response = owner_client.get(settings_url(job))
    titles = [s["title"] for s in response.context["steps"]]
    assert titles == ["Upload", "Accounts", "Settings", "Review"]
    assert "Update only existing accounts" in response.content.decode()
    assert "Client portal" not in response.content.decode()
    response = owner_client.post(settings_url(job), table_post(response, update_only="on", nav="next"))
    assert response.url == url("review", job)
    assert mapping_of(job).settings.update_only is True
    assert owner_client.get(reverse("imports:step_contacts", args=[job.pk])).url == url("review", job)


def test_accounts_only_import_needs_the_account_name_column(owner_client):
    job = wizard_upload(owner_client, [["Client", "Tags"], ["Acme", "VIP"]], kind="accounts")
    response = owner_client.get(accounts_url(job))
    response = owner_client.post(accounts_url(job), table_post(response, account_name=""))
    assert "an accounts-only import finds and creates accounts by their name" in response.content.decode()


def test_contacts_only_import_has_no_accounts_step(owner_client):
    job = wizard_upload(owner_client, [["First Name", "Email"], ["Ann", "ann@example.com"]], kind="contacts")
    response = owner_client.get(url("file", job))
    assert [s["title"] for s in response.context["steps"]] == ["Upload", "Settings", "Contacts", "Review"]
    assert owner_client.post(url("file", job), {"nav": "next"}).url == settings_url(job)
    assert owner_client.get(accounts_url(job)).url == settings_url(job)
    html = owner_client.get(settings_url(job)).content.decode()
    assert "Overwrite existing values" in html and "Assignees" not in html
    response = owner_client.get(reverse("imports:step_contacts", args=[job.pk]))
    assert '<optgroup label="Account">' not in response.content.decode()


# --- Back and forth ---------------------------------------------------------------------------------


def test_going_back_and_forth_keeps_every_choice(owner_client, firm, manager):
    services.tag_get_or_create(firm=firm, name="Migrated")
    job = wizard_upload(owner_client)
    since = column_prefix(job, "Client Since")

    response = owner_client.get(accounts_url(job))
    response = owner_client.post(accounts_url(job), table_post(
        response, type_mode="fixed", type_value="individual", nav="next",
        **{f"{since}-target": "new:account", f"{since}-name": "Client since", f"{since}-type": "date"}))
    assert response.url == settings_url(job)
    response = owner_client.get(settings_url(job))
    email = response.context["form"].email_columns[0].index
    response = owner_client.post(settings_url(job), table_post(
        response, tags=["Migrated"], assignees=[manager.email], folder_template="none", nav="next",
        **{f"portal-{email}-login": "on"}))
    contacts_url = reverse("imports:step_contacts", args=[job.pk])
    assert response.url == contacts_url
    response = owner_client.get(contacts_url)
    spouse = column_prefix(job, "Spouse Email")
    response = owner_client.post(contacts_url, table_post(response, nav="back", **{f"{spouse}-action": "ignore"}))
    assert response.url == settings_url(job)  # Back saves, then goes back

    # Every earlier step shows what was chosen.
    form = owner_client.get(settings_url(job)).context["form"]
    assert form["tags"].value() == ["Migrated"] and form["assignees"].value() == [manager.email]
    assert form["folder_template"].value() == "none" and form[f"portal-{email}-login"].value() is True
    form = owner_client.get(accounts_url(job)).context["form"]
    assert (form["type_mode"].value(), form["type_value"].value()) == ("fixed", "individual")
    assert form[f"{since}-target"].value() == "new:account" and form[f"{since}-name"].value() == "Client since"
    form = owner_client.get(contacts_url).context["form"]
    assert form[f"{spouse}-action"].value() == "ignore"
    # ...and the review lists them.
    html = owner_client.get(url("review", job)).content.decode()
    assert "Migrated" in html and "Individual for every account" in html and "Mia Manager" in html


# --- Review -----------------------------------------------------------------------------------------


def test_review_shows_examples_and_totals_and_writes_nothing(owner_client, firm):
    job = wizard_upload(owner_client)
    counts = (Account.objects.count(), Contact.objects.count(), Tag.objects.count(), CustomField.objects.count())
    response = owner_client.get(url("review", job))
    html = response.content.decode()
    examples = response.context["examples"]
    assert [a.name for a in examples.accounts] == ["Smith Household", "Acme LLC"]
    smith = examples.accounts[0]
    assert smith.status == "new"
    assert [(c.name, c.slot) for c in smith.contacts] == [("John Smith", 1), ("Jane", 2)]
    assert ("VIP", True) in smith.tags
    assert 'data-total="accounts_created">2<' in html
    assert 'data-total="contacts_created">3<' in html
    assert 'data-total="rows_skipped">1<' in html
    assert "No account name" in html and "Row 4" in html
    assert (Account.objects.count(), Contact.objects.count(), Tag.objects.count(), CustomField.objects.count()) == counts
    assert not ImportChange.objects.exists()
    job.refresh_from_db()
    assert job.status == ImportJob.Status.READY and job.dry_run_state == "done"


def test_review_says_which_accounts_exist_and_will_be_updated(owner_client, firm):
    services.account_create(actor=owner_of(firm), name="Acme LLC", type="other", folder_template=None)
    job = wizard_upload(owner_client)
    response = owner_client.get(url("review", job))
    acme = next(a for a in response.context["examples"].accounts if a.name == "Acme LLC")
    assert acme.status == "updated"
    assert "Existing — will be updated" in response.content.decode()
    assert 'data-total="accounts_updated">1<' in response.content.decode()


def test_changing_a_choice_after_the_review_checks_every_row_again(owner_client):
    job = wizard_upload(owner_client)
    owner_client.get(url("review", job))
    job.refresh_from_db()
    first_token = job.dry_run_token
    response = owner_client.get(accounts_url(job))
    owner_client.post(accounts_url(job), table_post(response, type_mode="fixed", type_value="company"))
    owner_client.get(url("review", job))
    job.refresh_from_db()
    assert job.dry_run_token == first_token + 1
    assert job.dry_run_mapping == job.mapping and job.dry_run_state == "done"
    owner_client.get(url("review", job))  # unchanged: no new check
    job.refresh_from_db()
    assert job.dry_run_token == first_token + 1


@override_settings(IMPORT_INLINE_CHECK_BYTES=0,
                   TASKS={"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}})
def test_large_file_is_checked_in_the_background_with_a_progress_fragment(owner_client):
    job = wizard_upload(owner_client)
    response = owner_client.get(url("review", job))
    html = response.content.decode()
    assert 'data-testid="check-progress"' in html
    assert f'hx-get="{reverse("imports:check_progress", args=[job.pk])}"' in html and 'hx-trigger="every 1s"' in html
    assert 'data-testid="start-import"' not in html  # Start waits for the totals
    fragment = owner_client.get(reverse("imports:check_progress", args=[job.pk]), headers={"HX-Request": "true"})
    assert fragment.status_code == 200 and "Checking every row" in fragment.content.decode()

    jobs.job_check_run(job.pk)  # what the worker does with the queued task

    fragment = owner_client.get(reverse("imports:check_progress", args=[job.pk]), headers={"HX-Request": "true"})
    assert fragment.headers["HX-Refresh"] == "true"
    html = owner_client.get(url("review", job)).content.decode()
    assert 'data-total="accounts_created">2<' in html and 'data-testid="start-import"' in html


def test_a_check_superseded_by_a_newer_request_stops_without_storing_totals(owner_client, monkeypatch):
    job = wizard_upload(owner_client)
    jobs.job_check_request(job, actor=uploader(job))
    real_dry_run = jobs.job_dry_run

    def user_changes_a_choice_meanwhile(job, **kwargs):
        jobs.job_check_request(ImportJob.objects.get(pk=job.pk), actor=uploader(job))
        return real_dry_run(job, **kwargs)

    monkeypatch.setattr(jobs, "job_dry_run", user_changes_a_choice_meanwhile)
    jobs.job_check_run(job.pk)
    job.refresh_from_db()
    assert "rows_total" not in job.dry_run_counts
    assert job.dry_run_state == "queued"  # the newer request waits for its own run


def test_start_waits_for_the_check_of_the_current_choices(owner_client):
    job = wizard_upload(owner_client)
    response = owner_client.post(url("start_import", job))
    assert response.url == url("review", job)
    job.refresh_from_db()
    assert job.status == ImportJob.Status.DRAFT
    assert "has not finished for these choices yet" in owner_client.get(response.url).content.decode()


def test_nothing_but_the_job_its_file_and_its_mapping_exists_before_start(owner_client, firm):
    job = wizard_upload(owner_client)
    for step in ("step_accounts", "step_settings", "step_contacts"):
        response = owner_client.get(reverse(f"imports:{step}", args=[job.pk]))
        owner_client.post(reverse(f"imports:{step}", args=[job.pk]), table_post(response, nav="next"))
    owner_client.get(url("review", job))
    assert not Account.objects.exists() and not Contact.objects.exists() and not AccountContact.objects.exists()
    assert not Tag.objects.exists() and not CustomField.objects.exists()
    assert not job.issues.exists() and not ImportChange.objects.exists()
