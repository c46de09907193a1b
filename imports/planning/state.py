"""What earlier batches of this file decided, which both runs need (`FileState`): types, the
accounts names chose, the records counted as updated, the accounts made."""

from __future__ import annotations

from imports.compact import CompactIntMap, CompactIntSet

TYPE_CODES = {"": 0, "individual": 1, "company": 2, "other": 3}
TYPE_NAMES = {code: name for name, code in TYPE_CODES.items()}


class FileState:
    """What earlier batches of this file decided, which both runs need (a resumed run gets it
    back from the recorded checkpoints, `imports.checkpoints`). What earlier batches *made*
    is in the database for a real run, and in the `DryRunMemory` for a dry run.

    `account_types` maps an account key's hash to `row * 4 + type code` where a type column
    decided the type, for the conflicting-type check (only files that map a type column pay
    for it). Kept as 64-bit hashes in compact maps (16 bytes an entry) so a million-row file
    stays within its memory budget.

    Accounts the file makes are numbered in the order they are made ("n1", "n2", ...: their
    plan reference); existing accounts are "a" + id. Packed into integers as `_pack_ref` says.
    """

    def __init__(self):
        self.accounts_made = 0
        self.account_types = CompactIntMap()
        self.new_tags: set[str] = set()
        self.updated_accounts: set[int] = set()  # ids of pre-existing accounts changed
        self.updated_contacts: set[int] = set()
        # Account-name key hash -> packed ref of the account a row of that name chose among
        # several (both runs): later rows that hold none of their people go to it too.
        self.named_accounts = CompactIntMap()
        # Packed refs of the accounts made for rows without an account name (both runs: "n"
        # refs in a dry run, "a" + id once a real run wrote them).
        self.person_accounts = CompactIntSet()
        # Likely duplicates the user decided are one client (`DecidedDuplicates`): the packed
        # ref of each row another row was merged into, and the account an account-name key
        # was sent to, so the name's later rows follow it.
        self.decided_row_refs: dict[int, int] = {}
        self.decided_keys: dict[int, int] = {}

    def next_ref(self) -> str:
        self.accounts_made += 1
        return f"n{self.accounts_made}"

    def decided_type(self, key: str) -> tuple[str, int] | None:
        packed = self.account_types.get(hash(key))
        if packed is None:
            return None
        return TYPE_NAMES[packed & 3], packed >> 2

    def remember_type(self, key: str, type_: str, row: int) -> bool:
        """The first row that gave the account its type is the one a conflict names. True
        when this is that row."""
        if not type_ or self.account_types.get(hash(key)) is not None:
            return False
        self.account_types[hash(key)] = row * 4 + TYPE_CODES[type_]
        return True
