"""Events in the JSON API under /api/v1/gatherings, calling the same service as the pages.

GET  /api/v1/gatherings?group=<id>&past=1            my calendar, or one group's
POST /api/v1/gatherings {group_id, title, starts_at, ends_at, description, place,
     online_url, capacity, signup_deadline, audience, questions: [{label, choices}],
     organisers: [numbers]}                          → 201 the event
GET  /api/v1/gatherings/<id>                         one event (404 if not visible)
PUT  /api/v1/gatherings/<id> {same as POST}          change it (organisers)
POST /api/v1/gatherings/<id>/cancel {reason}         cancel it (organisers)
POST /api/v1/gatherings/<id>/reply {answer: yes|maybe|no, answers: {question id: text},
     reminder: {channel: email|sms|null, minutes} | "default"}
GET  /api/v1/gatherings/<id>/attendees               organisers (audited)
POST /api/v1/gatherings/<id>/checkin {reply_id, present}
POST /api/v1/gatherings/<id>/messages {subject, body} → 202, e-mailed by the job runner
Times are ISO 8601 in UTC; input without an offset is read as Oslo time.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from flask import Blueprint, jsonify, request
from flask_babel import gettext as _
from pydantic import BaseModel, Field
from werkzeug import Response

from innsiden import access
from innsiden import listing as paging
from innsiden.db import get_session
from innsiden.errors import ValidationFailed
from innsiden.gatherings import forms, listing, messages, organise, service, signup
from innsiden.gatherings.models import Gathering, GatheringReply
from innsiden.gatherings.reminders import ReminderChoice
from innsiden.gatherings.views.organiser import audited
from innsiden.groups import service as groups
from innsiden.openapi import describe
from innsiden.web import acting_member, int_value, json_body
from membersync.db import utcnow

bp = Blueprint("gatherings_api", __name__, url_prefix="/api/v1/gatherings")


class Question(BaseModel):
    id: int
    label: str
    kind: str
    choices: list[str]


class Counts(BaseModel):
    confirmed: int
    waiting: int
    maybe: int
    declined: int


class ReplyOut(BaseModel):
    status: str = Field(description="confirmed, waiting, maybe or declined")
    position: int | None = Field(description="Place on the waiting list")
    answers: dict[str, Any]
    checked_in: bool


class GatheringOut(BaseModel):
    """An event; times are ISO 8601 in UTC."""

    id: int
    group_id: int
    group_name: str
    title: str
    description_html: str
    starts_at: datetime
    ends_at: datetime | None
    place: str
    online_url: str | None
    capacity: int | None
    signup_deadline: datetime | None
    audience: str = Field(description="group, organisation or fylkeslag")
    status: str
    cancel_reason: str
    questions: list[Question]
    counts: Counts
    mine: ReplyOut | None = Field(description="The member's own reply")
    url: str
    ics: str


class GatheringList(BaseModel):
    gatherings: list[GatheringOut]
    next: int | None


class GatheringQuery(BaseModel):
    group: int | None = Field(default=None, description="One group's events, not my calendar")
    past: str | None = Field(default=None, description="1: past events instead of upcoming")
    limit: int | None = Field(
        default=None, ge=1, le=paging.MAX_LIMIT, description="Page size (default 50)"
    )


class QuestionIn(BaseModel):
    label: str
    choices: list[str] = []


class GatheringIn(BaseModel):
    """An event to create or change; times without an offset are read as Oslo time."""

    group_id: int
    title: str
    starts_at: str
    ends_at: str | None = None
    description: str = Field(default="", description="Markdown")
    place: str = ""
    online_url: str | None = None
    capacity: int | None = None
    signup_deadline: str | None = None
    audience: str = "group"
    questions: list[QuestionIn] = []
    organisers: list[int] = []


class CancelIn(BaseModel):
    reason: str = ""


class ReminderIn(BaseModel):
    channel: str | None = Field(default=None, description="email, sms or null")
    minutes: int | None = None


class ReplyIn(BaseModel):
    answer: str = Field(description="yes, maybe or no")
    answers: dict[str, str] = {}
    reminder: ReminderIn | str | None = Field(default=None, description='Or "default"')


class ReplyAnswer(BaseModel):
    reply: ReplyOut | None
    promoted: list[int] = Field(description="Members who got a place from the waiting list")


class Attendee(BaseModel):
    reply_id: int
    member_number: int
    name: str
    position: int | None
    answers: dict[str, Any]
    checked_in: bool


class Attendees(BaseModel):
    confirmed: list[Attendee]
    waiting: list[Attendee]
    maybe: list[Attendee]
    declined: list[Attendee]


class CheckinIn(BaseModel):
    reply_id: int
    present: bool = True


class CheckinOut(BaseModel):
    reply_id: int
    checked_in: bool


class MessageIn(BaseModel):
    subject: str
    body: str


class MessageQueued(BaseModel):
    message_id: int
    queued_at: datetime


def _time(moment: Any) -> str | None:
    return moment.isoformat() if moment else None


def _reply_json(reply: GatheringReply | None, position: int | None = None) -> Any:
    if reply is None:
        return None
    return {
        "status": reply.status,
        "position": position,
        "answers": reply.answers,
        "checked_in": reply.checked_in_at is not None,
    }


def _gathering_json(g: Gathering, counts: signup.Counts, mine: Any = None) -> dict[str, Any]:
    return {
        "id": g.id,
        "group_id": g.group_id,
        "group_name": g.group.name,
        "title": g.title,
        "description_html": g.description_html,
        "starts_at": _time(g.starts_at),
        "ends_at": _time(g.ends_at),
        "place": g.place,
        "online_url": g.online_url,
        "capacity": g.capacity,
        "signup_deadline": _time(g.signup_deadline),
        "audience": g.audience,
        "status": g.status,
        "cancel_reason": g.cancel_reason,
        "questions": [
            {"id": q.id, "label": q.label, "kind": q.kind, "choices": q.choices}
            for q in g.questions
        ],
        "counts": {
            "confirmed": counts.confirmed,
            "waiting": counts.waiting,
            "maybe": counts.maybe,
            "declined": counts.declined,
        },
        "mine": mine,
        "url": f"/arrangementer/{g.id}",
        "ics": f"/arrangementer/{g.id}.ics",
    }


def _one(gathering: Gathering) -> dict[str, Any]:
    session, member = get_session(), acting_member()
    reply = signup.own_reply(session, gathering.id, member.number)
    position = signup.waiting_position(session, reply) if reply else None
    counted = signup.counts(session, [gathering.id])[gathering.id]
    return _gathering_json(gathering, counted, _reply_json(reply, position))


@bp.get("")
@describe(
    "My calendar of events, or one group's, nearest first", query=GatheringQuery,
    response=GatheringList, paged="gatherings",
)  # fmt: skip
def index() -> Response:
    session, member = get_session(), acting_member()
    group_id = request.args.get("group", "")
    if group_id.isdigit():
        group = groups.visible_group(session, member, int_value(group_id) or 0)
        query = listing.of_group(session, member, group)
    else:
        query = listing.mine(session, member)
    cursor, limit = paging.cursor_arg(), paging.limit_arg()
    after = session.get(Gathering, cursor) if cursor is not None else None
    if cursor is not None and after is None:
        message = _("Ugyldig markør: send tilbake «next» fra forrige side uendret.")
        raise ValidationFailed(message, fields={"cursor": message})
    found = listing.upcoming(
        session, member, query, past=request.args.get("past") == "1", limit=limit + 1, after=after
    )
    shown, next_cursor = paging.cut(found, limit, lambda entry: entry.gathering.id)
    return jsonify(
        paging.page(
            "gatherings",
            [_gathering_json(e.gathering, e.counts, _reply_json(e.mine)) for e in shown],
            next_cursor,
        )
    )


@bp.post("")
@describe("Create an event", body=GatheringIn, response=GatheringOut, status=201)
def create() -> tuple[Response, int]:
    session, member = get_session(), acting_member()
    body = json_body()
    group_id = body.get("group_id")
    group = groups.visible_group(session, member, int_value(group_id) or 0)
    gathering = service.create(session, member, group, forms.gathering_from_json(body))
    session.commit()
    return jsonify(_one(gathering)), 201


@bp.get("/<int:gathering_id>")
@describe("One event", response=GatheringOut)
def show(gathering_id: int) -> Response:
    return jsonify(_one(service.visible(get_session(), acting_member(), gathering_id)))


@bp.put("/<int:gathering_id>")
@describe("Change an event (organisers)", body=GatheringIn, response=GatheringOut)
def update(gathering_id: int) -> Response:
    session, member = get_session(), acting_member()
    gathering = service.update(
        session, member, gathering_id, forms.gathering_from_json(json_body())
    )
    session.commit()
    return jsonify(_one(gathering))


@bp.post("/<int:gathering_id>/cancel")
@describe("Cancel an event (organisers)", body=CancelIn, response=GatheringOut)
def cancel(gathering_id: int) -> Response:
    session, member = get_session(), acting_member()
    gathering = service.cancel(session, member, gathering_id, str(json_body().get("reason") or ""))
    session.commit()
    return jsonify(_one(gathering))


def _reminder(value: Any) -> ReminderChoice | None:
    if value is None:
        return None
    if value == "default":
        return ReminderChoice(follows_default=True)
    if not isinstance(value, dict):
        return ReminderChoice(follows_default=False)
    minutes = value.get("minutes")
    return ReminderChoice(False, value.get("channel"), int_value(minutes))


@bp.post("/<int:gathering_id>/reply")
@describe("Sign up, say maybe or decline", body=ReplyIn, response=ReplyAnswer)
def reply(gathering_id: int) -> Response:
    session, member = get_session(), acting_member()
    body = json_body()
    answers = body.get("answers") if isinstance(body.get("answers"), dict) else {}
    outcome = signup.respond(
        session,
        member,
        gathering_id,
        str(body.get("answer", "")),
        answers,
        _reminder(body.get("reminder")),
    )
    session.commit()
    return jsonify(
        {
            "reply": _reply_json(outcome.reply, outcome.position),
            "promoted": [r.member_number for r in outcome.promoted],
        }
    )


@bp.get("/<int:gathering_id>/attendees")
@describe("Who replied what (organisers; the view is audited)", response=Attendees)
def attendees(gathering_id: int) -> Response:
    with audited(gathering_id) as (session, actor, gathering):
        people = organise.attendee_list(session, actor, gathering)
        session.commit()  # nothing is shown unless the audit entry is kept
    return jsonify(
        {
            status: [
                {
                    "reply_id": a.reply.id,
                    "member_number": a.member.number,
                    "name": a.member.full_name,
                    "position": a.position,
                    "answers": a.reply.answers,
                    "checked_in": a.reply.checked_in_at is not None,
                }
                for a in people.of(status)
            ]
            for status in organise.STATUS_ORDER
        }
    )


@bp.post("/<int:gathering_id>/checkin")
@describe("Check an attendee in or out (organisers)", body=CheckinIn, response=CheckinOut)
def checkin(gathering_id: int) -> Response:
    session, member = get_session(), acting_member()
    gathering = service.visible(session, member, gathering_id)
    body = json_body()
    reply_id = body.get("reply_id")
    reply = organise.check_in(
        session,
        member,
        gathering,
        int_value(reply_id) or 0,
        body.get("present", True) is not False,
    )
    session.commit()
    return jsonify({"reply_id": reply.id, "checked_in": reply.checked_in_at is not None})


@bp.post("/<int:gathering_id>/messages")
@describe(
    "E-mail the attendees (sent by the job runner)",
    body=MessageIn,
    response=MessageQueued,
    status=202,
)
def message(gathering_id: int) -> tuple[Response, int]:
    session, member = get_session(), acting_member()
    gathering = service.visible(session, member, gathering_id)
    access.require(session, member, "gathering.organise", gathering, visible=True)
    body = json_body()
    sent = messages.write(
        session, member, gathering, str(body.get("subject", "")), str(body.get("body", ""))
    )
    session.commit()
    return jsonify({"message_id": sent.id, "queued_at": utcnow().isoformat()}), 202
