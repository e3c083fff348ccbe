"""Min profil (`/min-profil`): the register's data, the portal's data, requests and export."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from werkzeug import Response
from werkzeug.wsgi import wrap_file

from innsiden import access, filetypes
from innsiden.db import get_session
from innsiden.errors import NotFound, ValidationFailed
from innsiden.profile import export, requests, service
from innsiden.profile.models import ProfilePicture
from innsiden.storage import CHUNK_SIZE, get_storage
from innsiden.web import acting_member
from membersync.models import Member

bp = Blueprint("profile", __name__, url_prefix="/min-profil")


def _page(errors: dict[str, str] | None = None, status: int = 200) -> tuple[str, int]:
    session, member = get_session(), acting_member()
    page = render_template(
        "profile/show.html",
        register=service.register_view(session, member),
        portal=service.portal_view(session, member),
        suggestions=service.suggested_groups(session, member),
        change_requests=requests.requests_of(session, member.number),
        kinds=requests.kind_labels(),
        states=requests.state_labels(),
        exports=export.exports_of(session, member.number),
        errors=errors or {},
        form=request.form,
    )
    return page, status


@bp.get("")
def show() -> tuple[str, int]:
    return _page()


@bp.post("/portal")
def save_portal() -> Response | tuple[str, int]:
    session, member = get_session(), acting_member()
    try:
        interests = service.parse_interests(request.form.get("interests", ""))
        service.save_portal_profile(
            session,
            member,
            about=request.form.get("about", ""),
            show_email=request.form.get("show_email") == "ja",
            show_mobile=request.form.get("show_mobile") == "ja",
        )
        service.save_interests(session, member, interests)
    except ValidationFailed as error:
        session.rollback()
        return _page(error.fields, 400)
    session.commit()
    flash(_("Profilen er lagret."), "success")
    return redirect(url_for("profile.show"))


@bp.post("/bilde")
def upload_picture() -> Response | tuple[str, int]:
    session, member = get_session(), acting_member()
    upload = request.files.get("picture")
    if upload is None or not upload.filename:
        return _page({"picture": _("Velg et bilde.")}, 400)
    session.rollback()  # the picture is checked and stored before the write transaction
    try:
        service.set_picture(session, member, upload.stream)
    except ValidationFailed as error:
        session.rollback()
        return _page({"picture": error.message}, 400)
    session.commit()
    flash(_("Bildet er lagret."), "success")
    return redirect(url_for("profile.show"))


@bp.post("/bilde/slett")
def delete_picture() -> Response:
    session = get_session()
    service.remove_picture(session, acting_member())
    session.commit()
    flash(_("Bildet er fjernet."), "success")
    return redirect(url_for("profile.show"))


@bp.get("/bilde/<int:number>")
@bp.get("/bilde/<int:number>/mini", endpoint="thumbnail", defaults={"thumb": True})
def picture(number: int, thumb: bool = False) -> Response:
    """A member's picture, only to those who may see it (404 to everyone else)."""
    session, viewer = get_session(), acting_member()
    owner = session.get(Member, number)
    row = session.get(ProfilePicture, number)
    if owner is None or row is None:
        raise NotFound()
    access.require(session, viewer, "profile.see_picture", owner)
    key = row.thumb_key if thumb else row.storage_key
    name = "profilbilde" + filetypes.extension_for(row.mime_type)
    response = _send(key, None, filetypes.download_headers(name, row.mime_type, inline=True))
    response.headers["Cache-Control"] = "private, max-age=300"
    return response


@bp.post("/endring")
def ask_change() -> Response | tuple[str, int]:
    session, member = get_session(), acting_member()
    kind = request.form.get("kind", "")
    try:
        change = requests.ask(
            session, member, kind, request.form.to_dict(), request.form.get("message", "")
        )
    except ValidationFailed as error:
        session.rollback()
        return _page(error.fields, 400)
    session.commit()
    delivered = requests.deliver(session, change.id)
    session.commit()
    if delivered is not None and delivered.state == "failed":
        flash(_("Ønsket er lagret, men kunne ikke sendes nå. Vi prøver igjen."), "error")
    else:
        flash(_("Endringsønsket er sendt til medlemsregisteret."), "success")
    return redirect(url_for("profile.show") + "#endringer")


@bp.post("/eksport")
def ask_export() -> Response:
    session = get_session()
    export.request_export(session, acting_member())
    session.commit()
    flash(_("Vi lager en fil med dataene dine. Du får et varsel når den er klar."), "success")
    return redirect(url_for("profile.show") + "#eksport")


@bp.get("/eksport/<int:export_id>")
def download_export(export_id: int) -> Response:
    session, member = get_session(), acting_member()
    row = export.downloadable(session, member, export_id)
    assert row.storage_key is not None
    name = f"mine-data-{row.ready_at:%Y-%m-%d}.zip" if row.ready_at else "mine-data.zip"
    return _send(row.storage_key, row.size, filetypes.download_headers(name, "application/zip"))


def _send(key: str, size: int | None, headers: dict[str, str]) -> Response:
    """Stream a stored object (only after the caller's check); never a public URL."""
    stream = get_storage().open(key)
    response = Response(
        wrap_file(request.environ, stream, buffer_size=CHUNK_SIZE),
        headers=headers,
        direct_passthrough=True,
    )
    if size is not None:
        response.content_length = size
    response.headers["Cache-Control"] = "private, no-store"
    return response
