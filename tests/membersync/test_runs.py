"""Idempotency, dry runs, run records, and columns outside the format never stored."""

from sqlalchemy import inspect, select, text

from membersync.models import SyncChange, SyncRun
from tests.membersync.helpers import changed, snapshot, sync


def test_the_same_export_twice_changes_nothing_the_second_time(db, factory, register, tmp_path):
    directory = register.write_csv(tmp_path / "export")
    first = sync(factory, directory)
    after_first = snapshot(db)
    second = sync(factory, directory)

    assert first.counts["created"] == len(register.members)
    assert second.outcome == "applied" and second.changed == 0
    assert second.counts["unchanged"] == len(register.members)
    assert snapshot(db) == after_first
    changes = db.scalars(select(SyncChange).where(SyncChange.run_id == second.run_id)).all()
    assert changes == []


def test_a_dry_run_shows_the_plan_and_changes_nothing(db, factory, register, tmp_path):
    sync(factory, register.write_csv(tmp_path / "first"))
    before = snapshot(db)
    after = changed(register)
    after.members[5]["etternavn"] = "Prøvesen"
    after.members[6]["lokallag_id"] = next(
        u["id"]
        for u in after.units
        if u["type"] == "lokallag" and u["id"] != after.members[6]["lokallag_id"]
    )

    result = sync(factory, after.write_csv(tmp_path / "second"), dry_run=True)

    assert result.outcome == "dry_run" and result.exit_code == 0
    assert (result.counts["updated"], result.counts["moved"]) == (1, 1)
    assert result.preview["updated"] == [f"{after.members[5]['medlemsnummer']} (felt: [last_name])"]
    assert snapshot(db) == before
    run = db.get(SyncRun, result.run_id)
    assert run.outcome == "dry_run" and run.counts["moved"] == 1
    assert db.scalars(select(SyncChange).where(SyncChange.run_id == run.id)).all() == []


def test_every_run_is_recorded_with_source_trigger_and_counts(db, factory, register, tmp_path):
    directory = register.write_csv(tmp_path / "export")
    result = sync(factory, directory)
    missing = sync(factory, tmp_path / "nowhere")

    db.commit()
    run = db.get(SyncRun, result.run_id)
    assert (run.source, run.trigger, run.actor, run.mode) == (
        str(directory),
        "test",
        "pytest",
        "full",
    )
    assert run.outcome == "applied" and run.finished_at >= run.started_at
    assert run.counts["created"] == len(register.members) and run.counts["read"] == len(
        register.members
    )
    failed = db.get(SyncRun, missing.run_id)
    assert failed.outcome == "aborted" and "finner ikke kilden" in failed.error


def test_columns_outside_the_format_are_never_stored(app, db, factory, register, tmp_path):
    birth_dates = {row["fodselsdato"] for row in register.members}
    sync(factory, register.write_csv(tmp_path / "export"))

    engine = app.extensions["innsiden.engine"]
    stored = set()
    with engine.connect() as conn:
        for table in inspect(engine).get_table_names():
            for row in conn.execute(text(f'SELECT * FROM "{table}"')):
                stored.update(str(value) for value in row)
    assert not any(date in value for value in stored for date in birth_dates)
    assert "fodselsdato" not in " ".join(stored)
