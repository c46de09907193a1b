"""Email and phone cells."""

import pytest

from imports.cleaning import clean_emails, clean_phone, clean_phones


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        pytest.param("jane@example.com", ["jane@example.com"], id="one"),
        pytest.param("  jane@example.com  ", ["jane@example.com"], id="trimmed"),
        pytest.param("Jane.Roe@Example.COM", ["Jane.Roe@example.com"], id="domain-lowered-local-part-kept"),
        pytest.param("a@x.com, b@y.com", ["a@x.com", "b@y.com"], id="comma"),
        pytest.param("a@x.com;b@y.com", ["a@x.com", "b@y.com"], id="semicolon"),
        pytest.param("a@x.com b@y.com", ["a@x.com", "b@y.com"], id="space"),
        pytest.param("a@x.com\r\nb@y.com", ["a@x.com", "b@y.com"], id="windows-line-break"),
        pytest.param("a@x.com ::: b@y.com ::: c@z.com", ["a@x.com", "b@y.com", "c@z.com"], id="google-triple-colon"),
        pytest.param("Jane Roe <jane@x.com>", ["jane@x.com"], id="display-name"),
        pytest.param('"Roe, Jane" <jane@x.com>, bob@y.com', ["jane@x.com", "bob@y.com"], id="quoted-name-with-comma"),
        pytest.param("Roe, Jane <jane@x.com>; Bob <bob@y.com>", ["jane@x.com", "bob@y.com"], id="unquoted-names"),
        pytest.param("a@b.com, Jane <jane@x.com>", ["a@b.com", "jane@x.com"], id="bare-and-named-mixed"),
        pytest.param('"Jane Roe" jane@x.com', ["jane@x.com"], id="quoted-name-without-brackets"),
        pytest.param("Jane Roe (jane@x.com)", ["jane@x.com"], id="outlook-name-round-brackets"),
        pytest.param("jane@x.com (home)", ["jane@x.com"], id="comment-after"),
        pytest.param("Work: jane@x.com", ["jane@x.com"], id="label-with-colon"),
        pytest.param("Ann Lee ann@x.com", ["ann@x.com"], id="name-without-brackets"),
        pytest.param("ed@x.com home", ["ed@x.com"], id="label-after"),
        pytest.param("jane@x.com Roe", ["jane@x.com"], id="word-after"),
        pytest.param("bob@x.com and jane.roe@x.com", ["bob@x.com", "jane.roe@x.com"], id="and-between"),
        pytest.param("ida@x.com or ida@y.com", ["ida@x.com", "ida@y.com"], id="or-between"),
        pytest.param("email ann@x.com", ["ann@x.com"], id="label-before"),
        pytest.param("jane@x.com <jane@x.com>", ["jane@x.com"], id="address-as-display-name"),
        pytest.param("Jane Roe < jane@x.com >", ["jane@x.com"], id="spaces-inside-brackets"),
        pytest.param("a@x.com b@y.com c@z.com", ["a@x.com", "b@y.com", "c@z.com"], id="three-spaced"),
        pytest.param("a@x.com | b@y.com", ["a@x.com", "b@y.com"], id="pipe"),
        pytest.param("a@x.com\nb@y.com", ["a@x.com", "b@y.com"], id="line-break"),
        pytest.param("a@x.com - b@y.com", ["a@x.com", "b@y.com"], id="dash-between"),
        pytest.param("mailto:a@x.com; mailto:b@y.com", ["a@x.com", "b@y.com"], id="mailto-twice"),
        pytest.param(
            "Jane Roe <jane@x.com> ::: Bob Doe <bob@y.com>", ["jane@x.com", "bob@y.com"], id="google-named"
        ),
        pytest.param("mailto:jane@x.com", ["jane@x.com"], id="mailto"),
        pytest.param("MAILTO:jane@x.com", ["jane@x.com"], id="mailto-upper"),
        pytest.param("<jane@x.com>", ["jane@x.com"], id="brackets-only"),
        pytest.param("jane@x.com.", ["jane@x.com"], id="sentence-full-stop"),
        pytest.param("a@x.com, A@X.COM, a@x.com", ["a@x.com"], id="repeats-ignoring-case"),
        pytest.param("b@y.com, a@x.com", ["b@y.com", "a@x.com"], id="order-kept-first-is-primary"),
        pytest.param("josé@exemple.fr", ["josé@exemple.fr"], id="unicode-local-part"),
        pytest.param("anna@exämple.de", ["anna@exämple.de"], id="international-domain"),
        pytest.param("anna@xn--exmple-cua.de", ["anna@exämple.de"], id="punycode-domain-decoded"),
        pytest.param("first.o'brien+tax@mail.co.uk", ["first.o'brien+tax@mail.co.uk"], id="plus-and-apostrophe"),
        pytest.param("", [], id="blank"),
        pytest.param("n/a", [], id="placeholder-na"),
        pytest.param("None", [], id="placeholder-none"),
        pytest.param(" - ", [], id="placeholder-dash"),
    ],
)
def test_clean_emails_valid(raw, expected):
    assert clean_emails(raw) == (expected, [])


# A space typed inside an address: a word ending or starting with "@", or a lower-case word
# right before the address. Those pieces are reported together and no part of them is taken.
# (raw, addresses kept, entry reported, id)
SPACED = [
    ("delgado landscaping@gmail.com", [], "delgado landscaping@gmail.com", "inside-local-part"),
    ("jane@ gmail.com", [], "jane@ gmail.com", "after-at-sign"),
    ("jane @gmail.com", [], "jane @gmail.com", "before-at-sign"),
    ("a@x.com, delgado landscaping@gmail.com", ["a@x.com"], "delgado landscaping@gmail.com", "second-entry"),
    ("a@x.com delgado landscaping@gmail.com", ["a@x.com"], "delgado landscaping@gmail.com", "spaced-list"),
    ("delgado landscaping@gmail.com; Jane <jane@x.com>", ["jane@x.com"], "delgado landscaping@gmail.com", "named-cell"),
    ("Jane <delgado landscaping@gmail.com>", [], "delgado landscaping@gmail.com", "inside-angle-brackets"),
]


@pytest.mark.parametrize(
    ("raw", "kept", "bad"),
    [
        pytest.param("john@x", [], "john@x", id="no-dot-in-domain"),
        pytest.param("johnsmith", [], "johnsmith", id="no-at-sign"),
        pytest.param("john at gmail dot com", [], "john at gmail dot com", id="spelled-out"),
        pytest.param("a..b@x.com", [], "a..b@x.com", id="two-dots"),
        pytest.param("a@@x.com", [], "a@@x.com", id="two-at-signs"),
        pytest.param("a@b.local", [], "a@b.local", id="special-use-domain"),
        pytest.param("a@x.com, janeatgmail.com", ["a@x.com"], "janeatgmail.com", id="bad-one-dropped-good-kept"),
        pytest.param("bad@, good@y.com", ["good@y.com"], "bad@", id="bad-first-good-becomes-primary"),
        *[pytest.param(raw, kept, bad, id=f"space-{id_}") for raw, kept, bad, id_ in SPACED],
    ],
)
def test_clean_emails_invalid(raw, kept, bad):
    emails, problems = clean_emails(raw)
    assert emails == kept
    assert [p.code for p in problems] == ["invalid_email"]
    assert f'"{bad}" is not a valid email address' in problems[0].message


@pytest.mark.parametrize(("raw", "kept", "bad", "id_"), SPACED, ids=[case[3] for case in SPACED])
def test_a_space_inside_an_address_is_named_as_the_reason(raw, kept, bad, id_):
    _, problems = clean_emails(raw)
    assert f'"{bad}" is not a valid email address (it contains a space' in problems[0].message


def test_each_invalid_email_is_its_own_problem():
    emails, problems = clean_emails("x@, ok@y.com, y@")
    assert emails == ["ok@y.com"]
    assert len(problems) == 2


def test_a_huge_junk_cell_gives_a_short_message():
    _, problems = clean_emails("x" * 5000 + "@")
    assert len(problems[0].message) < 200


@pytest.mark.parametrize(
    ("raw", "country", "expected"),
    [
        pytest.param("312-555-0100", "US", "+13125550100", id="us-dashes"),
        pytest.param("(312) 555-0100", "US", "+13125550100", id="us-brackets"),
        pytest.param("312.555.0100", "US", "+13125550100", id="us-dots"),
        pytest.param("3125550100", "US", "+13125550100", id="us-digits"),
        pytest.param("1 312 555 0100", "US", "+13125550100", id="us-with-1"),
        pytest.param("+1 (312) 555-0100", "US", "+13125550100", id="us-international"),
        pytest.param("312/555-0100", "US", "+13125550100", id="slash-inside-one-number"),
        pytest.param("(312) 555-0100 x12", "US", "+13125550100;ext=12", id="extension-x"),
        pytest.param("312-555-0100 ext. 12", "US", "+13125550100;ext=12", id="extension-ext"),
        pytest.param("+1 312 555 0100;ext=12", "US", "+13125550100;ext=12", id="extension-rfc3966"),
        pytest.param("1-800-FLOWERS", "US", "+18003569377", id="vanity-letters"),
        pytest.param("Mobile: 312-555-0100", "US", "+13125550100", id="label-before"),
        pytest.param("312-555-0100 (cell)", "US", "+13125550100", id="label-after-not-read-as-letters"),
        pytest.param("3125550100.0", "US", "+13125550100", id="spreadsheet-float"),
        pytest.param("'+1 312 555 0100", "US", "+13125550100", id="formula-guard"),
        pytest.param("020 7946 0958", "GB", "+442079460958", id="uk-national-with-default-gb"),
        pytest.param("07911 123456", "GB", "+447911123456", id="uk-mobile"),
        pytest.param("'07911 123456", "GB", "+447911123456", id="uk-apostrophe-forced-text"),
        pytest.param("+44 20 7946 0958", "US", "+442079460958", id="uk-international-for-us-firm"),
        pytest.param("0044 20 7946 0958", "US", "+442079460958", id="double-zero-prefix-for-us-firm"),
        pytest.param("011 44 20 7946 0958", "US", "+442079460958", id="us-exit-code"),
        pytest.param("+49 30 1234567", "US", "+49301234567", id="germany"),
        pytest.param("020 7946 0958", "gb", "+442079460958", id="country-code-lowercase"),
        pytest.param("312-555-0100", "GB", "312-555-0100", id="us-number-for-uk-firm-is-not-guessed"),
    ],
)
def test_clean_phone(raw, country, expected):
    phone, problems = clean_phone(raw, default_country=country)
    assert phone == expected
    assert [p.code for p in problems] == ([] if expected.startswith("+") else ["invalid_phone"])


@pytest.mark.parametrize(
    "raw",
    [
        pytest.param("555-0100", id="no-area-code"),
        pytest.param("123", id="too-short"),
        pytest.param("call after 5", id="words"),
        pytest.param("020 7946 0958", id="uk-number-for-us-firm"),
        pytest.param("+1 312 555 01000", id="one-digit-too-many"),
        pytest.param("000-000-0000", id="zeros"),
    ],
)
def test_clean_phone_keeps_unreadable_numbers_as_typed(raw):
    phone, problems = clean_phone(raw)
    assert phone == raw
    assert [p.code for p in problems] == ["invalid_phone"]
    assert raw in problems[0].message


def test_clean_phone_as_typed_means_cleaned_text():
    assert clean_phone(" 555\x00-0100\t")[0] == "555-0100"


def test_clean_phone_blank():
    assert clean_phone("") == ("", [])
    assert clean_phone("   ") == ("", [])


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        pytest.param("312-555-0100", ["+13125550100"], id="one"),
        pytest.param("312-555-0100 / 312-555-0199", ["+13125550100", "+13125550199"], id="spaced-slash"),
        pytest.param("312-555-0100/312-555-0199", ["+13125550100", "+13125550199"], id="slash"),
        pytest.param("312-555-0100; 312-555-0199", ["+13125550100", "+13125550199"], id="semicolon"),
        pytest.param("312-555-0100, 312-555-0199", ["+13125550100", "+13125550199"], id="comma"),
        pytest.param("312-555-0100\r\n312-555-0199", ["+13125550100", "+13125550199"], id="line-break"),
        pytest.param("312-555-0100 or 312-555-0199", ["+13125550100", "+13125550199"], id="or"),
        pytest.param("312 555 0100 312 555 0199", ["+13125550100", "+13125550199"], id="spaces-only"),
        pytest.param("312/555-0100", ["+13125550100"], id="slash-inside-one-number"),
        pytest.param("(312) 555-0100 x12; 312-555-0199", ["+13125550100;ext=12", "+13125550199"], id="extension"),
        pytest.param("312-555-0100; (312) 555-0100", ["+13125550100"], id="repeat-dropped"),
        # What this cleaner writes reads back as itself (an export re-imported, a contact edited).
        pytest.param("+13125550100;ext=12; +13125550199", ["+13125550100;ext=12", "+13125550199"],
                     id="stored-extension-reads-back"),
        pytest.param(" ; ", [], id="separators-only"),
        pytest.param("", [], id="blank"),
    ],
)
def test_clean_phones(raw, expected):
    assert clean_phones(raw) == (expected, [])


def test_clean_phones_uses_the_default_country():
    assert clean_phones("020 7946 0958 / 07911 123456", default_country="GB") == (
        ["+442079460958", "+447911123456"],
        [],
    )


def test_clean_phones_keeps_a_bad_piece_and_the_good_ones():
    phones, problems = clean_phones("312-555-0100; ask Jane")
    assert phones == ["+13125550100", "ask Jane"]
    assert [p.code for p in problems] == ["invalid_phone"]
    assert '"ask Jane"' in problems[0].message


def test_clean_phones_does_not_split_one_bad_number_into_pieces():
    phones, problems = clean_phones("030 / 1234567")
    assert phones == ["030 / 1234567"]
    assert [p.code for p in problems] == ["invalid_phone"]


@pytest.mark.parametrize(
    ("country", "region"),
    [("New Zealand", "NZ"), ("nz", "NZ"), ("U.S.A.", "US"), ("United  Kingdom", "GB"), ("Deutschland", "DE"),
     ("", None), ("Atlantis", None), ("ZZ", None)],
)
def test_a_country_cell_gives_the_region_its_numbers_are_read_in(country, region):
    from imports.cleaning import region_for_country

    assert region_for_country(country) == region
