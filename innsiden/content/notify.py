"""Pages and news in notifications: reviewers hear of items waiting for them, authors of
approval or rejection (with the reason), members of new news in their groups (per their
group settings) and in the daily digest.

Every notification's subject is "content:<id>", checked with "content.read" whenever it is
shown or e-mailed: a draft, a pending or an expired item never reaches a non-editor.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable
from datetime import datetime
from typing import Any

from flask_babel import gettext as _
from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from innsiden import access
from innsiden.admin.permissions import ADMIN_ROLE
from innsiden.content.models import ContentItem, ContentRole
from innsiden.content.roles import REVIEWER_POSITIONS, parent_place
from innsiden.content.text import item_url
from innsiden.groups import service as groups
from innsiden.groups.models import Group, GroupAppointment
from innsiden.notifications.registry import (
    DigestItem,
    Draft,
    digest_source,
    notifies,
    subject_visibility,
)
from innsiden.sanitize import plain_excerpt
from membersync.models import Member, Position


def _item(session: Session, payload: dict[str, Any]) -> ContentItem | None:
    return session.get(ContentItem, int(payload.get("item_id", 0)))


def _excerpt(item: ContentItem) -> str:
    return item.lead[:200] if item.lead else plain_excerpt(item.body_html, 200)


def reviewer_candidates(session: Session, item: ContentItem) -> set[int]:
    """Who may review the item: positions, grants and appointments at its place and above,
    each confirmed by the "content.review" rule itself."""
    group = session.get(Group, item.group_id) if item.group_id is not None else None
    places: list[int | None] = [None] if item.inherit_roles or group is None else []
    units: list[str] = []
    if group is not None:
        places.append(group.id)
        units += [group.unit_id] if group.unit_id else []
        above = parent_place(session, group) if item.inherit_roles else None
        if above is not None:
            places.append(above.id)
            units += [above.unit_id] if above.unit_id else []
    numbers = set(
        session.scalars(
            select(Position.member_number).where(
                Position.unit_id.in_(units), Position.role.in_(sorted(REVIEWER_POSITIONS))
            )
        )
    )
    place_ids = [p for p in places if p is not None]
    grant_places = [ContentRole.group_id.in_(place_ids)]
    if None in places:
        grant_places.append(ContentRole.group_id.is_(None))
    numbers |= set(
        session.scalars(
            select(ContentRole.member_number).where(
                ContentRole.role == "reviewer", or_(*grant_places)
            )
        )
    )
    if group is not None and group.kind == "interest":
        numbers |= set(
            session.scalars(
                select(GroupAppointment.member_number).where(
                    GroupAppointment.group_id == group.id,
                    GroupAppointment.role == "administrator",
                )
            )
        )
    if group is None:
        numbers |= set(
            session.scalars(select(Position.member_number).where(Position.role == ADMIN_ROLE))
        )
    return numbers


def _confirmed(
    session: Session, numbers: Iterable[int], action: str, item: ContentItem
) -> list[int]:
    found = []
    for number in sorted(numbers):
        member = session.get(Member, number)
        if member is not None and access.can(session, member, action, item):
            found.append(number)
    return found


@notifies("content.send")
def _waiting_for_review(session: Session, payload: dict[str, Any]) -> list[Draft]:
    item = _item(session, payload)
    if item is None or item.state != "til_godkjenning":
        return []
    title = _("Venter på godkjenning: %(t)s", t=item.title)
    return [
        Draft(
            number,
            "content.pending",
            title,
            item_url(item.id),
            _excerpt(item),
            item.group_id,
            f"content:{item.id}",
            payload.get("by"),
        )
        for number in _confirmed(
            session, reviewer_candidates(session, item), "content.review", item
        )
    ]


@notifies("content.godkjenn", "content.publiser", "content.avvis")
def _to_author(session: Session, payload: dict[str, Any]) -> list[Draft]:
    item = _item(session, payload)
    if item is None or item.created_by is None:
        return []
    if payload.get("action") == "avvis":
        title = _("Avvist: %(t)s", t=item.title)
        kind = "content.rejected"
        excerpt = _last_comment(session, item)
    else:
        title = _("Godkjent og publisert: %(t)s", t=item.title)
        kind, excerpt = "content.approved", _excerpt(item)
    return [
        Draft(
            item.created_by,
            kind,
            title,
            item_url(item.id),
            excerpt,
            item.group_id,
            f"content:{item.id}",
            payload.get("by"),
        )
    ]


def _last_comment(session: Session, item: ContentItem) -> str:
    from innsiden.content.workflow import history

    steps = history(session, item)
    return steps[-1].comment if steps else ""


@notifies("content.went_live")
def _new_news(session: Session, payload: dict[str, Any]) -> list[Draft]:
    item = _item(session, payload)
    if item is None or item.kind != "news" or not payload.get("first") or not item.live:
        return []
    if item.group_id is None:
        return []  # the whole organisation: shown on every front page, not sent to everyone
    group = groups.get_group(session, item.group_id)
    title = _("Nyhet i %(g)s: %(t)s", g=group.name, t=item.title)
    return [
        Draft(
            number,
            "content.news",
            title,
            item_url(item.id),
            _excerpt(item),
            item.group_id,
            f"content:{item.id}",
            item.created_by,
        )
        for number in _wanting_everything(
            session, group.id, groups.group_member_numbers(session, group)
        )
    ]


def _wanting_everything(session: Session, group_id: int, numbers: set[int]) -> list[int]:
    """Members whose setting for the group is "all": news is nobody's own thread, so those
    who chose "mine" (only threads I am in) or muted the group are not told one by one."""
    levels = groups.notification_levels(session, group_id, numbers)
    return sorted(n for n, level in levels.items() if level == "all")


@subject_visibility("content")
def _content_visible(session: Session, member: Member, ident: str) -> bool:
    item = session.get(ContentItem, int(ident)) if ident.isdigit() else None
    return access.can(session, member, "content.read", item)


@digest_source
def _news_digest(
    session: Session, member: Member, group_ids: Collection[int], since: datetime
) -> list[DigestItem]:
    if not group_ids:
        return []
    rows = session.scalars(
        select(ContentItem)
        .where(ContentItem.kind == "news", ContentItem.live.is_(True))
        .where(ContentItem.group_id.in_(sorted(set(group_ids))), ContentItem.published_at >= since)
        .order_by(ContentItem.published_at)
    ).all()
    names = {
        g.id: g.name
        for g in groups.groups_by_id(session, {r.group_id for r in rows if r.group_id}).values()
    }
    return [
        DigestItem(
            r.group_id or 0,
            names.get(r.group_id or 0, ""),
            _("Nyhet: %(t)s", t=r.title),
            item_url(r.id),
            _excerpt(r),
            r.published_at or r.created_at,
            frozenset({f"content:{r.id}"}),
        )
        for r in rows
        if access.can(session, member, "content.read", r)
    ]
