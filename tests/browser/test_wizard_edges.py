"""The wizard's edges in a real browser: discarding a draft, cancelling a running import (with
its confirmation) and importing the remaining rows, the history at 1366 px, and a step link
that keeps the current step's unsaved choice."""

from functools import partial

import pytest
from playwright.sync_api import expect

from imports import jobs, pipeline
from imports.models import ImportJob
from tests.actors import uploader
from tests.imports.conftest import make_mapping, upload
from tests.imports.test_cancel import counters_add_up, report
from tests.imports.test_pipeline import COLUMNS

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_draft_is_discarded_after_a_confirmation(signed_in, live_server, shots, firm, owner):
    page = signed_in
    job = upload(firm, owner, report(5), name="forgotten.csv")
    page.goto(f"{live_server.url}/clients/import/{job.pk}/review/")
    page.get_by_test_id("discard").click()
    expect(page.get_by_role("heading", name="Discard this draft?")).to_be_visible()
    shots("confirm")
    page.get_by_test_id("discard-yes").click()
    expect(page.get_by_text("was discarded")).to_be_visible()
    expect(page.get_by_role("heading", name="Import history")).to_be_visible()
    shots("history")
    assert not ImportJob.objects.filter(pk=job.pk).exists()


def test_cancel_asks_then_the_remaining_rows_are_imported(signed_in, live_server, shots, firm, owner, monkeypatch):
    monkeypatch.setattr(jobs, "run_pipeline", partial(pipeline.run_pipeline, batch_size=10))
    page = signed_in
    job = upload(firm, owner, report(50), name="clients.csv", mapping=make_mapping(COLUMNS))
    jobs.job_start(job, actor=uploader(job), enqueue=False)
    # A worker that has committed two batches of ten rows: stopped there, then shown running.
    batches = []

    def stop_after_two_batches(rows_done):
        batches.append(rows_done)
        if len(batches) == 2:
            ImportJob.objects.filter(pk=job.pk).update(cancel_requested=True)

    jobs.job_run(job.pk, progress=stop_after_two_batches)
    stopped = ImportJob.objects.get(pk=job.pk)
    ImportJob.objects.filter(pk=job.pk).update(status=ImportJob.Status.RUNNING, cancel_requested=False,
                                               rows_estimate=50, counts={})

    page.goto(f"{live_server.url}/clients/import/{job.pk}/")
    page.get_by_role("link", name="Cancel import…").click()
    expect(page.get_by_role("heading", name="Cancel this import?")).to_be_visible()
    expect(page.get_by_test_id("cancel-confirm")).to_contain_text("20 of 50 rows")
    shots("confirm-cancel")
    page.get_by_test_id("cancel-yes").click()
    assert ImportJob.objects.get(pk=job.pk).cancel_requested
    # The worker stops after its batch, as the real one does.
    ImportJob.objects.filter(pk=job.pk).update(status=ImportJob.Status.CANCELLED, counts=stopped.counts)
    page.goto(f"{live_server.url}/clients/import/{job.pk}/")
    expect(page.get_by_test_id("cancelled")).to_contain_text("Cancelled after 20 of 50 rows")
    shots("cancelled")
    page.get_by_role("button", name="Import the remaining rows").click()
    # The live server runs the task inline: the page shows the end.
    expect(page.locator("[data-count='rows_total']")).to_have_text("50")
    shots("finished")
    finished = ImportJob.objects.get(pk=job.pk)
    assert finished.status == "finished" and counters_add_up(finished.counts)


def test_the_import_history_fits_1366_px(signed_in, live_server, shots, firm, owner):
    page = signed_in
    page.set_viewport_size({"width": 1366, "height": 900})
    for i in range(6):
        job = upload(firm, owner, report(5), name=f"Quarterly client export from Practice CS {i} 2026-01-31.csv",
                     mapping=make_mapping(COLUMNS))
        if i % 2:
            jobs.job_start(job, actor=uploader(job), enqueue=False)
            jobs.job_run(job.pk)
    page.goto(f"{live_server.url}/clients/import/history/")
    expect(page.get_by_test_id("history")).to_be_visible()
    shots("history-1366")
    assert page.evaluate("document.scrollingElement.scrollWidth") <= 1366
    wrap = page.evaluate("(() => { const w = document.querySelector('.table-wrap'); "
                         "return [w.scrollWidth, w.clientWidth]; })()")
    assert wrap[0] <= wrap[1], wrap


def test_a_step_link_keeps_the_unsaved_choice(signed_in, live_server, shots, firm, owner):
    page = signed_in
    job = upload(firm, owner, report(5), name="clients.csv", mapping=make_mapping(COLUMNS))
    page.goto(f"{live_server.url}/clients/import/{job.pk}/settings/")
    overwrite = page.locator("input[name=overwrite]")
    expect(overwrite).not_to_be_checked()
    overwrite.check()
    page.locator(".steps a[data-goto=accounts]").click()
    expect(page).to_have_url(f"{live_server.url}/clients/import/{job.pk}/accounts/")
    job.refresh_from_db()
    assert job.mapping["settings"]["overwrite"] is True
