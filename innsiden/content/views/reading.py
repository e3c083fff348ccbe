"""Reading pages and news: a place's pages and news, one item with breadcrumbs and
navigation, its lead picture, and the reviewers' queue."""

from __future__ import annotations

import io

from flask import Response, render_template, request, send_file
from sqlalchemy import select

from innsiden import access
from innsiden.content import service, workflow
from innsiden.content.blueprint import bp
from innsiden.content.models import ContentItem
from innsiden.content.permissions import reviewable_clause
from innsiden.content.views.places import place_from, place_key
from innsiden.db import get_session
from innsiden.errors import NotFound
from innsiden.storage import get_storage
from innsiden.web import acting_member, int_value


@bp.get("/sted/<place>/sider")
def pages(place: str) -> str:
    session, member = get_session(), acting_member()
    where = place_from(session, member, place)
    return render_template(
        "content/pages.html", place=where, key=place_key(where),
        pages=service.top_pages(session, member, where),
        may_create=access.can(session, member, "content.create", where),
    )  # fmt: skip


@bp.get("/sted/<place>/nyheter")
def news(place: str) -> str:
    session, member = get_session(), acting_member()
    where = place_from(session, member, place)
    page = max(int_value(request.args.get("side")) or 1, 1)
    size = service.NEWS_PAGE_SIZE
    items = service.news(session, member, where, limit=size + 1, offset=(page - 1) * size)
    return render_template(
        "content/news.html", place=where, key=place_key(where), items=items[:size],
        page=page, more=len(items) > size,
        may_create=access.can(session, member, "content.create", where),
    )  # fmt: skip


@bp.get("/<int:item_id>")
def show(item_id: int) -> str:
    session, member = get_session(), acting_member()
    item = service.visible_item(session, member, item_id)
    place = service.place_of_item(session, item)
    above = service.ancestors(session, item) if item.kind == "page" else []
    may_edit = access.can(session, member, "content.edit", item)
    return render_template(
        "content/show.html", item=item, place=place, key=place_key(place), above=above,
        nav=service.navigation(session, member, item, above) if item.kind == "page" else [],
        children=service.children_of(session, member, item) if item.kind == "page" else [],
        steps=workflow.available(session, member, item), may_edit=may_edit,
        history=workflow.history(session, item) if may_edit else [],
    )  # fmt: skip


@bp.get("/<int:item_id>/bilde")
def picture(item_id: int) -> Response:
    session, member = get_session(), acting_member()
    item = service.visible_item(session, member, item_id)
    if not item.lead_image_key:
        raise NotFound()
    with get_storage().open(item.lead_image_key) as stream:
        data = stream.read()
    kind = "image/png" if data.startswith(b"\x89PNG") else "image/jpeg"
    response = send_file(io.BytesIO(data), mimetype=kind)
    response.headers["Cache-Control"] = "private, max-age=300"
    return response


@bp.get("/til-godkjenning")
def queue() -> str:
    session, member = get_session(), acting_member()
    items = session.scalars(
        select(ContentItem)
        .where(ContentItem.state == "til_godkjenning", reviewable_clause(session, member))
        .order_by(ContentItem.updated_at)
        .limit(200)
    ).all()
    return render_template("content/queue.html", items=items)
