"""Local disk and S3 pass the same suite: upload, version, download, delete, restore."""

from __future__ import annotations

import io

from tests.files.helpers import (
    PDF,
    client_for,
    fetch,
    make_org,
    on_both_backends,
    png,
    stored_objects,
    upload,
    uploaded_id,
)


@on_both_backends
def test_upload_then_download_the_same_bytes(app, db, backend):
    org = make_org(db)
    member = client_for(app, org.member)

    response = upload(
        member, org.bergen, ("Dagsorden.pdf", PDF), ("notat.txt", "Hei æøå\n".encode())
    )
    assert response.status_code == 201
    files = {f["name"]: f for f in response.get_json()["files"]}
    assert set(files) == {"Dagsorden.pdf", "notat.txt"}
    assert files["Dagsorden.pdf"]["current"]["mime_type"] == "application/pdf"

    listed = member.get(f"/api/v1/files?group={org.bergen}").get_json()["files"]
    assert [f["name"] for f in listed] == ["Dagsorden.pdf", "notat.txt"]
    assert fetch(member, files["Dagsorden.pdf"]["download_url"]) == PDF
    assert fetch(member, f"/filer/{files['notat.txt']['id']}/last-ned") == "Hei æøå\n".encode()


@on_both_backends
def test_a_new_version_keeps_the_old_one(app, db, backend):
    org = make_org(db)
    member = client_for(app, org.member)
    file_id = uploaded_id(member, org.bergen, "Referat.txt", b"utkast\n")

    other = client_for(app, org.other)
    response = other.post(
        f"/filer/{file_id}/ny-versjon",
        data={"file": (io.BytesIO(b"%PDF-1.4 endelig\n%%EOF"), "Referat endelig.pdf")},
        content_type="multipart/form-data",
    )
    assert response.status_code == 302

    shown = member.get(f"/api/v1/files/{file_id}").get_json()
    assert shown["name"] == "Referat.pdf"  # the name follows the new content's type
    assert [v["number"] for v in shown["versions"]] == [2, 1]
    assert fetch(member, f"/filer/{file_id}/last-ned").startswith(b"%PDF-1.4 endelig")
    assert fetch(member, f"/filer/{file_id}/versjon/1/last-ned") == b"utkast\n"
    page = member.get(f"/filer/{file_id}").get_data(as_text=True)
    assert "Versjoner" in page and f"/filer/{file_id}/versjon/1/last-ned" in page


@on_both_backends
def test_delete_to_the_trash_and_restore(app, db, backend):
    org = make_org(db)
    member = client_for(app, org.member)
    leader = client_for(app, org.leader)
    file_id = uploaded_id(member, org.bergen, "Budsjett.txt", b"100 kr\n")

    assert member.delete(f"/api/v1/files/{file_id}").status_code == 200
    assert member.get(f"/filer/{file_id}").status_code == 404
    assert member.get(f"/filer/{file_id}/last-ned").status_code == 404
    assert member.get(f"/api/v1/files?group={org.bergen}").get_json()["files"] == []
    # Only group administrators see the trash and restore from it.
    assert member.get(f"/grupper/{org.bergen}/filer/papirkurv").status_code == 403
    assert member.post(f"/api/v1/files/{file_id}/restore").status_code == 403
    trash = leader.get(f"/api/v1/files/trash?group={org.bergen}").get_json()["files"]
    assert [f["name"] for f in trash] == ["Budsjett.txt"]

    response = leader.post(f"/filer/{file_id}/gjenopprett")
    assert response.status_code == 302
    assert fetch(member, f"/filer/{file_id}/last-ned") == b"100 kr\n"
    assert len(stored_objects(app)) == 1


@on_both_backends
def test_pictures_get_thumbnails_shown_inline_and_originals_download(app, db, backend):
    org = make_org(db)
    member = client_for(app, org.member)
    original = png(1600, 1200)
    file_id = uploaded_id(member, org.bergen, "Stand.png", original)

    page = member.get(f"/grupper/{org.bergen}/filer").get_data(as_text=True)
    thumb_url = f"/filer/{file_id}/versjon/1/bilde/liten"
    assert thumb_url in page
    # Streamed also on S3: the page's Content-Security-Policy allows only our own origin.
    thumb = member.get(thumb_url, buffered=True)
    assert thumb.status_code == 200
    assert thumb.headers["Content-Type"] == "image/png"
    assert thumb.headers["Content-Disposition"].startswith("inline")
    assert thumb.headers["X-Content-Type-Options"] == "nosniff"
    assert thumb.get_data() != original and len(thumb.get_data()) < len(original)
    assert fetch(member, f"/filer/{file_id}/last-ned") == original
    assert len(stored_objects(app)) == 3  # the original, a thumbnail and a preview


def test_downloads_are_attachments_and_never_sniffed(app, db):
    org = make_org(db)
    member = client_for(app, org.member)
    file_id = uploaded_id(member, org.bergen, "Dagsorden.pdf", PDF)

    response = member.get(f"/filer/{file_id}/last-ned", buffered=True)
    assert response.headers["Content-Type"] == "application/pdf"
    assert response.headers["Content-Disposition"].startswith(
        'attachment; filename="Dagsorden.pdf"'
    )
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert "no-store" in response.headers["Cache-Control"]
