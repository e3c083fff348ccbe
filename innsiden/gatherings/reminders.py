"""Reminders before events: chosen per event or as a member's default, sent once by a job.

A reply carries its reminder's due time. The job (`gatherings.reminders`, run by
`innsiden jobs run` every minute) claims each due reminder with a conditional UPDATE
(`… SET reminder_sent_at = now WHERE reminder_sent_at IS NULL`) and commits the claim
before sending: two runners at once, or a run repeated, send each reminder once. On
PostgreSQL the second runner's UPDATE waits for the first's row lock and then finds the
row claimed; on SQLite writing transactions are serialised.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta

from flask import current_app, render_template
from flask_babel import gettext as _
from sqlalchemy import select, update
from sqlalchemy.orm import Session

from innsiden import access
from innsiden.errors import ValidationFailed
from innsiden.gatherings.models import CHANNELS, Gathering, GatheringReply, ReminderPreference
from innsiden.gatherings.timefmt import when
from innsiden.i18n import member_locale
from innsiden.jobs import job
from innsiden.mail import Mail, Sms, send_mail, send_sms
from membersync.db import utcnow
from membersync.models import Member

log = logging.getLogger(__name__)

# Minutes before the start a member may choose (1 hour, 3 hours, 1 day, 2 days, 1 week).
MINUTES = (60, 180, 1440, 2880, 10080)
REMINDED = ("confirmed", "maybe")  # the waiting list gets its reminder once it has a place
BATCH = 200


@dataclass(frozen=True)
class ReminderChoice:
    """A reminder choice for one event: the member's default, none, or channel and time."""

    follows_default: bool
    channel: str | None = None
    minutes: int | None = None


def check_choice(channel: str | None, minutes: int | None) -> tuple[str | None, int | None]:
    """(channel, minutes), or (None, None) for no reminder; ValidationFailed if unknown."""
    if channel is None:
        return None, None
    if channel not in CHANNELS or minutes not in MINUTES:
        raise ValidationFailed(fields={"reminder": _("Velg en påminnelse fra listen.")})
    return channel, minutes


def preference(session: Session, member_number: int) -> ReminderPreference | None:
    return session.get(ReminderPreference, member_number)


def set_preference(
    session: Session, member: Member, channel: str | None, minutes: int | None
) -> None:
    """Save the member's default reminder; coming events following it are rescheduled."""
    channel, minutes = check_choice(channel, minutes)
    if channel == "sms" and not member.mobile:
        raise ValidationFailed(fields={"reminder": _("Registeret har ikke mobilnummeret ditt.")})
    row = preference(session, member.number)
    if row is None:
        row = ReminderPreference(member_number=member.number)
        session.add(row)
    row.reminder_channel, row.reminder_minutes = channel, minutes
    session.flush()
    coming = session.execute(
        select(GatheringReply, Gathering)
        .join(Gathering, Gathering.id == GatheringReply.gathering_id)
        .where(
            GatheringReply.member_number == member.number,
            GatheringReply.reminder_follows_default.is_(True),
            Gathering.starts_at > utcnow(),
        )
    )
    for reply, gathering in coming:
        schedule(session, reply, gathering, row)
    session.flush()


def apply_choice(
    session: Session, reply: GatheringReply, gathering: Gathering, choice: ReminderChoice | None
) -> None:
    """Record the member's choice for this event (None: leave it) and schedule it."""
    if choice is not None:
        if choice.follows_default:
            reply.reminder_follows_default = True
            reply.reminder_channel = reply.reminder_minutes = None
        else:
            channel, minutes = check_choice(choice.channel, choice.minutes)
            reply.reminder_follows_default = False
            reply.reminder_channel, reply.reminder_minutes = channel, minutes
    schedule(session, reply, gathering)


def effective(
    session: Session, reply: GatheringReply, default: ReminderPreference | None = None
) -> tuple[str, int] | None:
    """The reminder that applies to this reply: (channel, minutes), or None."""
    if reply.reminder_follows_default:
        default = default or preference(session, reply.member_number)
        channel = default.reminder_channel if default else None
        minutes = default.reminder_minutes if default else None
    else:
        channel, minutes = reply.reminder_channel, reply.reminder_minutes
    return (channel, minutes) if channel and minutes else None


def schedule(
    session: Session,
    reply: GatheringReply,
    gathering: Gathering,
    default: ReminderPreference | None = None,
) -> None:
    """Set when the reply's reminder is due. A time already past is skipped, not sent late."""
    chosen = effective(session, reply, default) if reply.status in REMINDED else None
    if chosen is None or gathering.cancelled:
        reply.reminder_due_at = None
        return
    due = gathering.starts_at - timedelta(minutes=chosen[1])
    if due == reply.reminder_due_at and reply.reminder_sent_at is not None:
        return  # already sent for this time
    now = utcnow()
    reply.reminder_due_at = due
    reply.reminder_sent_at = None if due > now else now


def reschedule_gathering(session: Session, gathering: Gathering) -> None:
    """The event moved: every reminder for it follows (sent again if now due later)."""
    replies = list(
        session.scalars(
            select(GatheringReply).where(
                GatheringReply.gathering_id == gathering.id,
                GatheringReply.status.in_(REMINDED),
            )
        )
    )
    numbers = [r.member_number for r in replies if r.reminder_follows_default]
    defaults = {
        p.member_number: p
        for p in session.scalars(
            select(ReminderPreference).where(ReminderPreference.member_number.in_(numbers))
        )
    }
    for reply in replies:
        reply.reminder_sent_at = None  # a new time is a new reminder
        schedule(session, reply, gathering, defaults.get(reply.member_number))
    session.flush()


@job("gatherings.reminders")
def send_due_reminders(session: Session, now: datetime | None = None) -> int:
    """Send every reminder now due, each once; returns how many were sent."""
    now = now or utcnow()
    due = list(
        session.scalars(
            select(GatheringReply.id)
            .join(Gathering, Gathering.id == GatheringReply.gathering_id)
            .where(
                GatheringReply.reminder_due_at <= now,
                GatheringReply.reminder_sent_at.is_(None),
                GatheringReply.status.in_(REMINDED),
                Gathering.status == "scheduled",
                Gathering.starts_at > now,
            )
            .order_by(GatheringReply.reminder_due_at, GatheringReply.id)
            .limit(BATCH)
        )
    )
    session.commit()
    sent = 0
    for reply_id in due:
        if not _claim(session, reply_id, now):
            continue
        try:
            sent += _send(session, reply_id)
        except Exception:
            log.exception("reminder %s could not be sent; it is tried again", reply_id)
            session.rollback()
            session.execute(
                update(GatheringReply)
                .where(GatheringReply.id == reply_id)
                .values(reminder_sent_at=None)
                .execution_options(synchronize_session=False)
            )
            session.commit()
    return sent


def _claim(session: Session, reply_id: int, now: datetime) -> bool:
    claimed = session.execute(
        update(GatheringReply)
        .where(
            GatheringReply.id == reply_id,
            GatheringReply.reminder_sent_at.is_(None),
            GatheringReply.reminder_due_at <= now,
        )
        .values(reminder_sent_at=utcnow())
        .execution_options(synchronize_session=False)
    )
    session.commit()
    return claimed.rowcount == 1


def _send(session: Session, reply_id: int) -> int:
    reply = session.get(GatheringReply, reply_id, populate_existing=True)
    if reply is None:
        return 0
    gathering = session.get(Gathering, reply.gathering_id)
    member = session.get(Member, reply.member_number)
    if gathering is None or member is None:
        return 0
    if not access.can(session, member, "gathering.see", gathering):
        return 0  # no longer a member, or no longer in the group
    chosen = effective(session, reply)
    channel = chosen[0] if chosen else "email"
    with member_locale(session, member.number):  # the reminder speaks the member's language
        return _send_in_language(gathering, member, channel)


def _send_in_language(gathering: Gathering, member: Member, channel: str) -> int:
    link = f"{current_app.config['BASE_URL']}/arrangementer/{gathering.id}"
    if channel == "sms" and member.mobile:
        text = _(
            "Påminnelse: %(title)s, %(when)s. %(link)s",
            title=gathering.title,
            when=when(gathering.starts_at),
            link=link,
        )
        send_sms(Sms(to=member.mobile, text=text))
        return 1
    if not member.email:
        return 0
    context = {"gathering": gathering, "member": member, "link": link}
    send_mail(
        Mail(
            to=member.email,
            subject=_("Påminnelse: %(title)s", title=gathering.title),
            text=render_template("gatherings/mail/reminder.txt", **context),
        )
    )
    return 1
