"""Account references within a plan ("a12": existing account 12; "n7": the file's 7th new
account), packed into integers for compact memories, and how clients rank by them."""

from __future__ import annotations


def _pack_ref(ref: str) -> int:
    """ "a12" (existing account 12) -> 24, "n7" (the file's 7th new account) -> 15."""
    return int(ref[1:]) * 2 + (ref[0] == "n")


def _unpack_ref(packed: int) -> str:
    return f"{'n' if packed & 1 else 'a'}{packed >> 1}"


def _age(ref: str) -> int:
    """Oldest first: existing accounts by id, then the file's new ones in the order made."""
    return int(ref[1:]) + (1 << 60 if ref[0] == "n" else 0)


def _client_rank(first_contact: bool, ref: str) -> int:
    """Which individual's account holding an email is that person's client: one whose first
    contact has the email (the account made for them), then the oldest."""
    return (0 if first_contact else 1 << 62) | (_age(ref) << 1) | (ref[0] == "n")


def _ranked_ref(rank: int) -> str:
    age = (rank & ((1 << 62) - 1)) >> 1
    return f"n{age - (1 << 60)}" if rank & 1 else f"a{age}"
