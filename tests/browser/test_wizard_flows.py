"""The import wizard in a real browser, one test per kind of import, each through every step:
drag and drop the file, map it, change a setting, review, start, results, skipped rows ZIP."""

import csv
import io
import zipfile

import pytest
from playwright.sync_api import expect

from crm.models import Account, Contact
from imports.models import ImportJob
from tests.actors import owner_of

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def csv_text(rows):
    out = io.StringIO()
    csv.writer(out, lineterminator="\r\n").writerows(rows)
    return out.getvalue()


def drop_file(page, name: str, content, mime: str = "text/csv") -> None:
    """Drags a file onto the drop zone: a DataTransfer built in the page, then the events a
    person's drag and drop fires."""
    data = list(content.encode("utf-8") if isinstance(content, str) else content)
    transfer = page.evaluate_handle(
        """([name, bytes, mime]) => {
            const transfer = new DataTransfer();
            transfer.items.add(new File([new Uint8Array(bytes)], name, {type: mime}));
            return transfer;
        }""",
        [name, data, mime],
    )
    for event in ("dragenter", "dragover", "drop"):
        page.dispatch_event(".dropzone", event, {"dataTransfer": transfer})


def open_wizard(page, live_server, kind_label: str, shots) -> None:
    page.goto(f"{live_server.url}/clients/accounts/")
    page.get_by_role("link", name="Import", exact=True).click()
    expect(page.get_by_role("heading", name="What do you want to import?")).to_be_visible()
    shots("choose kind")
    page.locator(".kind-card", has_text=kind_label).first.click()
    expect(page.locator(".dropzone")).to_be_visible()
    shots("upload")


def continue_to(page, title: str) -> None:
    page.get_by_role("button", name=f"Continue to {title}").click()
    expect(page.locator(".steps__item.is-current")).to_contain_text(title)


def start_and_finish(page, shots) -> None:
    expect(page.get_by_test_id("totals")).to_contain_text("Rows to import")
    shots("review")
    page.get_by_test_id("start-import").click()
    bar = page.get_by_role("progressbar", name="Import progress")
    expect(bar).to_have_attribute("aria-valuenow", "100")
    expect(page.locator(".status")).to_have_text("Finished")
    shots("results")


def download_skipped(page, tmp_path) -> list[list[str]]:
    with page.expect_download() as info:
        page.get_by_test_id("download-skipped").click()
    download = info.value
    assert download.suggested_filename.endswith("-skipped-rows.zip")
    path = tmp_path / download.suggested_filename
    download.save_as(path)
    with zipfile.ZipFile(path) as archive:
        (name,) = archive.namelist()
        text = archive.read(name).decode("utf-8-sig")
    return list(csv.reader(io.StringIO(text)))


def test_accounts_and_contacts_import_from_drop_to_skipped_rows(signed_in, live_server, shots, firm, tmp_path):
    page = signed_in
    rows = [
        ["Account Name", "First Name", "Last Name", "Email", "Phone", "Filing status"],
        ["Smith Household", "John", "Smith", "john@example.com", "(312) 555-0100", "Married"],
        ["Smith Household", "Jane", "Smith", "jane@example.com", "", "Married"],
        ["Acme LLC", "Bob", "Jones", "bob@acme.example", "", "Single"],
        ["", "", "", "", "", "Orphan"],
        ["<script>alert('x')</script>", "Eve", "Evil", "not-an-email", "", ""],
    ]
    open_wizard(page, live_server, "Accounts and contacts", shots)
    drop_file(page, "clients.csv", csv_text(rows))

    expect(page.get_by_test_id("preview")).to_contain_text("Smith Household")
    expect(page.get_by_test_id("preview")).to_contain_text("<script>alert('x')</script>")
    expect(page.get_by_test_id("detected")).to_contain_text("Comma")
    shots("file read")
    continue_to(page, "Accounts")

    expect(page.get_by_label("Column with the account name")).to_have_value("0")
    page.get_by_label("Field for Filing status", exact=True).fill("new account")
    page.keyboard.press("Enter")
    page.get_by_label("New field name for Filing status", exact=True).fill("Filing status")
    page.get_by_label("Type of the new field for Filing status", exact=True).select_option("text")
    shots("accounts")
    continue_to(page, "Settings")

    page.locator("[data-email-column='Email'] .toggle").first.click()  # Login on for the Email column
    shots("settings")
    continue_to(page, "Contacts")
    shots("contacts")
    continue_to(page, "Review")

    expect(page.get_by_test_id("example").first).to_contain_text("Smith Household")
    expect(page.locator("[data-total='accounts_created']")).to_have_text("3")
    expect(page.get_by_test_id("skip-reasons")).to_contain_text("No account name")
    start_and_finish(page, shots)

    expect(page.locator("[data-count='accounts_created']")).to_have_text("3")
    expect(page.locator("[data-count='contacts_created']")).to_have_text("4")
    expect(page.locator("[data-count='rows_skipped']")).to_have_text("1")
    skipped = download_skipped(page, tmp_path)
    assert skipped[0] == rows[0] + ["Row", "Reason"]
    assert skipped[1][:6] == rows[4] and skipped[1][6] == "5"

    john = Contact.objects.get(firm=firm, email="john@example.com")
    assert john.account_links.get().login is True
    assert Account.objects.filter(firm=firm, name="<script>alert('x')</script>").exists()
    page.get_by_role("link", name="Accounts created by this import").click()
    expect(page.get_by_test_id("import-filter")).to_be_visible()
    expect(page.locator("table.table tbody tr")).to_have_count(3)
    shots("accounts created by the import")
    page.goto(f"{live_server.url}/clients/import/history/")
    expect(page.get_by_test_id("history")).to_contain_text("clients.csv")
    shots("history")


def test_accounts_only_import_updates_existing_accounts_and_tags_them(signed_in, live_server, shots, firm, tmp_path):
    from crm import services

    page = signed_in
    services.account_create(actor=owner_of(firm), name="Acme LLC", type="other", folder_template=None)
    services.tag_get_or_create(firm=firm, name="Migrated 2026")
    rows = [
        ["Client Name", "Entity Type", "Client ID", "Tags"],
        ["Acme LLC", "Company", "A-1", "VIP"],
        ["Baker Family", "Individual", "B-2", ""],
        ["", "Company", "C-3", ""],
    ]
    open_wizard(page, live_server, "Accounts only", shots)
    drop_file(page, "accounts.csv", csv_text(rows))
    expect(page.get_by_test_id("preview")).to_contain_text("Baker Family")
    shots("file read")
    continue_to(page, "Accounts")
    expect(page.get_by_label("Map with a column of the file")).to_be_checked()
    shots("accounts")
    continue_to(page, "Settings")
    page.get_by_label("Migrated 2026").check()
    shots("settings")
    continue_to(page, "Review")

    acme = page.get_by_test_id("example").filter(has_text="Acme LLC")
    expect(acme).to_contain_text("Existing — will be updated")
    expect(page.locator("[data-total='accounts_created']")).to_have_text("1")
    expect(page.locator("[data-total='accounts_updated']")).to_have_text("1")
    start_and_finish(page, shots)

    expect(page.locator("[data-count='accounts_updated']")).to_have_text("1")
    skipped = download_skipped(page, tmp_path)
    assert [row[-2] for row in skipped[1:]] == ["4"]
    assert set(Account.objects.get(firm=firm, name="Acme LLC").tags.values_list("name", flat=True)) == {
        "VIP", "Migrated 2026"
    }
    assert not Contact.objects.filter(firm=firm).exists()


def test_contacts_only_import_creates_unlinked_contacts(signed_in, live_server, shots, firm, tmp_path):
    page = signed_in
    rows = [
        ["First Name", "Last Name", "E-mail Address", "Mobile Phone"],
        ["Nora", "Prospect", "nora@example.com", "312-555-0199"],
        ["Omar", "Lead", "", "312-555-0123"],
        ["", "", "", "312-555-0000"],
    ]
    open_wizard(page, live_server, "Contacts only", shots)
    drop_file(page, "prospects.csv", csv_text(rows))
    expect(page.get_by_test_id("preview")).to_contain_text("Nora")
    continue_to(page, "Settings")
    page.get_by_label("Overwrite existing values").check()
    shots("settings")
    continue_to(page, "Contacts")
    expect(page.get_by_label("Field for E-mail Address", exact=True)).to_have_value("Email")
    shots("contacts")
    continue_to(page, "Review")
    expect(page.get_by_test_id("example").first).to_contain_text("Nora Prospect")
    expect(page.get_by_test_id("skip-reasons")).to_contain_text("No name and no email")
    start_and_finish(page, shots)

    expect(page.locator("[data-count='contacts_created']")).to_have_text("2")
    skipped = download_skipped(page, tmp_path)
    assert skipped[1][:4] == rows[3]
    assert Contact.objects.filter(firm=firm).count() == 2
    assert not Account.objects.filter(firm=firm).exists()
    assert ImportJob.objects.get().mapping["settings"]["overwrite"] is True


def test_xlsx_workbook_is_browsed_mapped_and_imported(signed_in, live_server, shots, firm, tmp_path):
    from tests.imports.reading.workbooks import write_xlsx

    page = signed_in
    path = write_xlsx(tmp_path / "Client list.xlsx", {
        "Notes": [["Exported from Drake"]],
        "Clients": [
            ["Client", "First Name", "Last Name", "Email", "ZIP"],
            ["Green Bakery LLC", "Gail", "Green", "gail@bakery.example", "02134"],
            ["Hill Family", "Hank", "Hill", "hank@example.com", 60601],
            ["", "", "", "", "99999"],
        ],
    })
    open_wizard(page, live_server, "Accounts and contacts", shots)
    page.set_input_files(".dropzone__input", str(path))
    expect(page.get_by_test_id("detected")).to_contain_text("XLSX")
    page.get_by_label("Sheet").select_option("Clients")
    page.get_by_role("button", name="Read the file again").click()
    expect(page.get_by_test_id("preview")).to_contain_text("Green Bakery LLC")
    expect(page.get_by_test_id("preview")).to_contain_text("02134")
    shots("sheet chosen")
    continue_to(page, "Accounts")
    page.get_by_label("One type for all accounts").check()
    page.get_by_label("Type for all accounts", exact=True).select_option("company")
    shots("accounts")
    continue_to(page, "Settings")
    continue_to(page, "Contacts")
    continue_to(page, "Review")
    expect(page.get_by_test_id("example").filter(has_text="Hill Family")).to_contain_text("Company")
    start_and_finish(page, shots)

    expect(page.locator("[data-count='accounts_created']")).to_have_text("2")
    skipped = download_skipped(page, tmp_path)
    assert skipped[1][-1].startswith("No account name: The row has no account name")  # the title, then the message
    hill = Account.objects.get(firm=firm, name="Hill Family")
    assert hill.type == "company" and hill.company_name == "Hill Family"
    assert Contact.objects.get(firm=firm, email="gail@bakery.example").postal_code == "02134"


def test_progress_bar_follows_a_running_import_to_its_results(signed_in, live_server, shots, firm, owner):
    from django.core.files.base import ContentFile

    page = signed_in
    job = ImportJob(firm=firm, created_by=owner, original_name="big.csv", status=ImportJob.Status.RUNNING,
                    rows_estimate=10_000, rows_done=4_000, read_info={"headers": ["Name"]})
    job.file.save("big.csv", ContentFile(b"Name\nA\n"), save=False)
    job.save()
    page.goto(f"{live_server.url}/clients/import/{job.pk}/")
    bar = page.get_by_role("progressbar", name="Import progress")
    expect(bar).to_have_attribute("aria-valuenow", "40")
    expect(page.get_by_role("link", name="Cancel import…")).to_be_visible()
    shots("running")

    ImportJob.objects.filter(pk=job.pk).update(rows_done=7_500)
    expect(bar).to_have_attribute("aria-valuenow", "75")
    counts = {"rows_total": 10_000, "rows_imported": 10_000, "accounts_created": 9_000}
    ImportJob.objects.filter(pk=job.pk).update(rows_done=10_000, status=ImportJob.Status.FINISHED, counts=counts)
    expect(page.locator("[data-count='accounts_created']")).to_have_text("9,000")
    expect(page.get_by_role("progressbar", name="Import progress")).to_have_attribute("aria-valuenow", "100")
    shots("finished")
