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
from werkzeug import Response

from innsiden.db import get_session
from innsiden.errors import ValidationFailed
from innsiden.search import service
from innsiden.web import acting_member

bp = Blueprint("search_api", __name__, url_prefix="/api/v1/search")


@bp.get("")
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
