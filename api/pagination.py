"""Cursor pagination: newest first by id, `?cursor=` the opaque token of the last page's end.

A keyset on the primary key (an index every table has): page N costs what page 1 costs, and
rows added meanwhile never shift a page. Nothing counts the whole table."""

from __future__ import annotations

import base64

from api.errors import ApiError

DEFAULT_LIMIT = 50
MAX_LIMIT = 200


def encode_cursor(pk: int) -> str:
    return base64.urlsafe_b64encode(f"id:{pk}".encode()).decode().rstrip("=")


def decode_cursor(cursor: str) -> int:
    try:
        text = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode()
        kind, _, value = text.partition(":")
        if kind != "id" or not value.isdigit():
            raise ValueError
        return int(value)
    except (ValueError, UnicodeDecodeError) as exc:
        raise ApiError(422, "invalid_cursor", "The cursor is not one this API returned.") from exc


def paginate(queryset, *, cursor: str | None, limit: int) -> tuple[list, str | None]:
    """One page of `queryset` (newest first) and the cursor of the next page, or None."""
    queryset = queryset.order_by("-pk")
    if cursor:
        queryset = queryset.filter(pk__lt=decode_cursor(cursor))
    rows = list(queryset[: limit + 1])
    if len(rows) > limit:
        return rows[:limit], encode_cursor(rows[limit - 1].pk)
    return rows, None
