"""A real sync (demo register → CSV → membersync) and the groups that follow from it."""

import pytest

from innsiden.db import session_factory
from innsiden.groups import service
from innsiden.groups.anchors import location_groups
from membersync import demo_register
from membersync.models import Member
from tests.groups.helpers import client_for, my_group_names, my_roles

sync = pytest.importorskip("membersync.sync")

WITH_ACCESS = {"aktiv", "restanse"}
ADMIN_ROLES = {"lokallagsleder", "nestleder", "dataansvarlig", "fylkesleder", "fylkessekretaer"}


def _sync(app, register, directory):
    register.write_csv(directory)
    options = sync.SyncOptions(trigger="cli", allow_mass_removal=True)
    result = sync.run_sync(session_factory(app), str(directory), options)
    assert result.outcome == "applied", result.summary()


def _expected(register):
    parent = {u["id"]: u["overordnet_id"] for u in register.units}
    groups: dict[str, set[int]] = {
        u["id"]: set() for u in register.units if u["type"] != "sentralt"
    }
    for row in register.members:
        if row["status"] not in WITH_ACCESS:
            continue
        number = int(row["medlemsnummer"])
        groups[row["lokallag_id"]].add(number)
        groups[parent[row["lokallag_id"]]].add(number)
        for verv in filter(None, row["verv"].split("|")):
            role, _, unit = verv.partition("@")
            if role in ADMIN_ROLES:
                groups[unit].add(number)
    return groups


def test_after_a_sync_every_member_is_in_exactly_their_groups(app, db, tmp_path):
    register = demo_register.generate(120, lokallag=6)
    _sync(app, register, tmp_path / "register")
    with app.app_context(), session_factory(app)() as session:
        found = {
            row.unit.id: service.group_member_numbers(
                session, service.get_group(session, row.group_id)
            )
            for row in location_groups(session)
        }
        session.commit()
    assert found == _expected(register)

    # The next export moves a member and takes a leader's position away.
    mover = next(r for r in register.members if r["status"] == "aktiv" and not r["verv"])
    leader = next(r for r in register.members if r["verv"].startswith("lokallagsleder@"))
    old_unit = mover["lokallag_id"]
    new_unit = next(
        u["id"] for u in register.units if u["type"] == "lokallag" and u["id"] != old_unit
    )
    mover["lokallag_id"] = new_unit
    led_unit = leader["verv"].split("@")[1].split("|")[0]
    leader["verv"] = ""
    _sync(app, register, tmp_path / "register")

    moved, former_leader = (db.get(Member, int(r["medlemsnummer"])) for r in (mover, leader))
    db.commit()
    names = {u["id"]: u["navn"] for u in register.units}
    parent = {u["id"]: u["overordnet_id"] for u in register.units}
    assert my_group_names(client_for(app, moved)) == {names[new_unit], names[parent[new_unit]]}
    assert my_roles(client_for(app, former_leader))[names[led_unit]] == "member"
