from crm.permissions import can_import, can_manage_firm


def current_firm(request):
    membership = getattr(request, "membership", None)
    if not getattr(request, "user", None) or not request.user.is_authenticated or not membership:
        return {}
    return {
        "current_membership": membership,
        "current_firm": membership.firm,
        "user_firms": [m.firm for m in request.user.memberships.filter(is_active=True).select_related("firm")],
        "can_import": can_import(membership),
        "can_manage_firm": can_manage_firm(membership),
    }
