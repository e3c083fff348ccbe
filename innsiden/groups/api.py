"""Groups in the JSON API under /api/v1/groups, calling the same service as the pages.

GET  /api/v1/groups?type=lokal|interesse&fylke=mitt&mine=1   the directory (or my groups)
GET  /api/v1/groups/<id>                                     one group (404 if not visible)
GET  /api/v1/groups/<id>/members?q=&page=                    its members (members only)
POST /api/v1/groups/<id>/join {"message"}                    → {"outcome": joined|requested}
POST /api/v1/groups/<id>/leave
POST /api/v1/groups/<id>/invitation {"accept": bool}
PUT  /api/v1/groups/<id>/notifications {"level": all|mine|none}
GET  /api/v1/groups/<id>/requests                            pending requests (administrators)
POST /api/v1/groups/<id>/requests/<request_id> {"approve": bool}
"""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from flask import Blueprint, jsonify, request
from werkzeug import Response

from innsiden import access
from innsiden.db import get_session
from innsiden.groups import interest, listings, service
from innsiden.groups.models import Group
from innsiden.groups.views import acting_member

bp = Blueprint("groups_api", __name__, url_prefix="/api/v1/groups")


def _body() -> dict[str, Any]:
    body = request.get_json(silent=True)
    return body if isinstance(body, dict) else {}


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
def index() -> Response:
    session, member = get_session(), acting_member()
    if request.args.get("mine") == "1":
        cards = listings.my_groups(session, member)
    else:
        kind = request.args.get("type", "")
        cards = listings.directory(
            session,
            member,
            kind=kind if kind in ("lokal", "interesse") else "",
            my_fylke=request.args.get("fylke") == "mitt",
        )
    return jsonify({"groups": [asdict(card) for card in cards]})


@bp.get("/<int:group_id>")
def show(group_id: int) -> Response:
    session, member = get_session(), acting_member()
    group = service.visible_group(session, member, group_id)
    if group.is_location:
        count = listings.location_counts(session, [group.unit_id or ""]).get(group.unit_id or "", 0)
    else:
        count = listings.interest_counts(session, [group.id]).get(group.id, 0)
    return jsonify(_group_json(group, count, service.standing(session, member, group)))


@bp.get("/<int:group_id>/members")
def members(group_id: int) -> Response:
    session, member = get_session(), acting_member()
    group = service.visible_group(session, member, group_id)
    access.require(session, member, "group.list_members", group, visible=True)
    page = request.args.get("page", "1")
    cards, total = listings.group_members(
        session, group, query=request.args.get("q", ""), page=int(page) if page.isdigit() else 1
    )
    return jsonify({"members": [asdict(c) for c in cards], "total": total})


@bp.post("/<int:group_id>/join")
def join(group_id: int) -> Response:
    session, member = get_session(), acting_member()
    group = service.visible_group(session, member, group_id)
    outcome = interest.join(session, member, group, str(_body().get("message", "")))
    session.commit()
    return jsonify({"outcome": outcome})


@bp.post("/<int:group_id>/leave")
def leave(group_id: int) -> Response:
    session, member = get_session(), acting_member()
    interest.leave(session, member, service.visible_group(session, member, group_id))
    session.commit()
    return jsonify({"outcome": "left"})


@bp.post("/<int:group_id>/invitation")
def answer_invitation(group_id: int) -> Response:
    session, member = get_session(), acting_member()
    group = service.visible_group(session, member, group_id)
    accept = _body().get("accept") is True
    interest.answer_invitation(session, member, group, accept=accept)
    session.commit()
    return jsonify({"outcome": "joined" if accept else "declined"})


@bp.put("/<int:group_id>/notifications")
def notifications(group_id: int) -> Response:
    session, member = get_session(), acting_member()
    group = service.visible_group(session, member, group_id)
    level = str(_body().get("level", ""))
    service.set_notification_level(session, member, group, level)
    session.commit()
    return jsonify({"level": level})


@bp.get("/<int:group_id>/requests")
def requests(group_id: int) -> Response:
    session, member = get_session(), acting_member()
    group = service.visible_group(session, member, group_id)
    access.require(session, member, "group.administer", group, visible=True)
    pending = listings.pending_requests(session, group)
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
def decide_request(group_id: int, request_id: int) -> Response:
    session, member = get_session(), acting_member()
    group = service.visible_group(session, member, group_id)
    approve = _body().get("approve") is True
    decided = interest.decide_request(session, member, group, request_id, approve=approve)
    session.commit()
    return jsonify({"id": decided.id, "status": decided.status})
