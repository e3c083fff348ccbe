"""Change requests to the member register: asked here, decided by the register.

`ask` records the request (state `pending`); `deliver` sends it by the configured channel
after the commit (state `sent`, or `failed` with the reason); the job
`profile.deliver_change_requests` retries requests a crash left pending. The register's
next sync that carries the change confirms it (`confirm_from_mirror`, called by the job in
`innsiden.profile.follow` that reads membersync's change records).
"""

from __future__ import annotations

import logging
import re
from datetime import timedelta

from flask_babel import gettext as _
from sqlalchemy import select, update
from sqlalchemy.orm import Session

from innsiden import events
from innsiden.errors import NotFound, ValidationFailed
from innsiden.jobs import job
from innsiden.profile.channels import ChannelFailed, configured_channel
from innsiden.profile.models import ChangeRequest
from membersync.access import STATUSES_WITH_ACCESS
from membersync.db import utcnow
from membersync.models import Member
from membersync.phones import normalise_phone

log = logging.getLogger(__name__)

KINDS = ("address", "mobile", "email", "moved", "resign")
OPEN_STATES = ("pending", "sent")
RETRY_AFTER = timedelta(minutes=1)
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


def kind_labels() -> dict[str, str]:
    return {
        "address": _("Ny adresse"),
        "mobile": _("Nytt mobilnummer"),
        "email": _("Ny e-postadresse"),
        "moved": _("Jeg har flyttet til en annen kommune"),
        "resign": _("Meld meg ut"),
    }


def state_labels() -> dict[str, str]:
    return {
        "pending": _("Sendes"),
        "sent": _("Sendt til medlemsregisteret"),
        "confirmed": _("Gjennomført i registeret"),
        "failed": _("Kunne ikke sendes"),
    }


def _fields(kind: str, form: dict[str, str]) -> dict[str, str]:
    """The register's fields this request asks to change, checked as membersync would."""
    value = {k: " ".join(str(v).split()) for k, v in form.items()}
    if kind == "address":
        address, code, place = (
            value.get("address", ""),
            value.get("postal_code", ""),
            value.get("postal_place", ""),
        )
        errors = {}
        if not address:
            errors["address"] = _("Skriv adressen.")
        if not re.fullmatch(r"\d{4}", code):
            errors["postal_code"] = _("Postnummeret har fire sifre.")
        if not place:
            errors["postal_place"] = _("Skriv poststedet.")
        if errors:
            raise ValidationFailed(fields=errors)
        return {"address": address, "postal_code": code, "postal_place": place}
    if kind == "mobile":
        phone = normalise_phone(value.get("mobile", ""))
        if phone is None:
            raise ValidationFailed(fields={"mobile": _("Dette ser ikke ut som et mobilnummer.")})
        return {"mobile": phone}
    if kind == "email":
        address = value.get("email", "").lower()
        if not _EMAIL.match(address) or len(address) > 320:
            raise ValidationFailed(fields={"email": _("Dette ser ikke ut som en e-postadresse.")})
        return {"email": address}
    if kind == "moved":
        municipality = value.get("municipality", "")
        if not municipality or len(municipality) > 100:
            raise ValidationFailed(fields={"municipality": _("Skriv den nye kommunen.")})
        return {"municipality": municipality}
    if kind == "resign":
        return {"status": "utmeldt"}
    raise ValidationFailed(fields={"kind": _("Velg hva du vil endre.")})


def ask(
    session: Session, member: Member, kind: str, form: dict[str, str], message: str = ""
) -> ChangeRequest:
    """Record a change request (sent after the commit by `deliver`)."""
    fields = _fields(kind, form)
    message = message.strip()
    if len(message) > 2000:
        raise ValidationFailed(fields={"message": _("Meldingen kan ha høyst 2000 tegn.")})
    request = ChangeRequest(
        member_number=member.number, kind=kind, fields=fields, message=message, state="pending"
    )
    session.add(request)
    session.flush()
    events.record(session, "profile.change_requested", request_id=request.id)
    return request


def requests_of(session: Session, member_number: int) -> list[ChangeRequest]:
    query = select(ChangeRequest).where(ChangeRequest.member_number == member_number)
    return list(session.scalars(query.order_by(ChangeRequest.id.desc())))


def own_request(session: Session, member: Member, request_id: int) -> ChangeRequest:
    request = session.get(ChangeRequest, request_id)
    if request is None or request.member_number != member.number:
        raise NotFound()
    return request


def deliver(session: Session, request_id: int) -> ChangeRequest | None:
    """Send one pending request by the configured channel; the caller commits.

    Claimed with a conditional UPDATE, so two runners never send it twice.
    """
    claimed = session.execute(
        update(ChangeRequest)
        .where(ChangeRequest.id == request_id, ChangeRequest.state == "pending")
        .values(state="sent", sent_at=utcnow())
    )
    if claimed.rowcount != 1:
        return None
    request = session.get(ChangeRequest, request_id)
    member = session.get(Member, request.member_number) if request else None
    if request is None or member is None:
        return None
    channel = configured_channel()
    request.channel = channel.name
    try:
        channel.send(request, member)
    except ChannelFailed as error:
        request.state, request.error = "failed", str(error)[:300]
        log.warning("change request %s failed: %s", request.id, error)
    session.flush()
    return request


@job("profile.deliver_change_requests")
def deliver_pending(session: Session) -> int:
    """Requests a crash or a full outbox left pending (the request's own delivery failed)."""
    ids = session.scalars(
        select(ChangeRequest.id).where(
            ChangeRequest.state == "pending", ChangeRequest.created_at <= utcnow() - RETRY_AFTER
        )
    ).all()
    sent = 0
    for request_id in ids:
        if deliver(session, request_id) is not None:
            session.commit()
            sent += 1
    return sent


def carried_by_mirror(request: ChangeRequest, member: Member) -> bool:
    """Does the mirror now say what the member asked for?"""
    for field, wanted in request.fields.items():
        if field == "status":
            if member.in_register and member.status in STATUSES_WITH_ACCESS:
                return False
        elif (getattr(member, field, None) or "").lower() != str(wanted).lower():
            return False
    return True


def confirm_from_mirror(session: Session, member_numbers: set[int]) -> list[ChangeRequest]:
    """Mark open requests of these members confirmed where the mirror now carries them."""
    if not member_numbers:
        return []
    query = select(ChangeRequest).where(
        ChangeRequest.member_number.in_(sorted(member_numbers)),
        ChangeRequest.state.in_(OPEN_STATES),
    )
    confirmed = []
    for request in session.scalars(query):
        member = session.get(Member, request.member_number)
        if member is not None and carried_by_mirror(request, member):
            request.state, request.confirmed_at = "confirmed", utcnow()
            confirmed.append(request)
    session.flush()
    return confirmed
