"""Stage 4: clean rows -> a BatchPlan of creates, updates and skips, against what exists.

`planner` holds the Planner and, for now, everything it works on. Other code imports these
names from `imports.planning`.
"""

from imports.planning.planner import (
    ACCOUNT_FIELDS, ACCOUNT_MERGED_FIELDS, CONTACT_FIELDS, NAME_FIELDS, TYPE_CODES, TYPE_NAMES, AccountSnapshot,
    AccountWork, BatchPlan, Catalogue, ContactSnapshot, ContactWork, Counters, DryRunMemory, Existing, FileState,
    LinkPlan, NothingRemembered, PeopleSeen, Person, PlanContext, Planner, _pack_ref,
)

__all__ = [
    "ACCOUNT_FIELDS", "ACCOUNT_MERGED_FIELDS", "CONTACT_FIELDS", "NAME_FIELDS", "TYPE_CODES", "TYPE_NAMES",
    "AccountSnapshot", "AccountWork", "BatchPlan", "Catalogue", "ContactSnapshot", "ContactWork", "Counters",
    "DryRunMemory", "Existing", "FileState", "LinkPlan", "NothingRemembered", "PeopleSeen", "Person", "PlanContext",
    "Planner", "_pack_ref",
]
