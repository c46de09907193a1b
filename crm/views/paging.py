"""The client lists' pages on firms of any size (docs/crm-rules.md, "Lists of big firms").

A page is found by its neighbour's last (or first) row, never by an OFFSET: `?after=<cursor>`
reads the rows after the cursor in the list's order, `?before=<cursor>` the rows before it,
each one index range of PAGE_SIZE + 1 rows however deep the page. The count above the
list is exact up to `settings.CLIENT_LIST_EXACT_COUNT` (one LIMIT-ed count, never a scan of the
table); beyond it PostgreSQL gives its planner's estimate ("about N") and SQLite, which has none,
says "more than N".
"""

from __future__ import annotations

import base64
import binascii
import json
from dataclasses import dataclass, field

from django.db import connections
from django.db.models import Q
from django.db.models.constants import LOOKUP_SEP
from django.http import QueryDict

from crm.selectors import exact_count_limit

PAGE_SIZE = 50


@dataclass
class ListCount:
    """How many records match: exact (`value`), or at least `value` with `estimate` (PostgreSQL's
    planner) or without one (SQLite)."""

    value: int
    exact: bool
    estimate: int | None = None

    @property
    def label(self) -> str:
        from django.contrib.humanize.templatetags.humanize import intcomma

        if self.exact:
            return intcomma(self.value)
        if self.estimate is not None:
            return f"about {intcomma(self.estimate)}"
        return f"more than {intcomma(self.value)}"

    @property
    def plural(self) -> bool:
        return not self.exact or self.value != 1


def count_records(queryset, limit: int | None = None) -> ListCount:
    """Counts at most `limit` + 1 rows; beyond `limit` the count is "more than `limit`", with
    PostgreSQL's estimate of the whole when there is one."""
    limit = exact_count_limit() if limit is None else limit
    counted = queryset.order_by()[: limit + 1].count()
    if counted <= limit:
        return ListCount(counted, exact=True)
    estimate = _planner_estimate(queryset)
    return ListCount(limit, exact=False, estimate=max(estimate, limit + 1) if estimate else None)


def _planner_estimate(queryset) -> int | None:
    if connections[queryset.db].vendor != "postgresql":
        return None
    plan = json.loads(queryset.order_by().explain(format="json"))
    return int(plan[0]["Plan"]["Plan Rows"])


@dataclass
class ListPage:
    object_list: list
    count: ListCount
    has_next: bool
    has_previous: bool
    next_cursor: str = ""
    previous_cursor: str = ""
    notes: list[str] = field(default_factory=list)

    def __iter__(self):
        return iter(self.object_list)

    def __len__(self):
        return len(self.object_list)


def _encode(values: list) -> str:
    return base64.urlsafe_b64encode(json.dumps(values, separators=(",", ":")).encode()).decode().rstrip("=")


def _decode(cursor: str, width: int) -> list | None:
    """The cursor's values, or None for anything that is not one of ours (the first page then)."""
    try:
        values = json.loads(base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)))
    except (binascii.Error, ValueError, UnicodeDecodeError):
        return None
    if not isinstance(values, list) or len(values) != width:
        return None
    if not all(isinstance(value, (str, int)) and not isinstance(value, bool) for value in values):
        return None
    return values


def _beyond(ordering: list[str], values: list, *, forward: bool) -> Q:
    """Rows after (`forward`) or before the row whose ordering values are `values`:
    (a > x) or (a = x and b > y) or ..., each direction as the column's own; the first
    column's bound stands alone as well, so the database reads one index range."""
    columns = [(name.lstrip("-"), name.startswith("-") != (not forward)) for name in ordering]
    condition = Q()
    for index, (column, descending) in enumerate(columns):
        step = Q(**{f"{column}{LOOKUP_SEP}{'lt' if descending else 'gt'}": values[index]})
        for position in range(index):
            step &= Q(**{columns[position][0]: values[position]})
        condition |= step
    first, descending = columns[0]
    return Q(**{f"{first}{LOOKUP_SEP}{'lte' if descending else 'gte'}": values[0]}) & condition


def _values_of(record, ordering: list[str]) -> list:
    return [getattr(record, name.lstrip("-")) for name in ordering]


def _reversed(ordering: list[str]) -> list[str]:
    return [name[1:] if name.startswith("-") else f"-{name}" for name in ordering]


def keyset_page(query: QueryDict, queryset, ordering: list[str], *, size: int = PAGE_SIZE,
                count: ListCount | None = None) -> ListPage:
    """The page the query string names (`after` / `before` a cursor, else the first), its
    neighbours' cursors and the count of the whole list."""
    count = count or count_records(queryset)
    after = _decode(query.get("after", ""), len(ordering))
    before = None if after else _decode(query.get("before", ""), len(ordering))
    if before is not None:
        rows = list(queryset.filter(_beyond(ordering, before, forward=False)).order_by(*_reversed(ordering))[: size + 1])
        has_previous, rows = len(rows) > size, rows[:size][::-1]
        has_next = True
        if not rows:  # nothing before it: the first page
            return keyset_page(QueryDict(), queryset, ordering, size=size, count=count)
    else:
        if after is not None:
            queryset = queryset.filter(_beyond(ordering, after, forward=True))
        rows = list(queryset.order_by(*ordering)[: size + 1])
        has_next, rows = len(rows) > size, rows[:size]
        has_previous = after is not None
    page = ListPage(rows, count, has_next=has_next and bool(rows), has_previous=has_previous and bool(rows))
    if rows:
        page.next_cursor = _encode(_values_of(rows[-1], ordering))
        page.previous_cursor = _encode(_values_of(rows[0], ordering))
    return page
