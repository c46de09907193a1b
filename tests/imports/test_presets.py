"""Known exports: recognised by their headers and mapped with no clicks.

The header lists of `presets.KNOWN_HEADERS` are a real export's header row only where
`presets.HEADER_SOURCES` says confirmed; the tests on the others check synonyms of the usual column
names and say so. The realistic files in fixtures/exports/ carry the published header rows.
"""

from pathlib import Path

import pytest

from imports import presets
from imports.mapping import IGNORE, KINDS, VALID_TARGETS
from imports.matching import FieldSpec, detect_preset, match_header, suggest_mapping, synonym_table
from imports.reading import open_table

EXPORTS = Path(__file__).parent / "fixtures" / "exports"


def rows(headers, *records):
    return [[record.get(h, "") for h in headers] for record in records]


def suggest(name, *records, **kwargs):
    headers = presets.KNOWN_HEADERS[name]
    unknown = {h for record in records for h in record} - set(headers)
    assert not unknown, f"sample names headers the export does not have: {unknown}"
    mapping = suggest_mapping(headers, rows(headers, *records), **kwargs)
    assert mapping.validate(headers) == []
    return mapping


def mapped(mapping):
    """Column -> target for the columns that feed something."""
    return {c.column: c.target for c in mapping.columns if c.target != IGNORE}


# --- The table ---------------------------------------------------------------------------------
def test_synonym_table_only_names_real_targets():
    specials = {IGNORE, presets.NAME, presets.TITLE, presets.PREPARER, "account.custom", "contact.custom"}
    for key, synonym in synonym_table().items():
        target = synonym.target
        if target.startswith("person"):
            assert synonym.person and target.split(".")[1] in ("full_name", "first_name", "last_name", "email", "phone")
        else:
            assert target in VALID_TARGETS or target in specials, (key, target)


def test_every_preset_is_named_and_listed():
    names = [name for name, _ in presets.PRESET_SIGNATURES]
    assert len(names) == len(set(names))
    assert set(names) == set(presets.PRESET_LABELS)
    assert set(presets.PRESET_OVERRIDES) <= set(names)


def test_every_header_list_says_where_it_was_checked():
    assert set(presets.HEADER_SOURCES) == set(presets.KNOWN_HEADERS) | set(presets.PRESET_LABELS)
    for name, checked in presets.HEADER_SOURCES.items():
        if checked.confirmed:
            assert "github.com" in checked.source or "://" in checked.source or "imports/" in checked.source, name
        else:
            assert checked.source.startswith(presets.NOT_CONFIRMED), name


# --- Detection -----------------------------------------------------------------------------------
# Confirmed lists are real exports; for the others this checks that their usual columns are recognised.
@pytest.mark.parametrize(
    "headers_of, preset",
    [
        ("clientport", "clientport"),
        ("google-contacts", "google-contacts"),
        ("google-contacts-legacy", "google-contacts"),
        ("outlook", "outlook"),
        ("quickbooks-online", "quickbooks-online"),
        ("quickbooks-desktop", "quickbooks-desktop"),
        ("quickbooks-iif", "quickbooks-iif"),
        ("xero", "xero"),
        ("xero-template", "xero"),
        ("drake", "drake"),
        ("ultratax", "ultratax"),
        ("lacerte", "lacerte"),
        ("taxdome", "taxdome"),
        ("hubspot", "hubspot"),
        ("salesforce", "salesforce"),
        ("linkedin", "linkedin"),
    ],
)
def test_known_export_is_recognised(headers_of, preset):
    headers = presets.KNOWN_HEADERS[headers_of]
    assert detect_preset(headers) == preset
    assert suggest_mapping(headers, []).preset == preset


def test_detection_survives_reordered_and_respelled_headers():
    assert detect_preset(["email 1 value", "first_name"]) == "google-contacts"
    assert detect_preset(list(reversed(presets.KNOWN_HEADERS["linkedin"]))) == "linkedin"


@pytest.mark.parametrize(
    "headers",
    [
        ["First Name", "Last Name", "Email", "Phone"],
        ["Contact Name", "Email"],  # "Contact Name" alone is not Xero's "*ContactName"
        ["Client ID", "Client Name", "Spouse First Name", "Entity"],
        [],
    ],
)
def test_generic_file_has_no_preset(headers):
    assert detect_preset(headers) == ""


@pytest.mark.parametrize("name", sorted(presets.KNOWN_HEADERS))
@pytest.mark.parametrize("kind", KINDS)
def test_every_preset_mapping_validates_for_every_kind(name, kind):
    headers = presets.KNOWN_HEADERS[name]
    for sample in ([], rows(headers, dict.fromkeys(headers, "x"))):
        mapping = suggest_mapping(headers, sample, kind=kind, roles=["Tax preparer"])
        assert [c.column for c in mapping.columns] == headers
        assert mapping.validate(headers) == []


# --- Each export, with realistic rows ----------------------------------------------------------
def test_clientport_export_reimports_with_no_changes():
    fields = [
        FieldSpec("account", "Filing status", "dropdown", ("MFJ", "Single")),
        FieldSpec("contact", "Occupation", "text"),
    ]
    mapping = suggest(
        "clientport",
        {"Account name": "Smith Household", "Account type": "individual", "First name": "Ann", "Email": "a@x.com"},
        roles=["Tax preparer"],
        custom_fields=fields,
    )
    assert mapping.preset == "clientport"
    assert mapped(mapping) == {
        "Account name": "account.name",
        "Account type": "account.type",
        "Company name": "account.company_name",
        "Client ID": "account.client_id",
        "Account status": "account.status",
        "Account street": "account.street",
        "Account city": "account.city",
        "Account state/region": "account.state",
        "Account postal code": "account.postal_code",
        "Account country": "account.country",
        "Account tags": "account.tags",
        "Team members": "account.assignees",
        "Tax preparer": "account.role",
        "Filing status": "account.custom",
        "Prefix": "contact.prefix",
        "First name": "contact.first_name",
        "Middle name": "contact.middle_name",
        "Last name": "contact.last_name",
        "Suffix": "contact.suffix",
        "Email": "contact.email",
        "Additional emails": "contact.additional_emails",
        "Phone": "contact.phone",
        "Street": "contact.street",
        "City": "contact.city",
        "State": "contact.state",
        "Postal code": "contact.postal_code",
        "Country": "contact.country",
        "Date of birth": "contact.date_of_birth",
        "Notes": "contact.notes",
        "Contact tags": "contact.tags",
        "Occupation": "contact.custom",
    }
    assert all(c.field_type == "" for c in mapping.columns)  # nothing new to create


def test_google_contacts():
    mapping = suggest(
        "google-contacts",
        {"First Name": "Ann", "Last Name": "Smith", "Organization Name": "Smith Dental", "Birthday": "1980-02-01",
         "Labels": "* myContacts ::: Clients", "E-mail 1 - Label": "* Home", "E-mail 1 - Value": "ann@example.com",
         "E-mail 2 - Label": "Work", "E-mail 2 - Value": "ann@smithdental.com", "Phone 1 - Label": "Mobile",
         "Phone 1 - Value": "+1 512-555-0100", "Address 1 - Label": "Home",
         "Address 1 - Formatted": "1 Elm St\nAustin, TX 78701", "Address 1 - Street": "1 Elm St",
         "Address 1 - City": "Austin", "Address 1 - Region": "TX", "Address 1 - Postal Code": "78701",
         "Address 1 - Country": "US", "Website 1 - Label": "Profile", "Website 1 - Value": "https://smith.example"},
    )
    assert mapping.preset == "google-contacts"
    assert mapped(mapping) == {
        "First Name": "contact.first_name",
        "Middle Name": "contact.middle_name",
        "Last Name": "contact.last_name",
        "Name Prefix": "contact.prefix",
        "Name Suffix": "contact.suffix",
        "Organization Name": "account.name",
        "File As": "contact.full_name",
        "Birthday": "contact.date_of_birth",
        "Notes": "contact.notes",
        "Labels": "contact.tags",
        "E-mail 1 - Value": "contact.email",
        "E-mail 2 - Value": "contact.additional_emails",
        "E-mail 3 - Value": "contact.additional_emails",
        "E-mail 4 - Value": "contact.additional_emails",
        "Phone 1 - Value": "contact.phone",
        "Phone 2 - Value": "contact.phone",
        "Phone 3 - Value": "contact.phone",
        "Phone 4 - Value": "contact.phone",
        "Address 1 - Street": "contact.street",
        "Address 1 - Extended Address": "contact.street2",
        "Address 1 - City": "contact.city",
        "Address 1 - Region": "contact.state",
        "Address 1 - Postal Code": "contact.postal_code",
        "Address 1 - Country": "contact.country",
        "Website 1 - Value": "contact.custom",
    }
    website = mapping.column("Website 1 - Value")  # the person's own site, one field for every export
    assert (website.field, website.field_type) == ("Personal website", "url")
    assert mapping.account_type.mode == "auto"


def test_google_contacts_legacy_format():
    mapping = suggest(
        "google-contacts-legacy",
        {"Name": "Ann Smith", "Given Name": "Ann", "Family Name": "Smith", "Group Membership": "* My Contacts",
         "E-mail 1 - Type": "* Home", "E-mail 1 - Value": "ann@example.com", "Phone 1 - Type": "Mobile",
         "Phone 1 - Value": "512-555-0100", "Organization 1 - Name": "Smith Dental", "Occupation": "Dentist"},
    )
    expected = {
        "Name": "contact.full_name",
        "Given Name": "contact.first_name",
        "Family Name": "contact.last_name",
        "Group Membership": "contact.tags",
        "E-mail 1 - Value": "contact.email",
        "Phone 1 - Value": "contact.phone",
        "Organization 1 - Name": "account.name",
        "Occupation": "contact.custom",
    }
    assert {k: v for k, v in mapped(mapping).items() if k in expected} == expected
    assert mapping.column("E-mail 1 - Type").target == IGNORE


def test_outlook_picks_the_home_address_and_keeps_the_business_one():
    mapping = suggest(
        "outlook",
        {"Title": "Dr.", "First Name": "Ann", "Last Name": "Smith", "Company": "Smith Dental", "Job Title": "Owner",
         "Business Street": "9 Main St", "Business City": "Austin", "Business State": "TX",
         "Business Postal Code": "78702", "Home Street": "1 Elm St", "Home City": "Austin", "Home State": "TX",
         "Home Postal Code": "78701", "Home Country/Region": "United States", "Business Phone": "(512) 555-0101",
         "Mobile Phone": "(512) 555-0100", "Birthday": "2/1/1980", "Categories": "Clients;VIP",
         "E-mail Address": "ann@example.com", "E-mail Type": "SMTP", "E-mail Display Name": "Ann Smith",
         "E-mail 2 Address": "ann@smithdental.com", "Notes": "Prefers email", "Spouse": "Bob Smith",
         "Government ID Number": "123-45-6789", "Priority": "Normal", "Sensitivity": "Normal"},
    )
    assert mapping.preset == "outlook"
    assert mapped(mapping) == {
        "Title": "contact.prefix",
        "First Name": "contact.first_name",
        "Middle Name": "contact.middle_name",
        "Last Name": "contact.last_name",
        "Suffix": "contact.suffix",
        "Company": "account.name",
        "Job Title": "contact.custom",
        "Business Street": "contact.business_street",
        "Business City": "contact.business_city",
        "Business State": "contact.business_state",
        "Business Street 2": "contact.business_street2",
        "Business Postal Code": "contact.business_postal_code",
        "Business Country/Region": "contact.business_country",
        "Home Street": "contact.street",
        "Home Street 2": "contact.street2",
        "Home City": "contact.city",
        "Home State": "contact.state",
        "Home Postal Code": "contact.postal_code",
        "Home Country/Region": "contact.country",
        "Business Phone": "contact.phone",
        "Business Phone 2": "contact.phone",
        "Home Phone": "contact.phone",
        "Home Phone 2": "contact.phone",
        "Mobile Phone": "contact.phone",
        "Other Phone": "contact.phone",
        "Primary Phone": "contact.phone",
        "Birthday": "contact.date_of_birth",
        "Categories": "account.tags",
        "E-mail Address": "contact.email",
        "E-mail 2 Address": "contact.additional_emails",
        "E-mail 3 Address": "contact.additional_emails",
        "Government ID Number": "contact.tax_id",
        "Notes": "contact.notes",
        "Spouse": "contact2.full_name",
    }


def test_quickbooks_online_usual_columns():
    """Not a confirmed export (presets.HEADER_SOURCES): the usual columns of a customer list."""
    mapping = suggest(
        "quickbooks-online",
        {"Customer": "Smith, Ann", "Company": "", "Street Address": "1 Elm St", "City": "Austin", "State": "TX",
         "Country": "USA", "Zip": "78701", "Phone": "(512) 555-0100", "Email": "ann@example.com",
         "Open Balance": "1,250.00", "Notes": "Monthly bookkeeping"},
        {"Customer": "Acme LLC", "Company": "Acme LLC", "Email": "ap@acme.example", "Open Balance": "0.00"},
    )
    assert mapping.preset == "quickbooks-online"
    assert mapped(mapping) == {
        "Customer": "account.name",
        "Company": "account.company_name",
        "Street Address": "contact.street",
        "City": "contact.city",
        "State": "contact.state",
        "Country": "contact.country",
        "Zip": "contact.postal_code",
        "Phone": "contact.phone",
        "Email": "contact.email",
        "Open Balance": "account.custom",  # kept: no client data is dropped
        "Notes": "contact.notes",
    }
    assert mapping.column("Open Balance").field_type == "number"


def test_quickbooks_desktop_usual_columns():
    """Not a confirmed export: the usual columns of a customer list exported to Excel."""
    mapping = suggest(
        "quickbooks-desktop",
        {"Active Status": "Active", "Customer": "Smith, Ann", "Balance": "0.00", "Mr./Ms./...": "Ms.",
         "First Name": "Ann", "M.I.": "B", "Last Name": "Smith", "Primary Contact": "Ann Smith",
         "Main Phone": "512-555-0100", "Alt. Phone": "512-555-0199", "Secondary Contact": "Bob Smith",
         "Main Email": "ann@example.com", "Bill to 1": "Ann Smith", "Bill to 2": "1 Elm St",
         "Bill to 3": "Austin, TX 78701", "Ship to 1": "Ann Smith", "Ship to 2": "1 Elm St",
         "Customer Type": "Individual 1040", "Account No.": "1001"},
        {"Active Status": "Active", "Customer": "Acme LLC", "Company": "Acme LLC", "Main Email": "ap@acme.example",
         "Bill to 1": "Acme LLC", "Bill to 2": "500 Oak Ave", "Bill to 3": "Suite 200",
         "Bill to 4": "Dallas, TX 75201", "Customer Type": "Business", "Account No.": "1002"},
    )
    assert mapping.preset == "quickbooks-desktop"
    result = mapped(mapping)
    assert {k: result.get(k) for k in (
        "Customer", "Company", "Mr./Ms./...", "First Name", "M.I.", "Last Name", "Main Phone", "Alt. Phone",
        "Main Email", "Secondary Contact", "Bill to 2", "Customer Type", "Account No.",
    )} == {
        "Customer": "account.name",
        "Company": "account.company_name",
        "Mr./Ms./...": "contact.prefix",
        "First Name": "contact.first_name",
        "M.I.": "contact.middle_name",
        "Last Name": "contact.last_name",
        "Main Phone": "contact.phone",
        "Alt. Phone": "contact.phone",
        "Main Email": "contact.email",
        "Secondary Contact": "contact2.full_name",
        "Bill to 2": "contact.street",
        "Customer Type": "account.tags",
        "Account No.": "account.client_id",
    }
    assert result["Bill to 1"] == "contact.custom"  # the name line, kept
    assert result["Ship to 2"] == "contact.custom"  # the shipping address is not the client's address
    assert result["Balance"] == "account.custom"


def test_quickbooks_iif_customer_list():
    mapping = suggest(
        "quickbooks-iif",
        {"NAME": "Smith, Ann", "REFNUM": "12", "TIMESTAMP": "1501191278", "BADDR1": "Ann Smith",
         "BADDR2": "1 Elm St", "BADDR3": "Austin, TX 78701", "PHONE1": "512-555-0100", "EMAIL": "ann@example.com",
         "CONT1": "Ann Smith", "CONT2": "Bob Smith", "CTYPE": "Individual", "SALUTATION": "Ms.",
         "FIRSTNAME": "Ann", "MIDINIT": "B", "LASTNAME": "Smith", "HIDDEN": "N", "DELCOUNT": "0"},
    )
    assert mapping.preset == "quickbooks-iif"
    result = mapped(mapping)
    assert {k: result.get(k) for k in (
        "NAME", "BADDR2", "BADDR3", "PHONE1", "EMAIL", "CONT2", "CTYPE", "SALUTATION", "FIRSTNAME", "MIDINIT",
        "LASTNAME", "REFNUM",
    )} == {
        "NAME": "account.name",
        "BADDR2": "contact.street",
        "BADDR3": "contact.city",
        "PHONE1": "contact.phone",
        "EMAIL": "contact.email",
        "CONT2": "contact2.full_name",
        "CTYPE": "account.tags",
        "SALUTATION": "contact.prefix",
        "FIRSTNAME": "contact.first_name",
        "MIDINIT": "contact.middle_name",
        "LASTNAME": "contact.last_name",
        "REFNUM": None,  # QuickBooks' own record number: offered, not created
    }
    assert mapping.column("REFNUM").offer == "account.custom"
    assert "TIMESTAMP" not in result and "DELCOUNT" not in result
    assert mapping.column("HIDDEN").target == "account.status"  # Y: an inactive customer


def test_xero_contacts_with_further_people():
    mapping = suggest(
        "xero",
        {"ContactName": "Acme Ltd", "AccountNumber": "ACM-01", "EmailAddress": "ap@acme.example",
         "FirstName": "Ann", "LastName": "Smith", "POAddressLine1": "PO Box 12", "POCity": "Auckland",
         "PORegion": "AKL", "POPostalCode": "1010", "POCountry": "New Zealand", "SAAddressLine1": "9 Queen St",
         "SACity": "Auckland", "PhoneNumber": "+64 9 555 0100", "TaxNumber": "123-456-789",
         "Person1FirstName": "Bob", "Person1LastName": "Jones", "Person1Email": "bob@acme.example",
         "Person1IncludeInEmail": "Yes", "Person2FirstName": "Cy", "Person2Email": "cy@acme.example",
         "Person5FirstName": "Eve"},
    )
    assert mapping.preset == "xero"
    result = mapped(mapping)
    assert {k: result.get(k) for k in (
        "ContactName", "AccountNumber", "EmailAddress", "FirstName", "LastName", "POAddressLine1", "POCity",
        "PORegion", "POPostalCode", "POCountry", "PhoneNumber", "MobileNumber", "TaxNumber", "Person1FirstName",
        "Person1LastName", "Person1Email", "Person2FirstName", "Person2Email", "Person4Email", "SAAddressLine1",
        "Person5FirstName", "Person1IncludeInEmail",
    )} == {
        "ContactName": "account.name",
        "AccountNumber": "account.client_id",
        "EmailAddress": "contact.email",
        "FirstName": "contact.first_name",
        "LastName": "contact.last_name",
        "POAddressLine1": "contact.street",
        "POCity": "contact.city",
        "PORegion": "contact.state",
        "POPostalCode": "contact.postal_code",
        "POCountry": "contact.country",
        "PhoneNumber": "contact.phone",
        "MobileNumber": "contact.phone",
        "TaxNumber": "account.tax_id",
        "Person1FirstName": "contact2.first_name",
        "Person1LastName": "contact2.last_name",
        "Person1Email": "contact2.email",
        "Person2FirstName": "contact3.first_name",
        "Person2Email": "contact3.email",
        "Person4Email": "contact5.email",
        "SAAddressLine1": "contact.custom",  # the other address block, kept
        "Person5FirstName": "account.custom",  # a sixth person has no slot: kept on the account
        "Person1IncludeInEmail": None,
    }


def test_xero_trimmed_import_template():
    """Not a confirmed list: Xero's import template, trimmed as a user might."""
    mapping = suggest(
        "xero-template",
        {"*ContactName": "Acme Ltd", "EmailAddress": "ap@acme.example", "FirstName": "Ann",
         "POAddressLine1": "1 Elm St", "POCity": "Wellington"},
    )
    assert mapping.preset == "xero"
    assert mapping.column("*ContactName").target == "account.name"
    assert mapping.column("POAddressLine1").target == "contact.street"


def test_drake_usual_columns_taxpayer_and_spouse_on_one_row():
    """Not a confirmed export: Drake's client reports have user-chosen columns; these are the usual names."""
    mapping = suggest(
        "drake",
        {"SSN": "123-45-6789", "First Name": "Ann", "Last Name": "Smith", "Spouse First Name": "Bob",
         "Spouse Last Name": "Smith", "Spouse SSN": "987-65-4321", "Address": "1 Elm St", "City": "Austin",
         "State": "TX", "ZIP": "78701", "Home Phone": "512-555-0100", "Email": "ann@example.com",
         "Spouse Email": "bob@example.com", "Date of Birth": "02/01/1980", "Filing Status": "MFJ",
         "Preparer": "Pat Preparer", "Return Type": "1040"},
        roles=["Tax preparer", "Reviewer"],
    )
    assert mapping.preset == "drake"
    assert mapped(mapping) == {
        "SSN": "contact.tax_id",
        "First Name": "contact.first_name",
        "Middle Initial": "contact.middle_name",
        "Last Name": "contact.last_name",
        "Suffix": "contact.suffix",
        "Spouse First Name": "contact2.first_name",
        "Spouse Middle Initial": "contact2.middle_name",
        "Spouse Last Name": "contact2.last_name",
        "Spouse SSN": "contact2.tax_id",
        "Address": "contact.street",
        "City": "contact.city",
        "State": "contact.state",
        "ZIP": "contact.postal_code",
        "Home Phone": "contact.phone",
        "Work Phone": "contact.phone",
        "Cell Phone": "contact.phone",
        "Email": "contact.email",
        "Spouse Email": "contact2.email",
        "Spouse Cell Phone": "contact2.phone",
        "Date of Birth": "contact.date_of_birth",
        "Spouse Date of Birth": "contact2.date_of_birth",
        "Filing Status": "account.custom",
        "Preparer": "account.role",
        "Return Type": "account.type",
    }
    assert mapping.column("Preparer").field == "Tax preparer"
    assert mapping.account_type.mode == "column"


def test_ultratax_usual_columns():
    """Not a confirmed export: UltraTax CS client reports have user-chosen columns."""
    mapping = suggest(
        "ultratax",
        {"Client ID": "SMITHA", "Client Name": "Smith, Ann & Bob", "Entity": "1040", "Taxpayer First Name": "Ann",
         "Taxpayer Last Name": "Smith", "Taxpayer SSN": "123-45-6789", "Taxpayer Email": "ann@example.com",
         "Spouse First Name": "Bob", "Spouse Last Name": "Smith", "Spouse SSN": "987-65-4321",
         "Spouse Email": "bob@example.com", "Address": "1 Elm St", "City": "Austin", "State": "TX",
         "ZIP Code": "78701", "Staff Assigned": "Pat"},
    )
    assert mapping.preset == "ultratax"
    result = mapped(mapping)
    assert {k: result[k] for k in (
        "Client ID", "Client Name", "Entity", "Taxpayer First Name", "Taxpayer Last Name", "Taxpayer SSN",
        "Taxpayer Email", "Spouse First Name", "Spouse Last Name", "Spouse SSN", "Spouse Email", "Address",
        "City", "State", "ZIP Code", "Staff Assigned",
    )} == {
        "Client ID": "account.client_id",
        "Client Name": "account.name",
        "Entity": "account.type",
        "Taxpayer First Name": "contact.first_name",
        "Taxpayer Last Name": "contact.last_name",
        "Taxpayer SSN": "contact.tax_id",
        "Taxpayer Email": "contact.email",
        "Spouse First Name": "contact2.first_name",
        "Spouse Last Name": "contact2.last_name",
        "Spouse SSN": "contact2.tax_id",
        "Spouse Email": "contact2.email",
        "Address": "contact.street",
        "City": "contact.city",
        "State": "contact.state",
        "ZIP Code": "contact.postal_code",
        "Staff Assigned": "account.assignees",
    }


def test_lacerte_usual_columns():
    """Not a confirmed export: Lacerte client reports have user-chosen columns."""
    mapping = suggest(
        "lacerte",
        {"Client Number": "1001", "Taxpayer First Name": "Ann", "Taxpayer Last Name": "Smith",
         "Taxpayer SSN": "123-45-6789", "Spouse First Name": "Bob", "Spouse SSN": "987-65-4321",
         "Street Address": "1 Elm St", "City": "Austin", "State": "TX", "Zip Code": "78701",
         "Taxpayer Email": "ann@example.com", "Spouse Email": "bob@example.com", "Preparer": "Pat"},
    )
    assert mapping.preset == "lacerte"
    result = mapped(mapping)
    assert {k: result[k] for k in (
        "Client Number", "Taxpayer First Name", "Taxpayer SSN", "Taxpayer Birth Date", "Spouse First Name",
        "Spouse SSN", "Spouse Birth Date", "Street Address", "Zip Code", "Taxpayer Email", "Spouse Email",
        "Taxpayer Cell Phone", "Preparer",
    )} == {
        "Client Number": "account.client_id",
        "Taxpayer First Name": "contact.first_name",
        "Taxpayer SSN": "contact.tax_id",
        "Taxpayer Birth Date": "contact.date_of_birth",
        "Spouse First Name": "contact2.first_name",
        "Spouse SSN": "contact2.tax_id",
        "Spouse Birth Date": "contact2.date_of_birth",
        "Street Address": "contact.street",
        "Zip Code": "contact.postal_code",
        "Taxpayer Email": "contact.email",
        "Spouse Email": "contact2.email",
        "Taxpayer Cell Phone": "contact.phone",
        "Preparer": "account.assignees",  # the firm has no preparer role
    }


def test_taxdome_usual_columns():
    """Not a confirmed export: TaxDome's account fields under their usual names."""
    mapping = suggest(
        "taxdome",
        {"Account Name": "Smith Household", "Account Type": "Individual", "Tags": "1040, VIP",
         "Team Members": "pat@firm.example", "First Name": "Ann", "Last Name": "Smith", "Email": "ann@example.com",
         "Phone Number": "+1 512 555 0100", "Street Address": "1 Elm St", "City": "Austin",
         "State/Province/Region": "TX", "ZIP/Postal Code": "78701", "Country": "US", "Date of Birth": "1980-02-01",
         "SSN": "123-45-6789", "Login": "Yes", "Notify": "Yes", "Email Sync": "No"},
    )
    assert mapping.preset == "taxdome"
    assert mapped(mapping) == {
        "Account Name": "account.name",
        "Account Type": "account.type",
        "Tags": "account.tags",
        "Team Members": "account.assignees",
        "First Name": "contact.first_name",
        "Middle Name": "contact.middle_name",
        "Last Name": "contact.last_name",
        "Email": "contact.email",
        "Phone Number": "contact.phone",
        "Street Address": "contact.street",
        "City": "contact.city",
        "State/Province/Region": "contact.state",
        "ZIP/Postal Code": "contact.postal_code",
        "Country": "contact.country",
        "Date of Birth": "contact.date_of_birth",
        "SSN": "contact.tax_id",
    }
    assert mapping.account_type.mode == "column"


def test_hubspot_property_labels_in_a_customised_view():
    """Not a confirmed export: HubSpot's property labels as a customised view would export them (the
    default view's export is in fixtures/exports/hubspot-contacts.csv)."""
    mapping = suggest(
        "hubspot",
        {"Record ID": "51", "First Name": "Ann", "Last Name": "Smith", "Email": "ann@example.com",
         "Phone Number": "+1 512 555 0100", "Contact owner": "Pat Partner", "Lifecycle Stage": "Customer",
         "Associated Company": "Smith Dental", "Company Name": "Smith Dental", "Street Address": "1 Elm St",
         "City": "Austin", "State/Region": "TX", "Postal Code": "78701", "Country/Region": "United States"},
    )
    assert mapping.preset == "hubspot"
    result = mapped(mapping)
    assert {k: result[k] for k in (
        "First Name", "Last Name", "Email", "Phone Number", "Contact owner", "Company Name", "Street Address",
        "City", "State/Region", "Postal Code", "Country/Region", "Associated Company",
    )} == {
        "First Name": "contact.first_name",
        "Last Name": "contact.last_name",
        "Email": "contact.email",
        "Phone Number": "contact.phone",
        "Contact owner": "account.assignees",
        "Company Name": "account.name",
        "Street Address": "contact.street",
        "City": "contact.city",
        "State/Region": "contact.state",
        "Postal Code": "contact.postal_code",
        "Country/Region": "contact.country",
        "Associated Company": "account.custom",
    }
    # HubSpot's own id of the contact: offered as the contact's "Contact ID", not created.
    record = mapping.column("Record ID")
    assert (record.target, record.offer, record.field) == (IGNORE, "contact.custom", "Contact ID")
    assert mapping.column("Lifecycle Stage").target == IGNORE


def test_salesforce_usual_report_columns():
    """Not a confirmed export: a contact report's columns are chosen by the user."""
    mapping = suggest(
        "salesforce",
        {"Contact Owner": "Pat Partner", "Salutation": "Ms.", "First Name": "Ann", "Last Name": "Smith",
         "Title": "CFO", "Account Name": "Acme Inc", "Mailing Street": "1 Elm St", "Mailing City": "Austin",
         "Mailing State/Province": "TX", "Mailing Zip/Postal Code": "78701", "Mailing Country": "USA",
         "Phone": "512-555-0100", "Email": "ann@acme.example", "Birthdate": "2/1/1980",
         "Account Type": "Customer - Direct"},
    )
    assert mapping.preset == "salesforce"
    assert mapping.column("Account Type").target == "account.custom"  # a relationship, not person/company
    result = mapped(mapping)
    assert {k: result[k] for k in (
        "Contact Owner", "Salutation", "First Name", "Last Name", "Title", "Account Name", "Mailing Street",
        "Mailing City", "Mailing State/Province", "Mailing Zip/Postal Code", "Mailing Country", "Phone",
        "Mobile", "Email", "Birthdate",
    )} == {
        "Contact Owner": "account.assignees",
        "Salutation": "contact.prefix",
        "First Name": "contact.first_name",
        "Last Name": "contact.last_name",
        "Title": "contact.custom",  # a job title in Salesforce
        "Account Name": "account.name",
        "Mailing Street": "contact.street",
        "Mailing City": "contact.city",
        "Mailing State/Province": "contact.state",
        "Mailing Zip/Postal Code": "contact.postal_code",
        "Mailing Country": "contact.country",
        "Phone": "contact.phone",
        "Mobile": "contact.phone",
        "Email": "contact.email",
        "Birthdate": "contact.date_of_birth",
    }


def test_linkedin_connections():
    mapping = suggest(
        "linkedin",
        {"First Name": "Ann", "Last Name": "Smith", "URL": "https://www.linkedin.com/in/annsmith",
         "Email Address": "ann@example.com", "Company": "Smith Dental", "Position": "Owner",
         "Connected On": "05 Mar 2021"},
    )
    assert mapping.preset == "linkedin"
    assert mapped(mapping) == {
        "First Name": "contact.first_name",
        "Last Name": "contact.last_name",
        "Email Address": "contact.email",
        "Company": "account.name",
        "Position": "contact.custom",
    }
    assert mapping.column("Position").field == "Job title"
    # The profile link and the date of connecting are offered, not created, in a firm with no
    # LinkedIn field; one click in the field table keeps them as typed here.
    url, connected = mapping.column("URL"), mapping.column("Connected On")
    assert (url.offer, url.field, url.field_type) == ("contact.custom", "LinkedIn", "url")
    assert (connected.offer, connected.field_type) == ("contact.custom", "date")


def test_google_contacts_as_a_contacts_only_import():
    mapping = suggest(
        "google-contacts",
        {"First Name": "Ann", "Organization Name": "Smith Dental", "Labels": "Prospects",
         "E-mail 1 - Value": "ann@example.com"},
        kind="contacts",
    )
    assert mapping.column("Labels").target == "contact.tags"
    assert (mapping.column("Organization Name").target, mapping.column("Organization Name").field) == (
        "contact.custom", "Organization Name",
    )


# --- Realistic files with the published header rows (fixtures/exports/README.md) ------------------
def read_export(name):
    """(table info, headers, every row's cells) of one fixture, read as an upload is."""
    with open_table(EXPORTS / name, name=name) as table:
        return table.info, table.info.headers, [row.cells for row in table.rows()]


def suggest_for_export(name):
    """The automatic mapping of one fixture, every row a sample, in a firm with no custom fields."""
    _, headers, rows = read_export(name)
    mapping = suggest_mapping(headers, rows)
    assert mapping.validate(headers) == []
    return mapping


@pytest.mark.parametrize(
    "name, preset",
    [
        ("google-contacts.csv", "google-contacts"),
        ("outlook.csv", "outlook"),
        ("linkedin-connections.csv", "linkedin"),
        ("xero-contacts.csv", "xero"),
        ("quickbooks-desktop-customers.iif", "quickbooks-iif"),
        ("hubspot-contacts.csv", "hubspot"),
    ],
)
def test_real_export_file_is_recognised_as_its_preset(name, preset):
    _, headers, _ = read_export(name)
    assert detect_preset(headers) == preset
    assert suggest_for_export(name).preset == preset


@pytest.mark.parametrize(
    "name, headers_of",
    [
        ("google-contacts.csv", "google-contacts"),
        ("outlook.csv", "outlook"),
        ("linkedin-connections.csv", "linkedin"),
        ("xero-contacts.csv", "xero"),
    ],
)
def test_confirmed_header_list_is_the_header_row_of_the_real_export(name, headers_of):
    assert presets.HEADER_SOURCES[headers_of].confirmed
    _, headers, _ = read_export(name)
    assert headers == presets.KNOWN_HEADERS[headers_of]


def test_confirmed_iif_field_list_is_the_customer_line_of_the_real_export():
    lines = (EXPORTS / "quickbooks-desktop-customers.iif").read_text(encoding="utf-8").splitlines()
    cust = next(line for line in lines if line.startswith("!CUST\t"))
    assert cust.split("\t")[1:] == presets.KNOWN_HEADERS["quickbooks-iif"]


def standard(mapping):
    """Column -> target for the standard targets only (custom fields and roles left out)."""
    return {c.column: c.target for c in mapping.columns if c.target != IGNORE and not c.target.endswith(".custom")}


def test_google_contacts_export_maps_names_emails_phones_and_address():
    assert standard(suggest_for_export("google-contacts.csv")) == {
        "First Name": "contact.first_name",
        "Middle Name": "contact.middle_name",
        "Last Name": "contact.last_name",
        "Name Prefix": "contact.prefix",
        "Name Suffix": "contact.suffix",
        "File As": "contact.full_name",
        "Organization Name": "account.name",
        "Birthday": "contact.date_of_birth",
        "Notes": "contact.notes",
        "Labels": "contact.tags",
        "E-mail 1 - Value": "contact.email",
        "E-mail 2 - Value": "contact.additional_emails",
        "E-mail 3 - Value": "contact.additional_emails",
        "E-mail 4 - Value": "contact.additional_emails",
        "Phone 1 - Value": "contact.phone",
        "Phone 2 - Value": "contact.phone",
        "Phone 3 - Value": "contact.phone",
        "Phone 4 - Value": "contact.phone",
        "Address 1 - Street": "contact.street",
        "Address 1 - Extended Address": "contact.street2",
        "Address 1 - City": "contact.city",
        "Address 1 - Region": "contact.state",
        "Address 1 - Postal Code": "contact.postal_code",
        "Address 1 - Country": "contact.country",
    }


def test_outlook_export_maps_names_emails_phones_and_the_home_address():
    assert standard(suggest_for_export("outlook.csv")) == {
        "Title": "contact.prefix",
        "First Name": "contact.first_name",
        "Middle Name": "contact.middle_name",
        "Last Name": "contact.last_name",
        "Suffix": "contact.suffix",
        "Company": "account.name",
        "Home Street": "contact.street",
        "Home Street 2": "contact.street2",
        "Home City": "contact.city",
        "Home State": "contact.state",
        "Home Postal Code": "contact.postal_code",
        "Home Country/Region": "contact.country",
        # The business address: the contact's on rows without a home address, else a company's.
        "Business Street": "contact.business_street",
        "Business Street 2": "contact.business_street2",
        "Business City": "contact.business_city",
        "Business State": "contact.business_state",
        "Business Postal Code": "contact.business_postal_code",
        "Business Country/Region": "contact.business_country",
        "Business Phone": "contact.phone",
        "Business Phone 2": "contact.phone",
        "Home Phone": "contact.phone",
        "Home Phone 2": "contact.phone",
        "Mobile Phone": "contact.phone",
        "Other Phone": "contact.phone",
        "Primary Phone": "contact.phone",
        "Birthday": "contact.date_of_birth",
        "Categories": "account.tags",
        "E-mail Address": "contact.email",
        "E-mail 2 Address": "contact.additional_emails",
        "E-mail 3 Address": "contact.additional_emails",
        "Government ID Number": "contact.tax_id",
        "Notes": "contact.notes",
        "Spouse": "contact2.full_name",
    }


def test_outlook_computed_initials_never_become_the_middle_name():
    # Outlook fills Initials from the names ("M.K." for Martin Kowalski) in every row.
    mapping = suggest_for_export("outlook.csv")
    assert mapping.column("Initials").target == IGNORE
    assert mapping.column("Middle Name").target == "contact.middle_name"
    assert match_header("Initials") == ("contact.custom", "Initials")  # elsewhere kept, never a middle name


def test_linkedin_export_is_read_below_its_notes_and_maps_names_email_and_company():
    info, _, rows = read_export("linkedin-connections.csv")
    assert info.header_row == 4  # "Notes:", the note, a blank line, then the header
    assert rows[0][:2] == ["Hannah", "Berger"]
    assert standard(suggest_for_export("linkedin-connections.csv")) == {
        "First Name": "contact.first_name",
        "Last Name": "contact.last_name",
        "Email Address": "contact.email",
        "Company": "account.name",
    }


def test_xero_export_maps_the_contact_its_people_and_the_postal_address():
    assert standard(suggest_for_export("xero-contacts.csv")) == {
        "ContactName": "account.name",
        "AccountNumber": "account.client_id",
        "LegalName": "account.company_name",
        "EmailAddress": "contact.email",
        "FirstName": "contact.first_name",
        "LastName": "contact.last_name",
        "POAddressLine1": "contact.street",
        "POAddressLine2": "contact.street2",
        "POCity": "contact.city",
        "PORegion": "contact.state",
        "POPostalCode": "contact.postal_code",
        "POCountry": "contact.country",
        "PhoneNumber": "contact.phone",
        "MobileNumber": "contact.phone",
        "DDINumber": "contact.phone",
        "TaxNumber": "account.tax_id",
        "Person1FirstName": "contact2.first_name",
        "Person1LastName": "contact2.last_name",
        "Person1Email": "contact2.email",
        "Person2FirstName": "contact3.first_name",
        "Person2LastName": "contact3.last_name",
        "Person2Email": "contact3.email",
        "Person3FirstName": "contact4.first_name",
        "Person3LastName": "contact4.last_name",
        "Person3Email": "contact4.email",
        "Person4FirstName": "contact5.first_name",
        "Person4LastName": "contact5.last_name",
        "Person4Email": "contact5.email",
    }


def test_quickbooks_iif_export_maps_the_customer_names_and_bill_to_address():
    assert standard(suggest_for_export("quickbooks-desktop-customers.iif")) == {
        "Customer": "account.name",
        "HIDDEN": "account.status",  # an inactive customer (Old Colony Hardware) is an inactive client
        "COMPANYNAME": "account.company_name",
        "CTYPE": "account.tags",
        "SALUTATION": "contact.prefix",
        "FIRSTNAME": "contact.first_name",
        "MIDINIT": "contact.middle_name",
        "LASTNAME": "contact.last_name",
        "CONT1": "contact.full_name",
        "CONT2": "contact2.full_name",
        "EMAIL": "contact.email",
        "PHONE1": "contact.phone",
        "PHONE2": "contact.phone",
        "Billing Street": "contact.street",
        "Billing Street 2": "contact.street2",
        "Billing City": "contact.city",
        "Billing State": "contact.state",
        "Billing ZIP": "contact.postal_code",
        "Billing Country": "contact.country",
        "NOTE": "contact.notes",
        "NOTEPAD": "contact.notes",
    }


def test_hubspot_default_view_export_maps_names_email_phone_and_company():
    mapping = suggest_for_export("hubspot-contacts.csv")
    assert {k: v for k, v in standard(mapping).items() if k != "Contact owner"} == {
        "First Name": "contact.first_name",
        "Last Name": "contact.last_name",
        "Email": "contact.email",
        "Phone Number": "contact.phone",
        "Associated Company": "account.name",
    }
