"""Bytes between the member and storage inside a request, shared by pages and the API.

- Uploads are staged (checked and stored) outside the database transaction: on SQLite a
  writing transaction holds the one write lock, which must not wait for a virus scan, a
  picture's decoding or an S3 upload. The rows are then added in a fresh transaction, which
  checks the member's permission again.
- Downloads are sent only after the caller's permission check: streamed from local disk, or
  on S3 a redirect to a presigned URL that lives for a minute and is never shown anywhere
  else. Originals are always attachments; only our re-encoded renditions are inline.
"""

from __future__ import annotations

from collections.abc import Sequence

from flask import Response, redirect, request
from sqlalchemy.orm import Session
from werkzeug.wsgi import wrap_file

from innsiden import filetypes
from innsiden.errors import NotFound
from innsiden.files import intake, service
from innsiden.files.models import File, FileVersion
from innsiden.storage import CHUNK_SIZE, get_storage
from membersync.models import Member

PRESIGNED_SECONDS = 60
RENDITIONS = {"liten": "thumb", "stor": "preview"}


def _release_database(session: Session) -> None:
    # Nothing is written yet; the member's permission is checked again when rows are added.
    session.rollback()


def stage_uploads(session: Session, uploads: Sequence[intake.UploadLike]) -> list[intake.Staged]:
    _release_database(session)
    return intake.stage_all(uploads, get_storage(), service.limits())


def stage_upload(session: Session, upload: intake.UploadLike) -> intake.Staged:
    _release_database(session)
    return intake.stage(upload, get_storage(), service.limits())


def download_name(file: File, version: FileVersion) -> str:
    """The file's current name, with the extension of this version's type."""
    return filetypes.with_extension(service.stem(file.name), version.mime_type)


def download(session: Session, member: Member, file_id: int, number: int | None = None) -> Response:
    """A version (the current one if `number` is None) of a file the member may read."""
    file, version = service.get_version(session, member, file_id, number)
    return send_version(file, version)


def send_version(file: File, version: FileVersion) -> Response:
    """The version's original bytes as a download (call only after "file.read")."""
    name = download_name(file, version)
    url = get_storage().url_for_download(
        version.storage_key, filename=name, content_type=version.mime_type,
        expires=PRESIGNED_SECONDS,
    )  # fmt: skip
    if url is not None:
        response = redirect(url, code=302)
        response.headers["Cache-Control"] = "no-store"
        return response
    return _stream(
        version.storage_key, version.size, filetypes.download_headers(name, version.mime_type)
    )


def send_rendition(file: File, version: FileVersion, kind: str) -> Response:
    """A picture's thumbnail ("liten") or preview ("stor"), inline: our re-encoding only.

    Always streamed, also on S3: the page's Content-Security-Policy allows pictures from our
    own origin only, and the presigned URL stays on the server.
    """
    key = getattr(version, f"{RENDITIONS.get(kind, 'none')}_key", None)
    if not key or not version.rendition_type:
        raise NotFound()
    extension = filetypes.extension_for(version.rendition_type)
    name = f"{service.stem(file.name)}-{kind}{extension}"
    headers = filetypes.download_headers(name, version.rendition_type, inline=True)
    response = _stream(key, None, headers)
    response.headers["Cache-Control"] = "private, max-age=300"
    return response


def _stream(key: str, size: int | None, headers: dict[str, str]) -> Response:
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
