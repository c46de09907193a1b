"""Writing an account's history (`AccountEvent`): one function, so every entry names its actor
the same way."""

from __future__ import annotations

from crm.models import Account, AccountEvent, Contact
from crm.permissions import SYSTEM


def record(*, account: Account, kind: str, summary: str, actor=None, client_user=None,
           contact: Contact | None = None, details: dict | None = None) -> AccountEvent:
    """Adds an entry to `account`'s history.

    `actor` is the acting Membership (a team member) or SYSTEM; `client_user` the portal user
    when a client acted. Exactly one of them is given."""
    if (actor is None) == (client_user is None):
        raise ValueError("An account event has one actor: a team member, Clientport, or a client.")
    if client_user is not None:
        kind_of_actor, user, name = AccountEvent.Actor.CLIENT, client_user, client_user.get_full_name()
    elif actor is SYSTEM:
        kind_of_actor, user, name = AccountEvent.Actor.SYSTEM, None, SYSTEM.display_name
    else:
        kind_of_actor, user, name = AccountEvent.Actor.TEAM, actor.user, actor.display_name
    return AccountEvent.objects.create(
        firm_id=account.firm_id, account=account, contact=contact, actor_kind=kind_of_actor,
        actor_user=user, actor_name=name, kind=kind, summary=summary, details=details or {},
    )


def account_history(*, account: Account, limit: int = 50) -> list[AccountEvent]:
    """The newest entries of the account's history, newest first."""
    return list(AccountEvent.objects.filter(account=account).select_related("contact")[:limit])
