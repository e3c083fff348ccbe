"""Min profil as JSON under /api/v1/profile, through the same services.

GET  /api/v1/profile                       own profile: register data and portal data
PUT  /api/v1/profile                       {"about", "show_email", "show_mobile", "interests"}
GET  /api/v1/profile/change-requests       own change requests
POST /api/v1/profile/change-requests       {"kind", "fields": {...}, "message"}
GET  /api/v1/profile/export                own archives
POST /api/v1/profile/export                ask for a new archive (202)
GET  /api/v1/profile/export/<id>           the archive (404 unless yours, ready, unexpired)
"""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from flask import Blueprint, jsonify
from pydantic import BaseModel, Field
from werkzeug import Response

from innsiden.db import get_session
from innsiden.errors import ValidationFailed
from innsiden.openapi import describe
from innsiden.profile import export, requests, service
from innsiden.profile.models import ChangeRequest, DataExport
from innsiden.profile.views.pages import download_export
from innsiden.web import acting_member, json_body

bp = Blueprint("profile_api", __name__, url_prefix="/api/v1/profile")


class PositionOut(BaseModel):
    role: str
    unit: str


class RegisterOut(BaseModel):
    """The register's data about the member, exactly as the mirror holds it (read-only here)."""

    number: int
    first_name: str
    last_name: str
    address: str | None
    postal_code: str | None
    postal_place: str | None
    municipality: str | None
    mobile: str | None
    email: str | None
    lokallag: str | None
    fylkeslag: str | None
    status: str
    joined_on: str | None = Field(description="YYYY-MM-DD")
    paid_until: str | None = Field(description="YYYY-MM-DD")
    positions: list[PositionOut]


class PortalOut(BaseModel):
    about: str
    show_email: bool
    show_mobile: bool
    interests: list[str]
    has_picture: bool


class GroupRef(BaseModel):
    id: int
    name: str


class ProfileOut(BaseModel):
    register_: RegisterOut = Field(alias="register")  # a bare `register` shadows BaseModel's
    portal: PortalOut
    suggested_groups: list[GroupRef]


class ProfileIn(BaseModel):
    about: str | None = None
    show_email: bool | None = None
    show_mobile: bool | None = None
    interests: list[str] | None = None


class ChangeRequestOut(BaseModel):
    id: int
    kind: str
    fields: dict[str, str]
    message: str
    state: str
    created_at: str
    confirmed_at: str | None


class ChangeRequestList(BaseModel):
    change_requests: list[ChangeRequestOut]


class ChangeRequestIn(BaseModel):
    kind: str
    fields: dict[str, str] = {}
    message: str = ""


class ExportOut(BaseModel):
    id: int
    state: str
    size: int | None
    expires_at: str | None
    url: str | None = Field(description="Where to fetch the archive once it is ready")


class ExportList(BaseModel):
    exports: list[ExportOut]


def _profile() -> dict[str, Any]:
    session, member = get_session(), acting_member()
    register = asdict(service.register_view(session, member))
    register["positions"] = [{"role": r, "unit": u} for r, u in register["positions"]]
    for key in ("joined_on", "paid_until"):
        register[key] = register[key].isoformat() if register[key] else None
    return {
        "register": register,
        "portal": asdict(service.portal_view(session, member)),
        "suggested_groups": [
            {"id": g.id, "name": g.name} for g in service.suggested_groups(session, member)
        ],
    }


def _request(row: ChangeRequest) -> dict[str, Any]:
    return {
        "id": row.id, "kind": row.kind, "fields": row.fields, "message": row.message,
        "state": row.state, "created_at": row.created_at.isoformat(),
        "confirmed_at": row.confirmed_at.isoformat() if row.confirmed_at else None,
    }  # fmt: skip


def _export(row: DataExport) -> dict[str, Any]:
    return {
        "id": row.id, "state": row.state, "size": row.size,
        "expires_at": row.expires_at.isoformat() if row.expires_at else None,
        "url": f"/api/v1/profile/export/{row.id}" if row.state == "ready" else None,
    }  # fmt: skip


@bp.get("")
@describe("Own profile: register data and portal data", response=ProfileOut)
def show() -> Response:
    return jsonify(_profile())


@bp.put("")
@describe("Change the portal profile", body=ProfileIn, response=ProfileOut)
def update() -> Response:
    session, member = get_session(), acting_member()
    body = json_body()
    current = service.portal_view(session, member)
    interests = body.get("interests", current.interests)
    if not isinstance(interests, list) or not all(isinstance(i, str) for i in interests):
        raise ValidationFailed(fields={"interests": "Interessene må være en liste med tekster."})
    about = body.get("about", current.about)
    service.save_portal_profile(
        session, member, about=str(about),
        show_email=bool(body.get("show_email", current.show_email)),
        show_mobile=bool(body.get("show_mobile", current.show_mobile)),
    )  # fmt: skip
    service.save_interests(session, member, service.parse_interests(",".join(interests)))
    session.commit()
    return jsonify(_profile())


@bp.get("/change-requests")
@describe("Own requests to change register data", response=ChangeRequestList)
def change_requests() -> Response:
    rows = requests.requests_of(get_session(), acting_member().number)
    return jsonify({"change_requests": [_request(r) for r in rows]})


@bp.post("/change-requests")
@describe(
    "Ask the register to change data", body=ChangeRequestIn, response=ChangeRequestOut, status=201
)
def ask_change() -> tuple[Response, int]:
    session, member = get_session(), acting_member()
    body = json_body()
    fields = body.get("fields") if isinstance(body.get("fields"), dict) else {}
    row = requests.ask(
        session, member, str(body.get("kind", "")),
        {str(k): str(v) for k, v in fields.items()}, str(body.get("message", "")),
    )  # fmt: skip
    session.commit()
    requests.deliver(session, row.id)
    session.commit()
    session.refresh(row)
    return jsonify(_request(row)), 201


@bp.get("/export")
@describe("Own data archives", response=ExportList)
def exports() -> Response:
    rows = export.exports_of(get_session(), acting_member().number)
    return jsonify({"exports": [_export(r) for r in rows]})


@bp.post("/export")
@describe("Ask for a new archive of own data", response=ExportOut, status=202)
def ask_export() -> tuple[Response, int]:
    session = get_session()
    row = export.request_export(session, acting_member())
    session.commit()
    return jsonify(_export(row)), 202


@bp.get("/export/<int:export_id>")
@describe("A ready archive's bytes", download=True)
def download(export_id: int) -> Response:
    return download_export(export_id)
