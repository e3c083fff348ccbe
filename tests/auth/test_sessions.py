"""Sessions end with membership: deactivation, "log out everywhere" and the remember cookie."""

from datetime import UTC, datetime, timedelta

from sqlalchemy import select

from innsiden import realtime
from innsiden.audit import AuditEntry
from membersync.access import end_all_credentials
from tests.auth_helpers import AuthActions
from tests.factories import make_member


def test_deactivated_member_is_refused_and_their_socket_closed(app, client, db, units, auth):
    member = make_member(db, units["0001"])
    db.commit()
    auth.login(member)
    assert client.get("/").status_code == 200
    socket = realtime.socketio.test_client(app, flask_test_client=client)
    assert socket.is_connected()
    # Exactly what membersync does when the register says the member resigned.
    member.status = "utmeldt"
    end_all_credentials(db, member.number)
    db.commit()
    response = client.get("/")
    assert response.status_code == 302
    assert "/logg-inn" in response.location
    with app.app_context():
        assert realtime.close_revoked_connections() >= 1
    assert not socket.is_connected()


def test_log_out_everywhere_ends_other_devices(app, db, units):
    member = make_member(db, units["0001"])
    db.commit()
    laptop, phone = app.test_client(), app.test_client()
    AuthActions(app, laptop).login(member)
    AuthActions(app, phone).login(member)
    phone_socket = realtime.socketio.test_client(app, flask_test_client=phone)
    assert phone_socket.is_connected()
    response = laptop.post("/logg-ut-overalt")
    assert response.status_code == 302
    assert not phone_socket.is_connected()  # closed at once, not on the next sweep
    assert phone.get("/").status_code == 302
    assert laptop.get("/").status_code == 302
    entry = db.scalars(
        select(AuditEntry).where(AuditEntry.action == "auth.logout_everywhere")
    ).one()
    assert entry.actor_number == member.number


def test_log_out_everywhere_page_is_for_members(client, db, units, auth):
    assert client.get("/logg-ut").status_code == 302
    member = make_member(db, units["0001"])
    db.commit()
    auth.login(member)
    assert 'href="/logg-ut"' in client.get("/").text  # every page's header links to it
    page = client.get("/logg-ut")
    assert page.status_code == 200
    assert "Logg ut overalt" in page.text


def test_remember_me_lasts_30_days_until_the_epoch_changes(app, client, db, units, auth):
    member = make_member(db, units["0001"])
    db.commit()
    auth.login(member, remember=True)
    remember = client.get_cookie("remember_token")
    assert remember is not None and remember.http_only and remember.same_site == "Lax"
    lifetime = remember.expires - datetime.now(UTC)
    assert timedelta(days=29) < lifetime <= timedelta(days=30)
    # The browser restarted: only the remember cookie is left, and it still lets the member in.
    restarted = app.test_client()
    restarted.set_cookie("remember_token", remember.value)
    assert restarted.get("/").status_code == 200
    end_all_credentials(db, member.number)
    db.commit()
    stolen = app.test_client()
    stolen.set_cookie("remember_token", remember.value)
    assert stolen.get("/").status_code == 302


def test_plain_logout_forgets_the_remember_cookie(client, db, units, auth):
    member = make_member(db, units["0001"])
    db.commit()
    auth.login(member, remember=True)
    auth.logout()
    assert client.get_cookie("remember_token") is None
    assert client.get("/").status_code == 302


def test_unused_code_dies_with_log_out_everywhere(app, client, db, units, auth):
    member = make_member(db, units["0001"])
    db.commit()
    auth.request_code(member.email)  # this browser is waiting with a code
    code = auth.code_from_mail(member.email)
    other = app.test_client()
    AuthActions(app, other).login(member)
    other.post("/logg-ut-overalt")
    assert auth.enter_code(code).status_code == 400
    assert client.get("/").status_code == 302


def test_secure_cookies_over_https(app_config, tmp_path, monkeypatch):
    from innsiden import create_app
    from innsiden.config import load_config

    config = load_config(tmp_path, {"INNSIDEN_BASE_URL": "https://innsiden.example.no"})
    assert config["SESSION_COOKIE_SECURE"] and config["REMEMBER_COOKIE_SECURE"]
    monkeypatch.setenv("INNSIDEN_INSTANCE_PATH", str(tmp_path / "instance"))
    secure = create_app({**app_config, "SESSION_COOKIE_SECURE": config["SESSION_COOKIE_SECURE"]})
    response = secure.test_client().get("/logg-inn", base_url="https://innsiden.example.no")
    cookie = response.headers["Set-Cookie"]
    assert "Secure" in cookie and "HttpOnly" in cookie and "SameSite=Lax" in cookie
    secure.extensions["innsiden.engine"].dispose()


def test_logging_in_without_remember_me_forgets_an_earlier_remember_cookie(app, db, units):
    kari = make_member(db, units["0001"], first_name="Kari")
    ola = make_member(db, units["0001"], first_name="Ola")
    db.commit()
    shared_computer = app.test_client()
    auth = AuthActions(app, shared_computer)
    auth.login(kari, remember=True)
    auth.login(ola, remember=False)
    assert shared_computer.get_cookie("remember_token") is None
    assert "Hei, Ola!" in shared_computer.get("/").text
