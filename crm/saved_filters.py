"""Saved filters of the client lists: a name for a list's query string, shared by the firm
(docs/crm-rules.md, "Client lists and bulk actions")."""

from __future__ import annotations

import logging

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction

from crm.models import Membership, SavedFilter
from crm.permissions import can_manage_firm

logger = logging.getLogger("crm.actions")


class SavedFilterError(ValueError):
    """A filter that cannot be saved, with the reason for the person."""


def _member(actor) -> Membership:
    if not actor or not actor.is_active:
        raise PermissionDenied("You are not a member of this firm.")
    return actor


def saved_filter_create(*, actor: Membership, list_kind: str, name: str, query: str) -> SavedFilter:
    """Any member of the firm may save a filter; the whole firm sees it. Names are unique per list."""
    _member(actor)
    name = " ".join(name.split())
    if not name:
        raise SavedFilterError("Give the filter a name.")
    if len(name) > 80:
        raise SavedFilterError("A filter's name has at most 80 characters.")
    if not query:
        raise SavedFilterError("Choose a search, tag, type, status or sort first: there is no filter to save.")
    try:
        with transaction.atomic():
            saved = SavedFilter.objects.create(firm_id=actor.firm_id, list_kind=list_kind, name=name, query=query,
                                               created_by=actor.user)
    except IntegrityError:
        raise SavedFilterError(f"A saved filter named “{name}” already exists: choose another name.") from None
    logger.info("Filter %r of %s saved by %s.", name, actor.firm.slug, actor.user.email)
    return saved


def may_delete(actor, saved: SavedFilter) -> bool:
    """The member who saved it, or the firm's owner and admins."""
    return bool(actor) and actor.firm_id == saved.firm_id and (
        saved.created_by_id == actor.user_id or can_manage_firm(actor))


def saved_filter_delete(*, actor: Membership, saved: SavedFilter) -> None:
    _member(actor)
    if not may_delete(actor, saved):
        raise PermissionDenied("Only the person who saved this filter, or an admin, may delete it.")
    saved.delete()
    logger.info("Filter %r of %s deleted by %s.", saved.name, actor.firm.slug, actor.user.email)
