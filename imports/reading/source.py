"""Byte access to an upload, whether it is a path or an open file (a Django storage file).

Every reader gets its own `SourceReader` that remembers its own position and seeks before each
read, so a preview and a full pass over the same file object cannot disturb each other. Closing a
reader never closes a file object the caller passed in: the caller owns it.
"""

from __future__ import annotations

import io
import os
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO

from .types import UnreadableFile

HEAD_BYTES = 64 * 1024
CHUNK_BYTES = 1024 * 1024


class SourceReader(io.RawIOBase):
    """A seekable raw reader over the caller's file object, with a position of its own."""

    def __init__(self, file: BinaryIO, size: int):
        self._file = file
        self._size = size
        self._pos = 0

    def readable(self) -> bool:
        return True

    def seekable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        self._file.seek(self._pos)
        data = self._file.read(len(buffer))
        n = len(data)
        buffer[:n] = data
        self._pos += n
        return n

    def seek(self, offset: int, whence: int = io.SEEK_SET) -> int:
        if whence == io.SEEK_SET:
            self._pos = offset
        elif whence == io.SEEK_CUR:
            self._pos += offset
        else:
            self._pos = self._size + offset
        return self._pos

    def tell(self) -> int:
        return self._pos


class Source:
    """The upload: its size, its first bytes, and fresh binary streams over it on demand."""

    def __init__(self, source: str | os.PathLike | BinaryIO):
        if isinstance(source, (str, os.PathLike)):
            self.path: Path | None = Path(source)
            self._file = None
            if not self.path.is_file():
                raise UnreadableFile("This file could not be opened.")
            self.size = self.path.stat().st_size
        elif hasattr(source, "read") and hasattr(source, "seek"):
            self.path = None
            self._file = source
            self.size = source.seek(0, io.SEEK_END)
            if self.size is None:  # some wrappers return None from seek()
                self.size = source.tell()
            source.seek(0)
        else:
            raise TypeError(f"open_table() reads a path or a binary file, not {type(source).__name__}")
        self._head: bytes | None = None

    def open(self) -> BinaryIO:
        """A new buffered binary stream from the first byte; the caller closes it."""
        if self.path is not None:
            return open(self.path, "rb", buffering=CHUNK_BYTES)
        return io.BufferedReader(SourceReader(self._file, self.size), buffer_size=CHUNK_BYTES)

    def head(self) -> bytes:
        """The first 64 KB, read once: enough to tell formats, encodings and delimiters apart."""
        if self._head is None:
            with self.open() as stream:
                self._head = stream.read(HEAD_BYTES)
        return self._head

    def first_line_length(self, limit: int) -> int:
        """Bytes before the first line break, reading at most `limit` + 1 bytes: a file that is
        one huge line is told from its start, without reading the rest."""
        with self.open() as stream:
            seen = 0
            while seen <= limit:
                chunk = stream.read(min(CHUNK_BYTES, limit + 1 - seen))
                if not chunk:
                    return seen
                breaks = [i for i in (chunk.find(b"\n"), chunk.find(b"\r")) if i >= 0]
                if breaks:
                    return seen + min(breaks)
                seen += len(chunk)
            return seen

    def chunks(self) -> Iterator[bytes]:
        with self.open() as stream:
            while chunk := stream.read(CHUNK_BYTES):
                yield chunk

    def contains(self, needle: bytes) -> bool:
        """Whether `needle` occurs anywhere in the file (streamed, chunk boundaries included)."""
        tail = b""
        for chunk in self.chunks():
            if needle in tail + chunk:
                return True
            tail = chunk[-len(needle) + 1:]
        return False

    def spreadsheet_handle(self) -> str | BinaryIO:
        """What python-calamine opens: the path, or a private seekable reader over the file object."""
        if self.path is not None:
            return str(self.path)
        return io.BufferedReader(SourceReader(self._file, self.size), buffer_size=CHUNK_BYTES)

