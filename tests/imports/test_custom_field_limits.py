"""Custom fields an import may create are capped, per import and per firm, and a file whose rows
are all skipped creates none: a 995-column file once added 994 fields and broke every account form."""

import json

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import override_settings
from django.urls import reverse

from crm import services
from crm.models import CustomField
from imports.mapping import IGNORE, Mapping
from imports.models import ImportJob
from tests.imports.conftest import csv_text, import_rows
from tests.imports.test_wizard import wizard_upload

EXTRA = [f"Extra {n}" for n in range(1, 13)]
WIDE = [["Account Name", "Email", *EXTRA], ["Acme LLC", "ann@acme.example", *[f"value {n}" for n in range(12)]]]


def new_field_columns(job) -> list[str]:
    job.refresh_from_db()
    return [c.column for c in Mapping.from_dict(job.mapping).columns if c.target.endswith(".custom")]


@override_settings(IMPORT_MAX_NEW_CUSTOM_FIELDS=5)
def test_the_automatic_mapping_suggests_no_more_new_fields_than_one_import_may_create(owner_client):
    job = wizard_upload(owner_client, WIDE)
    assert new_field_columns(job) == EXTRA[:5]
    assert {c.target for c in Mapping.from_dict(job.mapping).columns if c.column in EXTRA[5:]} == {IGNORE}
    page = owner_client.get(reverse("imports:file", args=[job.pk])).content.decode()
    assert "7 columns would each have become a new custom field" in page


@override_settings(IMPORT_MAX_FIRM_CUSTOM_FIELDS=10)
def test_the_firm_wide_limit_counts_the_fields_the_firm_already_has(owner_client, firm):
    for n in range(8):
        services.custom_field_create(firm=firm, applies_to="account", name=f"Existing {n}")
    job = wizard_upload(owner_client, WIDE)
    assert new_field_columns(job) == EXTRA[:2]


@override_settings(IMPORT_MAX_NEW_CUSTOM_FIELDS=3)
def test_a_mapping_that_creates_too_many_fields_is_refused_and_creates_nothing(firm, owner, tmp_path):
    path = tmp_path / "wide.csv"
    path.write_text(csv_text(WIDE), encoding="utf-8")
    mapping = {"kind": "accounts-and-contacts", "columns": [{"column": "Account Name", "target": "account.name"}] + [
        {"column": h, "target": "account.custom", "field": h, "field_type": "text"} for h in EXTRA[:4]]}
    mapping_path = tmp_path / "mapping.json"
    mapping_path.write_text(json.dumps(mapping), encoding="utf-8")
    with pytest.raises(CommandError, match="creates 4 new custom fields, but an import may create at most 3"):
        call_command("import", str(path), "--firm", firm.slug, "--user", owner.email, "--mapping", str(mapping_path))
    assert not CustomField.objects.exists()


def test_a_file_whose_rows_are_all_skipped_creates_no_custom_field(firm, owner):
    rows = [["Account Name", "Email", "Referral"], ["", "", "Dana"], ["", "not an email", "Eve"]]
    job, counts = import_rows(firm, owner, rows, {"Account Name": "account.name", "Email": "contact.email",
                                                  "Referral": "account.custom:Referral"})
    assert counts["rows_skipped"] == 2 and counts["custom_fields_created"] == 0
    assert not CustomField.objects.exists()
    assert ImportJob.objects.get(pk=job.pk).status == "finished"


def test_a_file_with_imported_rows_creates_its_fields_and_counts_them(firm, owner):
    rows = [["Account Name", "Referral"], ["", "Dana"], ["Acme LLC", "Eve"]]
    _, counts = import_rows(firm, owner, rows, {"Account Name": "account.name", "Referral": "account.custom:Referral"})
    assert counts["custom_fields_created"] == 1
    field = CustomField.objects.get(firm=firm, name="Referral")
    assert firm.accounts.get(name="Acme LLC").custom_values == {str(field.pk): "Eve"}
