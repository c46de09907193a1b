"""What the headers of real exports mean: the synonym table and the header sets of known exports.

Pure data. `imports.matching` normalises every header written here (case, spaces, punctuation,
camelCase and accents do not matter: "E-mail Address", "EmailAddress" and "email_address" are one
key) and raises on first use when two entries give one header two meanings (the tests use it), so
this file can be edited freely and a contradiction fails loudly.

Where each known export's header row was checked is recorded in HEADER_SOURCES: a published
copy of the real header row (Google Contacts, Outlook, LinkedIn, Xero, QuickBooks IIF), or "not
confirmed from public material" (QuickBooks Online and Desktop, HubSpot, Salesforce, TaxDome and the
tax programs whose client reports let the user pick columns: Drake, UltraTax CS, Lacerte). For
those the headers here are the usual column names, kept as synonyms: close enough that a file with
them maps with no clicks, and anything not recognised still lands in a custom field rather than
being lost.
"""

from __future__ import annotations

from dataclasses import dataclass

from imports.mapping import IGNORE

# Special targets, resolved by `imports.matching` from the rest of the file and its sample values:
NAME = "@name"  # a bare "Name": the account's name, or the person's when the file names nobody else
TITLE = "@title"  # "Title": a courtesy title (Mr, Dr) -> prefix; a job title -> a custom field
PREPARER = "@preparer"  # "Preparer": the firm's "Tax preparer" role when it exists, else an assignee


@dataclass(frozen=True)
class Synonym:
    """What a header means.

    target: a target key of `imports.mapping`, "ignore", a special above, "personN.<field>" for
        Xero's numbered people (see `person`), "account.custom"/"contact.custom" for "a new
        custom field on that side", or "" for "not a standard field" (an override that un-learns
        a generic synonym for one export).
    rank: lower wins when several columns claim one single-column target ("Email" beats
        "Work Email"; "Home Street" beats "Home Address"). From `matching.DERIVED_RANK` (5) up,
        the column only restates others (Google's "Address 1 - Formatted") and is ignored when
        it loses.
    block: for address fields, which address the column belongs to ("home", "business", ...);
        a file gets one address block, chosen as a whole, so street and city never come from two
        different addresses.
    line: for free-form address lines (QuickBooks "Bill to 1".."5", IIF BADDR1..5), the line number;
        which line holds the street is decided from the sample values.
    person: Xero's "Person1".."Person5": further people after the primary one, so Person1 is
        Contact 2 ... unless the file has no primary person at all.
    """

    target: str
    rank: int = 0
    block: str = ""
    line: int = 0
    person: int = 0


# --- People -----------------------------------------------------------------------------
# The words a header uses for each person field. Prefixed by a person word ("Spouse", "Contact 2",
# "Taxpayer") they name that person's field; the primary person's bare headers are further down.
PERSON_FIELD_WORDS: dict[str, list[str]] = {
    "full_name": ["name", "full name", "fullname", "contact name"],
    "prefix": ["prefix", "title", "salutation", "name prefix"],
    "first_name": ["first name", "first", "given name", "fname", "forename"],
    "middle_name": ["middle name", "middle", "middle initial", "mi", "initial", "additional name"],
    "last_name": ["last name", "last", "surname", "family name", "lname"],
    "suffix": ["suffix", "name suffix"],
    "email": ["email", "email address", "primary email", "email 1", "e mail address"],
    "additional_emails": ["additional email", "additional emails", "email 2", "secondary email", "alternate email"],
    "phone": [
        "phone", "phone number", "telephone", "tel", "cell", "cell phone", "mobile", "mobile phone",
        "mobile number", "work phone", "home phone", "daytime phone", "evening phone", "business phone",
        "phone 1", "phone 2", "cell number",
    ],
    "date_of_birth": ["date of birth", "dob", "birth date", "birthdate", "birthday", "born"],
    "tax_id": [
        "ssn", "social security number", "social security", "social security no", "ssn tin", "tin",
        "tax id", "taxpayer id", "itin", "ssn itin", "ssn number", "id number", "soc sec number", "soc sec no",
        "itin number", "social security number ssn",
    ],
}

# Person words by record. "Person N" (Xero) is handled separately; "Secondary" alone is left out
# because "Secondary Email" is the primary person's second address, and "Partner" is used only
# with a person field ("Partner First Name"): a bare "Partner" column usually names the firm's
# engagement partner.
PERSON_PREFIXES: dict[str, list[str]] = {
    "contact": ["taxpayer", "tp", "primary", "primary contact", "contact", "contact 1", "client", "main contact"],
    "contact2": [
        "spouse", "spouses", "sp", "contact 2", "second contact", "2nd contact", "secondary contact",
        "partner", "co client", "additional contact", "client 2",
    ],
    "contact3": ["contact 3", "third contact", "3rd contact", "client 3"],
    "contact4": ["contact 4", "fourth contact", "4th contact", "client 4"],
    "contact5": ["contact 5", "fifth contact", "5th contact", "client 5"],
}
# Prefix/field pairs that would read as something else.
PERSON_PREFIX_EXCLUDED: set[tuple[str, str]] = {
    ("client", "full_name"),  # "Client Name" names the account
    ("client", "first"),
    ("client", "last"),
    ("contact", "first"),
    ("contact", "last"),
    ("partner", "full_name"),  # "Partner Name": likely the firm's partner
    ("partner", "prefix"),
    ("partner", "suffix"),
    ("partner", "additional_emails"),
    ("primary", "full_name"),
}
# Headers that put the person word last: "First Name (Spouse)", "Email Spouse", "SSN - Taxpayer".
PERSON_SUFFIXES: dict[str, list[str]] = {
    "contact": ["taxpayer", "tp"],
    "contact2": ["spouse", "sp"],
}

# The primary person's bare headers, beyond PERSON_FIELD_WORDS. Rank orders duplicates.
PRIMARY_PERSON: dict[str, list[tuple[str, int]]] = {
    "full_name": [
        ("full name", 0), ("contact name", 0), ("contact", 1), ("primary contact", 1), ("contact full name", 0),
        ("client full name", 1), ("person name", 1), ("cont 1", 2), ("contact person", 1),
    ],
    "prefix": [
        ("prefix", 0), ("salutation", 0), ("name prefix", 0), ("mr ms", 0), ("honorific", 0),
        ("courtesy title", 0),
    ],
    "first_name": [
        ("first name", 0), ("firstname", 0), ("first", 1), ("given name", 0), ("fname", 1), ("forename", 1),
        ("given", 2), ("contact first name", 0),
    ],
    "middle_name": [
        ("middle name", 0), ("middle", 1), ("middle initial", 0), ("mi", 1), ("m i", 1), ("additional name", 0),
        ("midinit", 1), ("initial", 2),
    ],
    "last_name": [
        ("last name", 0), ("lastname", 0), ("last", 1), ("surname", 0), ("family name", 0), ("lname", 1),
        ("contact last name", 0),
    ],
    "suffix": [("suffix", 0), ("name suffix", 0), ("jr sr", 1)],
    "email": [
        ("email", 0), ("email address", 0), ("emails", 1), ("email addresses", 1), ("primary email", 0),
        ("main email", 0), ("email 1", 0), ("email 1 value", 0), ("email address 1", 0), ("personal email", 1),
        ("home email", 1), ("work email", 2), ("business email", 2), ("contact email", 0), ("client email", 0),
        ("email id", 1), ("mail", 3),
    ],
    "additional_emails": [
        ("additional email", 0), ("additional emails", 0), ("other email", 0), ("other emails", 0),
        ("secondary email", 0), ("alternate email", 0), ("alt email", 0), ("email 2", 0), ("email 3", 0),
        ("email 4", 0), ("email 5", 0), ("email 2 value", 0), ("email 3 value", 0), ("email 4 value", 0),
        ("email 5 value", 0), ("email 2 address", 0), ("email 3 address", 0), ("email address 2", 0),
        ("email address 3", 0), ("cc email", 0), ("cc", 0), ("backup email", 0),
    ],
    "phone": [
        ("phone", 0), ("phone number", 0), ("phone numbers", 0), ("telephone", 0), ("telephone number", 0),
        ("tel", 1), ("main phone", 0), ("primary phone", 0), ("mobile", 0), ("mobile phone", 0),
        ("mobile number", 0), ("mobile phone number", 0), ("cell", 0), ("cell phone", 0), ("cellphone", 0),
        ("cell number", 0), ("home phone", 0), ("home phone 2", 0), ("work phone", 0), ("business phone", 0),
        ("business phone 2", 0), ("office phone", 0), ("daytime phone", 0), ("evening phone", 0),
        ("day phone", 0), ("night phone", 0), ("alt phone", 0), ("alternate phone", 0), ("other phone", 0),
        ("direct phone", 0), ("direct dial", 0), ("ddi number", 0), ("phone 1", 0), ("phone 2", 0),
        ("phone 3", 0), ("phone 4", 0), ("phone 5", 0), ("phone 1 value", 0), ("phone 2 value", 0),
        ("phone 3 value", 0), ("phone 4 value", 0), ("phone 5 value", 0), ("contact phone", 0),
        ("client phone", 0), ("landline", 0), ("personal phone", 0),
    ],
    "date_of_birth": [
        ("date of birth", 0), ("dob", 0), ("birth date", 0), ("birthdate", 0), ("birthday", 0),
        ("birth day", 0), ("d o b", 0), ("bdate", 0),
    ],
    "tax_id": [
        ("ssn", 0), ("social security number", 0), ("social security", 0), ("social security no", 0),
        ("ss number", 0), ("ssn tin", 0), ("ssn ein", 0), ("ssn itin", 0), ("ssn or ein", 0), ("tin", 0),
        ("tax id", 0), ("taxid", 0), ("tax id number", 0), ("taxpayer id", 0), ("taxpayer identification number", 0),
        ("itin", 0), ("tax number", 0), ("government id number", 0), ("ssn number", 0), ("client ssn", 0),
        ("ssn ein number", 0),
        # Spelled out, abbreviated, and the employer numbers: an EIN is as sensitive as an SSN and
        # Clientport keeps one SSN/TIN per person, masked (a custom field would show it in full).
        ("soc sec number", 0), ("soc sec no", 0), ("soc sec", 0), ("ss no", 0), ("social security number ssn", 0),
        ("itin number", 0), ("ssn itin number", 0), ("tax id number tin", 0), ("taxpayer identification number tin", 0),
        # Headers that may hold either number stay the person's; row by row an EIN in them on a
        # company's row goes to the account (imports/extraction/tax_ids.py `_place_business_tax_id`).
        ("ein tin", 0), ("ssn fein", 0), ("ein ssn", 0), ("fein ssn", 0), ("ssn or fein", 0), ("ein or ssn", 0),
    ],
    "notes": [
        ("notes", 0), ("note", 0), ("comments", 0), ("comment", 0), ("memo", 0), ("remarks", 0),
        ("client notes", 0), ("contact notes", 0), ("description", 1), ("notepad", 0), ("additional info", 1),
        ("additional information", 1),
    ],
}

# --- Addresses ----------------------------------------------------------------------------
# Words per address field, with the rank among columns of one block.
ADDRESS_WORDS: dict[str, list[tuple[str, int]]] = {
    "street": [
        ("street", 0), ("street address", 0), ("street 1", 0), ("street line 1", 0), ("address", 1),
        ("address 1", 0), ("address line 1", 0), ("addr 1", 0), ("address street", 0), ("street address 1", 0),
        ("line 1", 1),
    ],
    "street2": [
        ("street 2", 0), ("street line 2", 0), ("address 2", 0), ("address line 2", 0), ("addr 2", 0),
        ("street address 2", 0), ("apt", 1), ("apartment", 1), ("suite", 1), ("unit", 1), ("apt suite", 1),
        ("line 2", 1), ("extended address", 0),
    ],
    "city": [("city", 0), ("town", 0), ("city town", 0), ("town city", 0), ("suburb", 1), ("locality", 1)],
    "state": [
        ("state", 0), ("province", 0), ("region", 0), ("state province", 0), ("state region", 0),
        ("state province region", 0), ("province state", 0), ("st", 1), ("state code", 0),
    ],
    "postal_code": [
        ("zip", 0), ("zip code", 0), ("zipcode", 0), ("postal code", 0), ("postcode", 0), ("post code", 0),
        ("zip postal code", 0), ("postal zip code", 0), ("postal code zip", 0), ("zip postal", 0),
    ],
    "country": [("country", 0), ("country region", 0), ("country code", 1)],
}
# Address blocks: the prefixes that name each, in order of preference for a person's address.
# "" is a file's only, unprefixed address. A block that has no data in the samples is passed over.
ADDRESS_BLOCKS: list[tuple[str, list[str]]] = [
    ("", [""]),
    ("home", ["home", "home address", "residence", "residential", "personal"]),
    ("mailing", ["mailing", "mailing address", "postal", "postal address", "po"]),  # "po": Xero's POAddressLine1
    ("address1", ["address 1"]),  # Google: "Address 1 - Street"
    ("billing", ["billing", "billing address", "bill", "bill to", "bill address"]),
    ("physical", ["physical", "physical address", "sa", "street address"]),  # "sa": Xero's SAAddressLine1
    ("business", ["business", "business address", "work", "work address", "office"]),
    ("shipping", ["shipping", "shipping address", "ship", "ship to", "ship address"]),
    ("other", ["other", "other address"]),
    ("address2", ["address 2"]),
    ("address3", ["address 3"]),
]
# Free-form numbered address lines: QuickBooks Desktop "Bill to 1".."Bill to 5", IIF BADDR1..5.
ADDRESS_LINES: dict[str, list[str]] = {
    "billing": ["bill to", "baddr"],
    "shipping": ["ship to", "saddr"],
}
# Google's block-level whole-address column: a fallback street that loses to the block's street.
FORMATTED_ADDRESS_WORDS = ["formatted", "formatted address", "full address"]

# --- Accounts -----------------------------------------------------------------------------
# Columns that name a person's organisation. With no column that names the client, the automatic
# mapping makes the first of these with data the account name: a business is one company account
# with its people as contacts (matching.suggest_mapping). Normalised like every header.
ORGANISATION_HEADERS = [
    "company", "company name", "companyname", "organization", "organisation", "organization name",
    "organisation name", "organization 1 name", "business name", "associated company", "employer",
    "firma", "firmenname", "unternehmen", "empresa", "razon social", "societe", "entreprise",
]

ACCOUNT: dict[str, list[tuple[str, int]]] = {
    "account.name": [
        ("account name", 0), ("account", 1), ("client name", 0), ("client", 1), ("customer", 1),
        ("customer name", 0), ("customer full name", 0), ("display name as", 0),
        ("household", 2), ("household name", 1), ("family", 3), ("client account", 1), ("account title", 2),
        ("clients", 3), ("customer account", 2), ("billing name", 2),
    ],
    "account.type": [
        ("account type", 0), ("client type", 0), ("entity type", 0), ("entity", 1), ("type", 2),
        ("business type", 1), ("return type", 1), ("client entity", 1), ("entity form", 1), ("account kind", 1),
        ("individual or company", 0), ("individual company", 0),
    ],
    "account.company_name": [
        ("company", 0), ("company name", 0), ("companyname", 0), ("organization", 0), ("organisation", 0),
        ("organization name", 0), ("organisation name", 0), ("organization 1 name", 0), ("business name", 0),
        ("business", 2), ("employer", 3), ("associated company", 1), ("legal name", 0), ("entity name", 0),
        ("firm name", 1), ("corporation", 2), ("company legal name", 0),
    ],
    "account.client_id": [
        ("client id", 0), ("client number", 0), ("client no", 0), ("client code", 0), ("client ref", 1),
        ("client reference", 1), ("customer id", 0), ("customer number", 0), ("customer no", 0),
        ("customer code", 0), ("account number", 0), ("account no", 0), ("account id", 1), ("account code", 0),
        ("accnum", 0), ("file number", 1), ("client file number", 1), ("client identifier", 0), ("acct no", 0),
        ("acct number", 0), ("account num", 0),
    ],
    "account.tags": [
        ("tags", 0), ("tag", 0), ("account tags", 0), ("client tags", 0), ("categories", 0), ("category", 0),
        ("group", 1), ("groups", 1), ("client group", 0), ("client groups", 0), ("customer type", 0),
        ("ctype", 0), ("client category", 0), ("segment", 2), ("contact groups", 0),  # Xero's ContactGroups
    ],
    # A business's number: the employer identification number and its equivalents abroad
    # (Australia's ABN, GST and VAT registration numbers). Sensitive, and masked, as an SSN is.
    "account.tax_id": [
        ("ein", 0), ("fein", 0), ("ein number", 0), ("fein number", 0), ("ein no", 0), ("federal ein", 0),
        ("federal id", 0), ("federal id number", 0), ("fed id", 0), ("federal tax id", 0), ("federal tax id number", 0),
        ("employer id number", 0), ("employer identification number", 0), ("employer identification number ein", 0),
        ("employer id", 0), ("business tax id", 0), ("business tax number", 0), ("company tax id", 0),
        ("company tax number", 0), ("business ein", 0), ("company ein", 0), ("client ein", 0), ("entity ein", 0),
        ("abn", 0), ("abn number", 0), ("australian business number", 0), ("gst number", 0), ("gst no", 0),
        ("gst registration number", 0), ("gst hst number", 0), ("vat number", 0), ("vat no", 0), ("vat id", 0),
        ("vat registration number", 0), ("vat reg no", 0),
    ],
    "account.assignees": [
        ("assignees", 0), ("assignee", 0), ("assigned to", 0), ("assigned", 1), ("team members", 0),
        ("team member", 0), ("team", 1), ("staff", 0), ("staff member", 0), ("assigned staff", 0),
        ("account manager", 0), ("client manager", 0), ("relationship manager", 0), ("contact owner", 0),
        ("account owner", 0), ("client owner", 0), ("record owner", 0), ("responsible", 1),
        ("engagement manager", 0), ("accountant", 1), ("bookkeeper", 1), ("staff assigned", 0),
        # CRM owners (HubSpot, Salesforce, Pipedrive) and a practice's partner or manager in charge,
        # whose values are people's names: matched to team members by `imports.members`.
        ("company owner", 0), ("hubspot owner", 0), ("owner", 1), ("owner name", 0), ("contact owner name", 0),
        ("account owner name", 0), ("deal owner", 1), ("manager", 1), ("partner", 1), ("engagement partner", 0),
        ("client partner", 0), ("responsible partner", 0), ("partner in charge", 0), ("tax partner", 0),
        ("assigned user", 0), ("assigned employee", 0), ("responsible person", 0), ("staff name", 0),
    ],
    # Whether the client is still one. Values are read by the column's meaning
    # (imports.extraction.clean_status): a flag named for the inactive state is yes = inactive.
    # Checked in November 2026 with the search tool:
    # - QuickBooks Desktop IIF: HIDDEN is a field of the !CUST list (it is in the exported header
    #   lists); that its values are Y for an inactive customer and N otherwise is from exported
    #   files, not confirmed by the Intuit IIF pages found (their field tables stop before it).
    # - QuickBooks Desktop's Customer Contact List report: "Active Status" with Active / Inactive
    #   (the report's header list in KNOWN_HEADERS); QuickBooks Online's customer export has no
    #   status column that we could confirm.
    # - Xero: the API and data-model pages call it ContactStatus, values ACTIVE / ARCHIVED
    #   (GDPRREQUEST too, which warns). Xero's own contacts CSV export (help.xero.com) lists no
    #   status column: archived contacts are exported from the Archived view. "Archived" /
    #   "Is Archived" are the names third-party Xero exports use; not confirmed for Xero itself.
    "account.status": [
        ("status", 1), ("client status", 0), ("account status", 0), ("customer status", 0), ("contact status", 0),
        ("active status", 0), ("active", 1), ("is active", 1), ("inactive", 1), ("is inactive", 1),
        ("hidden", 1), ("archived", 1), ("is archived", 1), ("client active", 1), ("active client", 1),
    ],
    "contact.tags": [
        ("contact tags", 0), ("labels", 0), ("label", 0), ("group membership", 0), ("contact labels", 0),
    ],
}

# German, Spanish and French headers of the same fields (Excel files saved in Europe and Latin
# America, accented letters already folded by normalize_header). Added at rank 0 next to the
# English words: exact names only, so fuzzy matching of English headers is not bent by them.
FOREIGN_WORDS: dict[str, list[str]] = {
    "prefix": ["anrede", "tratamiento", "civilite"],
    "first_name": ["vorname", "nombre de pila", "prenom"],
    "last_name": ["nachname", "familienname", "apellido", "apellidos", "nom de famille"],
    "phone": ["telefon", "telefonnummer", "mobil", "handy", "mobilnummer", "telefono", "movil", "celular",
              "telephone portable", "portable", "telephone fixe"],
    "date_of_birth": ["geburtsdatum", "geburtstag", "fecha de nacimiento", "date de naissance"],
    "notes": ["bemerkung", "bemerkungen", "notiz", "notizen", "notas", "observaciones", "remarques"],
    "email": ["correo", "correo electronico", "courriel", "adresse email", "adresse e mail"],
    "tax_id": ["steuer id", "steueridentifikationsnummer", "rfc", "nif"],
}
FOREIGN_ADDRESS_WORDS: dict[str, list[str]] = {
    "street": ["strasse", "strasse und hausnummer", "anschrift", "direccion", "calle", "adresse", "rue"],
    "city": ["ort", "stadt", "wohnort", "ciudad", "localidad", "ville"],
    "state": ["bundesland", "estado", "provincia"],
    "postal_code": ["plz", "postleitzahl", "codigo postal", "cp", "code postal"],
    "country": ["land", "pais", "pays"],
}
FOREIGN_ACCOUNT_WORDS: dict[str, list[str]] = {
    "account.company_name": ["firma", "firmenname", "unternehmen", "empresa", "razon social", "societe", "entreprise"],
    "account.client_id": ["kundennummer", "kunden nr", "kundennr", "numero de cliente", "numero client"],
}
for _field, _words in FOREIGN_WORDS.items():
    PRIMARY_PERSON[_field].extend((word, 0) for word in _words)
for _field, _words in FOREIGN_ADDRESS_WORDS.items():
    ADDRESS_WORDS[_field].extend((word, 0) for word in _words)
for _target, _words in FOREIGN_ACCOUNT_WORDS.items():
    ACCOUNT[_target].extend((word, 0) for word in _words)
# Further targets' headers.
OTHER: dict[str, list[tuple[str, int]]] = {
    # A contacts export's name of the person as shown (Outlook, Google "File As"): see NAME.
    NAME: [("name", 0), ("names", 1), ("display name", 0), ("file as", 1)],
    TITLE: [("title", 0)],
    PREPARER: [
        ("preparer", 0), ("preparer name", 0), ("tax preparer", 0), ("return preparer", 0), ("preparer email", 0),
    ],
    "contact2.full_name": [
        ("spouse", 0), ("spouse name", 0), ("spouse full name", 0), ("secondary contact", 0), ("alt contact", 0),
        ("alternate contact", 0), ("cont 2", 0), ("second contact", 0), ("contact 2", 0), ("co client", 0),
    ],
}

# Common columns that are no standard field, listed so that fuzzy matching never bends them into
# one ("Fax Number" is one letter from "Tax Number"): each becomes a new custom field on its side.
# (The headers of `FIELD_MEANINGS` below are added the same way.)
KNOWN_CUSTOM: dict[str, list[str]] = {
    "contact.custom": [
        "nickname", "gender", "home fax", "pager", "marital status", "maiden name", "twitter",
        "initials",  # "A.R.": not one letter away from "Initial" (a middle initial)
    ],
    "account.custom": [
        "open balance", "balance", "balance total", "credit limit", "terms", "filing status", "referred by",
        "referral source", "lead source", "lead status", "lifecycle stage", "office", "industry", "fiscal year end",
        "year end", "dba", "trading name", "company number", "tax year", "fee", "fees",
    ],
}

# Export plumbing: labels of the columns next to them, display names, flags of the exporting tool.
IGNORED: list[str] = [
    "email type", "email 2 type", "email 3 type", "email display name", "email 2 display name",
    "email 3 display name", "internet free busy", "sensitivity", "timestamp", "delcount", "photo",
    "organization 1 type", "organization 1 yomi name", "organization 1 symbol", "organization 1 location",
    # Bank details (Xero) have no place in a client list and would show in full in a custom field.
    "bank account name", "bank account number", "bank account particulars", "bank account", "bank account no",
    "iban", "routing number", "bsb",
]

# --- Custom fields: one meaning under many headers ---------------------------------------------
@dataclass(frozen=True)
class FieldMeaning:
    """A custom field exports spell in many ways ("Job Title", "Position", "Organization 1 - Title").

    A column with one of `headers` that would otherwise make a new custom field feeds the firm's
    field of this meaning instead, when the firm has one under any of these names (the oldest,
    its own side first); else it proposes one new field named `name`, on `side`, of `field_type`,
    so six exports make one "Job title", not three. `offered`: a new field of this meaning is
    offered, not created (see BOOKKEEPING).
    """

    name: str
    side: str  # "contact": about the person; "account": about the client
    field_type: str
    headers: tuple[str, ...]
    offered: bool = False


FIELD_MEANINGS: tuple[FieldMeaning, ...] = (
    FieldMeaning("Job title", "contact", "text", (
        "job title", "title", "position", "occupation", "profession", "organization title",
        "organisation title", "organization 1 title", "organisation 1 title", "job position",
        "designation", "job role", "contact title",
    )),
    FieldMeaning("Department", "contact", "text", (
        "department", "dept", "organization department", "organisation department", "organization 1 department",
    )),
    FieldMeaning("Website", "account", "url", (
        "website", "web site", "web page", "webpage", "website url", "company website", "company website url",
        "business website", "business web page", "homepage", "home page", "url", "web address", "company url",
        "www",
    )),
    FieldMeaning("Personal website", "contact", "url", (
        "personal website", "personal web page", "personal web site", "personal url", "personal homepage", "blog",
        "website 1 value", "website 2 value",
    )),
    FieldMeaning("LinkedIn", "contact", "url", (
        "linkedin", "linkedin url", "linkedin profile", "linkedin profile url", "linked in", "linkedin link",
    ), offered=True),
    FieldMeaning("Fax", "account", "phone", (
        "fax", "fax number", "faxnum", "business fax", "company fax", "office fax", "other fax",
    )),
    FieldMeaning("Company phone", "account", "phone", ("company main phone", "company phone", "main company phone")),
    FieldMeaning("Contact ID", "contact", "text", ("contact id", "contact number", "person id", "contact record id")),
    FieldMeaning("Last activity", "contact", "date", (
        "last activity", "last activity date", "last contacted", "last contact date", "last engagement date",
    )),
)

# What one export means by a header that generically means something else (LinkedIn's "URL" is
# the person's profile, not a website; HubSpot's contacts export "Record ID" is the contact's id).
PRESET_FIELD_MEANINGS: dict[str, dict[str, str]] = {
    "linkedin": {"url": "LinkedIn"},
    "hubspot": {"record id": "Contact ID"},
}

# The exporting system's own bookkeeping: ids, timestamps, pipeline and tax flags of the source.
# A column with one of these headers is offered, not created: ignored by default, with the new
# field it would make pre-filled in the field table (one click keeps it). A firm field of that
# name (kept before) is still filled. LinkedIn profiles are offered the same way, where the firm
# has no LinkedIn field (`FieldMeaning.offered`). Empty columns are ignored anyway.
BOOKKEEPING: list[str] = [
    # HubSpot
    "record id", "lead status", "marketing contact status", "lifecycle stage", "associated company id",
    "associated company ids", "associated deal", "associated deals", "associated deal ids", "original source",
    "original source drill down 1", "original source drill down 2", "latest source", "number of sales activities",
    "number of times contacted", "email domain", "hubspot id", "hs object id", "became a lead date",
    "became a customer date", "became a subscriber date", "became an opportunity date",
    "became a marketing qualified lead date", "became a sales qualified lead date", "primary associated company id",
    # Anyone's record timestamps
    "create date", "created date", "date created", "created", "created at", "created on", "creation date",
    "last modified date", "last modified", "modified", "modified date", "modified on", "date modified",
    "updated", "updated at", "last updated",
    # QuickBooks (IIF and Desktop): sales tax and price plumbing
    "refnum", "taxable", "salestaxcode", "sales tax code", "taxitem", "tax item", "resalenum", "resale num",
    "pricelevel", "price level", "terms", "limit", "credit limit", "jobstatus", "job status", "jobtype", "job type",
    "jobdesc", "job description", "jobstart", "jobprojend", "jobend",
    # Xero: its own accounting defaults per contact
    "accounts receivable tax code name", "accounts payable tax code name", "due date bill day", "due date bill term",
    "due date sales day", "due date sales term", "sales account", "purchases account", "tracking name 1",
    "tracking name 2", "sales tracking option 1", "sales tracking option 2", "purchases tracking option 1",
    "purchases tracking option 2", "branding theme", "default tax bills", "default tax sales", "discount",
    # LinkedIn, Google and Outlook
    "connected on", "phonetic first name", "phonetic middle name", "phonetic last name", "billing information",
    "directory server", "mileage",
]

# The two columns Clientport adds to its skipped-rows file (`imports.report.write_skipped_csv`):
# ignored when that file comes back fixed, whatever the firm's fields are called.
SKIPPED_ROWS_COLUMNS = ("Row", "Reason")

# Google writes "<kind> <n> - Label" (new format) or "- Type" (old) next to each value.
GOOGLE_LABELLED = ["email", "phone", "address", "website", "event", "relation", "im", "custom field", "external id"]

# --- Known exports --------------------------------------------------------------------------
# Each export's real header list (tests map them with no clicks) and its signature: the preset is
# recognised when every header of one of its signature sets is present (after normalisation).
# Checked in this order, most distinctive first.
PRESET_SIGNATURES: list[tuple[str, list[list[str]]]] = [
    # Clientport's own export (`clientport export`), which re-imports with no changes.
    ("clientport", [["Account name", "Account tags", "Team members", "Contact tags"],
                    ["Additional emails", "Contact tags"]]),
    ("xero", [["POAddressLine1"], ["SAAddressLine1"], ["Person1FirstName"], ["Person1Email"], ["*ContactName"]]),
    ("google-contacts", [["E-mail 1 - Value"], ["Phone 1 - Value"], ["Given Name", "Family Name", "Group Membership"],
                         ["File As", "Labels"], ["Address 1 - Formatted"]]),
    ("outlook", [["E-mail 2 Address"], ["E-mail Display Name"], ["Home Street", "Business Street"],
                 ["Home Country/Region"], ["Business Country/Region"]]),
    # "Customer" and "Job" are the columns the IIF reader adds next to NAME (imports.reading.iif).
    ("quickbooks-iif", [["NAME", "BADDR1"], ["NAME", "REFNUM", "TIMESTAMP"], ["CONT1", "CTYPE"],
                        ["NAME", "Customer", "Job"]]),
    ("quickbooks-desktop", [["Bill to 1"], ["Mr./Ms./..."], ["Customer", "Main Email"], ["Customer", "Main Phone"]]),
    ("quickbooks-online", [["Customer", "Open Balance"], ["Display Name As"], ["Customer full name"],
                           ["Customer", "Attachments"]]),
    ("taxdome", [["Account Name", "Email Sync"], ["Account Name", "Team Members"],
                 ["Account Name", "Login", "Notify"]]),
    ("hubspot", [["Lifecycle Stage"], ["Record ID", "Contact owner"], ["Associated Company"],
                 ["State/Region", "Contact owner"]]),
    ("salesforce", [["Mailing Street"], ["Mailing State/Province"], ["Mailing Zip/Postal Code"],
                    ["Account Name", "Contact Owner"], ["Account Name", "Salutation"]]),
    ("linkedin", [["Connected On"], ["URL", "Position", "Company"]]),
    # The tax programs' client reports have user-chosen columns: only a combination no generic
    # client list would have counts.
    ("ultratax", [["Client ID", "Taxpayer First Name", "Entity"], ["Client ID", "Taxpayer SSN", "Spouse SSN"]]),
    ("lacerte", [["Client Number", "Taxpayer First Name"], ["Client Number", "Taxpayer SSN"]]),
    ("drake", [["SSN", "Spouse SSN", "Preparer"], ["SSN/EIN", "Spouse SSN"], ["SSN", "Spouse SSN", "Return Type"]]),
]

PRESET_LABELS: dict[str, str] = {
    "clientport": "Clientport export",
    "google-contacts": "Google Contacts",
    "outlook": "Outlook",
    "quickbooks-online": "QuickBooks Online",
    "quickbooks-desktop": "QuickBooks Desktop",
    "quickbooks-iif": "QuickBooks (IIF)",
    "xero": "Xero",
    "drake": "Drake Tax",
    "ultratax": "UltraTax CS",
    "lacerte": "Lacerte",
    "taxdome": "TaxDome",
    "hubspot": "HubSpot",
    "salesforce": "Salesforce",
    "linkedin": "LinkedIn",
}

# What a header means in one export when it differs from the generic meaning.
PRESET_OVERRIDES: dict[str, dict[str, Synonym]] = {
    # Xero's ContactName is the customer (the account); its people are FirstName/LastName + PersonN.
    "xero": {
        "contact name": Synonym("account.name"),
        "account number": Synonym("account.client_id"),
        # An organisation's GST/VAT/tax number: the client's, not a person's.
        "tax number": Synonym("account.tax_id"),
        "legal name": Synonym("account.company_name"),
    },
    # Outlook's "Title" is the courtesy title; "Account" and "Priority" are Outlook's own fields.
    "outlook": {
        "title": Synonym("contact.prefix"),
        "account": Synonym(""),
        "priority": Synonym(IGNORE),
        "private": Synonym(IGNORE),
        "initials": Synonym(IGNORE),  # Outlook fills it from the names ("M.K."): not a middle name
    },
    "google-contacts": {"priority": Synonym(IGNORE)},
    # Salesforce and LinkedIn "Title"/"Position" are job titles, about the person.
    # Salesforce's Account Type is the relationship ("Customer - Direct", "Prospect"), not
    # whether the client is a person or a company: kept as a custom field.
    "salesforce": {"title": Synonym("contact.custom"), "account type": Synonym("account.custom")},
    "linkedin": {
        "url": Synonym("contact.custom"),
        "position": Synonym("contact.custom"),
        "connected on": Synonym("contact.custom"),
        "company": Synonym("account.company_name"),
    },
    "hubspot": {"record id": Synonym("contact.custom")},
    # IIF's NAME is "Customer:Job" for a job. The reader adds a "Customer" column, which then names
    # the account (so a job joins its customer's account), and NAME, which only restates Customer
    # and Job, ranks as derived (matching.DERIVED_RANK) so it is ignored when Customer is there.
    # A NAME alone still names the account ("Rivera, Ana": the customer, named as its person).
    "quickbooks-iif": {"name": Synonym("account.name", rank=5)},
    # TaxDome's portal switches are the wizard's per-email-column settings, not data columns.
    "taxdome": {"login": Synonym(IGNORE), "notify": Synonym(IGNORE), "email sync": Synonym(IGNORE)},
}

# Header lists of the known exports (used by the tests and by anyone documenting presets). Only those
# HEADER_SOURCES marks confirmed are a real export's header row as published; the others are the
# usual column names of such files, not a copy of any export.
KNOWN_HEADERS: dict[str, list[str]] = {
    # As `imports.exporting` writes them, with a firm role and a custom field of each side.
    "clientport": [
        "Account name", "Account type", "Company name", "Client ID", "Account status", "Account street",
        "Account city", "Account state/region", "Account postal code", "Account country", "Account tags",
        "Team members", "Tax preparer",
        "Filing status", "Prefix", "First name", "Middle name", "Last name", "Suffix", "Email", "Additional emails",
        "Phone", "Street", "City", "State", "Postal code", "Country", "Date of birth", "Notes", "Contact tags",
        "Occupation",
    ],
    # Google's current export has as many numbered groups as the exported contacts need; this one is
    # the published row (4 e-mails, 4 phones, 2 addresses, one relation, website, event, custom field).
    "google-contacts": [
        "First Name", "Middle Name", "Last Name", "Phonetic First Name", "Phonetic Middle Name",
        "Phonetic Last Name", "Name Prefix", "Name Suffix", "Nickname", "File As", "Organization Name",
        "Organization Title", "Organization Department", "Birthday", "Notes", "Photo", "Labels",
        "E-mail 1 - Label", "E-mail 1 - Value", "E-mail 2 - Label", "E-mail 2 - Value", "E-mail 3 - Label",
        "E-mail 3 - Value", "E-mail 4 - Label", "E-mail 4 - Value", "Phone 1 - Label", "Phone 1 - Value",
        "Phone 2 - Label", "Phone 2 - Value", "Phone 3 - Label", "Phone 3 - Value", "Phone 4 - Label",
        "Phone 4 - Value", "Address 1 - Label", "Address 1 - Formatted", "Address 1 - Street", "Address 1 - City",
        "Address 1 - PO Box", "Address 1 - Region", "Address 1 - Postal Code", "Address 1 - Country",
        "Address 1 - Extended Address", "Address 2 - Label", "Address 2 - Formatted", "Address 2 - Street",
        "Address 2 - City", "Address 2 - PO Box", "Address 2 - Region", "Address 2 - Postal Code",
        "Address 2 - Country", "Address 2 - Extended Address", "Relation 1 - Label", "Relation 1 - Value",
        "Website 1 - Label", "Website 1 - Value", "Event 1 - Label", "Event 1 - Value", "Custom Field 1 - Label",
        "Custom Field 1 - Value",
    ],
    "google-contacts-legacy": [
        "Name", "Given Name", "Additional Name", "Family Name", "Yomi Name", "Given Name Yomi",
        "Additional Name Yomi", "Family Name Yomi", "Name Prefix", "Name Suffix", "Initials", "Nickname",
        "Short Name", "Maiden Name", "Birthday", "Gender", "Location", "Billing Information", "Directory Server",
        "Mileage", "Occupation", "Hobby", "Sensitivity", "Priority", "Subject", "Notes", "Language", "Photo",
        "Group Membership", "E-mail 1 - Type", "E-mail 1 - Value", "E-mail 2 - Type", "E-mail 2 - Value",
        "Phone 1 - Type", "Phone 1 - Value", "Phone 2 - Type", "Phone 2 - Value", "Address 1 - Type",
        "Address 1 - Formatted", "Address 1 - Street", "Address 1 - City", "Address 1 - PO Box",
        "Address 1 - Region", "Address 1 - Postal Code", "Address 1 - Country", "Address 1 - Extended Address",
        "Organization 1 - Type", "Organization 1 - Name", "Organization 1 - Yomi Name", "Organization 1 - Title",
        "Organization 1 - Department", "Organization 1 - Symbol", "Organization 1 - Location",
        "Organization 1 - Job Description",
    ],
    "outlook": [
        "Title", "First Name", "Middle Name", "Last Name", "Suffix", "Company", "Department", "Job Title",
        "Business Street", "Business Street 2", "Business Street 3", "Business City", "Business State",
        "Business Postal Code", "Business Country/Region", "Home Street", "Home Street 2", "Home Street 3",
        "Home City", "Home State", "Home Postal Code", "Home Country/Region", "Other Street", "Other Street 2",
        "Other Street 3", "Other City", "Other State", "Other Postal Code", "Other Country/Region",
        "Assistant's Phone", "Business Fax", "Business Phone", "Business Phone 2", "Callback", "Car Phone",
        "Company Main Phone", "Home Fax", "Home Phone", "Home Phone 2", "ISDN", "Mobile Phone", "Other Fax",
        "Other Phone", "Pager", "Primary Phone", "Radio Phone", "TTY/TDD Phone", "Telex", "Account",
        "Anniversary", "Assistant's Name", "Billing Information", "Birthday", "Business Address PO Box",
        "Categories", "Children", "Directory Server", "E-mail Address", "E-mail Type", "E-mail Display Name",
        "E-mail 2 Address", "E-mail 2 Type", "E-mail 2 Display Name", "E-mail 3 Address", "E-mail 3 Type",
        "E-mail 3 Display Name", "Gender", "Government ID Number", "Hobby", "Home Address PO Box", "Initials",
        "Internet Free Busy", "Keywords", "Language", "Location", "Manager's Name", "Mileage", "Notes",
        "Office Location", "Organizational ID Number", "Other Address PO Box", "Priority", "Private",
        "Profession", "Referred By", "Sensitivity", "Spouse", "User 1", "User 2", "User 3", "User 4", "Web Page",
    ],
    "quickbooks-online": [
        "Customer", "Company", "Street Address", "City", "State", "Country", "Zip", "Phone", "Email",
        "Attachments", "Open Balance", "Notes",
    ],
    "quickbooks-desktop": [
        "Active Status", "Customer", "Balance", "Balance Total", "Company", "Mr./Ms./...", "First Name", "M.I.",
        "Last Name", "Primary Contact", "Main Phone", "Fax", "Alt. Phone", "Secondary Contact", "Job Title",
        "Main Email", "Bill to 1", "Bill to 2", "Bill to 3", "Bill to 4", "Bill to 5", "Ship to 1", "Ship to 2",
        "Ship to 3", "Ship to 4", "Ship to 5", "Customer Type", "Terms", "Rep", "Sales Tax Code", "Tax item",
        "Resale Num", "Account No.", "Credit Limit", "Job Status", "Job Type", "Job Description", "Start Date",
        "Projected End", "End Date",
    ],
    # The !CUST line's field names (before imports.reading.iif turns NAME and the address lines into columns).
    "quickbooks-iif": [
        "NAME", "REFNUM", "TIMESTAMP", "BADDR1", "BADDR2", "BADDR3", "BADDR4", "BADDR5", "SADDR1", "SADDR2",
        "SADDR3", "SADDR4", "SADDR5", "PHONE1", "PHONE2", "FAXNUM", "EMAIL", "NOTE", "CONT1", "CONT2", "CTYPE",
        "TERMS", "TAXABLE", "SALESTAXCODE", "LIMIT", "RESALENUM", "REP", "TAXITEM", "NOTEPAD", "SALUTATION",
        "COMPANYNAME", "FIRSTNAME", "MIDINIT", "LASTNAME", "CUSTFLD1", "CUSTFLD2", "CUSTFLD3", "CUSTFLD4",
        "CUSTFLD5", "CUSTFLD6", "CUSTFLD7", "CUSTFLD8", "CUSTFLD9", "CUSTFLD10", "CUSTFLD11", "CUSTFLD12",
        "CUSTFLD13", "CUSTFLD14", "CUSTFLD15", "JOBDESC", "JOBTYPE", "JOBSTATUS", "JOBSTART", "JOBPROJEND", "JOBEND",
        "HIDDEN", "DELCOUNT", "PRICELEVEL",
    ],
    "xero": [
        "ContactName", "AccountNumber", "EmailAddress", "FirstName", "LastName", "POAttentionTo",
        "POAddressLine1", "POAddressLine2", "POAddressLine3", "POAddressLine4", "POCity", "PORegion",
        "POPostalCode", "POCountry", "SAAttentionTo", "SAAddressLine1", "SAAddressLine2", "SAAddressLine3",
        "SAAddressLine4", "SACity", "SARegion", "SAPostalCode", "SACountry", "PhoneNumber", "FaxNumber",
        "MobileNumber", "DDINumber", "SkypeName", "BankAccountName", "BankAccountNumber",
        "BankAccountParticulars", "TaxNumber", "AccountsReceivableTaxCodeName", "AccountsPayableTaxCodeName",
        "Website", "LegalName", "Discount", "CompanyNumber", "DueDateBillDay", "DueDateBillTerm",
        "DueDateSalesDay", "DueDateSalesTerm", "SalesAccount", "PurchasesAccount", "TrackingName1",
        "SalesTrackingOption1", "PurchasesTrackingOption1", "TrackingName2", "SalesTrackingOption2",
        "PurchasesTrackingOption2", "BrandingTheme", "DefaultTaxBills", "DefaultTaxSales", "Person1FirstName",
        "Person1LastName", "Person1Email", "Person1IncludeInEmail", "Person2FirstName", "Person2LastName",
        "Person2Email", "Person2IncludeInEmail", "Person3FirstName", "Person3LastName", "Person3Email",
        "Person3IncludeInEmail", "Person4FirstName", "Person4LastName", "Person4Email", "Person4IncludeInEmail",
        "Person5FirstName", "Person5LastName", "Person5Email", "Person5IncludeInEmail",
    ],
    "xero-template": [
        "*ContactName", "EmailAddress", "FirstName", "LastName", "POAttentionTo", "POAddressLine1",
        "POAddressLine2", "POCity", "PORegion", "POPostalCode", "POCountry", "SAAttentionTo", "SAAddressLine1",
        "SAAddressLine2", "SACity", "SARegion", "SAPostalCode", "SACountry", "PhoneNumber", "MobileNumber",
        "TaxNumber",
    ],
    "drake": [
        "SSN", "First Name", "Middle Initial", "Last Name", "Suffix", "Spouse First Name", "Spouse Middle Initial",
        "Spouse Last Name", "Spouse SSN", "Address", "City", "State", "ZIP", "Home Phone", "Work Phone",
        "Cell Phone", "Email", "Spouse Email", "Spouse Cell Phone", "Date of Birth", "Spouse Date of Birth",
        "Filing Status", "Preparer", "Return Type",
    ],
    "ultratax": [
        "Client ID", "Client Name", "Entity", "Taxpayer First Name", "Taxpayer Middle Initial",
        "Taxpayer Last Name", "Taxpayer SSN", "Taxpayer Date of Birth", "Taxpayer Email",
        "Spouse First Name", "Spouse Middle Initial", "Spouse Last Name", "Spouse SSN", "Spouse Date of Birth",
        "Spouse Email", "Address", "City", "State", "ZIP Code", "Home Phone", "Taxpayer Work Phone",
        "Spouse Work Phone", "Filing Status", "Office", "Staff Assigned",
    ],
    "lacerte": [
        "Client Number", "Taxpayer First Name", "Taxpayer Last Name", "Taxpayer SSN", "Taxpayer Birth Date",
        "Spouse First Name", "Spouse Last Name", "Spouse SSN", "Spouse Birth Date", "Street Address", "City",
        "State", "Zip Code", "Home Phone", "Taxpayer Email", "Spouse Email", "Taxpayer Cell Phone", "Preparer",
        "Client Status",
    ],
    "taxdome": [
        "Account Name", "Account Type", "Tags", "Team Members", "First Name", "Middle Name", "Last Name",
        "Email", "Phone Number", "Street Address", "City", "State/Province/Region", "ZIP/Postal Code",
        "Country", "Date of Birth", "SSN", "Login", "Notify", "Email Sync",
    ],
    "hubspot": [
        "Record ID", "First Name", "Last Name", "Email", "Phone Number", "Mobile Phone Number", "Contact owner",
        "Lifecycle Stage", "Lead Status", "Create Date", "Associated Company", "Company Name", "Job Title",
        "Street Address", "City", "State/Region", "Postal Code", "Country/Region", "Website URL",
    ],
    "salesforce": [
        "Contact Owner", "Salutation", "First Name", "Last Name", "Title", "Account Name", "Mailing Street",
        "Mailing City", "Mailing State/Province", "Mailing Zip/Postal Code", "Mailing Country", "Phone", "Mobile",
        "Fax", "Email", "Birthdate", "Lead Source", "Description", "Account Type",
    ],
    "linkedin": ["First Name", "Last Name", "URL", "Email Address", "Company", "Position", "Connected On"],
}


NOT_CONFIRMED = "not confirmed from public material"


@dataclass(frozen=True)
class HeaderSource:
    """Where a header list of KNOWN_HEADERS was checked.

    confirmed: a public copy of the real export's header row was read, and the list is that row.
    source: what was read (URL, or repository and path) and what it showed; for a list not
        confirmed, NOT_CONFIRMED and why.
    """

    confirmed: bool
    source: str


HEADER_SOURCES: dict[str, HeaderSource] = {
    "clientport": HeaderSource(True, "Clientport's own export, imports/exporting.py"),
    "google-contacts": HeaderSource(
        True,
        "github.com/szabgab/google-contacts-csv.rs src/lib.rs (docs.rs/google-contacts-csv 0.1.0): a serde "
        "record with deny_unknown_fields for a Google Contacts export, in this order. The numbered groups "
        "(E-mail N, Phone N, Address N, Relation/Website/Event/Custom Field N) grow with the exported data.",
    ),
    "google-contacts-legacy": HeaderSource(
        True,
        "gist.github.com/janoamaral/30b3dac7961609715872e8c065406de3 and "
        "gist.github.com/mitcdh/234b437cd75bbe27c300ea7f44b4849a: the old \"Google CSV\" header (Name, Given "
        "Name, Additional Name, ... Group Membership, E-mail 1 - Type, ...). Which groups appear depends on the "
        "data: this list is the former's row up to Address 1, then the latter's Organization 1 group.",
    ),
    "outlook": HeaderSource(
        True,
        "https://www.spstechnical.com/outlook_contacts_schema.htm (Outlook's import/export field names); the "
        "same 92-column row in this order is written by several public Outlook CSV tools.",
    ),
    "linkedin": HeaderSource(
        True,
        "github.com/chrhartm/linkedin-to-notion-crm Connections.csv: a real export, three lines of \"Notes:\" "
        "above this header; dates like \"09 Oct 2024\". Older exports (2018) had no URL column: "
        "github.com/abhishekwebcode/Abhishek-Mathur-Complete_LinkedInDataExport_11-04-2018 Connections.csv.",
    ),
    "xero": HeaderSource(
        True,
        "https://help.xero.com/us/Contacts_Import (column names: PhoneNumber, BankAccountNumber, "
        "AccountsReceivableTaxCodeName, Website, Discount, DueDate*...; the export uses the template's columns); "
        "this order as in several public parsers of Xero contact exports. Newer exports are reported with "
        "TaxNumberName, DefaultTaxBillsName and Person1IncludeInEmails: " + NOT_CONFIRMED + ".",
    ),
    "xero-template": HeaderSource(
        False,
        NOT_CONFIRMED + ": a trimmed copy of Xero's import template (its required *ContactName column is "
        "described at https://help.xero.com/us/Contacts_Import); which columns a user keeps is ours.",
    ),
    "quickbooks-iif": HeaderSource(
        True,
        "Intuit's IIF reference for the Customer:Job list, http://support.quickbooks.intuit.com/support/Pages/"
        "InProductHelp/Core/QB2K8/ContentPackage/Core/IIF/iif_reference_customer.html (field meanings); this "
        "!CUST line, in this order, as QuickBooks writes it and public IIF tools copy it.",
    ),
    "quickbooks-online": HeaderSource(
        False, NOT_CONFIRMED + ": no published copy of the customer list export's header row was found."
    ),
    "quickbooks-desktop": HeaderSource(
        False, NOT_CONFIRMED + ": the customer list exported to Excel; its columns follow the user's list view."
    ),
    "hubspot": HeaderSource(
        False,
        NOT_CONFIRMED + ": a view export's columns are the user's view columns. Public code reading HubSpot "
        "exports shows the default contacts view as Record ID, First Name, Last Name, Email, Phone Number, "
        "Contact owner, Primary Associated Company ID, Last Activity Date, Lead Status, Marketing contact status, "
        "Create Date, Associated Company (no published file with a citable path); this list uses HubSpot's "
        "property labels as a customised view would.",
    ),
    "salesforce": HeaderSource(False, NOT_CONFIRMED + ": a contact report's columns are chosen by the user."),
    "taxdome": HeaderSource(
        False,
        NOT_CONFIRMED + ": help.taxdome.com/article/1842 describes the import file, not the export's header row.",
    ),
    "drake": HeaderSource(False, NOT_CONFIRMED + ": Drake's client reports let the user pick the columns."),
    "ultratax": HeaderSource(False, NOT_CONFIRMED + ": UltraTax CS client reports let the user pick the columns."),
    "lacerte": HeaderSource(False, NOT_CONFIRMED + ": Lacerte client reports let the user pick the columns."),
}


# What the upload step calls a file whose headers match a known export ("Looks like a QuickBooks
# Online customer list").
SOURCE_DESCRIPTIONS: dict[str, str] = {
    "clientport": "a Clientport export",
    "google-contacts": "a Google Contacts export",
    "outlook": "an Outlook contacts export",
    "quickbooks-online": "a QuickBooks Online customer list",
    "quickbooks-desktop": "a QuickBooks Desktop customer list",
    "quickbooks-iif": "a QuickBooks Desktop customer list (IIF)",
    "xero": "a Xero contacts export",
    "drake": "a Drake Tax client report",
    "ultratax": "an UltraTax CS client report",
    "lacerte": "a Lacerte client report",
    "taxdome": "a TaxDome accounts export",
    "hubspot": "a HubSpot contacts export",
    "salesforce": "a Salesforce contacts report",
    "linkedin": "a LinkedIn connections export",
}
