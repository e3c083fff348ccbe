"""The desk's rules: which unit a leader may open, writing and previewing a message, queueing
it, and copying a segment's e-mail addresses. Every send and every copy is audited."""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal

from flask_babel import gettext as _
from sqlalchemy import ColumnElement, and_, func, select
from sqlalchemy.orm import Session

from innsiden import access, audit
from innsiden.desk import segments, smsparts
from innsiden.desk.models import CHANNELS, DeskMessage, DeskOptOut
from innsiden.desk.segments import Segment
from innsiden.errors import NotFound, ValidationFailed
from innsiden.groups import unit_members
from membersync.models import Member, OrgUnit

EMAIL = re.compile(r"^[^@\s<>,;]+@[^@\s<>,;]+\.[^@\s<>,;]+$")
FIELDS = ("{fornavn}", "{etternavn}", "{medlemsnummer}")
MAX_BODY = {"email": 20_000, "sms": 1_000}


@dataclass(frozen=True)
class Draft:
    """A message as the leader wrote it (not yet stored)."""

    channel: str
    segment: Segment
    subject: str
    body: str
    reply_to: str


@dataclass(frozen=True)
class Preview:
    recipients: int  # members in the segment now
    by_email: int
    by_sms: int
    unreachable: int  # turned the channel off, or no address for it
    sms_parts: int  # per SMS, with the longest first name in the segment
    sms_cost: Decimal
    sample: str  # the text as the first recipient would get it


def desk_unit(session: Session, actor: Member, unit_id: str) -> OrgUnit:
    """The unit whose desk the actor opens; not a leader of it looks like no such page."""
    unit = session.get(OrgUnit, unit_id)
    access.require(session, actor, "desk.view", unit)
    assert unit is not None
    return unit


def desk_units(session: Session, actor: Member) -> list[OrgUnit]:
    return [
        u
        for u in unit_members.units_with_list(session, actor)
        if access.can(session, actor, "desk.view", u)
    ]


def check(session: Session, actor: Member, unit: OrgUnit, draft: Draft) -> Draft:
    """The draft cleaned up, or ValidationFailed naming each field to fix."""
    access.require(session, actor, "desk.send", unit, visible=True)
    errors: dict[str, str] = {}
    if draft.channel not in CHANNELS:
        errors["channel"] = _("Velg e-post, SMS eller «e-post, ellers SMS».")
    try:
        segment = draft.segment.checked()
    except ValidationFailed as error:
        errors.update(error.fields)
        segment = draft.segment
    subject = " ".join(draft.subject.split())
    # NUL never belongs in a message (and marks the mail frame's slots when sending).
    body = draft.body.replace("\r\n", "\n").replace("\x00", "").strip()
    uses_email = draft.channel in ("email", "email_else_sms")
    if uses_email and not 1 <= len(subject) <= 200:
        errors["subject"] = _("Skriv et emne (høyst 200 tegn).")
    limit = MAX_BODY["sms" if draft.channel == "sms" else "email"]
    if not 1 <= len(body) <= limit:
        errors["body"] = _("Skriv en melding (høyst %(n)d tegn).", n=limit)
    reply_to = draft.reply_to.strip()
    if uses_email and reply_to and not EMAIL.match(reply_to):
        errors["reply_to"] = _("Svar-adressen må være en e-postadresse.")
    if errors:
        raise ValidationFailed(fields=errors)
    return Draft(draft.channel, segment, subject, body, reply_to)


def personal(text: str, member: Member) -> str:
    """Fill in the personal fields; nothing else in the text is interpreted."""
    return (
        text.replace("{fornavn}", member.first_name)
        .replace("{etternavn}", member.last_name)
        .replace("{medlemsnummer}", str(member.number))
    )


def sms_text(body: str, member: Member) -> str:
    return personal(body, member) + "\n" + _("Svar STOPP for å slutte å få SMS fra laget.")


def preview(
    session: Session, actor: Member, unit: OrgUnit, draft: Draft, price: Decimal
) -> Preview:
    """Counts as the register stands now; the job counts again when it sends."""
    draft = check(session, actor, unit, draft)
    ids = segments.unit_ids(session, unit)
    where = segments.condition(draft.segment, ids)
    total = session.scalar(select(func.count(Member.number)).where(where)) or 0
    email_ok = _reachable(session, where, "email")
    sms_ok = _reachable(session, where, "sms")
    if draft.channel == "email":
        by_email, by_sms = email_ok, 0
    elif draft.channel == "sms":
        by_email, by_sms = 0, sms_ok
    else:
        by_email = email_ok
        by_sms = _reachable(session, where & ~_reachable_clause("email"), "sms")
    longest = session.scalar(select(func.max(func.length(Member.first_name))).where(where)) or 0
    stand_in = Member(number=0, first_name="x" * longest, last_name="")
    parts = smsparts.parts(sms_text(draft.body, stand_in)) if by_sms else 0
    first = session.scalars(select(Member).where(where).order_by(Member.number).limit(1)).first()
    stand = first or actor
    sample = sms_text(draft.body, stand) if draft.channel == "sms" else personal(draft.body, stand)
    return Preview(
        recipients=total,
        by_email=by_email,
        by_sms=by_sms,
        unreachable=total - by_email - by_sms,
        sms_parts=parts,
        sms_cost=(price * parts * by_sms).quantize(Decimal("0.01")),
        sample=sample,
    )


def _reachable_clause(channel: str) -> ColumnElement[bool]:
    off = select(DeskOptOut.member_number).where(
        DeskOptOut.member_number == Member.number, DeskOptOut.channel == channel
    )
    return and_(segments.has_address(channel), ~off.exists())


def _reachable(session: Session, where: ColumnElement[bool], channel: str) -> int:
    query = select(func.count(Member.number)).where(where, _reachable_clause(channel))
    return session.scalar(query) or 0


def queue(
    session: Session, actor: Member, unit: OrgUnit, draft: Draft, estimated: int
) -> DeskMessage:
    """Store the message for the job runner; who gets it is decided when it is sent."""
    draft = check(session, actor, unit, draft)
    message = DeskMessage(
        unit_id=unit.id,
        sender_number=actor.number,
        channel=draft.channel,
        segment=draft.segment.kind,
        since=draft.segment.since,
        role=draft.segment.role,
        subject=draft.subject,
        body=draft.body,
        reply_to=draft.reply_to or None,
        estimated_count=estimated,
    )
    session.add(message)
    session.flush()
    audit.record(
        session,
        "desk.message_sent",
        actor_number=actor.number,
        target=f"unit:{unit.id}",
        message_id=message.id,
        channel=draft.channel,
        count=estimated,
        **draft.segment.audit(),
    )
    session.flush()
    return message


def segment_count(session: Session, unit: OrgUnit, segment: Segment) -> int:
    return segments.count(session, segment, segments.unit_ids(session, unit))


def email_addresses(session: Session, actor: Member, unit: OrgUnit, segment: Segment) -> list[str]:
    """The segment's e-mail addresses (without those who turned leader e-mail off), audited."""
    access.require(session, actor, "desk.view", unit)
    segment = segment.checked()
    where = segments.condition(segment, segments.unit_ids(session, unit))
    query = (
        select(Member.email)
        .where(where, _reachable_clause("email"))
        .order_by(Member.last_name, Member.first_name, Member.number)
    )
    addresses = [a for a in dict.fromkeys(session.scalars(query)) if a]
    audit.record(
        session,
        "desk.addresses_copied",
        actor_number=actor.number,
        target=f"unit:{unit.id}",
        count=len(addresses),
        **segment.audit(),
    )
    session.flush()
    return addresses


def message_of_unit(session: Session, unit: OrgUnit, message_id: int) -> DeskMessage:
    """A message of the unit (the caller has opened the unit's desk); NotFound otherwise."""
    message = session.get(DeskMessage, message_id)
    if message is None or message.unit_id != unit.id:
        raise NotFound()
    return message


def messages_of_unit(session: Session, unit: OrgUnit, limit: int = 50) -> list[DeskMessage]:
    query = (
        select(DeskMessage)
        .where(DeskMessage.unit_id == unit.id)
        .order_by(DeskMessage.id.desc())
        .limit(limit)
    )
    return list(session.scalars(query))
