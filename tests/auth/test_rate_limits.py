"""Sending codes and guessing them are limited per identifier and per client address."""

import uuid

import pytest

from tests import services
from tests.auth_helpers import AuthActions
from tests.factories import make_member


@pytest.fixture
def app_config(app_config):
    return {
        **app_config,
        "RATELIMIT_ENABLED": True,
        "LOGIN_SEND_LIMIT_PER_IDENTIFIER": "3/10 minutes",
        "LOGIN_SEND_LIMIT_PER_ADDRESS": "6/hour",
        "LOGIN_GUESS_LIMIT_PER_IDENTIFIER": "3/10 minutes",
    }


def _send_until_limited(app, typed: str, times: int, address: str = "127.0.0.1") -> list[int]:
    client = app.test_client()
    client.environ_base["REMOTE_ADDR"] = address
    return [client.post("/logg-inn", data={"identifier": typed}).status_code for _ in range(times)]


def test_send_limit_per_identifier_stops_sending(app, db, units, outbox):
    member = make_member(db, units["0001"])
    db.commit()
    # A new browser each time: the limit follows the identifier, not the cookie.
    statuses = [_send_until_limited(app, member.email, 1)[0] for _ in range(3)]
    assert statuses == [302, 302, 302]
    limited = app.test_client().post("/logg-inn", data={"identifier": member.email.upper()})
    assert limited.status_code == 429
    assert "Du har bedt om for mange koder" in limited.text
    assert len(outbox.mails(to=member.email)) == 3  # nothing more was sent


def test_send_limit_looks_the_same_for_strangers(app, db, units):
    member = make_member(db, units["0001"])
    db.commit()
    for_member = _send_until_limited(app, member.email, 4, "192.0.2.1")
    for_stranger = _send_until_limited(app, "ukjent@example.no", 4, "192.0.2.2")
    assert for_member == for_stranger == [302, 302, 302, 429]


def test_send_limit_per_client_address(app, db, units, outbox):
    members = [make_member(db, units["0001"]) for _ in range(7)]
    db.commit()
    client = app.test_client()
    statuses = [client.post("/logg-inn", data={"identifier": m.email}).status_code for m in members]
    assert statuses == [302] * 6 + [429]
    assert len(outbox.mails()) == 6


def test_guess_limit_per_identifier(app, db, units):
    member = make_member(db, units["0001"])
    db.commit()
    auth = AuthActions(app, app.test_client())
    auth.request_code(member.email)
    code = auth.code_from_mail(member.email)
    wrong = "000000" if code != "000000" else "111111"
    assert [auth.enter_code(wrong).status_code for _ in range(3)] == [400, 400, 400]
    limited = auth.enter_code(code)
    assert limited.status_code == 429
    assert "Du har prøvd for mange koder" in limited.text
    assert auth.client.get("/").status_code == 302


def test_limit_answer_is_json_for_the_api_style_client(app):
    client = app.test_client()
    for _ in range(3):
        client.post("/logg-inn", data={"identifier": "x@example.no"})
    response = client.post(
        "/logg-inn", data={"identifier": "x@example.no"}, headers={"Accept": "application/json"}
    )
    assert response.status_code == 429
    assert response.json["code"] == "rate_limited"


@pytest.mark.redis
def test_limits_are_shared_through_redis(app_config, tmp_path, monkeypatch, db, units):
    reason = services.redis_reachable()
    if reason:
        services.unavailable("redis", reason)
    from innsiden import create_app

    config = {
        **app_config,
        "RATELIMIT_STORAGE_URI": services.REDIS_URL,
        "RATELIMIT_KEY_PREFIX": f"test-{uuid.uuid4().hex}",
    }
    monkeypatch.setenv("INNSIDEN_INSTANCE_PATH", str(tmp_path / "instance2"))
    member = make_member(db, units["0001"])
    db.commit()
    first = create_app(config)
    assert _send_until_limited(first, member.email, 3) == [302, 302, 302]
    # A process started afterwards has fresh storage of its own, yet sees the same counters.
    second = create_app(config)
    assert _send_until_limited(second, member.email, 1) == [429]
    for other in (first, second):
        other.extensions["innsiden.engine"].dispose()


def test_with_the_shared_storage_down_logging_in_works_and_stays_limited(
    app_config, tmp_path, monkeypatch, db, units, outbox
):
    # Redis stopped (nothing listens on port 1): each process counts on its own meanwhile.
    from innsiden import create_app

    monkeypatch.setenv("INNSIDEN_INSTANCE_PATH", str(tmp_path / "redis-down"))
    down = create_app(
        {
            **app_config,
            "RATELIMIT_STORAGE_URI": "redis://127.0.0.1:1/0",
            "RATELIMIT_KEY_PREFIX": f"test-{uuid.uuid4().hex}",  # the fallback is per process
        }
    )
    member = make_member(db, units["0001"])
    db.commit()
    assert _send_until_limited(down, member.email, 4) == [302, 302, 302, 429]
    assert len(outbox.mails(to=member.email)) == 3
    down.extensions["innsiden.engine"].dispose()


def test_behind_a_proxy_each_client_counts_alone(app_config, tmp_path, monkeypatch):
    from innsiden import create_app

    monkeypatch.setenv("INNSIDEN_INSTANCE_PATH", str(tmp_path / "proxied"))
    proxied = create_app({**app_config, "TRUSTED_PROXIES": 1})
    client = proxied.test_client()

    def send(address: str, times: int) -> list[int]:
        return [
            client.post(
                "/logg-inn",
                data={"identifier": f"x{n}@example.no"},
                headers={"X-Forwarded-For": address},
            ).status_code
            for n in range(times)
        ]

    assert send("198.51.100.1", 7)[-1] == 429
    assert send("198.51.100.2", 1) == [302]
    proxied.extensions["innsiden.engine"].dispose()
