"""The mapping table of steps 2 and 4 through the test client: a 92-column Outlook export's page
stays small, empty columns are folded away but still editable, step 4 offers only contact fields
and does not repeat the Accounts step's columns, and every field is offered once per page."""

import re
from pathlib import Path

from tests.imports.test_wizard import column_prefix, table_post, target, url, wizard_upload

OUTLOOK = Path(__file__).parent / "fixtures" / "exports" / "outlook.csv"


def outlook_job(client):
    return wizard_upload(client, content=OUTLOOK.read_bytes(), name="outlook.csv")


def folded(html: str, testid: str) -> str:
    match = re.search(rf'<details class="field-table__more" data-testid="{testid}">(.*?)</details>\s*(?:{{|$|<)',
                      html, re.S)
    assert match, f"no {testid} section"
    return match.group(1)


def test_a_92_column_outlook_step_is_under_200_kb(owner_client):
    job = outlook_job(owner_client)
    assert len(job.read_info["headers"]) == 92
    for step in ("step_accounts", "step_contacts"):
        response = owner_client.get(url(step, job))
        assert response.status_code == 200
        assert len(response.content) < 200_000, (step, len(response.content))


def test_every_field_is_written_once_and_each_row_holds_its_chosen_field(owner_client):
    job = outlook_job(owner_client)
    html = owner_client.get(url("step_accounts", job)).content.decode()
    assert html.count('<optgroup label="Contact 2">') == 1  # in the shared <template>, not per row
    first_name = column_prefix(job, "First Name")
    row_select = re.search(rf'<select name="{first_name}-target"[^>]*>(.*?)</select>', html, re.S).group(1)
    assert '<option value="contact.first_name" selected>First name</option>' in row_select


def test_without_javascript_every_list_can_offer_every_field(owner_client):
    job = outlook_job(owner_client)
    html = owner_client.get(url("step_accounts", job)).content.decode()
    assert 'href="?options=all"' in html
    everything = owner_client.get(url("step_accounts", job) + "?options=all").content.decode()
    first_name = column_prefix(job, "First Name")
    row_select = re.search(rf'<select name="{first_name}-target"[^>]*>(.*?)</select>', everything, re.S).group(1)
    assert 'value="contact.date_of_birth"' in row_select and 'value="new:contact"' in row_select


def test_empty_columns_are_folded_under_one_line_and_stay_ignored(owner_client):
    job = outlook_job(owner_client)
    response = owner_client.get(url("step_accounts", job))
    html = response.content.decode()
    empty = [row.column.header for row in response.context["form"].empty_rows()]
    assert "Department" in empty and "Business Street 3" in empty and "First Name" not in empty
    section = folded(html, "empty-columns")
    assert f"{len(empty)} empty columns ignored" in section
    assert 'data-column="Department"' in section and 'data-column="First Name"' not in section
    table = html[html.index('data-testid="field-table"'):html.index('data-testid="empty-columns"')]
    assert 'data-column="Department"' not in table and 'data-column="First Name"' in table

    response = owner_client.post(url("step_accounts", job), table_post(response))
    assert response.status_code == 302
    assert target(job, "Department")[0] == "ignore"


def test_a_folded_empty_column_can_still_be_synced(owner_client):
    job = outlook_job(owner_client)
    response = owner_client.get(url("step_accounts", job))
    p = column_prefix(job, "Department")
    assert 'data-column="Department"' in folded(response.content.decode(), "empty-columns")
    response = owner_client.post(url("step_accounts", job), table_post(
        response, **{f"{p}-action": "sync", f"{p}-target": "new:contact", f"{p}-name": "Department"}))
    assert response.status_code == 302
    assert target(job, "Department")[:2] == ("contact.custom", "Department")
    # Back on the step, the person's Sync is what the row shows, and saving again keeps it.
    again = owner_client.get(url("step_accounts", job))
    assert again.context["form"][f"{p}-action"].value() == "sync"
    owner_client.post(url("step_accounts", job), table_post(again))
    assert target(job, "Department")[:2] == ("contact.custom", "Department")


def test_a_synced_empty_column_without_a_field_is_shown_with_its_error(owner_client):
    job = outlook_job(owner_client)
    response = owner_client.get(url("step_accounts", job))
    p = column_prefix(job, "Department")
    response = owner_client.post(url("step_accounts", job),
                                 table_post(response, **{f"{p}-action": "sync", f"{p}-target": ""}))
    assert response.status_code == 200
    html = response.content.decode()
    table = html[html.index('data-testid="field-table"'):html.index('data-testid="empty-columns"')]
    assert 'data-column="Department"' in table
    assert "Choose the field “Department” feeds, or set it to Ignore." in table


def test_contacts_step_offers_only_contact_fields(owner_client):
    job = outlook_job(owner_client)
    response = owner_client.get(url("step_contacts", job))
    groups = [group for group, _ in response.context["form"].target_choices()]
    assert groups[0] == "Contact" and "Account" not in groups
    values = {value for _, options in response.context["form"].target_choices() for value, _ in options}
    assert values and all(not value.startswith(("account.", "role:", "rolename:")) and value != "new:account"
                          for value in values)
    assert '<optgroup label="Account">' not in response.content.decode()


def test_contacts_step_folds_the_accounts_step_columns_with_a_link_back(owner_client):
    job = outlook_job(owner_client)
    response = owner_client.get(url("step_contacts", job))
    html = response.content.decode()
    account_columns = [h for h in job.read_info["headers"] if target(job, h)[0].startswith("account.")]
    assert "Company" in account_columns
    section = folded(html, "mapped-on-accounts")
    assert f"{len(account_columns)} column{'s' if len(account_columns) > 1 else ''} mapped on the Accounts step" in section
    assert url("step_accounts", job) in section
    table = html[html.index('data-testid="field-table"'):]
    table = table[:table.index("</table>")]
    for header in account_columns:
        assert f'data-column="{header}"' not in table
    assert 'data-column="E-mail Address"' in table


def test_each_row_shows_one_sample_and_the_others_on_demand(owner_client):
    job = outlook_job(owner_client)
    html = owner_client.get(url("step_accounts", job)).content.decode()
    row = html[html.index('data-column="First Name"'):]
    row = row[:row.index("</tr>")]
    assert row.count('class="sample"') == 1
    assert re.search(r'<details class="samples"><summary>Values.*?<li>Martin</li><li>Ewa</li>', row, re.S)
    assert "Filled in 10 rows" in row
