"""A big upload: the upload request only stores and sniffs it, the worker reads and profiles it,
and no wizard step reads more of the file than it shows (every step answers fast however long
the file is; `python -m bench.wizard` measures it)."""

import pytest
from django.test import override_settings
from django.urls import reverse

from imports import jobs
from imports.models import ImportJob
from imports.reading.table import Table
from imports.review import EXAMPLE_ROWS
from tests.imports.conftest import csv_text
from tests.imports.test_wizard import table_post, wizard_upload

WORKER_LATER = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
HEADER = ["Client Name", "First Name", "Last Name", "Email", "Contact owner"]
ROWS = 3000


def clients(count=ROWS):
    return [HEADER] + [[f"Client {n} LLC", "Ann", f"Lee{n}", f"ann{n}@example.com",
                        "Former Staffer" if n == count - 1 else "Mia Manager"] for n in range(count)]


@pytest.fixture
def rows_read(monkeypatch):
    """How many data rows the readers handed out since the last reset: a spy on every pass over
    the file (`Table.rows`, which `preview` and the pipeline use too)."""
    count = {"rows": 0}
    real = Table._rows

    def counting(self):
        for row in real(self):
            count["rows"] += 1
            yield row

    monkeypatch.setattr(Table, "_rows", counting)
    return count


@override_settings(TASKS=WORKER_LATER, IMPORT_INLINE_DETECT_BYTES_TEXT=10_000)
def test_a_large_csv_is_only_stored_and_sniffed_in_the_upload_request_and_profiled_by_the_worker(
        owner_client, rows_read):
    from django_tasks import default_task_backend

    from imports.tasks import detect_import_job

    job = wizard_upload(owner_client, clients())
    assert job.status == ImportJob.Status.VALIDATING and job.read_info == {} and job.file
    assert rows_read["rows"] == 0  # not a data row read in the upload's answer
    [queued] = default_task_backend.results
    assert (queued.task.name, queued.args) == ("detect_import_job", [job.pk])
    file_url = reverse("imports:file", args=[job.pk])
    assert 'data-testid="file-reading"' in owner_client.get(file_url).content.decode()

    detect_import_job.call(job.pk)  # what the worker runs

    job.refresh_from_db()
    assert job.status == ImportJob.Status.DRAFT and job.read_info["rows_read"] == ROWS
    assert job.read_info["headers"] == HEADER
    assert "ann0@example.com" in owner_client.get(file_url).content.decode()


def test_a_small_csv_is_still_read_in_the_upload_request(owner_client):
    job = wizard_upload(owner_client, clients(20))
    assert job.status == ImportJob.Status.DRAFT and job.read_info["rows_read"] == 20


@override_settings(TASKS=WORKER_LATER, IMPORT_INLINE_DETECT_BYTES_TEXT=10_000)
def test_the_worker_lists_the_names_matching_no_member_so_the_settings_step_does_not_read_the_file(
        owner_client, manager, monkeypatch):
    from imports.tasks import detect_import_job

    job = wizard_upload(owner_client, clients())
    detect_import_job.call(job.pk)

    def no_read(*args, **kwargs):
        raise AssertionError("the settings step read the file")

    monkeypatch.setattr(jobs, "open_job_table", no_read)
    response = owner_client.get(reverse("imports:step_settings", args=[job.pk]))
    assert [(entry.name, entry.rows) for entry in response.context["form"].unmatched.names] == [("Former Staffer", 1)]


# Read in the request and checked by the worker: what a big file does, on a small one.
@override_settings(IMPORT_INLINE_DETECT_BYTES_TEXT=10_000_000, IMPORT_INLINE_CHECK_BYTES=1000, TASKS=WORKER_LATER)
def test_no_step_reads_more_of_the_file_than_it_shows(owner_client, manager, rows_read):
    job = wizard_upload(owner_client, clients())
    owner_client.get(reverse("imports:step_settings", args=[job.pk]))  # the member names' one pass, stored
    pages = {"file": 5, "step_accounts": 0, "step_settings": 0, "step_contacts": 0, "review": EXAMPLE_ROWS}
    for name, most in pages.items():
        page = reverse(f"imports:{name}", args=[job.pk])
        rows_read["rows"] = 0
        response = owner_client.get(page)
        assert response.status_code == 200, name
        assert rows_read["rows"] <= most, (name, rows_read["rows"])
        if name.startswith("step_"):
            rows_read["rows"] = 0
            saved = owner_client.post(page, table_post(response, nav="next"))
            assert saved.status_code == 302, (name, saved.content.decode()[:2000])
            assert rows_read["rows"] == 0, name
