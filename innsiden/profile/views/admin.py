"""Privacy for portal administrators: records of processing and "glem medlemmet"."""

from __future__ import annotations

from flask import Blueprint, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from werkzeug import Response

from innsiden import access
from innsiden.db import get_session
from innsiden.errors import Conflict, NotFound
from innsiden.profile import processing, retention
from innsiden.web import acting_member, int_value

bp = Blueprint("profile_admin", __name__, url_prefix="/admin/personvern")


def _require(action: str) -> None:
    access.require(get_session(), acting_member(), action)


@bp.get("")
def index() -> str:
    _require("profile.see_processing")
    return render_template(
        "profile/admin.html",
        records=processing.records(),
        retention_days=current_app.config["RETENTION_DAYS"],
    )


@bp.get("/behandlingsprotokoll.md")
def document() -> Response:
    _require("profile.see_processing")
    text = processing.as_markdown(current_app.config["ORGANISATION_NAME"])
    return Response(
        text,
        mimetype="text/markdown",
        headers={"Content-Disposition": 'attachment; filename="behandlingsprotokoll.md"'},
    )


@bp.post("/glem")
def forget() -> Response:
    session, actor = get_session(), acting_member()
    access.require(session, actor, "profile.forget")
    number = int_value(request.form.get("member_number"))
    reason = request.form.get("reason", "").strip()
    if number is None or not reason:
        flash(_("Skriv medlemsnummeret og grunnen."), "error")
        return redirect(url_for("profile_admin.index"))
    try:
        retention.forget(session, actor, number, reason)
    except (NotFound, Conflict) as error:
        session.rollback()
        message = error.message if isinstance(error, Conflict) else _("Fant ikke medlemmet.")
        flash(message, "error")
        return redirect(url_for("profile_admin.index"))
    session.commit()
    flash(_("Medlemmet er anonymisert."), "success")
    return redirect(url_for("profile_admin.index"))
