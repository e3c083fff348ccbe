"""Min profil's API keys (`/min-profil/api-nokler`): make, see and revoke personal access
tokens for integrations. The token itself is shown once, on the page answering its creation."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from werkzeug import Response

from innsiden.auth import tokens
from innsiden.db import get_session
from innsiden.errors import ValidationFailed
from innsiden.profile.views.pages import bp
from innsiden.web import acting_member, int_value


def _page(
    *, secret: str | None = None, errors: dict[str, str] | None = None, status: int = 200
) -> tuple[str, int]:
    session, member = get_session(), acting_member()
    page = render_template(
        "profile/tokens.html",
        rows=tokens.tokens_of(session, member),
        scopes=tokens.WRITE_SCOPES,
        expiry_days=tokens.EXPIRY_DAYS,
        default_days=tokens.DEFAULT_EXPIRY_DAYS,
        secret=secret,
        errors=errors or {},
        form=request.form,
    )
    return page, status


@bp.get("/api-nokler")
def tokens_page() -> tuple[str, int]:
    return _page()


@bp.post("/api-nokler")
def create_token() -> tuple[str, int]:
    session, member = get_session(), acting_member()
    try:
        _token, secret = tokens.create(
            session,
            member,
            name=request.form.get("name", ""),
            scopes=request.form.getlist("scopes"),
            days=int_value(request.form.get("days")) or 0,
        )
    except ValidationFailed as error:
        session.rollback()
        return _page(errors=error.fields or {"name": error.message}, status=400)
    session.commit()
    return _page(secret=secret, status=201)


@bp.post("/api-nokler/<int:token_id>/trekk-tilbake")
def revoke_token(token_id: int) -> Response:
    session, member = get_session(), acting_member()
    tokens.revoke(session, member, token_id)
    session.commit()
    flash(_("Nøkkelen er trukket tilbake og virker ikke lenger."), "info")
    return redirect(url_for("profile.tokens_page"))
