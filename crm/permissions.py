"""Who may do what. Every view and API call asks these helpers; nothing re-derives the rules."""

from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied


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


def _require(check):
    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            if not request.membership:
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
