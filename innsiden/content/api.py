"""Pages and news in the JSON API under /api/v1/content, calling the same services as the
pages (a draft or pending item is 404 to whoever may not edit or review it).

GET   /api/v1/content?place=<group id|organisasjonen>&kind=page|news&limit=   readable items, paged
POST  /api/v1/content {place, kind, title, body, lead, parent_id, cascade,
       publish_from, expire_at, inherit_roles}                          → 201 the item
GET   /api/v1/content/<id>                       the item (body as sanitised HTML)
PUT   /api/v1/content/<id> {title, body, lead, …, version}  → the item; 409 if someone
       saved since `version` (nothing overwritten)
POST  /api/v1/content/<id>/transitions {action, comment}    send, godkjenn, publiser,
       avvis (comment required), trekk, trekk_publisert
GET   /api/v1/content/<id>/history               the workflow steps
GET   /api/v1/content/<id>/versions              editors: the versions
GET   /api/v1/content/<id>/diff?from=N&to=M      editors: the line diff
POST  /api/v1/content/<id>/versions/<n>/restore {version}   → the item
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from flask import Blueprint, jsonify, request
from flask_babel import gettext as _
from pydantic import BaseModel, Field
from werkzeug import Response

from innsiden import access, listing
from innsiden.content import editing, forms, service, versions, workflow
from innsiden.content.models import ContentItem
from innsiden.content.text import item_url
from innsiden.content.views.places import place_from
from innsiden.db import get_session
from innsiden.errors import ValidationFailed
from innsiden.openapi import describe
from innsiden.web import acting_member, int_value, json_body

bp = Blueprint("content_api", __name__, url_prefix="/api/v1/content")


class ItemOut(BaseModel):
    """A page or a news item; `body_source` (Markdown) only for its editors."""

    id: int
    kind: str = Field(description="page or news")
    group_id: int | None
    parent_id: int | None
    position: int | None
    title: str
    lead: str
    body_html: str
    state: str
    live: bool
    cascade: bool
    inherit_roles: bool
    publish_from: datetime | None
    expire_at: datetime | None
    published_at: datetime | None
    version: int = Field(description="Send it back when saving: 409 if someone saved since")
    url: str
    body_source: str | None = None


class ItemList(BaseModel):
    items: list[ItemOut]
    next: int | None


class ItemQuery(BaseModel):
    place: str | None = Field(default=None, description="A group id, or organisasjonen")
    kind: str | None = Field(
        default=None,
        description="page (the top pages, in the editors' order, all at once) or news "
        "(the default: newest first, in pages)",
    )
    limit: int | None = Field(
        default=None, ge=1, le=listing.MAX_LIMIT, description="Page size (default 50)"
    )


class ItemText(BaseModel):
    title: str
    body: str = Field(default="", description="Markdown")
    lead: str = ""
    cascade: bool = False
    publish_from: str | None = None
    expire_at: str | None = None
    inherit_roles: bool = True


class NewItem(ItemText):
    place: str = Field(description="A group id, or organisasjonen")
    kind: str = Field(description="page or news")
    parent_id: int | None = None


class SavedItem(ItemText):
    version: int
    note: str = ""


class TransitionIn(BaseModel):
    action: str = Field(description="send, godkjenn, publiser, avvis, trekk or trekk_publisert")
    comment: str = ""


class Step(BaseModel):
    action: str
    from_: str | None = Field(alias="from")
    to: str
    by: int | None
    comment: str
    at: datetime


class History(BaseModel):
    history: list[Step]


class VersionOut(BaseModel):
    number: int
    title: str
    note: str
    saved_by: int | None
    saved_at: datetime


class Versions(BaseModel):
    versions: list[VersionOut]


class DiffQuery(BaseModel):
    from_: int | None = Field(default=None, alias="from", description="Older version number")
    to: int | None = Field(default=None, description="Newer version number")


class DiffLine(BaseModel):
    op: str
    text: str


class Diff(BaseModel):
    lines: list[DiffLine]


class RestoreIn(BaseModel):
    version: int


def _time(value: Any) -> str | None:
    return value.isoformat() if value is not None else None


def item_json(item: ContentItem) -> dict[str, Any]:
    return {
        "id": item.id, "kind": item.kind, "group_id": item.group_id,
        "parent_id": item.parent_id, "position": item.position, "title": item.title,
        "lead": item.lead, "body_html": item.body_html, "state": item.state,
        "live": item.live, "cascade": item.cascade, "inherit_roles": item.inherit_roles,
        "publish_from": _time(item.publish_from), "expire_at": _time(item.expire_at),
        "published_at": _time(item.published_at), "version": item.version,
        "url": item_url(item.id),
    }  # fmt: skip


def _with_source(item: ContentItem) -> dict[str, Any]:
    body = item_json(item)
    if access.can(get_session(), acting_member(), "content.edit", item):
        body["body_source"] = item.body_source
    return body


@bp.get("")
@describe("Pages and news the member may read", query=ItemQuery, response=ItemList, paged="items")
def index() -> Response:
    session, member = get_session(), acting_member()
    place = place_from(session, member, str(request.args.get("place", "organisasjonen")))
    cursor, limit = listing.cursor_arg(), listing.limit_arg()
    if request.args.get("kind") == "page":
        # A place's top pages are few and in the editors' order: one complete page.
        shown, next_cursor = service.top_pages(session, member, place), None
    else:
        items = service.news_page(session, member, place, before_id=cursor, limit=limit + 1)
        shown, next_cursor = listing.cut(items, limit, lambda item: item.id)
    return jsonify(listing.page("items", [item_json(i) for i in shown], next_cursor))


@bp.post("")
@describe("Write a page or a news item", body=NewItem, response=ItemOut, status=201)
def create() -> tuple[Response, int]:
    session, member = get_session(), acting_member()
    body = json_body()
    place = place_from(session, member, str(body.get("place", "")))
    kind = str(body.get("kind", ""))
    text = forms.text_from(body, form=False)
    parent = int_value(body.get("parent_id"))
    item = editing.create_item(session, member, place, kind, text, parent_id=parent)
    session.commit()
    return jsonify(_with_source(item)), 201


@bp.get("/<int:item_id>")
@describe("One page or news item", response=ItemOut)
def show(item_id: int) -> Response:
    session, member = get_session(), acting_member()
    return jsonify(_with_source(service.visible_item(session, member, item_id)))


@bp.put("/<int:item_id>")
@describe("Save a new version (409 if someone saved since)", body=SavedItem, response=ItemOut)
def save(item_id: int) -> Response:
    session, member = get_session(), acting_member()
    item = service.visible_item(session, member, item_id)
    body = json_body()
    text = forms.text_from(body, form=False)
    editing.save_item(session, member, item, text, forms.expected_version(body),
                      note=str(body.get("note", "")))  # fmt: skip
    session.commit()
    return jsonify(_with_source(item))


@bp.post("/<int:item_id>/transitions")
@describe("Move an item through the workflow", body=TransitionIn, response=ItemOut)
def transition(item_id: int) -> Response:
    session, member = get_session(), acting_member()
    item = service.visible_item(session, member, item_id)
    body = json_body()
    workflow.transition(session, member, item, str(body.get("action", "")),
                        str(body.get("comment", "")))  # fmt: skip
    session.commit()
    return jsonify(_with_source(item))


@bp.get("/<int:item_id>/history")
@describe("The item's workflow steps", response=History)
def history(item_id: int) -> Response:
    session, member = get_session(), acting_member()
    item = service.visible_item(session, member, item_id)
    steps = workflow.history(session, item)
    return jsonify({"history": [
        {"action": s.action, "from": s.from_state, "to": s.to_state, "by": s.actor_number,
         "comment": s.comment, "at": _time(s.created_at)} for s in steps
    ]})  # fmt: skip


@bp.get("/<int:item_id>/versions")
@describe("The item's versions (editors)", response=Versions)
def list_versions(item_id: int) -> Response:
    session, member = get_session(), acting_member()
    item = service.visible_item(session, member, item_id)
    return jsonify({"versions": [
        {"number": v.number, "title": v.title, "note": v.note, "saved_by": v.saved_by,
         "saved_at": _time(v.saved_at)} for v in versions.versions_of(session, member, item)
    ]})  # fmt: skip


@bp.get("/<int:item_id>/diff")
@describe("The line diff between two versions (editors)", query=DiffQuery, response=Diff)
def diff(item_id: int) -> Response:
    session, member = get_session(), acting_member()
    item = service.visible_item(session, member, item_id)
    versions.versions_of(session, member, item)  # the editors' check
    older, newer = int_value(request.args.get("from")), int_value(request.args.get("to"))
    if older is None or newer is None:
        raise ValidationFailed(_("Oppgi to versjonsnumre: from og to."))
    lines = versions.diff(versions.get_version(session, item, older),
                          versions.get_version(session, item, newer))  # fmt: skip
    return jsonify({"lines": [{"op": line.op, "text": line.text} for line in lines]})


@bp.post("/<int:item_id>/versions/<int:number>/restore")
@describe("Restore an earlier version as the newest", body=RestoreIn, response=ItemOut)
def restore(item_id: int, number: int) -> Response:
    session, member = get_session(), acting_member()
    item = service.visible_item(session, member, item_id)
    versions.restore(session, member, item, number, forms.expected_version(json_body()))
    session.commit()
    return jsonify(_with_source(item))
