"""The header menu: each capability registers its own entries, the header shows those the
member may use.

A capability adds its way in from its `init_app`, one line:

    menu.item("polls", _l("Avstemninger"), "polls.index", order=40)
    menu.item("admin", _l("Administrasjon"), "admin.index", allowed="admin.use", order=90)

`allowed` is an access action (asked through `innsiden.access.can`, so the same rule that
guards the page hides its link) or a predicate (session, member) → bool; None means every
member who may use the portal. Entries are shown by `order`, then key.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from flask import request, url_for
from sqlalchemy.orm import Session

from innsiden import access
from membersync.models import Member

Predicate = Callable[[Session, Member], bool]


@dataclass(frozen=True)
class MenuItem:
    key: str
    label: Any  # a lazy gettext string: translated when the header is rendered
    endpoint: str
    allowed: str | Predicate | None
    order: int
    values: tuple[tuple[str, str], ...] = ()  # URL values the endpoint needs


@dataclass(frozen=True)
class ShownItem:
    key: str
    label: str
    url: str
    current: bool


_items: dict[str, MenuItem] = {}


def item(
    key: str,
    label: Any,
    endpoint: str,
    *,
    allowed: str | Predicate | None = None,
    order: int = 50,
    values: dict[str, str] | None = None,
) -> None:
    """Register (or, with the same key, replace) one header-menu entry; `values` are the
    endpoint's URL values, if it needs any."""
    _items[key] = MenuItem(key, label, endpoint, allowed, order, tuple((values or {}).items()))


def items() -> list[MenuItem]:
    """Every registered entry in display order."""
    return sorted(_items.values(), key=lambda entry: (entry.order, entry.key))


def may_use(session: Session, member: Member | None, entry: MenuItem) -> bool:
    if member is None or not access.may_use_portal(session, member):
        return False
    if entry.allowed is None:
        return True
    if isinstance(entry.allowed, str):
        return access.can(session, member, entry.allowed)
    return bool(entry.allowed(session, member))


def visible(session: Session, member: Member | None) -> list[ShownItem]:
    """The entries this member may use, with their URLs and which one the page is under."""
    entries = [entry for entry in items() if may_use(session, member, entry)]
    current = _current_key(entries)
    return [
        ShownItem(
            entry.key,
            str(entry.label),
            url_for(entry.endpoint, **dict(entry.values)),
            entry.key == current,
        )
        for entry in entries
    ]


def _current_key(entries: list[MenuItem]) -> str | None:
    """The entry for this page: its own endpoint, else the first entry of its blueprint (a
    poll page is under "Avstemninger"). The front page's blueprint serves other pages too."""
    endpoint = request.endpoint or ""
    for entry in entries:
        if entry.endpoint == endpoint:
            return entry.key
    for entry in entries:
        blueprint = entry.endpoint.rpartition(".")[0]
        if entry.endpoint != "home.index" and blueprint and request.blueprint == blueprint:
            return entry.key
    return None
