"""The job runner's side of notifications: create from events, e-mail at once, daily digests.

Each job claims its work in the database before doing it, so two runners at once (or one
run twice) send every e-mail once: immediate mails are claimed row by row (FOR UPDATE SKIP
LOCKED on PostgreSQL; SQLite's writing transactions are serialised), digests by moving the
member's `last_digest_at` past today's cut-off in a conditional UPDATE.
"""

from __future__ import annotations

import logging
from datetime import datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from flask import current_app
from sqlalchemy import and_, or_, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from innsiden import events, i18n, realtime
from innsiden.groups import service as groups
from innsiden.groups.models import GroupSubscription
from innsiden.jobs import job
from innsiden.language.service import saved_languages
from innsiden.mail import send_mail
from innsiden.notifications import mailing, registry, service
from innsiden.notifications.models import Notification, NotificationSettings
from membersync.access import STATUSES_WITH_ACCESS
from membersync.db import utcnow
from membersync.models import Member

log = logging.getLogger(__name__)

OSLO = ZoneInfo("Europe/Oslo")
DIGEST_TIME = time(7, 0)  # digests go out from 07:00 Oslo time
CLAIM_BATCH = 100
DIGESTS_PER_RUN = 500  # keep each minute's run short; the rest follow next minute
STALE_CLAIM = timedelta(minutes=15)  # a runner that died mid-send: try its mails again


@job("notifications.create")
def create_from_events(session: Session) -> int:
    """Turn committed domain events into notifications, then update the bells live."""
    created: list[Notification] = []

    def handle(event: events.Event) -> None:
        for producer in registry.producers_for(event.name):
            try:
                with session.begin_nested():
                    drafts = _in_recipients_languages(session, producer, event.payload)
                    created.extend(service.create(session, drafts))
            except Exception:
                # One broken event must not block every later one: log it and go on.
                log.exception("notification producer failed for event %s", event.id)

    events.consume(session, "notifications", handle)
    session.commit()
    push_unread_counts(session, {n.recipient_number for n in created})
    return len(created)


def _in_recipients_languages(
    session: Session, producer: registry.Producer, payload: dict[str, Any]
) -> list[registry.Draft]:
    """The producer's drafts, each written in its recipient's language.

    A notification's title is stored as text, so it must be written in the right language
    when it is made: the producer runs once in the default language and once more for each
    other language its recipients chose (producers only read, so running again is safe)."""
    drafts = list(producer(session, payload))
    chosen = saved_languages(session, {d.recipient_number for d in drafts})
    default = i18n.default_language()
    others = sorted({code for code in chosen.values() if code != default})
    kept = [d for d in drafts if chosen.get(d.recipient_number, default) == default]
    for code in others:
        with i18n.language(code):
            again = producer(session, payload)
            kept.extend(d for d in again if chosen.get(d.recipient_number) == code)
    return kept


def push_unread_counts(session: Session, member_numbers: set[int]) -> None:
    for number in member_numbers:
        member = session.get(Member, number)
        if member is not None:
            count = service.unread_count(session, member)
            realtime.emit_to_room(
                realtime.member_room(number), "notifications:count", {"unread": count}
            )


@job("notifications.send")
def send_immediate(session: Session) -> int:
    """E-mail every pending notification the recipient may still see, each exactly once."""
    session.execute(
        update(Notification)
        .where(
            Notification.email_state == "sending", Notification.claimed_at < utcnow() - STALE_CLAIM
        )
        .values(email_state="pending")
    )
    claimed = _claim_pending(session)
    cap = current_app.config["EMAILS_PER_HOUR"]
    sent = 0
    for notification_id in claimed:
        notification = session.get(Notification, notification_id)
        if notification is None:
            continue
        member = session.get(Member, notification.recipient_number)
        if member is None or not member.email or not service.may_see(session, member, notification):
            notification.email_state = "withheld"
        elif not service.take_hourly_mail_slot(session, member.number, cap):
            notification.email_state = "digest"  # enough mail this hour: tomorrow's digest
        else:
            with i18n.member_locale(session, member.number):
                mail = mailing.notification_mail(member, notification)
            send_mail(mail)
            notification.email_state, notification.emailed_at = "sent", utcnow()
            sent += 1
        session.commit()  # one by one: a crash later never re-sends these
    return sent


def _claim_pending(session: Session) -> list[int]:
    query = (
        select(Notification.id)
        .where(Notification.email_state == "pending")
        .order_by(Notification.id)
        .limit(CLAIM_BATCH)
        .with_for_update(skip_locked=True)
    )
    ids = list(session.scalars(query))
    if ids:
        session.execute(
            update(Notification)
            .where(Notification.id.in_(ids), Notification.email_state == "pending")
            .values(email_state="sending", claimed_at=utcnow())
        )
    session.commit()
    return ids


def digest_cutoff(now: datetime) -> datetime:
    """The latest 07:00 Oslo time at or before `now`, in UTC."""
    local = now.astimezone(OSLO)
    today = datetime.combine(local.date(), DIGEST_TIME, tzinfo=OSLO)
    return (today if local >= today else today - timedelta(days=1)).astimezone(now.tzinfo)


@job("notifications.digest")
def send_digests(session: Session, now: datetime | None = None) -> int:
    """Send each member with something new their daily digest, once per day."""
    now = now or utcnow()
    cutoff = digest_cutoff(now)
    sent = 0
    for number in _digest_candidates(session, cutoff):
        if not _claim_digest(session, number, now, cutoff):
            continue
        member = session.get(Member, number)
        if member is not None and _send_digest(session, member, now):
            sent += 1
        session.commit()
    return sent


def _digest_candidates(session: Session, cutoff: datetime) -> list[int]:
    query = (
        select(Member.number)
        .outerjoin(NotificationSettings, NotificationSettings.member_number == Member.number)
        .where(
            Member.in_register.is_(True),
            Member.status.in_(STATUSES_WITH_ACCESS),
            Member.email.is_not(None),
            Member.email != "",
            or_(
                NotificationSettings.member_number.is_(None),
                and_(
                    NotificationSettings.email_mode != "none",
                    or_(
                        NotificationSettings.last_digest_at.is_(None),
                        NotificationSettings.last_digest_at < cutoff,
                    ),
                ),
            ),
        )
        .order_by(Member.number)
        .limit(DIGESTS_PER_RUN)
    )
    return list(session.scalars(query))


def _claim_digest(session: Session, number: int, now: datetime, cutoff: datetime) -> bool:
    if session.get(NotificationSettings, number) is None:
        try:
            with session.begin_nested():
                session.add(NotificationSettings(member_number=number, email_mode="immediate"))
        except IntegrityError:
            pass  # another runner created it a moment ago
    claimed = session.execute(
        update(NotificationSettings)
        .where(
            NotificationSettings.member_number == number,
            or_(
                NotificationSettings.last_digest_at.is_(None),
                NotificationSettings.last_digest_at < cutoff,
            ),
        )
        .values(last_digest_at=now)
        .execution_options(synchronize_session=False)
    )
    session.commit()
    return claimed.rowcount == 1


def _send_digest(session: Session, member: Member, now: datetime) -> bool:
    settings = session.get(NotificationSettings, member.number)
    if settings is None or settings.email_mode == "none":
        return False
    since = now - timedelta(days=1)
    waiting = list(
        session.scalars(
            select(Notification)
            .where(
                Notification.recipient_number == member.number,
                Notification.email_state == "digest",
            )
            .order_by(Notification.id)
        )
    )
    with i18n.member_locale(session, member.number):  # digest items are written now
        return _send_digest_in_language(session, member, now, since, waiting)


def _send_digest_in_language(
    session: Session,
    member: Member,
    now: datetime,
    since: datetime,
    waiting: list[Notification],
) -> bool:
    shown = service.may_see_all(session, member, waiting)
    for notification in waiting:
        notification.email_state = "sent" if notification in shown else "withheld"
        notification.emailed_at = now
    group_ids = digest_group_ids(session, member)
    told = subjects_mailed(session, member.number, since)
    items = [
        item
        for source in registry.digest_sources()
        for item in source(session, member, group_ids, since)
        if item.group_id in group_ids and not (item.subjects and item.subjects <= told)
    ]
    if not shown and not items:
        return False
    send_mail(mailing.digest_mail(member, shown, items))
    return True


def subjects_mailed(session: Session, member_number: int, since: datetime) -> set[str]:
    """Subjects of the member's notifications since `since` that were e-mailed, are being
    e-mailed at once (the send job may run after the digest in the same run), or are listed
    in this digest's own notifications (already marked sent)."""
    query = select(Notification.subject).where(
        Notification.recipient_number == member_number,
        Notification.created_at >= since,
        Notification.email_state.in_(("pending", "sending", "sent")),
        Notification.subject.is_not(None),
    )
    return {subject for subject in session.scalars(query) if subject}


def digest_group_ids(session: Session, member: Member) -> set[int]:
    """Groups whose activity the member wants by e-mail: groups they are in now, not muted.

    Every group the member is in, their own lokallag and fylkeslag as much as an interest
    group, unless they chose "only what concerns me" or "nothing" for it — the same default
    ("Alt") the settings page shows. Open groups the member may read but has not joined are
    never in a digest.
    """
    mine = {group.id: group for group in groups.groups_of_member(session, member)}
    if not mine:
        return set()
    levels = dict(
        session.execute(
            select(GroupSubscription.group_id, GroupSubscription.level).where(
                GroupSubscription.member_number == member.number,
                GroupSubscription.group_id.in_(mine),
            )
        ).all()
    )
    return {group_id for group_id in mine if levels.get(group_id, "all") == "all"}
