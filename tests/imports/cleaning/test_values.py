"""Account types, yes/no, numbers, web addresses and SSN/TIN (imports/cleaning/values.py)."""

import pytest

from imports.cleaning import (
    looks_like_tax_id,
    clean_account_type,
    clean_number,
    clean_tax_id,
    clean_url,
    clean_yes_no,
    mask_tax_id,
)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        *[
            pytest.param(raw, "individual", id=f"individual-{raw}")
            for raw in [
                "Individual", "individual", "INDIVIDUAL", " Individual ", "Person", "Personal", "1040",
                "Form 1040", "1040-SR", "Family", "Household", "Human", "Client-Individual", "Individual Client",
                "Individual/Sole proprietor", "Sole Proprietor", "Sole prop.", "Self-employed", "Schedule C",
                "MFJ", "Married", "Consumer", "Indiv.",
            ]
        ],
        *[
            pytest.param(raw, "company", id=f"company-{raw}")
            for raw in [
                "Company", "Business", "Business client", "Corporation", "Corp", "Corp.", "Inc", "Inc.", "LLC",
                "L.L.C.", "LLP", "PLLC", "Partnership", "S Corp", "S-Corp", "S Corporation", "C Corp",
                "C-Corporation", "1120", "1120S", "1120-S", "Form 1120-S", "1065", "Organisation",
                "Organization", "Entity", "Employer", "Ltd", "GmbH", "SMLLC", "S Corp (1120S)", "P.A.", "P.C.",
                "Single-member LLC", "Multi-member LLC",
            ]
        ],
        *[
            pytest.param(raw, "other", id=f"other-{raw}")
            for raw in [
                "Other", "other", "OTHER", "Trust", "Estate", "Estates & Trusts", "1041", "990", "990-EZ",
                "Nonprofit", "Non-profit", "Not-for-profit", "501(c)(3)", "Charity", "Tax-exempt",
                "Foundation", "Government", "Misc.",
            ]
        ],
    ],
)
def test_account_type_synonyms(raw, expected):
    assert clean_account_type(raw) == (expected, [])


@pytest.mark.parametrize(
    "raw",
    [
        pytest.param("Prospect", id="unknown-word"),
        pytest.param("Individual or Business", id="two-kinds"),
        pytest.param("Client", id="noise-only"),
        pytest.param("???", id="punctuation-only"),
        pytest.param("I", id="single-letter-not-guessed"),
    ],
)
def test_unknown_account_type_becomes_other_with_a_warning(raw):
    value, problems = clean_account_type(raw)
    assert value == "other"
    assert [p.code for p in problems] == ["unknown_account_type"]
    assert raw in problems[0].message and "Other" in problems[0].message


@pytest.mark.parametrize("raw", ["", "  ", "\t"])
def test_blank_account_type_is_not_decided(raw):
    assert clean_account_type(raw) == (None, [])


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        *[pytest.param(raw, True, id=f"yes-{raw}") for raw in
          ["yes", "Yes", "YES", "y", "Y", "true", "TRUE", "t", "1", "1.0", "x", "X", "on", "checked", "✓", "Yes.", "Sí"]],
        *[pytest.param(raw, False, id=f"no-{raw}") for raw in
          ["no", "No", "NO", "n", "false", "FALSE", "f", "0", "0.0", "off", "unchecked", "No!"]],
        *[pytest.param(raw, None, id=f"empty-{raw}") for raw in ["", "  ", "n/a", "N/A", "-"]],
    ],
)
def test_clean_yes_no(raw, expected):
    assert clean_yes_no(raw) == (expected, [])


@pytest.mark.parametrize("raw", ["maybe", "2", "yes please", "nope?"])
def test_clean_yes_no_unknown(raw):
    value, problems = clean_yes_no(raw)
    assert value is None
    assert [p.code for p in problems] == ["invalid_yes_no"]
    assert raw in problems[0].message


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        pytest.param("42", 42, id="integer"),
        pytest.param("0012", 12, id="leading-zeros"),
        pytest.param("-7", -7, id="negative"),
        pytest.param("+7", 7, id="explicit-plus"),
        pytest.param("−7", -7, id="unicode-minus"),
        pytest.param("7-", -7, id="trailing-minus"),
        pytest.param("(12.5)", -12.5, id="accounting-negative"),
        pytest.param("($1,234.00)", -1234.0, id="accounting-negative-currency"),
        pytest.param("1,234.50", 1234.5, id="us-thousands-and-decimal"),
        pytest.param("1,234", 1234, id="comma-three-digits-is-thousands"),
        pytest.param("1,234,567", 1234567, id="several-thousands-commas"),
        pytest.param("$1,234", 1234, id="dollar"),
        pytest.param("€ 1.234,56", 1234.56, id="euro-european"),
        pytest.param("1.234,50", 1234.5, id="european-decimal-comma"),
        pytest.param("1 234,5", 1234.5, id="space-thousands-decimal-comma"),
        pytest.param("1\u00a0234", 1234, id="no-break-space-thousands"),
        pytest.param("1'234.50", 1234.5, id="swiss-apostrophe"),
        pytest.param("12,5", 12.5, id="decimal-comma"),
        pytest.param("0,125", 0.125, id="zero-comma-is-decimal"),
        pytest.param("1.234", 1.234, id="single-dot-is-decimal"),
        pytest.param("1.234.567", 1234567, id="dot-thousands"),
        pytest.param("12%", 12, id="percent-kept-as-written"),
        pytest.param("12.00", 12.0, id="decimal-zeros-give-float"),
        pytest.param(".5", 0.5, id="leading-dot"),
        pytest.param("1.5e3", 1500.0, id="scientific"),
        pytest.param("USD 100", 100, id="currency-code"),
        pytest.param("'-5", -5, id="formula-guard"),
    ],
)
def test_clean_number(raw, expected):
    value, problems = clean_number(raw)
    assert (value, type(value), problems) == (expected, type(expected), [])


@pytest.mark.parametrize(
    "raw",
    ["abc", "12abc", "1,23,456", "1,2,3", "1.2.3,4,5", "(-5)", "-", "()", "%", "1e999", "١٢", "twelve", "1/2"],
)
def test_clean_number_invalid(raw):
    value, problems = clean_number(raw)
    assert value is None
    assert [p.code for p in problems] == ["invalid_number"]


def test_clean_number_refuses_absurdly_long_digits():
    assert clean_number("9" * 5000)[1][0].code == "invalid_number"


def test_clean_number_blank():
    assert clean_number("  ") == (None, [])


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        pytest.param("https://example.com", "https://example.com", id="https"),
        pytest.param("http://example.com/about?x=1#top", "http://example.com/about?x=1#top", id="http-path-query"),
        pytest.param("HTTPS://Example.com", "https://Example.com", id="scheme-lowered"),
        pytest.param("www.example.com", "https://www.example.com", id="www-gets-https"),
        pytest.param("example.com/about", "https://example.com/about", id="domain-with-path"),
        pytest.param("//example.com", "https://example.com", id="protocol-relative"),
        pytest.param("example.co.uk", "https://example.co.uk", id="second-level"),
        pytest.param("example.com:8080", "https://example.com:8080", id="port"),
        pytest.param("münchen.de", "https://münchen.de", id="international-domain"),
        pytest.param("http://192.168.1.10/admin", "http://192.168.1.10/admin", id="ip-address"),
        pytest.param("", "", id="blank"),
    ],
)
def test_clean_url(raw, expected):
    assert clean_url(raw) == (expected, [])


@pytest.mark.parametrize(
    "raw",
    [
        "not a url", "javascript:alert(1)", "ftp://example.com", "mailto:jane@example.com", "jane@example.com",
        "localhost", "example", "http://", "https://exa mple.com", "example.com:abc", "-bad-.com", "example.123",
    ],
)
def test_clean_url_invalid_is_dropped(raw):
    value, problems = clean_url(raw)
    assert value == ""
    assert [p.code for p in problems] == ["invalid_url"]


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        pytest.param("123-45-6789", "123-45-6789", id="ssn"),
        pytest.param("012-34-5678", "012-34-5678", id="ssn-leading-zero"),
        pytest.param("001234567", "001234567", id="digits-leading-zeros"),
        pytest.param("'001234567", "001234567", id="apostrophe-that-forced-text"),
        pytest.param("12-3456789", "12-3456789", id="ein"),
        pytest.param("912-70-1234", "912-70-1234", id="itin"),
        pytest.param(" 123 45 6789 ", "123 45 6789", id="spaces-kept-trimmed"),
        pytest.param("", "", id="blank"),
    ],
)
def test_clean_tax_id(raw, expected):
    assert clean_tax_id(raw) == (expected, [])


@pytest.mark.parametrize(
    ("raw", "kept", "reason"),
    [
        pytest.param("12345678", "12345678", "8 digits", id="leading-zero-lost"),
        pytest.param("1234567890", "1234567890", "10 digits", id="too-long"),
        pytest.param("ABC-DE-6789", "ABC-DE-6789", "letters", id="letters"),
        pytest.param("XXX-XX-6789", "XXX-XX-6789", "masked", id="masked-export"),
        pytest.param("***-**-6789", "***-**-6789", "masked", id="masked-stars"),
        pytest.param("000-00-0000", "000-00-0000", "all zeros", id="zeros"),
        pytest.param("123-45-6789 and 987-65-4321", "", "letters", id="too-long-to-store"),
    ],
)
def test_clean_tax_id_problems_never_show_the_number(raw, kept, reason):
    value, problems = clean_tax_id(raw)
    assert value == kept
    assert [p.code for p in problems] == ["invalid_tax_id"]
    problem = problems[0]
    assert reason in problem.message
    digits = "".join(ch for ch in raw if ch.isdigit())
    if len(digits) > 4:
        assert digits[:-4] not in problem.message.replace(" ", "")
        assert digits[:5] not in problem.value
    assert problem.value == mask_tax_id(raw)


def test_tax_id_message_shows_only_the_last_four():
    _, problems = clean_tax_id("12345678")
    assert "ending in 5678" in problems[0].message
    assert "1234" not in problems[0].message
    assert problems[0].value == "•••-••-5678"


@pytest.mark.parametrize(
    ("raw", "expected"),
    [("123-45-6789", "•••-••-6789"), ("1234", "••••"), ("", ""), ("XX-123", "•••-••-X123")],
)
def test_mask_tax_id(raw, expected):
    assert mask_tax_id(raw) == expected



@pytest.mark.parametrize(
    ("value", "expected"),
    [
        pytest.param("123-45-6789", True, id="ssn"),
        pytest.param("123 45 6789", True, id="ssn-spaces"),
        pytest.param(" '912-70-1234 ", True, id="itin-forced-text"),
        pytest.param("12-3456789", True, id="ein"),
        pytest.param("123456789", False, id="bare-digits-like-zip-plus-4"),
        pytest.param("123-45 6789", False, id="mixed-separators"),
        pytest.param("02134-1234", False, id="zip-plus-4"),
        pytest.param("(312) 555-0100", False, id="phone"),
        pytest.param("", False, id="blank"),
    ],
)
def test_tax_id_shapes_are_recognised(value, expected):
    assert looks_like_tax_id(value) is expected
