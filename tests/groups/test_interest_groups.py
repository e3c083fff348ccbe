"""Interest groups: proposals and approval, roles given by hand, what members show each other."""

from innsiden import realtime
from tests.conftest import run_jobs
from tests.factories import make_member, make_small_organisation
from tests.groups.helpers import client_for, make_interest_group


def test_a_members_proposal_waits_for_a_portal_administrator(app, db, outbox):
    units = make_small_organisation(db)
    member = make_member(db, units["0001"])
    admin = make_member(db, units["0301"], roles=["sentraladmin@S"], email="admin@example.no")
    db.commit()
    client, admin_client = client_for(app, member), client_for(app, admin)

    response = client.post(
        "/grupper/ny",
        data={"name": "Ungdom", "visibility": "open", "description": "For unge medlemmer"},
    )
    assert response.status_code == 302
    group_id = int(response.headers["Location"].rsplit("/", 1)[1])
    assert "venter på godkjenning" in client.get("/grupper/mine").text
    assert "Ungdom" not in client_for(app, make_member(db, units["0002"])).get("/grupper/").text
    db.commit()
    run_jobs(app, db)
    assert outbox.mails(to="admin@example.no"), "portal administrators hear of the proposal"
    assert client.get("/grupper/forslag").status_code == 404  # only for portal administrators

    assert "Ungdom" in admin_client.get("/grupper/forslag").text
    admin_client.post(f"/grupper/{group_id}/forslag", data={"beslutning": "godkjenn"})
    shown = client.get(f"/api/v1/groups/{group_id}").get_json()
    assert shown["status"] == "active" and shown["role"] == "administrator"


def test_a_portal_administrator_creates_a_group_at_once(app, db):
    units = make_small_organisation(db)
    admin = make_member(db, units["0301"], roles=["sentraladmin@S"])
    db.commit()
    client = client_for(app, admin)
    response = client.post(
        "/grupper/ny", data={"name": "Landbruk", "visibility": "closed", "scope": "F01"}
    )
    group_id = int(response.headers["Location"].rsplit("/", 1)[1])
    assert client.get(f"/api/v1/groups/{group_id}").get_json()["status"] == "active"
    assert client.post("/grupper/ny", data={"name": "x"}).status_code == 200  # errors shown


def test_group_administrators_appoint_moderators_by_hand(app, db):
    units = make_small_organisation(db)
    leader = make_member(db, units["0001"], roles=["lokallagsleder@0001"])
    member = make_member(db, units["0001"])
    db.commit()
    leader_client, client = client_for(app, leader), client_for(app, member)
    bergen = next(
        g
        for g in client.get("/api/v1/groups?mine=1").get_json()["groups"]
        if g["name"] == "Bergen lokallag"
    )
    assert (
        client.post(
            f"/grupper/{bergen['id']}/roller", data={"medlem": leader.number, "rolle": "moderator"}
        ).status_code
        == 403
    )
    response = leader_client.post(
        f"/grupper/{bergen['id']}/roller", data={"medlem": member.number, "rolle": "moderator"}
    )
    assert response.status_code == 302
    assert client.get(f"/api/v1/groups/{bergen['id']}").get_json()["role"] == "moderator"
    # a moderator who moves away is no longer one
    member.lokallag_id = "0301"
    db.commit()
    assert client.get(f"/api/v1/groups/{bergen['id']}").get_json()["role"] is None


def test_members_see_each_others_contact_details_only_when_chosen(app, db):
    units = make_small_organisation(db)
    shy = make_member(
        db, units["0001"], first_name="Stille", email="stille@example.no", mobile="+4790000001"
    )
    open_ = make_member(
        db, units["0001"], first_name="Åpen", email="apen@example.no", mobile="+4790000002"
    )
    db.commit()
    old_page = client_for(app, open_).get("/grupper/min-profil")
    assert old_page.status_code == 301
    assert old_page.headers["Location"] == "/min-profil#portalen"
    client_for(app, open_).post(
        "/min-profil/portal", data={"show_email": "ja", "about": "Bonde på Voss"}
    )
    client = client_for(app, shy)
    bergen = client.get("/api/v1/groups?mine=1").get_json()["groups"][0]
    page = client.get(f"/grupper/{bergen['id']}/medlemmer").text
    assert "Stille" in page and "Åpen" in page
    assert "apen@example.no" in page and "Bonde på Voss" in page
    assert "+4790000002" not in page and "stille@example.no" not in page
    outsider = client_for(app, make_member(db, units["0301"]))
    db.commit()
    assert outsider.get(f"/grupper/{bergen['id']}/medlemmer").status_code == 403


def test_the_group_room_is_for_readers_only(app, db):
    units = make_small_organisation(db)
    admin = make_member(db, units["0001"])
    outsider = make_member(db, units["0001"])
    group = make_interest_group(db, "Valgkampstab 2027", "hidden", admin=admin)
    db.commit()
    for member, allowed in ((admin, True), (outsider, False)):
        client = client_for(app, member)
        socket = realtime.socketio.test_client(app, flask_test_client=client)
        answer = socket.emit("join", {"room": f"group:{group.id}"}, callback=True)
        assert answer == {"ok": allowed}
        socket.disconnect()


def test_open_groups_are_readable_but_only_members_post(app, db):
    from innsiden import access
    from innsiden.db import session_factory
    from innsiden.groups import permissions, service

    units = make_small_organisation(db)
    admin = make_member(db, units["0001"])
    reader = make_member(db, units["0301"])
    group = make_interest_group(db, "Klima og miljø", "open", admin=admin)
    db.commit()
    with app.app_context(), session_factory(app)() as session:
        reader_row, group_row = (
            session.get(type(reader), reader.number),
            service.get_group(session, group.id),
        )
        assert access.can(session, reader_row, "group.read", group_row)
        assert not access.can(session, reader_row, "group.post", group_row)
        assert group.id in permissions.readable_group_ids(session, reader_row)
        session.rollback()
