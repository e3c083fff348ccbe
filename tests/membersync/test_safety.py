"""The safety threshold: a truncated export never looks like mass resignation."""

from sqlalchemy import select

from membersync.models import SyncChange, SyncRun
from tests.membersync.helpers import changed, snapshot, sync


def test_a_truncated_export_stops_with_a_clear_message_and_changes_nothing(
    db, factory, register, tmp_path
):
    sync(factory, register.write_csv(tmp_path / "first"))
    before = snapshot(db)
    truncated = changed(register)
    truncated.members = truncated.members[: len(truncated.members) // 2]

    result = sync(factory, truncated.write_csv(tmp_path / "half"))

    assert result.outcome == "stopped"
    assert result.exit_code == 3
    assert "Stoppet" in result.error and "--allow-mass-removal" in result.error
    assert "Ingenting er endret" in result.error
    assert snapshot(db) == before
    run = db.get(SyncRun, result.run_id)
    assert run.outcome == "stopped" and run.error == result.error
    assert run.counts["deactivated"] == result.counts["deactivated"] > 0
    assert db.scalars(select(SyncChange).where(SyncChange.run_id == run.id)).all() == []


def test_the_override_applies_a_large_removal(db, factory, register, tmp_path):
    sync(factory, register.write_csv(tmp_path / "first"))
    truncated = changed(register)
    truncated.members = truncated.members[: len(truncated.members) // 2]

    result = sync(factory, truncated.write_csv(tmp_path / "half"), allow_mass_removal=True)

    assert result.outcome == "applied"
    assert result.counts["deactivated"] > 0
    assert snapshot(db)["members"][int(register.members[-1]["medlemsnummer"])][13] is False


def test_an_empty_export_stops(db, factory, register, tmp_path):
    sync(factory, register.write_csv(tmp_path / "first"))
    empty = changed(register)
    empty.members = []
    before = snapshot(db)
    assert sync(factory, empty.write_csv(tmp_path / "empty")).outcome == "stopped"
    assert snapshot(db) == before


def test_the_threshold_is_configurable(db, factory, register, tmp_path, monkeypatch):
    sync(factory, register.write_csv(tmp_path / "first"))
    fewer = changed(register)
    fewer.members = fewer.members[:-8]  # about 12 % of those with access
    directory = fewer.write_csv(tmp_path / "fewer")

    assert sync(factory, directory, max_removal_percent=5).outcome == "stopped"
    monkeypatch.setenv("MEMBERSYNC_MAX_REMOVAL_PERCENT", "50")
    assert sync(factory, directory).outcome == "applied"


def test_members_missing_below_within_and_above_the_exported_numbers_all_leave(
    db, factory, register, tmp_path
):
    sync(factory, register.write_csv(tmp_path / "first"))
    after = changed(register)
    numbers = [int(r["medlemsnummer"]) for r in after.members]
    gone = {numbers[0], numbers[40], numbers[-1]}
    after.members = [r for r in after.members if int(r["medlemsnummer"]) not in gone]

    result = sync(factory, after.write_csv(tmp_path / "second"), allow_mass_removal=True)

    members = snapshot(db)["members"]
    assert {n for n, fields in members.items() if not fields[13]} == gone
    assert result.counts["deactivated"] + result.counts["updated"] == 3
