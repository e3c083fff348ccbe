"""With a real membersync run: members log in with the register's own contact data, and a
resignation in the next export ends their session and closes their live connection."""

import pytest

from innsiden import realtime
from innsiden.db import session_factory
from membersync import demo_register
from tests.auth_helpers import AuthActions

sync = pytest.importorskip("membersync.sync")


def _sync(app, register, directory):
    register.write_csv(directory)
    result = sync.run_sync(session_factory(app), str(directory), sync.SyncOptions(trigger="cli"))
    assert result.outcome == "applied", result.summary()


def test_resignation_in_the_register_ends_session_and_socket(app, client, tmp_path):
    register = demo_register.generate(40, lokallag=3)
    _sync(app, register, tmp_path / "register")
    kari = register.members[0]  # Kari Nordmann, aktiv; her mobile is written "+47 912 34 567"
    auth = AuthActions(app, client)
    auth.request_code(kari["mobil"])
    auth.enter_code(auth.code_from_sms("+4791234567"))
    assert "Hei, Kari!" in client.get("/").text
    socket = realtime.socketio.test_client(app, flask_test_client=client)
    assert socket.is_connected()

    kari["status"] = "utmeldt"
    _sync(app, register, tmp_path / "register")

    response = client.get("/")
    assert response.status_code == 302 and "/logg-inn" in response.location
    with app.app_context():
        assert realtime.close_revoked_connections() >= 1
    assert not socket.is_connected()
    # And the code flow now answers her as it answers a stranger: no code.
    before = len(auth.outbox.sms())
    AuthActions(app, app.test_client()).request_code(kari["mobil"])
    assert len(auth.outbox.sms()) == before
