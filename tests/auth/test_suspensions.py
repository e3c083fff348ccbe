"""Administrators suspend a member's portal access without touching the register, and lift it."""

from sqlalchemy import select

from innsiden import realtime
from innsiden.audit import AuditEntry
from innsiden.auth.models import Suspension
from membersync.models import Member
from tests.auth_helpers import AuthActions
from tests.factories import make_member


def _actions(db) -> list[str]:
    actions = list(db.scalars(select(AuditEntry.action).order_by(AuditEntry.id)))
    db.commit()
    return actions


def test_suspension_ends_the_session_and_lifting_lets_the_member_back(app, db, units, outbox):
    admin = make_member(db, units["0001"], roles=["sentraladmin@S"])
    member = make_member(db, units["0001"], first_name="Kari")
    db.commit()
    admin_client, member_client = app.test_client(), app.test_client()
    AuthActions(app, admin_client).login(admin)
    AuthActions(app, member_client).login(member)
    socket = realtime.socketio.test_client(app, flask_test_client=member_client)
    assert socket.is_connected()

    page = admin_client.get("/admin/sperringer")
    assert page.status_code == 200 and "Sperr et medlem" in page.text
    response = admin_client.post(
        "/admin/sperringer", data={"member_number": str(member.number), "reason": "Trakassering"}
    )
    assert response.status_code == 302
    assert not socket.is_connected()
    assert member_client.get("/").status_code == 302
    listed = admin_client.get("/admin/sperringer").text
    assert "Trakassering" in listed and member.full_name in listed
    email = member.email
    db.expire_all()
    assert db.get(Member, member.number).status == "aktiv"  # the register is not touched
    db.commit()  # ends the read: SQLite would hold its write lock against the app

    # A suspended member asking for a code gets the neutral answer and no code.
    mails_before = len(outbox.mails(to=email))
    AuthActions(app, app.test_client()).request_code(email)
    assert len(outbox.mails(to=email)) == mails_before

    suspension_id = db.scalars(select(Suspension.id)).one()
    db.commit()
    assert f"/admin/sperringer/{suspension_id}/opphev" in listed
    lifted = admin_client.post(f"/admin/sperringer/{suspension_id}/opphev")
    assert lifted.status_code == 302
    comeback = app.test_client()
    AuthActions(app, comeback).login(member)
    assert "Hei, Kari!" in comeback.get("/").text
    actions = _actions(db)
    assert "auth.suspended" in actions and "auth.suspension_lifted" in actions
    assert actions.count("auth.login") == 3


def test_only_administrators_reach_suspensions(app, db, units):
    leader = make_member(db, units["0001"], roles=["lokallagsleder@0001"])
    victim = make_member(db, units["0001"])
    db.commit()
    client = app.test_client()
    AuthActions(app, client).login(leader)
    assert client.get("/admin/sperringer").status_code == 404
    response = client.post("/admin/sperringer", data={"member_number": str(victim.number)})
    assert response.status_code == 404
    assert "auth.suspended" not in _actions(db)


def test_suspending_an_unknown_number_or_twice_is_explained(app, db, units):
    admin = make_member(db, units["0001"], roles=["sentraladmin@S"])
    member = make_member(db, units["0001"])
    db.commit()
    client = app.test_client()
    AuthActions(app, client).login(admin)
    unknown = client.post("/admin/sperringer", data={"member_number": "999999999"})
    assert unknown.status_code == 400 and "Fant ingen medlem" in unknown.text
    client.post("/admin/sperringer", data={"member_number": str(member.number)})
    twice = client.post("/admin/sperringer", data={"member_number": str(member.number)})
    assert twice.status_code == 409 and "allerede sperret" in twice.text
    itself = client.post("/admin/sperringer", data={"member_number": str(admin.number)})
    assert itself.status_code == 400


def test_forced_logout_by_an_administrator(app, db, units):
    admin = make_member(db, units["0001"], roles=["sentraladmin@S"])
    member = make_member(db, units["0001"])
    db.commit()
    admin_client, member_client = app.test_client(), app.test_client()
    AuthActions(app, admin_client).login(admin)
    AuthActions(app, member_client).login(member)
    response = admin_client.post(
        "/admin/sperringer/logg-ut", data={"member_number": str(member.number)}
    )
    assert response.status_code == 302
    assert member_client.get("/").status_code == 302
    entry = db.scalars(select(AuditEntry).where(AuditEntry.action == "auth.forced_logout")).one()
    assert (entry.actor_number, entry.target) == (admin.number, f"member:{member.number}")


def test_admin_front_page_links_to_suspensions(app, db, units):
    admin = make_member(db, units["0001"], roles=["sentraladmin@S"])
    db.commit()
    client = app.test_client()
    AuthActions(app, client).login(admin)
    assert "/admin/sperringer" in client.get("/admin/").text
