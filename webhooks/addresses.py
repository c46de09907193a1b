"""Which URLs a webhook may be sent to.

A webhook makes Clientport's server send requests where a firm says, so an address inside our
own network (the database, a cloud metadata service at 169.254.169.254) must never be one:
the host is resolved and every address it resolves to must be public. The check runs when an
endpoint is saved and again before each delivery (a name can be re-pointed after it was
saved). `WEBHOOKS_ALLOW_LOCAL` (on with DEBUG) lifts it, and allows plain http, for trying
webhooks against a receiver on your own machine.
"""

from __future__ import annotations

import ipaddress
import socket
from urllib.parse import urlsplit

from django.conf import settings


class RefusedURL(ValueError):
    """The URL may not receive webhooks; str() says why, for the person who typed it."""


def resolve(host: str, port: int) -> list[str]:
    """Every address the host resolves to (a seam the tests replace: they run offline)."""
    return [info[4][0] for info in socket.getaddrinfo(host, port, proto=socket.IPPROTO_TCP)]


def allow_local() -> bool:
    return bool(settings.DEBUG or getattr(settings, "WEBHOOKS_ALLOW_LOCAL", False))


def check_url(url: str) -> None:
    """Raises RefusedURL unless `url` is an https URL of a public host (see the module)."""
    try:
        parts = urlsplit(url.strip())
        port = parts.port
    except ValueError as error:
        raise RefusedURL(f"That is not a valid URL ({error}).") from None
    local = allow_local()
    if parts.scheme not in ("https", "http") or not parts.hostname:
        raise RefusedURL("Enter a full URL starting with https://.")
    if parts.username or parts.password:
        raise RefusedURL("Leave the user name and password out of the URL; check the signature instead.")
    if parts.scheme == "http" and not local:
        raise RefusedURL("Webhooks are sent over HTTPS only: the URL must start with https://.")
    host = parts.hostname
    port = port or (443 if parts.scheme == "https" else 80)
    try:
        addresses = resolve(host, port)
    except (OSError, UnicodeError):
        raise RefusedURL(f"The host {host} could not be found.") from None
    if not addresses:
        raise RefusedURL(f"The host {host} could not be found.")
    if local:
        return
    for address in addresses:
        if not is_public(address):
            raise RefusedURL(
                f"{host} points to a private or local address ({address}); webhooks go to public hosts only."
            )


def is_public(address: str) -> bool:
    ip = ipaddress.ip_address(address.split("%", 1)[0])  # an IPv6 scope id is not part of it
    if ip.version == 6 and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    return ip.is_global and not ip.is_multicast
