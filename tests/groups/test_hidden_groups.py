"""A hidden group is invisible outside it — in every listing, page and API answer — and
plain to see for its members and invitees."""

from tests.conftest import run_jobs
from tests.factories import make_member, make_small_organisation
from tests.groups.helpers import client_for, make_interest_group


def _setup(db):
    units = make_small_organisation(db)
    admin = make_member(db, units["0001"], first_name="Anne")
    insider = make_member(db, units["0001"], first_name="Ivar")
    outsider = make_member(db, units["0001"], first_name="Olav")
    group = make_interest_group(db, "Valgkampstab 2027", "hidden", admin=admin, members=[insider])
    db.commit()
    return group, admin, insider, outsider


def _pages(group_id):
    return [
        f"/grupper/{group_id}",
        f"/grupper/{group_id}/medlemmer",
        f"/grupper/{group_id}/foresporsler",
        f"/grupper/{group_id}/rediger",
        f"/api/v1/groups/{group_id}",
        f"/api/v1/groups/{group_id}/members",
        f"/api/v1/groups/{group_id}/requests",
    ]


def test_a_hidden_group_is_absent_for_a_non_member(app, db):
    group, _admin, _insider, outsider = _setup(db)
    client = client_for(app, outsider)
    for path in [
        "/grupper/",
        "/grupper/?type=interesse",
        "/grupper/mine",
        "/api/v1/groups",
        "/api/v1/groups?mine=1",
        "/api/v1/groups?type=interesse",
    ]:
        assert "Valgkampstab" not in client.get(path).text, path
    for path in _pages(group.id):
        response = client.get(path)
        assert response.status_code == 404, path
        assert "Valgkampstab" not in response.text
    for path in ["bli-med", "forlat", "varsler", "invitasjon", "inviter", "roller"]:
        assert client.post(f"/grupper/{group.id}/{path}").status_code == 404, path
    assert client.post(f"/api/v1/groups/{group.id}/join").status_code == 404
    # the same answer as for a group that does not exist at all
    assert client.get("/grupper/999999").status_code == 404


def test_a_hidden_group_is_visible_to_its_members(app, db):
    group, _admin, insider, _outsider = _setup(db)
    client = client_for(app, insider)
    assert "Valgkampstab 2027" in client.get("/grupper/").text
    assert "Valgkampstab 2027" in client.get("/grupper/mine").text
    assert client.get(f"/grupper/{group.id}").status_code == 200
    assert "Ivar" in client.get(f"/grupper/{group.id}/medlemmer").text
    assert client.get(f"/api/v1/groups/{group.id}").get_json()["is_member"] is True


def test_an_invitation_is_the_way_in(app, db, outbox):
    group, admin, _insider, outsider = _setup(db)
    admin_client, client = client_for(app, admin), client_for(app, outsider)
    response = admin_client.post(f"/grupper/{group.id}/inviter", data={"who": outsider.email})
    assert response.status_code == 302
    run_jobs(app, db)
    assert outbox.mails(to=outsider.email), "the invitee is told by e-mail"

    assert "Valgkampstab 2027" in client.get("/grupper/mine").text  # the invitation shows
    assert client.get(f"/grupper/{group.id}").status_code == 200
    assert client.post(f"/grupper/{group.id}/invitasjon", data={"svar": "ja"}).status_code == 302
    assert client.get(f"/api/v1/groups/{group.id}").get_json()["is_member"] is True


def test_a_member_who_leaves_a_hidden_group_can_no_longer_see_it(app, db):
    group, _admin, insider, _outsider = _setup(db)
    client = client_for(app, insider)
    assert client.post(f"/api/v1/groups/{group.id}/leave").status_code == 200
    assert client.get(f"/grupper/{group.id}").status_code == 404
    assert "Valgkampstab" not in client.get("/grupper/").text
