"""Pictures attached to posts: checked and re-encoded before the post is written, stored,
and served only through a permission-checked route (never a public URL).

`prepare()` reads and re-encodes the uploads (refusing what is not a picture, a bomb or
too large) before anything is stored; `store()` saves them once the post exists. A
picture is shown while its post may be read and is not deleted.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from typing import BinaryIO

from flask_babel import gettext as _
from sqlalchemy.orm import Session

from innsiden import access
from innsiden.discussions.models import Attachment, Post
from innsiden.errors import NotFound, TooLarge, ValidationFailed
from innsiden.filetypes import clean_filename, with_extension
from innsiden.images import ProcessedImage, process_image
from innsiden.storage import get_storage
from membersync.models import Member

MAX_IMAGES = 4
MAX_IMAGE_BYTES = 15 * 1024 * 1024
THUMB_SIZE = 320


@dataclass(frozen=True)
class Upload:
    filename: str
    stream: BinaryIO


@dataclass(frozen=True)
class PreparedImage:
    filename: str
    processed: ProcessedImage


def prepare(uploads: list[Upload]) -> list[PreparedImage]:
    """Re-encode the uploaded pictures; raise ValidationFailed (with the file's name) if one
    is not a picture we show, is a decompression bomb, or is too large."""
    uploads = [u for u in uploads if u.filename]
    if len(uploads) > MAX_IMAGES:
        raise ValidationFailed(
            fields={"images": _("Du kan legge ved høyst %(max)d bilder.", max=MAX_IMAGES)}
        )
    prepared = []
    for upload in uploads:
        data = upload.stream.read(MAX_IMAGE_BYTES + 1)
        name = clean_filename(upload.filename)
        if len(data) > MAX_IMAGE_BYTES:
            raise TooLarge(_("%(name)s er for stor (høyst 15 MB).", name=name))
        try:
            processed = process_image(data, thumb_sizes=(THUMB_SIZE,))
        except ValidationFailed as error:
            raise ValidationFailed(fields={"images": f"{name}: {error.message}"}) from error
        prepared.append(PreparedImage(name, processed))
    return prepared


def store(post: Post, images: list[PreparedImage]) -> list[Attachment]:
    """Save prepared pictures and return their rows (the caller adds them to the session)."""
    storage = get_storage()
    rows = []
    for image in images:
        full, thumb = image.processed.image, image.processed.thumbnails[THUMB_SIZE]
        saved = storage.save(io.BytesIO(full.data), content_type=full.mime_type)
        saved_thumb = storage.save(io.BytesIO(thumb.data), content_type=thumb.mime_type)
        rows.append(
            Attachment(
                post_id=post.id,
                storage_key=saved.key,
                thumb_key=saved_thumb.key,
                mime_type=full.mime_type,
                width=full.width,
                height=full.height,
                thumb_width=thumb.width,
                thumb_height=thumb.height,
                size=saved.size,
                filename=with_extension(image.filename, full.mime_type),
            )
        )
    return rows


def viewable(session: Session, member: Member, attachment_id: int) -> Attachment:
    """The attachment, if the member may see its post now; NotFound otherwise."""
    attachment = session.get(Attachment, attachment_id)
    if attachment is None:
        raise NotFound()
    post = session.get(Post, attachment.post_id)
    access.require(session, member, "post.read", post)
    if post is None or post.state == "deleted":
        raise NotFound()
    return attachment
