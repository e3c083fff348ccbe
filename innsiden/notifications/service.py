"""Notification rules: who gets what, what they may still see, read state and e-mail choice.

Permission is checked when a notification is created, again when it is shown, and again
when it is e-mailed: a member who left the group, lost their membership, or whose post was
hidden in the meantime sees and gets nothing about it.
"""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from innsiden import access
from innsiden.errors import NotFound, ValidationFailed
from innsiden.groups import service as groups
from innsiden.groups.models import Group
from innsiden.notifications import registry
from innsiden.notifications.models import EMAIL_MODES, Notification, NotificationSettings
from innsiden.notifications.registry import Draft
from membersync.db import utcnow
from membersync.models import Member

PAGE_SIZE = 30
UNREAD_CAP = 99


def email_mode(session: Session, member_number: int) -> str:
    settings = session.get(NotificationSettings, member_number)
    return settings.email_mode if settings else "immediate"


def settings_for(session: Session, member_number: int) -> NotificationSettings:
    settings = session.get(NotificationSettings, member_number)
    if settings is None:
        settings = NotificationSettings(member_number=member_number, email_mode="immediate")
        session.add(settings)
        session.flush()
    return settings


def set_email_mode(session: Session, member: Member, mode: str) -> None:
    if mode not in EMAIL_MODES:
        raise ValidationFailed(fields={"email_mode": "Velg et av alternativene."})
    settings_for(session, member.number).email_mode = mode
    session.flush()


def create(session: Session, drafts: Iterable[Draft]) -> list[Notification]:
    """Store the drafts that still apply; returns the notifications created."""
    created = []
    for draft in drafts:
        if draft.recipient_number == draft.actor_number:
            continue  # nobody is told about their own doing
        member = session.get(Member, draft.recipient_number)
        if member is None or not access.may_use_portal(session, member):
            continue
        if draft.group_id is not None:
            level = groups.notification_level(session, member.number, draft.group_id)
            if level == "none":
                continue  # muted
        if _already_unread(session, draft):
            continue
        mode = email_mode(session, member.number)
        state = {"immediate": "pending", "digest": "digest", "none": "skipped"}[mode]
        if not member.email:
            state = "skipped"
        notification = Notification(
            recipient_number=member.number,
            kind=draft.kind,
            group_id=draft.group_id,
            subject=draft.subject,
            actor_number=draft.actor_number,
            title=draft.title[:300],
            excerpt=draft.excerpt[:600],
            url=draft.url,
            email_state=state,
        )
        if may_see(session, member, notification):
            session.add(notification)
            created.append(notification)
    session.flush()
    return created


def _already_unread(session: Session, draft: Draft) -> bool:
    if draft.subject is None:
        return False
    query = select(Notification.id).where(
        Notification.recipient_number == draft.recipient_number,
        Notification.kind == draft.kind,
        Notification.subject == draft.subject,
        Notification.read_at.is_(None),
    )
    return session.scalar(query.limit(1)) is not None


def may_see(session: Session, member: Member, notification: Notification) -> bool:
    """May the member be shown or sent this notification now? (Deny by default.)"""
    if not access.may_use_portal(session, member):
        return False
    if notification.group_id is not None:
        group = session.get(Group, notification.group_id)
        if group is None or not access.can(session, member, "group.read", group):
            return False
    if notification.subject is not None:
        kind, _, ident = notification.subject.partition(":")
        check = registry.subject_check(kind)
        if check is None or not check(session, member, ident):
            return False
    return True


def visible(
    session: Session, member: Member, *, before_id: int | None = None, limit: int = PAGE_SIZE
) -> list[Notification]:
    """The member's newest notifications they may still see, newest first."""
    query = select(Notification).where(Notification.recipient_number == member.number)
    if before_id is not None:
        query = query.where(Notification.id < before_id)
    rows = session.scalars(query.order_by(Notification.id.desc()).limit(limit * 2)).all()
    return [n for n in rows if may_see(session, member, n)][:limit]


def unread_count(session: Session, member: Member) -> int:
    """Unread notifications about things the member may still see (the bell's number).

    Checked one by one like the list, so the bell never counts what the list would hide;
    capped at UNREAD_CAP (the bell shows "99+" past it).
    """
    unread = session.scalars(
        select(Notification)
        .where(Notification.recipient_number == member.number, Notification.read_at.is_(None))
        .order_by(Notification.id.desc())
        .limit(UNREAD_CAP + 1)
    ).all()
    return sum(1 for notification in unread if may_see(session, member, notification))


def mark_read(session: Session, member: Member, notification_id: int) -> Notification:
    notification = session.get(Notification, notification_id)
    if notification is None or notification.recipient_number != member.number:
        raise NotFound()
    if notification.read_at is None:
        notification.read_at = utcnow()
    session.flush()
    return notification


def mark_all_read(session: Session, member: Member) -> int:
    result = session.execute(
        update(Notification)
        .where(Notification.recipient_number == member.number, Notification.read_at.is_(None))
        .values(read_at=utcnow())
    )
    return result.rowcount or 0
