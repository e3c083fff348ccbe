"""The one place that answers "may this member do this to that?" — deny by default.

Every capability registers its rules here (in its `permissions.py`, imported by the app
factory) and asks only through `can()` / `require()`: pages, API, search hits, downloads,
realtime room joins and notification delivery all use the same answers.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from sqlalchemy import event
from sqlalchemy.orm import Session

from innsiden.errors import NotFound, PermissionDenied
from membersync.access import has_access
from membersync.models import Member

Rule = Callable[[Session, Member, Any], bool]

_RULES: dict[str, Rule] = {}


def rule(action: str) -> Callable[[Rule], Rule]:
    """Register the predicate that decides `action` (e.g. "group.read")."""

    def register(predicate: Rule) -> Rule:
        if action in _RULES and _RULES[action] is not predicate:
            raise RuntimeError(f"access rule {action!r} is defined twice")
        _RULES[action] = predicate
        return predicate

    return register


def may_use_portal(session: Session, member: Member | None) -> bool:
    """The gate in front of everything: the register grants access and the portal agrees.

    The portal-side answer is remembered in the session until its next flush, commit or
    rollback, so a page asking `can()` many times queries the vetoes once.
    """
    if member is None or not has_access(member):
        return False
    cache: dict[int, bool] = session.info.setdefault(_PORTAL_CACHE, {})
    if member.number not in cache:
        cache[member.number] = all(check(session, member) for check in _PORTAL_CHECKS)
    return cache[member.number]


_PORTAL_CACHE = "innsiden.access.portal_checks"


@event.listens_for(Session, "after_flush")
@event.listens_for(Session, "after_commit")
@event.listens_for(Session, "after_soft_rollback")
def _forget_portal_checks(session: Session, *_args: Any) -> None:
    session.info.pop(_PORTAL_CACHE, None)


# Portal-side vetoes on top of the register (e.g. an administrator's suspension).
_PORTAL_CHECKS: list[Callable[[Session, Member], bool]] = []


def portal_check(check: Callable[[Session, Member], bool]) -> Callable[[Session, Member], bool]:
    """Register a portal-side condition every member must also meet to get in."""
    _PORTAL_CHECKS.append(check)
    return check


def can(session: Session, member: Member | None, action: str, target: Any = None) -> bool:
    """True only if the member may use the portal and the rule for `action` allows it."""
    predicate = _RULES.get(action)
    if predicate is None or member is None or not may_use_portal(session, member):
        return False
    return bool(predicate(session, member, target))


def require(
    session: Session,
    member: Member | None,
    action: str,
    target: Any = None,
    *,
    visible: bool = False,
) -> None:
    """Raise unless allowed. Outside what a member can see, "not allowed" looks like "not found";
    pass `visible=True` where the member can already see the thing (then it is a 403)."""
    if not can(session, member, action, target):
        raise PermissionDenied() if visible else NotFound()


def known_actions() -> frozenset[str]:
    """Every action a rule is registered for (tests check templates ask only for these)."""
    return frozenset(_RULES)


@rule("portal.use")
def _portal_use(_session: Session, _member: Member, _target: Any) -> bool:
    return True  # may_use_portal() in can() has decided already.
