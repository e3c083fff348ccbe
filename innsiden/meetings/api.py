"""Meetings in the JSON API under /api/v1/meetings, calling the same service as the pages.

GET  /api/v1/meetings/<id>                  the meeting, agenda, my line on the roll (with the
                                            reason in words), whether I am present, the count
POST /api/v1/meetings/<id>/check-in {code}  → {"present": true, "count": {...}}
POST /api/v1/meetings/<id>/check-out        → {"present": false, "count": {...}}
GET  /api/v1/meetings/<id>/votes            the votes, each with the rights I may use in it
GET  /api/v1/meetings/<id>/votes/<vote>     one vote: state, turnout, my rights, the result
POST /api/v1/meetings/<id>/votes/<vote>/cast {choice, for?}  → {"receipt": … | null}
POST /api/v1/meetings/<id>/votes/<vote>/written-ballot       → the vote, now secret
GET  /api/v1/meetings/<id>/proxies          {"given": …, "held": [...]}
POST /api/v1/meetings/<id>/proxies {holder} → 201 my proxy, offered to `holder`
POST /api/v1/meetings/<id>/proxies/revoke   → my proxy taken back
POST /api/v1/meetings/<id>/proxies/<giver>/accept | /decline
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
from innsiden.meetings import api_schemas as S
from innsiden.meetings import attendance, live, proxies, roll, service, voting
from innsiden.meetings.models import Meeting, MeetingProfile, MeetingVote
from innsiden.openapi import describe
from innsiden.web import acting_member, int_value, json_body

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
@describe("The meeting: agenda, deadlines, my line on the roll, the count", response=S.MeetingOut)
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
@describe("Check in with the room's code", body=S.MeetingCheckIn, response=S.MeetingPresence)
def check_in(meeting_id: int) -> Response:
    session, member = get_session(), acting_member()
    meeting = _meeting(meeting_id)
    attendance.check_in(session, member, meeting, str(json_body().get("code", "")))
    session.commit()
    live.push_present(session, meeting)
    return jsonify({"present": True, "count": _count(meeting)})


@bp.post("/<int:meeting_id>/check-out")
@describe("Check out", response=S.MeetingPresence)
def check_out(meeting_id: int) -> Response:
    session, member = get_session(), acting_member()
    meeting = _meeting(meeting_id)
    attendance.check_out(session, member, meeting)
    session.commit()
    live.push_present(session, meeting)
    return jsonify({"present": False, "count": _count(meeting)})


def _vote_json(meeting: Meeting, vote: MeetingVote) -> dict[str, Any]:
    session, member = get_session(), acting_member()
    result = vote.result if vote.state == "closed" else None
    return {
        "id": vote.id, "question": vote.question, "state": vote.state, "written": vote.secret,
        "electorate_at_opening": vote.electorate_size,
        "electorate_at_close": vote.electorate_at_close,
        "voted": voting.turnout(session, vote),
        "my_rights": [
            {"member_number": r.member_number, "proxy": r.proxy, "name": r.name,
             "voted": r.voted, "choice": r.choice}
            for r in voting.rights_of(session, vote, member.number)
        ],
        "result": result,
        "result_words": voting.result_words(result) if result else None,
    }  # fmt: skip


@bp.get("/<int:meeting_id>/votes")
@describe("The votes, each with the rights I may use in it", response=S.MeetingVoteList)
def votes(meeting_id: int) -> Response:
    meeting = _meeting(meeting_id)
    items = [_vote_json(meeting, v) for v in voting.votes_of(get_session(), meeting)]
    return jsonify({"items": items})


@bp.get("/<int:meeting_id>/votes/<int:vote_id>")
@describe("One vote: state, turnout, my rights, the result", response=S.MeetingVoteOut)
def vote(meeting_id: int, vote_id: int) -> Response:
    meeting = _meeting(meeting_id)
    return jsonify(_vote_json(meeting, voting.vote_for(get_session(), meeting, vote_id)))


@bp.post("/<int:meeting_id>/votes/<int:vote_id>/cast")
@describe("Vote, as myself or as a proxy", body=S.MeetingCastIn, response=S.MeetingCastOut)
def cast(meeting_id: int, vote_id: int) -> Response:
    session, member = get_session(), acting_member()
    meeting = _meeting(meeting_id)
    body = json_body()
    the_vote = voting.vote_for(session, meeting, vote_id)
    receipt = voting.cast(session, member, meeting, the_vote, str(body.get("choice", "")),
                          int_value(body.get("for")))  # fmt: skip
    session.commit()
    live.push_turnout(session, the_vote)
    return jsonify({"voted": True, "receipt": receipt})


@bp.post("/<int:meeting_id>/votes/<int:vote_id>/written-ballot")
@describe("Ask for a written (secret) ballot", response=S.MeetingVoteOut)
def written_ballot(meeting_id: int, vote_id: int) -> Response:
    session, member = get_session(), acting_member()
    meeting = _meeting(meeting_id)
    the_vote = voting.vote_for(session, meeting, vote_id)
    voting.request_written(session, member, meeting, the_vote)
    session.commit()
    return jsonify(_vote_json(meeting, the_vote))


def _proxy_json(line: proxies.ProxyLine | None) -> dict[str, Any] | None:
    if line is None:
        return None
    return {"giver": line.giver_number, "holder": line.holder_number, "state": line.state,
            "name": line.other_name}  # fmt: skip


def _proxies_json(meeting: Meeting) -> dict[str, Any]:
    session, member = get_session(), acting_member()
    return {
        "allowed": service.profile_of(session, meeting).proxies_allowed,
        "given": _proxy_json(proxies.given_by(session, meeting, member.number)),
        "held": [_proxy_json(p) for p in proxies.held_by(session, meeting, member.number)],
    }


@bp.get("/<int:meeting_id>/proxies")
@describe("The proxy I gave and those I hold", response=S.MeetingProxies)
def my_proxies(meeting_id: int) -> Response:
    return jsonify(_proxies_json(_meeting(meeting_id)))


@bp.post("/<int:meeting_id>/proxies")
@describe("Give my proxy", body=S.MeetingProxyIn, response=S.MeetingProxies, status=201)
def give_proxy(meeting_id: int) -> tuple[Response, int]:
    session, member = get_session(), acting_member()
    meeting = _meeting(meeting_id)
    proxies.issue(session, member, meeting, int_value(json_body().get("holder")))
    session.commit()
    return jsonify(_proxies_json(meeting)), 201


@bp.post("/<int:meeting_id>/proxies/revoke")
@describe("Take my proxy back", response=S.MeetingProxies)
def revoke_proxy(meeting_id: int) -> Response:
    session, member = get_session(), acting_member()
    meeting = _meeting(meeting_id)
    proxies.revoke(session, member, meeting)
    session.commit()
    return jsonify(_proxies_json(meeting))


@bp.post("/<int:meeting_id>/proxies/<int:giver>/<any(accept, decline):answer>")
@describe("Accept or decline a proxy offered to me", response=S.MeetingProxies)
def answer_proxy(meeting_id: int, giver: int, answer: str) -> Response:
    session, member = get_session(), acting_member()
    meeting = _meeting(meeting_id)
    if answer == "accept":
        proxies.accept(session, member, meeting, giver)
    else:
        proxies.decline(session, member, meeting, giver)
    session.commit()
    return jsonify(_proxies_json(meeting))


@bp.get("/profiles")
@describe("The newest version of every statute profile", response=S.MeetingProfileList)
def profiles() -> Response:
    session = get_session()
    session.commit()  # end this request's snapshot: nothing of it is pending
    with session_factory()() as writer:  # the presets are made once, whoever asks first
        service.ensure_presets(writer)
        writer.commit()
    return jsonify({"profiles": [_profile_json(r) for r in service.current_profiles(session)]})


@bp.post("/profiles")
@describe(
    "A new version of a statute profile (portal administrators)",
    body=S.MeetingProfileIn,
    response=S.MeetingProfileOut,
    status=201,
)
def revise_profile() -> tuple[Response, int]:
    session, member = get_session(), acting_member()
    body = json_body()
    profile = body.get("profile")
    row = service.revise_profile(
        session, member, str(body.get("key", "")), profile if isinstance(profile, dict) else {}
    )
    session.commit()
    return jsonify(_profile_json(row)), 201
