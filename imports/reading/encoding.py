"""Find the text encoding of a CSV/TSV/IIF upload, or check the one the user chose.

The order comes from what worked on real exports (docs/import-rules.md, "Reading: encodings"):

1. a byte-order mark decides (UTF-8, UTF-16 LE/BE, UTF-32);
2. BOM-less UTF-16 shows as NUL bytes on every other position (charset-normalizer finds it too,
   but the NUL pattern also tells binary junk apart from text, so it is checked here first);
3. UTF-8 over the *whole* file, decoded as a stream: a Windows-1252 "é" may sit in the last row
   of a 100 MB file, and a sample would call that file UTF-8 and fail mid-import. Strict, with
   one allowance: a file of valid UTF-8 with a few damaged bytes stays UTF-8 (see
   `_read_as_utf8`), since reading it as Windows-1252 would garble every accented letter;
4. otherwise charset-normalizer, but only when the text is mostly non-Latin (Cyrillic, Greek,
   CJK...). On Western text with a few accents it answers cp1250, cp775, cp1006, even big5
   ("François" came back as cp1006 here), and its Latin answers are Windows-1252 in practice
   (Excel's "CSV" on Windows), so those and every weak case become cp1252.

A file that is both, valid UTF-8 characters and bytes UTF-8 cannot read (rows pasted together
from two exports), is read line by line (`MIXED`): each line as UTF-8 when it is valid UTF-8,
otherwise as Windows-1252. Real Windows-1252 text almost never forms valid UTF-8, and reading the
whole file in either one garbles the other's rows.
"""

from __future__ import annotations

import codecs

from charset_normalizer import from_bytes

from .source import HEAD_BYTES, Source
from .types import UnreadableFile

BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)

# charset-normalizer answers that are Windows-1252 text in practice.
CP1252_LIKE = {
    codecs.lookup(name).name
    for name in ("ascii", "utf-8", "cp1252", "cp1250", "cp1257", "latin-1", "iso8859-15", "mac-roman")
}

REPLACEMENT_UTF8 = "\ufffd".encode("utf-8")

# Text has next to no control bytes (a stray NUL is tolerated); binary files have ~10%.
MAX_CONTROL_SHARE = 0.02

# Below these, a non-Latin guess is noise from a few accented letters.
MIN_NON_ASCII_BYTES = 32
MIN_NON_ASCII_SHARE = 0.2


MIXED = "utf-8-or-cp1252"
# A line longer than this is decoded in pieces, so one huge line never sits whole in the decoder.
MIXED_PIECE_BYTES = 64 * 1024


class _MixedDecoder(codecs.IncrementalDecoder):
    """UTF-8 or Windows-1252, chosen per line (see the module docstring)."""

    def __init__(self, errors: str = "strict"):
        super().__init__(errors)
        self._pending = b""

    def decode(self, data: bytes, final: bool = False) -> str:
        data = self._pending + data
        cut = len(data) if final else max(data.rfind(b"\n"), data.rfind(b"\r")) + 1
        if not cut and len(data) > MIXED_PIECE_BYTES:
            cut = _utf8_boundary(data)
        self._pending = data[cut:]
        block = data[:cut]
        try:
            return block.decode("utf-8")
        except UnicodeDecodeError:
            return "".join(self._line(line) for line in block.splitlines(keepends=True))

    def _line(self, line: bytes) -> str:
        try:
            return line.decode("utf-8")
        except UnicodeDecodeError:
            return line.decode("cp1252", self.errors)

    def reset(self) -> None:
        self._pending = b""

    def getstate(self) -> tuple[bytes, int]:
        return self._pending, 0

    def setstate(self, state: tuple[bytes, int]) -> None:
        self._pending = state[0]


def _utf8_boundary(data: bytes) -> int:
    """A cut that does not split a UTF-8 character: before the last lead byte of the last four."""
    for back in range(1, min(4, len(data)) + 1):
        if not 0x80 <= data[-back] <= 0xBF:
            return len(data) - back if data[-back] >= 0xC0 else len(data)
    return len(data)


def _mixed_codec(name: str) -> codecs.CodecInfo | None:
    if name.replace("-", "_") != MIXED.replace("-", "_"):
        return None

    def decode(data: bytes, errors: str = "strict") -> tuple[str, int]:
        return _MixedDecoder(errors).decode(bytes(data), final=True), len(data)

    utf8 = codecs.lookup("utf-8")
    return codecs.CodecInfo(
        name=MIXED, encode=utf8.encode, decode=decode, incrementalencoder=utf8.incrementalencoder,
        incrementaldecoder=_MixedDecoder,
    )


codecs.register(_mixed_codec)


def canonical(encoding: str) -> str:
    """Python's name for an encoding ("UTF8" -> "utf-8"); refuses names Python does not know."""
    try:
        return codecs.lookup(encoding).name
    except LookupError as exc:
        raise UnreadableFile(f'"{encoding}" is not a text encoding this reader knows.') from exc


def detect_encoding(source: Source) -> str:
    """Python's name of the file's encoding, following the order in the module docstring."""
    head = source.head()
    for bom, name in BOMS:
        if head.startswith(bom):
            return name
    utf16 = _bomless_utf16(head)
    if utf16:
        return utf16
    if _control_share(head) > MAX_CONTROL_SHARE:
        raise UnreadableFile("This file holds binary data, not a spreadsheet or CSV file.")
    valid, invalid, bad_offset = _read_as_utf8(source)
    if not invalid:
        return "utf-8"
    legacy = "cp1252" if valid > invalid else _guess_legacy(source, head, bad_offset)
    return MIXED if valid and legacy == "cp1252" else legacy


def check_encoding(source: Source, encoding: str, label: str) -> None:
    """Decode the whole file strictly with the user's choice, so a wrong one fails now, not mid-import."""
    decoder = codecs.getincrementaldecoder(encoding)("strict")
    offset = 0
    try:
        for chunk in source.chunks():
            decoder.decode(chunk)
            offset += len(chunk)
        decoder.decode(b"", final=True)
    except UnicodeDecodeError as exc:
        position = offset + max(exc.start, 0)
        raise UnreadableFile(
            f"This file cannot be read as {label}: the byte at position {position:,} is not valid "
            "in that encoding, so choose another encoding."
        ) from exc


def _read_as_utf8(source: Source) -> tuple[int, int, int]:
    """Decode the whole file as UTF-8: (valid multi-byte characters, invalid bytes, byte offset
    of the first invalid byte).

    A file with both is read line by line (`MIXED`); read whole as Windows-1252 every "é" of its
    UTF-8 lines would turn into "Ã©". Real Windows-1252 text almost never forms valid UTF-8
    sequences, so it has no valid ones here.
    """
    decoder = codecs.getincrementaldecoder("utf-8")("replace")
    valid = invalid = 0
    first_invalid = -1
    offset = 0
    for chunk in source.chunks():
        text = decoder.decode(chunk)
        if not chunk.isascii() or "\ufffd" in text:
            bad = text.count("\ufffd") - chunk.count(REPLACEMENT_UTF8)
            if bad and first_invalid < 0:
                first_invalid = offset + _invalid_position(chunk)
            invalid += bad
            valid += len(text) - len(text.encode("ascii", "ignore")) - bad
        offset += len(chunk)
    if decoder.decode(b"", final=True):  # the file ends inside a multi-byte character
        invalid += 1
        first_invalid = offset - 1 if first_invalid < 0 else first_invalid
    return valid, invalid, first_invalid


def _invalid_position(chunk: bytes) -> int:
    try:
        chunk.decode("utf-8")
    except UnicodeDecodeError as exc:
        return exc.start
    return 0  # the bad sequence straddles the previous chunk


def _guess_legacy(source: Source, head: bytes, bad_offset: int) -> str:
    sample = head
    if bad_offset >= len(head):  # show the detector the bytes that broke UTF-8 too
        with source.open() as stream:
            stream.seek(max(0, bad_offset - 8192))
            sample = head + b"\n" + stream.read(16384)
    non_ascii = sum(1 for byte in sample if byte >= 0x80)
    letters = sum(1 for byte in sample if 0x41 <= byte <= 0x5A or 0x61 <= byte <= 0x7A)
    if non_ascii < MIN_NON_ASCII_BYTES or non_ascii / (non_ascii + letters) < MIN_NON_ASCII_SHARE:
        return "cp1252"
    best = from_bytes(sample).best()
    if best is None:
        return "cp1252"
    name = codecs.lookup(best.encoding).name
    return "cp1252" if name in CP1252_LIKE else name


def _bomless_utf16(head: bytes) -> str | None:
    """UTF-16 without a BOM: most code units of Latin text have a zero high byte."""
    sample = head[: len(head) // 2 * 2][:HEAD_BYTES]
    if len(sample) < 4:
        return None
    even_zeros = sample[0::2].count(0)
    odd_zeros = sample[1::2].count(0)
    half = len(sample) // 2
    if odd_zeros > 0.3 * half and even_zeros < 0.05 * half:
        return "utf-16-le"
    if even_zeros > 0.3 * half and odd_zeros < 0.05 * half:
        return "utf-16-be"
    return None


def _control_share(head: bytes) -> float:
    if not head:
        return 0.0
    controls = sum(1 for byte in head if byte < 0x20 and byte not in b"\t\n\r\x0c\x1a")
    return controls / len(head)
