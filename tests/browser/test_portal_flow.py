"""The client portal end to end in a real browser: an import with Login and Send invitations on,
the invitation mail read from var/mail/, the link followed, a password set, a document uploaded
in the portal, and the firm seeing it on the account page."""

import email
import re
import time

import pytest
from django.conf import settings as django_settings
from django.test import Client
from playwright.sync_api import expect

from crm.models import AccountContact, Contact
from tests.browser.conftest import Screenshots
from tests.browser.test_wizard_flows import continue_to, csv_text, drop_file, open_wizard, start_and_finish

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def mail_folder(settings, live_server):
    """Mails go to files under var/mail/, as with `make run`; the link in them points at the
    test's server."""
    folder = django_settings.VAR_DIR / "mail"
    folder.mkdir(parents=True, exist_ok=True)
    settings.EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
    settings.EMAIL_FILE_PATH = folder
    settings.SITE_URL = live_server.url
    return folder


def mails_to(folder, address: str, since: float) -> list[email.message.Message]:
    """The mails written to `folder` since `since` addressed to `address` (a file may hold several)."""
    found = []
    for path in sorted(folder.glob("*.log")):
        if path.stat().st_mtime < since:
            continue
        for chunk in re.split(r"\n-{79}\n", path.read_text(encoding="utf-8")):
            if chunk.strip():
                message = email.message_from_string(chunk.strip())
                if address in (message["To"] or ""):
                    found.append(message)
    return found


def test_an_invited_client_sets_a_password_uploads_and_the_firm_sees_it(
    signed_in, live_server, shots, firm, mail_folder, browser, tmp_path
):
    started = time.time() - 1
    page = signed_in
    rows = [
        ["Account Name", "First Name", "Last Name", "Email"],
        ["Alvarez Household", "Marta", "Alvarez", "marta.alvarez@example.com"],
        ["Brook Bakery LLC", "Sam", "Brook", "sam@brook-bakery.example"],
    ]
    open_wizard(page, live_server, "Accounts and contacts", shots)
    drop_file(page, "clients.csv", csv_text(rows))
    continue_to(page, "Accounts")
    continue_to(page, "Settings")
    page.locator("[data-email-column='Email'] .toggle").first.click()  # Login on for the Email column
    page.get_by_label("Send portal invitations").check()
    shots("settings with invitations")
    continue_to(page, "Contacts")
    continue_to(page, "Review")
    start_and_finish(page, shots)

    # The worker (run inline in tests) sent one mail per contact, from the firm's name.
    [mail] = mails_to(mail_folder, "marta.alvarez@example.com", started)
    assert firm.name in mail["From"]
    body = mail.get_payload(decode=True).decode()
    link = re.search(r"https?://\S+/portal/invitation/\S+/", body).group(0)
    assert len(mails_to(mail_folder, "sam@brook-bakery.example", started)) == 1

    # The client, in a browser of their own, follows the link and chooses a password.
    client_context = browser.new_context(viewport={"width": 1360, "height": 900})
    client_page = client_context.new_page()
    client_page.set_default_timeout(15_000)
    client_shots = Screenshots(client_page, "portal-client")
    client_page.goto(link)
    expect(client_page.get_by_role("heading", name=firm.name)).to_be_visible()
    client_shots("invitation")
    client_page.locator("input[name=new_password1]").fill("a long portal passphrase 42")
    client_page.locator("input[name=new_password2]").fill("a long portal passphrase 42")
    client_page.get_by_role("button", name="Set password and open the portal").click()
    expect(client_page.get_by_role("heading", name="Alvarez Household")).to_be_visible()
    client_shots("portal account")

    # The link works once.
    again = client_context.new_page()
    again.goto(link)
    expect(again.locator("body")).not_to_contain_text("Choose a password")
    again.close()

    # An upload into one of the account's folders.
    document = tmp_path / "W-2 2025.pdf"
    document.write_bytes(b"%PDF-1.4 wages")
    folder = client_page.get_by_label("Folder")
    folder.select_option(index=1)
    chosen = folder.evaluate("select => select.value")
    client_page.get_by_label("Files").set_input_files(str(document))
    client_page.get_by_role("button", name="Upload").click()
    expect(client_page.locator("#documents")).to_contain_text("W-2 2025.pdf")
    client_shots("uploaded")
    client_context.close()

    marta = Contact.objects.get(firm=firm, email="marta.alvarez@example.com")
    assert marta.portal_user is not None
    link_row = AccountContact.objects.get(contact=marta)
    assert link_row.invitation == AccountContact.Invitation.ACCEPTED

    # The firm sees the client's upload on the account page, marked as such.
    page.goto(f"{live_server.url}/clients/accounts/{link_row.account_id}/")
    table = page.get_by_test_id(f"documents-{chosen}")
    expect(table).to_contain_text("W-2 2025.pdf")
    expect(table).to_contain_text("Client upload")
    expect(page.get_by_test_id("account-history")).to_contain_text("accepted the portal invitation")
    shots("firm sees the upload")
    with page.expect_download() as info:
        table.get_by_role("link", name="W-2 2025.pdf").click()
    saved = tmp_path / "downloaded.pdf"
    info.value.save_as(saved)
    assert saved.read_bytes() == b"%PDF-1.4 wages"


def test_the_client_cannot_open_the_team_pages(live_server, firm, page):
    """A signed-in client who types a team URL lands in the portal, not in the firm's data."""
    from crm import services
    from tests.actors import owner_of
    from tests.conftest import make_user

    actor = owner_of(firm)
    account = services.account_create(actor=actor, name="Client Only Household")
    contact = services.contact_create(actor=actor, account=account, first_name="Cy", last_name="Client",
                                      email="cy@example.com")
    user = make_user("cy@example.com")
    Contact.objects.filter(pk=contact.pk).update(portal_user=user)
    AccountContact.objects.filter(contact=contact).update(login=True)
    session = Client()
    session.force_login(user)
    page.context.add_cookies([{"name": django_settings.SESSION_COOKIE_NAME,
                               "value": session.cookies[django_settings.SESSION_COOKIE_NAME].value,
                               "url": live_server.url}])
    page.goto(f"{live_server.url}/clients/accounts/")
    assert page.url.startswith(f"{live_server.url}/portal/")
    expect(page.get_by_role("heading", name="Client Only Household")).to_be_visible()
