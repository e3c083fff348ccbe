"""Turning an upload into stored objects, before any database row is written.

The type is decided from the content (`filetypes.sniff_stream`), never from the name or the
browser's claim; the name is cleaned and given the type's extension; the optional virus scan
runs; a picture is checked and re-encoded into a thumbnail and a preview (`images`); then
the bytes are streamed to storage. If anything fails, whatever this upload stored already is
deleted again, so a failed upload leaves nothing behind.
"""

from __future__ import annotations

import io
import logging
import tempfile
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any, BinaryIO, Protocol

from flask_babel import gettext as _

from innsiden import filetypes, images
from innsiden.errors import StorageError, ValidationFailed
from innsiden.files import virusscan
from innsiden.storage import Storage, StoredObject, too_large

log = logging.getLogger(__name__)

THUMB_SIZE = 320
PREVIEW_SIZE = 960
# Uploads larger than this are spooled to a temporary file when their stream cannot seek.
_SPOOL_IN_MEMORY = 1024 * 1024


class UploadLike(Protocol):
    """What an upload must offer: Werkzeug's FileStorage does, and so does `Upload`."""

    @property
    def filename(self) -> str | None: ...

    @property
    def stream(self) -> BinaryIO: ...


@dataclass(frozen=True)
class Upload:
    filename: str
    stream: BinaryIO


@dataclass(frozen=True)
class Limits:
    max_size: int
    clamd_socket: str = ""

    @classmethod
    def from_config(cls, config: Mapping[str, Any]) -> Limits:
        return cls(
            max_size=int(config["MAX_CONTENT_LENGTH"]),
            clamd_socket=str(config.get("CLAMD_SOCKET") or ""),
        )


@dataclass(frozen=True)
class Rendition:
    key: str
    width: int
    height: int


@dataclass(frozen=True)
class Staged:
    """An upload's bytes, safely in storage, waiting for its database row."""

    name: str
    mime_type: str
    stored: StoredObject
    rendition_type: str | None = None
    thumb: Rendition | None = None
    preview: Rendition | None = None

    @property
    def keys(self) -> list[str]:
        renditions = [r.key for r in (self.thumb, self.preview) if r is not None]
        return [self.stored.key, *renditions]


def not_allowed() -> ValidationFailed:
    return ValidationFailed(
        _(
            "Denne filtypen kan ikke lastes opp. Du kan dele PDF, bilder (PNG, JPEG, GIF, "
            "WebP), Word-, Excel- og PowerPoint-filer, OpenDocument-filer og ren tekst eller CSV."
        )
    )


def nothing_chosen() -> ValidationFailed:
    return ValidationFailed(_("Velg minst én fil å laste opp."), fields={"file": _("Velg en fil.")})


def chosen(uploads: Iterable[UploadLike]) -> list[UploadLike]:
    """The uploads a form really carried (a file input left empty sends a nameless part)."""
    return [upload for upload in uploads if upload.filename]


def stage(upload: UploadLike, storage: Storage, limits: Limits) -> Staged:
    """Check one upload and store its bytes (and renditions); raise with nothing stored."""
    stream = _seekable(upload.stream, limits.max_size)
    _check_size(stream, limits.max_size)
    mime_type = filetypes.sniff_stream(stream)
    if mime_type is None:
        raise _empty() if _is_empty(stream) else not_allowed()
    if limits.clamd_socket:
        virusscan.scan(stream, limits.clamd_socket)
    processed = _picture(stream) if mime_type in filetypes.IMAGE_TYPES else None
    if processed is not None and (clean := images.without_metadata(stream)) is not None:
        # A phone photo carries its GPS position and camera serial in EXIF: the original
        # kept and downloaded is our full-size copy without it, never the uploaded bytes.
        stream, mime_type = io.BytesIO(clean.data), clean.mime_type
    name = filetypes.with_extension(upload.filename or "", mime_type)
    saved: list[str] = []
    try:
        stored = storage.save(stream, content_type=mime_type, max_size=limits.max_size)
        saved.append(stored.key)
        if processed is None:
            return Staged(name=name, mime_type=mime_type, stored=stored)
        thumb = _save_rendition(storage, processed.thumbnails[THUMB_SIZE], saved)
        preview = _save_rendition(storage, processed.image, saved)
    except BaseException:
        discard_keys(storage, saved)
        raise
    return Staged(
        name=name,
        mime_type=mime_type,
        stored=stored,
        rendition_type=processed.image.mime_type,
        thumb=thumb,
        preview=preview,
    )


def stage_all(uploads: Iterable[UploadLike], storage: Storage, limits: Limits) -> list[Staged]:
    """Stage every upload, or none: a refused file undoes those staged before it."""
    staged: list[Staged] = []
    try:
        for upload in uploads:
            staged.append(stage(upload, storage, limits))
    except BaseException:
        discard(storage, staged)
        raise
    return staged


def discard(storage: Storage, staged: Iterable[Staged]) -> None:
    discard_keys(storage, [key for item in staged for key in item.keys])


def discard_keys(storage: Storage, keys: Iterable[str]) -> None:
    """Delete stored objects no row will point at; a failure only leaves an orphan behind."""
    for key in keys:
        try:
            storage.delete(key)
        except StorageError:
            log.warning("Could not delete unused stored object %s", key)


def _seekable(stream: BinaryIO, max_size: int) -> BinaryIO:
    # Werkzeug hands us a seekable spooled file; anything else is spooled here, in chunks.
    if stream.seekable():
        return stream
    spooled = tempfile.SpooledTemporaryFile(max_size=_SPOOL_IN_MEMORY)  # noqa: SIM115
    copied = 0
    while chunk := stream.read(1024 * 1024):
        copied += len(chunk)
        if copied > max_size:
            spooled.close()
            raise too_large(max_size)
        spooled.write(chunk)
    spooled.seek(0)
    return spooled  # type: ignore[return-value]


def _check_size(stream: BinaryIO, max_size: int) -> None:
    start = stream.tell()
    end = stream.seek(0, io.SEEK_END)
    stream.seek(start)
    if end - start > max_size:
        raise too_large(max_size)


def _is_empty(stream: BinaryIO) -> bool:
    start = stream.tell()
    empty = stream.read(1) == b""
    stream.seek(start)
    return empty


def _empty() -> ValidationFailed:
    return ValidationFailed(_("Filen er tom."))


def _picture(stream: BinaryIO) -> images.ProcessedImage:
    # The preview is the bounded image itself; the thumbnail is made from it.
    start = stream.tell()
    try:
        return images.process_image(stream, max_side=PREVIEW_SIZE, thumb_sizes=(THUMB_SIZE,))
    finally:
        stream.seek(start)


def _save_rendition(storage: Storage, rendition: images.Rendition, saved: list[str]) -> Rendition:
    stored = storage.save(io.BytesIO(rendition.data), content_type=rendition.mime_type)
    saved.append(stored.key)
    return Rendition(stored.key, rendition.width, rendition.height)
