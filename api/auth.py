"""The API's door: a Bearer token, its scope, the member's current rights, the rate limit."""

from __future__ import annotations

from ninja.security import HttpBearer

from api import ratelimit
from api.errors import ApiError
from api.tokens import TokenRefused, authenticate
from crm.permissions import EDIT_CLIENTS
from crm.permissions import IMPORT as IMPORT_RIGHT
from crm.permissions import require


class TokenAuth(HttpBearer):
    """Authenticates `Authorization: Bearer <key>` and requires `scope`. Sets `request.actor`
    (the token's membership, re-read on every request) and `request.api_token`. With `right`,
    the member must hold it (403); the actions check it again themselves."""

    def __init__(self, scope: str, right: str | None = None):
        super().__init__()
        self.scope, self.right = scope, right

    def __call__(self, request):
        if not request.headers.get("Authorization"):
            raise ApiError(401, "unauthenticated", "Send an API token: Authorization: Bearer cpt_…")
        # No text column stores a NUL (PostgreSQL refuses it): a query parameter holding one is
        # refused here, naming it, rather than failing in the database.
        for name, values in request.GET.lists():
            if any("\x00" in value for value in values):
                raise ApiError(422, "invalid_request", f"The query parameter “{name}” contains a NUL character.",
                               details={"field": name})
        return super().__call__(request)

    def authenticate(self, request, token):
        try:
            found = authenticate(token)
        except TokenRefused as exc:
            raise ApiError(401, exc.code, str(exc)) from exc
        wait = ratelimit.hit(found.token.pk)
        if wait:
            raise ApiError(429, "rate_limited", f"Too many requests for this token; retry in {wait} s.",
                           details={"retry_after": wait}, headers={"Retry-After": str(wait)})
        if self.scope not in found.token.scopes:
            raise ApiError(403, "scope_missing", f"This token lacks the “{self.scope}” scope.",
                           details={"required_scope": self.scope, "token_scopes": found.token.scopes})
        if self.right:
            # The member's right, before a body is read: a refused upload never reaches the disk.
            require(found.actor, self.right)
        request.actor = found.actor
        request.api_token = found.token
        return found.token


READ = TokenAuth("read")
WRITE = TokenAuth("write", EDIT_CLIENTS)
IMPORT = TokenAuth("import", IMPORT_RIGHT)
