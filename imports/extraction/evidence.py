"""How a column's dates and numbers read, from its own values: `date_order_evidence` and the
tallies that stream it (`DateOrderTally`, `NumberFormatTally`)."""

from __future__ import annotations

import re
from collections.abc import Iterable

from imports import cleaning


_NUMERIC_DATE = re.compile(r"\s*(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{2}|\d{4})\b")


EVIDENCE_MIN_VALUES = 2
EVIDENCE_MIN_SHARE = 0.1


def date_order_evidence(values: Iterable[str]) -> str | None:
    """ "DMY" when values that can only be day first (15/03/1968) are a real part of the column,
    "MDY" likewise for month first (03/15/1968), None otherwise. A file is written in one order,
    so such values settle the column (04/07/1970 beside them is 4 July), but one of them among
    many ambiguous dates is more likely a typo than proof: at least two, and a tenth of the
    column's numeric dates, are needed, and none may prove the other order."""
    tally = DateOrderTally()
    for value in values:
        tally.add(value)
    return tally.decision()


class EvidenceTally:
    """Counts, over a column, the values that can be read only one way ("DMY" or "MDY";
    "comma" or "point") among the values of that kind. The rule of `date_order_evidence`
    decides: at least two proofs, a tenth of the values, and no proof of the other way."""

    __slots__ = ("counted", "proofs")

    def __init__(self):
        self.counted = 0
        self.proofs: dict[str, int] = {}

    def prove(self, way: str | None) -> None:
        self.counted += 1
        if way is not None:
            self.proofs[way] = self.proofs.get(way, 0) + 1

    def decision(self) -> str | None:
        if len(self.proofs) != 1:
            return None
        (way, proof), = self.proofs.items()
        return way if proof >= max(EVIDENCE_MIN_VALUES, EVIDENCE_MIN_SHARE * self.counted) else None


class DateOrderTally(EvidenceTally):
    """`date_order_evidence`, one value at a time (the column profile streams the file)."""

    __slots__ = ()

    def add(self, value: str) -> None:
        match = _NUMERIC_DATE.match(value)
        if match is None:
            return
        first, second = int(match[1]), int(match[2])
        if 12 < first <= 31 and second <= 12:
            self.prove("DMY")
        elif 12 < second <= 31 and first <= 12:
            self.prove("MDY")
        else:
            self.prove(None)


class NumberFormatTally(EvidenceTally):
    """Decimal comma or decimal point, decided from the column's own numbers like date order:
    "1.000,00" and "1.234,5" prove a comma, "1,000.00" a point; "1,234" proves nothing."""

    __slots__ = ()

    def add(self, value: str) -> None:
        if "," in value or "." in value:  # whole numbers say nothing about separators
            self.prove(cleaning.number_format_evidence(value))
