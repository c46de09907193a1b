"""`clientport import` and `clientport export` as a user runs them."""

import csv
import io
import json
import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse

from crm import services
from crm.models import Account, Contact
from imports.models import COUNTER_NAMES, ImportJob
from tests.actors import owner_of
from tests.imports.conftest import csv_text

pytestmark = pytest.mark.django_db

CLIENTS = [
    ["Client Name", "First Name", "Last Name", "Email", "Phone", "Notes"],
    ["Acme LLC", "Ann", "Lee", "ann@acme.example", "312-555-0100", "=HYPERLINK(\"http://evil\")"],
    ["", "", "", "", "", "@SUM(1+1)"],
    ["Smith Family", "John", "Smith", "john@smith.example", "", ""],
]


def run(*args) -> str:
    out = io.StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


@pytest.fixture
def clients_file(tmp_path):
    path = tmp_path / "clients.csv"
    path.write_text(csv_text(CLIENTS), encoding="utf-8")
    return path


def test_json_output_has_every_counter(firm, owner, clients_file):
    result = json.loads(run("import", str(clients_file), "--firm", "alpha", "--user", owner.email, "--json"))
    assert set(COUNTER_NAMES) <= set(result)
    assert result["rows_total"] == 3 and result["rows_imported"] == 2 and result["rows_skipped"] == 1
    assert result["accounts_created"] == 2 and result["contacts_created"] == 2
    assert Account.objects.filter(firm=firm).count() == 2


QUICKBOOKS_REPORT = (
    "Acme CPA,,,\r\n"
    "Customer Contact List,,,\r\n"
    ",,,\r\n"
    "Customer,Email,Phone,Open Balance\r\n"
    "Acme Inc,ap@acme.example,312-555-0100,100.50\r\n"
    "Bob's Bakery,bob@bakery.example,312-555-0101,20.00\r\n"
    ",,,\r\n"
    '"Grand Totals (2 records)",,,120.50\r\n'
    ",,,\r\n"
    '"Confidential Information - Do Not Distribute","Confidential Information - Do Not Distribute",,\r\n'
)


def test_a_report_footer_over_several_columns_is_not_counted_as_a_row(firm, owner, tmp_path):
    path = tmp_path / "customers.csv"
    path.write_text(QUICKBOOKS_REPORT, encoding="utf-8")
    result = json.loads(run("import", str(path), "--firm", "alpha", "--user", owner.email, "--json"))
    assert result["rows_total"] == result["rows_imported"] == 2 and result["rows_skipped"] == 0
    assert sorted(Account.objects.filter(firm=firm).values_list("name", flat=True)) == ["Acme Inc", "Bob's Bakery"]


def test_dry_run_writes_nothing_and_reports_the_same_counts(firm, owner, clients_file):
    dry = json.loads(run("import", str(clients_file), "--firm", "alpha", "--user", owner.email, "--json",
                         "--dry-run"))
    assert Account.objects.count() == 0 and Contact.objects.count() == 0
    real = json.loads(run("import", str(clients_file), "--firm", "alpha", "--user", owner.email, "--json"))
    assert {k: dry[k] for k in COUNTER_NAMES} == {k: real[k] for k in COUNTER_NAMES}
    assert dry["skipped_reasons"] == real["skipped_reasons"] == {"missing_account_name": 1}



def test_a_dry_run_leaves_no_job_in_the_firms_history(firm, owner, owner_client, clients_file, settings):
    result = json.loads(run("import", str(clients_file), "--firm", "alpha", "--user", owner.email, "--json",
                            "--dry-run"))
    assert result["status"] == "dry-run" and result["job"] is None and result["rows_total"] == 3
    assert not ImportJob.objects.exists()
    assert not any(path.is_file() for path in Path(settings.MEDIA_ROOT).rglob("clients*.csv"))
    assert "clients.csv" not in owner_client.get(reverse("imports:history")).content.decode()
    plain = run("import", str(clients_file), "--firm", "alpha", "--user", owner.email, "--dry-run")
    assert plain.startswith("Check of clients.csv: dry-run") and not ImportJob.objects.exists()

def test_errors_zip_holds_the_skipped_rows_ready_to_fix_and_formula_safe(firm, owner, clients_file, tmp_path):
    out = tmp_path / "skipped.zip"
    run("import", str(clients_file), "--firm", "alpha", "--user", owner.email, "--errors-zip", str(out))
    with zipfile.ZipFile(out) as archive:
        [name] = archive.namelist()
        text = archive.read(name).decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0] == CLIENTS[0] + ["Row", "Reason"]
    assert len(rows) == 2
    skipped = rows[1]
    assert skipped[-2] == "3"
    assert "no account name" in skipped[-1]
    assert skipped[5] == "'@SUM(1+1)"  # cannot run as a formula in Excel


def test_plain_output_names_each_counter(firm, owner, clients_file):
    output = run("import", str(clients_file), "--firm", "alpha", "--user", owner.email)
    assert "rows imported" in output and "contacts created" in output


class Terminal(io.StringIO):
    """What the command writes to a terminal (a stream that says it is one)."""

    def isatty(self):
        return True


def test_on_a_terminal_the_import_shows_a_bar_with_rows_per_second_and_time_left(firm, owner, clients_file):
    out, err = io.StringIO(), Terminal()
    call_command("import", str(clients_file), "--firm", "alpha", "--user", owner.email, stdout=out, stderr=err)
    bar = err.getvalue()
    assert "Importing" in bar and "3/3 rows" in bar and "rows/s" in bar and "left" in bar
    assert "rows imported" in out.getvalue()  # the same summary as without a terminal


def test_a_check_on_a_terminal_shows_its_progress_too(firm, owner, clients_file):
    err = Terminal()
    call_command("import", str(clients_file), "--firm", "alpha", "--user", owner.email, "--dry-run",
                 stdout=io.StringIO(), stderr=err)
    assert "Checking" in err.getvalue() and "3/3 rows" in err.getvalue()


def test_json_on_a_terminal_prints_only_the_json(firm, owner, clients_file):
    out, err = io.StringIO(), Terminal()
    call_command("import", str(clients_file), "--firm", "alpha", "--user", owner.email, "--json",
                 stdout=out, stderr=err)
    assert json.loads(out.getvalue())["rows_total"] == 3
    assert err.getvalue() == ""


def test_without_a_terminal_no_bar_is_drawn(firm, owner, clients_file):
    err = io.StringIO()
    call_command("import", str(clients_file), "--firm", "alpha", "--user", owner.email, stdout=io.StringIO(),
                 stderr=err)
    assert "Importing" not in err.getvalue()


def test_unreadable_file_exits_non_zero_with_one_line(firm, owner, tmp_path):
    path = tmp_path / "photo.csv"
    path.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4)
    with pytest.raises(CommandError) as error:
        run("import", str(path), "--firm", "alpha", "--user", owner.email)
    assert "\n" not in str(error.value)
    assert Account.objects.count() == 0


def test_missing_file_firm_or_user_is_refused(firm, owner, clients_file, tmp_path):
    with pytest.raises(CommandError, match="does not exist"):
        run("import", str(tmp_path / "nope.csv"), "--firm", "alpha", "--user", owner.email)
    with pytest.raises(CommandError, match="No firm"):
        run("import", str(clients_file), "--firm", "nope", "--user", owner.email)
    with pytest.raises(CommandError, match="No user"):
        run("import", str(clients_file), "--firm", "alpha", "--user", "who@example.com")


def test_a_member_without_manage_contacts_may_not_import(firm, plain_member, clients_file):
    with pytest.raises(CommandError, match="may not import"):
        run("import", str(clients_file), "--firm", "alpha", "--user", plain_member.email)


def test_a_user_of_another_firm_may_not_import(firm, other_firm, other_owner, clients_file):
    with pytest.raises(CommandError, match="may not import"):
        run("import", str(clients_file), "--firm", "alpha", "--user", other_owner.email)


def test_mapping_file_is_used(firm, owner, clients_file, tmp_path):
    mapping = tmp_path / "mapping.json"
    mapping.write_text(json.dumps({"columns": [
        {"column": "Client Name", "target": "account.name"},
        {"column": "Email", "target": "contact.email"},
    ], "account_type": {"mode": "fixed", "value": "company"}}))
    run("import", str(clients_file), "--firm", "alpha", "--user", owner.email, "--mapping", str(mapping))
    assert set(Account.objects.values_list("type", flat=True)) == {"company"}
    assert set(Contact.objects.values_list("first_name", flat=True)) == {""}  # names were not mapped


def test_broken_mapping_file_is_refused_with_the_reason(firm, owner, clients_file, tmp_path):
    mapping = tmp_path / "mapping.json"
    mapping.write_text('{"columns": [{"column": "Nope", "target": "account.name"}]}')
    with pytest.raises(CommandError, match="Nope"):
        run("import", str(clients_file), "--firm", "alpha", "--user", owner.email, "--mapping", str(mapping))



def test_a_mapping_naming_an_unknown_folder_template_is_refused_naming_it(firm, owner, clients_file, tmp_path):
    services.folder_template_create(firm=firm, name="Tax returns", folders=["2024"])
    mapping = tmp_path / "mapping.json"
    mapping.write_text(json.dumps({"columns": [{"column": "Client Name", "target": "account.name"}],
                                   "settings": {"folder_template": "Tax return"}}))
    with pytest.raises(CommandError) as error:
        run("import", str(clients_file), "--firm", "alpha", "--user", owner.email, "--mapping", str(mapping))
    assert "no folder template called 'Tax return'" in str(error.value) and "\n" not in str(error.value)
    assert Account.objects.count() == 0 and not ImportJob.objects.exists()

def _seed(firm):
    vip = services.tag_get_or_create(firm=firm, name="VIP")
    fye = services.custom_field_create(firm=firm, applies_to="account", name="Fiscal year end", field_type="date")
    account = services.account_create(actor=owner_of(firm), name="Acme LLC", type="company", company_name="Acme LLC",
                                      client_id="007", tags=[vip], custom_values={str(fye.pk): "2025-12-31"})
    ann = services.contact_create(actor=owner_of(firm), first_name="Ann", last_name="Lee", email="ann@acme.example",
                                  additional_emails=["ann.lee@gmail.example"], phones=["+13125550100"],
                                  city="Chicago", postal_code="02134", tax_id="123-45-6789",
                                  notes="Prefers email.\nCall after 5.")
    services.contact_link(actor=owner_of(account), account=account, contact=ann, login=True, notify=True)
    services.account_create(actor=owner_of(firm), name="Lonely Account", type="other")
    return account


def test_export_json_has_the_documented_shape_and_no_full_ssn(firm):
    _seed(firm)
    out = run("export", "--firm", "alpha", "--format", "json")
    assert "6789" not in out
    data = json.loads(out)
    acme = next(item for item in data if item["name"] == "Acme LLC")
    assert set(acme) == {"name", "type", "company_name", "client_id", "status", "address", "tags", "assignees",
                         "roles", "custom", "folders", "contacts"}
    assert acme["custom"] == {"Fiscal year end": "2025-12-31"} and acme["tags"] == ["VIP"]
    [ann] = acme["contacts"]
    assert set(ann) == {"first_name", "middle_name", "last_name", "primary_email", "emails", "phones", "address",
                        "date_of_birth", "tags", "custom", "login", "notify", "email_sync"}
    assert ann["emails"] == ["ann@acme.example", "ann.lee@gmail.example"]
    assert ann["address"]["postal_code"] == "02134" and ann["login"] is True and ann["email_sync"] is False
    contacts = json.loads(run("export", "--firm", "alpha", "--kind", "contacts", "--format", "json"))
    assert contacts[0]["accounts"] == ["Acme LLC"]


def test_exported_csv_reimports_with_the_automatic_mapping_and_changes_nothing(firm, owner, tmp_path):
    _seed(firm)
    path = tmp_path / "export.csv"
    call_command("export", "--firm", "alpha", "--output", str(path))
    before = json.loads(run("export", "--firm", "alpha", "--format", "json"))
    result = json.loads(run("import", str(path), "--firm", "alpha", "--user", owner.email, "--json"))
    assert result["rows_skipped"] == 0 and result["warnings"] == 0, result
    assert {k: result[k] for k in ("accounts_created", "accounts_updated", "contacts_created", "contacts_updated",
                                   "custom_fields_created", "tags_created")} == dict.fromkeys(
        ("accounts_created", "accounts_updated", "contacts_created", "contacts_updated", "custom_fields_created",
         "tags_created"), 0)
    assert json.loads(run("export", "--firm", "alpha", "--format", "json")) == before


def test_exported_headers_named_by_users_cannot_run_as_formulas(firm):
    services.custom_field_create(firm=firm, applies_to="account", name='=HYPERLINK("http://evil","x")')
    services.account_role_get_or_create(firm=firm, name="+cmd")
    header = next(csv.reader(io.StringIO(run("export", "--firm", "alpha"))))
    assert "'=HYPERLINK(\"http://evil\",\"x\")" in header and "'+cmd" in header


def test_full_width_formula_characters_are_guarded_like_ascii_ones_and_reimport_unchanged(firm, owner, tmp_path):
    for name in ("＝HYPERLINK(\"http://evil\",\"x\")", "＋cmd|' /C calc'!A0", "－1+1", "＠SUM(1+1)"):
        services.account_create(actor=owner_of(firm), name=name, type="company", company_name=name)
    services.custom_field_create(firm=firm, applies_to="account", name="＝Field")
    path = tmp_path / "export.csv"
    call_command("export", "--firm", "alpha", "--output", str(path))
    rows = list(csv.reader(io.StringIO(path.read_text(encoding="utf-8-sig"))))
    assert "'＝Field" in rows[0]
    assert sorted(row[0] for row in rows[1:]) == ["'＋cmd|' /C calc'!A0", "'－1+1", "'＝HYPERLINK(\"http://evil\",\"x\")",
                                                 "'＠SUM(1+1)"]
    before = json.loads(run("export", "--firm", "alpha", "--format", "json"))
    run("import", str(path), "--firm", "alpha", "--user", owner.email, "--json")
    assert json.loads(run("export", "--firm", "alpha", "--format", "json")) == before


@pytest.mark.slow
def test_export_into_a_pipe_closed_early_ends_quietly(tmp_path):
    """`clientport export | head`: the reader leaves before the export is written."""
    env = {name: value for name, value in os.environ.items()
           if name not in ("DJANGO_SETTINGS_MODULE", "SECRET_KEY", "DATABASE_URL", "CLIENTPORT_TEST_DB")}
    env.update(DEBUG="1", DATABASE_URL=f"sqlite:///{tmp_path / 'db.sqlite3'}", CLIENTPORT_VAR_DIR=str(tmp_path / "var"))
    subprocess.run([sys.executable, "-m", "clientport", "demo"], env=env, check=True, capture_output=True, timeout=180)
    export = subprocess.Popen([sys.executable, "-m", "clientport", "export", "--firm", "demo"], env=env,
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    export.stdout.close()  # what head does after its lines, here before the first one
    stderr = export.stderr.read().decode()
    assert export.wait(timeout=60) == 141  # 128 + SIGPIPE, as for any Unix tool in a pipe
    assert stderr == ""


def test_namesakes_round_trip_through_the_export_unchanged(firm, owner, tmp_path):
    """Two clients called Mary Jones (no emails, different phones): the export names both
    "Mary Jones", and re-importing it finds each by the person it holds."""
    for phone in ("+13125550100", "+16175550199"):
        mary = services.account_create(actor=owner_of(firm), name="Mary Jones", folder_template=None)
        services.contact_link(actor=owner_of(mary), account=mary, contact=services.contact_create(
            actor=owner_of(firm), first_name="Mary", last_name="Jones", phones=[phone]))
    path = tmp_path / "export.csv"
    call_command("export", "--firm", "alpha", "--output", str(path))
    before = json.loads(run("export", "--firm", "alpha", "--format", "json"))
    result = json.loads(run("import", str(path), "--firm", "alpha", "--user", owner.email, "--json"))
    assert (result["rows_skipped"], result["accounts_created"], result["contacts_created"],
            result["contacts_updated"]) == (0, 0, 0, 0), result
    assert json.loads(run("export", "--firm", "alpha", "--format", "json")) == before
