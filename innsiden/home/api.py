"""The front page's stream as JSON: GET /api/v1/home/stream?group=&kind=&cursor=

`kind` is one of the page's filters (diskusjoner, filer, arrangementer, avstemninger,
medlemmer); `cursor` (formerly `before`) is the `next` of the previous answer, in the one
paged shape of `innsiden.listing`. Every entry is checked
with `innsiden.access` as the page does.
"""

from __future__ import annotations

from datetime import datetime

from flask import Blueprint, jsonify, request
from pydantic import BaseModel, Field
from werkzeug import Response

from innsiden import listing
from innsiden.db import get_session
from innsiden.home import page, service, wording
from innsiden.openapi import describe
from innsiden.web import acting_member, int_value

bp = Blueprint("home_api", __name__, url_prefix="/api/v1/home")


class GroupRef(BaseModel):
    id: int
    name: str


class StreamEntry(BaseModel):
    id: int
    kind: str
    count: int
    headline: str
    title: str
    url: str
    group: GroupRef
    actors: list[str]
    created_at: datetime
    unread: bool


class Stream(BaseModel):
    entries: list[StreamEntry]
    next: int | None


class StreamQuery(BaseModel):
    group: int | None = Field(default=None, description="Only this group's entries")
    kind: str | None = Field(
        default=None,
        description="diskusjoner, filer, arrangementer, avstemninger or medlemmer",
    )


@bp.get("/stream")
@describe(
    "The front page's stream of what happened in the member's groups",
    query=StreamQuery,
    response=Stream,
    paged="entries",
)
def stream() -> Response:
    session, member = get_session(), acting_member()
    args = request.args
    filters = page.check_filters(
        int_value(args.get("group")), args.get("kind", ""), listing.cursor_arg("before")
    )
    visit = service.last_visit(session, member)
    _groups, found = page.stream(session, member, filters, visit.seen_entry_id if visit else None)
    entries = [wording.as_json(item) for item in found.items]
    return jsonify(listing.page("entries", entries, found.next_cursor))
