"""Errors are data: every warning and skip reason is a Problem with a stable code."""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

# What the import did about a value ("; it was kept as typed.", "; it was left out."): true of
# an import, not of a form, which refuses the value instead.
_WHAT_THE_IMPORT_DID = re.compile(r";\s*(?:it was|it is|the value was|the account was|only the first)\b[^.;]*\.")


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

    @property
    def reason(self) -> str:
        """The message without what the import did about the value: the error a form shows
        ('"12" is not a valid US phone number. A number from another country needs its +
        country code.')."""
        reason = _WHAT_THE_IMPORT_DID.sub(".", self.message, count=1)
        return reason.replace("..", ".")
