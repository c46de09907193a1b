"""Encodings: BOMs, strict UTF-8 over the whole file, Windows-1252, UTF-16, explicit choices."""

import codecs

import pytest

from imports.reading import UnreadableFile

from .helpers import cells, read

WESTERN = "Name,City,Note\r\nJosé Müller,Zürich,crème brûlée\r\nZoë O’Brien,Köln,“VIP” – 5 €\r\n"
WESTERN_ROWS = [["José Müller", "Zürich", "crème brûlée"], ["Zoë O’Brien", "Köln", "“VIP” – 5 €"]]


@pytest.mark.parametrize(
    ("data", "encoding", "delimiter"),
    [
        pytest.param(WESTERN.encode("utf-8"), "utf-8", ",", id="utf-8"),
        pytest.param(codecs.BOM_UTF8 + WESTERN.encode("utf-8"), "utf-8-sig", ",", id="utf-8-bom"),
        pytest.param(WESTERN.encode("cp1252"), "cp1252", ",", id="windows-1252"),
        pytest.param(
            codecs.BOM_UTF16_LE + WESTERN.replace(",", "\t").encode("utf-16-le"), "utf-16", "\t", id="utf-16-le-bom"
        ),
        pytest.param(
            codecs.BOM_UTF16_BE + WESTERN.replace(",", "\t").encode("utf-16-be"), "utf-16", "\t", id="utf-16-be-bom"
        ),
        pytest.param(WESTERN.replace(",", "\t").encode("utf-16-le"), "utf-16-le", "\t", id="utf-16-le-no-bom"),
    ],
)
def test_common_encodings_are_detected_and_decoded(write_file, data, encoding, delimiter):
    info, rows, _ = read(write_file(data))
    assert (info.encoding, info.delimiter) == (encoding, delimiter)
    assert info.detected["encoding"] == encoding
    assert info.headers == ["Name", "City", "Note"]  # no BOM left in the first header
    assert cells(rows) == WESTERN_ROWS


def test_latin1_file_is_read_as_windows_1252(write_file):
    # Latin-1 and Windows-1252 agree on every letter; 1252 also has €, “ ” and ’ where Latin-1
    # has unused control codes, so 1252 is the right reading of both.
    data = "Name,City\nÑúñez Peña,León\nFrançois ÿ,Ærø\n".encode("latin-1")
    info, rows, _ = read(write_file(data))
    assert info.encoding == "cp1252"
    assert cells(rows) == [["Ñúñez Peña", "León"], ["François ÿ", "Ærø"]]


def test_cp1252_byte_near_end_is_decoded(write_file):
    # 100k ASCII rows then one "crème": a 64 KB sample would call this UTF-8 and fail at the end.
    body = "".join(f"Client {i},client{i}@example.com\n" for i in range(100_000))
    data = ("Name,Email\n" + body + "Crème Brûlée,creme@example.com\n").encode("cp1252")
    info, rows, _ = read(write_file(data))
    assert info.encoding == "cp1252"
    assert rows[-1].cells == ["Crème Brûlée", "creme@example.com"]
    assert len(rows) == 100_001


def test_utf8_file_with_a_windows_1252_row_reads_that_row_as_windows_1252(write_file):
    text = "Name,City\n" + "José Müller,Zürich\n" * 20
    data = text.encode("utf-8") + "Renée,Paris\n".encode("cp1252")
    info, rows, _ = read(write_file(data))
    assert info.encoding == "utf-8-or-cp1252"
    assert rows[0].cells == ["José Müller", "Zürich"]
    assert rows[-1].cells == ["Renée", "Paris"]


def test_windows_1252_file_with_utf8_rows_keeps_the_utf8_rows_ungarbled(write_file):
    # Mostly Windows-1252 (which the whole file used to be read as: "JosÃ© MÃ¼ller")...
    data = "Name,City\r\n".encode() + "Françoise Dûpont,Besançon\r\n".encode("cp1252") * 30
    data += "José Müller,Zürich\r\n".encode("utf-8")  # ...with one row pasted from a UTF-8 export
    data += "Zoë,Köln\r".encode("cp1252") + "Łukasz Żak,Łódź\r".encode("utf-8")  # lone CRs too
    info, rows, _ = read(write_file(data))
    assert info.encoding == "utf-8-or-cp1252"
    assert cells(rows) == [["Françoise Dûpont", "Besançon"]] * 30 + [
        ["José Müller", "Zürich"], ["Zoë", "Köln"], ["Łukasz Żak", "Łódź"],
    ]


def test_a_mixed_file_reads_a_long_line_in_pieces_without_garbling_it(write_file):
    long_note = "é" * 60_000  # 120 KB, more than the decoder's piece: cut between, never inside, characters
    data = ("Name,Note\nAnn," + long_note + "\n").encode("utf-8") + "Bob,Crème\n".encode("cp1252")
    info, rows, _ = read(write_file(data))
    assert info.encoding == "utf-8-or-cp1252"
    assert rows[0].cells == ["Ann", long_note]
    assert rows[-1].cells == ["Bob", "Crème"]


def test_a_few_accents_are_never_guessed_as_an_exotic_code_page(write_file):
    # charset-normalizer alone answers cp1006 / cp775 / big5 for these.
    for word in ["François", "Müller", "Ångström", "½ price ©2024 ®", "Ça va"]:
        info, rows, _ = read(write_file(f"Name\n{word}\n".encode("cp1252")))
        assert info.encoding == "cp1252"
        assert rows[0].cells == [word]


def test_mostly_cyrillic_file_is_read_in_its_code_page(write_file):
    text = "Имя,Город,Телефон\n" + "".join(
        f"Иван Петров {i},Москва,+7 495 000 00 {i:02d}\nАнна Смирнова,Санкт-Петербург,\n" for i in range(20)
    )
    info, rows, _ = read(write_file(text.encode("cp1251")))
    assert info.encoding == "cp1251"
    assert info.headers == ["Имя", "Город", "Телефон"]
    assert rows[1].cells[1] == "Санкт-Петербург"


def test_explicit_encoding_overrides_guess(write_file):
    path = write_file("Name\nJosé\n".encode("utf-8"))
    info, rows, _ = read(path, encoding="cp1252")
    assert info.encoding == "cp1252"
    assert info.detected["encoding"] == "utf-8"
    assert rows[0].cells == ["JosÃ©"]


def test_explicit_encoding_name_is_normalised(write_file):
    info, rows, _ = read(write_file("Name\nJosé\n".encode("latin-1")), encoding="Latin1")
    assert info.encoding == "iso8859-1"
    assert rows[0].cells == ["José"]


def test_explicit_utf8_on_a_file_with_bom_leaves_no_bom_in_the_header(write_file):
    info, _, _ = read(write_file(codecs.BOM_UTF8 + b"Name,Email\nAnn,a@x.com\n"), encoding="utf-8")
    assert info.headers == ["Name", "Email"]


def test_explicit_encoding_that_cannot_decode_the_file_is_refused_naming_it(write_file):
    path = write_file("Name\n" + "Ann\n" * 50_000 + "Crème\n", encoding="cp1252")
    with pytest.raises(UnreadableFile) as caught:
        read(path, encoding="UTF-8")
    message = str(caught.value)
    assert message.startswith("This file cannot be read as UTF-8: the byte at position")
    assert message.endswith("choose another encoding.")


def test_unknown_encoding_name_is_refused(write_file):
    with pytest.raises(UnreadableFile, match='"klingon" is not a text encoding this reader knows.'):
        read(write_file("Name\nAnn\n"), encoding="klingon")


def test_undefined_cp1252_byte_does_not_stop_the_file(write_file):
    # 0x81 has no character in Windows-1252: it becomes U+FFFD instead of an exception mid-import.
    data = b"Name,City\nAnn\x81,Paris\nBob,Caf\xe9\n"
    info, rows, _ = read(write_file(data))
    assert info.encoding == "cp1252"
    assert cells(rows) == [["Ann\ufffd", "Paris"], ["Bob", "Café"]]
