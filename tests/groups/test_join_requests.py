"""Closed groups: a request reaches the administrators, approval admits, the member is told."""

from sqlalchemy import select

from innsiden.events import DomainEvent
from tests.conftest import run_jobs
from tests.factories import make_member, make_small_organisation
from tests.groups.helpers import client_for, make_interest_group


def test_a_join_request_reaches_the_administrators_and_approval_admits(app, db, outbox):
    units = make_small_organisation(db)
    admin = make_member(db, units["0001"], email="admin@example.no")
    asker = make_member(db, units["0301"], first_name="Sigrid", email="sigrid@example.no")
    group = make_interest_group(db, "Landbruk", "closed", admin=admin)
    db.commit()
    client, admin_client = client_for(app, asker), client_for(app, admin)

    page = client.get(f"/grupper/{group.id}")
    assert "Be om å bli med" in page.text
    response = client.post(f"/grupper/{group.id}/bli-med", data={"message": "Jeg driver gård."})
    assert response.status_code == 302
    assert client.get(f"/api/v1/groups/{group.id}").get_json()["is_member"] is False

    run_jobs(app, db)
    mails = outbox.mails(to="admin@example.no")
    assert len(mails) == 1
    assert "Sigrid" in mails[0]["Subject"]
    names = set(db.scalars(select(DomainEvent.name)))
    db.commit()  # end the test's read (a rollback would expire the members it holds)
    assert "group.join_requested" in names
    requests = admin_client.get(f"/api/v1/groups/{group.id}/requests").get_json()["requests"]
    assert [r["name"] for r in requests] == [asker.full_name]
    assert "Jeg driver gård." in admin_client.get(f"/grupper/{group.id}/foresporsler").text

    response = admin_client.post(
        f"/grupper/{group.id}/foresporsler/{requests[0]['id']}", data={"beslutning": "godkjenn"}
    )
    assert response.status_code == 302
    assert client.get(f"/api/v1/groups/{group.id}").get_json()["is_member"] is True
    run_jobs(app, db)
    told = outbox.mails(to="sigrid@example.no")
    assert len(told) == 1 and "Du er med" in told[0]["Subject"]


def test_a_declined_request_leaves_the_member_outside_and_tells_them(app, db, outbox):
    units = make_small_organisation(db)
    admin = make_member(db, units["0001"])
    asker = make_member(db, units["0001"], email="asker@example.no")
    group = make_interest_group(db, "Landbruk", "closed", admin=admin)
    db.commit()
    client, admin_client = client_for(app, asker), client_for(app, admin)
    assert client.post(f"/api/v1/groups/{group.id}/join").get_json() == {"outcome": "requested"}
    assert client.post(f"/api/v1/groups/{group.id}/join").status_code == 409
    request_id = admin_client.get(f"/api/v1/groups/{group.id}/requests").get_json()["requests"][0][
        "id"
    ]
    decided = admin_client.post(
        f"/api/v1/groups/{group.id}/requests/{request_id}", json={"approve": False}
    )
    assert decided.get_json()["status"] == "declined"
    assert client.get(f"/api/v1/groups/{group.id}").get_json()["is_member"] is False
    run_jobs(app, db)
    [told] = outbox.mails(to="asker@example.no")
    assert "avslått" in told["Subject"]


def test_only_group_administrators_see_and_decide_requests(app, db):
    units = make_small_organisation(db)
    admin = make_member(db, units["0001"])
    member = make_member(db, units["0001"])
    group = make_interest_group(db, "Landbruk", "closed", admin=admin, members=[member])
    db.commit()
    client = client_for(app, member)
    assert client.get(f"/grupper/{group.id}/foresporsler").status_code == 403
    assert client.get(f"/api/v1/groups/{group.id}/requests").status_code == 403


def test_an_open_group_is_joined_at_once(app, db):
    units = make_small_organisation(db)
    admin = make_member(db, units["0001"])
    member = make_member(db, units["0301"])
    group = make_interest_group(db, "Klima og miljø", "open", admin=admin)
    db.commit()
    client = client_for(app, member)
    assert client.post(f"/grupper/{group.id}/bli-med").status_code == 302
    assert "Klima og miljø" in client.get("/grupper/mine").text
    assert client.post(f"/grupper/{group.id}/forlat").status_code == 302
    assert "Klima og miljø" not in client.get("/grupper/mine").text


def test_a_scoped_group_is_for_members_within_its_scope(app, db):
    units = make_small_organisation(db)
    admin = make_member(db, units["0001"])
    voss = make_member(db, units["0002"])
    oslo = make_member(db, units["0301"])
    group = make_interest_group(db, "Vestlandsbønder", "open", admin=admin, scope_unit_id="F01")
    db.commit()
    assert "Vestlandsbønder" in client_for(app, voss).get("/grupper/").text
    oslo_client = client_for(app, oslo)
    assert "Vestlandsbønder" not in oslo_client.get("/grupper/").text
    assert oslo_client.post(f"/api/v1/groups/{group.id}/join").status_code == 404
