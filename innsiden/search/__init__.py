"""Search: find any discussion, event, file or group the member may see.

Callers use the engine-neutral types in `innsiden.search.engine` and `get_engine(app)`;
capabilities feed the index by registering builders in `innsiden.search.indexer`. Two
engines, chosen by `INNSIDEN_SEARCH`: "whoosh" (the default, an index on this server's disk,
`innsiden.search.index` is the only module that knows the library) and "postgres" (one
index in the database for every server, `innsiden.search.pgengine`).
"""

from __future__ import annotations

from flask import Flask, current_app

from innsiden.search.engine import (
    KINDS,
    ORG,
    Delete,
    SearchDocument,
    SearchEngine,
    SearchHit,
    SearchQuery,
    SearchResults,
    group_audience,
    unit_audience,
)

__all__ = [
    "KINDS",
    "ORG",
    "Delete",
    "SearchDocument",
    "SearchEngine",
    "SearchHit",
    "SearchQuery",
    "SearchResults",
    "get_engine",
    "group_audience",
    "init_app",
    "make_engine",
    "unit_audience",
]

EXTENSION = "innsiden.search"
ENGINES = ("whoosh", "postgres")


def engine_name(app: Flask) -> str:
    return str(app.config.get("SEARCH_ENGINE") or "whoosh")


def make_engine(app: Flask) -> SearchEngine:
    """A new engine as configured (`get_engine` keeps one per process)."""
    if engine_name(app) == "postgres":
        from innsiden.search.pgengine import PostgresEngine

        return PostgresEngine(app.extensions["innsiden.engine"])
    from innsiden.search.index import WhooshEngine

    return WhooshEngine(app.config["SEARCH_DIR"])


def get_engine(app: Flask | None = None) -> SearchEngine:
    """The app's search engine (one per process: Whoosh keeps a long-lived searcher)."""
    app = app or current_app._get_current_object()  # type: ignore[attr-defined]
    engine: SearchEngine | None = app.extensions.get(EXTENSION)
    if engine is None:
        engine = app.extensions.setdefault(EXTENSION, make_engine(app))
    return engine


def check_setting(app: Flask) -> None:
    """Refuse to start with an unknown engine, or the postgres engine without PostgreSQL."""
    name = engine_name(app)
    if name not in ENGINES:
        raise RuntimeError(f"INNSIDEN_SEARCH={name!r}: choose one of {', '.join(ENGINES)}")
    dialect = app.extensions["innsiden.engine"].dialect.name
    if name == "postgres" and dialect != "postgresql":
        raise RuntimeError(
            f"INNSIDEN_SEARCH=postgres needs DATABASE_URL to be PostgreSQL (it is {dialect}); "
            "use INNSIDEN_SEARCH=whoosh with SQLite"
        )


def init_app(app: Flask) -> None:
    """Register the search page and API, and the job that feeds the index."""
    check_setting(app)
    from innsiden.search import api, indexer, views  # noqa: F401 - indexer: the job

    app.register_blueprint(views.bp)
    app.register_blueprint(api.bp)
