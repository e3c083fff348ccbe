"""One SQLAlchemy engine per app and one session per request."""

from __future__ import annotations

from flask import Flask, current_app, g, has_request_context, request
from sqlalchemy.orm import Session, sessionmaker

# The engine settings live in membersync, so its command line gets the same ones.
from membersync.db import SQLITE_BUSY_TIMEOUT_MS, Base, engine_for_url

__all__ = ["SQLITE_BUSY_TIMEOUT_MS", "Base", "engine_for_url", "get_session", "init_app"]


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
