"""`INNSIDEN_SEARCH` chooses the engine; a choice the database cannot serve stops the start."""

from __future__ import annotations

import pytest

from innsiden import create_app
from innsiden.search import get_engine
from innsiden.search.index import WhooshEngine
from innsiden.search.pgengine import PostgresEngine


def start(database_url, tmp_path, monkeypatch, engine):
    monkeypatch.setenv("INNSIDEN_INSTANCE_PATH", str(tmp_path / "instance"))
    config = {"TESTING": True, "DATABASE_URL": database_url, "SECRET_KEY": "test-secret"}
    if engine is not None:
        config["SEARCH_ENGINE"] = engine
    return create_app(config)


def test_whoosh_is_the_default_and_postgres_needs_postgresql(database_url, tmp_path, monkeypatch):
    app = start(database_url, tmp_path, monkeypatch, None)
    assert isinstance(get_engine(app), WhooshEngine)
    app.extensions["innsiden.engine"].dispose()
    if database_url.startswith("sqlite"):
        with pytest.raises(RuntimeError, match="INNSIDEN_SEARCH=postgres needs DATABASE_URL"):
            start(database_url, tmp_path, monkeypatch, "postgres")
    else:
        app = start(database_url, tmp_path, monkeypatch, "postgres")
        assert isinstance(get_engine(app), PostgresEngine)
        app.extensions["innsiden.engine"].dispose()


def test_an_unknown_engine_is_refused_at_start(database_url, tmp_path, monkeypatch):
    with pytest.raises(RuntimeError, match="choose one of whoosh, postgres"):
        start(database_url, tmp_path, monkeypatch, "elastic")
