"""Automatic column mapping: header matching, type guessing and whole-file suggestions (pure, no database)."""

import pytest

from imports.mapping import IGNORE, KINDS, NAMED_FIELDS, all_targets
from imports.matching import (
    FieldSpec,
    guess_field_type,
    match_header,
    normalize_header,
    suggest_mapping,
    target_label,
)


def rows(headers, *records):
    """Sample rows from dicts of header -> value (missing cells empty)."""
    return [[record.get(h, "") for h in headers] for record in records]


def targets(mapping):
    return {c.column: c.target for c in mapping.columns}


# --- normalize_header ---------------------------------------------------------------------------
@pytest.mark.parametrize(
    "header, normalized",
    [
        ("E-mail Address", "email address"),
        ("email address", "email address"),
        ("EMAIL_ADDRESS", "email address"),
        ("EmailAddress", "email address"),
        ("  Email   Address ", "email address"),
        ("*ContactName", "contact name"),
        ("POAddressLine1", "po address line 1"),
        ("Person1FirstName", "person 1 first name"),
        ("DDINumber", "ddi number"),
        ("E-mail 1 - Value", "email 1 value"),
        ("Phone 1 - Label", "phone 1 label"),
        ("Email (2)", "email 2"),
        ("Zip/Postal Code", "zip postal code"),
        ("State/Province/Region", "state province region"),
        ("Mr./Ms./...", "mr ms"),
        ("M.I.", "m i"),
        ("Assistant's Phone", "assistants phone"),
        ("Client #", "client number"),
        ("Date de naissance", "date de naissance"),
        ("Prénom", "prenom"),
        ("Straße", "strasse"),
        ("\ufeffFirst Name", "first name"),
        ("BADDR1", "baddr 1"),
        ("FIRSTNAME", "firstname"),
        ("", ""),
        ("---", ""),
    ],
)
def test_normalize_header(header, normalized):
    assert normalize_header(header) == normalized


# --- match_header: real headers ------------------------------------------------------------------
@pytest.mark.parametrize(
    "header, expected",
    [
        # names
        ("First Name", "contact.first_name"),
        ("FIRSTNAME", "contact.first_name"),
        ("first_name", "contact.first_name"),
        ("Given Name", "contact.first_name"),
        ("Middle Name", "contact.middle_name"),
        ("M.I.", "contact.middle_name"),
        ("MIDINIT", "contact.middle_name"),
        ("Additional Name", "contact.middle_name"),
        ("Last Name", "contact.last_name"),
        ("Surname", "contact.last_name"),
        ("Family Name", "contact.last_name"),
        ("Full Name", "contact.full_name"),
        ("Primary Contact", "contact.full_name"),
        ("Name Prefix", "contact.prefix"),
        ("Mr./Ms./...", "contact.prefix"),
        ("Salutation", "contact.prefix"),
        ("Name Suffix", "contact.suffix"),
        # emails
        ("Email", "contact.email"),
        ("E-mail Address", "contact.email"),
        ("EmailAddress", "contact.email"),
        ("Main Email", "contact.email"),
        ("E-mail 1 - Value", "contact.email"),
        ("E-mail 2 - Value", "contact.additional_emails"),
        ("E-mail 2 Address", "contact.additional_emails"),
        ("E-mail 3 Address", "contact.additional_emails"),
        ("Email (2)", "contact.additional_emails"),
        ("Secondary Email", "contact.additional_emails"),
        ("CC Email", "contact.additional_emails"),
        # phones
        ("Phone", "contact.phone"),
        ("Phone Number", "contact.phone"),
        ("Mobile Phone", "contact.phone"),
        ("Cell Phone", "contact.phone"),
        ("Home Phone", "contact.phone"),
        ("Business Phone", "contact.phone"),
        ("Main Phone", "contact.phone"),
        ("Alt. Phone", "contact.phone"),
        ("Phone 1 - Value", "contact.phone"),
        ("Phone 2 - Value", "contact.phone"),
        ("PhoneNumber", "contact.phone"),
        ("MobileNumber", "contact.phone"),
        ("PHONE2", "contact.phone"),
        ("Mobile Phone Number", "contact.phone"),
        # other personal fields
        ("Birthday", "contact.date_of_birth"),
        ("DOB", "contact.date_of_birth"),
        ("Birthdate", "contact.date_of_birth"),
        ("Date of Birth", "contact.date_of_birth"),
        ("SSN", "contact.tax_id"),
        ("SSN/EIN", "contact.tax_id"),
        ("Social Security Number", "contact.tax_id"),
        ("Taxpayer SSN", "contact.tax_id"),
        ("Government ID Number", "contact.tax_id"),
        ("Notes", "contact.notes"),
        ("NOTEPAD", "contact.notes"),
        ("Comments", "contact.notes"),
        # addresses
        ("Street Address", "contact.street"),
        ("Address", "contact.street"),
        ("Address Line 1", "contact.street"),
        ("Address 1 - Street", "contact.street"),
        ("Home Street", "contact.street"),
        ("Mailing Street", "contact.street"),
        ("POAddressLine1", "contact.street"),
        ("Address Line 2", "contact.street2"),
        ("Home Street 2", "contact.street2"),
        ("Address 1 - Extended Address", "contact.street2"),
        ("City", "contact.city"),
        ("Home City", "contact.city"),
        ("POCity", "contact.city"),
        ("State", "contact.state"),
        ("State/Province/Region", "contact.state"),
        ("Mailing State/Province", "contact.state"),
        ("Address 1 - Region", "contact.state"),
        ("ZIP", "contact.postal_code"),
        ("Zip Code", "contact.postal_code"),
        ("ZIP/Postal Code", "contact.postal_code"),
        ("Mailing Zip/Postal Code", "contact.postal_code"),
        ("Home Postal Code", "contact.postal_code"),
        ("Country", "contact.country"),
        ("Country/Region", "contact.country"),
        ("Home Country/Region", "contact.country"),
        # accounts
        ("Account Name", "account.name"),
        ("Client Name", "account.name"),
        ("Client", "account.name"),
        ("Customer", "account.name"),
        ("Display Name", "contact.full_name"),
        ("*ContactName", "account.name"),  # Xero: the customer is the account
        ("Account Type", "account.type"),
        ("Entity Type", "account.type"),
        ("Client type", "account.type"),
        ("Type", "account.type"),
        ("Company", "account.company_name"),
        ("Company Name", "account.company_name"),
        ("Organization Name", "account.company_name"),
        ("COMPANYNAME", "account.company_name"),
        ("Associated Company", "account.company_name"),
        ("Client ID", "account.client_id"),
        ("Client Number", "account.client_id"),
        ("Account No.", "account.client_id"),
        ("Customer Number", "account.client_id"),
        ("Tags", "account.tags"),
        ("Categories", "account.tags"),
        ("Client Group", "account.tags"),
        ("Customer Type", "account.tags"),  # QuickBooks: the firm's own categories
        ("CTYPE", "account.tags"),
        ("Labels", "contact.tags"),  # Google labels a person
        ("Group Membership", "contact.tags"),
        ("Assigned to", "account.assignees"),
        ("Team Members", "account.assignees"),
        ("Assignees", "account.assignees"),
        ("Account manager", "account.assignees"),
        ("Contact owner", "account.assignees"),
        ("Staff Assigned", "account.assignees"),
        # further people
        ("Spouse First Name", "contact2.first_name"),
        ("Spouse Last Name", "contact2.last_name"),
        ("Spouse SSN", "contact2.tax_id"),
        ("Spouse Email", "contact2.email"),
        ("Spouse's Email", "contact2.email"),
        ("Spouse Date of Birth", "contact2.date_of_birth"),
        ("Spouse", "contact2.full_name"),  # Outlook: the spouse's name
        ("First Name (Spouse)", "contact2.first_name"),
        ("Contact 2 First Name", "contact2.first_name"),
        ("Contact 2 - Email", "contact2.email"),
        ("Secondary Contact Email", "contact2.email"),
        ("Secondary Contact", "contact2.full_name"),
        ("Partner First Name", "contact2.first_name"),
        ("Person1Email", "contact2.email"),  # Xero: Person1 follows the primary person
        ("Person1FirstName", "contact2.first_name"),
        ("Person4LastName", "contact5.last_name"),
        ("Contact 3 Email", "contact3.email"),
        ("Contact 5 Phone", "contact5.phone"),
        ("Taxpayer First Name", "contact.first_name"),
        ("TP Email", "contact.email"),
        ("ContactGroups", "account.tags"),  # a contact list's groups are the firm's tags
        # German, Spanish and French exports
        ("Vorname", "contact.first_name"),
        ("Nachname", "contact.last_name"),
        ("Straße", "contact.street"),
        ("PLZ", "contact.postal_code"),
        ("Geburtsdatum", "contact.date_of_birth"),
        ("Firma", "account.company_name"),
        ("Kundennummer", "account.client_id"),
        ("Apellidos", "contact.last_name"),
        ("Correo electrónico", "contact.email"),
        ("Código postal", "contact.postal_code"),
        ("Prénom", "contact.first_name"),
        ("Courriel", "contact.email"),
        ("Société", "account.company_name"),
        # export plumbing
        ("E-mail 1 - Label", IGNORE),
        ("Phone 1 - Type", IGNORE),
        ("E-mail Type", IGNORE),
        ("E-mail Display Name", IGNORE),
        ("Person1IncludeInEmail", IGNORE),
    ],
)
def test_match_header_real_headers(header, expected):
    assert match_header(header) == (expected, "")


@pytest.mark.parametrize(
    "header",
    ["Fax", "Fax Number", "FaxNumber", "Job Title", "Website", "Open Balance", "Filing Status", "Lead Source"],
)
def test_known_non_fields_become_new_custom_fields_not_lookalikes(header):
    target, field = match_header(header)
    assert target in ("account.custom", "contact.custom")
    assert field == header


def test_unknown_header_matches_nothing():
    assert match_header("Favourite colour") is None
    assert match_header("") is None
    assert match_header("Person5Email") is None  # a sixth person has no slot


def test_every_target_label_maps_back_to_its_target():
    """Export headers written with target_label re-import with no changes."""
    for target in all_targets():
        if target.split(".")[1] in NAMED_FIELDS:
            continue
        assert match_header(target_label(target)) == (target, ""), target


def test_target_labels_read_well():
    assert target_label("account.name") == "Account name"
    assert target_label("contact2.email") == "Contact 2 email"
    assert target_label("contact3.tax_id") == "Contact 3 SSN/TIN"
    assert target_label("account.role", "Tax preparer") == "Tax preparer"


# --- match_header: kinds ----------------------------------------------------------------------
def test_tags_follow_the_kind():
    assert match_header("Tags", kind="contacts") == ("contact.tags", "")
    assert match_header("Labels", kind="accounts") == ("account.tags", "")
    assert match_header("Labels", kind="accounts-and-contacts") == ("contact.tags", "")


def test_contact_fields_are_ignored_in_an_accounts_import():
    for header in ("Email", "First Name", "Phone", "Street Address", "Spouse SSN"):
        assert match_header(header, kind="accounts") == (IGNORE, ""), header
    assert match_header("Account Name", kind="accounts") == ("account.name", "")
    assert match_header("Notes", kind="accounts") == ("account.custom", "Notes")


def test_account_fields_are_kept_as_contact_custom_fields_in_a_contacts_import():
    assert match_header("Company", kind="contacts") is None  # suggest_mapping makes it a custom field
    assert match_header("Email", kind="contacts") == ("contact.email", "")
    assert match_header("Fax", kind="contacts") == ("contact.custom", "Fax")


def test_bare_name_is_the_account_in_an_accounts_import_and_the_person_otherwise():
    assert match_header("Name", kind="accounts") == ("account.name", "")
    assert match_header("Name", kind="contacts") == ("contact.full_name", "")
    assert match_header("Name") == ("contact.full_name", "")


def test_unknown_kind_is_refused():
    with pytest.raises(ValueError):
        match_header("Email", kind="everything")
    with pytest.raises(ValueError):
        suggest_mapping(["Email"], [], kind="everything")


# --- Fuzzy matching -------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "header, expected",
    [
        ("Emial Address", "contact.email"),
        ("Frist Name", "contact.first_name"),
        ("Lsat Name", "contact.last_name"),
        ("Home Stret", "contact.street"),
        ("Phone Numbr", "contact.phone"),
        ("Account Nmae", "account.name"),
        ("Birthdayy", "contact.date_of_birth"),
        ("Spouse Frist Name", "contact2.first_name"),
        ("Name First", "contact.first_name"),  # word order
    ],
)
def test_fuzzy_accepts_a_typo(header, expected):
    assert match_header(header) == (expected, "")


@pytest.mark.parametrize(
    "header",
    [
        "Account Nam",  # one letter from "Account Name" and from "Account Num" (the client id)
        "Firt Name",  # one letter from "First Name" and from "Firm Name"
        "Contact 2 Emal",  # "Contact 2 email" or "Contact email 2"?
        "Adres",  # too short to guess
        "Person 6 Email",  # a number is never fuzzed into another
        "Contact 6 Email",
        "County",  # not Country
    ],
)
def test_fuzzy_refuses_an_ambiguous_or_risky_header(header):
    assert match_header(header) is None


def test_fuzzy_also_finds_firm_fields_and_roles():
    fields = [FieldSpec("account", "Engagement letter signed", "yes_no")]
    assert match_header("Engagement leter signed", custom_fields=fields) == (
        "account.custom", "Engagement letter signed",
    )
    assert match_header("Reviewr", roles=["Reviewer"]) == ("account.role", "Reviewer")


# --- Firm custom fields and roles ----------------------------------------------------------------
def test_existing_custom_field_is_matched_by_name():
    fields = [
        FieldSpec("account", "Filing status", "dropdown", ("Single", "Married")),
        FieldSpec("contact", "Occupation", "text"),
    ]
    assert match_header("FILING STATUS", custom_fields=fields) == ("account.custom", "Filing status")
    assert match_header("Occupation", custom_fields=fields) == ("contact.custom", "Occupation")
    assert match_header("Occupation", custom_fields=fields, kind="contacts") == ("contact.custom", "Occupation")
    # an account field has no place in a contacts import: the column gets its own contact field
    assert match_header("Filing status", custom_fields=fields, kind="contacts") == ("contact.custom", "Filing status")


def test_existing_custom_field_wins_over_a_synonym_but_not_over_a_target_label():
    fields = [FieldSpec("contact", "Home phone", "phone"), FieldSpec("contact", "Email", "email")]
    assert match_header("Home Phone", custom_fields=fields) == ("contact.custom", "Home phone")
    assert match_header("Email", custom_fields=fields) == ("contact.email", "")


def test_role_is_matched_by_name():
    roles = ["Tax preparer", "Reviewer"]
    assert match_header("Tax Preparer", roles=roles) == ("account.role", "Tax preparer")
    assert match_header("reviewer", roles=roles) == ("account.role", "Reviewer")
    assert match_header("Reviewer Email", roles=roles) == ("account.role", "Reviewer")


def test_preparer_column_feeds_the_preparer_role_or_else_the_assignees():
    assert match_header("Preparer", roles=["Tax Preparer"]) == ("account.role", "Tax Preparer")
    assert match_header("Preparer", roles=["Reviewer"]) == ("account.assignees", "")
    assert match_header("Preparer") == ("account.assignees", "")


def test_roles_do_not_apply_to_a_contacts_import():
    assert match_header("Reviewer", roles=["Reviewer"], kind="contacts") is None


# --- guess_field_type -------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "values, expected",
    [
        ([], "text"),
        (["", "  "], "text"),
        (["Yes", "No", "yes", ""], "yes_no"),
        (["Y", "N", "N"], "yes_no"),
        (["TRUE", "FALSE"], "yes_no"),
        (["1", "0", "1"], "number"),  # digits alone are not a yes/no
        (["12", "3.5", "-4", "1,234.56"], "number"),
        (["$1,200.00", "($300)", "7%"], "number"),
        (["1.234,56", "12,5"], "number"),
        (["02134", "10001"], "text"),  # ZIP codes keep their leading zeros
        (["007", "12"], "text"),
        (["1234567890123456789"], "text"),  # too long for a quantity
        (["2024-01-31", "1990-05-17"], "date"),
        (["01/31/2024", "12/1/1990"], "date"),
        (["31.01.2024", "1.2.1990"], "date"),
        (["2023-05-01 10:20", "2023-05-02T08:00:00Z"], "date"),
        (["Jan 5, 2020", "5 March 2021", "March 3rd, 1999"], "date"),
        (["--05-17", "1980-02-01"], "date"),  # Google birthdays without a year
        (["13/13/2020"], "text"),
        (["a@b.com", "c.d@e.org"], "email"),
        (["a@b.com", "not an email"], "text"),
        (["https://example.com", "www.example.org", "acme.com/about"], "url"),
        (["(312) 555-0100", "+1 312 555 0101", "312-555-0102 x12", "+44 20 7946 0958"], "phone"),
        (["3125550100"], "number"),  # without formatting it could be any number
        (["123-45-6789"], "text"),  # an SSN is not a phone number
        (["12-3456789"], "text"),  # nor an EIN
        (["N/A", "12", "-"], "number"),  # placeholders are ignored
        (["Gold", "Silver", "Gold", "Bronze", "Gold", "Silver", "Gold", "Silver", "Bronze", "Gold"], "dropdown"),
        (["Gold", "Silver", "Gold"], "text"),  # too few samples to call it a dropdown
        (["A", "B", "C", "D", "E", "F", "A", "B", "C", "D", "E", "F"], "text"),  # too many choices
        (["Married filing jointly"] * 6 + ["Single"] * 6, "dropdown"),
        (["Acme LLC", "Smith & Sons"], "text"),
    ],
)
def test_guess_field_type(values, expected):
    assert guess_field_type(values) == expected


# --- suggest_mapping ---------------------------------------------------------------------------------
def test_one_column_mapping_per_header_in_header_order():
    headers = ["Email", "Favourite colour", "First Name", "", "Email"]
    mapping = suggest_mapping(headers, rows(headers, {"Email": "a@x.com", "First Name": "Ann"}))
    assert [c.column for c in mapping.columns] == headers
    assert mapping.validate(headers) == []


def test_duplicate_email_goes_to_additional_emails():
    headers = ["Email", "Email Address", "E-mail 2 - Value", "Spouse Email", "Spouse E-mail Address"]
    sample = rows(headers, dict.fromkeys(headers, "x@example.com"))
    mapping = suggest_mapping(headers, sample)
    assert targets(mapping) == {
        "Email": "contact.email",
        "Email Address": "contact.additional_emails",
        "E-mail 2 - Value": "contact.additional_emails",
        "Spouse Email": "contact2.email",
        "Spouse E-mail Address": "contact2.additional_emails",
    }
    assert mapping.validate(headers) == []


def test_duplicate_email_prefers_the_column_that_has_data_then_the_better_synonym():
    headers = ["Work Email", "Email", "Personal Email"]
    mapping = suggest_mapping(headers, rows(headers, {"Work Email": "w@x.com", "Personal Email": "p@y.com"}))
    assert targets(mapping) == {
        "Work Email": "contact.additional_emails",
        "Email": "contact.additional_emails",
        "Personal Email": "contact.email",
    }


def test_several_phone_columns_all_feed_phones():
    headers = ["Phone 1", "Phone 2", "Mobile", "Home Phone"]
    mapping = suggest_mapping(headers, rows(headers, dict.fromkeys(headers, "(312) 555-0100")))
    assert set(targets(mapping).values()) == {"contact.phone"}
    assert mapping.validate(headers) == []


def test_duplicate_single_target_keeps_one_column_and_keeps_the_other_as_a_custom_field():
    headers = ["First Name", "Given Name", "Client ID", "Customer Number"]
    sample = rows(headers, {"First Name": "Ann", "Given Name": "Annie", "Client ID": "C-1", "Customer Number": "77"})
    mapping = suggest_mapping(headers, sample)
    assert mapping.column("First Name").target == "contact.first_name"
    assert mapping.column("Given Name").target == "contact.custom"
    assert mapping.column("Given Name").field == "Given Name"
    assert mapping.column("Client ID").target == "account.client_id"
    assert mapping.column("Customer Number").target == "account.custom"
    assert mapping.column("Customer Number").field_type == "text"  # an identifier, not an amount
    assert mapping.validate(headers) == []


def test_empty_column_is_ignored():
    headers = ["Email", "Favourite colour", "Fax"]
    mapping = suggest_mapping(headers, rows(headers, {"Email": "a@x.com"}, {"Email": "b@x.com", "Fax": " "}))
    assert mapping.column("Favourite colour").target == IGNORE
    assert mapping.column("Fax").target == IGNORE


def test_recognised_column_is_mapped_even_when_empty_in_the_samples():
    headers = ["Email", "Middle Name"]
    mapping = suggest_mapping(headers, rows(headers, {"Email": "a@x.com"}))
    assert mapping.column("Middle Name").target == "contact.middle_name"


def test_unmatched_column_with_data_becomes_a_new_custom_field_with_a_guessed_type():
    headers = ["Email", "Engagement signed", "Fee", "Last contacted", "Occupation", "Spouse Occupation", "*Risk"]
    sample = rows(
        headers,
        {"Email": "a@x.com", "Engagement signed": "Yes", "Fee": "1,200.00", "Last contacted": "2024-03-01",
         "Occupation": "Dentist", "Spouse Occupation": "Teacher", "*Risk": "low"},
        {"Email": "b@x.com", "Engagement signed": "No", "Fee": "950", "Last contacted": "2024-02-11"},
    )
    mapping = suggest_mapping(headers, sample)
    signed = mapping.column("Engagement signed")
    assert (signed.target, signed.field, signed.field_type) == ("account.custom", "Engagement signed", "yes_no")
    assert (mapping.column("Fee").target, mapping.column("Fee").field_type) == ("account.custom", "number")
    assert mapping.column("Last contacted").field_type == "date"
    # about the person -> the contact; about another person on the row -> kept on the account
    assert mapping.column("Occupation").target == "contact.custom"
    assert mapping.column("Spouse Occupation").target == "account.custom"
    assert mapping.column("*Risk").field == "Risk"
    assert mapping.validate(headers) == []


def test_unmatched_column_follows_the_kind():
    headers = ["Email", "Favourite colour"]
    sample = rows(headers, {"Email": "a@x.com", "Favourite colour": "blue"})
    assert suggest_mapping(headers, sample, kind="contacts").column("Favourite colour").target == "contact.custom"
    accounts = suggest_mapping(headers, sample, kind="accounts")
    assert accounts.column("Favourite colour").target == "account.custom"
    assert accounts.column("Email").target == IGNORE


def test_column_without_a_header_gets_a_field_name():
    headers = ["Email", ""]
    mapping = suggest_mapping(headers, rows(headers, {"Email": "a@x.com", "": "something"}))
    assert mapping.column("").field == "Column 2"


def test_existing_custom_field_and_role_are_matched_by_name():
    headers = ["Client Name", "Filing Status", "Tax Preparer", "Preparer", "Occupation"]
    fields = [
        FieldSpec("account", "Filing status", "dropdown", ("Single",)),
        FieldSpec("contact", "Occupation", "text"),
    ]
    sample = rows(headers, dict.fromkeys(headers, "x"))
    mapping = suggest_mapping(headers, sample, custom_fields=fields, roles=["Tax preparer"])
    filing = mapping.column("Filing Status")
    assert (filing.target, filing.field, filing.field_type) == ("account.custom", "Filing status", "")
    preparer = mapping.column("Tax Preparer")
    assert (preparer.target, preparer.field) == ("account.role", "Tax preparer")
    assert (mapping.column("Preparer").target, mapping.column("Preparer").field) == ("account.role", "Tax preparer")
    assert (mapping.column("Occupation").target, mapping.column("Occupation").field) == ("contact.custom", "Occupation")
    assert mapping.validate(headers) == []


def test_second_column_named_like_a_field_of_both_sides_is_the_contacts():
    headers = ["Account name", "Risk", "First name", "Risk"]
    fields = [FieldSpec("contact", "Risk", "text"), FieldSpec("account", "Risk", "text")]
    mapping = suggest_mapping(headers, rows(headers, {"Risk": "low"}), custom_fields=fields)
    risks = [(c.target, c.field) for c in mapping.columns if c.column == "Risk"]
    assert risks == [("account.custom", "Risk"), ("contact.custom", "Risk")]


def test_account_type_comes_from_the_column_when_one_is_mapped():
    headers = ["Account Name", "Account Type"]
    sample = rows(headers, {"Account Name": "Acme", "Account Type": "Company"})
    assert suggest_mapping(headers, sample).account_type.mode == "column"
    assert suggest_mapping(["Account Name"], [["Acme"]]).account_type.mode == "auto"


@pytest.mark.parametrize("header", ["Name", "Display Name", "File As"])
def test_a_name_column_next_to_first_and_last_names_is_the_persons(header):
    headers = [header, "First Name", "Last Name", "Company"]
    mapping = suggest_mapping(headers, rows(headers, {header: "Ann Smith", "First Name": "Ann", "Last Name": "Smith",
                                                      "Company": "Smith Dental"}))
    assert mapping.column(header).target == "contact.full_name"
    assert mapping.column("Company").target == "account.name"  # the organisation groups the accounts


@pytest.mark.parametrize("header", ["Company", "Company Name", "Organization", "Organization 1 - Name",
                                    "Associated Company", "Employer", "Firmenname", "Empresa", "Société"])
def test_an_organisation_column_names_the_accounts_when_no_column_names_the_client(header):
    headers = ["First Name", "Last Name", "Email", header]
    values = {"First Name": "Ann", "Last Name": "Smith", "Email": "a@x.com", header: "Smith Dental"}
    assert suggest_mapping(headers, rows(headers, values)).column(header).target == "account.name"
    # A column that names the client comes first; the organisation is then the company name.
    with_client = suggest_mapping(["Client", *headers], rows(["Client", *headers], {"Client": "Ann Smith", **values}))
    assert with_client.column("Client").target == "account.name"
    assert with_client.column(header).target == "account.company_name"
    # Nothing to group by: an empty organisation column names nothing.
    assert suggest_mapping(headers, rows(headers, {**values, header: ""})).column(header).target != "account.name"
    assert suggest_mapping(headers, rows(headers, values), kind="contacts").column(header).target != "account.name"


def test_bare_name_is_the_person_when_nothing_else_names_one():
    headers = ["Name", "Email"]
    people = rows(headers, {"Name": "Ann Smith", "Email": "a@x.com"}, {"Name": "Bob Jones"})
    assert suggest_mapping(headers, people).column("Name").target == "contact.full_name"
    companies = rows(headers, {"Name": "Acme LLC"}, {"Name": "Smith & Sons"}, {"Name": "Jones Family Trust"})
    assert suggest_mapping(headers, companies).column("Name").target == "account.name"
    assert suggest_mapping(headers, companies, kind="contacts").column("Name").target == "contact.full_name"


def test_title_is_a_prefix_or_a_job_title_depending_on_the_values():
    headers = ["Title", "First Name"]
    courtesy = rows(headers, {"Title": "Mr."}, {"Title": "Dr"}, {"Title": "Mrs"})
    assert suggest_mapping(headers, courtesy).column("Title").target == "contact.prefix"
    jobs = suggest_mapping(headers, rows(headers, {"Title": "CFO"}, {"Title": "Mr."}))
    assert (jobs.column("Title").target, jobs.column("Title").field) == ("contact.custom", "Job title")


def test_address_block_home_wins_over_business_when_both_have_data():
    headers = ["Home Street", "Home City", "Business Street", "Business City", "Other Street"]
    sample = rows(headers, {"Home Street": "1 Elm St", "Home City": "Austin", "Business Street": "9 Main St",
                            "Business City": "Dallas"})
    mapping = suggest_mapping(headers, sample)
    assert targets(mapping) == {
        "Home Street": "contact.street",
        "Home City": "contact.city",
        # Kept as the business address: it fills the contact's address on rows without a home
        # address, and a company account's address (docs/import-rules.md, "Client status and
        # addresses").
        "Business Street": "contact.business_street",
        "Business City": "contact.business_city",
        "Other Street": IGNORE,
    }
    assert mapping.validate(headers) == []


def test_address_block_with_data_wins_over_an_empty_preferred_one():
    headers = ["Home Street", "Home City", "Business Street", "Business City", "Business State"]
    sample = rows(headers, {"Business Street": "9 Main St", "Business City": "Dallas", "Business State": "TX"})
    mapping = suggest_mapping(headers, sample)
    assert targets(mapping) == {
        "Home Street": IGNORE,
        "Home City": IGNORE,
        "Business Street": "contact.business_street",  # the contact's address on every row (no home)
        "Business City": "contact.business_city",
        "Business State": "contact.business_state",
    }


def test_free_form_address_lines_find_the_street():
    headers = ["Customer", "Bill to 1", "Bill to 2", "Bill to 3", "Bill to 4"]
    sample = rows(
        headers,
        {"Customer": "Smith, John", "Bill to 1": "John Smith", "Bill to 2": "123 Main St", "Bill to 3": "Apt 4",
         "Bill to 4": "Springfield, IL 62701"},
        {"Customer": "Acme", "Bill to 1": "Acme LLC", "Bill to 2": "PO Box 45", "Bill to 3": "",
         "Bill to 4": "Chicago, IL 60601-1234"},
    )
    mapping = suggest_mapping(headers, sample)
    assert targets(mapping) == {
        "Customer": "account.name",
        "Bill to 1": "contact.custom",
        "Bill to 2": "contact.street",
        "Bill to 3": "contact.street2",
        "Bill to 4": "contact.city",  # "City, ST ZIP": cleaning splits it
    }
    assert mapping.validate(headers) == []


def test_free_form_address_lines_without_samples_take_the_first_two():
    headers = ["Bill to 1", "Bill to 2", "Bill to 3"]
    mapping = suggest_mapping(headers, [])
    assert targets(mapping) == {"Bill to 1": "contact.street", "Bill to 2": "contact.street2", "Bill to 3": IGNORE}


def test_numbered_people_are_the_primary_person_when_the_file_has_no_other():
    headers = ["Account", "Person1FirstName", "Person1Email", "Person2FirstName"]
    mapping = suggest_mapping(headers, rows(headers, dict.fromkeys(headers, "x")))
    assert targets(mapping) == {
        "Account": "account.name",
        "Person1FirstName": "contact.first_name",
        "Person1Email": "contact.email",
        "Person2FirstName": "contact2.first_name",
    }


def test_accounts_import_never_touches_contacts():
    headers = ["Account Name", "Tags", "Labels", "Email", "First Name", "Spouse SSN", "Assigned to", "Notes"]
    sample = rows(headers, dict.fromkeys(headers, "x"))
    mapping = suggest_mapping(headers, sample, kind="accounts")
    assert targets(mapping) == {
        "Account Name": "account.name",
        "Tags": "account.tags",
        "Labels": "account.tags",
        "Email": IGNORE,
        "First Name": IGNORE,
        "Spouse SSN": IGNORE,
        "Assigned to": "account.assignees",
        "Notes": "account.custom",
    }
    assert mapping.validate(headers) == []


def test_contacts_import_keeps_account_columns_as_contact_fields():
    headers = ["Email", "Tags", "Company", "Account Name", "Contact owner"]
    mapping = suggest_mapping(headers, rows(headers, dict.fromkeys(headers, "x")), kind="contacts")
    assert targets(mapping) == {
        "Email": "contact.email",
        "Tags": "contact.tags",
        "Company": "contact.custom",
        "Account Name": "contact.custom",
        "Contact owner": "contact.custom",
    }
    assert mapping.validate(headers) == []


GENERIC_FILE = [
    "Client Name", "Client ID", "Entity Type", "Company", "Tags", "Assigned To", "Tax Preparer", "First Name",
    "Middle Name", "Last Name", "Email", "Email 2", "Phone", "Mobile", "DOB", "SSN", "Address", "Address 2",
    "City", "State", "Zip", "Country", "Notes", "Spouse First Name", "Spouse Last Name", "Spouse Email",
    "Spouse SSN", "Contact 3 First Name", "Contact 3 Email", "Filing Status", "Fee", "Title",
]


@pytest.mark.parametrize("kind", KINDS)
def test_every_suggested_mapping_validates(kind):
    sample = rows(GENERIC_FILE, dict.fromkeys(GENERIC_FILE, "x"), dict.fromkeys(GENERIC_FILE, ""))
    mapping = suggest_mapping(GENERIC_FILE, sample, kind=kind, roles=["Tax preparer"],
                              custom_fields=[FieldSpec("account", "Filing status", "text")])
    assert mapping.kind == kind
    assert mapping.validate(GENERIC_FILE) == []
    assert mapping.preset == ""


def test_generic_client_list_maps_with_no_clicks():
    sample = rows(GENERIC_FILE, {"Client Name": "Smith Household", "Title": "Mrs"})
    mapping = suggest_mapping(GENERIC_FILE, sample, roles=["Tax preparer"])
    assert {c.column: c.target for c in mapping.columns if c.target != IGNORE} == {
        "Client Name": "account.name",
        "Client ID": "account.client_id",
        "Entity Type": "account.type",
        "Company": "account.company_name",
        "Tags": "account.tags",
        "Assigned To": "account.assignees",
        "Tax Preparer": "account.role",
        "First Name": "contact.first_name",
        "Middle Name": "contact.middle_name",
        "Last Name": "contact.last_name",
        "Email": "contact.email",
        "Email 2": "contact.additional_emails",
        "Phone": "contact.phone",
        "Mobile": "contact.phone",
        "DOB": "contact.date_of_birth",
        "SSN": "contact.tax_id",
        "Address": "contact.street",
        "Address 2": "contact.street2",
        "City": "contact.city",
        "State": "contact.state",
        "Zip": "contact.postal_code",
        "Country": "contact.country",
        "Notes": "contact.notes",
        "Spouse First Name": "contact2.first_name",
        "Spouse Last Name": "contact2.last_name",
        "Spouse Email": "contact2.email",
        "Spouse SSN": "contact2.tax_id",
        "Contact 3 First Name": "contact3.first_name",
        "Contact 3 Email": "contact3.email",
        "Title": "contact.prefix",
    }
    assert mapping.account_type.mode == "column"


# --- SSN/TIN: by header and by the shape of the values -------------------------------------------
COMMON_TAX_ID_HEADERS = [
    "SSN", "Social Security Number", "Soc Sec #", "Social Security Number (SSN)", "SS#", "SSN #",
    "Social Security #", "Soc. Sec. No.", "ITIN", "ITIN #", "TIN", "Tax ID", "Taxpayer ID", "Taxpayer ID Number",
    "SSN/EIN", "EIN/SSN", "Tax ID Number (TIN)", "Tax Number",
]
# Headers that name a business's number: the account's EIN / tax ID.
BUSINESS_TAX_ID_HEADERS = [
    "EIN", "FEIN", "Federal EIN", "Federal ID", "Employer Identification Number", "Employer ID Number",
    "Federal Tax ID", "Business Tax ID", "Company Tax ID", "ABN", "GST Number", "VAT Number", "EIN #",
    "Account EIN/tax ID",
]


@pytest.mark.parametrize("header", COMMON_TAX_ID_HEADERS)
def test_common_ssn_and_tin_headers_are_the_tax_id(header):
    assert match_header(header) == ("contact.tax_id", "")


@pytest.mark.parametrize("header", BUSINESS_TAX_ID_HEADERS)
def test_headers_naming_a_business_number_are_the_accounts_tax_id(header):
    assert match_header(header) == ("account.tax_id", "")
    assert match_header(header, kind="accounts") == ("account.tax_id", "")
    # A contacts-only import has no account to hold it, and never puts it on a person.
    assert match_header(header, kind="contacts") == (IGNORE, "")


def test_a_spouse_soc_sec_column_is_the_spouses_tax_id():
    assert match_header("Spouse Soc Sec #") == ("contact2.tax_id", "")


def test_columns_of_ssn_and_ein_shaped_values_are_tax_ids_whatever_their_header():
    headers = ["Name", "Ref A", "Ref B", "Zip"]
    sample = rows(headers, {"Name": "Ann Lee", "Ref A": "123-45-6789", "Ref B": "12-3456789", "Zip": "02134-1234"},
                  {"Name": "Bob Roe", "Ref A": "N/A", "Ref B": "98-7654321", "Zip": "02134"})
    mapped = targets(suggest_mapping(headers, sample))
    # EINs only: the client's number; SSNs: the person's.
    assert mapped["Ref A"] == "contact.tax_id" and mapped["Ref B"] == "account.tax_id"
    assert mapped["Zip"] == "contact.postal_code"


def test_a_shaped_column_never_becomes_a_custom_field_shown_in_full():
    headers = ["Name", "SSN", "Spouse SSN", "Ref"] + [f"Contact {n} SSN" for n in range(3, 6)]
    values = {h: f"{n:03d}-45-6789" for n, h in enumerate(headers)} | {"Name": "Ann Lee"}
    mapped = targets(suggest_mapping(headers, rows(headers, values)))
    assert mapped["Ref"] == IGNORE  # every person already has a tax ID column
    accounts_only = targets(suggest_mapping(["Name", "Ref", "Other"], [["Acme LLC", "12-3456789", "123-45-6789"]],
                                            kind="accounts"))
    assert accounts_only["Ref"] == "account.tax_id"  # the business's EIN is the account's
    assert accounts_only["Other"] == IGNORE  # an accounts-only import keeps no people's SSNs


def test_mixed_values_and_bare_digit_runs_are_not_taken_for_tax_ids():
    headers = ["Name", "Reference", "Codes"]
    sample = rows(headers, {"Name": "Ann Lee", "Reference": "123456789", "Codes": "123-45-6789"},
                  {"Name": "Bob Roe", "Reference": "987654321", "Codes": "A-17"})
    mapped = suggest_mapping(headers, sample)
    assert {c.column: c.target for c in mapped.columns if c.column != "Name"} == {
        "Reference": "account.custom", "Codes": "account.custom",
    }
