"""Groups in the JSON API under /api/v1/groups, calling the same service as the pages.

GET  /api/v1/groups?type=lokal|interesse&fylke=mitt&mine=1   the directory (or my groups)
GET  /api/v1/groups/<id>                                     one group (404 if not visible)
GET  /api/v1/groups/<id>/members?q=                          its members (members only)
Both lists come in pages by id / member number (`?limit=`, `next` → `?cursor=`).
POST /api/v1/groups/<id>/join {"message"}                    → {"outcome": joined|requested}
POST /api/v1/groups/<id>/leave
POST /api/v1/groups/<id>/invitation {"accept": bool}
PUT  /api/v1/groups/<id>/notifications {"level": all|mine|none}
GET  /api/v1/groups/<id>/requests                            pending requests (administrators)
POST /api/v1/groups/<id>/requests/<request_id> {"approve": bool}
"""

from __future__ import annotations

from dataclasses import asdict
from datetime import datetime
from typing import Any

from flask import Blueprint, jsonify, request
from pydantic import BaseModel, Field
from werkzeug import Response

from innsiden import access
from innsiden import listing as paging
from innsiden.db import get_session
from innsiden.groups import interest, listing, reshape, service
from innsiden.groups.models import Group
from innsiden.listing import MAX_LIMIT
from innsiden.openapi import describe
from innsiden.web import acting_member, json_body

bp = Blueprint("groups_api", __name__, url_prefix="/api/v1/groups")


class GroupCardOut(BaseModel):
    id: int
    kind: str
    name: str
    description: str
    archived: bool
    member_count: int
    role: str | None = Field(description="The member's role, null if not a member")
    visibility: str | None
    status: str
    parent_name: str | None
    unread: int
    invited: bool
    requested: bool


class GroupList(BaseModel):
    groups: list[GroupCardOut]
    next: int | None


LIMIT = Field(default=None, ge=1, le=MAX_LIMIT, description="Page size (default 50)")


class GroupQuery(BaseModel):
    type: str | None = Field(default=None, description="lokal or interesse")
    fylke: str | None = Field(default=None, description="mitt: only my fylkeslag's groups")
    mine: str | None = Field(default=None, description="1: only my groups")
    limit: int | None = LIMIT


class GroupOut(BaseModel):
    id: int
    kind: str
    name: str
    description: str
    visibility: str | None
    archived: bool
    status: str
    unit_id: str | None
    scope_unit_id: str | None
    member_count: int
    is_member: bool
    role: str | None
    invited: bool
    requested: bool


class MemberCardOut(BaseModel):
    number: int
    name: str
    role: str
    about: str
    email: str | None = Field(description="Only where the member shows it")
    mobile: str | None = Field(description="Only where the member shows it")


class GroupMembers(BaseModel):
    members: list[MemberCardOut]
    total: int = Field(description="How many members match, on every page")
    next: int | None


class MembersQuery(BaseModel):
    q: str | None = Field(default=None, description="Search in names")
    limit: int | None = LIMIT


class JoinIn(BaseModel):
    message: str = ""


class Outcome(BaseModel):
    outcome: str


class InvitationIn(BaseModel):
    accept: bool


class LevelIn(BaseModel):
    level: str = Field(description="all, mine or none")


class LevelOut(BaseModel):
    level: str


class JoinRequestOut(BaseModel):
    id: int
    member_number: int
    name: str
    message: str
    created_at: datetime


class JoinRequests(BaseModel):
    requests: list[JoinRequestOut]


class DecisionIn(BaseModel):
    approve: bool


class Decided(BaseModel):
    id: int
    status: str


class Reshapes(BaseModel):
    group_id: int
    reshapes: list[dict[str, Any]]


def _group_json(group: Group, member_count: int, standing: service.Standing) -> dict[str, Any]:
    return {
        "id": group.id,
        "kind": group.kind,
        "name": group.name,
        "description": group.description,
        "visibility": group.visibility,
        "archived": group.archived,
        "status": group.status,
        "unit_id": group.unit_id,
        "scope_unit_id": group.scope_unit_id,
        "member_count": member_count,
        "is_member": standing.member,
        "role": standing.role,
        "invited": standing.invited,
        "requested": standing.requested,
    }


@bp.get("")
@describe(
    "The group directory, or my groups, by id", query=GroupQuery, response=GroupList,
    paged="groups",
)  # fmt: skip
def index() -> Response:
    session, member = get_session(), acting_member()
    after, limit = paging.cursor_arg() or 0, paging.limit_arg()
    if request.args.get("mine") == "1":
        cards = listing.my_groups(session, member)
    else:
        kind = request.args.get("type", "")
        cards = listing.directory(
            session,
            member,
            kind=kind if kind in ("lokal", "interesse") else "",
            my_fylke=request.args.get("fylke") == "mitt",
        )
    # The directory is built whole (its cards need counts and standings of every group the
    # member sees); the pages walk it by id, so a group added meanwhile shifts nothing.
    later = sorted((card for card in cards if card.id > after), key=lambda card: card.id)
    shown, next_cursor = paging.cut(later, limit, lambda card: card.id)
    return jsonify(paging.page("groups", [asdict(card) for card in shown], next_cursor))


@bp.get("/<int:group_id>")
@describe("One group and the member's standing in it", response=GroupOut)
def show(group_id: int) -> Response:
    session, member = get_session(), acting_member()
    group = service.visible_group(session, member, group_id)
    if group.is_location:
        count = listing.location_counts(session, [group.unit_id or ""]).get(group.unit_id or "", 0)
    else:
        count = listing.interest_counts(session, [group.id]).get(group.id, 0)
    return jsonify(_group_json(group, count, service.standing(session, member, group)))


@bp.get("/<int:group_id>/members")
@describe(
    "A group's members by member number (members only)", query=MembersQuery,
    response=GroupMembers, paged="members",
)  # fmt: skip
def members(group_id: int) -> Response:
    session, member = get_session(), acting_member()
    group = service.visible_group(session, member, group_id)
    access.require(session, member, "group.list_members", group, visible=True)
    after, limit = paging.cursor_arg(), paging.limit_arg()
    cards, total = listing.group_members(
        session, group, query=request.args.get("q", ""), after_number=after, limit=limit + 1
    )
    shown, next_cursor = paging.cut(cards, limit, lambda card: card.number)
    return jsonify(paging.page("members", [asdict(c) for c in shown], next_cursor, total=total))


@bp.post("/<int:group_id>/join")
@describe("Join, or ask to join, a group", body=JoinIn, response=Outcome)
def join(group_id: int) -> Response:
    session, member = get_session(), acting_member()
    group = service.visible_group(session, member, group_id)
    outcome = interest.join(session, member, group, str(json_body().get("message", "")))
    session.commit()
    return jsonify({"outcome": outcome})


@bp.post("/<int:group_id>/leave")
@describe("Leave an interest group", response=Outcome)
def leave(group_id: int) -> Response:
    session, member = get_session(), acting_member()
    interest.leave(session, member, service.visible_group(session, member, group_id))
    session.commit()
    return jsonify({"outcome": "left"})


@bp.post("/<int:group_id>/invitation")
@describe("Accept or decline an invitation", body=InvitationIn, response=Outcome)
def answer_invitation(group_id: int) -> Response:
    session, member = get_session(), acting_member()
    group = service.visible_group(session, member, group_id)
    accept = json_body().get("accept") is True
    interest.answer_invitation(session, member, group, accept=accept)
    session.commit()
    return jsonify({"outcome": "joined" if accept else "declined"})


@bp.put("/<int:group_id>/notifications")
@describe("How much of the group notifies the member", body=LevelIn, response=LevelOut)
def notifications(group_id: int) -> Response:
    session, member = get_session(), acting_member()
    group = service.visible_group(session, member, group_id)
    level = str(json_body().get("level", ""))
    service.set_notification_level(session, member, group, level)
    session.commit()
    return jsonify({"level": level})


@bp.get("/<int:group_id>/requests")
@describe("Pending requests to join (administrators)", response=JoinRequests)
def requests(group_id: int) -> Response:
    session, member = get_session(), acting_member()
    group = service.visible_group(session, member, group_id)
    access.require(session, member, "group.administer", group, visible=True)
    pending = listing.pending_requests(session, group)
    return jsonify(
        {
            "requests": [
                {
                    "id": r.id,
                    "member_number": m.number,
                    "name": m.full_name,
                    "message": r.message,
                    "created_at": r.created_at.isoformat(),
                }
                for r, m in pending
            ]
        }
    )


@bp.post("/<int:group_id>/requests/<int:request_id>")
@describe("Approve or refuse a request (administrators)", body=DecisionIn, response=Decided)
def decide_request(group_id: int, request_id: int) -> Response:
    session, member = get_session(), acting_member()
    group = service.visible_group(session, member, group_id)
    approve = json_body().get("approve") is True
    decided = interest.decide_request(session, member, group, request_id, approve=approve)
    session.commit()
    return jsonify({"id": decided.id, "status": decided.status})


@bp.get("/<int:group_id>/reshapes")
@describe("Merges and splits the group took part in", response=Reshapes)
def reshapes(group_id: int) -> Response:
    """Merges and splits the group took part in; lokallag moved in or out of a fylkeslag only
    for its administrators (the leader's desk lists them)."""
    session, member = get_session(), acting_member()
    group = service.visible_group(session, member, group_id, follow_merge=False)
    leads = access.can(session, member, "group.administer", group)
    rows = [
        reshape.describe(row)
        for row in reshape.reshapes_of(session, [group.id])
        if row.kind != "moved" or leads
    ]
    return jsonify({"group_id": group.id, "reshapes": rows})
