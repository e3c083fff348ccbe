"""Meetings in the JSON API under /api/v1/meetings, calling the same service as the pages.

GET  /api/v1/meetings/<id>                  the meeting, agenda, my line on the roll (with the
                                            reason in words), whether I am present, the count
POST /api/v1/meetings/<id>/check-in {code}  → {"present": true, "count": {...}}
POST /api/v1/meetings/<id>/check-out        → {"present": false, "count": {...}}
GET  /api/v1/meetings/profiles              the newest version of every statute profile
POST /api/v1/meetings/profiles {key, profile} → 201 a new version (portal administrators)
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, jsonify
from werkzeug import Response

from innsiden import access
from innsiden.db import get_session, session_factory
from innsiden.errors import NotFound
from innsiden.meetings import attendance, roll, service
from innsiden.meetings.models import Meeting, MeetingProfile
from innsiden.web import acting_member, json_body

bp = Blueprint("meetings_api", __name__, url_prefix="/api/v1/meetings")


def _meeting(meeting_id: int) -> Meeting:
    session, member = get_session(), acting_member()
    meeting = session.get(Meeting, meeting_id)
    if meeting is None:
        raise NotFound()
    access.require(session, member, "meeting.read", meeting)
    return meeting


def _count(meeting: Meeting) -> dict[str, int]:
    shown = attendance.count(get_session(), meeting)
    return {"present": shown.present, "voters": shown.voters}


def _profile_json(row: MeetingProfile) -> dict[str, Any]:
    return {"id": row.id, "key": row.key, "version": row.version, "profile": row.data}


@bp.get("/<int:meeting_id>")
def show(meeting_id: int) -> Response:
    session, member = get_session(), acting_member()
    meeting = _meeting(meeting_id)
    profile = service.profile_of(session, meeting)
    entry = roll.entry_of(session, meeting, member.number)
    return jsonify({
        "id": meeting.id, "group_id": meeting.group_id, "title": meeting.title,
        "starts_at": meeting.starts_at.isoformat(), "place": meeting.place,
        "online_url": meeting.online_url, "profile_id": meeting.profile_id,
        "agenda": [{"position": i.position, "kind": i.kind, "title": service.item_title(i, profile)}
                   for i in service.agenda(session, meeting)],
        "deadlines": {k: v.isoformat() for k, v in service.deadlines(meeting, profile).items()},
        "roll_state": meeting.roll_state,
        "my_roll": None if meeting.roll_state == "none" else {
            "eligible": bool(entry and entry.eligible), "reason": roll.reason_words(entry),
        },
        "present": attendance.is_present(session, meeting, member.number),
        "count": _count(meeting),
    })  # fmt: skip


@bp.post("/<int:meeting_id>/check-in")
def check_in(meeting_id: int) -> Response:
    session, member = get_session(), acting_member()
    meeting = _meeting(meeting_id)
    attendance.check_in(session, member, meeting, str(json_body().get("code", "")))
    session.commit()
    return jsonify({"present": True, "count": _count(meeting)})


@bp.post("/<int:meeting_id>/check-out")
def check_out(meeting_id: int) -> Response:
    session, member = get_session(), acting_member()
    meeting = _meeting(meeting_id)
    attendance.check_out(session, member, meeting)
    session.commit()
    return jsonify({"present": False, "count": _count(meeting)})


@bp.get("/profiles")
def profiles() -> Response:
    session = get_session()
    session.commit()  # end this request's snapshot: nothing of it is pending
    with session_factory()() as writer:  # the presets are made once, whoever asks first
        service.ensure_presets(writer)
        writer.commit()
    return jsonify({"profiles": [_profile_json(r) for r in service.current_profiles(session)]})


@bp.post("/profiles")
def revise_profile() -> tuple[Response, int]:
    session, member = get_session(), acting_member()
    body = json_body()
    profile = body.get("profile")
    row = service.revise_profile(
        session, member, str(body.get("key", "")), profile if isinstance(profile, dict) else {}
    )
    session.commit()
    return jsonify(_profile_json(row)), 201
