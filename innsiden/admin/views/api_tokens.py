"""Admin pages: every member's personal access tokens for the API, and revoking one."""

from __future__ import annotations

from flask import flash, redirect, render_template, url_for
from flask_babel import gettext as _
from werkzeug import Response

from innsiden import access
from innsiden.admin.blueprint import bp
from innsiden.auth import tokens
from innsiden.db import get_session
from innsiden.web import current_member


@bp.get("/api-nokler")
def api_tokens() -> str:
    rows = tokens.all_tokens(get_session(), current_member())
    return render_template("admin/api_tokens.html", rows=rows, scopes=tokens.WRITE_SCOPES)


@bp.post("/api-nokler/<int:token_id>/trekk-tilbake")
def revoke_api_token(token_id: int) -> Response:
    session = get_session()
    access.require(session, current_member(), "auth.tokens_admin")
    tokens.revoke(session, current_member(), token_id)
    session.commit()
    flash(_("Nøkkelen er trukket tilbake og virker ikke lenger."), "info")
    return redirect(url_for("admin.api_tokens"))
