"""The member's own data as JSON, and "log out everywhere" over the API."""

from tests.factories import make_member


def test_me_needs_login(client):
    response = client.get("/api/v1/me")
    assert response.status_code == 401
    assert response.json["code"] == "unauthenticated"


def test_me_describes_the_logged_in_member(client, db, units, auth):
    member = make_member(db, units["0001"], first_name="Kari", roles=["kasserer@0001"])
    db.commit()
    auth.login(member)
    body = client.get("/api/v1/me").json
    assert body["number"] == member.number and body["first_name"] == "Kari"
    assert body["lokallag"] == {"id": "0001", "name": "Bergen lokallag"}
    assert body["positions"] == [{"role": "kasserer", "unit_id": "0001"}]
    assert body["admin"] is False


def test_logout_everywhere_over_the_api(app, client, db, units, auth):
    member = make_member(db, units["0001"])
    db.commit()
    auth.login(member)
    assert client.post("/api/v1/auth/logout-everywhere").json == {"ok": True}
    assert client.get("/api/v1/me").status_code == 401


def test_login_pages_are_public_and_the_rest_is_not(client):
    for path in ["/logg-inn", "/logg-inn/lenke/ukjent"]:
        assert client.get(path).status_code in {200, 400}
    assert client.get("/logg-inn/kode").status_code == 302  # nothing requested yet
    for path in ["/", "/logg-ut", "/admin/", "/admin/sperringer"]:
        response = client.get(path)
        assert response.status_code == 302 and "/logg-inn" in response.location
