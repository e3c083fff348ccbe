"""Storage and database agree whatever fails: no row points at a missing object, and a
refused or failed upload leaves no object behind. Quotas hold."""

from __future__ import annotations

import io

import pytest
from sqlalchemy import event, func, select

from innsiden.files.models import File, FileVersion
from tests.files.helpers import (
    PDF,
    client_for,
    make_org,
    on_both_backends,
    stored_objects,
    upload,
    uploaded_id,
)

SVG = b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'


def rows(db) -> tuple[int, int]:
    db.commit()
    return db.scalar(select(func.count(File.id))), db.scalar(select(func.count(FileVersion.id)))


@pytest.fixture
def broken_storage(app_config, backend, tmp_path):
    """Storage that fails for real: uploads/ is a file on disk, or the bucket does not exist."""
    if backend == "local":
        blocker = tmp_path / "not-a-folder"
        blocker.write_text("x")
        app_config["UPLOADS_DIR"] = str(blocker)
    else:
        app_config["S3_BUCKET"] = "no-such-bucket"
    return app_config


@on_both_backends
def test_when_storage_fails_the_member_is_told_and_no_row_is_written(
    broken_storage, app, db, backend
):
    org = make_org(db)
    member = client_for(app, org.member)

    response = upload(member, org.bergen, ("Referat.pdf", PDF))
    assert response.status_code == 503
    assert "Ingenting ble lagret" in response.get_json()["detail"]
    page = member.post(
        f"/grupper/{org.bergen}/filer/last-opp",
        data={"file": (io.BytesIO(PDF), "Referat.pdf")},
        content_type="multipart/form-data",
    )
    assert page.status_code == 503
    assert "Fillageret svarer ikke" in page.get_data(as_text=True)
    assert rows(db) == (0, 0)


@on_both_backends
def test_a_failed_commit_deletes_the_objects_it_stored(app, db, backend):
    org = make_org(db)
    member = client_for(app, org.member)
    engine = app.extensions["innsiden.engine"]

    def fail(_conn):
        raise RuntimeError("the database went away")

    event.listen(engine, "commit", fail)
    try:
        response = upload(member, org.bergen, ("Referat.pdf", PDF), ("Bilde.txt", b"tekst\n"))
    finally:
        event.remove(engine, "commit", fail)
    assert response.status_code == 500
    assert rows(db) == (0, 0)
    assert stored_objects(app) == []


@on_both_backends
def test_one_refused_file_stops_the_whole_upload_and_leaves_nothing(app, db, backend):
    org = make_org(db)
    member = client_for(app, org.member)
    response = upload(member, org.bergen, ("Referat.pdf", PDF), ("logo.svg", SVG))
    assert response.status_code == 400
    assert rows(db) == (0, 0)
    assert stored_objects(app) == []


@on_both_backends
def test_the_group_quota_is_kept(app_config, app, db, backend):
    app.config["GROUP_QUOTA_BYTES"] = 3 * len(PDF)
    org = make_org(db)
    member = client_for(app, org.member)
    first = uploaded_id(member, org.bergen, "En.pdf", PDF)
    uploaded_id(member, org.bergen, "To.pdf", PDF)

    response = upload(member, org.bergen, ("Tre.pdf", PDF), ("Fire.pdf", PDF))
    assert response.status_code == 413
    message = response.get_json()["detail"]
    assert "Gruppen har brukt opp lagringsplassen sin" in message
    assert rows(db) == (2, 2)
    assert len(stored_objects(app)) == 2
    # Other groups have quotas of their own.
    outsider = client_for(app, org.outsider)
    assert upload(outsider, org.oslo, ("Oslo.pdf", PDF)).status_code == 201

    # Files in the trash no longer count.
    assert member.delete(f"/api/v1/files/{first}").status_code == 200
    assert upload(member, org.bergen, ("Tre.pdf", PDF)).status_code == 201
