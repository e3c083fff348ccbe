"""The search page (`/sok`): one box, results filtered by kind, group and date."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, render_template, request, url_for
from flask_babel import lazy_gettext as _l

from innsiden.db import get_session
from innsiden.errors import ValidationFailed
from innsiden.search import service
from innsiden.web import acting_member

bp = Blueprint("search", __name__)

# Filter links (plural) and a hit's label (singular), by kind.
KIND_LABELS: dict[str, tuple[Any, Any]] = {
    "thread": (_l("Tråder"), _l("Tråd")),
    "post": (_l("Innlegg"), _l("Innlegg")),
    "event": (_l("Arrangementer"), _l("Arrangement")),
    "file": (_l("Filer"), _l("Fil")),
    "group": (_l("Grupper"), _l("Gruppe")),
    "page": (_l("Sider"), _l("Side")),
    "news": (_l("Nyheter"), _l("Nyhet")),
}


@bp.get("/sok")
def index() -> str | tuple[str, int]:
    session, member = get_session(), acting_member()
    status, found, errors = 200, None, {}
    try:
        params = service.parse_params(request.args)
        found = service.search(session, member, params)
    except ValidationFailed as error:
        # Show the form again with what was typed and what to fix.
        status, errors = 400, error.fields
        params = service.SearchParams(text=" ".join((request.args.get("q") or "").split()))

    def link(**changes: Any) -> str:
        """This search with some parameters changed (None leaves one out)."""
        args: dict[str, Any] = {**params.as_args(), **changes}
        return url_for("search.index", **{k: v for k, v in args.items() if v not in (None, "")})

    body = render_template(
        "search/index.html",
        params=params,
        found=found,
        errors=errors,
        link=link,
        groups=service.group_choices(session, member),
        kinds=KIND_LABELS,
    )
    return (body, status) if status != 200 else body
