"""Who may open the wizard, whose jobs they reach, and what an upload or a cell can do:
403 for members without Manage contacts, 404 for another firm's job, CSRF on every form,
uploads limited before they reach the disk, file names never paths, user data escaped."""

import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.files.uploadhandler import StopUpload
from django.test import Client, override_settings
from django.urls import reverse

from imports import jobs
from imports.models import ImportIssue, ImportJob
from imports.views.results import download_name
from imports.views.upload import SizeLimitUploadHandler
from tests.actors import uploader
from tests.imports.conftest import csv_text, upload
from tests.imports.test_wizard import CLIENTS, wizard_upload

JOB_URLS = [
    "file", "step_accounts", "step_settings", "step_contacts", "review", "check_progress", "decide_duplicates",
    "start_import", "job", "job_progress", "cancel", "resume", "skipped_rows", "use_automatic_mapping", "undo",
    "undo_progress", "undo_cancel", "discard",
]
FIRM_URLS = [("start", []), ("history", []), ("upload", ["accounts-and-contacts"]), ("saved_mappings", [])]
# Settings > Import mappings: one saved mapping's actions.
MAPPING_URLS = ["saved_mapping_rename", "saved_mapping_delete", "saved_mapping_download"]
METHODS = ["get", "post"]


def every_url(job):
    return [reverse(f"imports:{name}", args=args) for name, args in FIRM_URLS] + [
        reverse(f"imports:{name}", args=[job.pk]) for name in JOB_URLS
    ]


@pytest.fixture
def job(firm, owner):
    return upload(firm, owner, CLIENTS)


@pytest.mark.parametrize("method", METHODS)
@pytest.mark.parametrize("name", [n for n, _ in FIRM_URLS] + JOB_URLS)
def test_member_without_manage_contacts_gets_403_on_every_wizard_url(client, plain_member, job, name, method):
    args = dict(FIRM_URLS).get(name, [job.pk])
    client.force_login(plain_member)
    response = getattr(client, method)(reverse(f"imports:{name}", args=args))
    assert response.status_code == 403


def test_the_url_lists_cover_every_wizard_url():
    from imports.urls import urlpatterns

    assert {p.name for p in urlpatterns} == {n for n, _ in FIRM_URLS} | set(JOB_URLS) | set(MAPPING_URLS)


@pytest.fixture
def saved_mapping(firm, owner, job):
    from imports import saved_mappings

    jobs.job_start(job, actor=uploader(job), enqueue=False)
    return saved_mappings.firm_mappings(firm).get()


@pytest.mark.parametrize("method", METHODS)
@pytest.mark.parametrize("name", MAPPING_URLS)
def test_a_member_without_manage_contacts_gets_403_on_every_mapping_url(client, plain_member, saved_mapping, name,
                                                                         method):
    client.force_login(plain_member)
    response = getattr(client, method)(reverse(f"imports:{name}", args=[saved_mapping.pk]))
    assert response.status_code == 403


@pytest.mark.parametrize("method", METHODS)
@pytest.mark.parametrize("name", MAPPING_URLS)
def test_another_firms_mapping_is_404_on_every_url(client, other_firm, other_owner, saved_mapping, name, method):
    client.force_login(other_owner)
    response = getattr(client, method)(reverse(f"imports:{name}", args=[saved_mapping.pk]))
    assert response.status_code == 404
    assert type(saved_mapping).objects.filter(pk=saved_mapping.pk, is_named=False).exists()


@pytest.mark.parametrize("method", METHODS)
@pytest.mark.parametrize("name", JOB_URLS)
def test_another_firms_job_is_404_on_every_url(client, other_firm, other_owner, job, name, method):
    client.force_login(other_owner)
    response = getattr(client, method)(reverse(f"imports:{name}", args=[job.pk]))
    assert response.status_code == 404


def test_a_deactivated_member_who_could_import_gets_403(client, firm, manager, job):
    from crm.models import Membership

    Membership.objects.filter(user=manager).update(is_active=False)
    client.force_login(manager)
    assert client.get(reverse("imports:start")).status_code == 403


@pytest.mark.parametrize("who", ["owner", "admin_user", "manager"])
def test_owner_admins_and_members_with_manage_contacts_may_use_every_page(client, request, job, who):
    client.force_login(request.getfixturevalue(who))
    for address in every_url(job):
        if address.endswith(("/cancel/", "/resume/", "/start/", "/automatic-mapping/")):  # POST only
            continue
        response = client.get(address)
        assert response.status_code in (200, 302), address


def test_anonymous_visitors_are_sent_to_sign_in(client, job):
    for address in every_url(job):
        response = client.get(address)
        assert response.status_code == 302 and response.url.startswith(reverse("login")), address


def test_another_firms_import_cannot_filter_the_lists(client, other_owner, other_firm, job):
    client.force_login(other_owner)
    for name in ("crm:account_list", "crm:contact_list"):
        assert client.get(reverse(name), {"import": job.pk}).status_code == 404
        assert client.get(reverse(name), {"import": "1 OR 1=1"}).status_code == 404


# --- CSRF ------------------------------------------------------------------------------------


@pytest.fixture
def csrf_client(owner):
    client = Client(enforce_csrf_checks=True)
    client.force_login(owner)
    return client


def test_upload_without_the_csrf_token_is_refused(csrf_client):
    response = csrf_client.post(reverse("imports:upload", args=["accounts-and-contacts"]),
                                {"file": SimpleUploadedFile("c.csv", csv_text(CLIENTS).encode())})
    assert response.status_code == 403
    assert not ImportJob.objects.exists()


@pytest.mark.parametrize("name", ["file", "step_accounts", "step_settings", "step_contacts", "review", "start_import",
                                  "cancel", "resume", "undo", "undo_cancel"])
def test_every_wizard_post_needs_the_csrf_token(csrf_client, job, name):
    assert csrf_client.post(reverse(f"imports:{name}", args=[job.pk]), {"nav": "next"}).status_code == 403


def test_every_wizard_form_carries_the_csrf_token(owner_client, job):
    pages = ["file", "step_accounts", "step_settings", "step_contacts", "review"]
    for name in pages:
        html = owner_client.get(reverse(f"imports:{name}", args=[job.pk])).content.decode()
        assert html.count("<form") == html.count('name="csrfmiddlewaretoken"') + html.count('method="get"'), name
    html = owner_client.get(reverse("imports:upload", args=["accounts"])).content.decode()
    assert 'name="csrfmiddlewaretoken"' in html


# --- Uploads -------------------------------------------------------------------------------------


def stored_files(settings):
    root = settings.MEDIA_ROOT
    return [p for p in root.rglob("*") if p.is_file()] if root.exists() else []


def test_a_binary_file_is_refused_with_the_engines_reason_and_nothing_is_kept(owner_client, settings):
    junk = bytes(range(256)) * 40
    response = owner_client.post(reverse("imports:upload", args=["accounts-and-contacts"]),
                                 {"file": SimpleUploadedFile("photo.csv", junk)})
    html = response.content.decode()
    assert response.status_code == 200
    assert "“photo.csv” cannot be imported." in html
    assert "binary data, not a spreadsheet or CSV file" in html
    assert not ImportJob.objects.exists() and not stored_files(settings)


def test_an_empty_file_is_refused_with_what_to_do(owner_client):
    response = owner_client.post(reverse("imports:upload", args=["accounts-and-contacts"]),
                                 {"file": SimpleUploadedFile("empty.csv", b"")})
    assert "This file is empty." in response.content.decode()
    assert not ImportJob.objects.exists()


@override_settings(IMPORT_MAX_UPLOAD_BYTES=1000)
def test_a_file_over_the_limit_is_refused_from_its_declared_size_before_the_body_is_read(owner_client, settings,
                                                                                       monkeypatch):
    from django.core.files import uploadhandler

    written = []
    monkeypatch.setattr(uploadhandler.TemporaryFileUploadHandler, "receive_data_chunk",
                        lambda self, data, start: written.append(data))
    monkeypatch.setattr(uploadhandler.MemoryFileUploadHandler, "receive_data_chunk",
                        lambda self, data, start: written.append(data))
    big = b"Name,Email\n" + b"Ann,ann@example.com\n" * 10_000
    response = owner_client.post(reverse("imports:upload", args=["accounts-and-contacts"]),
                                 {"file": SimpleUploadedFile("big.csv", big)})
    assert response.status_code == 413
    assert "larger than the 1,000 bytes limit" in response.content.decode()
    assert "Split it into smaller files" in response.content.decode()
    assert not written and not ImportJob.objects.exists() and not stored_files(settings)


@override_settings(IMPORT_MAX_UPLOAD_BYTES=1000)
def test_a_file_just_over_the_limit_is_stopped_by_the_upload_handler(owner_client, settings):
    slightly_big = b"Name,Email\n" + b"Ann,ann@example.com\n" * 60  # 1,211 bytes: within the envelope allowance
    response = owner_client.post(reverse("imports:upload", args=["accounts-and-contacts"]),
                                 {"file": SimpleUploadedFile("big.csv", slightly_big)})
    assert response.status_code == 413
    assert not ImportJob.objects.exists() and not stored_files(settings)


def test_the_upload_handler_stops_before_handing_on_the_chunk_that_passes_the_limit():
    handler = SizeLimitUploadHandler(None, limit=100)
    assert handler.receive_data_chunk(b"x" * 60, 0) == b"x" * 60
    with pytest.raises(StopUpload):
        handler.receive_data_chunk(b"x" * 60, 60)
    assert handler.exceeded


@override_settings(IMPORT_MAX_UPLOAD_BYTES=10_000)
def test_a_file_under_the_limit_is_accepted(owner_client):
    wizard_upload(owner_client)
    assert ImportJob.objects.count() == 1


def test_the_uploaded_file_name_is_never_used_as_a_path(owner_client, firm):
    job = wizard_upload(owner_client, name="../../etc/passwd.csv")
    assert job.original_name == "passwd.csv"
    assert job.file.name.startswith(f"imports/{firm.pk}/") and "passwd" not in job.file.name
    assert job.file.name.endswith(".csv")


def test_the_skipped_rows_file_name_is_made_of_safe_characters(firm, owner):
    job = ImportJob(firm=firm, created_by=owner, original_name='Clients "2026"\r\n; évil<>.csv')
    assert download_name(job) == "Clients-2026-vil-skipped-rows.zip"
    assert download_name(ImportJob(firm=firm, created_by=owner, original_name="....csv")) == "import-skipped-rows.zip"


def test_the_skipped_rows_download_is_a_zip_with_a_safe_attachment_name(owner_client, firm, owner):
    job = upload(firm, owner, CLIENTS, name="ÜBER clients (final).csv")
    jobs.job_start(job, actor=uploader(job), enqueue=False)
    job = jobs.job_run(job.pk)
    response = owner_client.get(reverse("imports:skipped_rows", args=[job.pk]))
    assert response["Content-Type"] == "application/zip"
    assert response["Content-Disposition"] == 'attachment; filename="BER-clients-final-skipped-rows.zip"'
    archive = zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))
    assert len(archive.namelist()) == 1


# --- Escaping ----------------------------------------------------------------------------------


SCRIPT = "<script>alert('pwned')</script>"


def test_a_script_in_a_cell_or_header_shows_as_text_on_every_page(owner_client, firm, owner):
    rows = [
        ["Account Name", "First Name", "Email", f"Notes{SCRIPT}"],
        [SCRIPT, f"Eve{SCRIPT}", "eve@example.com", SCRIPT],
        ["", "", "", SCRIPT],
    ]
    job = wizard_upload(owner_client, rows, name=f"{SCRIPT}.csv")
    showing_cells = ["file", "step_accounts", "step_contacts", "review"]
    for name in [*showing_cells, "step_settings"]:
        html = owner_client.get(reverse(f"imports:{name}", args=[job.pk])).content.decode()
        assert "<script>alert" not in html, name
        if name in showing_cells:
            assert "&lt;script&gt;alert(&#x27;pwned&#x27;)&lt;/script&gt;" in html, name
    response = owner_client.get(reverse("imports:review", args=[job.pk]))
    assert response.context["examples"].accounts[0].name == SCRIPT  # rendered escaped, as the data it is

    owner_client.post(reverse("imports:start_import", args=[job.pk]))
    job = jobs.job_run(job.pk) if ImportJob.objects.get(pk=job.pk).status == "queued" else job
    for address in (reverse("imports:job", args=[job.pk]), reverse("imports:history"),
                    reverse("crm:account_list") + f"?import={job.pk}"):
        html = owner_client.get(address).content.decode()
        assert "<script>alert" not in html, address


def test_upload_error_escapes_the_file_name(owner_client):
    response = owner_client.post(reverse("imports:upload", args=["accounts-and-contacts"]),
                                 {"file": SimpleUploadedFile(f"{SCRIPT}.csv", b"")})
    assert "<script>alert" not in response.content.decode()


def test_issue_values_are_escaped_on_the_results_page(owner_client, firm, owner):
    job = upload(firm, owner, CLIENTS)
    ImportJob.objects.filter(pk=job.pk).update(status="finished", counts={"warnings": 1})
    ImportIssue.objects.create(job=job, row_number=2, severity="warning", code="invalid_email", column=SCRIPT,
                               value=SCRIPT, message=SCRIPT)
    html = owner_client.get(reverse("imports:job", args=[job.pk])).content.decode()
    assert "<script>alert" not in html and "&lt;script&gt;" in html


def test_ssn_cells_are_masked_in_the_file_preview(owner_client, firm, owner):
    from imports.mapping import ColumnMapping, Mapping
    from imports.review import file_preview
    from tests.imports.conftest import upload

    job = upload(firm, owner, [["Name", "SSN"], ["Ann Lee", "123-45-6789"]],
                 mapping=Mapping(columns=[ColumnMapping("Name", "account.name"), ColumnMapping("SSN", "contact.tax_id")]))
    preview = file_preview(job)
    assert "123-45-6789" not in str(preview.rows) and "123-45-6789" not in str(preview.samples)
    assert preview.rows[0][1].endswith("6789")


@override_settings(IMPORT_MAX_WORKBOOK_UNPACKED_BYTES=50_000)
def test_a_workbook_that_would_unpack_into_too_much_is_refused_with_what_to_do(owner_client, tmp_path):
    from tests.imports.reading.workbooks import write_xlsx

    rows = [["Client", "Email"]] + [[f"Client {n}", f"client{n}@example.com"] for n in range(2000)]
    content = write_xlsx(tmp_path / "clients.xlsx", {"Clients": rows}).read_bytes()
    assert len(content) < 50_000  # the upload itself is small; what it unpacks to is not
    response = owner_client.post(reverse("imports:upload", args=["accounts-and-contacts"]),
                                 {"file": SimpleUploadedFile("clients.xlsx", content)})
    page = response.content.decode()
    assert "This workbook unpacks to" in page and "save it as CSV (UTF-8)" in page
    assert not ImportJob.objects.exists()


# --- Hostile files -------------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["version-8.8.xlsx", "encrypted-mimetype.ods", "method-99.ods"])
def test_a_crafted_workbook_is_refused_in_one_sentence_and_leaves_no_job_or_file(owner_client, settings, tmp_path,
                                                                                  name):
    from tests.imports.reading.test_refusals import crafted_workbooks

    content = crafted_workbooks(tmp_path)[name]
    response = owner_client.post(reverse("imports:upload", args=["accounts-and-contacts"]),
                                 {"file": SimpleUploadedFile(name, content)})
    assert response.status_code == 200
    assert f"“{name}” cannot be imported." in response.content.decode()
    assert "save it again as XLSX or CSV" in response.content.decode()
    assert not ImportJob.objects.exists() and not stored_files(settings)


@override_settings(IMPORT_MAX_LINE_CHARS=10_000)
def test_a_single_line_file_is_refused_at_upload_and_nothing_is_kept(owner_client, settings):
    content = b"Name," + b"x" * 200_000
    response = owner_client.post(reverse("imports:upload", args=["accounts-and-contacts"]),
                                 {"file": SimpleUploadedFile("clients.csv", content)})
    assert "Its first line is longer than 10,000 characters" in response.content.decode()
    assert not ImportJob.objects.exists() and not stored_files(settings)



WORKER_LATER = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}


@override_settings(TASKS=WORKER_LATER, IMPORT_INLINE_DETECT_BYTES_SPREADSHEET=1000)
def test_a_large_workbook_is_only_stored_and_sniffed_in_the_upload_request_and_read_by_the_worker(
        owner_client, tmp_path):
    from django_tasks import default_task_backend

    from imports.tasks import detect_import_job
    from tests.imports.reading.workbooks import write_xlsx

    rows = [["Client", "Email"]] + [[f"Client {n}", f"client{n}@example.com"] for n in range(300)]
    content = write_xlsx(tmp_path / "clients.xlsx", {"Clients": rows}).read_bytes()
    job = wizard_upload(owner_client, name="clients.xlsx", content=content)
    assert job.status == ImportJob.Status.VALIDATING and job.read_info == {} and job.file
    [queued] = default_task_backend.results
    assert (queued.task.name, queued.args) == ("detect_import_job", [job.pk])

    file_url = reverse("imports:file", args=[job.pk])
    assert 'data-testid="file-reading"' in owner_client.get(file_url).content.decode()
    assert owner_client.get(file_url, headers={"HX-Request": "true"}).status_code == 204  # the page's poll
    assert owner_client.get(reverse("imports:review", args=[job.pk])).url == file_url  # no steps yet

    detect_import_job.call(job.pk)  # what the worker runs

    job.refresh_from_db()
    assert job.status == ImportJob.Status.DRAFT and job.read_info["headers"] == ["Client", "Email"]
    assert owner_client.get(file_url, headers={"HX-Request": "true"})["HX-Refresh"] == "true"
    assert "client0@example.com" in owner_client.get(file_url).content.decode()


@override_settings(TASKS=WORKER_LATER, IMPORT_INLINE_DETECT_BYTES_SPREADSHEET=100)
def test_a_workbook_the_worker_cannot_read_is_refused_on_its_page_and_leaves_no_job_or_file(
        owner_client, settings, tmp_path):
    from imports.tasks import detect_import_job
    from tests.imports.reading.test_refusals import patch_zip_entry
    from tests.imports.reading.workbooks import write_xlsx

    real = write_xlsx(tmp_path / "real.xlsx", {"Clients": [["Name"], ["Ann"]]}).read_bytes()
    # Its ZIP directory is fine (the request's sniff passes); the workbook inside is not.
    content = patch_zip_entry(real, "xl/worksheets/sheet1.xml", method=99)
    job = wizard_upload(owner_client, name="broken.xlsx", content=content)
    assert job.status == ImportJob.Status.VALIDATING

    detect_import_job.call(job.pk)

    assert not stored_files(settings)
    page = owner_client.get(reverse("imports:file", args=[job.pk])).content.decode()
    assert "“broken.xlsx” cannot be imported." in page and "save it again as XLSX or CSV" in page
    assert not ImportJob.objects.exists()
