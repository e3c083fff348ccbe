"""Pictures in posts: re-encoded, thumbnails on the page, full size behind the same check,
and whatever is not a picture refused with a message that says why."""

import io
import struct
import zlib

from PIL import Image

from tests.discussions.conftest import posts_of, start_thread


def jpeg_with_gps():
    image = Image.new("RGB", (1200, 800), (20, 120, 60))
    exif = Image.Exif()
    exif[0x8825] = {1: "N", 2: (60.0, 23.0, 0.0)}  # a GPS position
    out = io.BytesIO()
    image.save(out, format="JPEG", exif=exif)
    return out.getvalue()


def png_claiming_size(width, height):
    def chunk(kind, data):
        return (
            struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
        )

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IEND", b"")


def post_with(client, thread_id, *files):
    return client.post(
        f"/diskusjoner/traad/{thread_id}/svar",
        data={"body": "Se bildet", "bilder": [(io.BytesIO(data), name) for name, data in files]},
        content_type="multipart/form-data",
    )


def test_a_picture_is_shown_as_a_thumbnail_and_opened_full_size_without_its_exif(world):
    kari, anne = world.client(world.leader), world.client(world.anne)
    thread_id, _ = start_thread(kari, world.bergen)
    assert post_with(anne, thread_id, ("tur.jpg", jpeg_with_gps())).status_code == 302
    [image] = posts_of(kari, thread_id)[1]["images"]
    page = kari.get(f"/diskusjoner/traad/{thread_id}?siste=1").get_data(as_text=True)
    full_url = f"/diskusjoner/bilde/{image['id']}"
    assert f'<a href="{full_url}"><img src="{full_url}/mini"' in page

    thumb = kari.get(f"/diskusjoner/bilde/{image['id']}/mini")
    assert thumb.status_code == 200 and thumb.mimetype == "image/jpeg"
    assert max(Image.open(io.BytesIO(thumb.data)).size) == 320
    full = kari.get(f"/diskusjoner/bilde/{image['id']}")
    assert full.headers["Content-Disposition"].startswith("inline;")
    assert full.headers["X-Content-Type-Options"] == "nosniff"
    opened = Image.open(io.BytesIO(full.data))
    assert opened.size == (1200, 800)
    assert not opened.getexif()  # no GPS position, no camera


def test_what_is_not_a_picture_is_refused_with_a_clear_message(world):
    kari = world.client(world.leader)
    thread_id, _ = start_thread(kari, world.bergen)
    refused = {
        "side.png": b"<html><script>alert(1)</script></html>",
        "tegning.svg": b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>',
        "bombe.png": png_claiming_size(50_000, 50_000),
    }
    for name, data in refused.items():
        response = post_with(kari, thread_id, (name, data))
        assert response.status_code == 400, name
        page = response.get_data(as_text=True)
        assert name in page
        assert "ikke et bilde" in page or "for mange piksler" in page
        assert "Se bildet</textarea>" in page  # what was written is kept
    assert len(posts_of(kari, thread_id)) == 1  # nothing was posted


def test_a_deleted_posts_pictures_are_gone(world):
    kari, anne = world.client(world.leader), world.client(world.anne)
    thread_id, _ = start_thread(kari, world.bergen)
    post_with(anne, thread_id, ("tur.jpg", jpeg_with_gps()))
    [post] = [p for p in posts_of(anne, thread_id) if p["images"]]
    anne.post(f"/diskusjoner/innlegg/{post['id']}/slett")
    assert kari.get(f"/diskusjoner/bilde/{post['images'][0]['id']}").status_code == 404
