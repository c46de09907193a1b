"""Accessibility in a real browser: axe-core (through axe-playwright-python) on every page a firm
or a client sees, at 1366 px and at 390 px, with no serious or critical violation and no
horizontal scroll; the keyboard reaches the skip link, the menu and the upload's drop zone.
Screenshots of every page go to var/screenshots/ (a11y-<width>-...)."""

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.test import Client
from playwright.sync_api import expect

from crm import services
from tests.actors import owner_of
from tests.browser.conftest import Screenshots
from tests.browser.test_wizard_flows import continue_to, csv_text, drop_file
from tests.portal.conftest import PASSWORD, make_client

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WIDTHS = [1366, 390]
AXE = Axe()

# The innermost elements that reach past the window's right edge, to name in a failure.
WIDE_ELEMENTS = """() => Array.from(document.querySelectorAll("body *"))
  .filter(el => el.getBoundingClientRect().right > window.innerWidth + 1
             && !Array.from(el.children).some(child => child.getBoundingClientRect().right > window.innerWidth + 1))
  .slice(0, 4)
  .map(el => el.tagName.toLowerCase() + (el.className && typeof el.className === "string" ? "." + el.className.trim().split(/\\s+/).join(".") : ""))
  .join(", ")"""


class Audit:
    """Visits pages at one width and collects what axe and the layout checks find on each."""

    def __init__(self, page, width: int, group: str):
        self.page = page
        self.width = width
        page.set_viewport_size({"width": width, "height": 900})
        self.shots = Screenshots(page, f"a11y-{group}-{width}")
        self.findings: list[str] = []

    def check(self, name: str) -> None:
        page = self.page
        page.wait_for_load_state("load")
        results = AXE.run(page, options={"resultTypes": ["violations"]})
        for violation in results.response["violations"]:
            if violation["impact"] in ("serious", "critical"):
                targets = "; ".join(" ".join(node["target"]) for node in violation["nodes"][:5])
                self.findings.append(f"{name}: {violation['id']} ({violation['impact']}) {violation['help']} at {targets}")
        overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        if overflow > 0:
            culprits = page.evaluate(WIDE_ELEMENTS)
            self.findings.append(f"{name}: scrolls sideways by {overflow}px at {self.width}px ({culprits})")
        self.shots(name)

    def visit(self, url: str, name: str) -> None:
        self.page.goto(url)
        self.check(name)

    def assert_clean(self) -> None:
        assert self.findings == [], "\n".join(self.findings)


def sign_in(page, live_server, user) -> None:
    session = Client()
    session.force_login(user)
    from django.conf import settings
    page.context.add_cookies([{"name": settings.SESSION_COOKIE_NAME,
                               "value": session.cookies[settings.SESSION_COOKIE_NAME].value, "url": live_server.url}])
    page.set_default_timeout(15_000)


@pytest.fixture
def clients(firm):
    """An account with a contact and a tag, so the lists and pages have something to show."""
    actor = owner_of(firm)
    account = services.account_create(actor=actor, name="Smith Household")
    contact = services.contact_create(actor=actor, account=account, first_name="John", last_name="Smith",
                                      email="john@example.com")
    services.tag_get_or_create(firm=firm, name="VIP")
    return account, contact


@pytest.mark.parametrize("width", WIDTHS)
def test_the_team_pages_have_no_serious_violations(signed_in, live_server, clients, width):
    account, contact = clients
    audit = Audit(signed_in, width, "team")
    base = live_server.url
    for path, name in [
        ("/clients/accounts/", "accounts"),
        (f"/clients/accounts/{account.pk}/", "account"),
        (f"/clients/accounts/{account.pk}/edit/", "account edit"),
        ("/clients/accounts/new/", "account new"),
        ("/clients/contacts/", "contacts"),
        (f"/clients/contacts/{contact.pk}/", "contact"),
        ("/clients/contacts/?q=nobody", "contacts empty"),
        ("/clients/import/history/", "history empty"),
        ("/settings/", "settings firm"),
        ("/settings/team/", "settings team"),
        ("/settings/tags/", "settings tags"),
        ("/settings/custom-fields/", "settings custom fields"),
        ("/settings/roles/", "settings roles"),
        ("/settings/folders/", "settings folders"),
        ("/settings/import-mappings/", "settings import mappings"),
    ]:
        audit.visit(base + path, name)
    audit.assert_clean()


@pytest.mark.parametrize("width", WIDTHS)
def test_every_wizard_step_has_no_serious_violations(signed_in, live_server, firm, width):
    page = signed_in
    audit = Audit(page, width, "wizard")
    audit.visit(f"{live_server.url}/clients/import/", "import start")
    audit.visit(f"{live_server.url}/clients/import/new/accounts-and-contacts/", "upload")
    drop_file(page, "clients.csv", csv_text([
        ["Account Name", "First Name", "Last Name", "Email", "Phone"],
        ["Smith Household", "John", "Smith", "john@example.com", "(312) 555-0100"],
        ["Acme LLC", "Bob", "Jones", "bob@acme.example", ""],
        ["", "", "", "", ""],
    ]))
    expect(page.get_by_test_id("preview")).to_contain_text("Smith Household")
    audit.check("file")
    for title in ("Accounts", "Settings", "Contacts", "Review"):
        continue_to(page, title)
        audit.check(title.lower())
    expect(page.get_by_test_id("totals")).to_contain_text("Rows to import")
    page.get_by_test_id("start-import").click()
    expect(page.locator(".status")).to_have_text("Finished")
    audit.check("results")
    audit.visit(f"{live_server.url}/clients/import/history/", "history")
    audit.assert_clean()


@pytest.mark.parametrize("width", WIDTHS)
def test_the_portal_and_sign_in_pages_have_no_serious_violations(page, live_server, firm, width):
    world = make_client(firm, "ana@example.com", account_name="Rivera Household")
    audit = Audit(page, width, "portal")
    base = live_server.url
    audit.visit(f"{base}/login/", "team sign-in")
    audit.visit(f"{base}/password-reset/", "password reset")
    audit.visit(f"{base}/portal/login/", "portal sign-in")
    page.get_by_label("Email").fill("ana@example.com")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(f"{base}/portal/**")
    audit.visit(f"{base}/portal/", "portal home")
    audit.visit(f"{base}/portal/accounts/{world.account.pk}/", "portal account")
    audit.visit(f"{base}/portal/accounts/{world.account.pk}/details/", "portal details")
    audit.assert_clean()


def test_the_skip_link_is_the_first_stop_and_moves_focus_to_the_content(signed_in, live_server, clients):
    page = signed_in
    page.goto(f"{live_server.url}/clients/accounts/")
    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="Skip to content")
    expect(skip).to_be_focused()
    assert skip.bounding_box()["x"] >= 0  # shown when focused, not left off-screen
    page.keyboard.press("Enter")
    expect(page.locator("main#main")).to_be_focused()


def test_the_menu_button_opens_the_sections_at_390_px(signed_in, live_server, clients):
    page = signed_in
    page.set_viewport_size({"width": 390, "height": 800})
    page.goto(f"{live_server.url}/clients/accounts/")
    nav = page.get_by_role("navigation", name="Main")
    menu = page.get_by_role("button", name="Menu")
    expect(nav).to_be_hidden()
    expect(menu).to_have_attribute("aria-expanded", "false")
    menu.click()
    expect(menu).to_have_attribute("aria-expanded", "true")
    expect(nav.get_by_role("link", name="Contacts")).to_be_visible()
    Screenshots(page, "a11y-menu-390")("menu open")
    page.keyboard.press("Escape")
    expect(nav).to_be_hidden()
    expect(menu).to_be_focused()
    menu.click()
    nav.get_by_role("link", name="History").click()
    expect(page.get_by_role("heading", name="Import history")).to_be_visible()


def test_the_sidebar_shows_the_sections_and_marks_the_current_one(signed_in, live_server, clients):
    page = signed_in
    page.goto(f"{live_server.url}/clients/contacts/")
    nav = page.get_by_role("navigation", name="Main")
    for name in ("Accounts", "Contacts", "New import", "History", "Settings"):
        expect(nav.get_by_role("link", name=name, exact=True)).to_be_visible()
    expect(nav.get_by_role("link", name="Contacts")).to_have_attribute("aria-current", "page")
    expect(nav.get_by_role("link", name="Accounts")).not_to_have_attribute("aria-current", "page")
    expect(page.get_by_role("button", name="Menu")).to_be_hidden()


def tab_to(page, target) -> None:
    """Presses Tab until `target` has the focus, as a keyboard user moves through the page."""
    for _ in range(80):
        page.keyboard.press("Tab")
        if target.evaluate("element => document.activeElement === element"):
            return
    raise AssertionError(f"Tab never reached {target}")


def test_the_wizard_runs_from_the_keyboard_alone(signed_in, live_server, firm, tmp_path):
    page = signed_in
    page.goto(f"{live_server.url}/clients/import/new/accounts-and-contacts/")
    tab_to(page, page.locator(".dropzone__input"))
    ring = page.locator(".dropzone").evaluate("zone => getComputedStyle(zone).outlineStyle")
    assert ring != "none"  # the zone shows the focus of the invisible file input inside it
    # Enter and Space activate the file input (a click on it is what opens the picker). Headless
    # Chromium's file-chooser event is unreliable, so the test counts the activations and stops
    # each one before a picker would open.
    file_input = page.locator(".dropzone__input")
    file_input.evaluate("""input => input.addEventListener("click", event => {
        window.pickerRequests = (window.pickerRequests || 0) + 1; event.preventDefault(); })""")
    page.keyboard.press(" ")
    page.keyboard.press("Enter")
    assert page.evaluate("window.pickerRequests") == 2
    expect(page.get_by_role("heading", name="Import clients")).to_be_visible()  # Enter did not submit the empty form
    upload = tmp_path / "clients.csv"
    upload.write_text(csv_text([["Account Name", "First Name", "Last Name", "Email"],
                                ["Smith Household", "John", "Smith", "john@example.com"]]))
    file_input.set_input_files(str(upload))  # as the picker would: choosing the file submits it
    expect(page.get_by_test_id("preview")).to_contain_text("Smith Household")

    for title in ("Accounts", "Settings", "Contacts", "Review"):
        tab_to(page, page.get_by_role("button", name=f"Continue to {title}"))
        page.keyboard.press("Enter")
        expect(page.locator(".steps__item.is-current")).to_contain_text(title)
    tab_to(page, page.get_by_test_id("start-import"))
    page.keyboard.press("Enter")
    expect(page.locator(".status")).to_have_text("Finished")


def test_keyboard_focus_is_visible_on_links_and_buttons(signed_in, live_server, clients):
    page = signed_in
    page.goto(f"{live_server.url}/clients/accounts/")
    seen = 0
    for _ in range(12):
        page.keyboard.press("Tab")
        style = page.evaluate(
            "() => { const s = getComputedStyle(document.activeElement);"
            " return [document.activeElement.tagName, s.outlineStyle, s.outlineWidth, s.boxShadow]; }")
        tag, outline, width, shadow = style
        if tag in ("A", "BUTTON", "SELECT", "INPUT", "SUMMARY"):
            seen += 1
            assert (outline != "none" and width != "0px") or shadow != "none", f"{tag} shows no focus"
    assert seen >= 5
