"""One SQLAlchemy engine per app and one session per request."""

from __future__ import annotations

from typing import Any

from flask import Flask, current_app, g, has_request_context, request
from sqlalchemy import Engine, create_engine, event
from sqlalchemy.orm import Session, sessionmaker

from membersync.db import Base

__all__ = ["Base", "engine_for_url", "get_session", "init_app"]

SQLITE_BUSY_TIMEOUT_MS = 30_000


def _configure_sqlite(dbapi_connection: Any, _record: Any) -> None:
    # WAL lets readers work while one writer writes; the busy timeout makes writers queue
    # instead of failing with "database is locked" (the lesson from Spirit).
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


def _begin(conn: Any) -> None:
    # Writing transactions take SQLite's write lock at BEGIN, so read-then-write transactions
    # queue on the busy timeout instead of failing on lock upgrade (SQLite's stand-in for row
    # locks). Read-only sessions (GET requests) begin DEFERRED so readers never wait.
    mode = conn.get_execution_options().get("sqlite_begin", "IMMEDIATE")
    conn.exec_driver_sql(f"BEGIN {mode}")


def engine_for_url(url: str, **kwargs: Any) -> Engine:
    """Create an engine with the settings Innsiden needs on SQLite and PostgreSQL."""
    if url.startswith("sqlite"):
        engine = create_engine(
            url,
            connect_args={"check_same_thread": False, "timeout": SQLITE_BUSY_TIMEOUT_MS / 1000},
            **kwargs,
        )
        # Let SQLAlchemy, not pysqlite, decide when transactions begin.
        event.listen(engine, "connect", _configure_sqlite)
        event.listen(
            engine,
            "connect",
            lambda dbapi_connection, _r: setattr(dbapi_connection, "isolation_level", None),
        )
        event.listen(engine, "begin", _begin)
        return engine
    return create_engine(url, pool_pre_ping=True, **kwargs)


def init_app(app: Flask) -> None:
    """Attach an engine and a session factory to the app; close the session after each request."""
    engine = engine_for_url(app.config["DATABASE_URL"])
    app.extensions["innsiden.engine"] = engine
    app.extensions["innsiden.sessionmaker"] = sessionmaker(engine, expire_on_commit=False)
    app.extensions["innsiden.read_sessionmaker"] = sessionmaker(
        engine.execution_options(sqlite_begin="DEFERRED"), expire_on_commit=False
    )
    app.teardown_appcontext(_close_session)


def session_factory(app: Flask | None = None) -> sessionmaker[Session]:
    """The app's session factory, for work outside a request (jobs, CLI, realtime)."""
    return (app or current_app).extensions["innsiden.sessionmaker"]


def get_session() -> Session:
    """The session of the current request or app context, created on first use.

    GET and HEAD requests get a session that reads without taking SQLite's write lock;
    everything else (form posts, API writes, jobs, the CLI) gets a writing session.
    """
    if "db_session" not in g:
        read_only = has_request_context() and request.method in {"GET", "HEAD"}
        key = "innsiden.read_sessionmaker" if read_only else "innsiden.sessionmaker"
        g.db_session = current_app.extensions[key]()
    return g.db_session


def _close_session(_exc: BaseException | None) -> None:
    session: Session | None = g.pop("db_session", None)
    if session is not None:
        session.close()
