"""Admin pages: suspend a member's portal access (the register is untouched), lift it, or end
every session of a member."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from werkzeug import Response

from innsiden import access, realtime
from innsiden.admin.blueprint import bp
from innsiden.auth import service
from innsiden.db import get_session
from innsiden.errors import Conflict, ValidationFailed
from innsiden.web import current_member


def _page(error: str | None = None, number: str = "", reason: str = "") -> str:
    rows = service.suspensions_overview(get_session())
    return render_template(
        "admin/suspensions.html", rows=rows, error=error, number=number, reason=reason
    )


def _member_number(text: str) -> int:
    text = text.strip()
    if not text.isdigit():
        message = _("Skriv et medlemsnummer (bare siffer).")
        raise ValidationFailed(message, fields={"member_number": message})
    return int(text)


@bp.get("/sperringer")
def suspensions() -> str:
    access.require(get_session(), current_member(), "auth.suspend")
    return _page()


@bp.post("/sperringer")
def suspend() -> str | Response | tuple[str, int]:
    db = get_session()
    access.require(db, current_member(), "auth.suspend")
    typed, reason = request.form.get("member_number", ""), request.form.get("reason", "")
    try:
        suspension = service.suspend(db, current_member(), _member_number(typed), reason)
    except (ValidationFailed, Conflict) as refused:
        db.rollback()
        return _page(refused.message, typed, reason), refused.status
    db.commit()
    realtime.disconnect_member(suspension.member_number)
    flash(_("Medlemmet er sperret og logget ut overalt."), "info")
    return redirect(url_for("admin.suspensions"))


@bp.post("/sperringer/<int:suspension_id>/opphev")
def lift_suspension(suspension_id: int) -> Response:
    db = get_session()
    service.lift_suspension(db, current_member(), suspension_id)
    db.commit()
    flash(_("Sperringen er opphevet. Medlemmet kan logge inn igjen."), "info")
    return redirect(url_for("admin.suspensions"))


@bp.post("/sperringer/logg-ut")
def force_logout() -> str | Response | tuple[str, int]:
    db = get_session()
    access.require(db, current_member(), "auth.suspend")
    typed = request.form.get("member_number", "")
    try:
        member = service.force_logout(db, current_member(), _member_number(typed))
    except ValidationFailed as refused:
        db.rollback()
        return _page(refused.message), refused.status
    db.commit()
    realtime.disconnect_member(member.number)
    flash(_("%(name)s er logget ut overalt.", name=member.full_name), "info")
    return redirect(url_for("admin.suspensions"))
