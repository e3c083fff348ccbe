"""The delivery report of a message: counts by outcome and one row per recipient."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from flask_babel import gettext as _
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from innsiden import audit
from innsiden.desk.models import DeskMessage, DeskRecipient
from membersync.models import Member, OrgUnit


@dataclass(frozen=True)
class ReportRow:
    number: int
    name: str
    state: str
    channel: str | None
    at: datetime | None
    error: str | None


def state_label(state: str) -> str:
    return {
        "pending": _("Venter"),
        "sending": _("Sendes"),
        "sent": _("Sendt"),
        "failed": _("Feilet"),
        "unsubscribed": _("Avmeldt"),
        "no_address": _("Mangler adresse"),
        "skipped": _("Ikke lenger medlem"),
    }.get(state, state)


def channel_label(channel: str | None) -> str:
    return {"email": _("E-post"), "sms": _("SMS"), "email_else_sms": _("E-post, ellers SMS")}.get(
        channel or "", "–"
    )


def counts(session: Session, message_id: int) -> dict[str, int]:
    query = (
        select(DeskRecipient.state, func.count(DeskRecipient.id))
        .where(DeskRecipient.message_id == message_id)
        .group_by(DeskRecipient.state)
    )
    return {state: number for state, number in session.execute(query)}


def rows(session: Session, message_id: int, limit: int) -> list[ReportRow]:
    query = (
        select(DeskRecipient, Member.first_name, Member.last_name)
        .join(Member, Member.number == DeskRecipient.member_number)
        .where(DeskRecipient.message_id == message_id)
        .order_by(Member.last_name, Member.first_name, Member.number)
        .limit(limit)
    )
    return [
        ReportRow(r.member_number, f"{last}, {first}", r.state, r.channel, r.sent_at, r.error)
        for r, first, last in session.execute(query)
    ]


def audited_rows(
    session: Session, actor: Member, unit: OrgUnit, message: DeskMessage, limit: int
) -> list[ReportRow]:
    """The report's rows, with an audit entry: it says who is in restanse, who opted out."""
    found = rows(session, message.id, limit)
    audit.record(
        session,
        "desk.report_viewed",
        actor_number=actor.number,
        target=f"unit:{unit.id}",
        message_id=message.id,
        count=len(found),
    )
    session.flush()
    return found
