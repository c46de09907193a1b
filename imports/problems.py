"""Errors are data: every warning and skip reason is a Problem with a stable code."""

from __future__ import annotations

from dataclasses import dataclass, replace


@dataclass(frozen=True, slots=True)
class Problem:
    """Something about one cell or row that the user should know.

    `code` is stable (tests, the skipped-rows file and the UI group by it); `message` is a
    sentence a firm owner understands; `column` and `value` say where and what.
    """

    code: str
    message: str
    column: str = ""
    value: str = ""

    def at(self, column: str, value: str | None = None) -> Problem:
        """The same problem, pinned to the column (and raw value) it came from."""
        return replace(self, column=column, value=self.value if value is None else value)
