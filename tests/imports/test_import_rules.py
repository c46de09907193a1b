"""docs/import-rules.md (rows, accounts, contacts, updates, cleaning, skip codes), rule by rule,
through the real pipeline on small files."""

import pytest

from crm import services
from crm.models import Account, AccountContact, Contact, CustomField, Tag
from imports.models import ImportChange, ImportIssue
from tests.actors import owner_of
from tests.imports.conftest import import_rows

pytestmark = pytest.mark.django_db

PEOPLE = {
    "Account": "account.name",
    "First": "contact.first_name",
    "Last": "contact.last_name",
    "Email": "contact.email",
}


def skips(job):
    return list(job.issues.filter(severity="skip").values_list("row_number", "code"))


def warnings(job):
    return list(job.issues.filter(severity="warning").values_list("row_number", "code", "column"))


def test_rows_with_the_same_account_name_are_one_account(firm, owner):
    rows = [["Account", "First", "Last", "Email"],
            ["Smith Family", "John", "Smith", "john@example.com"],
            ["  SMITH   family ", "Jane", "Smith", "jane@example.com"]]
    job, counts = import_rows(firm, owner, rows, PEOPLE)
    assert counts["accounts_created"] == 1 and counts["contacts_created"] == 2
    account = Account.objects.get(firm=firm)
    assert account.name == "Smith Family"
    assert sorted(account.contacts.values_list("first_name", flat=True)) == ["Jane", "John"]


def test_existing_account_is_matched_case_insensitively(firm, owner):
    existing = services.account_create(actor=owner_of(firm), name="Acme LLC", type="company", folder_template=None)
    rows = [["Account", "First", "Last", "Email"], ["acme llc", "Ann", "Lee", "ann@acme.example"]]
    job, counts = import_rows(firm, owner, rows, PEOPLE)
    # A new contact on an existing account counts as an update of that account.
    assert counts["accounts_created"] == 0 and counts["accounts_updated"] == 1
    assert counts["contacts_created"] == 1
    assert list(existing.contacts.values_list("email", flat=True)) == ["ann@acme.example"]


def test_same_email_in_two_accounts_is_one_contact_linked_to_both(firm, owner):
    rows = [["Account", "First", "Last", "Email"],
            ["Lee Household", "Ann", "Lee", "Ann@Example.com"],
            ["Lee Dental PC", "Ann", "Lee", "ann@example.com"]]
    job, counts = import_rows(firm, owner, rows, PEOPLE)
    assert counts["contacts_created"] == 1 and counts["accounts_created"] == 2
    contact = Contact.objects.get(firm=firm)
    assert contact.accounts.count() == 2


def test_contact_without_email_is_matched_by_name_within_its_account(firm, owner):
    rows = [["Account", "First", "Last", "Email"],
            ["Brown", "Bob", "Brown", ""],
            ["Brown", "bob", "BROWN", ""],
            ["Other Co", "Bob", "Brown", ""]]
    job, counts = import_rows(firm, owner, rows, PEOPLE)
    # One Bob in "Brown" (merged), another Bob in "Other Co": same name, different account.
    assert counts["contacts_created"] == 2
    assert Contact.objects.filter(firm=firm).count() == 2


def test_spouse_columns_create_a_second_contact_on_the_same_account(firm, owner):
    columns = {**PEOPLE, "Spouse First": "contact2.first_name", "Spouse Last": "contact2.last_name",
               "Spouse Email": "contact2.email"}
    rows = [["Account", "First", "Last", "Email", "Spouse First", "Spouse Last", "Spouse Email"],
            ["John & Jane Doe", "John", "Doe", "john@doe.example", "Jane", "Doe", "jane@doe.example"]]
    job, counts = import_rows(firm, owner, rows, columns)
    account = Account.objects.get(firm=firm)
    assert counts["contacts_created"] == 2 and counts["rows_imported"] == 1
    assert sorted(account.contacts.values_list("email", flat=True)) == ["jane@doe.example", "john@doe.example"]
    assert account.type == "individual"


def test_empty_account_name_is_named_after_the_person_or_the_email(firm, owner):
    rows = [["Account", "First", "Last", "Email"],
            ["", "Mary", "Major", "mary@example.com"],
            ["", "", "", "nobody@example.com"],
            ["", "", "", "not-an-email"]]
    job, counts = import_rows(firm, owner, rows, PEOPLE)
    names = set(Account.objects.filter(firm=firm).values_list("name", flat=True))
    assert names == {"Mary Major", "nobody@example.com"}
    assert Account.objects.get(name="Mary Major").type == "individual"
    assert skips(job) == [(4, "missing_account_name")]
    assert (3, "account_named_after_email", "") in warnings(job)
    assert counts["rows_total"] == 3 and counts["rows_imported"] == 2 and counts["rows_skipped"] == 1


def test_account_with_an_email_but_no_person_name_gets_a_nameless_contact(firm, owner):
    rows = [["Account", "First", "Last", "Email"], ["Acme LLC", "", "", "info@acme.example"], ["Beta LLC", "", "", ""]]
    job, counts = import_rows(firm, owner, rows, PEOPLE)
    acme = Account.objects.get(name="Acme LLC")
    assert list(acme.contacts.values_list("email", "first_name")) == [("info@acme.example", "")]
    assert Account.objects.get(name="Beta LLC").contacts.count() == 0
    assert counts["rows_imported"] == 2


def test_update_is_additive_by_default(firm, owner):
    account = services.account_create(actor=owner_of(firm), name="Acme LLC", type="company", client_id="A-1",
                                      folder_template=None)
    contact = services.contact_create(actor=owner_of(firm), first_name="Ann", last_name="Lee", email="ann@acme.example",
                                      city="Boston")
    services.contact_link(actor=owner_of(account), account=account, contact=contact)
    rows = [["Account", "Client ID", "Company", "First", "Last", "Email", "City", "State"],
            ["Acme LLC", "B-2", "Acme Holdings", "Ann", "Lee", "ann@acme.example", "Chicago", "IL"]]
    columns = {**PEOPLE, "Client ID": "account.client_id", "Company": "account.company_name",
               "City": "contact.city", "State": "contact.state"}
    job, counts = import_rows(firm, owner, rows, columns)
    account.refresh_from_db()
    contact.refresh_from_db()
    assert account.client_id == "A-1"  # kept
    assert account.company_name == "Acme Holdings"  # filled
    assert (contact.city, contact.state) == ("Boston", "IL")
    assert counts["accounts_updated"] == 1 and counts["contacts_updated"] == 1
    recorded = set(ImportChange.objects.filter(job=job, action="update").values_list("model", "field"))
    assert recorded == {("account", "company_name"), ("contact", "state")}


def test_overwrite_option_lets_file_values_win(firm, owner):
    contact = services.contact_create(actor=owner_of(firm), first_name="Ann", last_name="Lee", email="ann@acme.example",
                                      city="Boston")
    rows = [["Account", "First", "Last", "Email", "City"], ["Lee", "Ann", "Lee", "ann@acme.example", "Chicago"]]
    job, counts = import_rows(firm, owner, rows, {**PEOPLE, "City": "contact.city"}, overwrite=True)
    contact.refresh_from_db()
    assert contact.city == "Chicago"
    change = ImportChange.objects.get(job=job, model="contact", field="city")
    assert (change.old_value, change.new_value) == ("Boston", "Chicago")


def test_importing_the_same_file_twice_creates_nothing_the_second_time(firm, owner):
    rows = [["Account", "First", "Last", "Email", "Tags", "Phone"],
            ["Smith Family", "John", "Smith", "john@example.com", "VIP, 1040", "(312) 555-0100"],
            ["Smith Family", "Jane", "Smith", "", "VIP", ""],
            ["Acme LLC", "", "", "info@acme.example", "Payroll", ""]]
    columns = {**PEOPLE, "Tags": "account.tags", "Phone": "contact.phone"}
    _, first = import_rows(firm, owner, rows, columns)
    assert first["accounts_created"] == 2 and first["contacts_created"] == 3 and first["tags_created"] == 3
    before = (Account.objects.count(), Contact.objects.count(), Tag.objects.count(), AccountContact.objects.count())
    _, second = import_rows(firm, owner, rows, columns)
    assert before == (Account.objects.count(), Contact.objects.count(), Tag.objects.count(),
                      AccountContact.objects.count())
    assert {k: second[k] for k in ("accounts_created", "contacts_created", "tags_created",
                                   "accounts_updated", "contacts_updated")} == dict.fromkeys(
        ("accounts_created", "contacts_created", "tags_created", "accounts_updated", "contacts_updated"), 0)
    assert second["rows_imported"] == 3


def test_accounts_only_import_never_touches_contacts(firm, owner):
    rows = [["Account", "Tags", "Type"], ["Acme LLC", "Payroll", "LLC"], ["", "VIP", "Company"]]
    job, counts = import_rows(firm, owner, rows, {"Account": "account.name", "Tags": "account.tags",
                                                  "Type": "account.type"}, kind="accounts", account_type="column")
    assert Contact.objects.count() == 0
    assert Account.objects.get(firm=firm).type == "company"
    assert skips(job) == [(3, "missing_account_name")]


def test_accounts_only_update_only_skips_unknown_accounts(firm, owner):
    services.account_create(actor=owner_of(firm), name="Known Co", folder_template=None)
    rows = [["Account", "Tags"], ["Known Co", "VIP"], ["Unknown Co", "VIP"]]
    job, counts = import_rows(firm, owner, rows, {"Account": "account.name", "Tags": "account.tags"},
                              kind="accounts", update_only=True)
    assert skips(job) == [(3, "account_not_found")]
    assert counts["accounts_updated"] == 1 and counts["accounts_created"] == 0
    assert list(Account.objects.get(name="Known Co").tags.values_list("name", flat=True)) == ["VIP"]


def test_contacts_only_import_creates_unlinked_contacts_and_skips_unidentifiable_rows(firm, owner):
    rows = [["First", "Last", "Email"], ["Pat", "Prospect", "pat@example.com"], ["", "", "bad@"]]
    job, counts = import_rows(firm, owner, rows, {"First": "contact.first_name", "Last": "contact.last_name",
                                                  "Email": "contact.email"}, kind="contacts")
    assert Account.objects.count() == 0
    assert Contact.objects.get().accounts.count() == 0
    assert skips(job) == [(3, "missing_contact_identity")]


def test_conflicting_account_type_skips_the_contradicting_row_and_names_the_first(firm, owner):
    rows = [["Account", "Type", "First", "Last", "Email"],
            ["Lee", "Individual", "Ann", "Lee", "ann@example.com"],
            ["Lee", "Company", "Al", "Lee", "al@example.com"]]
    job, counts = import_rows(firm, owner, rows, {**PEOPLE, "Type": "account.type"}, account_type="column")
    assert skips(job) == [(3, "conflicting_account_type")]
    issue = job.issues.get(severity="skip")
    assert "row 2" in issue.message and "individual" in issue.message
    assert Account.objects.get().type == "individual"


def test_bad_cells_are_warnings_and_the_row_is_kept(firm, owner):
    rows = [["Account", "First", "Last", "Email", "Phone", "Born"],
            ["Doe", "John", "Doe", "not-an-email", "call me", "31/31/1980"]]
    columns = {**PEOPLE, "Phone": "contact.phone", "Born": "contact.date_of_birth"}
    job, counts = import_rows(firm, owner, rows, columns)
    assert counts["rows_imported"] == 1 and counts["warnings"] == 3
    codes = {code for _, code, _ in warnings(job)}
    assert codes == {"invalid_email", "invalid_phone", "invalid_date"}
    contact = Contact.objects.get()
    assert contact.email == "" and contact.phones == ["call me"] and contact.date_of_birth is None


def test_custom_fields_are_created_when_the_mapping_says_so(firm, owner):
    rows = [["Account", "Fiscal year end", "Referral"], ["Acme LLC", "12/31/2025", "Jane"]]
    job, counts = import_rows(firm, owner, rows, {"Account": "account.name",
                                                  "Fiscal year end": "account.custom:Fiscal year end:date",
                                                  "Referral": "account.custom:Referral"})
    assert counts["custom_fields_created"] == 2
    field = CustomField.objects.get(firm=firm, name="Fiscal year end")
    assert field.field_type == "date"
    assert Account.objects.get().custom_values[str(field.pk)] == "2025-12-31"


def test_portal_switches_apply_per_email_column(firm, owner):
    columns = {**PEOPLE, "Spouse Email": "contact2.email"}
    rows = [["Account", "First", "Last", "Email", "Spouse Email"],
            ["Doe", "John", "Doe", "john@doe.example", "jane@doe.example"]]
    import_rows(firm, owner, rows, columns,
                portal={"Email": {"login": True, "notify": True, "email_sync": False}})
    john = AccountContact.objects.get(contact__email="john@doe.example")
    jane = AccountContact.objects.get(contact__email="jane@doe.example")
    assert (john.login, john.notify, john.email_sync) == (True, True, False)
    assert (jane.login, jane.notify, jane.email_sync) == (False, False, False)


def test_importer_is_assigned_when_nobody_else_is(firm, owner, owner_membership):
    import_rows(firm, owner, [["Account"], ["Acme LLC"]], {"Account": "account.name"})
    assert list(Account.objects.get().assignees.all()) == [owner_membership]


def test_team_members_in_the_file_are_matched_by_name_or_email_and_unknown_ones_warned(firm, owner, manager):
    rows = [["Account", "Staff"], ["Acme LLC", "Mia Manager; ghost@nowhere.example"]]
    job, _ = import_rows(firm, owner, rows, {"Account": "account.name", "Staff": "account.assignees"})
    assert [m.user.email for m in Account.objects.get().assignees.all()] == ["manager@firm-a.example"]
    assert [code for _, code, _ in warnings(job)] == ["unknown_team_member"]


def test_new_accounts_get_the_firms_default_folder_template(firm, owner):
    import_rows(firm, owner, [["Account"], ["Acme LLC"]], {"Account": "account.name"})
    assert Account.objects.get().folders == firm.default_folder_template.folder_paths()


def test_every_row_is_accounted_for(firm, owner):
    rows = [["Account", "First", "Last", "Email"], ["", "", "", ""], ["A", "", "", ""], ["", "", "", "x@"],
            ["B", "Bo", "B", "b@example.com"]]
    job, counts = import_rows(firm, owner, rows, PEOPLE)
    # The blank row is ignored, not counted; the others are imported or skipped with a reason.
    assert counts["rows_total"] == 3 == counts["rows_imported"] + counts["rows_skipped"]
    assert ImportIssue.objects.filter(job=job, severity="skip").count() == counts["rows_skipped"]


def test_a_new_dropdown_field_takes_its_choices_from_the_file(firm, owner):
    rows = [["Account", "Entity"], ["Acme LLC", "S Corp"], ["Beta LLC", "Partnership"], ["Gamma LLC", "s corp"]]
    job, counts = import_rows(firm, owner, rows, {"Account": "account.name",
                                                  "Entity": "account.custom:Entity:dropdown"})
    field = CustomField.objects.get(firm=firm, name="Entity")
    assert field.field_type == "dropdown" and field.options == ["S Corp", "Partnership"]
    assert counts["warnings"] == 0
    assert Account.objects.get(name="Beta LLC").custom_values[str(field.pk)] == "Partnership"


def test_overlong_values_are_cut_with_a_warning_and_never_break_the_batch(firm, owner):
    """PostgreSQL enforces varchar lengths: every value must fit its column."""
    long_header = "Referral source and notes about how this client found the firm " * 3
    rows = [["Account", "First", "Last", "Email", "Street", "Street 2", long_header],
            ["ﬃ" * 200, "A" * 150, "B" * 150, "ok@example.com", "1 Main St " * 20, "Suite 100 " * 20, "Google"]]
    columns = {**PEOPLE, "Street": "contact.street", "Street 2": "contact.street2",
               long_header: f"account.custom:{long_header}"}
    job, counts = import_rows(firm, owner, rows, columns)
    assert counts["rows_imported"] == 1
    contact = Contact.objects.get(firm=firm)
    assert len(contact.street) == 255 and len(contact.first_name) == 100
    assert len(Account.objects.get(firm=firm).name_key) == 255
    assert CustomField.objects.get(firm=firm).name == " ".join(long_header.split())[:100]
    assert {code for _, code, _ in warnings(job)} == {"text_truncated"}
    _, again = import_rows(firm, owner, rows, columns)
    assert again["accounts_created"] == 0 and again["contacts_created"] == 0


def test_an_existing_contact_found_by_name_and_by_email_in_one_batch_keeps_both_rows_values(firm, owner):
    account = services.account_create(actor=owner_of(firm), name="Smith", folder_template=None)
    john = services.contact_create(actor=owner_of(firm), first_name="John", last_name="Smith", email="john@x.example")
    services.contact_link(actor=owner_of(account), account=account, contact=john)
    columns = {**PEOPLE, "Phone": "contact.phone"}
    rows = [["Account", "First", "Last", "Email", "Phone"],
            ["Smith", "John", "Smith", "", "(312) 555-0101"],
            ["Smith", "John", "Smith", "john@x.example", "(312) 555-0102"]]
    job, counts = import_rows(firm, owner, rows, columns)
    john.refresh_from_db()
    assert sorted(john.phones) == ["+13125550101", "+13125550102"]
    assert counts["contacts_updated"] == 1 and counts["contacts_created"] == 0
