"""The pages' own behaviour in a real browser under the Content-Security-Policy: the moved
inline handlers (delete questions, the firm switcher) and htmx's progress polling still work,
and Chromium reports no violation."""

import pytest
from django.core.files.base import ContentFile
from playwright.sync_api import expect

from crm import services
from crm.models import Tag
from imports.models import ImportJob
from tests.actors import owner_of

pytestmark = pytest.mark.browser


@pytest.fixture
def violations(signed_in):
    """Console messages in which Chromium reports what the policy refused."""
    found = []
    signed_in.on("console", lambda message: found.append(message.text)
                 if "Content Security Policy" in message.text else None)
    return found


def bar_width(page) -> float:
    return page.locator(".progress__bar").evaluate(
        "bar => Math.round(100 * bar.getBoundingClientRect().width / bar.parentElement.getBoundingClientRect().width)"
    )


def test_progress_bar_is_sized_and_polled_by_htmx_under_the_policy(signed_in, violations, live_server, firm, owner):
    page = signed_in
    job = ImportJob(firm=firm, created_by=owner, original_name="big.csv", status=ImportJob.Status.RUNNING,
                    rows_estimate=10_000, rows_done=4_000, read_info={"headers": ["Name"]})
    job.file.save("big.csv", ContentFile(b"Name\nA\n"), save=False)
    job.save()
    page.goto(f"{live_server.url}/clients/import/{job.pk}/")
    expect(page.get_by_role("progressbar", name="Import progress")).to_have_attribute("aria-valuenow", "40")
    page.wait_for_function("document.querySelector('.progress__bar').style.width === '40%'")

    ImportJob.objects.filter(pk=job.pk).update(rows_done=7_500)
    expect(page.get_by_role("progressbar", name="Import progress")).to_have_attribute("aria-valuenow", "75")
    page.wait_for_timeout(800)  # the bar's width transition
    assert bar_width(page) == 75
    assert violations == []


def test_deleting_a_tag_asks_first(signed_in, violations, live_server, firm):
    page = signed_in
    services.tag_get_or_create(firm=firm, name="Old clients")
    page.goto(f"{live_server.url}/settings/tags/")
    row = page.locator("tr", has_text="Old clients")

    page.once("dialog", lambda dialog: dialog.dismiss())
    row.get_by_role("button", name="Delete").click()
    page.wait_for_load_state()
    assert Tag.objects.filter(firm=firm, name="Old clients").exists()

    questions = []
    page.once("dialog", lambda dialog: (questions.append(dialog.message), dialog.accept()))
    row.get_by_role("button", name="Delete").click()
    expect(page.locator("tr", has_text="Old clients")).to_have_count(0)
    assert questions and questions[0].startswith("Delete the tag Old clients?")
    assert not Tag.objects.filter(firm=firm, name="Old clients").exists()
    assert violations == []


def test_the_firm_switcher_switches_on_choosing(signed_in, violations, live_server, firm, owner, other_firm):
    page = signed_in
    services.member_add(actor=owner_of(other_firm), email=owner.email, role="admin")
    page.goto(f"{live_server.url}/clients/accounts/")
    page.locator("#firm-switcher").select_option(label="Beta Bookkeeping")
    expect(page).to_have_title("Accounts · Beta Bookkeeping")
    assert violations == []
