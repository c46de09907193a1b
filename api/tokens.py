"""Personal API tokens: create (the key shown once), revoke, and check a presented key.

Keys look like `cpt_<prefix>_<secret>`: the prefix finds the row, a salted SHA-256 of the whole
key proves it (keys are 32 random bytes, so a slow hash would add nothing). A token acts as its
membership; `authenticate` re-resolves that membership on every request, so a member who was
deactivated, or a token revoked or expired, stops working at once (401)."""

from __future__ import annotations

import datetime
import hashlib
import hmac
import secrets
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.utils import timezone

from api.models import ApiToken
from crm.permissions import actor_for, can_manage_firm

KEY_PREFIX = "cpt_"
NAME_MAX_LENGTH = 100
SCOPES = tuple(ApiToken.Scope.values)
# last_used_at is written at most this often per token: a busy program would otherwise turn
# every read into a write.
LAST_USED_RESOLUTION = datetime.timedelta(minutes=1)


class TokenRefused(Exception):
    """A presented key that authenticates nobody; `code` is the API error code."""

    def __init__(self, code: str, message: str):
        super().__init__(message)
        self.code = code


@dataclass(frozen=True)
class Authenticated:
    token: ApiToken
    actor: object  # the token's Membership, freshly read


def _hash(salt: str, key: str) -> str:
    return hashlib.sha256(f"{salt}:{key}".encode()).hexdigest()


def token_create(*, actor, name: str, scopes, expires_at: datetime.datetime | None = None) -> tuple[ApiToken, str]:
    """A token for the actor's own membership; returns it and its key (shown once, never again)."""
    if actor is None or not actor.is_active:
        raise PermissionDenied("You are not a member of this firm.")
    name = " ".join((name or "").split())
    scopes = sorted(set(scopes or ()))
    if not name:
        raise ValueError("Give the token a name (what program uses it).")
    if len(name) > NAME_MAX_LENGTH:
        raise ValueError(f"A token's name has at most {NAME_MAX_LENGTH} characters.")
    if not scopes or any(scope not in SCOPES for scope in scopes):
        raise ValueError(f"Choose at least one scope of: {', '.join(SCOPES)}.")
    if expires_at is not None and expires_at <= timezone.now():
        raise ValueError("The expiry date must be in the future.")
    prefix = secrets.token_hex(4)
    while ApiToken.objects.filter(prefix=prefix).exists():
        prefix = secrets.token_hex(4)
    key = f"{KEY_PREFIX}{prefix}_{secrets.token_urlsafe(32)}"
    salt = secrets.token_hex(16)
    token = ApiToken.objects.create(membership=actor, name=name, prefix=prefix, salt=salt, key_hash=_hash(salt, key),
                                    scopes=scopes, expires_at=expires_at)
    return token, key


def may_revoke(actor, token: ApiToken) -> bool:
    """Every member revokes their own tokens; owners and admins any of their firm's."""
    if actor is None or not actor.is_active or token.membership.firm_id != actor.firm_id:
        return False
    return token.membership_id == actor.pk or can_manage_firm(actor)


def token_revoke(*, actor, token: ApiToken) -> bool:
    """Revokes the token; False if it already was."""
    if not may_revoke(actor, token):
        raise PermissionDenied("You may not revoke this token.")
    return bool(ApiToken.objects.filter(pk=token.pk, revoked_at__isnull=True)
                .update(revoked_at=timezone.now(), revoked_by=actor.user))


def tokens_visible(*, actor):
    """The tokens a member's settings page lists: their own; the whole firm's for owners and admins."""
    tokens = ApiToken.objects.filter(membership__firm_id=actor.firm_id).select_related("membership__user", "revoked_by")
    if not can_manage_firm(actor):
        tokens = tokens.filter(membership=actor)
    return tokens


def authenticate(key: str) -> Authenticated:
    """The token of a presented key and its member's current membership, or TokenRefused."""
    parts = (key or "").strip()
    if not parts.startswith(KEY_PREFIX) or parts.count("_") < 2:
        raise TokenRefused("unauthenticated", "The API token is missing or malformed (Authorization: Bearer cpt_…).")
    prefix = parts[len(KEY_PREFIX):].split("_", 1)[0]
    token = ApiToken.objects.select_related("membership__firm", "membership__user").filter(prefix=prefix).first()
    if token is None or not hmac.compare_digest(token.key_hash, _hash(token.salt, parts)):
        raise TokenRefused("unauthenticated", "The API token is not valid.")
    now = timezone.now()
    if token.revoked_at is not None:
        raise TokenRefused("token_revoked", "This API token was revoked.")
    if token.expires_at is not None and token.expires_at <= now:
        raise TokenRefused("token_expired", "This API token has expired.")
    actor = actor_for(token.membership.firm, token.membership.user)
    if actor is None or actor.pk != token.membership_id:
        raise TokenRefused("member_inactive", "The team member of this API token is no longer active in the firm.")
    ApiToken.objects.filter(pk=token.pk).filter(
        Q(last_used_at__isnull=True) | Q(last_used_at__lt=now - LAST_USED_RESOLUTION)
    ).update(last_used_at=now)
    return Authenticated(token=token, actor=actor)
