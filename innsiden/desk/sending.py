"""Sending leader messages: the job `desk.send_messages`.

1. Resolve: a queued message is moved to "sending" by a conditional UPDATE, and in the same
   transaction its recipients are inserted from the register as it stands now
   (INSERT … SELECT: nothing is loaded into memory). A crash rolls both back.
2. Send: recipients are claimed in batches (pending → sending, with a claim token) by a
   conditional UPDATE that is committed before anything is sent, so two runners never send
   to the same member, and a runner that dies mid-batch leaves rows that are never re-sent.
   On PostgreSQL the claim skips rows another runner has locked (SKIP LOCKED); on SQLite
   writers are serialised by the write lock taken at BEGIN.
3. Each recipient ends sent, failed (after retries), unsubscribed, no_address or skipped
   (no longer a member when their batch came up). Sending is throttled per channel by the
   provider settings (messages per minute, counted across runners in the database).
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Iterable
from datetime import timedelta
from typing import Any

from flask import current_app, render_template
from sqlalchemy import func, insert, literal, select, update
from sqlalchemy.orm import Session

from innsiden import audit
from innsiden.desk import optout, segments
from innsiden.desk.models import DeskMessage, DeskRecipient
from innsiden.desk.segments import Segment
from innsiden.desk.service import personal, sms_text
from innsiden.jobs import job
from innsiden.mail import Mail, Sms, send_mail, send_sms
from membersync.db import utcnow
from membersync.models import Member, OrgUnit

log = logging.getLogger(__name__)

BATCH = 500
MAX_ATTEMPTS = 3
RETRY_AFTER = timedelta(minutes=2)
STALE_CLAIM = timedelta(minutes=30)  # a runner that died mid-batch: report, never re-send


@job("desk.send_messages")
def send_messages(session: Session) -> int:
    """Resolve queued messages and send what is due; returns how many were delivered."""
    while _resolve_next(session):
        pass
    _fail_stale_claims(session)
    sent = 0
    for message_id in _sending(session):
        sent += send_message(session, message_id)
        _finish_if_done(session, message_id)
    return sent


# --- resolve -----------------------------------------------------------------------------


def _resolve_next(session: Session) -> bool:
    message_id = session.scalar(
        select(DeskMessage.id)
        .where(DeskMessage.state == "queued")
        .order_by(DeskMessage.id)
        .limit(1)
    )
    session.commit()
    if message_id is None:
        return False
    now = utcnow()
    claimed = session.execute(
        update(DeskMessage)
        .where(DeskMessage.id == message_id, DeskMessage.state == "queued")
        .values(state="sending", resolved_at=now)
        .execution_options(synchronize_session=False)
    )
    if claimed.rowcount != 1:
        session.rollback()  # another runner resolved it
        return True
    message = session.get(DeskMessage, message_id)
    assert message is not None
    unit = session.get(OrgUnit, message.unit_id)
    segment = Segment(message.segment, message.since, message.role)
    ids = segments.unit_ids(session, unit) if unit is not None else []
    chosen = segments.numbers(segment, ids).add_columns(literal(message_id), literal("pending"))
    session.execute(
        insert(DeskRecipient).from_select(["member_number", "message_id", "state"], chosen)
    )
    count = session.scalar(
        select(func.count(DeskRecipient.id)).where(DeskRecipient.message_id == message_id)
    )
    message.recipient_count = count or 0
    audit.record(
        session,
        "desk.message_resolved",
        actor_number=message.sender_number,
        target=f"unit:{message.unit_id}",
        message_id=message_id,
        count=message.recipient_count,
        **segment.audit(),
    )
    session.commit()
    return True


# --- send --------------------------------------------------------------------------------


def _sending(session: Session) -> list[int]:
    ids = list(
        session.scalars(
            select(DeskMessage.id).where(DeskMessage.state == "sending").order_by(DeskMessage.id)
        )
    )
    session.commit()
    return ids


def send_message(session: Session, message_id: int) -> int:
    """Send a message's due recipients batch by batch, within the providers' rates."""
    sent = 0
    while True:
        room = _room(session, message_id)
        if room <= 0:
            break
        claim, rows = _claim(session, message_id, min(BATCH, room))
        if not rows:
            break
        sent += _deliver(session, message_id, claim, rows)
    return sent


def _per_minute(channel: str) -> int:
    """The provider's rate (0: unlimited)."""
    return int(
        current_app.config["DESK_SMS_PER_MINUTE" if channel == "sms" else "DESK_EMAIL_PER_MINUTE"]
    )


def _room(session: Session, message_id: int) -> int:
    """How many more may be claimed now without going over a provider's rate."""
    message = session.get(DeskMessage, message_id)
    if message is None:
        return 0
    channels = ["email", "sms"] if message.channel == "email_else_sms" else [message.channel]
    room = BATCH
    since = utcnow() - timedelta(minutes=1)
    for channel in channels:
        limit = _per_minute(channel)
        if limit <= 0:
            continue
        recent = select(func.count(DeskRecipient.id)).where(
            DeskRecipient.channel == channel, DeskRecipient.sent_at >= since
        )
        room = min(room, limit - (session.scalar(recent) or 0))
    session.commit()
    return room


def _claim(session: Session, message_id: int, size: int) -> tuple[str, list[tuple[int, int]]]:
    """Claim up to `size` due recipients for this runner; committed before sending."""
    token = uuid.uuid4().hex
    now = utcnow()
    due = (
        select(DeskRecipient.id)
        .where(
            DeskRecipient.message_id == message_id,
            DeskRecipient.state == "pending",
            (DeskRecipient.next_attempt_at.is_(None)) | (DeskRecipient.next_attempt_at <= now),
        )
        .order_by(DeskRecipient.id)
        .limit(size)
        .with_for_update(skip_locked=True)
    )
    ids = list(session.scalars(due))
    if ids:
        session.execute(
            update(DeskRecipient)
            .where(DeskRecipient.id.in_(ids), DeskRecipient.state == "pending")
            .values(state="sending", claim=token, claimed_at=now)
            .execution_options(synchronize_session=False)
        )
    session.commit()
    rows = session.execute(
        select(DeskRecipient.id, DeskRecipient.member_number)
        .where(DeskRecipient.claim == token, DeskRecipient.state == "sending")
        .order_by(DeskRecipient.id)
    ).all()
    session.commit()
    return token, [(row[0], row[1]) for row in rows]


def _deliver(session: Session, message_id: int, claim: str, rows: list[tuple[int, int]]) -> int:
    message = session.get(DeskMessage, message_id)
    unit = session.get(OrgUnit, message.unit_id) if message else None
    if message is None or unit is None:
        return 0
    numbers = [number for _, number in rows]
    # Still a member of the unit by the register's status at this moment?
    members = {
        m.number: m
        for m in session.scalars(
            select(Member).where(
                Member.number.in_(numbers), segments.in_unit(segments.unit_ids(session, unit))
            )
        )
    }
    off = optout.opted_out_of(session, numbers)
    sender = session.get(Member, message.sender_number)
    context = _mail_context(message, unit, sender)
    results: list[dict[str, Any]] = []
    sent = 0
    for recipient_id, number in rows:
        result = _send_one(message, members.get(number), off.get(number, set()), context)
        result["id"] = recipient_id
        sent += result["state"] == "sent"
        results.append(result)
    _write(session, results)
    return sent


def _choose(message: DeskMessage, member: Member, off: set[str]) -> tuple[str | None, str]:
    """(channel, state if none): the channel this member gets the message on."""
    wanted = ["email", "sms"] if message.channel == "email_else_sms" else [message.channel]
    unsubscribed = False
    for channel in wanted:
        address = member.email if channel == "email" else member.mobile
        if not address:
            continue
        if channel in off:
            unsubscribed = True
            continue
        return channel, ""
    return None, "unsubscribed" if unsubscribed else "no_address"


def _send_one(
    message: DeskMessage, member: Member | None, off: set[str], context: dict[str, Any]
) -> dict[str, Any]:
    now = utcnow()
    if member is None:
        return {"state": "skipped", "error": "ikke lenger medlem", "claim": None}
    channel, state = _choose(message, member, off)
    if channel is None:
        return {"state": state, "claim": None}
    address = member.email if channel == "email" else member.mobile
    try:
        if channel == "email":
            send_mail(_mail(message, member, context))
        else:
            send_sms(Sms(to=str(member.mobile), text=sms_text(message.body, member)))
    except Exception as error:  # a provider's failure: retry later, a few times
        log.warning("desk message %s to %s failed: %s", message.id, member.number, error)
        return {
            "state": "failed",
            "channel": channel,
            "address": address,
            "error": str(error)[:300],
        }
    return {"state": "sent", "channel": channel, "address": address, "sent_at": now, "claim": None}


_BODY, _STOP = "\x00body\x00", "\x00stop\x00"


def _mail_context(message: DeskMessage, unit: OrgUnit, sender: Member | None) -> dict[str, Any]:
    """The e-mail's frame, rendered once per batch; each recipient's parts are put in after."""
    frame = render_template(
        "desk/mail/message.txt",
        body=_BODY,
        unsubscribe_url=_STOP,
        unit=unit,
        sender=sender,
        organisation=current_app.config["ORGANISATION_NAME"],
        reply_to=message.reply_to,
        settings_url=f"{current_app.config['BASE_URL']}/mitt-lag/mine-valg",
    )
    return {"frame": frame}


def _mail(message: DeskMessage, member: Member, context: dict[str, Any]) -> Mail:
    stop_url = optout.unsubscribe_url(member.number, "email")
    text = context["frame"].replace(_STOP, stop_url).replace(_BODY, personal(message.body, member))
    headers = {
        # RFC 8058: mail clients offer one-click unsubscribe and POST to the URL themselves.
        "List-Unsubscribe": f"<{stop_url}>",
        "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
    }
    if message.reply_to:
        headers["Reply-To"] = message.reply_to
    return Mail(
        to=str(member.email), subject=personal(message.subject, member), text=text, headers=headers
    )


def _write(session: Session, results: Iterable[dict[str, Any]]) -> None:
    """Record each recipient's outcome; failures go back to pending until the last attempt."""
    rows = []
    now = utcnow()
    attempts = dict(
        session.execute(
            select(DeskRecipient.id, DeskRecipient.attempts).where(
                DeskRecipient.id.in_([r["id"] for r in results])
            )
        ).all()
    )
    for result in results:
        row = {"id": result["id"], **{k: v for k, v in result.items() if k != "id"}}
        if result["state"] == "failed":
            tries = attempts.get(result["id"], 0) + 1
            row["attempts"] = tries
            if tries < MAX_ATTEMPTS:
                row |= {"state": "pending", "next_attempt_at": now + RETRY_AFTER * tries}
            row["claim"] = None
        rows.append(row)
    for group in _by_keys(rows).values():
        session.execute(update(DeskRecipient), group)
    session.commit()


def _by_keys(rows: list[dict[str, Any]]) -> dict[tuple[str, ...], list[dict[str, Any]]]:
    # Bulk UPDATE by primary key needs the same columns in every row of one statement.
    grouped: dict[tuple[str, ...], list[dict[str, Any]]] = {}
    for row in rows:
        grouped.setdefault(tuple(sorted(row)), []).append(row)
    return grouped


def _fail_stale_claims(session: Session) -> None:
    """Rows claimed by a runner that never finished: unknown whether sent, so never re-sent."""
    session.execute(
        update(DeskRecipient)
        .where(DeskRecipient.state == "sending", DeskRecipient.claimed_at < utcnow() - STALE_CLAIM)
        .values(state="failed", error="avbrutt under sending")
        .execution_options(synchronize_session=False)
    )
    session.commit()


def _finish_if_done(session: Session, message_id: int) -> None:
    open_rows = session.scalar(
        select(func.count(DeskRecipient.id)).where(
            DeskRecipient.message_id == message_id, DeskRecipient.state.in_(("pending", "sending"))
        )
    )
    if not open_rows:
        session.execute(
            update(DeskMessage)
            .where(DeskMessage.id == message_id, DeskMessage.state == "sending")
            .values(state="done", finished_at=utcnow())
            .execution_options(synchronize_session=False)
        )
    session.commit()
