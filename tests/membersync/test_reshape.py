"""The register changes the organisation's shape: lokallag merged (erstattet_av), split
(delt_fra) and moved to another fylkeslag (a changed overordnet_id)."""

from __future__ import annotations

import json

from sqlalchemy import select

from membersync.models import Member, OrgUnit, SyncChange
from tests.membersync.helpers import changed, small_register, snapshot, sync
from tests.membersync.register_api import TOKEN, RegisterApi, serve


def _two_fylker(register):
    """The layout these stories are told in: lokallag 0001, 0003, … in F01 Oslo fylkeslag and
    0002, 0004, … in F02 Vestland fylkeslag (the demo register places them by county)."""
    lokallag = [u for u in register.units if u["type"] == "lokallag"]
    for index, unit in enumerate(lokallag):
        unit["overordnet_id"] = "F01" if index % 2 == 0 else "F02"
    fylker = [
        {"id": "F01", "navn": "Oslo fylkeslag", "type": "fylkeslag", "overordnet_id": "S"},
        {"id": "F02", "navn": "Vestland fylkeslag", "type": "fylkeslag", "overordnet_id": "S"},
    ]
    central = [u for u in register.units if u["type"] == "sentralt"]
    register.units = [*central, *fylker, *lokallag]
    known = {u["id"] for u in register.units}
    for row in register.members:
        kept = [v for v in row["verv"].split(",") if v and v.rsplit("@", 1)[-1] in known]
        row["verv"] = ",".join(kept)
    return register


def _fron(register):
    """Two lokallag of one fylkeslag named as in the dry-run report's example."""
    register = _two_fylker(register)
    units = {u["id"]: u for u in register.units}
    units["0001"]["navn"], units["0003"]["navn"] = "Nord-Fron", "Sør-Fron"
    return register


def merged_into_fron(register, *, move_members: bool = True):
    """The next export: 0001 Nord-Fron and 0003 Sør-Fron merged into a new 0020 Fron."""
    after = changed(register)
    for unit in after.units:
        if unit["id"] in ("0001", "0003"):
            unit["erstattet_av"] = "0020"
    after.units.append({"id": "0020", "navn": "Fron", "type": "lokallag", "overordnet_id": "F01"})
    if move_members:
        for row in after.members:
            if row["lokallag_id"] in ("0001", "0003"):
                row["lokallag_id"] = "0020"
    return after


def test_a_merge_is_reported_in_norwegian_applied_and_recorded(db, factory, tmp_path):
    register = _fron(small_register())
    sync(factory, register.write_csv(tmp_path / "first"))
    before = snapshot(db)
    moving = {
        int(r["medlemsnummer"]) for r in register.members if r["lokallag_id"] in ("0001", "0003")
    }
    after = merged_into_fron(register)
    directory = after.write_csv(tmp_path / "merged")

    dry = sync(factory, directory, dry_run=True)
    assert dry.outcome == "dry_run"
    assert dry.reshapes == ["0001 Nord-Fron slås sammen med 0003 Sør-Fron til 0020 Fron"]
    assert snapshot(db) == before

    result = sync(factory, directory)
    assert result.outcome == "applied", result.error
    assert (result.counts["unit_merged"], result.counts["unit_created"]) == (2, 1)
    assert result.counts["unit_removed"] == 0 and result.counts["deactivated"] == 0
    db.commit()
    assert db.get(OrgUnit, "0001").removed_at is not None
    assert db.get(OrgUnit, "0003").removed_at is not None
    assert db.get(OrgUnit, "0020").removed_at is None
    at_fron = set(db.scalars(select(Member.number).where(Member.lokallag_id == "0020")))
    assert at_fron == moving
    merged = db.scalars(
        select(SyncChange).where(SyncChange.kind == "unit_merged").order_by(SyncChange.unit_id)
    ).all()
    assert [(c.unit_id, c.detail["til"], c.detail["navn"]) for c in merged] == [
        ("0001", "0020", "Nord-Fron"),
        ("0003", "0020", "Sør-Fron"),
    ]

    # The next export still lists the merged units: nothing more happens.
    again = sync(factory, directory)
    assert again.counts["unit_merged"] == 0 and again.reshapes == []


def test_members_still_listed_at_a_merged_unit_belong_to_the_unit_it_merged_into(
    db, factory, tmp_path
):
    register = _fron(small_register())
    sync(factory, register.write_csv(tmp_path / "first"))
    after = merged_into_fron(register, move_members=False)

    result = sync(factory, after.write_csv(tmp_path / "merged"))

    assert result.outcome == "applied", result.error
    assert result.rejected == []
    db.commit()
    left = db.scalars(select(Member).where(Member.lokallag_id.in_(("0001", "0003")))).all()
    assert left == []


def test_a_merge_of_forty_percent_of_the_units_is_not_a_mass_removal(db, factory, tmp_path):
    register = _two_fylker(small_register(members=200, lokallag=20))
    sync(factory, register.write_csv(tmp_path / "first"))
    after = changed(register)
    lokallag = [u for u in after.units if u["type"] == "lokallag"]
    merging = lokallag[:10]  # 10 of 23 units: 43 %
    assert len(merging) >= 0.4 * len(after.units)
    targets: dict[str, str] = {}
    for n, unit in enumerate(merging):
        target = f"N{n // 2:03d}"
        unit["erstattet_av"] = target
        targets[unit["id"]] = target
        if n % 2 == 0:
            after.units.append(
                {
                    "id": target,
                    "navn": f"Nytt lag {n // 2}",
                    "type": "lokallag",
                    "overordnet_id": unit["overordnet_id"],
                }
            )
    for row in after.members:
        row["lokallag_id"] = targets.get(row["lokallag_id"], row["lokallag_id"])
        row["verv"] = "|".join(
            v for v in row["verv"].split("|") if v and v.rpartition("@")[2] not in targets
        )

    result = sync(factory, after.write_csv(tmp_path / "merged"))

    assert result.outcome == "applied", result.error
    assert result.counts["unit_merged"] == 10
    assert result.counts["moved"] > 0 and result.counts["deactivated"] == 0


def test_a_cycle_in_erstattet_av_is_a_rejected_row_with_its_line(db, factory, tmp_path):
    register = _fron(small_register())
    sync(factory, register.write_csv(tmp_path / "first"))
    before = snapshot(db)
    after = changed(register)
    lines = {u["id"]: n for n, u in enumerate(after.units, 2)}  # line 1 is the header
    units = {u["id"]: u for u in after.units}
    units["0001"]["erstattet_av"] = "0003"
    units["0003"]["erstattet_av"] = "0001"

    result = sync(factory, after.write_csv(tmp_path / "ring"))

    assert result.outcome == "aborted"
    found = sorted((r.line, r.key, r.reason) for r in result.rejected)
    assert found == [
        (lines["0001"], "0001", "ring i erstattet_av (0001 → 0003 → 0001)"),
        (lines["0003"], "0003", "ring i erstattet_av (0003 → 0001 → 0003)"),
    ]
    assert all(r.file == "organisasjon.csv" for r in result.rejected)
    assert snapshot(db) == before


def test_merges_into_removed_or_unknown_units_and_splits_from_nothing_are_rejected(
    db, factory, tmp_path
):
    register = _fron(small_register())
    first = changed(register)
    first.units.append({"id": "0009", "navn": "Lesja", "type": "lokallag", "overordnet_id": "F01"})
    sync(factory, first.write_csv(tmp_path / "first"))
    sync(factory, register.write_csv(tmp_path / "second"))  # 0009 is removed
    after = changed(register)
    units = {u["id"]: u for u in after.units}
    units["0001"]["erstattet_av"] = "0009"
    units["0002"]["erstattet_av"] = "9999"
    units["0003"]["erstattet_av"] = "F01"
    after.units.append(
        {"id": "0021", "navn": "Ny", "type": "lokallag", "overordnet_id": "F01", "delt_fra": "7777"}
    )

    result = sync(factory, after.write_csv(tmp_path / "bad"), on_bad_rows="skip")

    reasons = {r.key: r.reason for r in result.rejected if r.file == "organisasjon.csv"}
    assert reasons == {
        "0001": "slått sammen med en fjernet enhet «0009»",
        "0002": "slått sammen med en ukjent enhet «9999»",
        "0003": "slått sammen med «F01», som er en annen type enhet",
        "0021": "delt fra en ukjent enhet «7777»",
    }
    db.commit()
    # Rejected units are left as they were, not removed.
    assert db.get(OrgUnit, "0001").removed_at is None
    assert db.get(OrgUnit, "0021") is None


def test_a_split_and_a_move_are_reported_and_recorded(db, factory, tmp_path):
    register = _fron(small_register())
    sync(factory, register.write_csv(tmp_path / "first"))
    after = changed(register)
    units = {u["id"]: u for u in after.units}
    source = units.pop("0001")
    units["0004"]["overordnet_id"] = "F01"  # Hamar moves from F02 to F01
    for n, name in ((1, "Vest"), (2, "Øst")):
        units[f"002{n}"] = {
            "id": f"002{n}",
            "navn": f"Nord-Fron {name}",
            "type": "lokallag",
            "overordnet_id": "F01",
            "delt_fra": "0001",
        }
    after.units = list(units.values())
    for n, row in enumerate(r for r in after.members if r["lokallag_id"] == source["id"]):
        row["lokallag_id"] = ("0021", "0022")[n % 2]
        row["verv"] = "|".join(v for v in row["verv"].split("|") if v and "@0001" not in v)

    result = sync(factory, after.write_csv(tmp_path / "split"))

    assert result.outcome == "applied", result.error
    assert result.reshapes == [
        "0001 Nord-Fron deles i 0021 Nord-Fron Vest og 0022 Nord-Fron Øst",
        "0004 Hamar lokallag flyttes fra F02 Vestland fylkeslag til F01 Oslo fylkeslag",
    ]
    db.commit()
    splits = db.scalars(select(SyncChange).where(SyncChange.kind == "unit_split")).all()
    assert sorted((c.unit_id, c.detail["fra"]) for c in splits) == [
        ("0021", "0001"),
        ("0022", "0001"),
    ]
    assert db.get(OrgUnit, "0001").removed_at is not None


def test_the_reshape_columns_are_read_from_json_units_beside_json_lines(db, factory, tmp_path):
    register = _fron(small_register())
    sync(factory, register.write_csv(tmp_path / "first"))
    after = merged_into_fron(register)
    path = after.write_jsonl(tmp_path / "jsonl" / "members.jsonl")
    (path.parent / "org-units.json").write_text(json.dumps(after.units), encoding="utf-8")

    result = sync(factory, path)

    assert result.outcome == "applied", result.error
    assert result.counts["unit_merged"] == 2


def test_the_register_api_carries_the_reshape_keys_null_meaning_neither(db, factory, tmp_path):
    register = _fron(small_register())
    sync(factory, register.write_csv(tmp_path / "first"))
    after = merged_into_fron(register)
    for unit in after.units:
        unit.setdefault("erstattet_av", None)  # JSON null: not merged
    with serve(RegisterApi(after)) as api_url:
        dry = sync(factory, api_url, api_token=TOKEN, dry_run=True)
        result = sync(factory, api_url, api_token=TOKEN)

    assert dry.reshapes == ["0001 Nord-Fron slås sammen med 0003 Sør-Fron til 0020 Fron"]
    assert result.outcome == "applied", result.error
    assert (result.counts["unit_merged"], result.counts["unit_created"]) == (2, 1)
