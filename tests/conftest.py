"""Fixtures: a migrated database per backend, an app per test on a clean database, members."""

from __future__ import annotations

import email
import email.policy
import threading
import uuid
from collections.abc import Iterator
from email.message import EmailMessage
from pathlib import Path

import psycopg
import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import Engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session
from werkzeug.serving import make_server

from innsiden import create_app, migrate, realtime
from innsiden.auth.session import credential_id
from innsiden.schema import metadata
from membersync.models import Member
from tests import services
from tests.s3 import s3_endpoint  # noqa: F401 - one local S3 server for the whole run


@pytest.fixture(scope="session", params=["sqlite", "postgresql"])
def database_url(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory):
    """A freshly migrated database of each backend, made once per test run."""
    if request.param == "sqlite":
        path = tmp_path_factory.mktemp("sqlite") / "innsiden.db"
        url = f"sqlite:///{path}"
        migrate.upgrade(url)
        yield url
        return
    reason = services.postgres_reachable()
    if reason:
        services.unavailable("postgres", reason)
    yield from _postgres_database()


def _postgres_database() -> Iterator[str]:
    # Each run works in a database of its own and drops it at the end.
    server = make_url(services.POSTGRES_URL)
    name = f"innsiden_test_{uuid.uuid4().hex[:12]}"
    admin = dict(
        host=server.host, port=server.port or 5432, user=server.username,
        password=server.password, dbname=server.database, autocommit=True,
    )  # fmt: skip
    with psycopg.connect(**admin) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    url = server.set(database=name).render_as_string(hide_password=False)
    try:
        migrate.upgrade(url)
        yield url
    finally:
        with psycopg.connect(**admin) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def clean_database(engine: Engine) -> None:
    """Empty every table, so each test starts from a clean database."""
    tables = [t.name for t in reversed(metadata.sorted_tables)]
    if engine.dialect.name == "postgresql":
        _clean_postgres(engine, tables)
        return
    with engine.begin() as conn:
        for table in tables:
            conn.execute(text(f'DELETE FROM "{table}"'))


def _clean_postgres(engine: Engine, tables: list[str]) -> None:
    # TRUNCATE of every table costs 0.4-0.7 s per test; a test fills a handful of tables, so
    # ask once which hold rows and delete only those (dependants first), then restart every
    # sequence as TRUNCATE ... RESTART IDENTITY would.
    probe = " UNION ALL ".join(
        f"SELECT '{t}' AS name WHERE EXISTS (SELECT 1 FROM \"{t}\")" for t in tables
    )
    try:
        with engine.begin() as conn:
            filled = set(conn.execute(text(probe)).scalars())
            for table in tables:
                if table in filled:
                    conn.execute(text(f'DELETE FROM "{table}"'))
            conn.execute(text("SELECT setval(oid, 1, false) FROM pg_class WHERE relkind = 'S'"))
    except Exception:
        # A foreign-key cycle the order cannot satisfy: TRUNCATE handles it.
        quoted = ", ".join(f'"{t}"' for t in tables)
        with engine.begin() as conn:
            conn.execute(text(f"TRUNCATE {quoted} RESTART IDENTITY CASCADE"))


@pytest.fixture
def app_config(database_url: str, tmp_path: Path) -> dict[str, object]:
    """Settings of the test app; a test may change them before asking for `app`."""
    return {
        "TESTING": True,
        "DATABASE_URL": database_url,
        "SECRET_KEY": "test-secret",
        "OUTBOX_DIR": str(tmp_path / "outbox"),
        "UPLOADS_DIR": str(tmp_path / "uploads"),
        "WTF_CSRF_ENABLED": False,
        "BASE_URL": "http://localhost",
        "REGISTER_WEBHOOK_SECRET": "test-webhook-secret",
        "RATELIMIT_ENABLED": False,
    }


@pytest.fixture
def app(app_config: dict[str, object], tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setenv("INNSIDEN_INSTANCE_PATH", str(tmp_path / "instance"))
    application = create_app(app_config)
    engine: Engine = application.extensions["innsiden.engine"]
    clean_database(engine)
    yield application
    realtime.stop(application)
    engine.dispose()


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    return app.test_client()


@pytest.fixture
def db(app: Flask) -> Iterator[Session]:
    """A session for arranging and checking data; tests commit what the app should see.

    No app context stays pushed: each request of the test client gets its own, as in
    production (a shared one would share the request session across requests).
    On SQLite a transaction reads one snapshot: call `db.commit()` before checking what a
    request wrote, and before writing after a request wrote.
    """
    # DEFERRED on SQLite: a test reading between requests must not hold the write lock
    # the next request needs (a writing session would take it at BEGIN).
    with app.extensions["innsiden.read_sessionmaker"]() as session:
        yield session


@pytest.fixture
def outbox(app: Flask) -> Outbox:
    return Outbox(Path(app.config["OUTBOX_DIR"]))


class Outbox:
    """Reads what the portal sent: e-mails (.eml) and SMS (.sms.json), oldest first."""

    def __init__(self, directory: Path) -> None:
        self.directory = directory

    def mails(self, to: str | None = None) -> list[EmailMessage]:
        if not self.directory.exists():
            return []
        found = []
        for path in sorted(self.directory.glob("*.eml")):
            message = email.message_from_bytes(
                path.read_bytes(), _class=EmailMessage, policy=email.policy.default
            )
            if to is None or to in message["To"]:
                found.append(message)
        return found

    def notifications(self, to: str | None = None) -> list[EmailMessage]:
        """Notification e-mails sent at once (a mention, a reply, a changed event), by the
        header they carry: the daily digest is not one of them. A first job run sends every
        member with activity in their groups a digest, so tests about what is mailed at once
        ask this rather than count every mail to an address."""
        return [m for m in self.mails(to) if m["X-Innsiden-Mail"] == "notification"]

    def digests(self, to: str | None = None) -> list[EmailMessage]:
        """Daily digests ("Nytt på Innsiden – …"), by the header they carry."""
        return [m for m in self.mails(to) if m["X-Innsiden-Mail"] == "digest"]

    def without_digests(self, to: str | None = None) -> list[EmailMessage]:
        """Every e-mail but the daily digest: notifications, organisers' messages, codes."""
        return [m for m in self.mails(to) if m["X-Innsiden-Mail"] != "digest"]

    def sms(self, to: str | None = None) -> list[dict[str, str]]:
        import json

        if not self.directory.exists():
            return []
        messages = [json.loads(p.read_text()) for p in sorted(self.directory.glob("*.sms.json"))]
        return [m for m in messages if to is None or m["to"] == to]


def login_as(client: FlaskClient, member: Member) -> None:
    """Give the test client a session of `member`, as a completed login would."""
    with client.session_transaction() as session:
        session["_user_id"] = credential_id(member)
        session["_fresh"] = True


@pytest.fixture
def live_server(app: Flask) -> Iterator[str]:
    """The app served over HTTP on a free local port, for browsers and concurrent clients."""
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    thread.join(timeout=10)


def run_jobs(app: Flask, db: Session) -> dict[str, int]:
    """Run the periodic jobs as `innsiden jobs run` would, with recorded events made old
    enough for the consumers' safety lag (instead of waiting for it)."""
    from datetime import timedelta

    from sqlalchemy import update

    from innsiden import events
    from innsiden.jobs import run_all
    from membersync.db import utcnow

    db.execute(update(events.DomainEvent).values(created_at=utcnow() - timedelta(minutes=1)))
    db.commit()
    return run_all(app)
