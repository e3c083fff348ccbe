"""Who gets the desk: the positions that see the member list; everyone else gets 404.
Restanse lists and address copies are audited; a fylkeslag-wide send needs the fylkesleder."""

from __future__ import annotations

import pytest

from tests.desk.conftest import audit_entries, sms_form
from tests.factories import make_member

PAGES = [
    "/mitt-lag/",
    "/mitt-lag/0001",
    "/mitt-lag/0001/endringer",
    "/mitt-lag/0001/restanse",
    "/mitt-lag/0001/meldinger",
    "/mitt-lag/0001/meldinger/ny",
    "/mitt-lag/0001/epostadresser",
]


@pytest.mark.parametrize("path", PAGES)
def test_a_non_leader_gets_404_on_every_desk_page(app, db, world, path):
    other_leader = make_member(db, "0002", roles=["lokallagsleder@0002"])
    board = make_member(db, "0001", roles=["styremedlem@0001"])
    db.commit()
    for who in (world.plain, board):
        assert world.client(who).get(path).status_code == 404
    if path != "/mitt-lag/":
        assert world.client(other_leader).get(path).status_code == 404
    assert "Mitt lag" not in world.client(world.plain).get("/").text


def test_non_leaders_cannot_send_copy_or_read_reports(app, db, world, outbox):
    plain = world.client(world.plain)
    assert plain.post("/mitt-lag/0001/meldinger", data=sms_form()).status_code == 404
    assert plain.post("/mitt-lag/0001/meldinger/forhandsvis", data=sms_form()).status_code == 404
    assert plain.post("/mitt-lag/0001/epostadresser", data={"segment": "all"}).status_code == 404
    world.client(world.leader).post("/mitt-lag/0001/meldinger", data=sms_form())
    assert plain.get("/mitt-lag/0001/meldinger/1").status_code == 404
    assert audit_entries(db, "desk.message_sent")[0].actor_number == world.leader.number
    assert audit_entries(db, "desk.addresses_copied") == []


@pytest.mark.parametrize(
    "role",
    [
        "lokallagsleder@0001",
        "kasserer@0001",
        "dataansvarlig@0001",
        "fylkesleder@F01",
        "kasserer@F01",
    ],
)
def test_the_positions_that_see_the_member_list_open_the_desk(app, db, world, role):
    leader = make_member(db, "0301", roles=[role])
    db.commit()
    client = world.client(leader)
    for path in PAGES[1:]:
        assert client.get(path).status_code == 200, path
    assert "Mitt lag" in client.get("/").text


def test_the_group_page_links_to_the_desk_for_its_leaders_only(app, db, world):
    from sqlalchemy import select

    from innsiden.groups.models import Group

    group_id = db.scalar(select(Group.id).where(Group.unit_id == "0001"))
    db.commit()
    if group_id is None:  # location groups are made on first use
        world.client(world.leader).get("/grupper/")
        group_id = db.scalar(select(Group.id).where(Group.unit_id == "0001"))
        db.commit()
    assert "/mitt-lag/0001" in world.client(world.leader).get(f"/grupper/{group_id}").text
    assert "/mitt-lag/0001" not in world.client(world.plain).get(f"/grupper/{group_id}").text


def test_a_fylkeslag_wide_send_needs_the_fylkeslag_leader(app, db, world, outbox):
    treasurer = make_member(db, "0001", roles=["kasserer@F01"])
    chief = make_member(db, "0001", roles=["fylkesleder@F01"])
    db.commit()
    form = sms_form(segment="all")
    assert world.client(treasurer).get("/mitt-lag/F01").status_code == 200
    assert world.client(treasurer).post("/mitt-lag/F01/meldinger", data=form).status_code == 403
    assert world.client(treasurer).post("/mitt-lag/0001/meldinger", data=form).status_code == 302
    assert world.client(chief).post("/mitt-lag/F01/meldinger", data=form).status_code == 302
    assert [e.target for e in audit_entries(db, "desk.message_sent")] == ["unit:0001", "unit:F01"]


def test_the_restanse_list_shows_paid_until_filters_and_exports_through_the_audited_path(
    app, db, world
):
    client = world.client(world.leader)
    page = client.get("/mitt-lag/0001/restanse")
    assert page.status_code == 200
    for member in [*world.owing, world.owing_no_phone]:
        assert member.last_name in page.text
    assert world.paid.last_name not in page.text and world.elsewhere.last_name not in page.text
    assert "31.12.2026" in page.text
    assert world.owing[1].last_name not in client.get("/mitt-lag/0001/restanse?q=Åse").text
    export = client.get("/grupper/enhet/0001/medlemsliste.csv?status=restanse")
    assert export.status_code == 200
    lines = export.data.decode("utf-8-sig").strip().splitlines()
    assert len(lines) == 1 + 4
    viewed = audit_entries(db, "groups.member_list_viewed")
    exported = audit_entries(db, "groups.member_list_exported")
    assert [e.detail["status"] for e in viewed] == ["restanse", "restanse"]
    assert [(e.detail["format"], e.detail["count"]) for e in exported] == [("csv", 4)]


def test_copying_a_segments_addresses_is_audited_and_leaves_out_the_unsubscribed(app, db, world):
    from innsiden.desk.models import DeskOptOut

    db.add(DeskOptOut(member_number=world.owing[0].number, channel="email", source="settings"))
    db.commit()
    page = world.client(world.leader).post(
        "/mitt-lag/0001/epostadresser", data={"segment": "restanse"}
    )
    assert page.status_code == 200
    assert world.owing[1].email in page.text and world.owing_no_phone.email in page.text
    assert world.owing[0].email not in page.text and world.plain.email not in page.text
    [entry] = audit_entries(db, "desk.addresses_copied")
    assert entry.actor_number == world.leader.number
    assert (entry.detail["segment"], entry.detail["count"]) == ("restanse", 3)


def test_members_turn_leader_messages_off_per_channel_on_their_own_page(app, db, world, outbox):
    client = world.client(world.owing[0])
    assert client.post("/mitt-lag/mine-valg", data={"email": "ja"}).status_code == 302
    page = client.get("/mitt-lag/mine-valg").text
    assert 'name="sms" value="ja">' in page and 'name="email" value="ja" checked>' in page
    from tests.desk.conftest import run_sender

    world.client(world.leader).post("/mitt-lag/0001/meldinger", data=sms_form())
    run_sender(app)
    assert not outbox.sms(to=world.owing[0].mobile) and outbox.sms(to=world.owing[1].mobile)


def test_an_unsubscribe_link_works_only_as_signed(app, db, world):
    from innsiden.desk.models import DeskOptOut

    with app.app_context():
        from innsiden.desk.optout import make_token

        token = make_token(world.plain.number, "email")
    forged = token.replace(str(world.plain.number), str(world.paid.number), 1)
    anon = app.test_client()
    assert anon.post(f"/mitt-lag/avmeld/{forged}").status_code == 404
    assert anon.get(f"/mitt-lag/avmeld/{token}").status_code == 200
    assert db.scalars(DeskOptOut.__table__.select()).all() == []
    db.commit()
    assert anon.post(f"/mitt-lag/avmeld/{token}").status_code == 200
    assert [(o.member_number, o.channel) for o in db.execute(DeskOptOut.__table__.select())] == [
        (world.plain.number, "email")
    ]
    db.commit()
