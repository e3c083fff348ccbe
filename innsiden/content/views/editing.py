"""Writing pages and news: new, edit (a refused second save keeps the editor's text in the
form with a clear message), move in the tree, and the lead picture."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from werkzeug import Response

from innsiden import access
from innsiden.content import editing, forms, service
from innsiden.content.blueprint import bp
from innsiden.content.editing import EditConflict
from innsiden.content.models import ContentItem
from innsiden.content.permissions import Place
from innsiden.content.views.places import place_from, place_key
from innsiden.db import get_session
from innsiden.errors import ValidationFailed
from innsiden.web import acting_member, int_value


def _form(
    place: Place, item: ContentItem | None, kind: str, values: dict[str, object],
    errors: dict[str, str], status: int = 200, message: str = "",
) -> tuple[str, int]:  # fmt: skip
    cascades = kind == "news" and (place.group is None or place.group.kind == "fylkeslag")
    html = render_template(
        "content/edit.html", place=place, key=place_key(place), item=item, kind=kind,
        values=values, errors=errors, message=message, cascades=cascades,
        parent_id=request.values.get("forelder", ""),
    )  # fmt: skip
    return html, status


@bp.route("/sted/<place>/ny/<kind>", methods=["GET", "POST"])
def new(place: str, kind: str) -> Response | tuple[str, int]:
    session, member = get_session(), acting_member()
    where = place_from(session, member, place)
    kind = "news" if kind == "nyhet" else "page"
    access.require(session, member, "content.create", where, visible=True)
    if request.method == "GET":
        return _form(where, None, kind, forms.form_values(None), {})
    try:
        text = forms.text_from(request.form, form=True)
        parent = int_value(request.form.get("forelder"))
        item = editing.create_item(session, member, where, kind, text, parent_id=parent)
    except ValidationFailed as error:
        session.rollback()
        return _form(where, None, kind, forms.form_values(None, request.form), error.fields, 400,
                     error.message)  # fmt: skip
    session.commit()
    flash(_("Lagret som utkast. Send det til godkjenning når det er klart."))
    return redirect(url_for("content.show", item_id=item.id))


@bp.route("/<int:item_id>/rediger", methods=["GET", "POST"])
def edit(item_id: int) -> Response | tuple[str, int]:
    session, member = get_session(), acting_member()
    item = service.visible_item(session, member, item_id)
    access.require(session, member, "content.edit", item, visible=True)
    place = service.place_of_item(session, item)
    if request.method == "GET":
        return _form(place, item, item.kind, forms.form_values(item), {})
    try:
        text = forms.text_from(request.form, form=True)
        editing.save_item(session, member, item, text, forms.expected_version(request.form),
                          note=request.form.get("note", ""))  # fmt: skip
    except EditConflict as error:
        session.rollback()
        values = forms.form_values(None, request.form)
        return _form(place, item, item.kind, values, {}, 409, error.message)
    except ValidationFailed as error:
        session.rollback()
        values = forms.form_values(None, request.form)
        return _form(place, item, item.kind, values, error.fields, 400, error.message)
    session.commit()
    flash(_("Endringene er lagret."))
    return redirect(url_for("content.show", item_id=item.id))


@bp.post("/<int:item_id>/flytt")
def move(item_id: int) -> Response:
    session, member = get_session(), acting_member()
    item = service.visible_item(session, member, item_id)
    parent = int_value(request.form.get("forelder"))
    position = int_value(request.form.get("plass")) or 0
    editing.move_item(session, member, item, parent_id=parent, position=position)
    session.commit()
    flash(_("Siden er flyttet."))
    return redirect(url_for("content.show", item_id=item.id))


@bp.post("/<int:item_id>/bilde")
def upload_picture(item_id: int) -> Response:
    session, member = get_session(), acting_member()
    item = service.visible_item(session, member, item_id)
    upload = request.files.get("bilde")
    remove = request.form.get("fjern") == "ja"
    editing.set_lead_image(session, member, item, None if remove or not upload else upload.stream)
    session.commit()
    flash(_("Bildet er fjernet.") if remove else _("Bildet er lagret."))
    return redirect(url_for("content.show", item_id=item.id))
