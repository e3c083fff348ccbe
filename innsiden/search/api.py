"""Search in the JSON API, through the same service as the search page.

GET /api/v1/search?q=&kind=&group=&from=&to=&page=&sort=
    q     the words to find (all of them must match)
    kind  thread | post | event | file | group
    group a group id (404 unless the member may read the group)
    from, to  dates (YYYY-MM-DD, Oslo time, both days included)
    page  1…500 (20 hits a page); sort  relevance (default) | newest
→ {"query", "total", "page", "pages", "per_page", "withheld", "suggestion", "kind_counts",
   "hits": [{"id", "kind", "title_html", "excerpt_html", "url", "group_id", "group_name",
   "author_name", "created_at"}]}
No `q` or bad parameters → 400 with a message per field. `title_html` and `excerpt_html`
are escaped HTML with the query's words in <mark>; `withheld` counts hits on this page that
failed the permission check (they are already left out of `total`).
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, jsonify, request
from flask_babel import gettext as _
from pydantic import BaseModel, Field
from werkzeug import Response

from innsiden.db import get_session
from innsiden.errors import ValidationFailed
from innsiden.openapi import describe
from innsiden.search import service
from innsiden.web import acting_member

bp = Blueprint("search_api", __name__, url_prefix="/api/v1/search")


class SearchQuery(BaseModel):
    q: str = Field(description="The words to find (all of them must match)")
    kind: str | None = Field(default=None, description="thread, post, event, file or group")
    group: int | None = Field(default=None, description="Only within this group")
    from_: str | None = Field(default=None, alias="from", description="From this day, YYYY-MM-DD")
    to: str | None = Field(default=None, description="Up to and including this day, YYYY-MM-DD")
    page: int | None = Field(default=None, ge=1, le=500, description="Page number, from 1")
    sort: str | None = Field(default=None, description="relevance (default) or newest")


class HitOut(BaseModel):
    id: int
    kind: str
    title_html: str = Field(description="Escaped HTML, the query's words in <mark>")
    excerpt_html: str = Field(description="Escaped HTML, the query's words in <mark>")
    url: str
    group_id: int | None
    group_name: str | None
    author_name: str | None
    created_at: str | None


class SearchOut(BaseModel):
    query: str
    total: int
    page: int
    pages: int
    per_page: int
    withheld: int = Field(description="Hits on this page left out by the permission check")
    suggestion: str | None
    kind_counts: dict[str, int]
    hits: list[HitOut]


@bp.get("")
@describe("Search what the member may read", query=SearchQuery, response=SearchOut)
def search() -> Response:
    session, member = get_session(), acting_member()
    params = service.parse_params(request.args)
    if not params.text:
        message = _("Skriv noe å søke etter.")
        raise ValidationFailed(message, fields={"q": message})
    found = service.search(session, member, params)
    results = found.results
    return jsonify(
        {
            "query": found.params.text,
            "total": results.total,
            "page": results.page,
            "pages": results.pages,
            "per_page": results.per_page,
            "withheld": found.withheld,
            "suggestion": results.suggestion,
            "kind_counts": results.kind_counts,
            "hits": [_hit_json(found, hit) for hit in results.hits],
        }
    )


def _hit_json(found: service.SearchPage, hit: Any) -> dict[str, Any]:
    return {
        "id": hit.id,
        "kind": hit.kind,
        "title_html": str(hit.title),
        "excerpt_html": str(hit.excerpt),
        "url": hit.url,
        "group_id": hit.group_id,
        "group_name": found.group_name(hit) or None,
        "author_name": hit.author_name or None,
        "created_at": hit.created_at.isoformat() if hit.created_at else None,
    }
