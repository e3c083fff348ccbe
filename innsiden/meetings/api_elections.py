"""Elections in the JSON API under /api/v1/meetings/<id>/elections, calling the same service as
the pages; errors are problem details (a refused ballot: 400 with `fields.choices`).

GET  /api/v1/meetings/<id>/elections                     the elections in order
GET  /api/v1/meetings/<id>/elections/<eid>               nominees, state, the count's report
POST /api/v1/meetings/<id>/elections/<eid>/nominees {member_number, gender, consent, floor}
                                                         → 201
POST /api/v1/meetings/<id>/elections/<eid>/ballot {choices: [nominee id, …]}
                                                         → 201 {"receipt": "ABCD-…"}
POST /api/v1/meetings/<id>/elections/<eid>/tie {nominee_id}  the chair decides a tie the
                                                         statutes leave to the chair → 200
GET  /api/v1/meetings/<id>/delegates                     a delegates' meeting's delegations
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, jsonify
from werkzeug import Response

from innsiden.db import get_session
from innsiden.errors import ValidationFailed
from innsiden.meetings import api_schemas as S
from innsiden.meetings import delegates, elections
from innsiden.meetings.api import _meeting
from innsiden.meetings.models import Election
from innsiden.openapi import describe
from innsiden.web import acting_member, int_value, json_body

bp = Blueprint("meetings_elections_api", __name__, url_prefix="/api/v1/meetings")


def _election_json(e: Election) -> dict[str, Any]:
    return {
        "id": e.id,
        "position": e.position,
        "kind": e.kind,
        "title": e.title,
        "seats": e.seats,
        "state": e.state,
        "round": e.round,
        "elected": e.elected,
    }


@bp.get("/<int:meeting_id>/elections")
@describe("The elections", response=S.ElectionList)
def election_list(meeting_id: int) -> Response:
    meeting = _meeting(meeting_id)
    found = elections.elections_of(get_session(), meeting)
    return jsonify({"elections": [_election_json(e) for e in found]})


@bp.get("/<int:meeting_id>/elections/<int:election_id>")
@describe("An election: nominees, whether I may vote, the report", response=S.ElectionDetail)
def show(meeting_id: int, election_id: int) -> Response:
    session, member = get_session(), acting_member()
    meeting = _meeting(meeting_id)
    election = elections.election_for(session, meeting, election_id)
    nominees = elections.nominees_of(session, election)
    names = elections.names(session, nominees)
    elector, voted = elections.has_voted(session, election, member.number)
    return jsonify(
        {
            **_election_json(election),
            "nominees": [
                {"id": n.id, "name": names[str(n.id)], "gender": n.gender, "source": n.source}
                for n in nominees
            ],
            "standing": [n.id for n in elections.standing(session, election)],
            "floor_nominations_open": elections.floor_open(session, meeting, election),
            "may_vote": elector and not voted,
            "voted": voted,
            "report": elections.report_text(session, election),
            "pending_tie": elections.pending_tie(election),
            "chair_ties": [
                {k: d[k] for k in ("round", "purpose", "tied", "chosen", "by")}
                for d in elections.chair_ties(election)
            ],
        }
    )


@bp.post("/<int:meeting_id>/elections/<int:election_id>/tie")
@describe("Decide a tie the statutes leave to the chair", body=S.TieIn, response=S.ElectionOut)
def decide_tie(meeting_id: int, election_id: int) -> Response:
    session, member = get_session(), acting_member()
    meeting = _meeting(meeting_id)
    election = elections.election_for(session, meeting, election_id)
    elections.decide_tie(
        session, member, meeting, election, int_value(json_body().get("nominee_id"))
    )
    session.commit()
    return jsonify(_election_json(election))


@bp.post("/<int:meeting_id>/elections/<int:election_id>/nominees")
@describe("Nominate a member", body=S.NomineeIn, response=S.NominatedOut, status=201)
def nominate(meeting_id: int, election_id: int) -> tuple[Response, int]:
    session, member = get_session(), acting_member()
    meeting = _meeting(meeting_id)
    election = elections.election_for(session, meeting, election_id)
    body = json_body()
    nominee = elections.nominate(
        session,
        member,
        meeting,
        election,
        int_value(body.get("member_number")),
        str(body.get("gender", "")),
        body.get("consent") is True,
        body.get("floor") is True,
    )
    session.commit()
    return jsonify({"id": nominee.id, "source": nominee.source}), 201


@bp.post("/<int:meeting_id>/elections/<int:election_id>/ballot")
@describe("Cast a secret ballot", body=S.BallotIn, response=S.BallotOut, status=201)
def cast(meeting_id: int, election_id: int) -> tuple[Response, int]:
    session, member = get_session(), acting_member()
    meeting = _meeting(meeting_id)
    election = elections.election_for(session, meeting, election_id)
    choices = json_body().get("choices")
    if not isinstance(choices, list) or not all(isinstance(c, int) for c in choices):
        raise ValidationFailed(fields={"choices": "[nominee id, …]"})
    receipt = elections.cast(session, member, meeting, election, choices)
    session.commit()
    return jsonify({"receipt": receipt}), 201


@bp.get("/<int:meeting_id>/delegates")
@describe("The delegations chosen for this meeting, per unit", response=S.DelegationOut)
def delegation(meeting_id: int) -> Response:
    meeting = _meeting(meeting_id)
    seats = delegates.delegation(get_session(), meeting)
    return jsonify(
        {
            "delegations": {
                unit: [
                    {
                        "member_number": s.delegate.member_number,
                        "seated": s.seated,
                        "order": s.order,
                    }
                    for s in unit_seats
                ]
                for unit, unit_seats in seats.items()
            }
        }
    )
