"""Search: find any discussion, event, file or group the member may see.

Callers use the engine-neutral types in `innsiden.search.engine` and `get_engine(app)`;
capabilities feed the index by registering builders in `innsiden.search.indexer`. The Whoosh
engine (`innsiden.search.index`) is the only module that knows the library.
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
    "unit_audience",
]

EXTENSION = "innsiden.search"


def get_engine(app: Flask | None = None) -> SearchEngine:
    """The app's search engine (one per process: it keeps a long-lived searcher)."""
    app = app or current_app._get_current_object()  # type: ignore[attr-defined]
    engine: SearchEngine | None = app.extensions.get(EXTENSION)
    if engine is None:
        from innsiden.search.index import WhooshEngine

        engine = app.extensions.setdefault(EXTENSION, WhooshEngine(app.config["SEARCH_DIR"]))
    return engine
