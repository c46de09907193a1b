"""Phone cells: E.164 in the person's country, extensions kept, several in one cell."""

import pytest

from imports.cleaning import clean_phone, clean_phones


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
