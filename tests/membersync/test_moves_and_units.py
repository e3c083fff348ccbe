"""Moves between lokallag, and units created, renamed, re-parented and removed."""

from sqlalchemy import select

from innsiden.groups.anchors import location_group_ids
from innsiden.groups.models import Group
from innsiden.groups.service import group_member_numbers
from membersync.access import STATUSES_WITH_ACCESS
from membersync.models import Member, OrgUnit, Position, SyncChange
from tests.membersync.helpers import active_member_row, changed, sync


def members_of(db, unit_id):
    """The members a lokallag group shows: read from the mirror at the moment of asking."""
    db.commit()  # a fresh snapshot
    query = select(Member.number).where(
        Member.lokallag_id == unit_id,
        Member.in_register.is_(True),
        Member.status.in_(STATUSES_WITH_ACCESS),
    )
    return set(db.scalars(query))


def group_of(db, unit_id):
    """The members the lokallag's group shows, as the groups capability derives them."""
    db.commit()
    group_id = location_group_ids(db, [unit_id])[unit_id]
    db.commit()  # the group row may just have been made, in a transaction of its own
    group = db.get(Group, group_id)
    return group_member_numbers(db, group)


def test_a_member_who_moves_is_in_the_new_lokallag_and_not_the_old(db, factory, register, tmp_path):
    sync(factory, register.write_csv(tmp_path / "first"))
    row = active_member_row(register)
    number, old_unit = int(row["medlemsnummer"]), row["lokallag_id"]
    new_unit = next(
        u["id"] for u in register.units if u["type"] == "lokallag" and u["id"] != old_unit
    )
    assert number in members_of(db, old_unit)

    after = changed(register)
    next(r for r in after.members if r["medlemsnummer"] == str(number))["lokallag_id"] = new_unit
    result = sync(factory, after.write_csv(tmp_path / "second"))

    assert result.counts["moved"] == 1 and result.counts["updated"] == 0
    assert number in members_of(db, new_unit)
    assert number not in members_of(db, old_unit)
    assert number in group_of(db, new_unit)
    assert number not in group_of(db, old_unit)
    moved = db.scalars(select(SyncChange).where(SyncChange.kind == "moved")).one()
    assert (moved.member_number, moved.detail) == (number, {"fra": old_unit, "til": new_unit})


def test_position_changes_are_mirrored_and_recorded(db, factory, register, tmp_path):
    sync(factory, register.write_csv(tmp_path / "first"))
    leader = next(r for r in register.members if r["verv"].startswith("lokallagsleder@"))
    unit = leader["lokallag_id"]
    successor = active_member_row(register)
    after = changed(register)
    next(
        r for r in after.members if r is not None and r["medlemsnummer"] == leader["medlemsnummer"]
    )["verv"] = ""
    next(r for r in after.members if r["medlemsnummer"] == successor["medlemsnummer"])["verv"] = (
        f"lokallagsleder@{unit}|kampanjeansvarlig@{unit}"
    )
    result = sync(factory, after.write_csv(tmp_path / "second"))

    assert result.counts["positions_changed"] == 2
    db.commit()
    leaders = db.scalars(
        select(Position.member_number).where(
            Position.role == "lokallagsleder", Position.unit_id == unit
        )
    ).all()
    assert leaders == [int(successor["medlemsnummer"])]
    # Roles outside the known list are kept as plain labels.
    assert (
        db.get(Position, (int(successor["medlemsnummer"]), "kampanjeansvarlig", unit)) is not None
    )


def test_units_created_renamed_reparented_and_removed(db, factory, register, tmp_path):
    sync(factory, register.write_csv(tmp_path / "first"))
    lokallag = [u for u in register.units if u["type"] == "lokallag"]
    gone, heir, renamed, moved = lokallag[0], lokallag[1], lokallag[2], lokallag[3]
    fylker = [u["id"] for u in register.units if u["type"] == "fylkeslag"]
    after = changed(register)
    units = {u["id"]: u for u in after.units}
    del units[gone["id"]]
    units[renamed["id"]]["navn"] = "Nytt navn lokallag"
    units[moved["id"]]["overordnet_id"] = next(f for f in fylker if f != moved["overordnet_id"])
    units["L-NY"] = {
        "id": "L-NY",
        "navn": "Helt nytt lokallag",
        "type": "lokallag",
        "overordnet_id": fylker[0],
    }
    after.units = list(units.values())
    # A merger: the removed lokallag's members move to their new one in the same export.
    for row in after.members:
        if row["lokallag_id"] == gone["id"]:
            row["lokallag_id"] = heir["id"]
        row["verv"] = "|".join(
            v for v in row["verv"].split("|") if v and not v.endswith(f"@{gone['id']}")
        )
    result = sync(factory, after.write_csv(tmp_path / "second"), allow_mass_removal=False)

    assert result.outcome == "applied", result.error
    counts = result.counts
    assert (
        counts["unit_created"],
        counts["unit_renamed"],
        counts["unit_reparented"],
        counts["unit_removed"],
    ) == (1, 1, 1, 1)
    db.commit()
    removed = db.get(OrgUnit, gone["id"])
    assert removed is not None and removed.removed_at is not None  # kept, marked removed
    assert members_of(db, gone["id"]) == set()
    assert db.get(OrgUnit, renamed["id"]).name == "Nytt navn lokallag"
    assert db.get(OrgUnit, moved["id"]).parent_id != moved["overordnet_id"]
    assert db.get(OrgUnit, "L-NY").removed_at is None

    # A member still naming the removed unit is rejected, not guessed about.
    stale = changed(after)
    stale.members[5]["lokallag_id"] = gone["id"]
    rejected = sync(factory, stale.write_csv(tmp_path / "third"))
    assert rejected.outcome == "aborted"
    assert "ukjent lokallag" in rejected.rejected[0].reason
