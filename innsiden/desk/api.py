"""Mitt lag in the JSON API under /api/v1/desk, calling the same service as the pages.

GET  /api/v1/desk/units                                  units whose desk the member opens
POST /api/v1/desk/<unit>/preview {channel, segment, since, role, subject, body, reply_to}
     → recipients, by_email, by_sms, unreachable, sms_parts, sms_cost, sample
POST /api/v1/desk/<unit>/messages {same}                 → 202 {id}: sent by the job runner
GET  /api/v1/desk/<unit>/messages/<id>                   the delivery report
Not a leader of the unit: 404. channel: email | sms | email_else_sms;
segment: all | restanse | new_since (with since, YYYY-MM-DD) | position (role optional).
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from flask import Blueprint, current_app, jsonify
from pydantic import BaseModel, Field
from werkzeug import Response

from innsiden.db import get_session
from innsiden.desk import report, service
from innsiden.desk.audited import audited_session
from innsiden.desk.segments import Segment
from innsiden.openapi import describe
from innsiden.web import acting_member, json_body

bp = Blueprint("desk_api", __name__, url_prefix="/api/v1/desk")
REPORT_ROWS = 5000


class UnitOut(BaseModel):
    id: str
    name: str
    type: str


class UnitList(BaseModel):
    units: list[UnitOut]


class DraftIn(BaseModel):
    channel: str = Field(description="email, sms or email_else_sms")
    segment: str = Field(default="all", description="all, restanse, new_since or position")
    since: str | None = Field(default=None, description="YYYY-MM-DD, for new_since")
    role: str | None = Field(default=None, description="A position, for segment position")
    subject: str = ""
    body: str
    reply_to: str = ""


class PreviewOut(BaseModel):
    recipients: int
    by_email: int
    by_sms: int
    unreachable: int
    sms_parts: int
    sms_cost: str = Field(description="Estimated cost in NOK, as a decimal string")
    sample: str


class Queued(BaseModel):
    id: int
    estimated_count: int


class RecipientOut(BaseModel):
    number: int
    name: str
    state: str
    channel: str | None
    sent_at: str | None


class DeliveryOut(BaseModel):
    id: int
    state: str
    channel: str
    segment: str
    recipient_count: int
    counts: dict[str, int]
    recipients: list[RecipientOut]


def _draft(body: dict[str, Any]) -> service.Draft:
    since = body.get("since")
    try:
        day = date.fromisoformat(since) if isinstance(since, str) and since else None
    except ValueError:
        day = None
    return service.Draft(
        channel=str(body.get("channel", "")),
        segment=Segment(str(body.get("segment", "all")), day, body.get("role") or None),
        subject=str(body.get("subject", "")),
        body=str(body.get("body", "")),
        reply_to=str(body.get("reply_to", "")),
    )


@bp.get("/units")
@describe("Units whose desk the member opens", response=UnitList)
def units() -> Response:
    found = service.desk_units(get_session(), acting_member())
    return jsonify({"units": [{"id": u.id, "name": u.name, "type": u.type} for u in found]})


@bp.post("/<unit_id>/preview")
@describe("Count and preview a message to the unit's members", body=DraftIn, response=PreviewOut)
def preview(unit_id: str) -> Response:
    session = get_session()
    actor = acting_member()
    unit = service.desk_unit(session, actor, unit_id)
    price = Decimal(str(current_app.config["DESK_SMS_PRICE"]))
    shown = service.preview(session, actor, unit, _draft(json_body()), price)
    session.rollback()
    return jsonify({**shown.__dict__, "sms_cost": str(shown.sms_cost)})


@bp.post("/<unit_id>/messages")
@describe("Queue a message for the job runner to send", body=DraftIn, response=Queued, status=202)
def send(unit_id: str) -> tuple[Response, int]:
    session = get_session()
    actor = acting_member()
    unit = service.desk_unit(session, actor, unit_id)
    draft = _draft(json_body())
    count = service.segment_count(session, unit, draft.segment.checked())
    message = service.queue(session, actor, unit, draft, count)
    session.commit()
    return jsonify({"id": message.id, "estimated_count": count}), 202


@bp.get("/<unit_id>/messages/<int:message_id>")
@describe("A message's delivery report (the view is audit-logged)", response=DeliveryOut)
def delivery(unit_id: str, message_id: int) -> Response:
    with audited_session() as (session, actor):
        unit = service.desk_unit(session, actor, unit_id)
        message = service.message_of_unit(session, unit, message_id)
        rows = report.audited_rows(session, actor, unit, message, REPORT_ROWS)
        counts = report.counts(session, message.id)
        session.commit()
    return jsonify(
        {
            "id": message.id,
            "state": message.state,
            "channel": message.channel,
            "segment": message.segment,
            "recipient_count": message.recipient_count,
            "counts": counts,
            "recipients": [
                {
                    "number": r.number,
                    "name": r.name,
                    "state": r.state,
                    "channel": r.channel,
                    "sent_at": r.at.isoformat() if r.at else None,
                }
                for r in rows
            ],
        }
    )
