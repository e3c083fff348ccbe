"""Cursor pagination of the JSON API: one shape for every list that comes in pages.

A paged answer is a JSON object with the page's items under the list's own name and `next`,
the cursor of the following page, or null on the last page:

    GET /api/v1/notifications            → {"notifications": [...], "next": 4711, ...}
    GET /api/v1/notifications?cursor=4711 → the page after it

A cursor is opaque: pass `next` back unchanged as `?cursor=`; its meaning (an id, a position)
is the list's own and may change within v1. Older parameter names (`before`, `after`) are
still read where a list had them. Lists without `next` are always complete.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from flask import request

from innsiden.web import int_value

CURSOR_ARG = "cursor"
NEXT_KEY = "next"


def cursor_arg(*older_names: str) -> int | None:
    """The `?cursor=` of this request (or one of the list's older names), or None."""
    for name in (CURSOR_ARG, *older_names):
        value = int_value(request.args.get(name))
        if value is not None:
            return value
    return None


def page(name: str, items: Sequence[Any], next_cursor: int | None, **extra: Any) -> dict[str, Any]:
    """The one shape of a paged answer: items under `name`, `next`, and any extra members."""
    return {name: list(items), NEXT_KEY: next_cursor, **extra}
