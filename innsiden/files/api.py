"""Files in the JSON API under /api/v1/files, calling the same service as the pages.

GET    /api/v1/files?group=<id>&folder=<id>&limit=  a folder's contents (top level without
                                                 folder); its files paged by id (`next`)
POST   /api/v1/files            multipart: group, folder, description, file (one or more)
GET    /api/v1/files/<id>                           a file with its versions
PATCH  /api/v1/files/<id>       {"name", "description", "folder_id"}  rename / describe / move
DELETE /api/v1/files/<id>                           to the trash
POST   /api/v1/files/<id>/restore                   out of the trash (group administrators)
GET    /api/v1/files/<id>/versions                  every version, newest first
POST   /api/v1/files/<id>/versions  multipart: file  a new version
GET    /api/v1/files/<id>/download                  the current version (stream, or 302 on S3)
GET    /api/v1/files/<id>/versions/<n>/download     an older version, likewise
GET    /api/v1/files/trash?group=<id>&limit=        the group's trash, paged (administrators)
GET    /api/v1/files/folders?group=<id>             every folder of the group
POST   /api/v1/files/folders    {"group_id", "parent_id", "name"}
PATCH  /api/v1/files/folders/<id>  {"name"}
DELETE /api/v1/files/folders/<id>                   an empty folder

Download and picture URLs in answers are this portal's own, permission-checked routes; a
presigned storage URL is only ever the target of a download's redirect.
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, jsonify, request, url_for
from flask_babel import gettext as _
from pydantic import BaseModel, Field
from werkzeug import Response

from innsiden import access
from innsiden import listing as paging
from innsiden.db import get_session
from innsiden.errors import NotFound, ValidationFailed
from innsiden.files import intake, listing, service, transfer, trash
from innsiden.files.models import File, FileVersion, Folder
from innsiden.listing import MAX_LIMIT
from innsiden.openapi import describe
from innsiden.web import acting_member, int_value, json_body

bp = Blueprint("files_api", __name__, url_prefix="/api/v1/files")


class FolderOut(BaseModel):
    id: int
    group_id: int
    parent_id: int | None
    name: str


class FolderList(BaseModel):
    folders: list[FolderOut]


class FileVersionOut(BaseModel):
    number: int
    name: str
    size: int
    sha256: str
    mime_type: str
    uploaded_by: int | None
    uploaded_by_name: str
    created_at: str
    download_url: str
    pictures: dict[str, str] | None = Field(description="Rendition URLs of a picture, else null")


class FileVersionList(BaseModel):
    versions: list[FileVersionOut]


class FileOut(BaseModel):
    id: int
    group_id: int
    folder_id: int | None
    name: str
    description: str
    source: str | None
    uploaded_by: int | None
    uploaded_by_name: str
    created_at: str
    updated_at: str
    version_count: int
    current: FileVersionOut
    download_url: str
    page_url: str


class FileDetail(FileOut):
    versions: list[FileVersionOut]
    can_change: bool


class FileList(BaseModel):
    files: list[FileOut]


LIMIT = Field(default=None, ge=1, le=MAX_LIMIT, description="Page size (default 50)")


class FolderQuery(BaseModel):
    group: int = Field(description="The group's id")
    folder: int | None = Field(default=None, description="A folder's id; the top level without")
    limit: int | None = LIMIT


class GroupQuery(BaseModel):
    group: int = Field(description="The group's id")


class TrashQuery(GroupQuery):
    limit: int | None = LIMIT


class FolderPage(BaseModel):
    group_id: int
    folder: FolderOut | None
    path: list[FolderOut]
    folders: list[FolderOut]
    files: list[FileOut]
    can_upload: bool


class FileChangeIn(BaseModel):
    name: str | None = None
    description: str | None = None
    folder_id: int | None = Field(default=None, description="Move here (null: the top level)")


class FolderIn(BaseModel):
    group_id: int
    parent_id: int | None = None
    name: str


class FolderNameIn(BaseModel):
    name: str


class FileDeleted(BaseModel):
    deleted: bool


class TrashedOut(BaseModel):
    id: int
    name: str
    size: int
    deleted_at: str
    deleted_by_name: str
    purge_on: str


class TrashList(BaseModel):
    files: list[TrashedOut]


def _required_int(value: Any, field: str) -> int:
    number = int_value(value)
    if number is None:
        raise ValidationFailed(fields={field: _("Mangler eller er ikke et tall.")})
    return number


def _folder_json(folder: Folder) -> dict[str, Any]:
    return {"id": folder.id, "group_id": folder.group_id, "parent_id": folder.parent_id,
            "name": folder.name}  # fmt: skip


def _version_json(file: File, version: FileVersion, uploader: str = "") -> dict[str, Any]:
    picture = None
    if version.is_picture:
        picture = {
            kind: url_for("files.picture", file_id=file.id, number=version.number, kind=kind)
            for kind in transfer.RENDITIONS
        }
    return {
        "number": version.number,
        "name": version.name,
        "size": version.size,
        "sha256": version.sha256,
        "mime_type": version.mime_type,
        "uploaded_by": version.uploaded_by,
        "uploaded_by_name": uploader,
        "created_at": version.created_at.isoformat(),
        "download_url": url_for(
            "files_api.download_version", file_id=file.id, number=version.number
        ),
        "pictures": picture,
    }


def _file_json(row: listing.FileRow) -> dict[str, Any]:
    file, version = row.file, row.version
    return {
        "id": file.id,
        "group_id": file.group_id,
        "folder_id": file.folder_id,
        "name": file.name,
        "description": file.description,
        "source": file.source,
        "uploaded_by": file.uploaded_by,
        "uploaded_by_name": row.uploader_name,
        "created_at": file.created_at.isoformat(),
        "updated_at": file.updated_at.isoformat(),
        "version_count": file.version_count,
        "current": _version_json(file, version),
        "download_url": url_for("files_api.download", file_id=file.id),
        "page_url": url_for("files.show", file_id=file.id),
    }


def _one(file: File) -> dict[str, Any]:
    row = listing.file_row(get_session(), file.id)
    if row is None:
        raise NotFound()
    return _file_json(row)


@bp.get("")
@describe(
    "A folder's files (paged by id) and subfolders",
    query=FolderQuery,
    response=FolderPage,
    paged="files",
)
def index() -> Response:
    session, member = get_session(), acting_member()
    group = service.readable_group(
        session, member, _required_int(request.args.get("group"), "group")
    )
    folder = service.get_folder(session, group, int_value(request.args.get("folder")))
    after, limit = paging.cursor_arg(), paging.limit_arg()
    folders = listing.group_folders(session, group.id)
    place = File.folder_id.is_(None) if folder is None else File.folder_id == folder.id
    rows = listing.file_rows(
        session, File.group_id == group.id, place, File.id > (after or 0), order="id",
        limit=limit + 1,
    )  # fmt: skip
    shown, next_cursor = paging.cut(rows, limit, lambda row: row.file.id)
    parent_id = folder.id if folder else None
    return jsonify(paging.page(
        "files", [_file_json(row) for row in shown], next_cursor,
        group_id=group.id,
        folder=_folder_json(folder) if folder else None,
        path=[_folder_json(f) for f in listing.path_to(folder, {f.id: f for f in folders})],
        folders=[_folder_json(f) for f in folders if f.parent_id == parent_id],
        can_upload=access.can(session, member, "file.upload", group),
    ))  # fmt: skip


@bp.post("")
@describe(
    "Upload files (multipart: group, folder, description, file)", response=FileList, status=201
)
def upload() -> tuple[Response, int]:
    session, member = get_session(), acting_member()
    uploads = intake.chosen(request.files.getlist("file"))
    group = service.readable_group(
        session, member, _required_int(request.form.get("group"), "group")
    )
    folder_id = int_value(request.form.get("folder"))
    if not uploads:
        raise intake.nothing_chosen()
    service.check_upload(session, member, group, folder_id)
    staged = transfer.stage_uploads(session, uploads)
    files = service.add_files(
        session, member, group, folder_id, staged, description=request.form.get("description", "")
    )
    session.commit()
    return jsonify({"files": [_one(file) for file in files]}), 201


@bp.get("/<int:file_id>")
@describe("A file with its versions", response=FileDetail)
def show(file_id: int) -> Response:
    session, member = get_session(), acting_member()
    file = service.get_file(session, member, file_id)
    body = _one(file)
    body["versions"] = [
        _version_json(file, r.version, r.uploader_name) for r in listing.versions(session, file)
    ]
    body["can_change"] = access.can(session, member, "file.change", file)
    return jsonify(body)


@bp.patch("/<int:file_id>")
@describe("Rename, describe or move a file", body=FileChangeIn, response=FileOut)
def update(file_id: int) -> Response:
    session, member = get_session(), acting_member()
    file = service.get_file(session, member, file_id)
    body = json_body()
    if "name" in body or "description" in body:
        name = body.get("name", file.name)
        description = body.get("description")
        service.rename(
            session, member, file, str(name), None if description is None else str(description)
        )
    if "folder_id" in body:
        folder_id = int_value(body["folder_id"])
        if body["folder_id"] is not None and folder_id is None:
            raise NotFound()
        service.move(session, member, file, folder_id)
    session.commit()
    return jsonify(_one(file))


@bp.delete("/<int:file_id>")
@describe("Move a file to the trash", response=FileDeleted)
def delete(file_id: int) -> Response:
    session, member = get_session(), acting_member()
    service.delete(session, member, service.get_file(session, member, file_id))
    session.commit()
    return jsonify({"deleted": True})


@bp.post("/<int:file_id>/restore")
@describe("Take a file out of the trash (group administrators)", response=FileOut)
def restore(file_id: int) -> Response:
    session, member = get_session(), acting_member()
    file = trash.restore(session, member, file_id)
    session.commit()
    return jsonify(_one(file))


@bp.get("/<int:file_id>/versions")
@describe("Every version of a file, newest first", response=FileVersionList)
def versions(file_id: int) -> Response:
    session, member = get_session(), acting_member()
    file = service.get_file(session, member, file_id)
    rows = listing.versions(session, file)
    return jsonify({"versions": [_version_json(file, r.version, r.uploader_name) for r in rows]})


@bp.post("/<int:file_id>/versions")
@describe("Upload a new version (multipart: file)", response=FileVersionOut, status=201)
def new_version(file_id: int) -> tuple[Response, int]:
    session, member = get_session(), acting_member()
    file = service.get_file(session, member, file_id)
    upload_ = request.files.get("file")
    if upload_ is None or not upload_.filename:
        raise intake.nothing_chosen()
    service.check_new_version(session, member, file)
    staged = transfer.stage_upload(session, upload_)
    version = service.add_version(session, member, file, staged)
    session.commit()
    return jsonify(_version_json(file, version)), 201


@bp.get("/<int:file_id>/download")
@describe("The current version's bytes", download=True)
def download(file_id: int) -> Response:
    return transfer.download(get_session(), acting_member(), file_id)


@bp.get("/<int:file_id>/versions/<int:number>/download")
@describe("An older version's bytes", download=True)
def download_version(file_id: int, number: int) -> Response:
    return transfer.download(get_session(), acting_member(), file_id, number)


@bp.get("/trash")
@describe(
    "The group's trash, newest first (group administrators)",
    query=TrashQuery,
    response=TrashList,
    paged="files",
)
def trash_list() -> Response:
    session, member = get_session(), acting_member()
    group = service.readable_group(
        session, member, _required_int(request.args.get("group"), "group")
    )
    limit = paging.limit_arg()
    items = trash.trashed(session, member, group, before_id=paging.cursor_arg(), limit=limit + 1)
    shown, next_cursor = paging.cut(items, limit, lambda item: item.file.id)
    return jsonify(paging.page("files", [
        {"id": item.file.id, "name": item.file.name, "size": item.size,
         "deleted_at": (item.file.deleted_at or item.purge_on).isoformat(),
         "deleted_by_name": item.deleted_by_name, "purge_on": item.purge_on.isoformat()}
        for item in shown
    ], next_cursor))  # fmt: skip


@bp.get("/folders")
@describe("Every folder of the group", query=GroupQuery, response=FolderList)
def folders() -> Response:
    session, member = get_session(), acting_member()
    group = service.readable_group(
        session, member, _required_int(request.args.get("group"), "group")
    )
    return jsonify({"folders": [_folder_json(f) for f in listing.group_folders(session, group.id)]})


@bp.post("/folders")
@describe("Make a folder", body=FolderIn, response=FolderOut, status=201)
def create_folder() -> tuple[Response, int]:
    session, member = get_session(), acting_member()
    body = json_body()
    group = service.readable_group(session, member, _required_int(body.get("group_id"), "group_id"))
    folder = service.create_folder(
        session, member, group, str(body.get("name", "")), int_value(body.get("parent_id"))
    )
    session.commit()
    return jsonify(_folder_json(folder)), 201


@bp.patch("/folders/<int:folder_id>")
@describe("Rename a folder", body=FolderNameIn, response=FolderOut)
def rename_folder(folder_id: int) -> Response:
    session, member = get_session(), acting_member()
    folder = service.readable_folder(session, member, folder_id)
    service.rename_folder(session, member, folder, str(json_body().get("name", "")))
    session.commit()
    return jsonify(_folder_json(folder))


@bp.delete("/folders/<int:folder_id>")
@describe("Delete an empty folder", response=FileDeleted)
def delete_folder(folder_id: int) -> Response:
    session, member = get_session(), acting_member()
    service.delete_folder(session, member, service.readable_folder(session, member, folder_id))
    session.commit()
    return jsonify({"deleted": True})
