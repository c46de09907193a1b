"""Remembered mappings (docs/import-rules.md, "Remembered mappings"): an import's mapping is kept
when it starts and preselected for the next file with the same columns, through the wizard as a
person uses it; Settings > Import mappings; the CLI; the source-system line of the upload step."""

import io
import json
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse

from crm import services
from crm.models import Account, CustomField
from imports import jobs, presets, saved_mappings
from imports.mapping import Mapping
from imports.models import ImportJob, SavedMapping
from tests.actors import owner_of
from tests.imports.conftest import csv_text
from tests.imports.test_wizard import (
    CLIENTS, column_prefix, mapping_of, table_post, target, url, wizard_upload,
)

EXPORTS = Path(__file__).parent / "fixtures" / "exports"

# The same columns as CLIENTS, in another order, other people.
NEXT_MONTH = [
    ["Tags", "Email", "Account Name", "First Name", "Last Name", "Spouse First Name", "Spouse Email", "Client Since"],
    ["VIP", "cara@example.com", "Diaz Household", "Cara", "Diaz", "", "", "2022-05-06"],
]


def accounts_url(job):
    return url("step_accounts", job)


def run_first_import(client, capture) -> ImportJob:
    """The first file, its mapping edited on the accounts step (Tags ignored, Client Since a new
    custom field), checked and started: the firm's mapping for these columns."""
    job = wizard_upload(client)
    response = client.get(accounts_url(job))
    since, tags = column_prefix(job, "Client Since"), column_prefix(job, "Tags")
    client.post(accounts_url(job), table_post(response, **{
        f"{tags}-action": "ignore",
        f"{since}-target": "new:account", f"{since}-name": "Client since", f"{since}-type": "date",
    }))
    assert target(job, "Tags")[0] == "ignore"
    client.get(url("review", job))
    with capture(execute=True):
        client.post(url("start_import", job))
    job.refresh_from_db()
    assert job.status == ImportJob.Status.FINISHED, job.error
    return job


@pytest.fixture
def first_import(owner_client, django_capture_on_commit_callbacks):
    return run_first_import(owner_client, django_capture_on_commit_callbacks)


# --- The wizard: reuse, and not ----------------------------------------------------------------


def test_a_second_file_with_the_same_columns_starts_with_the_first_imports_edited_mapping(owner_client, first_import):
    second = wizard_upload(owner_client, NEXT_MONTH, name="clients-january.csv")
    assert target(second, "Tags")[0] == "ignore"
    assert target(second, "Client Since")[:2] == ("account.custom", "Client since")
    assert [c.column for c in mapping_of(second).columns] == NEXT_MONTH[0]  # this file's order
    html = owner_client.get(url("file", second)).content.decode()
    assert f"Using the mapping of import #{first_import.pk} from " in html
    assert "for files with these columns" in html
    assert "Use the automatic mapping instead" in html


def test_the_review_decisions_on_likely_duplicates_are_not_carried_to_the_next_file(owner_client, firm, first_import):
    """A decision says "row 2 of that file is account #N": applied to another file's row 2 it
    would merge a stranger into that account."""
    account = Account.objects.filter(firm=firm).first()
    stored = dict(first_import.mapping, duplicate_decisions=[{"row": 2, "decision": "same", "account": account.pk}])
    ImportJob.objects.filter(pk=first_import.pk).update(mapping=stored)
    saved_mappings.remember(first_import, actor=owner_of(firm))
    assert "duplicate_decisions" not in SavedMapping.objects.get(firm=firm, is_named=False).mapping
    second = wizard_upload(owner_client, NEXT_MONTH, name="clients-january.csv")
    assert mapping_of(second).duplicate_decisions == []


def test_a_file_with_other_columns_gets_the_automatic_mapping(owner_client, first_import):
    other = [CLIENTS[0] + ["Phone"], CLIENTS[1] + ["312-555-0100"]]
    job = wizard_upload(owner_client, other)
    assert target(job, "Tags")[0] == "account.tags"
    assert "saved_mapping" not in job.read_info or job.read_info["saved_mapping"] is None
    html = owner_client.get(url("file", job)).content.decode()
    assert 'data-testid="saved-mapping"' not in html


def test_the_same_columns_for_another_kind_of_import_are_mapped_automatically(owner_client, first_import):
    job = wizard_upload(owner_client, NEXT_MONTH, kind="accounts")
    assert not saved_mappings.applied(job)


def test_use_the_automatic_mapping_instead_resets_it(owner_client, first_import):
    second = wizard_upload(owner_client, NEXT_MONTH)
    response = owner_client.post(url("use_automatic_mapping", second), follow=True)
    assert target(second, "Tags")[0] == "account.tags"
    html = response.content.decode()
    assert "mapped automatically now" in html
    assert 'data-testid="saved-mapping"' not in html
    # Visiting the step again does not bring the saved mapping back.
    assert 'data-testid="saved-mapping"' not in owner_client.get(url("file", second)).content.decode()
    assert target(second, "Tags")[0] == "account.tags"


def test_use_the_automatic_mapping_is_a_post_of_this_firms_editable_job(owner_client, first_import, other_firm,
                                                                        other_owner):
    assert owner_client.get(url("use_automatic_mapping", first_import)).status_code == 405
    response = owner_client.post(url("use_automatic_mapping", first_import))
    assert response.url == url("job", first_import)  # started: its choices no longer change
    theirs = jobs.job_create(actor=owner_of(other_firm), file=io.BytesIO(csv_text(CLIENTS).encode()),
                             original_name="c.csv")
    assert owner_client.post(url("use_automatic_mapping", theirs)).status_code == 404


def test_a_deleted_custom_field_falls_back_to_the_automatic_mapping_with_a_note(owner_client, firm, first_import):
    services.custom_field_delete(field=CustomField.objects.get(firm=firm, name="Client since"))
    second = wizard_upload(owner_client, NEXT_MONTH)
    fresh = jobs.job_create(actor=owner_of(firm), file=io.BytesIO(csv_text(NEXT_MONTH).encode()),
                            original_name="n.csv", use_saved=False)
    assert target(second, "Client Since") == target(fresh, "Client Since")  # as the automatic mapping has it
    assert target(second, "Tags")[0] == "ignore"  # the rest of the saved mapping stays
    html = owner_client.get(url("file", second)).content.decode()
    assert "Column “Client Since” was mapped to the custom field “Client since”, which no longer exists" in html


def test_a_named_mapping_wins_and_is_named_on_the_upload_step(owner_client, firm, first_import):
    saved = SavedMapping.objects.get(firm=firm)
    owner_client.post(reverse("imports:saved_mapping_rename", args=[saved.pk]), {"name": "QBO customers"})
    saved.refresh_from_db()
    used_before = saved.last_used_at
    second = wizard_upload(owner_client, NEXT_MONTH)
    # The second import maps Tags differently: its mapping is remembered beside the named one...
    response = owner_client.get(accounts_url(second))
    tags = column_prefix(second, "Tags")
    owner_client.post(accounts_url(second), table_post(response, **{f"{tags}-action": "sync",
                                                                   f"{tags}-target": "account.tags"}))
    assert target(second, "Tags")[0] == "account.tags"
    jobs.job_dry_run(second)
    jobs.job_start(second, actor=owner_of(firm), enqueue=False)
    assert SavedMapping.objects.filter(firm=firm).count() == 2
    saved.refresh_from_db()
    assert saved.last_used_at > used_before  # used by the second import, unchanged by it
    assert next(c for c in saved.mapping["columns"] if c["column"] == "Tags")["target"] == "ignore"
    # ...and the named one is still the one used.
    third = wizard_upload(owner_client, NEXT_MONTH)
    assert target(third, "Tags")[0] == "ignore"
    assert "Using your saved mapping “QBO customers”" in owner_client.get(url("file", third)).content.decode()


def test_a_draft_never_started_remembers_nothing(owner_client, firm):
    job = wizard_upload(owner_client)
    jobs.job_dry_run(job)
    assert not SavedMapping.objects.filter(firm=firm).exists()


def test_the_automatic_one_is_the_latest_import_of_those_columns(owner_client, firm, first_import):
    later = wizard_upload(owner_client, NEXT_MONTH)
    jobs.job_dry_run(later)
    jobs.job_start(later, actor=owner_of(firm), enqueue=False)
    saved = SavedMapping.objects.get(firm=firm)
    assert saved.source_job_id == later.pk and not saved.is_named


def test_remembered_reading_choices_read_the_next_file_again(owner_client, firm):
    text = "Account Name;First Name;Notes\nCafé Crème;Zoë;très bien\n".encode("cp1252")
    job = wizard_upload(owner_client, content=text)
    owner_client.post(url("file", job), {"action": "reread", "encoding": "latin-1", "delimiter": ";"})
    jobs.job_dry_run(job)
    jobs.job_start(job, actor=owner_of(firm), enqueue=False)
    second = wizard_upload(owner_client, content="Account Name;First Name;Notes\nÉcole;Anaïs;x\n".encode("cp1252"))
    assert mapping_of(second).read.encoding == "latin-1"
    job.refresh_from_db()
    assert second.read_info["encoding"] == job.read_info["encoding"] != "cp1252"
    assert saved_mappings.applied(second)


def test_saved_reading_choices_that_change_the_columns_leave_the_automatic_mapping(owner_client, firm):
    headers = ["Name", "Email"]
    SavedMapping.objects.create(
        firm=firm, signature=saved_mappings.header_signature(headers, "accounts-and-contacts"), headers=headers,
        mapping={"columns": [{"column": "Name", "target": "ignore"}, {"column": "Email", "target": "ignore"}],
                 "read": {"header_row": 2}})
    job = wizard_upload(owner_client, [headers, ["Ann Lee", "ann@example.com"], ["Bo Kim", "bo@example.com"]])
    assert job.read_info["headers"] == headers and job.read_info["header_row"] == 1
    assert target(job, "Email")[0] == "contact.email"
    assert mapping_of(job).read.header_row is None
    assert not saved_mappings.applied(job)


def test_a_tax_id_column_of_the_saved_mapping_has_its_samples_masked(owner_client, firm):
    rows = [["Account Name", "Reference"], ["Lee Family", "XK12345678"]]
    job = wizard_upload(owner_client, rows)
    assert target(job, "Reference")[0] != "account.tax_id"
    response = owner_client.get(accounts_url(job))
    ref = column_prefix(job, "Reference")
    owner_client.post(accounts_url(job), table_post(response, **{f"{ref}-action": "sync",
                                                                 f"{ref}-target": "account.tax_id"}))
    assert target(job, "Reference")[0] == "account.tax_id"
    jobs.job_dry_run(job)
    jobs.job_start(job, actor=owner_of(firm), enqueue=False)
    second = wizard_upload(owner_client, [rows[0], ["Kim Family", "XK98765432"]])
    assert target(second, "Reference")[0] == "account.tax_id"
    assert "XK98765432" not in json.dumps(second.read_info)


# --- The source system -------------------------------------------------------------------------


def test_a_quickbooks_iif_export_is_named_on_the_upload_step(owner_client):
    content = (EXPORTS / "quickbooks-desktop-customers.iif").read_bytes()
    job = wizard_upload(owner_client, name="customers.iif", content=content)
    html = owner_client.get(url("file", job)).content.decode()
    assert "Looks like a QuickBooks Desktop customer list (IIF)." in html


def test_a_quickbooks_online_customer_list_is_named_on_the_upload_step(owner_client):
    headers = presets.KNOWN_HEADERS["quickbooks-online"]
    rows = [headers, ["Acme Inc", "Acme Inc", "1 Main St", "Chicago", "IL", "US", "60601", "312-555-0100",
                      "ap@acme.example", "", "100.50", ""]]
    job = wizard_upload(owner_client, rows)
    html = owner_client.get(url("file", job)).content.decode()
    assert "Looks like a QuickBooks Online customer list." in html


def test_a_file_of_no_known_export_names_none(owner_client):
    html = owner_client.get(url("file", wizard_upload(owner_client))).content.decode()
    assert "Looks like" not in html


def test_every_known_export_has_a_description():
    assert set(presets.SOURCE_DESCRIPTIONS) == {name for name, _ in presets.PRESET_SIGNATURES}


# --- The signature -----------------------------------------------------------------------------


def test_the_signature_ignores_order_case_and_spacing_but_not_spelling_or_kind():
    base = saved_mappings.header_signature(["Email", "First Name"], "accounts-and-contacts")
    assert saved_mappings.header_signature(["first  name ", "EMAIL"], "accounts-and-contacts") == base
    assert saved_mappings.header_signature(["E-mail", "First Name"], "accounts-and-contacts") != base
    assert saved_mappings.header_signature(["Email", "First Name", "Phone"], "accounts-and-contacts") != base
    assert saved_mappings.header_signature(["Email", "First Name"], "contacts") != base


# --- Settings > Import mappings ----------------------------------------------------------------

LIST = reverse("imports:saved_mappings")


def mapping_file(data, name="mapping.json") -> SimpleUploadedFile:
    content = data if isinstance(data, bytes) else json.dumps(data).encode()
    return SimpleUploadedFile(name, content, content_type="application/json")


def test_the_list_shows_each_mapping_with_its_columns_source_and_last_use(owner_client, first_import):
    html = owner_client.get(LIST).content.decode()
    assert f"Mapping of import #{first_import.pk}" in html
    assert f"#{first_import.pk} {first_import.original_name}" in html
    assert f'<td class="num" title="{", ".join(CLIENTS[0])}">8</td>' in html
    assert "Remembered automatically" in html
    assert "Import mappings" in owner_client.get(reverse("crm:settings")).content.decode()  # in the nav


def test_rename_keeps_it_and_a_taken_or_empty_name_is_refused(owner_client, firm, first_import):
    saved = SavedMapping.objects.get(firm=firm)
    response = owner_client.post(reverse("imports:saved_mapping_rename", args=[saved.pk]), {"name": " QBO  customers "},
                                 follow=True)
    saved.refresh_from_db()
    assert (saved.name, saved.is_named) == ("QBO customers", True)
    assert "Renamed to “QBO customers”" in response.content.decode()
    other = SavedMapping.objects.create(firm=firm, signature="x" * 64, headers=["A"], mapping={"columns": []},
                                        name="Xero", is_named=True)
    response = owner_client.post(reverse("imports:saved_mapping_rename", args=[other.pk]), {"name": "qbo customers"},
                                 follow=True)
    assert "Another saved mapping is called “qbo customers”" in response.content.decode()
    response = owner_client.post(reverse("imports:saved_mapping_rename", args=[other.pk]), {"name": ""}, follow=True)
    assert "Give the mapping a name." in response.content.decode()
    other.refresh_from_db()
    assert other.name == "Xero"


def test_delete_removes_it_and_the_next_file_is_mapped_automatically(owner_client, firm, first_import):
    saved = SavedMapping.objects.get(firm=firm)
    html = owner_client.get(LIST).content.decode()
    assert "data-confirm=\"Delete the mapping" in html
    owner_client.post(reverse("imports:saved_mapping_delete", args=[saved.pk]))
    assert not SavedMapping.objects.filter(pk=saved.pk).exists()
    assert target(wizard_upload(owner_client, NEXT_MONTH), "Tags")[0] == "account.tags"


def test_download_is_the_clis_mapping_file_and_the_cli_uses_it(owner_client, firm, owner, first_import, tmp_path):
    saved = SavedMapping.objects.get(firm=firm)
    response = owner_client.get(reverse("imports:saved_mapping_download", args=[saved.pk]))
    assert response["Content-Type"].startswith("application/json")
    assert response["Content-Disposition"] == f'attachment; filename="mapping-of-import-{first_import.pk}.json"'
    mapping = Mapping.from_json(response.content.decode())  # the CLI's reader
    assert mapping.column("Tags").target == "ignore"
    path, data = tmp_path / "m.json", tmp_path / "next.csv"
    path.write_bytes(response.content)
    data.write_text(csv_text(NEXT_MONTH), encoding="utf-8")
    call_command("import", str(data), "--firm", "alpha", "--user", owner.email, "--mapping", str(path),
                 "--dry-run", stdout=io.StringIO())


def test_upload_keeps_a_named_mapping_for_the_columns_it_lists(owner_client, firm):
    data = {"kind": "accounts-and-contacts", "columns": [
        {"column": header, "target": "ignore"} for header in NEXT_MONTH[0]]}
    data["columns"][2]["target"] = "account.name"
    data["future_key"] = {"kept": True}  # a key this version does not know
    response = owner_client.post(LIST, {"name": "January list", "file": mapping_file(data)}, follow=True)
    assert "Saved the mapping “January list” for files with its 8 columns." in response.content.decode()
    saved = SavedMapping.objects.get(firm=firm)
    assert saved.is_named and saved.mapping["future_key"] == {"kept": True}
    job = wizard_upload(owner_client, CLIENTS)  # the same columns, in another order
    assert target(job, "Account Name")[0] == "account.name"
    assert target(job, "Email")[0] == "ignore"
    assert job.mapping["future_key"] == {"kept": True}
    assert "Using your saved mapping “January list”" in owner_client.get(url("file", job)).content.decode()
    download = owner_client.get(reverse("imports:saved_mapping_download", args=[saved.pk]))
    assert json.loads(download.content)["future_key"] == {"kept": True}


@pytest.mark.parametrize("content, message", [
    (b"{not json", "The mapping is not valid JSON (line 1"),
    (json.dumps({"columns": [{"column": "Name", "target": "account.nickname"}]}).encode(),
     "Column &#x27;Name&#x27;: unknown target &#x27;account.nickname&#x27;."),
    (json.dumps({"columns": []}).encode(), "The mapping lists no columns"),
    (json.dumps({"columns": [{"column": "Name", "colour": "red"}]}).encode(), "has a key this version does not know"),
    (json.dumps({"kind": "everything", "columns": [{"column": "Name"}]}).encode(), "Unknown import kind"),
    (b"\xff\xfe{", "not UTF-8 text"),
    (b" " * (saved_mappings.MAX_UPLOAD_BYTES + 1), "larger than 512 KB"),
])
def test_a_bad_upload_says_what_is_wrong_and_keeps_nothing(owner_client, firm, content, message):
    response = owner_client.post(LIST, {"name": "Broken", "file": mapping_file(content)})
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not SavedMapping.objects.filter(firm=firm).exists()


def test_another_firms_mapping_is_not_found(owner_client, other_firm, other_owner, django_capture_on_commit_callbacks):
    theirs = SavedMapping.objects.create(firm=other_firm, signature="y" * 64, headers=["A"],
                                         mapping={"columns": [{"column": "A", "target": "account.name"}]})
    for name in ("saved_mapping_rename", "saved_mapping_delete"):
        assert owner_client.post(reverse(f"imports:{name}", args=[theirs.pk]), {"name": "Mine"}).status_code == 404
    assert owner_client.get(reverse("imports:saved_mapping_download", args=[theirs.pk])).status_code == 404
    assert SavedMapping.objects.filter(pk=theirs.pk, name="", is_named=False).exists()
    assert "Mapping of import" not in owner_client.get(LIST).content.decode()
    # Nor is it used for this firm's file with the same columns.
    theirs.signature = saved_mappings.header_signature(CLIENTS[0], "accounts-and-contacts")
    theirs.save()
    assert not saved_mappings.applied(wizard_upload(owner_client))


def test_a_member_without_the_right_to_import_is_refused(client, firm, plain_member, first_import):
    saved = SavedMapping.objects.get(firm=firm)
    client.force_login(plain_member)
    assert client.get(LIST).status_code == 403
    assert client.post(reverse("imports:saved_mapping_delete", args=[saved.pk])).status_code == 403
    assert client.get(reverse("imports:saved_mapping_download", args=[saved.pk])).status_code == 403
    assert client.post(LIST, {"name": "X", "file": mapping_file({"columns": [{"column": "A"}]})}).status_code == 403
    assert SavedMapping.objects.filter(firm=firm).count() == 1


def test_a_member_who_may_import_manages_mappings_without_the_admin_settings(client, firm, manager, first_import):
    client.force_login(manager)
    html = client.get(LIST).content.decode()
    assert f"Mapping of import #{first_import.pk}" in html
    assert reverse("crm:settings_team") not in html  # the owner's and admins' settings are not offered
    assert client.get(reverse("crm:settings_team")).status_code == 403


# --- The CLI -----------------------------------------------------------------------------------


def test_the_cli_uses_the_saved_mapping_and_says_so_unless_told_not_to(firm, owner, first_import, tmp_path, capsys):
    path = tmp_path / "next.csv"
    path.write_text(csv_text(NEXT_MONTH), encoding="utf-8")
    call_command("import", str(path), "--firm", "alpha", "--user", owner.email, "--json", stdout=io.StringIO())
    job = ImportJob.objects.latest("pk")
    assert Mapping.from_dict(job.mapping).column("Tags").target == "ignore"
    assert f"Using the mapping of import #{first_import.pk} for files with these columns" in capsys.readouterr().err
    call_command("import", str(path), "--firm", "alpha", "--user", owner.email, "--no-saved-mapping",
                 stdout=io.StringIO())
    job = ImportJob.objects.latest("pk")
    assert Mapping.from_dict(job.mapping).column("Tags").target == "account.tags"
    assert "Using" not in capsys.readouterr().err
