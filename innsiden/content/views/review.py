"""The workflow buttons, the versions with their diff, and restoring a version."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from werkzeug import Response

from innsiden.content import forms, service, versions, workflow
from innsiden.content.blueprint import bp
from innsiden.content.editing import EditConflict
from innsiden.db import get_session
from innsiden.web import acting_member, int_value


@bp.post("/<int:item_id>/handling/<action>")
def act(item_id: int, action: str) -> Response:
    session, member = get_session(), acting_member()
    item = service.visible_item(session, member, item_id)
    workflow.transition(session, member, item, action, request.form.get("comment", ""))
    session.commit()
    flash(_("Status: %(s)s.", s=workflow.STATE_LABELS[item.state]))
    return redirect(url_for("content.show", item_id=item.id))


@bp.get("/<int:item_id>/versjoner")
def history(item_id: int) -> str:
    session, member = get_session(), acting_member()
    item = service.visible_item(session, member, item_id)
    listed = versions.versions_of(session, member, item)
    older, newer = int_value(request.args.get("fra")), int_value(request.args.get("til"))
    lines = None
    if older is not None and newer is not None:
        lines = versions.diff(
            versions.get_version(session, item, older), versions.get_version(session, item, newer)
        )
    return render_template(
        "content/versions.html", item=item, versions=listed, lines=lines, older=older, newer=newer
    )


@bp.post("/<int:item_id>/versjoner/<int:number>/gjenopprett")
def restore(item_id: int, number: int) -> Response:
    session, member = get_session(), acting_member()
    item = service.visible_item(session, member, item_id)
    try:
        versions.restore(session, member, item, number, forms.expected_version(request.form))
    except EditConflict as error:
        session.rollback()
        flash(error.message)
        return redirect(url_for("content.history", item_id=item_id))
    session.commit()
    flash(_("Versjon %(n)d er gjenopprettet som en ny versjon.", n=number))
    return redirect(url_for("content.show", item_id=item.id))
