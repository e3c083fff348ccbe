"""File pages: a group's file area and folders, a file with its versions, the trash, and the
downloads — every one of them behind the same permission checks as the API."""

from __future__ import annotations

from flask import Blueprint, current_app, flash, redirect, render_template, request, url_for
from flask_babel import format_decimal, ngettext
from flask_babel import gettext as _
from werkzeug import Response

from innsiden import access
from innsiden.db import get_session
from innsiden.errors import StorageError, TooLarge, ValidationFailed
from innsiden.files import intake, listing, service, transfer, trash
from innsiden.web import acting_member, int_value

bp = Blueprint("files", __name__)

# What an upload form answers with its own page (and status) instead of an error page.
UPLOAD_ERRORS = (ValidationFailed, TooLarge, StorageError)


@bp.app_template_filter("filesize")
def filesize(size: int | None) -> str:
    """Bytes as people read them: "830 B", "12 kB", "4,2 MB" (Norwegian decimal comma)."""
    size = size or 0
    for unit, factor in (("GB", 1024**3), ("MB", 1024**2), ("kB", 1024)):
        if size >= factor:
            return f"{format_decimal(size / factor, format='#,##0.#')} {unit}"
    return f"{size} B"


def _folder_url(group_id: int, folder_id: int | None) -> str:
    if folder_id is None:
        return url_for("files.index", group_id=group_id)
    return url_for("files.folder", group_id=group_id, folder_id=folder_id)


def _area(
    group_id: int, folder_id: int | None, *, error: str = "", status: int = 200
) -> tuple[str, int]:
    session, member = get_session(), acting_member()
    group = service.readable_group(session, member, group_id)
    folder = service.get_folder(session, group, folder_id)
    contents = listing.folder_contents(session, group.id, folder)
    page = render_template(
        "files/index.html",
        group=group,
        contents=contents,
        upload_error=error,
        quota_used=service.quota_used(session, group.id),
        quota=int(current_app.config["GROUP_QUOTA_BYTES"]),
    )
    return page, status


@bp.get("/grupper/<int:group_id>/filer")
def index(group_id: int) -> tuple[str, int]:
    return _area(group_id, None)


@bp.get("/grupper/<int:group_id>/filer/mappe/<int:folder_id>")
def folder(group_id: int, folder_id: int) -> tuple[str, int]:
    return _area(group_id, folder_id)


@bp.post("/grupper/<int:group_id>/filer/last-opp")
def upload(group_id: int) -> Response | tuple[str, int]:
    session, member = get_session(), acting_member()
    uploads = intake.chosen(request.files.getlist("file"))
    folder_id = int_value(request.form.get("folder"))
    group = service.readable_group(session, member, group_id)
    try:
        if not uploads:
            raise intake.nothing_chosen()
        service.check_upload(session, member, group, folder_id)
        staged = transfer.stage_uploads(session, uploads)
        files = service.add_files(
            session, member, group, folder_id, staged,
            description=request.form.get("description", ""),
        )  # fmt: skip
        session.commit()
    except UPLOAD_ERRORS as error:
        session.rollback()
        return _area(group_id, folder_id, error=error.message, status=error.status)
    flash(
        ngettext("%(num)d fil er lastet opp.", "%(num)d filer er lastet opp.", len(files)),
        "success",
    )
    return redirect(_folder_url(group_id, folder_id))


@bp.post("/grupper/<int:group_id>/filer/ny-mappe")
def create_folder(group_id: int) -> Response | tuple[str, int]:
    session, member = get_session(), acting_member()
    parent_id = int_value(request.form.get("parent"))
    group = service.readable_group(session, member, group_id)
    try:
        folder = service.create_folder(
            session, member, group, request.form.get("name", ""), parent_id
        )
        session.commit()
    except ValidationFailed as error:
        session.rollback()
        message = error.fields.get("name", error.message)
        return _area(group_id, parent_id, error=message, status=400)
    flash(_("Mappen «%(name)s» er laget.", name=folder.name), "success")
    return redirect(_folder_url(group_id, folder.id))


@bp.post("/filer/mappe/<int:folder_id>/endre")
def rename_folder(folder_id: int) -> Response:
    session, member = get_session(), acting_member()
    folder = service.readable_folder(session, member, folder_id)
    try:
        service.rename_folder(session, member, folder, request.form.get("name", ""))
        session.commit()
        flash(_("Mappen har fått nytt navn."), "success")
    except ValidationFailed as error:
        session.rollback()
        flash(error.fields.get("name", error.message), "error")
    return redirect(_folder_url(folder.group_id, folder.id))


@bp.post("/filer/mappe/<int:folder_id>/slett")
def delete_folder(folder_id: int) -> Response:
    session, member = get_session(), acting_member()
    folder = service.readable_folder(session, member, folder_id)
    group_id, parent_id = folder.group_id, folder.parent_id
    try:
        service.delete_folder(session, member, folder)
        session.commit()
    except ValidationFailed as error:
        session.rollback()
        flash(error.message, "error")
        return redirect(_folder_url(group_id, folder_id))
    flash(_("Mappen er slettet."), "success")
    return redirect(_folder_url(group_id, parent_id))


@bp.get("/filer/<int:file_id>")
def show(file_id: int) -> str:
    session, member = get_session(), acting_member()
    file = service.get_file(session, member, file_id)
    folders = listing.group_folders(session, file.group_id)
    by_id = {f.id: f for f in folders}
    return render_template(
        "files/show.html",
        file=file,
        group=file.group,
        versions=listing.versions(session, file),
        path=listing.path_to(by_id.get(file.folder_id or 0), by_id),
        choices=listing.folder_choices(folders),
    )


@bp.get("/filer/<int:file_id>/last-ned")
def download(file_id: int) -> Response:
    return transfer.download(get_session(), acting_member(), file_id)


@bp.get("/filer/<int:file_id>/versjon/<int:number>/last-ned")
def download_version(file_id: int, number: int) -> Response:
    return transfer.download(get_session(), acting_member(), file_id, number)


@bp.get("/filer/<int:file_id>/versjon/<int:number>/bilde/<kind>")
def picture(file_id: int, number: int, kind: str) -> Response:
    file, version = service.get_version(get_session(), acting_member(), file_id, number)
    return transfer.send_rendition(file, version, kind)


def _back_to_file(file_id: int) -> Response:
    return redirect(url_for("files.show", file_id=file_id))


@bp.post("/filer/<int:file_id>/ny-versjon")
def new_version(file_id: int) -> Response:
    session, member = get_session(), acting_member()
    file = service.get_file(session, member, file_id)
    upload_ = request.files.get("file")
    try:
        if upload_ is None or not upload_.filename:
            raise intake.nothing_chosen()
        service.check_new_version(session, member, file)
        staged = transfer.stage_upload(session, upload_)
        version = service.add_version(session, member, file, staged)
        session.commit()
    except UPLOAD_ERRORS as error:
        session.rollback()
        flash(error.message, "error")
        return _back_to_file(file_id)
    flash(_("Versjon %(number)d er lastet opp.", number=version.number), "success")
    return _back_to_file(file_id)


@bp.post("/filer/<int:file_id>/endre")
def edit(file_id: int) -> Response:
    session, member = get_session(), acting_member()
    file = service.get_file(session, member, file_id)
    try:
        service.rename(
            session, member, file, request.form.get("name", ""), request.form.get("description")
        )
        session.commit()
        flash(_("Endringene er lagret."), "success")
    except ValidationFailed as error:
        session.rollback()
        flash(error.fields.get("name", error.message), "error")
    return _back_to_file(file_id)


@bp.post("/filer/<int:file_id>/flytt")
def move(file_id: int) -> Response:
    session, member = get_session(), acting_member()
    file = service.get_file(session, member, file_id)
    service.move(session, member, file, int_value(request.form.get("folder")))
    session.commit()
    flash(_("Filen er flyttet."), "success")
    return _back_to_file(file_id)


@bp.post("/filer/<int:file_id>/slett")
def delete(file_id: int) -> Response:
    session, member = get_session(), acting_member()
    file = service.get_file(session, member, file_id)
    group_id, folder_id = file.group_id, file.folder_id
    service.delete(session, member, file)
    session.commit()
    if access.can(session, member, "file.trash", file.group):
        flash(_("Filen er lagt i papirkurven. Den kan gjenopprettes i 30 dager."), "success")
    else:
        flash(
            _("Filen er slettet. En gruppeadministrator kan gjenopprette den i 30 dager."),
            "success",
        )
    return redirect(_folder_url(group_id, folder_id))


@bp.get("/grupper/<int:group_id>/filer/papirkurv")
def trash_page(group_id: int) -> str:
    session, member = get_session(), acting_member()
    group = service.readable_group(session, member, group_id)
    return render_template(
        "files/trash.html", group=group, items=trash.trashed(session, member, group)
    )


@bp.post("/filer/<int:file_id>/gjenopprett")
def restore(file_id: int) -> Response:
    session, member = get_session(), acting_member()
    file = trash.restore(session, member, file_id)
    session.commit()
    flash(_("«%(name)s» er gjenopprettet.", name=file.name), "success")
    return redirect(url_for("files.trash_page", group_id=file.group_id))
