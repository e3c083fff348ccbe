"""Uploaded pictures made safe to show: checked, re-encoded without metadata, and thumbnailed.

The only module that imports Pillow. What the portal shows is never the member's file but
our own re-encoding of its pixels: EXIF (with GPS positions, camera serials) and every
other metadata chunk is gone, the orientation is applied to the pixels, and only PNG or
JPEG comes out. An animated GIF or WebP keeps its first frame.
"""

from __future__ import annotations

import io
import struct
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, BinaryIO

from flask_babel import gettext as _

from innsiden.errors import ValidationFailed

if TYPE_CHECKING:
    from PIL import Image, ImageFile

# Pillow is imported by the functions that decode, on the first upload: a worker that only
# serves pages never loads it.

DEFAULT_MAX_PIXELS = 40_000_000
DEFAULT_MAX_SIDE = 2560
DEFAULT_THUMB_SIZES = (320, 960)
JPEG_QUALITY = 85

_FORMATS = ("PNG", "JPEG", "GIF", "WEBP")
_SOURCE_TYPES = {"PNG": "image/png", "JPEG": "image/jpeg", "GIF": "image/gif", "WEBP": "image/webp"}
_ORIENTATION_TAG = 0x0112
_TRANSPOSE = {  # EXIF orientation → the name of Pillow's Image.Transpose member
    2: "FLIP_LEFT_RIGHT",
    3: "ROTATE_180",
    4: "FLIP_TOP_BOTTOM",
    5: "TRANSPOSE",
    6: "ROTATE_270",
    7: "TRANSVERSE",
    8: "ROTATE_90",
}
# What Pillow may raise on a malformed or cut-off file, besides its own errors.
_DECODE_ERRORS = (OSError, SyntaxError, ValueError, TypeError, EOFError, IndexError, struct.error)


@dataclass(frozen=True)
class Rendition:
    """One re-encoded picture: its bytes, type (image/jpeg or image/png) and pixel size."""

    data: bytes
    mime_type: str
    width: int
    height: int

    @property
    def size(self) -> int:
        return len(self.data)

    @property
    def extension(self) -> str:
        return ".png" if self.mime_type == "image/png" else ".jpg"


@dataclass(frozen=True)
class ProcessedImage:
    """The picture bounded to `max_side`, and thumbnails keyed by their bounding size."""

    source_type: str  # what the content really was: image/png, image/jpeg, image/gif, image/webp
    image: Rendition
    thumbnails: dict[int, Rendition] = field(default_factory=dict)


def not_an_image() -> ValidationFailed:
    return ValidationFailed(
        _("Filen er ikke et bilde vi kan vise. Bruk PNG, JPEG, GIF eller WebP.")
    )


def process_image(
    stream: BinaryIO | bytes,
    *,
    max_pixels: int = DEFAULT_MAX_PIXELS,
    max_side: int = DEFAULT_MAX_SIDE,
    thumb_sizes: tuple[int, ...] = DEFAULT_THUMB_SIZES,
) -> ProcessedImage:
    """Check and re-encode an uploaded picture; raise ValidationFailed if it is not one.

    The pixel count is read from the header and checked against `max_pixels` before any
    pixel is decoded, so an image bomb costs nothing. Thumbnails fit inside a square of
    each size in `thumb_sizes` (never enlarged).
    """
    from PIL import Image

    source = _seekable(stream)
    image = _open(source, max_pixels)
    with image:
        orientation = _orientation(image)
        if image.format == "JPEG":
            image.draft(None, (max_side, max_side))  # decode at a reduced scale: far faster
        try:
            picture = _decoded(image, max_side)
        except _DECODE_ERRORS as error:
            raise ValidationFailed(
                _("Bildet er skadet eller ufullstendig og kan ikke vises.")
            ) from error
        source_type = _SOURCE_TYPES[str(image.format)]
    if orientation in _TRANSPOSE:
        picture = picture.transpose(Image.Transpose[_TRANSPOSE[orientation]])
    as_png = source_type in {"image/png", "image/gif"} or _has_transparency(picture)
    full = _encode(picture, as_png)
    thumbnails = {}
    for size in thumb_sizes:
        thumb = picture.copy()
        thumb.thumbnail((size, size), Image.Resampling.LANCZOS)
        thumbnails[size] = _encode(thumb, as_png)
    return ProcessedImage(source_type=source_type, image=full, thumbnails=thumbnails)


def without_metadata(
    stream: BinaryIO | bytes, *, max_pixels: int = DEFAULT_MAX_PIXELS
) -> Rendition | None:
    """A full-size copy without metadata if the picture carries EXIF or XMP (a phone photo's
    GPS position, the camera's serial number), else None: keep the upload as it is.

    The stream is left where it was.
    """
    source = _seekable(stream)
    start = source.tell()
    try:
        with _open(source, max_pixels) as image:
            carries = bool(image.info.get("exif") or image.info.get("xmp") or image.getexif())
        if not carries:
            return None
        source.seek(start)
        return process_image(
            source, max_pixels=max_pixels, max_side=FULL_SIZE_SIDE, thumb_sizes=()
        ).image
    finally:
        source.seek(start)


# Larger than any side within the pixel limit: "no resizing".
FULL_SIZE_SIDE = 100_000


def _seekable(stream: BinaryIO | bytes) -> BinaryIO:
    if isinstance(stream, bytes | bytearray):
        return io.BytesIO(stream)
    if not stream.seekable():
        return io.BytesIO(stream.read())
    return stream


def _open(source: BinaryIO, max_pixels: int) -> ImageFile.ImageFile:
    from PIL import Image

    try:
        image = Image.open(source, formats=_FORMATS)
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as error:
        # Pillow's own limit (with warnings as errors, also its warning) caught it first.
        raise _too_large(max_pixels) from error
    except _DECODE_ERRORS as error:
        raise not_an_image() from error
    if image.width * image.height > max_pixels:
        image.close()
        raise _too_large(max_pixels)
    return image


def _too_large(max_pixels: int) -> ValidationFailed:
    limit = round(max_pixels / 1_000_000)
    return ValidationFailed(
        _(
            "Bildet har for mange piksler. Største tillatte størrelse er %(limit)s megapiksler.",
            limit=limit,
        )
    )


def _orientation(image: Image.Image) -> int:
    try:
        return int(image.getexif().get(_ORIENTATION_TAG, 1))
    except _DECODE_ERRORS:
        return 1  # unreadable EXIF: show the pixels as stored


def _decoded(image: Image.Image, max_side: int) -> Image.Image:
    """The first frame's pixels, bounded to max_side, in RGB or RGBA, with no metadata."""
    from PIL import Image

    image.load()
    has_alpha = image.mode in {"RGBA", "LA", "PA"} or "transparency" in image.info
    mode = "RGBA" if has_alpha else "RGB"
    # Shrink before converting where we can (less memory); palette images are converted
    # first, as Pillow would otherwise resize them with nearest-neighbour.
    picture = image if image.mode in {"RGB", "RGBA", "L", "LA"} else image.convert(mode)
    picture.thumbnail((max_side, max_side), Image.Resampling.LANCZOS)
    picture = picture.convert(mode) if picture.mode != mode else picture.copy()
    icc_profile = image.info.get("icc_profile")
    picture.info = {"icc_profile": icc_profile} if icc_profile else {}
    return picture


def _has_transparency(picture: Image.Image) -> bool:
    if picture.mode != "RGBA":
        return False
    lowest, _highest = picture.getchannel("A").getextrema()
    return bool(lowest < 255)


def _encode(picture: Image.Image, as_png: bool) -> Rendition:
    # Only the colour profile is carried over (colours would shift without it); nothing else.
    icc_profile = picture.info.get("icc_profile")
    extra = {"icc_profile": icc_profile} if icc_profile else {}
    out = io.BytesIO()
    if as_png:
        picture.save(out, format="PNG", optimize=False, **extra)
        mime_type = "image/png"
    else:
        picture.convert("RGB").save(out, format="JPEG", quality=JPEG_QUALITY, **extra)
        mime_type = "image/jpeg"
    return Rendition(out.getvalue(), mime_type, picture.width, picture.height)
