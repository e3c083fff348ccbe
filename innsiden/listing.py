"""Cursor pagination of the JSON API: one shape for every list that comes in pages.

A paged answer is a JSON object with the page's items under the list's own name and `next`,
the cursor of the following page, or null on the last page:

    GET /api/v1/notifications            → {"notifications": [...], "next": 4711, ...}
    GET /api/v1/notifications?cursor=4711 → the page after it

A cursor is opaque: pass `next` back unchanged as `?cursor=`; its meaning (an id, a position)
is the list's own and may change within v1. Older parameter names (`before`, `after`) are
still read where a list had them. A cursor that is not one (`?cursor=abc`) is a 400 problem,
never a silent first page. Where a list takes `?limit=`, it is a page size from 1 to
`MAX_LIMIT` (a larger one is cut to it). Lists without `next` are always complete.

A list paged here walks a stable order by a unique key (keyset: "the rows after this id"), so
walking every page returns every row exactly once even while rows are added.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, TypeVar

from flask import request
from flask_babel import gettext as _

from innsiden.errors import ValidationFailed
from innsiden.web import int_value

CURSOR_ARG = "cursor"
LIMIT_ARG = "limit"
NEXT_KEY = "next"
DEFAULT_LIMIT = 50
MAX_LIMIT = 200

Row = TypeVar("Row")


def cursor_arg(*older_names: str) -> int | None:
    """The `?cursor=` of this request (or one of the list's older names), or None.

    A cursor given but not a cursor refuses the request (400): a client that mangled `next`
    must not quietly get the first page again."""
    for name in (CURSOR_ARG, *older_names):
        raw = request.args.get(name)
        if raw is None or raw == "":
            continue
        value = int_value(raw)
        if value is None:
            message = _("Ugyldig markør: send tilbake «next» fra forrige side uendret.")
            raise ValidationFailed(message, fields={name: message})
        return value
    return None


def limit_arg(default: int = DEFAULT_LIMIT) -> int:
    """The `?limit=` page size: `default` when absent, at most MAX_LIMIT; not a number → 400."""
    raw = request.args.get(LIMIT_ARG)
    if raw is None or raw == "":
        return default
    value = int_value(raw)
    if value is None or value < 1:
        message = _("Sidestørrelsen må være et helt tall fra 1 til %(most)d.", most=MAX_LIMIT)
        raise ValidationFailed(message, fields={LIMIT_ARG: message})
    return min(value, MAX_LIMIT)


def cut(rows: Sequence[Row], limit: int, key: Callable[[Row], int]) -> tuple[list[Row], int | None]:
    """The page of `rows` (fetched with `limit + 1`) and its next cursor: the key of the page's
    last row when another row follows, else None."""
    shown = list(rows[:limit])
    return shown, (key(shown[-1]) if len(rows) > limit and shown else None)


def page(name: str, items: Sequence[Any], next_cursor: int | None, **extra: Any) -> dict[str, Any]:
    """The one shape of a paged answer: items under `name`, `next`, and any extra members."""
    return {name: list(items), NEXT_KEY: next_cursor, **extra}
