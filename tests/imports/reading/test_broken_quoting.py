"""An unclosed quote loses one row, never the rest of the file."""

from imports.reading.delimited import MAX_RECORD_CHARS, MAX_RECORD_LINES, UNCLOSED_QUOTE, read_records

from .helpers import read


def test_unclosed_quote_near_the_end_loses_only_its_row(write_file):
    text = 'Name,Email,Note\nAnn,a@x.com,ok\nBob,b@x.com,"never closed\nCarl,c@x.com,fine\nDee,d@x.com,fine\n'
    _, rows, _ = read(write_file(text))
    assert [(row.number, row.error != "") for row in rows] == [(2, False), (3, True), (4, False), (5, False)]
    bad = rows[1]
    assert bad.error == UNCLOSED_QUOTE
    assert bad.cells == ["Bob", "b@x.com", "never closed\n"]  # what that line holds, for the skipped-rows file
    assert rows[2].cells == ["Carl", "c@x.com", "fine"]


def test_unclosed_quote_far_from_the_end_is_recovered(write_file):
    # A stray quote much further down would close the runaway field: without a limit, the
    # MAX_RECORD_LINES rows between would become one cell.
    good = "".join(f"Client {i},c{i}@x.com,ok\n" for i in range(MAX_RECORD_LINES + 500))
    text = 'Name,Email,Note\nBob,b@x.com,"never closed\n' + good + 'Zed,z@x.com,stray" quote\nLast,l@x.com,ok\n'
    _, rows, _ = read(write_file(text))
    assert rows[0].number == 2 and rows[0].error == UNCLOSED_QUOTE
    assert all(row.error == "" for row in rows[1:])
    assert rows[1].number == 3 and rows[1].cells == ["Client 0", "c0@x.com", "ok"]
    assert rows[-1].cells == ["Last", "l@x.com", "ok"]
    assert len(rows) == 1 + MAX_RECORD_LINES + 500 + 2


def test_two_broken_rows_are_both_reported(write_file):
    text = 'Name,Note\nAnn,"open\nBob,ok\nCarl,"open again\nDee,ok\n'
    _, rows, _ = read(write_file(text))
    assert [(row.number, row.cells[0], bool(row.error)) for row in rows] == [
        (2, "Ann", True), (3, "Bob", False), (4, "Carl", True), (5, "Dee", False),
    ]


def test_long_legitimate_multi_line_cell_is_kept(write_file):
    note = "\n".join(f"note line {i}" for i in range(200))
    _, rows, _ = read(write_file(f'Name,Note\nAnn,"{note}"\nBob,short\n'))
    assert [(row.number, row.error) for row in rows] == [(2, ""), (3, "")]
    assert rows[0].cells[1] == note


def test_record_over_the_size_limit_is_an_error_row(write_file):
    huge = "x" * (MAX_RECORD_CHARS + 10)
    _, rows, _ = read(write_file(f"Name,Note\nAnn,{huge}\nBob,ok\n"))
    assert rows[0].number == 2 and "longer than" in rows[0].error
    assert rows[1].cells == ["Bob", "ok"] and rows[1].error == ""


def test_read_records_numbers_every_record_including_blank_ones():
    lines = ["a,b\n", "\n", '"x\n', "y\",z\n", "c,d\n"]
    assert list(read_records(lines, ",")) == [
        (1, ["a", "b"], ""),
        (2, [], ""),
        (3, ["x\ny", "z"], ""),
        (4, ["c", "d"], ""),
    ]
