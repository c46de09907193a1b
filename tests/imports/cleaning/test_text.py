"""Text cells, lists, postal codes and the formula guard (imports/cleaning/text.py); the package
stays free of Django and its problems use registered codes."""

import ast
import pathlib
import subprocess
import sys

import pytest

from imports import cleaning
from imports.cleaning import PROBLEM_CODES, clean_postal_code, clean_text, split_list, strip_formula_guard

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
