"""What both client lists do with their records: the page, the count, and the sort that a big
list cannot afford (docs/crm-rules.md, "Lists of big firms")."""

from __future__ import annotations

from crm.selectors import exact_count_limit
from crm.views.paging import count_records, keyset_page

# Sorts that rank every matching record by a computed value: allowed while the count is exact.
COUNTED_SORTS = {"contacts"}


def list_page(request, *, records_for, ordering_for, sort: str):
    """The page of `records_for(sort)`; a counted sort on more records than the exact-count
    limit falls back to the name order, with a note saying why."""
    records = records_for(sort)
    count = count_records(records)
    notes = []
    if sort.lstrip("-") in COUNTED_SORTS and not count.exact:
        notes.append(f"Sorting by the number of contacts needs {exact_count_limit():,} accounts or fewer: "
                     "filter the list first. It is sorted by name.")
        sort = ""
        records = records_for(sort)
    page = keyset_page(request.GET, records, ordering_for(sort), count=count)
    page.notes = notes
    return page
