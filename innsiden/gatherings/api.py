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

from typing import Any

from flask import Blueprint, jsonify, request
from werkzeug import Response

from innsiden import access
from innsiden.db import get_session
from innsiden.gatherings import forms, listing, messages, organise, service, signup
from innsiden.gatherings.models import Gathering, GatheringReply
from innsiden.gatherings.organiser_views import audited
from innsiden.gatherings.reminders import ReminderChoice
from innsiden.groups import service as groups
from innsiden.groups.views import acting_member
from membersync.db import utcnow

bp = Blueprint("gatherings_api", __name__, url_prefix="/api/v1/gatherings")


def _body() -> dict[str, Any]:
    body = request.get_json(silent=True)
    return body if isinstance(body, dict) else {}


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
def index() -> Response:
    session, member = get_session(), acting_member()
    group_id = request.args.get("group", "")
    if group_id.isdigit():
        group = groups.visible_group(session, member, int(group_id))
        query = listing.of_group(session, member, group)
    else:
        query = listing.mine(session, member)
    found = listing.upcoming(session, member, query, past=request.args.get("past") == "1")
    return jsonify(
        {"gatherings": [_gathering_json(e.gathering, e.counts, _reply_json(e.mine)) for e in found]}
    )


@bp.post("")
def create() -> tuple[Response, int]:
    session, member = get_session(), acting_member()
    body = _body()
    group_id = body.get("group_id")
    group = groups.visible_group(session, member, group_id if isinstance(group_id, int) else 0)
    gathering = service.create(session, member, group, forms.gathering_from_json(body))
    session.commit()
    return jsonify(_one(gathering)), 201


@bp.get("/<int:gathering_id>")
def show(gathering_id: int) -> Response:
    return jsonify(_one(service.visible(get_session(), acting_member(), gathering_id)))


@bp.put("/<int:gathering_id>")
def update(gathering_id: int) -> Response:
    session, member = get_session(), acting_member()
    gathering = service.update(session, member, gathering_id, forms.gathering_from_json(_body()))
    session.commit()
    return jsonify(_one(gathering))


@bp.post("/<int:gathering_id>/cancel")
def cancel(gathering_id: int) -> Response:
    session, member = get_session(), acting_member()
    gathering = service.cancel(session, member, gathering_id, str(_body().get("reason") or ""))
    session.commit()
    return jsonify(_one(gathering))


def _int(value: Any) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def _reminder(value: Any) -> ReminderChoice | None:
    if value is None:
        return None
    if value == "default":
        return ReminderChoice(follows_default=True)
    if not isinstance(value, dict):
        return ReminderChoice(follows_default=False)
    minutes = value.get("minutes")
    return ReminderChoice(False, value.get("channel"), _int(minutes))


@bp.post("/<int:gathering_id>/reply")
def reply(gathering_id: int) -> Response:
    session, member = get_session(), acting_member()
    body = _body()
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
def checkin(gathering_id: int) -> Response:
    session, member = get_session(), acting_member()
    gathering = service.visible(session, member, gathering_id)
    body = _body()
    reply_id = body.get("reply_id")
    reply = organise.check_in(
        session,
        member,
        gathering,
        reply_id if isinstance(reply_id, int) else 0,
        body.get("present", True) is not False,
    )
    session.commit()
    return jsonify({"reply_id": reply.id, "checked_in": reply.checked_in_at is not None})


@bp.post("/<int:gathering_id>/messages")
def message(gathering_id: int) -> tuple[Response, int]:
    session, member = get_session(), acting_member()
    gathering = service.visible(session, member, gathering_id)
    access.require(session, member, "gathering.organise", gathering, visible=True)
    body = _body()
    sent = messages.write(
        session, member, gathering, str(body.get("subject", "")), str(body.get("body", ""))
    )
    session.commit()
    return jsonify({"message_id": sent.id, "queued_at": utcnow().isoformat()}), 202
