"""A phone photo's GPS position never reaches other members through the file area."""

from __future__ import annotations

import io

from PIL import ExifTags, Image

from tests.files.helpers import client_for, fetch, make_org, png, uploaded_id


def photo_with_gps(size: tuple[int, int] = (1200, 800)) -> bytes:
    exif = Image.Exif()
    exif[ExifTags.Base.Make] = "Telefonprodusent"
    exif[ExifTags.IFD.GPSInfo] = {
        ExifTags.GPS.GPSLatitudeRef: "N",
        ExifTags.GPS.GPSLatitude: (59.0, 54.0, 41.0),
        ExifTags.GPS.GPSLongitudeRef: "E",
        ExifTags.GPS.GPSLongitude: (10.0, 45.0, 8.0),
    }
    out = io.BytesIO()
    Image.new("RGB", size, (200, 30, 30)).save(out, format="JPEG", exif=exif, quality=90)
    return out.getvalue()


def test_a_photo_with_gps_is_kept_full_size_without_its_metadata(app, db):
    org = make_org(db)
    member = client_for(app, org.member)
    file_id = uploaded_id(member, org.bergen, "Stand.jpg", photo_with_gps())

    downloaded = Image.open(io.BytesIO(fetch(member, f"/filer/{file_id}/last-ned")))
    assert downloaded.size == (1200, 800)
    assert not downloaded.getexif()
    assert "exif" not in downloaded.info


def test_a_picture_without_metadata_is_kept_as_uploaded(app, db):
    org = make_org(db)
    member = client_for(app, org.member)
    original = png(320, 200)
    file_id = uploaded_id(member, org.bergen, "Kart.png", original)
    assert fetch(member, f"/filer/{file_id}/last-ned") == original
