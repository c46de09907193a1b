"""Stage 4: clean rows -> a BatchPlan of creates, updates and skips, against what exists.

Pure: what exists comes in an `Existing` snapshot (one prefetch per batch, see
`imports.existing`) and, for what earlier batches of a dry run "made", from its `DryRunMemory`;
what earlier batches of the same file decided comes from `FileState`. The dry run and the real
run share this code; only the real run hands the plan to the writer, which is why a dry run
predicts the real counters.

    planner.py    Planner: the batch, one row, counting (the additive rule applied)
    accounts.py   AccountsMixin: which account a row belongs to, what the row changes on it
    contacts.py   ContactsMixin: which contact a person is, what the row changes on it, its links
    merging.py    the additive rule (_merge, _KEEP)
    plan.py       what the planner returns: BatchPlan, AccountWork, ContactWork, LinkPlan, Counters;
                  PlanContext
    snapshots.py  what exists: AccountSnapshot, ContactSnapshot, Existing, Catalogue, field names
    state.py      what earlier batches of the file decided: FileState
    memory.py     what earlier batches made: NothingRemembered, DryRunMemory, PeopleSeen
    people.py     Person (what tells namesakes apart), first-name prints
    refs.py       account references ("a12", "n7") packed into integers, client ranks
"""

from imports.planning.memory import DryRunMemory, NothingRemembered, PeopleSeen
from imports.planning.people import Person
from imports.planning.plan import (
    AccountWork, BatchPlan, ContactWork, Counters, DecidedDuplicates, LinkPlan, PlanContext,
)
from imports.planning.planner import Planner
from imports.planning.refs import _pack_ref
from imports.planning.snapshots import (
    ACCOUNT_FIELDS, ACCOUNT_MERGED_FIELDS, CONTACT_FIELDS, NAME_FIELDS, AccountSnapshot, Catalogue,
    ContactSnapshot, Existing,
)
from imports.planning.state import TYPE_CODES, TYPE_NAMES, FileState

__all__ = [
    "ACCOUNT_FIELDS", "ACCOUNT_MERGED_FIELDS", "CONTACT_FIELDS", "NAME_FIELDS", "TYPE_CODES", "TYPE_NAMES",
    "AccountSnapshot", "AccountWork", "BatchPlan", "Catalogue", "ContactSnapshot", "ContactWork", "Counters",
    "DecidedDuplicates", "DryRunMemory", "Existing", "FileState", "LinkPlan", "NothingRemembered", "PeopleSeen", "Person", "PlanContext",
    "Planner", "_pack_ref",
]
