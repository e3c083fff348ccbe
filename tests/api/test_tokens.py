"""Personal access tokens: made under Min profil, stored hashed, bound to the access epoch,
accepted only as a bearer token on /api/v1, read-only unless given write scopes, limited per
token, and listed and revoked by portal administrators."""

from __future__ import annotations

import hashlib
import re
from datetime import timedelta

import pytest
from sqlalchemy import select, update

from innsiden.auth import service as auth_service
from innsiden.auth.models import ApiToken
from innsiden.auth.tokens import TOKEN_PREFIX, write_scope
from innsiden.db import session_factory
from membersync import demo_register
from membersync.db import utcnow
from tests.api.conftest import bearer, make_token
from tests.conftest import login_as

SECRET = re.compile(r"inn_[A-Za-z0-9_\-]{43}")


def test_a_member_makes_a_token_that_is_shown_once_and_stored_hashed(client, db, kari):
    login_as(client, kari)
    made = client.post(
        "/min-profil/api-nokler",
        data={"name": "Lagets nettside", "days": "90", "scopes": ["gatherings:write"]},
    )
    assert made.status_code == 201
    secret = SECRET.search(made.text).group(0)
    assert client.get("/min-profil/api-nokler").text.count(secret) == 0  # shown once

    row = db.scalars(select(ApiToken)).one()
    assert row.token_hash == hashlib.sha256(secret.encode()).hexdigest()
    assert secret not in (row.prefix, row.name, row.scopes) and secret.startswith(row.prefix)
    assert row.scope_list == ["gatherings:write"] and row.last_used_at is None

    api = client.application.test_client()  # no cookie: the token alone
    me = api.get("/api/v1/me", headers=bearer(secret))
    assert me.status_code == 200 and me.json["number"] == kari.number
    assert "session" not in me.headers.get("Set-Cookie", "")  # never becomes a session
    assert api.get("/api/v1/me").status_code == 401
    db.commit()
    db.expire_all()
    assert db.get(ApiToken, row.id).last_used_at is not None
    assert "Aldri" not in client.get("/min-profil/api-nokler").text


def test_bad_input_is_refused_with_the_form_kept(client, kari):
    login_as(client, kari)
    refused = client.post("/min-profil/api-nokler", data={"name": " ", "days": "7"})
    assert refused.status_code == 400 and not SECRET.search(refused.text)


def test_a_token_never_opens_an_html_page(app, db, kari):
    secret = make_token(db, kari)
    client = app.test_client()
    page = client.get("/", headers=bearer(secret))
    assert page.status_code == 302 and "/logg-inn" in page.location
    assert client.get("/min-profil", headers=bearer(secret)).status_code == 302


def test_with_a_bearer_header_the_session_cookie_counts_for_nothing(client, kari):
    login_as(client, kari)
    assert client.get("/api/v1/me").status_code == 200
    refused = client.get("/api/v1/me", headers=bearer(TOKEN_PREFIX + "x" * 43))
    assert refused.status_code == 401 and refused.json["code"] == "invalid_token"


def _write_urls(app):
    for rule in app.url_map.iter_rules():
        if not rule.rule.startswith("/api/v1/"):
            continue
        url = re.sub(r"<int:\w+>", "1", rule.rule)
        url = re.sub(r"<(?:\w+:)?\w+>", "x", url)
        for method in sorted(set(rule.methods) - {"GET", "HEAD", "OPTIONS"}):
            yield method, url, rule.endpoint


def test_a_read_only_token_is_refused_on_every_write(app, client, db, kari):
    secret = make_token(db, kari)
    writes = list(_write_urls(app))
    assert len(writes) > 30
    for method, url, endpoint in writes:
        response = client.open(url, method=method, headers=bearer(secret), json={})
        assert response.status_code == 403, (method, url)
        assert response.json["code"] == "insufficient_scope", (method, url, endpoint)
    assert client.get("/api/v1/notifications", headers=bearer(secret)).status_code == 200


def test_a_write_scope_opens_its_own_capability_only(client, db, kari):
    secret = make_token(db, kari, scopes=("notifications:write",))
    assert write_scope("notifications_api") == "notifications:write"
    marked = client.post("/api/v1/notifications/read-all", headers=bearer(secret))
    assert marked.status_code == 200 and marked.json == {"marked": 0}
    other = client.post("/api/v1/discussions/groups/1/threads", headers=bearer(secret), json={})
    assert other.status_code == 403
    # Logging out everywhere is no scope a token can have.
    assert client.post("/api/v1/auth/logout-everywhere", headers=bearer(secret)).status_code == 403


def test_a_token_dies_with_log_out_everywhere_suspension_expiry_and_revocation(
    client, db, kari, admin
):
    everywhere, expired, revoked = (make_token(db, kari) for _ in range(3))
    me = "/api/v1/me"
    assert all(client.get(me, headers=bearer(s)).status_code == 200 for s in (everywhere, revoked))

    db.execute(update(ApiToken).where(ApiToken.prefix == expired[:10]).values(
        expires_at=utcnow() - timedelta(seconds=1)))  # fmt: skip
    db.commit()
    db.expire_all()
    assert client.get(me, headers=bearer(expired)).status_code == 401

    row = db.scalars(select(ApiToken).where(ApiToken.prefix == revoked[:10])).one()
    login_as(client, kari)
    client.post(f"/min-profil/api-nokler/{row.id}/trekk-tilbake")
    assert client.get(me, headers=bearer(revoked)).status_code == 401

    assert client.post("/api/v1/auth/logout-everywhere").status_code == 200
    assert client.get(me, headers=bearer(everywhere)).status_code == 401
    db.commit()
    db.expire_all()
    login_as(client, db.get(type(kari), kari.number))  # a new login, under the new epoch
    page = client.get("/min-profil/api-nokler").text
    assert "Trukket tilbake" in page and "Utløpt" in page and "Virker ikke lenger" in page

    fresh = make_token(db, db.get(type(kari), kari.number))
    assert client.get(me, headers=bearer(fresh)).status_code == 200
    auth_service.suspend(db, db.get(type(admin), admin.number), kari.number, "test")
    db.commit()
    db.expire_all()
    assert client.get(me, headers=bearer(fresh)).status_code == 401


def test_a_token_of_a_member_the_register_removes_is_refused_after_the_sync(app, tmp_path):
    sync = pytest.importorskip("membersync.sync")
    register = demo_register.generate(40, lokallag=3)  # one resignation is under the 5 % brake

    def run() -> None:
        register.write_csv(tmp_path / "register")
        options = sync.SyncOptions(trigger="cli")
        result = sync.run_sync(session_factory(app), str(tmp_path / "register"), options)
        assert result.outcome == "applied", result.summary()

    run()
    member_number = int(register.members[0]["medlemsnummer"])
    with session_factory(app)() as db:
        from membersync.models import Member

        secret = make_token(db, db.get(Member, member_number))
    client = app.test_client()
    assert client.get("/api/v1/me", headers=bearer(secret)).status_code == 200
    register.members[0]["status"] = "utmeldt"
    run()
    assert client.get("/api/v1/me", headers=bearer(secret)).status_code == 401


def test_each_token_has_a_rate_limit_of_its_own(app_config, db, kari, monkeypatch, tmp_path):
    from innsiden import create_app

    monkeypatch.setenv("INNSIDEN_INSTANCE_PATH", str(tmp_path / "limited"))
    limited = create_app(
        {**app_config, "RATELIMIT_ENABLED": True, "API_TOKEN_RATE_LIMIT": "3/minute"}
    )
    first, second = make_token(db, kari), make_token(db, kari)
    client = limited.test_client()
    codes = [client.get("/api/v1/me", headers=bearer(first)).status_code for _ in range(4)]
    assert codes == [200, 200, 200, 429]
    assert client.get("/api/v1/me", headers=bearer(second)).status_code == 200
    limited.extensions["innsiden.engine"].dispose()


def test_administrators_list_and_revoke_every_members_tokens(app, client, db, kari, admin):
    secret = make_token(db, kari, name="Kalender-skript")
    login_as(client, kari)
    assert client.get("/admin/api-nokler").status_code in {403, 404}
    row = db.scalars(select(ApiToken)).one()
    assert client.post(f"/admin/api-nokler/{row.id}/trekk-tilbake").status_code in {403, 404}

    other = app.test_client()
    login_as(other, admin)
    listing = other.get("/admin/api-nokler")
    assert listing.status_code == 200 and "Kalender-skript" in listing.text
    assert secret not in listing.text
    other.post(f"/admin/api-nokler/{row.id}/trekk-tilbake")
    assert client.get("/api/v1/me", headers=bearer(secret)).status_code == 401
    # A member cannot revoke someone else's token: it looks like no token at all.
    db.commit()
    mine = make_token(db, db.get(type(admin), admin.number))
    theirs = db.scalars(select(ApiToken).where(ApiToken.prefix == mine[:10])).one()
    assert client.post(f"/min-profil/api-nokler/{theirs.id}/trekk-tilbake").status_code == 404
