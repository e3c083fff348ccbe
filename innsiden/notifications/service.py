"""Notification rules: who gets what, what they may still see, read state and e-mail choice.

Permission is checked when a notification is created, again when it is shown, and again
when it is e-mailed: a member who left the group, lost their membership, or whose post was
hidden in the meantime sees and gets nothing about it.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime, timedelta

from flask_babel import gettext as _
from sqlalchemy import select, update
from sqlalchemy.orm import Session

from innsiden import access
from innsiden.errors import NotFound, ValidationFailed
from innsiden.groups import service as groups
from innsiden.groups.models import Group
from innsiden.groups.permissions import readable_clause
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
        raise ValidationFailed(fields={"email_mode": _("Velg et av alternativene.")})
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
        state = _email_state(session, member.number, draft)
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


def _email_state(session: Session, member_number: int, draft: Draft) -> str:
    """How a new notification is e-mailed: at once (pending), in the digest, or not at all."""
    settings = session.get(NotificationSettings, member_number)
    mode = settings.email_mode if settings else "immediate"
    if mode == "immediate" and draft.announcement:
        wants_at_once = settings is not None and settings.announcements_immediate
        return "pending" if wants_at_once else "digest"
    return {"immediate": "pending", "digest": "digest", "none": "skipped"}[mode]


def set_announcements_immediate(session: Session, member: Member, at_once: bool) -> None:
    settings_for(session, member.number).announcements_immediate = at_once
    session.flush()


def announcements_immediate(session: Session, member_number: int) -> bool:
    settings = session.get(NotificationSettings, member_number)
    return bool(settings and settings.announcements_immediate)


def take_hourly_mail_slot(
    session: Session, member_number: int, cap: int, now: datetime | None = None
) -> bool:
    """Count one immediate e-mail against the member's hour; False once the cap is reached
    (the caller moves that notification to the digest instead)."""
    now = now or utcnow()
    settings = settings_for(session, member_number)
    start = settings.mail_window_start
    if start is None or start <= now - timedelta(hours=1):
        settings.mail_window_start, settings.mail_window_count = now, 0
    if settings.mail_window_count >= cap:
        return False
    settings.mail_window_count += 1
    session.flush()
    return True


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


def may_see_all(
    session: Session, member: Member, notifications: Sequence[Notification]
) -> list[Notification]:
    """Those of `notifications` the member may see now — `may_see` for many at once.

    A fixed number of queries: one for the groups, one per subject kind with a batched
    check; kinds without one are asked item by item."""
    if not notifications or not access.may_use_portal(session, member):
        return []
    group_ids = {n.group_id for n in notifications if n.group_id is not None}
    readable: set[int] = set()
    if group_ids:
        readable = set(
            session.scalars(
                select(Group.id).where(
                    Group.id.in_(sorted(group_ids)), readable_clause(session, member)
                )
            )
        )
    by_kind: dict[str, set[str]] = {}
    for n in notifications:
        if n.subject is not None and (n.group_id is None or n.group_id in readable):
            kind, _, ident = n.subject.partition(":")
            by_kind.setdefault(kind, set()).add(ident)
    seen: set[str] = set()
    for kind, idents in by_kind.items():
        batch = registry.batch_subject_check(kind)
        if batch is not None:
            allowed = {str(ident) for ident in batch(session, member, idents)} & idents
        else:
            check = registry.subject_check(kind)
            allowed = {i for i in idents if check is not None and check(session, member, i)}
        seen.update(f"{kind}:{ident}" for ident in allowed)
    return [
        n
        for n in notifications
        if (n.group_id is None or n.group_id in readable)
        and (n.subject is None or n.subject in seen)
    ]


def visible(
    session: Session, member: Member, *, before_id: int | None = None, limit: int = PAGE_SIZE
) -> list[Notification]:
    """The member's newest notifications they may still see, newest first."""
    query = select(Notification).where(Notification.recipient_number == member.number)
    if before_id is not None:
        query = query.where(Notification.id < before_id)
    rows = session.scalars(query.order_by(Notification.id.desc()).limit(limit * 2)).all()
    return may_see_all(session, member, rows)[:limit]


def unread_count(session: Session, member: Member) -> int:
    """Unread notifications about things the member may still see (the bell's number).

    Filtered like the list (`may_see_all`), so the bell never counts what the list would
    hide, in a fixed number of queries; capped at UNREAD_CAP (the bell shows "99+" past it).
    """
    unread = session.scalars(
        select(Notification)
        .where(Notification.recipient_number == member.number, Notification.read_at.is_(None))
        .order_by(Notification.id.desc())
        .limit(UNREAD_CAP + 1)
    ).all()
    return len(may_see_all(session, member, unread))


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
