"""Polls in the JSON API under /api/v1/polls, calling the same service as the pages.

GET    /api/v1/polls?group=<id>                    polls of one readable group (or all)
POST   /api/v1/polls {group_id, kind, question, description, options, max_choices,
        opens_at, closes_at, electorate, secret, may_change, results_shown,
        quorum_kind, quorum_value}                  → 201 the poll
GET    /api/v1/polls/<id>                          the poll, turnout, my standing, results
                                                    (null unless I may see them)
PATCH  /api/v1/polls/<id> {same as POST}           until the first vote (409 after)
DELETE /api/v1/polls/<id>                          until the first vote
POST   /api/v1/polls/<id>/vote {choices, receipt?} → {"receipt": code or null, "changed"}
GET    /api/v1/polls/<id>/results                  403 while results are hidden
GET    /api/v1/polls/<id>/ballots                  a closed secret poll's ballot list
POST   /api/v1/polls/<id>/receipt {receipt}        → {"found", "choices"} (closed, secret)
PUT    /api/v1/polls/groups/<group_id>/settings {members_may_create}
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from flask import Blueprint, jsonify, request
from pydantic import BaseModel, Field
from werkzeug import Response

from innsiden import access
from innsiden import listing as paging
from innsiden.db import get_session
from innsiden.errors import NotFound
from innsiden.groups.permissions import readable_group_ids
from innsiden.openapi import describe
from innsiden.polls import drafting, forms, live, results, service, voting
from innsiden.polls.models import Poll
from innsiden.polls.views.pages import poll_for_page, readable_group, show_context
from innsiden.web import acting_member, int_value, json_body

bp = Blueprint("polls_api", __name__, url_prefix="/api/v1/polls")


class PollSummary(BaseModel):
    id: int
    group_id: int
    kind: str
    question: str
    state: str
    opens_at: datetime
    closes_at: datetime
    electorate_size: int | None
    voted_count: int
    url: str
    has_voted: bool | None = None


class PollList(BaseModel):
    polls: list[PollSummary]
    next: int | None


class PollQuery(BaseModel):
    group: int | None = Field(default=None, description="Only this group's polls")
    limit: int | None = Field(
        default=None, ge=1, le=paging.MAX_LIMIT, description="Page size (default 50)"
    )


class OptionOut(BaseModel):
    id: int
    label: str
    day: str | None = Field(description="ISO date, for date polls")


class Rules(BaseModel):
    electorate: str
    secret: bool
    may_change: bool
    results_shown: str
    quorum_kind: str
    quorum_value: int | None


class MyStanding(BaseModel):
    is_elector: bool
    has_voted: bool
    can_vote: bool
    choices: list[Any] | None = Field(description="Open polls only: a secret poll cannot know")


class OptionResult(BaseModel):
    id: int
    label: str
    count: int
    percent: float
    maybe: int | None = None
    no: int | None = None


class PollResults(BaseModel):
    ballots: int
    electorate: int
    turnout_percent: float
    quorum_required: int | None
    quorum_met: bool | None
    final: bool
    seats: int
    winners: list[int]
    tied: list[int]
    options: list[OptionResult]


class OpenVote(BaseModel):
    member_number: int
    name: str
    choices: list[str]


class PollDetail(PollSummary):
    description_html: str
    options: list[OptionOut]
    max_choices: int | None
    rules: Rules
    me: MyStanding
    results: PollResults | None = Field(description="Null unless the member may see them")
    votes: list[OpenVote] = Field(description="Who voted what, in open (not secret) polls")


class OptionIn(BaseModel):
    label: str
    day: str | None = None


class PollIn(BaseModel):
    group_id: int
    kind: str
    question: str
    description: str = ""
    options: list[OptionIn | str]
    max_choices: int | None = None
    opens_at: str | None = None
    closes_at: str
    electorate: str = "members"
    secret: bool = True
    may_change: bool = False
    results_shown: str = "after_close"
    quorum_kind: str = "none"
    quorum_value: int | None = None


class Deleted(BaseModel):
    deleted: int


class VoteIn(BaseModel):
    choices: list[int] | int | list[Any]
    receipt: str | None = None


class Voted(BaseModel):
    receipt: str | None = Field(description="The secret poll's receipt code, shown once")
    changed: bool


class Ballot(BaseModel):
    receipt: str
    choices: list[str]


class Ballots(BaseModel):
    ballots: list[Ballot]


class ReceiptIn(BaseModel):
    receipt: str


class ReceiptFound(BaseModel):
    found: bool
    choices: list[str] | None


class PollSettingsIn(BaseModel):
    members_may_create: bool


class PollSettingsOut(BaseModel):
    group_id: int
    members_may_create: bool


def poll_summary(poll: Poll, state: str, voted_count: int) -> dict[str, Any]:
    return {
        "id": poll.id,
        "group_id": poll.group_id,
        "kind": poll.kind,
        "question": poll.question,
        "state": state,
        "opens_at": poll.opens_at.isoformat(),
        "closes_at": poll.closes_at.isoformat(),
        "electorate_size": poll.electorate_size,
        "voted_count": voted_count,
        "url": f"/avstemninger/{poll.id}",
    }


def poll_detail(context: dict[str, Any]) -> dict[str, Any]:
    poll: Poll = context["poll"]
    counted = context["results"]
    return {
        **poll_summary(poll, context["state"], context["voted_count"]),
        "description_html": poll.description_html,
        "options": [
            {"id": o.id, "label": o.label, "day": o.day.isoformat() if o.day else None}
            for o in poll.options
        ],
        "max_choices": poll.max_choices,
        "rules": {
            "electorate": poll.electorate,
            "secret": poll.secret,
            "may_change": poll.may_change,
            "results_shown": poll.results_shown,
            "quorum_kind": poll.quorum_kind,
            "quorum_value": poll.quorum_value,
        },
        "me": {
            "is_elector": context["is_elector"],
            "has_voted": context["has_voted"],
            "can_vote": context["can_vote"],
            "choices": context["own_vote"],  # open polls only: a secret poll cannot know
        },
        "results": results.as_json(counted) if counted is not None else None,
        "votes": [
            {"member_number": v.member_number, "name": v.name, "choices": v.labels}
            for v in context["open_votes"]
        ],
    }


@bp.get("")
@describe(
    "Polls of the member's groups, or of one, newest first", query=PollQuery, response=PollList,
    paged="polls",
)  # fmt: skip
def index() -> Response:
    session, member = get_session(), acting_member()
    group_id = request.args.get("group", "")
    if group_id:
        group = readable_group(session, member, int_value(group_id) or 0)
        ids = {group.id}
    else:
        ids = readable_group_ids(session, member)
    before, limit = paging.cursor_arg(), paging.limit_arg()
    cards = service.polls_in_groups(
        session, member, ids, limit=limit + 1, by_id=True, before_id=before
    )
    shown, next_cursor = paging.cut(cards, limit, lambda card: card.poll.id)
    return jsonify(
        paging.page(
            "polls",
            [
                {**poll_summary(c.poll, c.state, c.voted_count), "has_voted": c.has_voted}
                for c in shown
            ],
            next_cursor,
        )
    )


@bp.post("")
@describe("Create a poll", body=PollIn, response=PollDetail, status=201)
def create() -> Response:
    session, member = get_session(), acting_member()
    body = json_body()
    group_id = body.get("group_id")
    group = readable_group(session, member, int_value(group_id) or 0)
    poll = drafting.create_poll(session, member, group, forms.poll_from_json(body))
    session.commit()
    response = jsonify(poll_detail(show_context(session, member, poll)))
    response.status_code = 201
    return response


@bp.get("/<int:poll_id>")
@describe("A poll, its turnout, my standing and (if shown) results", response=PollDetail)
def show(poll_id: int) -> Response:
    session, member = get_session(), acting_member()
    poll = poll_for_page(session, member, poll_id)
    return jsonify(poll_detail(show_context(session, member, poll)))


@bp.patch("/<int:poll_id>")
@describe("Change a poll until the first vote", body=PollIn, response=PollDetail)
def update(poll_id: int) -> Response:
    session, member = get_session(), acting_member()
    poll = poll_for_page(session, member, poll_id)
    drafting.update_poll(session, member, poll, forms.poll_from_json(json_body()))
    session.commit()
    return jsonify(poll_detail(show_context(session, member, poll)))


@bp.delete("/<int:poll_id>")
@describe("Delete a poll until the first vote", response=Deleted)
def delete(poll_id: int) -> Response:
    session, member = get_session(), acting_member()
    poll = poll_for_page(session, member, poll_id)
    drafting.delete_poll(session, member, poll)
    session.commit()
    return jsonify({"deleted": poll_id})


@bp.post("/<int:poll_id>/vote")
@describe("Vote", body=VoteIn, response=Voted)
def vote(poll_id: int) -> Response:
    session, member = get_session(), acting_member()
    poll = poll_for_page(session, member, poll_id)
    body = json_body()
    receipt = body.get("receipt")
    outcome = voting.cast_vote(
        session, member, poll, body.get("choices"), receipt=str(receipt) if receipt else None
    )
    session.commit()
    live.push_after_vote(session, poll)
    response = jsonify({"receipt": outcome.receipt, "changed": outcome.changed})
    response.status_code = 200 if outcome.changed else 201
    return response


@bp.get("/<int:poll_id>/results")
@describe("The results (403 while they are hidden)", response=PollResults)
def poll_results(poll_id: int) -> Response:
    session, member = get_session(), acting_member()
    poll = poll_for_page(session, member, poll_id)
    access.require(session, member, "poll.results", poll, visible=True)
    return jsonify(results.as_json(results.count(session, poll)))


def _closed_secret(poll: Poll) -> None:
    if not poll.secret or service.state_of(poll) != "closed":
        raise NotFound()


@bp.get("/<int:poll_id>/ballots")
@describe("A closed secret poll's ballots, by receipt", response=Ballots)
def ballots(poll_id: int) -> Response:
    session, member = get_session(), acting_member()
    poll = poll_for_page(session, member, poll_id)
    _closed_secret(poll)
    listed = results.published_ballots(session, poll)
    return jsonify({"ballots": [{"receipt": b.fingerprint, "choices": b.labels} for b in listed]})


@bp.post("/<int:poll_id>/receipt")
@describe(
    "Check a receipt code against a closed secret poll", body=ReceiptIn, response=ReceiptFound
)
def check_receipt(poll_id: int) -> Response:
    session, member = get_session(), acting_member()
    poll = poll_for_page(session, member, poll_id)
    _closed_secret(poll)
    found = results.check_receipt(session, poll, str(json_body().get("receipt", "")))
    return jsonify({"found": found is not None, "choices": found})


@bp.put("/groups/<int:group_id>/settings")
@describe(
    "Whether members may create polls in a group", body=PollSettingsIn, response=PollSettingsOut
)
def settings(group_id: int) -> Response:
    session, member = get_session(), acting_member()
    group = readable_group(session, member, group_id)
    allowed = bool(json_body().get("members_may_create"))
    drafting.set_members_may_create(session, member, group, allowed)
    session.commit()
    return jsonify({"group_id": group.id, "members_may_create": allowed})
