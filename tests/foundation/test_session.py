"""Sessions follow the register: the loader re-checks access on every request."""

from membersync.access import end_all_credentials
from tests.conftest import login_as
from tests.factories import make_member, make_small_organisation


def test_member_with_access_sees_the_front_page(client, db):
    units = make_small_organisation(db)
    member = make_member(db, units["0001"], first_name="Kari")
    db.commit()
    login_as(client, member)
    response = client.get("/")
    assert response.status_code == 200
    assert "Hei, Kari!" in response.text


def test_session_ends_when_register_says_member_left(client, db):
    units = make_small_organisation(db)
    member = make_member(db, units["0001"])
    db.commit()
    login_as(client, member)
    assert client.get("/").status_code == 200
    member.status = "utmeldt"
    db.commit()
    assert client.get("/").status_code == 302


def test_restanse_keeps_access(client, db):
    units = make_small_organisation(db)
    member = make_member(db, units["0001"], status="restanse")
    db.commit()
    login_as(client, member)
    assert client.get("/").status_code == 200


def test_bumped_epoch_ends_existing_sessions_even_after_reactivation(client, db):
    units = make_small_organisation(db)
    member = make_member(db, units["0001"])
    db.commit()
    login_as(client, member)
    end_all_credentials(db, member.number)
    db.commit()
    assert client.get("/").status_code == 302
