"""The signature of a delivery: Stripe's scheme (docs/webhooks.md, "Verifying a delivery").

`Clientport-Signature: t=<unix time>,v1=<hex HMAC-SHA256 of "<t>.<body>" with the endpoint's
secret>`. The timestamp is signed with the body, so a captured delivery replayed later fails
the receiver's tolerance check (5 minutes) and cannot be re-dated without the secret."""

from __future__ import annotations

import hashlib
import hmac
import time

SIGNATURE_HEADER = "Clientport-Signature"
TOLERANCE_SECONDS = 300


def signature(secret: str, body: bytes, timestamp: int) -> str:
    signed = f"{timestamp}.".encode() + body
    return hmac.new(secret.encode(), signed, hashlib.sha256).hexdigest()


def signature_header(secret: str, body: bytes, timestamp: int | None = None) -> str:
    timestamp = int(time.time()) if timestamp is None else timestamp
    return f"t={timestamp},v1={signature(secret, body, timestamp)}"
