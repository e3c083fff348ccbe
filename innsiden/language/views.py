"""The language switch: a small form in the footer and on the login page (no JavaScript)."""

from __future__ import annotations

from flask import Blueprint, redirect, request, url_for
from werkzeug import Response

from innsiden import i18n
from innsiden.db import get_session
from innsiden.language import service
from innsiden.web import current_member, public, safe_next

bp = Blueprint("language", __name__)


@bp.post("/sprak")
@public
def switch() -> Response:
    """Anyone may switch (a cookie); a logged-in member's choice is saved on their profile."""
    chosen = i18n.normalise(request.form.get("sprak"))
    target = redirect(safe_next(request.form.get("neste")) or url_for("home.index"))
    if chosen is None:
        return target
    member = current_member()
    if member is not None:
        db = get_session()
        service.choose(db, member.number, chosen)
        db.commit()
        i18n.forget_member_cache()
    i18n.remember_choice(target, chosen)
    return target
