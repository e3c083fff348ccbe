"""Lokallag and fylkeslag groups follow the register mirror the moment it changes."""

from datetime import UTC, datetime

from sqlalchemy import delete

from membersync.models import Position
from tests.factories import make_member, make_small_organisation, make_unit
from tests.groups.helpers import client_for, members_of, my_group_names, my_roles


def test_every_member_is_in_exactly_their_lokallag_and_fylkeslag_groups(app, db):
    units = make_small_organisation(db)
    bergen = make_member(db, units["0001"])
    voss = make_member(db, units["0002"])
    oslo = make_member(db, units["0301"])
    resigned = make_member(db, units["0001"], status="utmeldt")
    db.commit()

    assert my_group_names(client_for(app, bergen)) == {"Bergen lokallag", "Vestland fylkeslag"}
    assert my_group_names(client_for(app, voss)) == {"Voss lokallag", "Vestland fylkeslag"}
    assert my_group_names(client_for(app, oslo)) == {"Oslo lokallag", "Oslo fylkeslag"}
    assert members_of(app, "Bergen lokallag") == {bergen.number}
    assert members_of(app, "Vestland fylkeslag") == {bergen.number, voss.number}
    assert resigned.number not in members_of(app, "Vestland fylkeslag")


def test_a_move_puts_the_member_in_the_new_groups_only(app, db):
    units = make_small_organisation(db)
    member = make_member(db, units["0001"])
    db.commit()
    client = client_for(app, member)
    assert my_group_names(client) == {"Bergen lokallag", "Vestland fylkeslag"}

    member.lokallag_id = "0301"  # the sync moves the member to Oslo
    db.commit()

    assert my_group_names(client) == {"Oslo lokallag", "Oslo fylkeslag"}
    assert member.number not in members_of(app, "Bergen lokallag")
    assert member.number not in members_of(app, "Vestland fylkeslag")
    assert member.number in members_of(app, "Oslo fylkeslag")


def test_a_leader_who_loses_the_position_loses_the_group_role(app, db):
    units = make_small_organisation(db)
    leader = make_member(db, units["0001"], roles=["lokallagsleder@0001"])
    db.commit()
    client = client_for(app, leader)
    assert my_roles(client)["Bergen lokallag"] == "administrator"
    bergen_id = client.get("/api/v1/groups?mine=1").get_json()["groups"][0]["id"]
    assert client.get(f"/grupper/{bergen_id}/rediger").status_code == 200

    db.execute(delete(Position).where(Position.member_number == leader.number))
    db.commit()

    assert my_roles(client)["Bergen lokallag"] == "member"
    assert client.get(f"/grupper/{bergen_id}/rediger").status_code == 403


def test_a_fylkesleder_living_elsewhere_administers_the_fylkeslag_group(app, db):
    units = make_small_organisation(db)
    leader = make_member(db, units["0301"], roles=["fylkesleder@F01"])
    db.commit()
    roles = my_roles(client_for(app, leader))
    assert roles == {
        "Oslo lokallag": "member",
        "Oslo fylkeslag": "member",
        "Vestland fylkeslag": "administrator",
    }


def test_new_renamed_and_removed_units_show_at_once(app, db):
    units = make_small_organisation(db)
    member = make_member(db, units["0001"])
    db.commit()
    client = client_for(app, member)
    client.get("/grupper/")  # location groups exist for the units known so far

    make_unit(db, "0003", "Odda lokallag", "lokallag", "F01")  # a sync creates a unit…
    units["0001"].name = "Bergen og omegn lokallag"  # …renames one…
    units["0002"].removed_at = datetime.now(UTC)  # …and removes another
    db.commit()

    page = client.get("/grupper/").text
    assert "Odda lokallag" in page
    assert "Bergen og omegn lokallag" in page
    assert "Voss lokallag" not in page
    assert "Bergen og omegn lokallag" in my_group_names(client)
    archive = client.get("/grupper/?arkiv=1").text
    assert "Voss lokallag" in archive


def test_a_removed_units_group_is_archived_read_only(app, db):
    units = make_small_organisation(db)
    member = make_member(db, units["0002"])
    db.commit()
    client = client_for(app, member)
    groups = client.get("/api/v1/groups?mine=1").get_json()["groups"]
    voss = next(g for g in groups if g["name"] == "Voss lokallag")

    units["0002"].removed_at = datetime.now(UTC)
    db.commit()

    shown = client.get(f"/api/v1/groups/{voss['id']}").get_json()
    assert shown["archived"] is True
    assert "arkivert" in client.get(f"/grupper/{voss['id']}").text


def test_location_groups_cannot_be_left_but_can_be_muted(app, db):
    units = make_small_organisation(db)
    member = make_member(db, units["0001"])
    db.commit()
    client = client_for(app, member)
    bergen = client.get("/api/v1/groups?mine=1").get_json()["groups"][0]
    assert client.post(f"/api/v1/groups/{bergen['id']}/leave").status_code == 400
    response = client.put(f"/api/v1/groups/{bergen['id']}/notifications", json={"level": "none"})
    assert response.status_code == 200
    page = client.get(f"/grupper/{bergen['id']}").text
    assert 'value="none" selected' in page
    assert "Bergen lokallag" in my_group_names(client)


def test_a_member_attached_to_a_fylkeslag_is_in_its_group_only(app, db):
    units = make_small_organisation(db)
    member = make_member(db, units["F02"])
    central = make_member(db, units["S"])
    db.commit()
    assert my_group_names(client_for(app, member)) == {"Oslo fylkeslag"}
    assert my_group_names(client_for(app, central)) == set()
