"""A whole import through the API as a client program does it (upload -> mapping -> check ->
start -> poll -> results -> ZIP), and the database it leaves equals a CLI import's."""

import io
import json
import zipfile

import pytest
from django.core.management import call_command

from crm.models import Account, Contact
from imports.models import ImportJob
from tests.api.conftest import ApiClient, key_for

pytestmark = pytest.mark.django_db(transaction=True)

CSV = (
    "Client Name,First Name,Last Name,Email,Phone,Tags\r\n"
    "Acme LLC,Ann,Lee,ann@acme.example,312-555-0100,VIP\r\n"
    ",,,,312-555-0111,VIP\r\n"
    "Smith Family,John,Smith,john@smith.example,,2024\r\n"
    "Rivera Household,Ana,Rivera,ANA@Rivera.example,(312) 555-0199 ext 7,\r\n"
)


def snapshot(firm):
    """What a firm holds after an import, without ids and times."""
    accounts = sorted(
        (a.name, a.type, a.status, tuple(sorted(t.name for t in a.tags.all())),
         tuple(sorted((c.first_name, c.last_name, c.email, tuple(c.phones)) for c in a.contacts.all())))
        for a in Account.objects.filter(firm=firm))
    contacts = sorted((c.first_name, c.last_name, c.email, tuple(c.phones)) for c in Contact.objects.filter(firm=firm))
    return accounts, contacts


def api_import(api: ApiClient, name: str, content: bytes) -> dict:
    upload = api.post("/api/v1/imports", {"file": io.BytesIO(content) and _named(content, name),
                                          "kind": "accounts-and-contacts"})
    assert upload.status_code == 201, upload.content
    job = upload.json()
    assert job["detection"]["headers"][0] == "Client Name" and job["detection"]["delimiter"] == ","
    mapping = api.get(f"/api/v1/imports/{job['id']}/mapping").json()
    assert {c["column"]: c["target"] for c in mapping["columns"]}["Email"] == "contact.email"
    put = api.put_json(f"/api/v1/imports/{job['id']}/mapping", mapping)
    assert put.status_code == 200, put.content
    check = api.post(f"/api/v1/imports/{job['id']}/check")
    assert check.status_code == 202
    for _ in range(100):
        state = api.get(f"/api/v1/imports/{job['id']}").json()
        if state["check"]["state"] in ("done", "failed"):
            break
    assert state["check"]["state"] == "done" and state["check"]["counts"]["rows_skipped"] == 1
    started = api.post(f"/api/v1/imports/{job['id']}/start")
    assert started.status_code == 202, started.content
    for _ in range(100):
        state = api.get(f"/api/v1/imports/{job['id']}").json()
        if state["status"] in ("finished", "failed", "cancelled"):
            break
    assert state["status"] == "finished" and state["progress"]["percent"] == 100
    results = api.get(f"/api/v1/imports/{job['id']}/results")
    assert results.status_code == 200
    archive = api.get(f"/api/v1/imports/{job['id']}/skipped-rows.zip")
    assert archive.status_code == 200 and archive["Content-Type"] == "application/zip"
    with zipfile.ZipFile(io.BytesIO(b"".join(archive.streaming_content))) as zipped:
        rows = zipped.read(zipped.namelist()[0]).decode("utf-8-sig").splitlines()
    assert len(rows) == 2 and rows[0].endswith("Row,Reason")
    return results.json()


def _named(content: bytes, name: str):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, content, content_type="text/csv")


def test_an_import_through_the_api_leaves_what_the_cli_leaves(firm, owner, other_firm, other_owner, tmp_path):
    results = api_import(ApiClient(key_for(firm, owner)), "clients.csv", CSV.encode())

    path = tmp_path / "clients.csv"
    path.write_text(CSV, encoding="utf-8")
    out = io.StringIO()
    call_command("import", str(path), "--firm", other_firm.slug, "--user", other_owner.email, "--json", stdout=out)
    cli = json.loads(out.getvalue())

    assert snapshot(firm) == snapshot(other_firm)
    assert len(snapshot(firm)[0]) == 3
    # The same keys and numbers as the CLI's --json (only the job's id differs).
    assert set(results) == set(cli)
    assert {k: v for k, v in results.items() if k != "job"} == {k: v for k, v in cli.items() if k != "job"}
    assert results["rows_imported"] == 3 and results["skipped_reasons"] == cli["skipped_reasons"] != {}
    assert ImportJob.objects.get(pk=results["job"]).firm == firm


def test_the_file_can_be_sent_as_the_raw_body(firm, owner):
    api = ApiClient(key_for(firm, owner))
    response = api.post("/api/v1/imports/raw?name=clients.csv&kind=accounts-and-contacts", CSV.encode(),
                        content_type="text/csv")
    assert response.status_code == 201, response.content
    assert response.json()["detection"]["headers"][:3] == ["Client Name", "First Name", "Last Name"]


def test_a_file_over_the_limit_is_refused_before_it_is_stored(firm, owner, settings):
    settings.IMPORT_MAX_UPLOAD_BYTES = 100
    api = ApiClient(key_for(firm, owner))
    response = api.post("/api/v1/imports/raw?name=clients.csv", CSV.encode() * 10, content_type="text/csv")
    assert response.status_code == 413 and response.json()["error"]["code"] == "file_too_large"
    response = api.post("/api/v1/imports", {"file": _named(CSV.encode() * 10, "clients.csv")})
    assert response.status_code == 413
    assert not ImportJob.objects.exists()


def test_a_mapping_that_does_not_fit_is_refused_with_its_problems(firm, owner):
    api = ApiClient(key_for(firm, owner))
    job = api.post("/api/v1/imports", {"file": _named(CSV.encode(), "clients.csv")}).json()
    mapping = api.get(f"/api/v1/imports/{job['id']}/mapping").json()
    mapping["columns"][0]["column"] = "No such column"
    response = api.put_json(f"/api/v1/imports/{job['id']}/mapping", mapping)
    assert response.status_code == 422
    body = response.json()["error"]
    assert body["code"] == "mapping_rejected" and body["details"]


def test_results_before_the_end_are_409_and_a_second_start_too(firm, owner):
    api = ApiClient(key_for(firm, owner))
    job = api.post("/api/v1/imports", {"file": _named(CSV.encode(), "clients.csv")}).json()
    assert api.get(f"/api/v1/imports/{job['id']}/results").json()["error"]["code"] == "not_finished"
    assert api.post(f"/api/v1/imports/{job['id']}/cancel").status_code == 409
    assert api.post(f"/api/v1/imports/{job['id']}/start").status_code == 202
    again = api.post(f"/api/v1/imports/{job['id']}/start")
    assert again.status_code == 409 and again.json()["error"]["code"] == "already_started"


def test_an_import_undone_through_the_api_leaves_the_firm_as_it_was(firm, owner):
    api = ApiClient(key_for(firm, owner))
    before = snapshot(firm)
    results = api_import(api, "clients.csv", CSV.encode())
    assert snapshot(firm) != before
    job = results["job"]

    preview = api.get(f"/api/v1/imports/{job}/undo").json()
    assert preview["status"] == "not_requested" and preview["can_undo"] is True
    assert preview["counts"]["accounts_removed"] == 3 and preview["conflict_count"] == 0

    asked = api.post(f"/api/v1/imports/{job}/undo")
    assert asked.status_code == 202, asked.content
    for _ in range(100):
        state = api.get(f"/api/v1/imports/{job}/undo").json()
        if state["status"] in ("done", "failed", "cancelled"):
            break
    assert state["status"] == "done" and state["percent"] == 100 and state["can_undo"] is False
    assert snapshot(firm) == before

    again = api.post(f"/api/v1/imports/{job}/undo")
    assert again.status_code == 409 and again.json()["error"]["code"] == "undo_refused"
    assert "undone already" in again.json()["error"]["message"]
