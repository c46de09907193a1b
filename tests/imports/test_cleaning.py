"""Text cleaning, lists, postal codes, the problem-code registry, and no-crash properties."""

import ast
import datetime
import pathlib
import subprocess
import sys
import unicodedata

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from imports import cleaning
from imports.cleaning import PROBLEM_CODES, clean_postal_code, clean_text, split_list, strip_formula_guard
from imports.problems import Problem

CLEANING_DIR = pathlib.Path(cleaning.__file__).parent


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        pytest.param("  Acme Corp  ", "Acme Corp", id="trimmed"),
        pytest.param("", "", id="blank"),
        pytest.param(" \t \r\n ", "", id="only-whitespace"),
        pytest.param("Ac\x00me", "Acme", id="nul-removed"),
        pytest.param("Acme\x07\x1b Corp", "Acme Corp", id="bell-and-escape-removed"),
        pytest.param("A\x85B", "A B", id="c1-next-line-is-a-break"),
        pytest.param("A\x9bB", "AB", id="c1-control-removed"),
        pytest.param("\ufeffAcme", "Acme", id="byte-order-mark-removed"),
        pytest.param("Ac\u200bme", "Acme", id="zero-width-space-removed"),
        pytest.param("Bad \ud800 surrogate", "Bad  surrogate", id="lone-surrogate-removed"),
        pytest.param("12 Main St\r\nApt 4", "12 Main St Apt 4", id="windows-break-becomes-space"),
        pytest.param("12 Main St\nApt 4", "12 Main St Apt 4", id="unix-break-becomes-space"),
        pytest.param("a\tb", "a b", id="tab-becomes-space"),
        pytest.param("  inner   spaces  kept ", "inner   spaces  kept", id="inner-spacing-not-collapsed"),
        pytest.param("Zoë Ünal – Café", "Zoë Ünal – Café", id="unicode-kept"),
        pytest.param("Ｆｕｌｌ", "Ｆｕｌｌ", id="full-width-not-normalised"),
        pytest.param("'=SUM(A1)", "=SUM(A1)", id="formula-guard-equals"),
        pytest.param("'+1 555 0100", "+1 555 0100", id="formula-guard-plus"),
        pytest.param("'-5", "-5", id="formula-guard-minus"),
        pytest.param("'@handle", "@handle", id="formula-guard-at"),
        pytest.param("  '=1+1", "=1+1", id="formula-guard-after-trim"),
        pytest.param("''=1+1", "''=1+1", id="double-apostrophe-is-not-a-guard"),
        pytest.param("'Tis the season", "'Tis the season", id="leading-apostrophe-in-text-kept"),
        pytest.param("O'Brien", "O'Brien", id="inner-apostrophe-kept"),
        pytest.param("'", "'", id="lone-apostrophe-kept"),
        pytest.param("=SUM(A1)", "=SUM(A1)", id="unguarded-formula-left-alone"),
    ],
)
def test_clean_text(raw, expected):
    assert clean_text(raw) == (expected, [])


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        pytest.param("Line 1\r\nLine 2", "Line 1\nLine 2", id="windows"),
        pytest.param("Line 1\rLine 2", "Line 1\nLine 2", id="old-mac"),
        pytest.param("Line 1\nLine 2", "Line 1\nLine 2", id="unix"),
        pytest.param("Line 1\u2028Line 2", "Line 1\nLine 2", id="unicode-line-separator"),
        pytest.param("Line 1\x0bLine 2", "Line 1\nLine 2", id="vertical-tab-from-excel"),
        pytest.param("A\r\n\r\nB", "A\n\nB", id="blank-line-kept"),
        pytest.param("\r\nNote\x00 text\r\n", "Note text", id="outer-breaks-trimmed-nul-removed"),
        pytest.param("col1\tcol2", "col1 col2", id="tab-still-a-space"),
    ],
)
def test_clean_text_keeps_line_breaks_when_allowed(raw, expected):
    assert clean_text(raw, max_length=1000, allow_newlines=True) == (expected, [])


def test_long_text_is_cut_with_a_warning():
    value, problems = clean_text("x" * 300)
    assert value == "x" * 255
    assert [p.code for p in problems] == ["text_truncated"]
    assert "300 characters" in problems[0].message and "255" in problems[0].message


def test_text_exactly_at_the_limit_is_kept():
    assert clean_text("x" * 64, max_length=64) == ("x" * 64, [])


def test_truncation_counts_characters_not_bytes():
    assert clean_text("é" * 10, max_length=10) == ("é" * 10, [])


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        pytest.param("'=cmd", "=cmd", id="equals"),
        pytest.param("'+44", "+44", id="plus"),
        pytest.param("'＝cmd", "＝cmd", id="full-width-equals"),
        pytest.param("'＠SUM(1)", "＠SUM(1)", id="full-width-at"),
        pytest.param("'-", "-", id="minus-alone"),
        pytest.param("'Tis", "'Tis", id="word"),
        pytest.param("'0123", "'0123", id="digit-not-a-formula"),
        pytest.param("", "", id="empty"),
    ],
)
def test_strip_formula_guard(raw, expected):
    assert strip_formula_guard(raw) == expected


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        pytest.param("VIP, 2024; Payroll", ["VIP", "2024", "Payroll"], id="comma-and-semicolon"),
        pytest.param("VIP\r\nPayroll\nBookkeeping", ["VIP", "Payroll", "Bookkeeping"], id="line-breaks"),
        pytest.param("VIP, vip, Vip", ["VIP"], id="case-insensitive-repeats-first-spelling-wins"),
        pytest.param(" , ;VIP;; ,", ["VIP"], id="empties-dropped"),
        pytest.param("Clients ::: * myContacts", ["Clients"], id="google-system-label-dropped"),
        pytest.param(
            "* myContacts ::: * starred ::: Clients ::: Bookkeeping", ["Clients", "Bookkeeping"], id="google-labels"
        ),
        pytest.param("* starred", [], id="only-system-labels"),
        pytest.param("*VIP, VIP *, A * B", ["*VIP", "VIP *", "A * B"], id="other-stars-kept"),
        pytest.param("Tax & Accounting", ["Tax & Accounting"], id="ampersand-is-not-a-separator"),
        pytest.param("Ann Lee <ann@firm.example>", ["Ann Lee <ann@firm.example>"], id="member-with-email"),
        pytest.param("'=evil, ok", ["=evil", "ok"], id="formula-guards-removed"),
        pytest.param("Ärzte, ärzte", ["Ärzte"], id="unicode-casefold"),
        pytest.param("", [], id="blank"),
    ],
)
def test_split_list(raw, expected):
    assert split_list(raw) == expected


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        pytest.param("02134", "02134", id="us-zip-leading-zero"),
        pytest.param("2134", "2134", id="excel-shortened-zip-not-guessed"),
        pytest.param(" 02134-0001 ", "02134-0001", id="zip-plus-four"),
        pytest.param("'02134", "02134", id="apostrophe-that-forced-text"),
        pytest.param("SW1A 1AA", "SW1A 1AA", id="uk-postcode"),
        pytest.param("k1a 0b1", "k1a 0b1", id="canadian-case-kept"),
        pytest.param("00100", "00100", id="italian-leading-zeros"),
        pytest.param("", "", id="blank"),
    ],
)
def test_clean_postal_code(raw, expected):
    assert clean_postal_code(raw) == expected


def test_every_code_a_cleaner_emits_is_documented():
    used = set()
    for path in CLEANING_DIR.glob("*.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.Call) and getattr(node.func, "id", "") == "Problem":
                first = node.args[0] if node.args else None
                if isinstance(first, ast.Constant):
                    used.add(first.value)
    assert used <= set(PROBLEM_CODES)  # the registry also holds the codes of later stages


def test_cleaning_does_not_import_django():
    code = "import sys, imports.cleaning; assert not any(m.startswith('django') for m in sys.modules)"
    subprocess.run([sys.executable, "-c", code], check=True, cwd=CLEANING_DIR.parent.parent)


# --- properties -------------------------------------------------------------------------

ANY_CHARACTER = st.characters(codec=None, exclude_categories=())  # surrogates and controls too
CELL = st.one_of(
    st.text(alphabet=ANY_CHARACTER, max_size=80),
    st.from_regex(r"[ '\"<>@.,;:/()+\-0-9a-zA-Z\n]{0,40}", fullmatch=True),
    st.sampled_from(["", " ", "'", "@", "(", "-", "::: ", "<>", "a@", "@b.c", "1/2/", "00", "+", ".", ",", "'="]),
)


@settings(max_examples=300, deadline=None)
@given(value=CELL, allow_newlines=st.booleans(), max_length=st.integers(0, 100))
def test_clean_text_never_leaves_control_characters(value, allow_newlines, max_length):
    text, problems = clean_text(value, max_length=max_length, allow_newlines=allow_newlines)
    allowed = {"\n"} if allow_newlines else set()
    assert not [ch for ch in text if unicodedata.category(ch) in ("Cc", "Cs") and ch not in allowed]
    assert len(text) <= max_length
    text.encode("utf-8")  # storable
    assert [p.code for p in problems] in ([], ["text_truncated"])


CLEANERS = [
    pytest.param(clean_text, id="clean_text"),
    pytest.param(lambda v: clean_text(v, allow_newlines=True, max_length=5), id="clean_text-notes"),
    pytest.param(strip_formula_guard, id="strip_formula_guard"),
    pytest.param(split_list, id="split_list"),
    pytest.param(clean_postal_code, id="clean_postal_code"),
    pytest.param(cleaning.clean_emails, id="clean_emails"),
    pytest.param(cleaning.clean_phone, id="clean_phone"),
    pytest.param(cleaning.clean_phones, id="clean_phones"),
    pytest.param(lambda v: cleaning.clean_phones(v, default_country="GB"), id="clean_phones-gb"),
    pytest.param(lambda v: cleaning.clean_phone(v, default_country=""), id="clean_phone-no-country"),
    pytest.param(cleaning.split_full_name, id="split_full_name"),
    pytest.param(cleaning.split_couple, id="split_couple"),
    pytest.param(cleaning.looks_like_organisation, id="looks_like_organisation"),
    pytest.param(cleaning.clean_date, id="clean_date"),
    pytest.param(lambda v: cleaning.clean_date(v, date_order="DMY"), id="clean_date-dmy"),
    pytest.param(cleaning.clean_account_type, id="clean_account_type"),
    pytest.param(cleaning.clean_yes_no, id="clean_yes_no"),
    pytest.param(cleaning.clean_number, id="clean_number"),
    pytest.param(cleaning.clean_url, id="clean_url"),
    pytest.param(cleaning.clean_tax_id, id="clean_tax_id"),
    pytest.param(cleaning.mask_tax_id, id="mask_tax_id"),
    *[
        pytest.param(
            (lambda kind: lambda v: cleaning.clean_custom_value(v, field_type=kind, options=["A", "b"]))(kind),
            id=f"clean_custom_value-{kind}",
        )
        for kind in cleaning.FIELD_TYPES
    ],
]


@settings(max_examples=150, deadline=None)
@given(value=CELL)
@pytest.mark.parametrize("cleaner", CLEANERS)
def test_no_cleaner_raises_on_any_text(cleaner, value):
    result = cleaner(value)
    if isinstance(result, tuple):
        _, problems = result
        assert all(isinstance(problem, Problem) and problem.code in PROBLEM_CODES for problem in problems)
        assert all(problem.column == "" for problem in problems)


@settings(max_examples=200, deadline=None)
@given(value=CELL)
def test_returned_emails_are_valid_and_unique(value):
    emails, _ = cleaning.clean_emails(value)
    assert len({email.casefold() for email in emails}) == len(emails)
    for email in emails:
        assert cleaning.clean_emails(email) == ([email], [])


@settings(max_examples=200, deadline=None)
@given(value=CELL)
def test_a_phone_is_e164_or_kept_as_typed(value):
    phone, problems = cleaning.clean_phone(value)
    if problems:
        typed = cleaning.scrub(value)
        assert phone in (typed, typed[1:])
    else:
        assert phone == "" or phone.startswith("+")


@settings(max_examples=300, deadline=None)
@given(day=st.dates(min_value=datetime.date(1000, 1, 1)))
def test_dates_round_trip_in_every_order(day):
    assert cleaning.clean_date(day.isoformat()) == (day, [])
    assert cleaning.clean_date(day.strftime("%m/%d/%Y"), date_order="MDY") == (day, [])
    assert cleaning.clean_date(day.strftime("%d/%m/%Y"), date_order="DMY") == (day, [])
    assert cleaning.clean_date(f"{day.strftime('%B')} {day.day}, {day.year:04d}") == (day, [])


@settings(max_examples=300, deadline=None)
@given(number=st.integers(-(10**15), 10**15))
def test_formatted_integers_round_trip(number):
    assert cleaning.clean_number(f"{number:,}") == (number, [])
    assert cleaning.clean_number(str(number)) == (number, [])


@settings(max_examples=300, deadline=None)
@given(number=st.decimals(min_value=-(10**9), max_value=10**9, places=2))
def test_formatted_amounts_round_trip(number):
    assert cleaning.clean_number(f"{number:,.2f}")[0] == pytest.approx(float(number))
    european = f"{number:,.2f}".replace(",", " ").replace(".", ",")
    assert cleaning.clean_number(european)[0] == pytest.approx(float(number))


HUGE_CELLS = {
    "spaces": "a" + " " * 20000 + "b",
    "brackets": "(a" * 10000,
    "digits-and-spaces": "1 " * 10000,
    "dotted-domain": "a@" + "b." * 10000,
    "words": "John " * 4000,
    "commas": "Smith, " * 3000,
    "quotes": '"a' * 10000,
    "angle-brackets": "<a" * 10000,
    "phone-list": "312-555-0100 / " * 2000,
}


@pytest.mark.parametrize("cell", HUGE_CELLS.values(), ids=HUGE_CELLS.keys())
@pytest.mark.parametrize("cleaner", CLEANERS)
def test_huge_cells_do_not_blow_up(cleaner, cell):
    # Patterns with a leading \s* or nested repeats went quadratic here (4 s for one cell).
    cleaner(cell)


@settings(max_examples=300, deadline=None)
@given(value=CELL)
def test_cleaning_a_cleaned_value_changes_nothing(value):
    # Export, edit, re-import is how firms bulk-update: a stored value must come back unchanged.
    text, _ = clean_text(value, max_length=50)
    assert clean_text(text, max_length=50) == (text, [])
    assert split_list(", ".join(split_list(value))) == split_list(value)
    assert clean_postal_code(clean_postal_code(value)) == clean_postal_code(value)
    phone, problems = cleaning.clean_phone(value)
    again, problems_again = cleaning.clean_phone(phone)
    assert again == phone and bool(problems_again) == bool(problems)
    url, _ = cleaning.clean_url(value)
    assert cleaning.clean_url(url) == (url, [])
    tax_id, _ = cleaning.clean_tax_id(value)
    assert cleaning.clean_tax_id(tax_id)[0] == tax_id
