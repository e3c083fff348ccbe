"""After 30 days in the trash a file is deleted for good: row marked first, then its objects,
then the rows, so the database never points at a missing object. Time is set in the database."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select, update

from innsiden import jobs
from innsiden.errors import StorageError
from innsiden.files.models import File
from membersync.db import utcnow
from tests.files.helpers import (
    PDF,
    client_for,
    make_org,
    on_both_backends,
    png,
    stored_objects,
    uploaded_id,
)


def deleted_days_ago(db, file_id: int, days: int) -> None:
    db.commit()
    db.execute(
        update(File).where(File.id == file_id).values(deleted_at=utcnow() - timedelta(days=days))
    )
    db.commit()


def purge(app) -> int:
    return jobs.run_all(app)["files.purge_trash"]


@on_both_backends
def test_files_in_the_trash_for_30_days_are_deleted_for_good(app, db, backend):
    org = make_org(db)
    member = client_for(app, org.member)
    leader = client_for(app, org.leader)
    old = uploaded_id(member, org.bergen, "Gammel.png", png())
    recent = uploaded_id(member, org.bergen, "Ny.pdf", PDF)
    kept = uploaded_id(member, org.bergen, "Beholdt.pdf", PDF)
    for file_id in (old, recent):
        assert member.delete(f"/api/v1/files/{file_id}").status_code == 200
    assert len(stored_objects(app)) == 5  # a picture is three objects
    deleted_days_ago(db, old, 31)
    deleted_days_ago(db, recent, 29)

    assert purge(app) == 1

    db.commit()
    remaining = set(db.scalars(select(File.id)))
    assert remaining == {recent, kept}
    assert len(stored_objects(app)) == 2
    trash = leader.get(f"/api/v1/files/trash?group={org.bergen}").get_json()["files"]
    assert [f["id"] for f in trash] == [recent]
    assert leader.post(f"/api/v1/files/{old}/restore").status_code == 404
    assert purge(app) == 0


@on_both_backends
def test_a_purge_that_fails_is_retried_and_never_restorable_meanwhile(
    app, db, backend, monkeypatch
):
    org = make_org(db)
    member = client_for(app, org.member)
    leader = client_for(app, org.leader)
    file_id = uploaded_id(member, org.bergen, "Gammel.pdf", PDF)
    assert member.delete(f"/api/v1/files/{file_id}").status_code == 200
    deleted_days_ago(db, file_id, 31)
    storage = app.extensions["innsiden.storage"]

    def storage_down(_key):
        raise StorageError()

    monkeypatch.setattr(storage, "delete", storage_down)
    assert purge(app) == 0

    db.commit()
    file = db.get(File, file_id)
    assert file is not None and file.purge_started_at is not None  # marked for good
    assert len(stored_objects(app)) == 1  # the row still points at a real object
    assert leader.post(f"/api/v1/files/{file_id}/restore").status_code == 404
    assert leader.get(f"/api/v1/files/trash?group={org.bergen}").get_json()["files"] == []

    monkeypatch.undo()
    assert purge(app) == 1
    db.commit()
    assert db.scalar(select(File.id).where(File.id == file_id)) is None
    assert stored_objects(app) == []


def test_a_file_deleted_29_days_ago_can_still_be_restored(app, db):
    org = make_org(db)
    member = client_for(app, org.member)
    file_id = uploaded_id(member, org.bergen, "Referat.pdf", PDF)
    member.delete(f"/api/v1/files/{file_id}")
    deleted_days_ago(db, file_id, 29)
    leader = client_for(app, org.leader)
    assert leader.post(f"/api/v1/files/{file_id}/restore").status_code == 200
    assert member.get(f"/api/v1/files/{file_id}").status_code == 200
