"""Who may do what with pages and news: the "content.*" rules, each beside its set-wise SQL
form for listings (tests check the two agree).

Rules (target: a ContentItem, except where noted):
- content.read — a live (published, inside its window) item: whoever may read its place
  (the organisation: every member; a group: "group.read"; cascading news is read through
  its own place, whose members are exactly those of the groups below). A draft, a pending
  or a scheduled/expired item: only its author, its place's editors and reviewers. Anyone
  else gets 404.
- content.edit — change text, order, picture, submit, retract a pending item: the author
  while they may write in the group, editors and reviewers of the place.
- content.review — approve, reject, publish directly, retract a published item: reviewers.
- content.create (target: Place) — write a new item: members who may write in the group,
  and editors of the place (only editors at the organisation).
- content.share (target: Place) — "Deling": the group's administrators; at the
  organisation the portal administrators.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement, and_, false, or_, true
from sqlalchemy.orm import Session

from innsiden.access import can, may_use_portal, rule
from innsiden.content.models import ContentItem
from innsiden.content.roles import (
    MemberRoles,
    RoleSet,
    member_roles,
    readable_among,
    reads_group,
)
from innsiden.groups.models import Group
from innsiden.groups.permissions import readable_group_ids
from membersync.models import Member


@dataclass(frozen=True)
class Place:
    """Where content lives: a group, or the organisation itself (`group` None)."""

    group: Group | None = None

    @property
    def group_id(self) -> int | None:
        return self.group.id if self.group is not None else None


def _item(target: Any) -> ContentItem | None:
    return target if isinstance(target, ContentItem) else None


def place_readable(session: Session, member: Member, group_id: int | None) -> bool:
    if group_id is None or member_roles(session, member).admin:
        return True
    return reads_group(session, member, group_id)


def _is_author(session: Session, member: Member, item: ContentItem) -> bool:
    return item.created_by == member.number and place_readable(session, member, item.group_id)


def _holds(roles: MemberRoles, role: RoleSet, item: ContentItem) -> bool:
    return roles.admin or role.holds(item.group_id, item.inherit_roles)


@rule("content.read")
def _read(session: Session, member: Member, target: Any) -> bool:
    item = _item(target)
    if item is None:
        return False
    roles = member_roles(session, member)
    if item.live and place_readable(session, member, item.group_id):
        return True
    return _is_author(session, member, item) or _holds(roles, roles.editor, item)


@rule("content.edit")
def _edit(session: Session, member: Member, target: Any) -> bool:
    item = _item(target)
    if item is None:
        return False
    roles = member_roles(session, member)
    if _holds(roles, roles.editor, item):
        return True
    group = session.get(Group, item.group_id) if item.group_id is not None else None
    return (
        item.created_by == member.number
        and group is not None
        and can(session, member, "group.post", group)
    )


@rule("content.review")
def _review(session: Session, member: Member, target: Any) -> bool:
    item = _item(target)
    if item is None:
        return False
    roles = member_roles(session, member)
    return _holds(roles, roles.reviewer, item)


@rule("content.create")
def _create(session: Session, member: Member, target: Any) -> bool:
    if not isinstance(target, Place):
        return False
    roles = member_roles(session, member)
    if roles.admin or roles.editor.holds(target.group_id, True):
        return True
    return target.group is not None and can(session, member, "group.post", target.group)


@rule("content.share")
def _share(session: Session, member: Member, target: Any) -> bool:
    if not isinstance(target, Place):
        return False
    if target.group is None:
        return member_roles(session, member).admin
    return can(session, member, "group.administer", target.group)


# Set-wise forms of the same rules, for listings (SQL on ContentItem).


def _role_clause(role: RoleSet) -> ColumnElement[bool]:
    place = ContentItem.group_id
    parts: list[ColumnElement[bool]] = [place.in_(sorted(role.direct))]
    if role.org:
        parts += [place.is_(None), ContentItem.inherit_roles.is_(True)]
    elif role.below:
        parts.append(and_(ContentItem.inherit_roles.is_(True), place.in_(sorted(role.below))))
    return or_(*parts)


def _place_readable_clause(readable: set[int]) -> ColumnElement[bool]:
    return or_(ContentItem.group_id.is_(None), ContentItem.group_id.in_(sorted(readable)))


def editable_clause(session: Session, member: Member) -> ColumnElement[bool]:
    """SQL: items whose editors include the member through a role (authors aside)."""
    roles = member_roles(session, member)
    return true() if roles.admin else _role_clause(roles.editor)


def reviewable_clause(session: Session, member: Member) -> ColumnElement[bool]:
    """SQL form of "content.review"."""
    roles = member_roles(session, member)
    return true() if roles.admin else _role_clause(roles.reviewer)


def readable_clause(
    session: Session, member: Member, within: Collection[int] | None = None
) -> ColumnElement[bool]:
    """SQL form of "content.read": what a listing may show this member.

    `within`: the only groups the listing looks in (besides the organisation), so their
    readability is asked group by group instead of computing every readable group."""
    if not may_use_portal(session, member):
        return false()
    roles = member_roles(session, member)
    if roles.admin:
        return true()
    if within is None:
        readable = readable_group_ids(session, member)
    else:
        readable = readable_among(session, member, within)
    place = _place_readable_clause(readable)
    return or_(
        and_(ContentItem.live.is_(True), place),
        and_(ContentItem.created_by == member.number, place),
        _role_clause(roles.editor),
    )
