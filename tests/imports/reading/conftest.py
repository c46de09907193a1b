"""Every reader test writes the real file it reads."""

from __future__ import annotations

from pathlib import Path

import pytest


@pytest.fixture
def write_file(tmp_path):
    """write_file(content, name="clients.csv", encoding="utf-8") -> Path; bytes are written as is."""
    counter = iter(range(1_000_000))

    def write(content: str | bytes, name: str = "clients.csv", encoding: str = "utf-8") -> Path:
        path = tmp_path / f"{next(counter)}-{name}"
        path.write_bytes(content if isinstance(content, bytes) else content.encode(encoding))
        return path

    return write
