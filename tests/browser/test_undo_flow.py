"""Undo in a real browser: import a small file through the wizard, undo it from the results
page, see its accounts gone, the undo in the history, and the email."""

import pytest
from playwright.sync_api import expect

from crm.models import Account
from tests.browser.test_wizard_flows import continue_to, csv_text, drop_file, open_wizard, start_and_finish

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_import_then_undo_from_the_results_page(signed_in, live_server, shots, firm, mailoutbox):
    page = signed_in
    rows = [
        ["Account Name", "First Name", "Last Name", "Email"],
        ["Smith Household", "John", "Smith", "john@example.com"],
        ["Acme LLC", "Bob", "Jones", "bob@acme.example"],
    ]
    open_wizard(page, live_server, "Accounts and contacts", shots)
    drop_file(page, "clients.csv", csv_text(rows))
    expect(page.get_by_test_id("preview")).to_contain_text("Smith Household")
    for step in ("Accounts", "Settings", "Contacts", "Review"):
        continue_to(page, step)
    start_and_finish(page, shots)
    assert Account.objects.filter(firm=firm).count() == 2
    mailoutbox.clear()

    page.get_by_role("link", name="Undo this import").click()
    expect(page.get_by_role("heading", name="Undo this import?")).to_be_visible()
    expect(page.locator("[data-count='accounts_removed']")).to_have_text("2")
    expect(page.locator("[data-count='contacts_removed']")).to_have_text("2")
    shots("undo confirmation")
    page.get_by_test_id("confirm-undo").click()

    expect(page.get_by_test_id("undo-done")).to_be_visible()
    expect(page.get_by_test_id("undone-by")).to_contain_text("Undone by Olivia Owner")
    shots("undo results")
    assert not Account.objects.filter(firm=firm).exists()
    assert [mail.subject for mail in mailoutbox] == ["Your import of clients.csv was undone"]
    assert "Accounts removed: 2" in mailoutbox[0].body

    page.goto(f"{live_server.url}/clients/accounts/")
    expect(page.get_by_text("Smith Household")).to_have_count(0)
    shots("accounts after undo")
    page.goto(f"{live_server.url}/clients/import/history/")
    expect(page.get_by_test_id("history")).to_contain_text("Undone by Olivia Owner")
    shots("history after undo")
