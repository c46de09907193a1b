"""CSV/TSV: delimiters, line endings, quoting, blank lines; cells are never converted."""

import csv
import io

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from imports.reading import UnreadableFile

from .helpers import cells, read


@pytest.mark.parametrize(
    ("text", "delimiter"),
    [
        pytest.param("Name,City,Zip\nAnn,Paris,02134\nBob,Lyon,12345\n", ",", id="comma"),
        pytest.param("Name;City;Zip\nAnn;Paris;02134\nBob;Lyon;12345\n", ";", id="semicolon"),
        pytest.param("Name\tCity\tZip\nAnn\tParis\t02134\nBob\tLyon\t12345\n", "\t", id="tab"),
        pytest.param("Name|City|Zip\nAnn|Paris|02134\nBob|Lyon|12345\n", "|", id="pipe"),
    ],
)
def test_delimiter_is_detected(write_file, text, delimiter):
    info, rows, _ = read(write_file(text))
    assert info.format == "csv"
    assert info.delimiter == info.detected["delimiter"] == delimiter
    assert info.detected == {"encoding": "utf-8", "delimiter": delimiter, "header_row": 1, "sheet": None}
    assert info.headers == ["Name", "City", "Zip"]
    assert cells(rows) == [["Ann", "Paris", "02134"], ["Bob", "Lyon", "12345"]]


def test_semicolon_file_is_detected_despite_decimal_commas(write_file):
    text = "Name;Balance;Rate\nAnn;1234,50;0,5\nBob;99,95;1,25\nCarl;0,00;2,5\n"
    info, rows, _ = read(write_file(text))
    assert info.delimiter == ";"
    assert rows[0].cells == ["Ann", "1234,50", "0,5"]  # never converted


def test_tab_file_with_commas_in_cells_is_tab_separated(write_file):
    info, rows, _ = read(write_file("Name\tAddress\nAnn\t1 Main St, Boston, MA\nBob\t2 High St, Austin, TX\n"))
    assert info.delimiter == "\t"
    assert rows[0].cells == ["Ann", "1 Main St, Boston, MA"]


def test_one_column_email_list_is_not_split_on_at_sign(write_file):
    text = "Email\nann@example.com\nbob.smith@example.org\ncarl+tax@firm.example\n"
    info, rows, _ = read(write_file(text))
    assert info.delimiter == ","
    assert info.headers == ["Email"]
    assert cells(rows) == [["ann@example.com"], ["bob.smith@example.org"], ["carl+tax@firm.example"]]


def test_one_column_tsv_reports_a_tab(write_file):
    info, _, _ = read(write_file("Email\nann@example.com\n", name="list.tsv"), name="list.tsv")
    assert info.delimiter == "\t"


def test_excel_sep_line_names_the_delimiter(write_file):
    info, rows, _ = read(write_file("sep=;\r\nName;Email;Phone\r\nAnn;a@x.com;555\r\n"))
    assert info.delimiter == ";"
    assert info.header_row == 2 and info.headers == ["Name", "Email", "Phone"]
    assert cells(rows) == [["Ann", "a@x.com", "555"]]


def test_explicit_delimiter_overrides_guess(write_file):
    info, rows, _ = read(write_file("Name,City;Zip\nAnn,Paris;02134\n"), delimiter=";")
    assert info.delimiter == ";"
    assert info.detected["delimiter"] == ","
    assert info.headers == ["Name,City", "Zip"]
    assert rows[0].cells == ["Ann,Paris", "02134"]


def test_unusable_explicit_delimiter_is_refused(write_file):
    with pytest.raises(UnreadableFile, match=r"^The delimiter 'ab' cannot be used; choose one character such as , ; \| or tab\.$"):
        read(write_file("Name\nAnn\n"), delimiter="ab")


@pytest.mark.parametrize("newline", ["\r\n", "\n", "\r"], ids=["crlf", "lf", "cr-only"])
def test_line_endings_give_the_same_rows(write_file, newline):
    text = newline.join(["Name,Email", "Ann,ann@x.com", "Bob,bob@x.com", ""])
    info, rows, _ = read(write_file(text))
    assert info.headers == ["Name", "Email"]
    assert [(row.number, row.cells) for row in rows] == [(2, ["Ann", "ann@x.com"]), (3, ["Bob", "bob@x.com"])]


def test_last_line_without_newline_is_read(write_file):
    _, rows, _ = read(write_file("Name,Email\nAnn,ann@x.com"))
    assert cells(rows) == [["Ann", "ann@x.com"]]


def test_quoted_fields_keep_delimiters_quotes_and_newlines(write_file):
    text = (
        'Name,Address,Note\r\n'
        '"Smith, John","1 Main St\r\nApt 4","He said ""hi"""\r\n'
        'Ann,"",""""\r\n'
    )
    _, rows, _ = read(write_file(text))
    assert cells(rows) == [["Smith, John", "1 Main St\r\nApt 4", 'He said "hi"'], ["Ann", "", '"']]


def test_cells_are_never_trimmed_or_converted(write_file):
    _, rows, _ = read(write_file("Zip,Phone,Amount,Name\n02134,3125550100,1.50,  Ann  \n"))
    assert rows[0].cells == ["02134", "3125550100", "1.50", "  Ann  "]


def test_quote_inside_unquoted_field_is_kept(write_file):
    _, rows, _ = read(write_file('Name,Size\nBob "Bobby" Lee,5" pipe\n'))
    assert rows[0].cells == ['Bob "Bobby" Lee', '5" pipe']


def test_blank_lines_are_skipped_but_counted(write_file):
    text = "Name,Email\n\nAnn,a@x.com\n,\n   ,  \n\nBob,b@x.com\n\n"
    _, rows, _ = read(write_file(text))
    assert [(row.number, row.cells) for row in rows] == [(3, ["Ann", "a@x.com"]), (7, ["Bob", "b@x.com"])]


def test_short_rows_are_padded_and_long_rows_keep_their_extra_cells(write_file):
    # The extra cell sits below the 1,000 rows used to size the table, so it is not a column.
    text = "Name,Email,Phone\nAnn\n" + "Carl,c@x.com,1\n" * 1200 + "Bob,b@x.com,555,,overflow,\n"
    info, rows, _ = read(write_file(text))
    assert info.headers == ["Name", "Email", "Phone"]
    assert rows[0].cells == ["Ann", "", ""] and rows[0].extra == []
    assert rows[-1].cells == ["Bob", "b@x.com", "555"]
    assert rows[-1].extra == ["overflow"]


def test_nul_characters_do_not_stop_the_file(write_file):
    _, rows, _ = read(write_file(b"Name,Email\nAnn\x00,a@x.com\nBob,b@x.com\n" + b"Carl,c@x.com\n" * 5000))
    assert rows[0].cells == ["Ann\x00", "a@x.com"]
    assert len(rows) == 5002


CELL_TEXT = st.text(alphabet=st.sampled_from('ab Z9,;"\'\t\r\n|\u2028é€ '), max_size=12)


@settings(max_examples=150, deadline=None)
@given(st.lists(st.lists(CELL_TEXT, min_size=0, max_size=6), min_size=1, max_size=15))
def test_every_non_empty_cell_written_by_csv_writer_is_read_back(table):
    """Whatever the quoting, each row comes back with the same non-empty cells in order."""
    buffer = io.StringIO()
    csv.writer(buffer).writerows([["Name", "Email", "Phone"], *table])
    data = io.BytesIO(buffer.getvalue().encode("utf-8"))
    info, rows, _ = read(data, delimiter=",", header_row=1, keep_footer=True)
    expected = [[c for c in row if c.strip()] for row in table]
    expected = [row for row in expected if row]
    assert [[c for c in row.cells + row.extra if c.strip()] for row in rows] == expected
    assert all(len(row.cells) == len(info.headers) and not row.error for row in rows)
