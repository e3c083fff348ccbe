"""Uploaded pictures are re-encoded without metadata, thumbnailed, and bombs are refused."""

import io
import struct
import time
import tracemalloc
import zlib

import pytest
from PIL import ExifTags, Image

from innsiden.errors import ValidationFailed
from innsiden.images import process_image

GPS = {
    ExifTags.GPS.GPSLatitudeRef: "N",
    ExifTags.GPS.GPSLatitude: (59.0, 54.0, 41.0),
    ExifTags.GPS.GPSLongitudeRef: "E",
    ExifTags.GPS.GPSLongitude: (10.0, 45.0, 8.0),
}


def encode(image, fmt, **params):
    out = io.BytesIO()
    image.save(out, format=fmt, **params)
    return out.getvalue()


def photo_with_gps(size=(1200, 800), orientation=1):
    exif = Image.Exif()
    exif[ExifTags.Base.Make] = "Telefonprodusent"
    exif[ExifTags.Base.Orientation] = orientation
    exif[ExifTags.IFD.GPSInfo] = GPS
    image = Image.new("RGB", size, (200, 30, 30))
    image.paste((30, 30, 200), (0, 0, size[0] // 2, size[1] // 4))  # a blue top-left corner
    return encode(image, "JPEG", exif=exif, quality=90)


def opened(rendition):
    return Image.open(io.BytesIO(rendition.data))


def png_claiming_size(width, height):
    """A tiny PNG whose header (with a valid CRC) claims width × height pixels."""
    data = bytearray(encode(Image.new("1", (1, 1)), "PNG"))
    ihdr = struct.pack(">II", width, height) + bytes(data[24:29])
    data[16:29] = ihdr
    data[29:33] = struct.pack(">I", zlib.crc32(b"IHDR" + ihdr))
    return bytes(data)


def test_jpeg_with_gps_comes_out_without_any_exif():
    original = photo_with_gps()
    assert Image.open(io.BytesIO(original)).getexif().get_ifd(ExifTags.IFD.GPSInfo)

    result = process_image(io.BytesIO(original))

    assert result.source_type == "image/jpeg"
    for rendition in [result.image, *result.thumbnails.values()]:
        assert rendition.mime_type == "image/jpeg"
        image = opened(rendition)
        assert image.format == "JPEG"
        assert "exif" not in image.info
        assert dict(image.getexif()) == {}
        assert b"Exif" not in rendition.data and b"Telefonprodusent" not in rendition.data


def test_exif_orientation_is_applied_to_the_pixels():
    # Orientation 6: the camera was turned; the stored 1200×800 is shown as 800×1200.
    result = process_image(photo_with_gps(orientation=6))
    assert (result.image.width, result.image.height) == (800, 1200)
    assert opened(result.image).size == (800, 1200)


def test_thumbnails_fit_their_sizes_and_the_full_image_is_bounded():
    result = process_image(encode(Image.new("RGB", (4000, 3000), "green"), "JPEG"))
    assert (result.image.width, result.image.height) == (2560, 1920)
    assert {size: (r.width, r.height) for size, r in result.thumbnails.items()} == {
        320: (320, 240),
        960: (960, 720),
    }
    for rendition in [result.image, *result.thumbnails.values()]:
        assert opened(rendition).size == (rendition.width, rendition.height)
        assert rendition.size == len(rendition.data)


def test_small_images_are_not_enlarged():
    result = process_image(encode(Image.new("RGB", (200, 100)), "PNG"), thumb_sizes=(320, 64))
    assert (result.image.width, result.image.height) == (200, 100)
    assert (result.thumbnails[320].width, result.thumbnails[64].width) == (200, 64)


def test_transparent_png_stays_png_with_alpha():
    image = Image.new("RGBA", (50, 40), (0, 0, 0, 0))
    image.paste((255, 0, 0, 255), (10, 10, 20, 20))
    result = process_image(encode(image, "PNG"))
    assert result.image.mime_type == "image/png"
    out = opened(result.image)
    assert out.mode == "RGBA" and out.getpixel((0, 0))[3] == 0 and out.getpixel((15, 15))[3] == 255


@pytest.mark.parametrize(
    ("fmt", "mode", "source_type", "mime_type"),
    [
        ("GIF", "P", "image/gif", "image/png"),
        ("WEBP", "RGB", "image/webp", "image/jpeg"),
        ("PNG", "L", "image/png", "image/png"),
    ],
)
def test_other_formats_are_re_encoded(fmt, mode, source_type, mime_type):
    result = process_image(encode(Image.new(mode, (30, 20)), fmt))
    assert (result.source_type, result.image.mime_type) == (source_type, mime_type)
    assert opened(result.image).size == (30, 20)


REFUSED = {
    "html named png": b"<!DOCTYPE html><html><script>alert(1)</script></html>",
    "svg with script": b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>',
    "pdf": b"%PDF-1.7\n1 0 obj\n<<>>\nendobj\n",
    "empty": b"",
    "bmp": encode(Image.new("RGB", (10, 10)), "BMP"),
    "tiff": encode(Image.new("RGB", (10, 10)), "TIFF"),
}


@pytest.mark.parametrize("content", REFUSED.values(), ids=REFUSED.keys())
def test_what_is_not_a_picture_we_show_is_refused(content):
    with pytest.raises(ValidationFailed) as refused:
        process_image(io.BytesIO(content))
    assert refused.value.message == (
        "Filen er ikke et bilde vi kan vise. Bruk PNG, JPEG, GIF eller WebP."
    )


def test_a_png_that_is_really_html_is_refused():
    fake = b"\x89PNG\r\n\x1a\n" + b"<html><script>alert(1)</script></html>"
    with pytest.raises(ValidationFailed):
        process_image(fake)


@pytest.mark.parametrize("fmt", ["JPEG", "PNG"])
def test_a_truncated_picture_is_refused_cleanly(fmt):
    data = encode(Image.effect_noise((400, 300), 60).convert("RGB"), fmt)
    with pytest.raises(ValidationFailed) as refused:
        process_image(data[: len(data) // 2])
    assert "skadet eller ufullstendig" in refused.value.message


def test_an_image_bomb_is_refused_from_its_header_without_decoding():
    bomb = png_claiming_size(20_000, 20_000)
    assert len(bomb) < 100
    tracemalloc.start()
    started = time.perf_counter()
    try:
        with pytest.raises(ValidationFailed) as refused:
            process_image(bomb)
        _current, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert time.perf_counter() - started < 0.5
    assert peak < 5_000_000  # decoding would need 400 MB
    assert "for mange piksler" in refused.value.message


def test_a_real_compressed_bomb_is_refused():
    # 20,000 × 20,000 1-bit pixels compress to about 50 KB.
    bomb = encode(Image.new("1", (20_000, 20_000)), "PNG")
    assert len(bomb) < 100_000
    with pytest.raises(ValidationFailed):
        process_image(bomb)


def test_the_pixel_limit_is_ours_to_set():
    data = encode(Image.new("RGB", (1000, 1000)), "PNG")
    with pytest.raises(ValidationFailed) as refused:
        process_image(data, max_pixels=999_999)
    assert "1 megapiksler" in refused.value.message
    assert process_image(data, max_pixels=1_000_000).image.width == 1000
