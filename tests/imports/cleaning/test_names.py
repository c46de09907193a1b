"""Full names, couples and organisation names."""

import itertools
from dataclasses import astuple

import pytest
from nameparser import HumanName
from nameparser.config import Constants

from imports.cleaning import (
    PersonName,
    looks_like_organisation,
    split_couple,
    split_credentials,
    split_full_name,
    strip_symbols,
)


def name(prefix="", first="", middle="", last="", suffix=""):
    return PersonName(prefix=prefix, first=first, middle=middle, last=last, suffix=suffix)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        pytest.param("John Smith", name(first="John", last="Smith"), id="first-last"),
        pytest.param("John Michael Smith", name(first="John", middle="Michael", last="Smith"), id="with-middle"),
        pytest.param("Smith, John", name(first="John", last="Smith"), id="last-comma-first"),
        pytest.param("Smith, John Michael", name(first="John", middle="Michael", last="Smith"), id="last-first-middle"),
        pytest.param("Smith,John", name(first="John", last="Smith"), id="comma-without-space"),
        pytest.param(
            "Mr. John Q. Public Jr.",
            name(prefix="Mr.", first="John", middle="Q.", last="Public", suffix="Jr."),
            id="title-initial-suffix",
        ),
        pytest.param("JOHN SMITH", name(first="JOHN", last="SMITH"), id="all-caps-not-recased"),
        pytest.param("SMITH, JOHN Q", name(first="JOHN", middle="Q", last="SMITH"), id="all-caps-last-first"),
        pytest.param("john smith", name(first="john", last="smith"), id="lowercase-not-recased"),
        pytest.param("  John   Smith  ", name(first="John", last="Smith"), id="extra-spaces"),
        pytest.param("Smith, John, Jr.", name(first="John", last="Smith", suffix="Jr."), id="last-first-suffix"),
        pytest.param("John Smith III", name(first="John", last="Smith", suffix="III"), id="roman-suffix"),
        pytest.param("Dr. Jane Smith, CPA", name(prefix="Dr.", first="Jane", last="Smith", suffix="CPA"), id="credential"),
        pytest.param("van der Berg, Jan", name(first="Jan", last="van der Berg"), id="particle-last-name"),
        pytest.param("Maria de la Cruz", name(first="Maria", last="de la Cruz"), id="particle-first-last"),
        pytest.param("Mary-Kate O'Neil", name(first="Mary-Kate", last="O'Neil"), id="hyphen-and-apostrophe"),
        pytest.param("José María García", name(first="José", middle="María", last="García"), id="accents"),
        pytest.param("Earl Jones", name(first="Earl", last="Jones"), id="given-name-that-is-a-title-elsewhere"),
        pytest.param("Prince Fielder", name(first="Prince", last="Fielder"), id="prince-is-a-first-name"),
        pytest.param("King Smith", name(first="King", last="Smith"), id="king-is-a-first-name"),
        pytest.param("Dean Smith", name(first="Dean", last="Smith"), id="dean"),
        pytest.param("Madonna", name(first="Madonna"), id="single-word"),
        pytest.param("Dr. Smith", name(prefix="Dr.", last="Smith"), id="title-and-last-name"),
        pytest.param("John (Jack) Smith", name(first="John", last="Smith"), id="nickname-dropped"),
        pytest.param("John & Jane Smith", name(first="John", last="Smith"), id="couple-first-person"),
        pytest.param("Smith, John and Jane", name(first="John", last="Smith"), id="couple-last-first-first-person"),
        pytest.param("'=John Smith", name(first="=John", last="Smith"), id="formula-guard-removed"),
        pytest.param("", name(), id="blank"),
        pytest.param("   ", name(), id="spaces"),
    ],
)
def test_split_full_name(raw, expected):
    assert split_full_name(raw) == expected


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        pytest.param(
            "John & Jane Smith",
            [name(first="John", last="Smith"), name(first="Jane", last="Smith")],
            id="ampersand",
        ),
        pytest.param(
            "John and Jane Smith",
            [name(first="John", last="Smith"), name(first="Jane", last="Smith")],
            id="and",
        ),
        pytest.param(
            "JOHN AND JANE SMITH",
            [name(first="JOHN", last="SMITH"), name(first="JANE", last="SMITH")],
            id="all-caps",
        ),
        pytest.param(
            "Smith, John and Jane",
            [name(first="John", last="Smith"), name(first="Jane", last="Smith")],
            id="last-first-and-first",
        ),
        pytest.param(
            "Smith, John & Jane",
            [name(first="John", last="Smith"), name(first="Jane", last="Smith")],
            id="last-first-ampersand-first",
        ),
        pytest.param(
            "Smith, John Q. and Jane R.",
            [name(first="John", middle="Q.", last="Smith"), name(first="Jane", middle="R.", last="Smith")],
            id="last-first-with-initials",
        ),
        pytest.param(
            "John Q. and Jane R. Smith",
            [name(first="John", middle="Q.", last="Smith"), name(first="Jane", middle="R.", last="Smith")],
            id="initials-before-shared-last-name",
        ),
        pytest.param(
            "John Smith and Jane Doe",
            [name(first="John", last="Smith"), name(first="Jane", last="Doe")],
            id="two-last-names",
        ),
        pytest.param(
            "Smith, John and Doe, Jane",
            [name(first="John", last="Smith"), name(first="Jane", last="Doe")],
            id="two-last-first",
        ),
        pytest.param(
            "John Smith, Jr. and Jane Smith",
            [name(first="John", last="Smith", suffix="Jr."), name(first="Jane", last="Smith")],
            id="suffix-before-and",
        ),
        pytest.param(
            "Mr. and Mrs. John Smith",
            [name(prefix="Mr.", first="John", last="Smith"), name(prefix="Mrs.", last="Smith")],
            id="mr-and-mrs-john",
        ),
        pytest.param(
            "Mr. & Mrs. Smith",
            [name(prefix="Mr.", last="Smith"), name(prefix="Mrs.", last="Smith")],
            id="mr-and-mrs",
        ),
        pytest.param(
            "Dr. John and Jane Smith",
            [name(prefix="Dr.", first="John", last="Smith"), name(first="Jane", last="Smith")],
            id="title-on-first-person",
        ),
        pytest.param("John and Jane", [name(first="John"), name(first="Jane")], id="no-last-name"),
        pytest.param(
            "Smith, John And Jane",
            [name(first="John", last="Smith"), name(first="Jane", last="Smith")],
            id="capitalised-and",
        ),
        pytest.param(
            "SMITH, JOHN AND JANE",
            [name(first="JOHN", last="SMITH"), name(first="JANE", last="SMITH")],
            id="all-caps-last-first-and",
        ),
        pytest.param(
            "Smith, John, and Jane",
            [name(first="John", last="Smith"), name(first="Jane", last="Smith")],
            id="comma-before-and",
        ),
        pytest.param(
            "John, and Jane Smith",
            [name(first="John", last="Smith"), name(first="Jane", last="Smith")],
            id="comma-before-and-shared-last-name",
        ),
        pytest.param(
            "Smith, John, & Jane",
            [name(first="John", last="Smith"), name(first="Jane", last="Smith")],
            id="comma-before-ampersand",
        ),
        pytest.param(
            "Smith, John, Jr. and Jane",
            [name(first="John", last="Smith", suffix="Jr."), name(first="Jane", last="Smith")],
            id="last-first-suffix-and",
        ),
        pytest.param(
            "De La Cruz, José and Ana",
            [name(first="José", last="De La Cruz"), name(first="Ana", last="De La Cruz")],
            id="particle-last-name-and",
        ),
        pytest.param(
            "Anderson, Andy and Sandy",
            [name(first="Andy", last="Anderson"), name(first="Sandy", last="Anderson")],
            id="and-inside-names-is-not-a-separator",
        ),
        pytest.param(
            "Andy and Sandy Anderson",
            [name(first="Andy", last="Anderson"), name(first="Sandy", last="Anderson")],
            id="and-inside-names-shared-last-name",
        ),
        pytest.param("Mary Anderson", [name(first="Mary", last="Anderson")], id="anderson-is-one-person"),
        pytest.param("Anderson, Mary", [name(first="Mary", last="Anderson")], id="anderson-last-first"),
        pytest.param("Sandy Andrews", [name(first="Sandy", last="Andrews")], id="and-as-substring"),
        pytest.param("Brandon Sandoval", [name(first="Brandon", last="Sandoval")], id="and-inside-words"),
        pytest.param("John andJane Smith", [name(first="John", middle="andJane", last="Smith")], id="and-needs-spaces"),
        pytest.param("Smith and Sons", [name(first="Smith and Sons")], id="and-business-not-a-couple"),
        pytest.param(
            "Andersen and Andrews LLP", [name(first="Andersen and Andrews", last="LLP")], id="and-firm-not-a-couple"
        ),
        pytest.param("John + Jane Smith", [name(first="John", last="Smith"), name(first="Jane", last="Smith")], id="plus"),
        pytest.param("AT&T", [name(first="AT&T")], id="ampersand-without-spaces-is-not-a-couple"),
        pytest.param("John Smith", [name(first="John", last="Smith")], id="one-person"),
        pytest.param("Smith & Sons Inc.", [name(first="Smith & Sons", last="Inc.")], id="organisation-not-a-couple"),
        pytest.param("", [], id="blank"),
    ],
)
def test_split_couple(raw, expected):
    assert split_couple(raw) == expected


@pytest.mark.parametrize(
    "raw",
    [
        "John & Jane Smith", "Smith, John & Jane", "Smith, John Q. & Jane R.", "John Smith & Jane Doe",
        "Smith, John & Doe, Jane", "John Smith, Jr. & Jane Smith", "Mr. & Mrs. John Smith", "Mr. & Mrs. Smith",
        "Dr. John & Jane Smith", "John & Jane", "SMITH, JOHN & JANE", "Smith, John, & Jane", "Anderson, Andy & Sandy",
        "Smith & Sons", "Smith & Sons Inc.",
    ],
)
def test_and_splits_a_couple_exactly_as_ampersand_does(raw):
    # Organisations stay one name with their own "&" or "and" in it.
    assert split_couple(raw.replace("&", "and")) == [
        PersonName(*(part.replace("&", "and") for part in astuple(person))) for person in split_couple(raw)
    ]


GIVEN_NAMES_NOT_TITLES = ("king", "queen", "prince", "princess", "baron", "bishop", "judge", "royal", "deacon")
NAMEPARSER = Constants()
NAMEPARSER.titles.discard(*GIVEN_NAMES_NOT_TITLES)
NAMEPARSER.first_name_titles.discard(*GIVEN_NAMES_NOT_TITLES)

FIRSTS = [
    "John", "Mary", "JOSÉ", "Ann", "Q.", "J", "Mary-Kate", "D'Angelo", "Wei", "Olu", "Zoë", "Earl", "Dean", "Bo", "Am",
    "Van", "Mac", "Sir", "Ace", "V.", "I.", "Mr.", "Dr", "St.",
]
LASTS = [
    "Smith", "GARCÍA", "O'Brien", "O’Neil", "Smith-Jones", "d'Arcy", "al-Hassan", "Lee", "Nguyen", "Jr", "Jr.", "Ii",
    "Ba", "Do", "Van", "De", "Md", "Esq", "Dean", "B.", "III",
]


@pytest.mark.parametrize(
    "raw",
    [f"{a} {b}" for a, b in itertools.product(FIRSTS, LASTS)]
    + [f"{a} {b} {c}" for a, b, c in itertools.product(FIRSTS[:6], FIRSTS[6:], LASTS[:5])]
    + [f"{b}, {a}" for a, b in itertools.product(FIRSTS, LASTS)],
)
def test_plain_names_split_as_nameparser_splits_them(raw):
    # The reference: nameparser, with the titles that are also given names ("Prince Fielder")
    # read as given names, as docs/import-rules.md says of full names.
    parsed = HumanName(raw, constants=NAMEPARSER)
    assert split_full_name(raw) == name(parsed.title, parsed.first, parsed.middle, parsed.last, parsed.suffix)


@pytest.mark.parametrize(
    "raw",
    [
        "Acme LLC", "Acme, L.L.C.", "Smith & Sons Inc.", "Smith & Sons", "Johnson Family Trust",
        "Bright Dental PC", "Bright Dental P.C.", "XYZ Corp", "XYZ Corp.", "ABC Ltd", "Gates Foundation",
        "Foundation", "Partners", "LLP", "PLLC", "Co.", "Smith & Co.", "Estate of John Smith",
        "Smith Holdings", "Law Offices of Jane Doe", "ACME INC", "Müller GmbH", "Smith Consulting Group",
        "First National Bank", "Oak Street Properties", "Lee Brothers Construction", "Doe Medical Clinic",
        "Acme Incorporated", "Green Valley Farms", "Smith Revocable Trust", "Jones Family Limited Partnership",
    ],
)
def test_organisation_names(raw):
    assert looks_like_organisation(raw)


@pytest.mark.parametrize(
    "raw",
    [
        "John Smith", "Smith, John", "JOHN SMITH", "John & Jane Smith", "Smith, John and Jane",
        "Mr. John Q. Public Jr.", "Dr. Jane Smith, CPA", "The Smith Family", "Coco Chanel", "Incognito Jones",
        "Dean Corpuz", "Maria Estrella", "Trustin Lee", "", "   ",
    ],
)
def test_person_names(raw):
    assert not looks_like_organisation(raw)


@pytest.mark.parametrize(
    ("last_name", "expected"),
    [
        ("Patel CPA", ("Patel", "CPA")),
        ("Garcia, DDS", ("Garcia", "DDS")),
        ("Garcia, DDS, PhD", ("Garcia", "DDS, PhD")),
        ("O'Neil Jr.", ("O'Neil", "Jr.")),
        ("Smith EA CFP", ("Smith", "EA CFP")),
        ("Do", ("Do", "")),  # a family name that is also a credential
        ("Van Do", ("Van Do", "")),  # not in capitals: part of the name
        ("Ra", ("Ra", "")),
        ("CPA", ("CPA", "")),  # nothing would be left
        ("Smith, Acme Corp", ("Smith, Acme Corp", "")),
    ],
)
def test_credentials_after_a_family_name_are_split_off(last_name, expected):
    assert split_credentials(last_name) == expected


@pytest.mark.parametrize(("name", "expected"), [("Walsh 🏠", "Walsh"), ("José", "José"), ("🌟 Ann ✨", "Ann"),
                                                 ("Nguyễn", "Nguyễn"), ("李", "李"), ("O´Brien", "O´Brien"),
                                                 ("D`Angelo", "D`Angelo"), ("Lee 👍🏽", "Lee"),
                                                 ("Ann ❤️ Lee", "Ann Lee")])
def test_emoji_are_not_part_of_a_name(name, expected):
    assert strip_symbols(name) == expected
