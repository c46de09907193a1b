"""Every error of the API is `{"error": {"code", "message", "details"}}` with a stable code
(docs/api.md lists them). Views raise ApiError; the handlers in api/main.py turn Django's and
the services' exceptions into the same shape."""

from __future__ import annotations

from typing import Any

from ninja import Schema


class ApiError(Exception):
    def __init__(self, status: int, code: str, message: str, details: Any = None, headers: dict | None = None):
        super().__init__(message)
        self.status, self.code, self.message = status, code, message
        self.details = details
        self.headers = headers or {}


class ErrorBody(Schema):
    code: str
    message: str
    details: Any = None


class ErrorOut(Schema):
    error: ErrorBody


# The statuses any authenticated operation may answer, documented on every operation so a
# client (and schemathesis) knows their shape.
COMMON_ERRORS = {400: ErrorOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut, 429: ErrorOut}


def responses(ok: dict, *extra: int) -> dict:
    """An operation's documented responses: its successes, the common errors and `extra` ones."""
    return {**ok, **COMMON_ERRORS, **{status: ErrorOut for status in extra}}


def payload(code: str, message: str, details: Any = None) -> dict:
    return {"error": {"code": code, "message": message, "details": details}}
