"""The mapping table in Chromium: usable at 390 px (every control inside the screen), the field
list's search works with the keyboard, and a 92-column Outlook export's step stays short."""

from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from playwright.sync_api import expect

from imports.models import ImportJob

pytestmark = [pytest.mark.browser, pytest.mark.slow]

OUTLOOK = Path(__file__).parents[1] / "imports" / "fixtures" / "exports" / "outlook.csv"


def outlook_job(owner) -> ImportJob:
    client = Client()
    client.force_login(owner)
    response = client.post(reverse("imports:upload", args=["accounts-and-contacts"]),
                           {"file": SimpleUploadedFile("outlook.csv", OUTLOOK.read_bytes())})
    assert response.status_code == 302
    return ImportJob.objects.latest("pk")


def step(live_server, job, name) -> str:
    return live_server.url + reverse(f"imports:{name}", args=[job.pk])


def controls_outside(page, width: int) -> list[str]:
    """The visible controls of the step's form whose box leaves the screen's width."""
    return page.evaluate(
        """(width) => Array.from(document.querySelectorAll(
               '.wizard-form select, .wizard-form input, .wizard-form button, .wizard-form summary, .wizard-form a'))
             .filter((el) => el.offsetParent !== null)
             .filter((el) => { const box = el.getBoundingClientRect(); return box.left < 0 || box.right > width; })
             .map((el) => (el.id || el.name || el.textContent.trim()).slice(0, 60))""",
        width,
    )


@pytest.mark.parametrize("name", ["step_accounts", "step_contacts"])
def test_at_390_px_every_control_is_inside_the_screen(signed_in, live_server, owner, shots, name):
    page = signed_in
    job = outlook_job(owner)
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(step(live_server, job, name))
    expect(page.get_by_test_id("field-table")).to_be_visible()
    shots(f"{name} 390")
    for summary in page.locator(".field-table__more > summary").all():
        summary.click()  # the folded columns too
    checked = page.locator(".wizard-form select:visible, .wizard-form input:visible").count()
    assert checked > 40
    assert controls_outside(page, 390) == []
    page.get_by_label("Field for E-mail Address", exact=True).click()
    page.keyboard.press("ArrowDown")
    expect(page.locator(".picker__list:visible")).to_have_count(1)
    assert controls_outside(page, 390) == []
    shots(f"{name} 390 list open")


def test_the_field_list_is_searched_and_chosen_with_the_keyboard(signed_in, live_server, owner, shots):
    page = signed_in
    job = outlook_job(owner)
    page.goto(step(live_server, job, "step_contacts"))
    title = job.read_info["headers"].index("Anniversary")
    search = page.get_by_label("Field for Anniversary", exact=True)
    expect(search).to_have_attribute("role", "combobox")
    search.focus()
    page.keyboard.type("birth")
    listbox = page.locator(f"#id_c{title}-target-listbox")
    expect(listbox).to_be_visible()
    options = listbox.get_by_role("option")
    expect(options.first).to_have_text("Date of birth")
    texts = options.all_text_contents()
    assert len(texts) == 5 and all("date of birth" in text.lower() for text in texts)  # Contact, Contact 2-5
    assert "First name" not in texts
    shots("search birth")
    page.keyboard.press("ArrowDown")  # the second match: Contact 2's date of birth
    expect(search).to_have_attribute("aria-activedescendant", options.nth(1).get_attribute("id"))
    page.keyboard.press("ArrowUp")
    page.keyboard.press("Enter")
    expect(listbox).to_be_hidden()
    expect(search).to_have_value("Date of birth")
    expect(page.locator(f"#id_c{title}-target")).to_have_value("contact.date_of_birth")
    expect(page.locator(f"#id_c{title}-action")).to_have_value("sync")  # choosing a field syncs it

    search.focus()
    page.keyboard.type("zzz nothing")
    expect(listbox).to_contain_text("No field matches")
    page.keyboard.press("Escape")
    expect(search).to_have_value("Date of birth")  # Escape keeps the choice


@pytest.mark.parametrize("name", ["step_accounts", "step_contacts"])
def test_a_92_column_outlook_step_is_under_2000_px_tall(signed_in, live_server, owner, shots, name):
    page = signed_in
    job = outlook_job(owner)
    assert len(job.read_info["headers"]) == 92
    page.set_viewport_size({"width": 1366, "height": 900})
    page.goto(step(live_server, job, name))
    expect(page.get_by_test_id("field-table")).to_be_visible()
    height = page.evaluate("document.documentElement.scrollHeight")
    shots(f"{name} 1366")
    print(f"{name}: {height} px")
    assert height < 2000
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 1366
