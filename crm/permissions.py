"""Who may do what. Every action (crm/services.py, imports/jobs.py) calls `require` with its
actor, and the views' decorators ask the same rules; nothing re-derives them."""

from __future__ import annotations

from dataclasses import dataclass
from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect


def _membership(membership):
    # Unwrap the lazy object of CurrentFirmMiddleware so a missing membership is plain None.
    return membership if membership else None


def can_import(membership) -> bool:
    """The owner, admins, and members with *Manage contacts* may import (docs/crm-rules.md)."""
    membership = _membership(membership)
    if membership is None or not membership.is_active:
        return False
    return membership.is_owner_or_admin or membership.can_manage_contacts


def can_edit_clients(membership) -> bool:
    """Creating and editing accounts and contacts by hand takes the same right as importing."""
    return can_import(membership)


def can_manage_firm(membership) -> bool:
    """Team, tags, custom fields and folder templates are the owner's and admins' business."""
    membership = _membership(membership)
    return membership is not None and membership.is_active and membership.is_owner_or_admin


# --- The actor of an action ------------------------------------------------------------------
#
# An action takes `actor`: the acting Membership (a person of a firm, resolved once by
# `actor_for`), or SYSTEM for work no person asked for (the automatic resume and the file
# purge of `clientport resume_imports` / `purge_import_files`, run by cron or `serve`).

IMPORT = "import clients"
EDIT_CLIENTS = "edit clients"
MANAGE_FIRM = "manage the firm"
MAINTENANCE = "maintenance"


@dataclass(frozen=True)
class SystemActor:
    """Clientport itself: holds the MAINTENANCE right only, and acts for no firm."""

    firm = None
    user = None
    display_name = "Clientport"
    is_active = True

    def __bool__(self) -> bool:
        return True


SYSTEM = SystemActor()

RULES = {IMPORT: can_import, EDIT_CLIENTS: can_edit_clients, MANAGE_FIRM: can_manage_firm}


def actor_for(firm, user):
    """The user's active membership of the firm, the actor of what they do there; None if none."""
    from crm.models import Membership

    if user is None or not getattr(user, "is_authenticated", False):
        return None
    return Membership.objects.filter(firm=firm, user=user, is_active=True).select_related("firm", "user").first()


def require(actor, right: str, *, firm=None):
    """The one rights check of every action: returns the actor, or raises PermissionDenied
    saying who may not do what. With `firm`, the actor must also act in that firm (a record of
    another firm is never touched, whatever the actor's role)."""
    actor = _membership(actor)
    if isinstance(actor, SystemActor):
        if right != MAINTENANCE:
            raise PermissionDenied(f"Clientport itself does not {right}; a team member must.")
        return actor
    if actor is None or not actor.is_active:
        raise PermissionDenied("You are not a member of this firm.")
    if right == MAINTENANCE or not RULES[right](actor):
        raise PermissionDenied(f"{actor.user.email} may not {right} in {actor.firm.name}.")
    if firm is not None and getattr(firm, "pk", firm) != actor.firm_id:
        raise PermissionDenied(f"{actor.user.email} is not a member of that record's firm.")
    return actor


def may_change_member(actor, member, *, role: str | None = None) -> bool:
    """Admins manage admins and members; only an owner touches an owner or makes one. Nobody
    locks themselves out."""
    from crm.models import Membership

    if not can_manage_firm(actor) or member.firm_id != actor.firm_id or member.pk == actor.pk:
        return False
    owner_involved = member.role == Membership.Role.OWNER or role == Membership.Role.OWNER
    return actor.role == Membership.Role.OWNER or not owner_involved


def require_member_change(actor, member, *, role: str | None = None):
    require(actor, MANAGE_FIRM, firm=member.firm_id)
    if not may_change_member(actor, member, role=role):
        from crm.models import Membership

        if role == Membership.Role.OWNER and member.pk != actor.pk:
            raise PermissionDenied("Only an owner can make someone an owner.")
        raise PermissionDenied("You cannot change this team member.")
    return actor


# --- The views' decorators: the same rules, at the door -------------------------------------


def _is_portal_client(user) -> bool:
    from crm.selectors import portal_links

    return portal_links(user=user).exists()


def _require(check):
    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            if not request.membership:
                if _is_portal_client(request.user):
                    return redirect("portal:home")  # a client's pages are in the portal
                raise PermissionDenied("You are not a member of any firm.")
            if check is not None and not check(request.membership):
                raise PermissionDenied("Your role does not allow this.")
            return view(request, *args, **kwargs)

        return wrapped

    return decorator


firm_member_required = _require(None)
import_permission_required = _require(can_import)
client_editor_required = _require(can_edit_clients)
firm_admin_required = _require(can_manage_firm)
