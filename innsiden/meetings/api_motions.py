"""Motions in the JSON API under /api/v1/meetings/<id>/motions, calling the same service as the
pages; errors are problem details.

GET  /api/v1/meetings/<id>/motions                      the motions (number, title, state)
POST /api/v1/meetings/<id>/motions {title, text}        → 201 a motion
GET  /api/v1/meetings/<id>/motions/<mid>                its numbered lines, amendments, the
                                                        voting order and the adopted diff
POST /api/v1/meetings/<id>/motions/<mid>/amendments {operation, start, end, text, target_id}
                                                        → 201 an amendment
POST /api/v1/meetings/<id>/motions/<mid>/next           (managers) open the next vote, or
                                                        settle the motion when all are held
POST /api/v1/meetings/<id>/motions/<mid>/pull-out {amendment_id}
                                                        (voters) take an amendment out of the
                                                        block vote → 201
POST /api/v1/meetings/<id>/motions/<mid>/block          (managers) open the block vote
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, jsonify
from werkzeug import Response

from innsiden.db import get_session
from innsiden.meetings import api_schemas as S
from innsiden.meetings import motions
from innsiden.meetings.api import _meeting
from innsiden.meetings.models import MeetingAmendment, MeetingMotion
from innsiden.openapi import describe
from innsiden.web import acting_member, int_value, json_body

bp = Blueprint("meetings_motions_api", __name__, url_prefix="/api/v1/meetings")


def _held_json(h: motions.HeldVote) -> dict[str, Any]:
    return {
        "position": h.position,
        "vote_id": h.vote.id,
        "amendment": motions.label(h.amendment) if h.amendment else None,
        "block": [motions.label(a) for a in h.block] if h.block is not None else None,
        "state": h.vote.state,
        "adopted": bool(h.vote.result["adopted"]) if h.vote.result else None,
    }


def _amendment_json(a: MeetingAmendment) -> dict[str, Any]:
    return {
        "id": a.id,
        "label": motions.label(a),
        "target_id": a.target_id,
        "operation": a.operation,
        "start": a.start_line,
        "end": a.end_line,
        "text": motions.motion_text.split_lines(a.text),
        "recommendation": a.recommendation,
        "recommendation_note": a.recommendation_note,
        "state": a.state,
    }


def _motion_json(m: MeetingMotion) -> dict[str, Any]:
    return {"id": m.id, "number": m.number, "title": m.title, "state": m.state}


@bp.get("/<int:meeting_id>/motions")
@describe("The motions", response=S.MotionList)
def motion_list(meeting_id: int) -> Response:
    meeting = _meeting(meeting_id)
    return jsonify(
        {"motions": [_motion_json(m) for m in motions.motions_of(get_session(), meeting)]}
    )


@bp.post("/<int:meeting_id>/motions")
@describe("Submit a motion", body=S.MotionIn, response=S.MotionOut, status=201)
def submit(meeting_id: int) -> tuple[Response, int]:
    session, member = get_session(), acting_member()
    meeting = _meeting(meeting_id)
    body = json_body()
    motion = motions.submit(
        session, member, meeting, str(body.get("title", "")), str(body.get("text", ""))
    )
    session.commit()
    return jsonify(_motion_json(motion)), 201


@bp.get("/<int:meeting_id>/motions/<int:motion_id>")
@describe("A motion: lines, amendments, voting order, adopted text", response=S.MotionDetail)
def show(meeting_id: int, motion_id: int) -> Response:
    session = get_session()
    meeting = _meeting(meeting_id)
    motion = motions.motion_for(session, meeting, motion_id)
    by_id = {a.id: a for a in motions.amendments_of(session, motion)}
    return jsonify(
        {
            **_motion_json(motion),
            "lines": [
                {"number": i, "text": t} for i, t in enumerate(motions.lines(motion), start=1)
            ],
            "recommendation": motion.recommendation,
            "supporters": len(motions.supporters(session, motion)),
            "supported": motions.supported(session, meeting, motion),
            "amendments": [_amendment_json(a) for a in motions.amendments_of(session, motion)],
            "voting_order": [
                {
                    "number": line.number,
                    "amendment": motions.label(line.amendment) if line.amendment else None,
                    "falls_if_adopted": [motions.label(a) for a in line.falls_if_adopted],
                    "vote_id": line.vote.id if line.vote else None,
                    "in_block": line.in_block,
                }
                for line in motions.order(session, motion)
            ],
            "block": [motions.label(a) for a in motions.block_members(session, motion)],
            "pull_outs": {
                motions.label(by_id[aid]): numbers
                for aid, numbers in motions.pull_outs(session, motion).items()
                if aid in by_id
            },
            "votes_held": [_held_json(h) for h in motions.held_votes(session, motion)],
            "adopted_text": None
            if motion.adopted_text is None
            else motions.motion_text.split_lines(motion.adopted_text),
            "diff": [
                {"kind": d.kind, "old": d.old, "new": d.new, "text": d.text}
                for d in motions.adopted_diff(motion)
            ],
        }
    )


@bp.post("/<int:meeting_id>/motions/<int:motion_id>/amendments")
@describe("Propose an amendment", body=S.AmendmentIn, response=S.AmendmentOut, status=201)
def amend(meeting_id: int, motion_id: int) -> tuple[Response, int]:
    session, member = get_session(), acting_member()
    meeting = _meeting(meeting_id)
    motion = motions.motion_for(session, meeting, motion_id)
    body = json_body()
    text = body.get("text", "")
    row = motions.amend(
        session,
        member,
        meeting,
        motion,
        str(body.get("operation", "")),
        int_value(body.get("start")),
        int_value(body.get("end")),
        "\n".join(str(t) for t in text) if isinstance(text, list) else str(text),
        int_value(body.get("target_id")),
    )
    session.commit()
    return jsonify(_amendment_json(row)), 201


@bp.post("/<int:meeting_id>/motions/<int:motion_id>/next")
@describe("Open the next vote, or settle the motion (managers)", response=S.MotionStepOut)
def advance(meeting_id: int, motion_id: int) -> Response:
    session, member = get_session(), acting_member()
    meeting = _meeting(meeting_id)
    motion = motions.motion_for(session, meeting, motion_id)
    vote = motions.advance(session, member, meeting, motion)
    session.commit()
    return jsonify({"vote_id": vote.id if vote else None, "state": motion.state})


@bp.post("/<int:meeting_id>/motions/<int:motion_id>/pull-out")
@describe("Pull an amendment out of the block vote", body=S.PullOutIn, response=S.PullOutOut,
          status=201)  # fmt: skip
def pull_out(meeting_id: int, motion_id: int) -> tuple[Response, int]:
    session, member = get_session(), acting_member()
    meeting = _meeting(meeting_id)
    motion = motions.motion_for(session, meeting, motion_id)
    amendment_id = int_value(json_body().get("amendment_id"))
    motions.pull_out(session, member, meeting, motion, amendment_id)
    session.commit()
    return jsonify(
        {"pull_outs": motions.pull_outs(session, motion).get(amendment_id or 0, [])}
    ), 201


@bp.post("/<int:meeting_id>/motions/<int:motion_id>/block")
@describe("Open the block vote (managers)", response=S.MotionStepOut)
def open_block(meeting_id: int, motion_id: int) -> Response:
    session, member = get_session(), acting_member()
    meeting = _meeting(meeting_id)
    motion = motions.motion_for(session, meeting, motion_id)
    vote = motions.open_block(session, member, meeting, motion)
    session.commit()
    return jsonify({"vote_id": vote.id, "state": motion.state})
