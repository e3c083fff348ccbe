"""A member of another group gets 404 for everything of a group's files, on both backends."""

from __future__ import annotations

import io

import pytest

from tests.files.helpers import PDF, client_for, make_org, on_both_backends, png, uploaded_id


@on_both_backends
def test_another_groups_member_gets_404_for_pages_downloads_and_pictures(app, db, backend):
    org = make_org(db)
    member = client_for(app, org.member)
    outsider = client_for(app, org.outsider)
    pdf_id = uploaded_id(member, org.bergen, "Medlemsliste.pdf", PDF)
    picture_id = uploaded_id(member, org.bergen, "Bilde.png", png())
    folder = member.post("/api/v1/files/folders", json={"group_id": org.bergen, "name": "Styret"})
    folder_id = folder.get_json()["id"]

    hidden = [
        f"/grupper/{org.bergen}/filer",
        f"/grupper/{org.bergen}/filer/mappe/{folder_id}",
        f"/grupper/{org.bergen}/filer/papirkurv",
        f"/filer/{pdf_id}",
        f"/filer/{pdf_id}/last-ned",
        f"/filer/{pdf_id}/versjon/1/last-ned",
        f"/filer/{picture_id}/versjon/1/bilde/liten",
        f"/filer/{picture_id}/versjon/1/bilde/stor",
        f"/api/v1/files?group={org.bergen}",
        f"/api/v1/files/{pdf_id}",
        f"/api/v1/files/{pdf_id}/versions",
        f"/api/v1/files/{pdf_id}/download",
        f"/api/v1/files/{pdf_id}/versions/1/download",
        f"/api/v1/files/folders?group={org.bergen}",
        f"/api/v1/files/trash?group={org.bergen}",
    ]
    for path in hidden:
        response = outsider.get(path, buffered=True)
        assert response.status_code == 404, path
        # On S3 the download would be a redirect to a presigned URL: none is ever handed out.
        assert "Location" not in response.headers, path
        assert "X-Amz-Signature" not in response.get_data(as_text=True), path

    writes = [
        ("post", f"/filer/{pdf_id}/endre", {"name": "x"}),
        ("post", f"/filer/{pdf_id}/flytt", {"folder": ""}),
        ("post", f"/filer/{pdf_id}/slett", {}),
        ("post", f"/filer/{pdf_id}/gjenopprett", {}),
        ("post", f"/filer/mappe/{folder_id}/endre", {"name": "x"}),
        ("post", f"/filer/mappe/{folder_id}/slett", {}),
        ("post", f"/grupper/{org.bergen}/filer/ny-mappe", {"name": "x"}),
    ]
    for method, path, data in writes:
        assert getattr(outsider, method)(path, data=data).status_code == 404, path
    upload = outsider.post(
        f"/grupper/{org.bergen}/filer/last-opp",
        data={"file": (io.BytesIO(PDF), "inn.pdf")},
        content_type="multipart/form-data",
    )
    assert upload.status_code == 404
    new_version = outsider.post(
        f"/filer/{pdf_id}/ny-versjon",
        data={"file": (io.BytesIO(PDF), "inn.pdf")},
        content_type="multipart/form-data",
    )
    assert new_version.status_code == 404
    assert outsider.patch(f"/api/v1/files/{pdf_id}", json={"name": "x"}).status_code == 404
    assert outsider.delete(f"/api/v1/files/{pdf_id}").status_code == 404
    assert member.get(f"/filer/{pdf_id}").status_code == 200  # nothing changed


@on_both_backends
def test_a_member_who_moves_away_loses_the_files_at_once(app, db, backend):
    org = make_org(db)
    member = client_for(app, org.member)
    file_id = uploaded_id(member, org.bergen, "Referat.pdf", PDF)
    assert member.get(f"/filer/{file_id}/last-ned", buffered=True).status_code in (200, 302)

    org.member.lokallag_id = "0301"  # the register moves the member to Oslo
    db.commit()

    response = member.get(f"/filer/{file_id}/last-ned", buffered=True)
    assert response.status_code == 404
    assert "Location" not in response.headers


@pytest.mark.parametrize("backend", ["s3"], indirect=True)
def test_on_s3_the_presigned_url_is_only_the_target_of_a_checked_download(app, db, backend):
    org = make_org(db)
    member = client_for(app, org.member)
    file_id = uploaded_id(member, org.bergen, "Referat.pdf", PDF)

    for path in (
        f"/grupper/{org.bergen}/filer",
        f"/filer/{file_id}",
        f"/grupper/{org.bergen}",
        f"/api/v1/files?group={org.bergen}",
        f"/api/v1/files/{file_id}",
    ):
        assert "X-Amz" not in member.get(path).get_data(as_text=True), path

    response = member.get(f"/filer/{file_id}/last-ned")
    assert response.status_code == 302
    assert "X-Amz-Expires=60" in response.headers["Location"]
    assert response.headers["Cache-Control"] == "no-store"
