"""Organisers' messages to everyone signed up: stored with their recipients, e-mailed by a job.

Writing a message never sends mail in the request: the recipients (everyone signed up at
that moment) are stored, and the `gatherings.messages` job claims each recipient row with a
conditional UPDATE before sending, so two runners never send the same mail. A recipient is
marked sent only after the mail has gone: a send that fails is released and tried again on
the next run, and a runner that died mid-send leaves a claim that goes stale and is retried,
so an acknowledged message is never lost.
"""

from __future__ import annotations

import logging
from datetime import timedelta
from typing import Any, Literal

from flask import current_app, render_template
from flask_babel import gettext as _
from sqlalchemy import or_, select, update
from sqlalchemy.orm import Session

from innsiden import access, audit
from innsiden.errors import ValidationFailed
from innsiden.gatherings.models import (
    SIGNED_UP,
    Gathering,
    GatheringMessage,
    GatheringMessageRecipient,
    GatheringReply,
)
from innsiden.i18n import member_locale
from innsiden.jobs import job
from innsiden.mail import Mail, send_mail
from membersync.db import utcnow
from membersync.models import Member

log = logging.getLogger(__name__)
BATCH = 500
Outcome = Literal["sent", "skipped", "failed"]
STALE_CLAIM = timedelta(minutes=15)  # a runner that died mid-send: try its mails again


def write(
    session: Session, actor: Member, gathering: Gathering, subject: str, body: str
) -> GatheringMessage:
    """Queue a message to everyone signed up (Kommer, venteliste, Kanskje)."""
    access.require(session, actor, "gathering.organise", gathering, visible=True)
    subject, body = " ".join(subject.split()), body.strip()
    errors = {}
    if not 1 <= len(subject) <= 200:
        errors["subject"] = _("Skriv et emne (høyst 200 tegn).")
    if not 1 <= len(body) <= 10_000:
        errors["body"] = _("Skriv en melding (høyst 10 000 tegn).")
    if errors:
        raise ValidationFailed(fields=errors)
    message = GatheringMessage(
        gathering_id=gathering.id, sender_number=actor.number, subject=subject, body=body
    )
    session.add(message)
    session.flush()
    numbers = session.scalars(
        select(GatheringReply.member_number).where(
            GatheringReply.gathering_id == gathering.id, GatheringReply.status.in_(SIGNED_UP)
        )
    )
    session.add_all(
        GatheringMessageRecipient(message_id=message.id, member_number=number) for number in numbers
    )
    session.flush()
    audit.record(
        session,
        "gathering.message",
        actor_number=actor.number,
        target=f"gathering:{gathering.id}",
        message_id=message.id,
    )
    return message


@job("gatherings.messages")
def send_messages(session: Session) -> int:
    """E-mail queued organiser messages, each recipient once; returns how many were sent."""
    ready = or_(
        GatheringMessageRecipient.claimed_at.is_(None),
        GatheringMessageRecipient.claimed_at < utcnow() - STALE_CLAIM,
    )
    waiting = session.execute(
        select(GatheringMessageRecipient.message_id, GatheringMessageRecipient.member_number)
        .where(GatheringMessageRecipient.sent_at.is_(None), ready)
        .order_by(GatheringMessageRecipient.message_id, GatheringMessageRecipient.member_number)
        .limit(BATCH)
    ).all()
    session.commit()
    sent = 0
    for message_id, number in waiting:
        if not _claim(session, message_id, number, ready):
            continue
        outcome = _send(session, message_id, number)
        _settle(session, message_id, number, outcome)
        sent += outcome == "sent"
    return sent


def _recipient(message_id: int, number: int) -> Any:
    return (
        GatheringMessageRecipient.message_id == message_id,
        GatheringMessageRecipient.member_number == number,
        GatheringMessageRecipient.sent_at.is_(None),
    )


def _claim(session: Session, message_id: int, number: int, ready: Any) -> bool:
    claimed = session.execute(
        update(GatheringMessageRecipient)
        .where(*_recipient(message_id, number), ready)
        .values(claimed_at=utcnow())
        .execution_options(synchronize_session=False)
    )
    session.commit()
    return claimed.rowcount == 1


def _settle(session: Session, message_id: int, number: int, outcome: Outcome) -> None:
    """Mark the recipient done, or (when the mail could not go) free it for the next run."""
    done = {"claimed_at": None} if outcome == "failed" else {"sent_at": utcnow()}
    session.execute(
        update(GatheringMessageRecipient)
        .where(*_recipient(message_id, number))
        .values(**done)
        .execution_options(synchronize_session=False)
    )
    session.commit()


def _send(session: Session, message_id: int, number: int) -> Outcome:
    """Send one mail: "sent", "skipped" (no address, or no longer allowed to see the event)
    or "failed" (the mail server refused; tried again)."""
    message = session.get(GatheringMessage, message_id)
    member = session.get(Member, number)
    if message is None or member is None or not member.email:
        return "skipped"
    gathering = session.get(Gathering, message.gathering_id)
    if gathering is None or not access.can(session, member, "gathering.see", gathering):
        return "skipped"
    sender = session.get(Member, message.sender_number) if message.sender_number else None
    context = {
        "message": message,
        "gathering": gathering,
        "sender": sender,
        "link": f"{current_app.config['BASE_URL']}/arrangementer/{gathering.id}",
    }
    try:
        with member_locale(session, member.number):
            mail = Mail(
                to=member.email,
                subject=f"{gathering.title}: {message.subject}",
                text=render_template("gatherings/mail/message.txt", **context),
            )
        send_mail(mail)
    except Exception:
        log.exception(
            "message %s to %s could not be sent; tried again next run", message_id, number
        )
        return "failed"
    return "sent"
