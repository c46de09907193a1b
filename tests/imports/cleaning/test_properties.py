"""Properties every cleaner keeps on any text: no crash, no control characters, round trips,
and no quadratic blow-up on huge cells."""

import datetime
import time
import unicodedata

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from imports import cleaning
from imports.cleaning import PROBLEM_CODES, clean_postal_code, clean_text, split_list, strip_formula_guard
from imports.problems import Problem


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


# Cells made of one piece repeated, at a normal and a huge length. Patterns with a leading \s*
# or nested repeats once went quadratic here (4 s for one cell): the time per character then
# grows with the length, x25 between these two. A slow or busy machine slows both lengths
# alike, so the bound is on their ratio, not on seconds.
CELL_PATTERNS = {
    "spaces": lambda n: "a" + " " * n + "b",
    "brackets": lambda n: "(a" * (n // 2),
    "digits-and-spaces": lambda n: "1 " * (n // 2),
    "dotted-domain": lambda n: "a@" + "b." * (n // 2),
    "words": lambda n: "John " * (n // 5),
    "commas": lambda n: "Smith, " * (n // 7),
    "quotes": lambda n: '"a' * (n // 2),
    "angle-brackets": lambda n: "<a" * (n // 2),
    "phone-list": lambda n: "312-555-0100 / " * (n // 15),
}
NORMAL_LENGTH, HUGE_LENGTH = 800, 20_000
MAX_SLOWDOWN_PER_CHARACTER = 8  # linear cleaners measure 0.5-1.5 here


def seconds_per_character(cleaner, cell: str) -> float:
    """The best of three measurements, each repeating the call for at least 2 ms."""
    best = float("inf")
    for _ in range(3):
        calls, start = 0, time.perf_counter()
        while True:
            cleaner(cell)
            calls += 1
            elapsed = time.perf_counter() - start
            if elapsed >= 0.002:
                break
        best = min(best, elapsed / calls)
    return best / len(cell)


@pytest.mark.parametrize("make_cell", CELL_PATTERNS.values(), ids=CELL_PATTERNS.keys())
@pytest.mark.parametrize("cleaner", CLEANERS)
def test_huge_cells_cost_no_more_per_character_than_normal_ones(cleaner, make_cell):
    normal = seconds_per_character(cleaner, make_cell(NORMAL_LENGTH))
    huge = seconds_per_character(cleaner, make_cell(HUGE_LENGTH))
    assert huge / normal < MAX_SLOWDOWN_PER_CHARACTER, f"{huge / normal:.1f} times slower per character"


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
