"""Deling: a place's editors and reviewers, given and taken back by its administrators."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from werkzeug import Response

from innsiden.content import sharing
from innsiden.content.blueprint import bp
from innsiden.content.views.places import place_from, place_key
from innsiden.db import get_session
from innsiden.errors import ValidationFailed
from innsiden.web import acting_member, int_value


@bp.get("/sted/<place>/deling")
def share(place: str) -> str:
    session, member = get_session(), acting_member()
    where = place_from(session, member, place)
    grants = sharing.grants_at(session, member, where)
    return render_template("content/sharing.html", place=where, key=place_key(where), grants=grants)


@bp.post("/sted/<place>/deling")
def change_share(place: str) -> Response:
    session, member = get_session(), acting_member()
    where = place_from(session, member, place)
    number = int_value(request.form.get("member"))
    role = request.form.get("role", "")
    if number is None:
        raise ValidationFailed(fields={"member": _("Skriv medlemsnummeret.")})
    if request.form.get("remove") == "ja":
        sharing.revoke(session, member, where, number, role)
    else:
        sharing.grant(session, member, where, number, role)
    session.commit()
    flash(_("Delingen er oppdatert."))
    return redirect(url_for("content.share", place=place))
