"""Detect once, store it, show it, let the user change it: the upload profiles every column of
the whole file; the wizard's pages and the run reuse what it found; the field table shows how
each date and number column reads and lets the user change it; the run obeys."""

import datetime
from unittest import mock

import pytest

from crm.models import Account, Contact
from imports import jobs
from imports.mapping import Mapping
from imports.matching import suggest_mapping
from imports.pipeline import open_job_table
from imports.views.review import check_status
from tests.actors import uploader
from tests.imports.conftest import import_rows, upload
from tests.imports.test_wizard import column_prefix, mapping_of, table_post, url, wizard_upload

pytestmark = pytest.mark.django_db


def people(count, **columns):
    """Rows (header first) of `count` people, with extra columns given as header -> function(i)."""
    header = ["First Name", "Last Name", "Email", *columns]
    rows = [header]
    for i in range(count):
        rows.append([f"Ann{i}", f"Lee{i}", f"ann{i}@example.com", *(make(i) for make in columns.values())])
    return rows


# --- Whole-column decisions ------------------------------------------------------------------


def test_a_column_empty_in_its_first_rows_is_synced_as_its_values_say(firm, owner):
    rows = people(14, **{"Client Since": lambda i: "" if i < 10 else f"2019-0{i - 9}-15",
                         "Date of Birth": lambda i: "" if i < 10 else f"1980-01-{i:02d}"})
    job = upload(firm, owner, rows)
    mapping = Mapping.from_dict(job.mapping)
    since = mapping.column("Client Since")
    assert (since.attribute, since.field, since.field_type) == ("custom", "Client Since", "date")
    assert mapping.column("Date of Birth").target == "contact.date_of_birth"
    profile = job.read_info["columns"][rows[0].index("Client Since")]
    assert profile["filled"] == 4 and profile["samples"][0] == "2019-01-15"


def test_suggest_mapping_decides_from_the_whole_column_samples():
    headers = ["Email", "Referral"]
    first_rows = [["a@x.com", ""]] * 5
    assert suggest_mapping(headers, first_rows).column("Referral").target == "ignore"
    whole = suggest_mapping(headers, first_rows, column_samples=[["a@x.com"], ["5", "7.5", "12"]])
    referral = whole.column("Referral")
    assert referral.attribute == "custom" and referral.field_type == "number"


def test_day_first_dates_far_down_the_file_decide_the_column(firm, owner):
    # 2,500 dates that read either way, then 400 that prove day first: a sample of the first
    # rows sees no proof; the whole column does.
    rows = people(2900, Birthday=lambda i: "04/07/1970" if i < 2500 else "15/03/1968")
    job, counts = import_rows(firm, owner, rows, {"First Name": "contact.first_name", "Email": "contact.email",
                                                  "Birthday": "contact.date_of_birth"})
    assert job.read_info["columns"][3]["date_order"] == "DMY"
    assert Contact.objects.get(email="ann0@example.com").date_of_birth == datetime.date(1970, 7, 4)
    assert counts["warnings"] == 0


# --- Values kept whole -------------------------------------------------------------------------

COLUMNS = {"Client": "account.name", "First Name": "contact.first_name", "Email": "contact.email"}


def field_value(firm, name, field_name):
    from crm.models import CustomField

    field = CustomField.objects.get(firm=firm, name=field_name)
    return Account.objects.get(firm=firm, name=name).custom_values.get(field.value_key)


def test_a_german_number_column_reads_decimal_commas(firm, owner):
    content = "Client;First Name;Email;Fee\n" + "\n".join([
        "Acme;Ann;ann@acme.example;1.000,00",
        "Bolt;Bo;bo@bolt.example;1.234,5",
        "Cord;Cy;cy@cord.example;1.234",  # alone it could be 1.234; the column says one thousand...
        "Dune;Di;di@dune.example;2.500,00",
    ])
    job, counts = import_rows(firm, owner, content, {**COLUMNS, "Fee": "account.custom:Fee:number"})
    assert job.read_info["columns"][3]["number_format"] == "comma"
    assert field_value(firm, "Acme", "Fee") == 1000
    assert field_value(firm, "Bolt", "Fee") == 1234.5
    assert field_value(firm, "Cord", "Fee") == 1234
    assert counts["warnings"] == 0


def test_date_times_keep_their_time_and_midnight_is_a_plain_date(firm, owner):
    rows = [["Client", "First Name", "Email", "Last Meeting", "Birthday"],
            ["Acme", "Ann", "ann@acme.example", "2024-03-05 14:30", "1980-03-04 00:00:00"],
            ["Bolt", "Bo", "bo@bolt.example", "03/06/2024 2:15 PM", "1981-05-06 10:30"],
            ["Cord", "Cy", "cy@cord.example", "2024-03-07 00:00:00", ""]]
    job, counts = import_rows(firm, owner, rows, {**COLUMNS, "Last Meeting": "account.custom:Last Meeting:date",
                                                  "Birthday": "contact.date_of_birth"})
    assert job.read_info["columns"][3]["times"] is True
    assert field_value(firm, "Acme", "Last Meeting") == "2024-03-05T14:30"
    assert field_value(firm, "Bolt", "Last Meeting") == "2024-03-06T14:15"
    assert field_value(firm, "Cord", "Last Meeting") == "2024-03-07"
    assert Contact.objects.get(email="ann@acme.example").date_of_birth == datetime.date(1980, 3, 4)
    assert Contact.objects.get(email="bo@bolt.example").date_of_birth == datetime.date(1981, 5, 6)
    issues = list(job.issues.values_list("code", "row_number", "column"))
    assert issues == [("time_dropped", 3, "Birthday")]
    assert counts["warnings"] == 1


def test_year_only_dates_are_kept(firm, owner):
    rows = [["Client", "First Name", "Email", "Client Since", "Birthday"],
            ["Acme", "Ann", "ann@acme.example", "2019", "1985"],
            ["Bolt", "Bo", "bo@bolt.example", "2020-02-03", "1981-05-06"]]
    job, counts = import_rows(firm, owner, rows, {**COLUMNS, "Client Since": "account.custom:Client Since:date",
                                                  "Birthday": "contact.date_of_birth"})
    assert field_value(firm, "Acme", "Client Since") == "2019"
    assert field_value(firm, "Bolt", "Client Since") == "2020-02-03"
    ann = Contact.objects.get(email="ann@acme.example")
    assert ann.date_of_birth is None and "Year of birth: 1985" in ann.notes
    assert list(job.issues.values_list("code", "column")) == [("partial_date", "Birthday")]


# --- Detected once, reused by every page and the run -------------------------------------------


def refuse(*args, **kwargs):
    raise AssertionError("the file was detected again")


def test_the_pages_and_the_run_reuse_the_stored_detection(owner_client, firm):
    content = "Client;First Name;Email;Birthday\nAcme;Ann;ann@acme.example;15/03/1968\n" \
              "Bolt;Bo;bo@bolt.example;17/12/1970\n".encode("cp1252")
    job = wizard_upload(owner_client, content=content)
    assert job.read_info["delimiter"] == ";" and job.read_info["read_choices"]["encoding"] is None
    with mock.patch("imports.reading.table.detect_encoding", refuse), \
            mock.patch("imports.reading.table.check_encoding", refuse), \
            mock.patch("imports.reading.table.sniff_delimiter", refuse), \
            mock.patch("imports.reading.layout.find_header_row", refuse):
        for step in ("file", "step_accounts", "step_settings", "step_contacts", "review"):
            response = owner_client.get(url(step, job))
            assert response.status_code == 200, step
        assert "Acme" in owner_client.get(url("file", job)).content.decode()
        job.refresh_from_db()
        assert check_status(job) == "done"
        jobs.job_start(job, actor=uploader(job), enqueue=False)
        assert jobs.job_run(job.pk).status == "finished"
    assert Contact.objects.get(email="bo@bolt.example").date_of_birth == datetime.date(1970, 12, 17)


def test_the_steps_show_samples_without_opening_the_file(owner_client, firm):
    job = wizard_upload(owner_client, people(3, Notes=lambda i: f"note {i}"))
    with mock.patch("imports.pipeline.open_table", refuse):
        html = owner_client.get(url("step_contacts", job)).content.decode()
    assert "note 0" in html


def test_an_explicit_reading_choice_is_not_overruled_by_the_stored_detection(firm, owner):
    job = upload(firm, owner, "Client;Email\nAcme;ann@acme.example\n")
    mapping = Mapping.from_dict(job.mapping)
    mapping.read.delimiter = ","  # chosen by the user (the API, a mapping file) after the upload
    with open_job_table(job, mapping) as table:
        assert table.info.delimiter == "," and table.info.headers == ["Client;Email"]
    with open_job_table(job) as table:
        assert table.info.delimiter == ";"


# --- Shown and changeable in the field table ---------------------------------------------------


def test_the_field_table_says_how_dates_and_numbers_read(owner_client, firm):
    rows = people(4, Birthday=lambda i: f"{13 + i}/03/1968", Fee=lambda i: f"{i + 1}.250,50")
    job = wizard_upload(owner_client, content="\n".join("\t".join(row) for row in rows).encode())
    html = owner_client.get(url("step_accounts", job)).content.decode()  # Fee: an account field
    assert "dates read day/month" in html
    assert "decimal comma" in html
    assert 'name="c3-dates"' in html and 'name="c4-numbers"' in html


def test_a_changed_reading_choice_is_stored_checked_again_and_honoured_by_the_run(owner_client, firm):
    assert firm.date_order == "MDY"
    rows = [["Client", "First Name", "Email", "Birthday", "Fee"],
            ["Acme", "Ann", "ann@acme.example", "04/07/1970", "1.234"],
            ["Bolt", "Bo", "bo@bolt.example", "05/08/1971", "2.500"]]
    job = wizard_upload(owner_client, rows)
    jobs.job_set_mapping(job, actor=uploader(job), mapping=_fee_as_number(job))
    owner_client.get(url("review", job))
    job.refresh_from_db()
    assert check_status(job) == "done"
    response = owner_client.get(url("step_contacts", job))
    html = response.content.decode()
    assert "dates read month/day (your firm&#x27;s order)" in html
    births, fee = column_prefix(job, "Birthday"), column_prefix(job, "Fee")
    response = owner_client.post(url("step_contacts", job), table_post(
        response, **{f"{births}-dates": "DMY", f"{fee}-numbers": "comma"}))
    assert response.status_code == 302
    mapping = mapping_of(job)
    assert mapping.column("Birthday").date_order == "DMY"
    assert mapping.column("Fee").number_format == "comma"
    assert check_status(job) == "stale"  # the review checks every row again
    html = owner_client.get(url("step_contacts", job)).content.decode()
    assert "dates read day/month (your choice)" in html and "decimal comma (your choice)" in html
    owner_client.get(url("review", job))
    job.refresh_from_db()
    jobs.job_start(job, actor=uploader(job), enqueue=False)
    assert jobs.job_run(job.pk).status == "finished"
    ann = Contact.objects.get(email="ann@acme.example")
    assert ann.date_of_birth == datetime.date(1970, 7, 4)
    assert ann.custom_values[_fee_key(firm)] == 1234


def _fee_as_number(job) -> Mapping:
    mapping = Mapping.from_dict(job.mapping)
    fee = mapping.column("Fee")
    fee.target, fee.field, fee.field_type = "contact.custom", "Fee", "number"
    return mapping


def _fee_key(firm) -> str:
    from crm.models import CustomField

    return CustomField.objects.get(firm=firm, name="Fee").value_key


def test_an_unknown_reading_choice_is_refused(firm, owner):
    job = upload(firm, owner, people(2, Fee=lambda i: "1"))
    mapping = Mapping.from_dict(job.mapping)
    mapping.column("Fee").number_format = "roman"
    assert any("unknown number format" in error for error in jobs.job_set_mapping(job, actor=uploader(job), mapping=mapping))
