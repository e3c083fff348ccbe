"""The sweeper deletes stored objects a crash left behind (bytes stored, rows never
committed) once they are older than the grace period, and never an object a row points at:
on local disk and on S3."""

from __future__ import annotations

import io
from datetime import timedelta

from sqlalchemy import select

from innsiden import jobs
from innsiden.db import session_factory
from innsiden.files.models import FileVersion
from innsiden.ops import orphans
from innsiden.storage import get_storage
from membersync.db import utcnow
from tests.files.helpers import PDF, client_for, fetch, make_org, on_both_backends, uploaded_id


def _crash_mid_upload(app) -> str:
    """What a process killed between storing and committing leaves: bytes without a row."""
    with app.app_context():
        return get_storage().save(io.BytesIO(b"half an upload"), content_type="text/plain").key


def _sweep(app, *, later: timedelta) -> orphans.SweepReport:
    with app.app_context(), session_factory(app)() as session:
        return orphans.sweep(session, get_storage(), now=utcnow() + later)


@on_both_backends
def test_orphans_past_the_grace_period_go_and_every_referenced_object_stays(app, db):
    org = make_org(db)
    leader = client_for(app, org.leader)
    file_id = uploaded_id(leader, org.bergen, "Referat.pdf", PDF)
    orphan = _crash_mid_upload(app)
    kept = set(db.scalars(select(FileVersion.storage_key)))
    assert kept

    # Within the hour nothing goes: the upload may still be on its way to its commit.
    early = _sweep(app, later=timedelta(minutes=5))
    assert (early.deleted, early.young) == (0, early.listed)

    report = _sweep(app, later=orphans.GRACE + timedelta(minutes=1))
    assert report.deleted == 1
    assert report.referenced == report.listed - 1 >= len(kept)
    with app.app_context():
        assert not get_storage().exists(orphan)
        assert all(get_storage().exists(key) for key in kept)
    assert fetch(leader, f"/filer/{file_id}/last-ned") == PDF


def test_the_sweep_job_runs_at_most_every_few_hours(app, db):
    make_org(db)
    _crash_mid_upload(app)
    first = jobs.run_all(app)
    assert first["storage.sweep_orphans"] == 0  # the orphan is younger than the grace period
    assert "storage.sweep_orphans" not in jobs.run_all(app)  # not due again yet
    with app.app_context(), session_factory(app)() as session:
        session.execute(jobs.JobRun.__table__.update().values(started_at=utcnow() - orphans.EVERY))
        session.commit()
    assert "storage.sweep_orphans" in jobs.run_all(app)
