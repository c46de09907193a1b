"""The accounts list in Chromium: filter, select all matching (more than a page), add a tag in
bulk, sort by name descending. Screenshots under var/screenshots/."""

import pytest
from playwright.sync_api import expect

from crm.models import Account
from crm.normalize import account_name_key

pytestmark = pytest.mark.browser


@pytest.fixture
def many_accounts(firm):
    names = [f"Smith {n:02}" for n in range(60)] + ["Jones Family", "Adams Trust"]
    Account.objects.bulk_create([Account(firm=firm, name=name, name_key=account_name_key(name)) for name in names])


def test_filter_select_all_matching_add_a_tag_and_sort(signed_in, shots, live_server, firm, many_accounts):
    page = signed_in
    violations = []
    page.on("console", lambda m: violations.append(m.text) if "Content Security Policy" in m.text else None)
    page.goto(f"{live_server.url}/clients/accounts/")
    expect(page.get_by_test_id("list-count")).to_have_text("62 accounts")
    shots("accounts list")

    page.get_by_placeholder("Search by name or email").fill("Smith")
    page.get_by_role("button", name="Filter").click()
    expect(page.get_by_test_id("list-count")).to_have_text("60 accounts match")
    # The header box ticks the page's 50 rows; "select all" reaches the 10 on page two as well.
    page.get_by_label("Select every account on this page").check()
    expect(page.locator("[data-selected-count]")).to_have_text("50 accounts selected")
    page.get_by_test_id("select-all-matching").check()
    expect(page.locator("[data-selected-count]")).to_have_text("All matching the filter selected")
    page.get_by_label("Action").select_option("add_tags")
    expect(page.locator("#bulk-type")).to_be_hidden()  # only the chosen action's inputs
    page.get_by_placeholder("or a new tag").fill("Follow up 2025")
    shots("bulk bar ready")
    page.get_by_test_id("bulk-apply").click()
    expect(page.locator(".messages")).to_contain_text("Tag “Follow up 2025” added to 60 accounts.")
    assert Account.objects.filter(firm=firm, tags__name="Follow up 2025").count() == 60
    assert not Account.objects.filter(firm=firm, name="Jones Family", tags__name="Follow up 2025").exists()
    shots("tag added")

    # Back on the filtered list: sort by name, descending.
    page.get_by_role("link", name="Name").click()
    expect(page.locator("th[aria-sort='descending']")).to_contain_text("Name")
    expect(page.get_by_test_id("account-name").first).to_have_text("Smith 59")
    assert "q=Smith" in page.url and "sort=-name" in page.url
    shots("sorted by name descending")
    assert violations == []


def test_the_bulk_bar_and_saved_filters_fit_a_390_px_phone(signed_in, shots, live_server, firm, many_accounts):
    page = signed_in
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"{live_server.url}/clients/accounts/?q=Smith&sort=-name")
    page.get_by_label("Action").select_option("set_type")
    controls = [page.get_by_test_id("select-all-matching"), page.get_by_label("Action"), page.locator("#bulk-type"),
                page.get_by_test_id("bulk-apply"), page.get_by_role("button", name="Save filter")]
    for control in controls:
        box = control.bounding_box()
        assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= 390, box
    shots("390 px")
