"""Which events are emitted, when, and with what: an import's end (the CLI's --json result), the
accounts it created in batches, and an account created by hand; only after commit, and only
to the firm's active endpoints subscribed to the event."""

from __future__ import annotations

import pytest
from django.db import transaction

from crm import services
from imports import jobs
from imports.report import job_result
from webhooks import events
from webhooks.models import Delivery
from tests.actors import owner_of, uploader
from tests.imports.conftest import make_mapping, upload
from tests.webhooks.conftest import make_endpoint

pytestmark = pytest.mark.django_db

COLUMNS = {"Client": "account.name", "Client ID": "account.client_id", "First": "contact.first_name",
           "Email": "contact.email"}
ROWS = [["Client", "Client ID", "First", "Email"],
        ["Rivera Family", "C-1", "Ana", "ana@example.com"],
        ["Lee Holdings", "C-2", "Wei", "wei@example.com"],
        ["", "C-4", "", ""],  # no account name: skipped
        ["Okafor", "C-3", "Ada", "ada@example.com"]]


@pytest.fixture(autouse=True)
def media_in_tmp(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture(autouse=True)
def nothing_sent(settings):
    """Deliveries are recorded and queued, not sent: these tests are about what is emitted."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}


def run_import(firm, owner, rows=ROWS, **job_run_options):
    job = upload(firm, owner, rows, mapping=make_mapping(COLUMNS))
    jobs.job_start(job, actor=uploader(job), enqueue=False)
    return jobs.job_run(job.pk, **job_run_options)


def payloads(event: str) -> list[dict]:
    return [d.payload for d in Delivery.objects.filter(event=event).order_by("pk")]


def test_a_finished_import_sends_its_result_and_its_new_accounts(firm, owner, django_capture_on_commit_callbacks):
    make_endpoint(firm, "https://hooks.example.com/a")
    with django_capture_on_commit_callbacks(execute=True):
        job = run_import(firm, owner)
    assert job.status == "finished"
    [finished] = payloads("import.finished")
    data = finished["data"]
    assert data == {**job_result(job), "file": "clients.csv", "error": ""}
    assert (data["job"], data["status"], data["rows_total"], data["rows_imported"], data["rows_skipped"],
            data["accounts_created"]) == (job.pk, "finished", 4, 3, 1, 3)
    assert data["skipped_reasons"] == {"missing_account_name": 1}
    assert finished["type"] == "import.finished" and finished["firm"] == "alpha"
    [created] = payloads("account.created")
    assert created["data"]["import"] == job.pk
    assert [(a["name"], a["client_id"]) for a in created["data"]["accounts"]] == [
        ("Rivera Family", "C-1"), ("Lee Holdings", "C-2"), ("Okafor", "C-3")]
    assert payloads("import.failed") == []


def test_the_cli_json_is_the_same_result(firm, owner, django_capture_on_commit_callbacks, tmp_path, capsys):
    """The webhook's import result and `clientport import --json` are one function's."""
    import json

    from django.core.management import call_command

    from tests.imports.conftest import csv_text

    make_endpoint(firm, "https://hooks.example.com/a", events=["import.finished"])
    path = tmp_path / "clients.csv"
    path.write_text(csv_text(ROWS), encoding="utf-8")
    with django_capture_on_commit_callbacks(execute=True):
        call_command("import", str(path), firm="alpha", user=owner.email, json=True)
    printed = json.loads(capsys.readouterr().out)
    [finished] = payloads("import.finished")
    assert {key: finished["data"][key] for key in printed} == printed


def test_a_failed_import_sends_import_failed_and_the_accounts_it_made(firm, owner, monkeypatch,
                                                                     django_capture_on_commit_callbacks):
    import functools

    from imports import pipeline

    monkeypatch.setattr(jobs, "run_pipeline", functools.partial(pipeline.run_pipeline, batch_size=2))
    make_endpoint(firm, "https://hooks.example.com/a")

    def crash(rows_done):
        raise RuntimeError("the disk is full")

    with django_capture_on_commit_callbacks(execute=True):
        job = run_import(firm, owner, progress=crash)
    assert job.status == "failed"
    [failed] = payloads("import.failed")
    assert failed["data"]["status"] == "failed" and failed["data"]["error"] == job.error
    assert "unexpected error" in failed["data"]["error"]
    assert payloads("import.finished") == []
    made = sorted(job.firm.accounts.values_list("pk", flat=True))
    assert sorted(a["id"] for p in payloads("account.created") for a in p["data"]["accounts"]) == made


def test_an_import_announces_its_accounts_in_batches_and_never_twice(firm, owner, monkeypatch,
                                                                    django_capture_on_commit_callbacks):
    monkeypatch.setattr(events, "ACCOUNT_BATCH", 2)
    make_endpoint(firm, "https://hooks.example.com/a", events=["account.created"])
    rows = [ROWS[0]] + [[f"Client {n}", f"C-{n}", "", ""] for n in range(5)]
    with django_capture_on_commit_callbacks(execute=True):
        job = run_import(firm, owner, rows=rows)
    batches = [[a["name"] for a in p["data"]["accounts"]] for p in payloads("account.created")]
    assert batches == [["Client 0", "Client 1"], ["Client 2", "Client 3"], ["Client 4"]]
    # The import ending again (a resumed run) announces only accounts made since: none here.
    with django_capture_on_commit_callbacks(execute=True):
        assert events.accounts_created_by_import(job) == []
    assert Delivery.objects.filter(event="account.created").count() == 3


def test_an_account_made_by_hand_is_announced_after_commit(firm, owner_membership, django_capture_on_commit_callbacks):
    make_endpoint(firm, "https://hooks.example.com/a", events=["account.created"])
    with django_capture_on_commit_callbacks(execute=False) as after_commit:
        account = services.account_create(actor=owner_membership, name="Rivera Family", client_id="C-9")
    assert Delivery.objects.count() == 0  # nothing before the commit
    for callback in after_commit:
        callback()
    [created] = payloads("account.created")
    assert created["data"] == {"accounts": [{"id": account.pk, "name": "Rivera Family", "client_id": "C-9"}],
                               "import": None}


def test_a_rolled_back_account_is_never_announced(firm, owner_membership, django_capture_on_commit_callbacks):
    make_endpoint(firm, "https://hooks.example.com/a", events=["account.created"])
    with django_capture_on_commit_callbacks(execute=True):
        with pytest.raises(RuntimeError), transaction.atomic():
            services.account_create(actor=owner_membership, name="Gone Ltd")
            raise RuntimeError("the form failed later")
    assert Delivery.objects.count() == 0


def test_only_active_subscribed_endpoints_of_the_firm_are_told(firm, other_firm, owner_membership,
                                                              django_capture_on_commit_callbacks):
    told = make_endpoint(firm, "https://hooks.example.com/told", events=["account.created"])
    make_endpoint(firm, "https://hooks.example.com/imports-only", events=["import.finished"])
    make_endpoint(firm, "https://hooks.example.com/disabled", events=["account.created"], active=False)
    make_endpoint(other_firm, "https://hooks.example.com/other-firm", events=["account.created"])
    with django_capture_on_commit_callbacks(execute=True):
        services.account_create(actor=owner_membership, name="Rivera Family")
    assert list(Delivery.objects.values_list("endpoint", flat=True)) == [told.pk]


def test_one_event_to_two_endpoints_shares_its_id(firm, owner_membership, django_capture_on_commit_callbacks):
    make_endpoint(firm, "https://hooks.example.com/a", events=["account.created"])
    make_endpoint(firm, "https://hooks.example.com/b", events=["account.created"])
    with django_capture_on_commit_callbacks(execute=True):
        services.account_create(actor=owner_of(firm), name="Rivera Family")
    first, second = Delivery.objects.all()
    assert first.event_id == second.event_id and first.endpoint_id != second.endpoint_id


def test_without_endpoints_an_import_records_nothing(firm, owner, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        run_import(firm, owner)
    assert Delivery.objects.count() == 0
