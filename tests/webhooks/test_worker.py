"""The real worker (`db_worker` with the database task backend) sends a delivery, and queues
its retry with `run_after` so that it waits its backoff instead of running at once."""

from __future__ import annotations

import datetime
import os
import subprocess
import sys

import pytest
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from crm import services
from tests.actors import owner_of
from tests.imports.test_concurrency import TEST_ONLY_VARIABLES, database_for_processes
from tests.webhooks.conftest import documented_verifier, make_endpoint
from webhooks.models import Delivery

pytestmark = [pytest.mark.slow, pytest.mark.django_db(transaction=True)]


def run_worker(tmp_path):
    env = {name: value for name, value in os.environ.items() if name not in TEST_ONLY_VARIABLES}
    env.update(DEBUG="1", CLIENTPORT_VAR_DIR=str(tmp_path / "var"))  # DEBUG: local webhooks allowed
    with database_for_processes(tmp_path) as url:
        env["DATABASE_URL"] = url
        done = subprocess.run([sys.executable, "-m", "clientport", "db_worker", "--batch", "--no-reload"],
                              env=env, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stdout + done.stderr


def test_the_worker_sends_and_retries_after_the_backoff(firm, receiver, settings, tmp_path):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    receiver.statuses = [500]
    endpoint = make_endpoint(firm, receiver.url, events=["account.created"])
    account = services.account_create(actor=owner_of(firm), name="Rivera Family", client_id="C-1")

    run_worker(tmp_path)
    delivery = Delivery.objects.get()
    assert (delivery.status, delivery.attempts, delivery.response_code) == ("pending", 1, 500)
    retry = DBTaskResult.objects.get(status="READY")
    assert retry.run_after == delivery.next_attempt_at
    assert delivery.next_attempt_at - timezone.now() > datetime.timedelta(seconds=40)

    run_worker(tmp_path)  # not due yet: the worker leaves it alone
    assert len(receiver.requests) == 1 and Delivery.objects.get().attempts == 1

    # A minute later (moved rather than waited for), the retry goes out and is accepted.
    due = timezone.now()
    Delivery.objects.update(next_attempt_at=due)
    DBTaskResult.objects.filter(pk=retry.pk).update(run_after=due)
    run_worker(tmp_path)
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts, delivery.response_code) == ("sent", 2, 200)
    verify = documented_verifier()
    last = receiver.requests[-1]
    assert verify(endpoint.secret, last.body, last.headers["Clientport-Signature"])
    assert f'"id":{account.pk}' in last.body.decode()
