from django.utils.functional import SimpleLazyObject

SESSION_FIRM_KEY = "current_firm_id"


def current_membership(request):
    """The signed-in user's membership in the firm they are working in, or None.

    The firm chosen with the firm switcher is kept in the session; without a choice (or when
    the user has lost access to it) the user's first active firm is used.
    """
    user = request.user
    if not user.is_authenticated:
        return None
    memberships = user.memberships.filter(is_active=True).select_related("firm", "user")
    chosen = request.session.get(SESSION_FIRM_KEY)
    if chosen is not None:
        membership = memberships.filter(firm_id=chosen).first()
        if membership is not None:
            return membership
    return memberships.order_by("firm__name", "pk").first()


class CurrentFirmMiddleware:
    """Sets `request.membership` and `request.firm` (lazily, one query when first used)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.membership = SimpleLazyObject(lambda: current_membership(request))
        request.firm = SimpleLazyObject(lambda: request.membership.firm if request.membership else None)
        return self.get_response(request)
