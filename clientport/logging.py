"""Log lines that help whoever runs Clientport without exposing a firm's clients.

An unhandled exception in a request is logged with the request's path and the signed-in
user's id. Exception messages are left out of every traceback: they quote values ("Key
(email)=(ann@acme.example) already exists", a cell that failed to parse), and client data
stays in the database, not in log files. The type and the stack say where it broke.
"""

from __future__ import annotations

import logging
import traceback

WITHHELD = "(message withheld: it may quote client data)"


class RequestContextFilter(logging.Filter):
    """Adds `context`: " [path=... user=...]" for a record about a request, else ""."""

    def filter(self, record: logging.LogRecord) -> bool:
        request = getattr(record, "request", None)
        path = getattr(request, "path", None)
        record.context = f" [path={path} user={_user_id(request)}]" if path is not None else ""
        return True


def _user_id(request) -> str:
    try:
        user = request.user
        return str(user.pk) if user.is_authenticated else "anonymous"
    except Exception:  # no auth middleware yet, or the database is what failed
        return "unknown"


class RedactingFormatter(logging.Formatter):
    """The standard format, with each exception of a traceback reduced to its type."""

    def formatException(self, exc_info) -> str:
        return format_exception_without_messages(exc_info[1]).rstrip("\n")


def format_exception_without_messages(exc: BaseException) -> str:
    chain, seen = [], set()
    while exc is not None and id(exc) not in seen:
        seen.add(id(exc))
        chain.append(exc)
        exc = exc.__cause__ if exc.__cause__ is not None else (None if exc.__suppress_context__ else exc.__context__)
    parts = []
    for position, exc in enumerate(reversed(chain)):
        if position:
            parts.append("\nDuring handling of the above exception, another exception occurred:\n\n")
        parts.append("Traceback (most recent call last):\n")
        parts.extend(traceback.format_tb(exc.__traceback__))
        parts.append(f"{type(exc).__module__}.{type(exc).__qualname__}: {WITHHELD}\n")
    return "".join(parts)
