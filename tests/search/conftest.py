"""A small organisation with content written through the portal, for the search page tests.

Every test here runs on each search engine its database allows: Whoosh on SQLite and on
PostgreSQL, and the PostgreSQL engine (`INNSIDEN_SEARCH=postgres`) on PostgreSQL.

Bergen lokallag (Kari leads, Anne is a member), Voss lokallag (Vera) in the same fylkeslag,
Oslo lokallag (Ola) in another, and a portal administrator (Siri, in Oslo). Each test has
its own search index (the app's instance directory is the test's tmp_path); the engine is
closed at teardown so Whoosh leaves no open files behind.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy.orm import Session

from innsiden.db import session_factory
from innsiden.groups import interest
from innsiden.groups.anchors import location_group_ids
from innsiden.groups.models import GroupMembership
from innsiden.search import get_engine
from membersync.models import Member
from tests.conftest import run_jobs
from tests.factories import make_member, make_small_organisation
from tests.groups.helpers import client_for


@dataclass
class World:
    app: Flask
    db: Session
    bergen: int  # group ids of the location groups
    voss: int
    oslo: int
    kari: Member
    anne: Member
    vera: Member
    ola: Member
    siri: Member  # portal administrator

    def client(self, member: Member) -> FlaskClient:
        return client_for(self.app, member)

    def index(self) -> None:
        """Run the index job, as the follower does every second."""
        run_jobs(self.app, self.db)

    def interest_group(self, members: tuple[Member, ...] = (), **fields: Any) -> int:
        """An interest group made by the administrator through the groups service."""
        with self.app.test_request_context(), session_factory(self.app)() as session:
            actor = session.get(Member, self.siri.number)
            group = interest.create_interest_group(session, actor, **fields)
            for member in members:
                session.add(GroupMembership(group_id=group.id, member_number=member.number))
            session.commit()
            return group.id


ENGINES = ("whoosh", "postgres")


@pytest.fixture(params=ENGINES)
def search_engine_name(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture
def app_config(app_config: dict[str, object], search_engine_name: str) -> dict[str, object]:
    return {**app_config, "SEARCH_ENGINE": search_engine_name}


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Leave out the postgres engine on SQLite (it refuses to start there), and the pure
    engine tests (no app) of Whoosh on PostgreSQL (Whoosh never touches the database)."""
    here = str(Path(__file__).parent)
    kept, dropped = [], []
    for item in items:
        params = getattr(getattr(item, "callspec", None), "params", {})
        engine, database = params.get("search_engine_name"), params.get("database_url")
        pure = item.module is not None and item.module.__name__.endswith("test_engine")
        skip = str(item.path).startswith(here) and (
            (engine == "postgres" and database == "sqlite")
            or (pure and engine == "whoosh" and database == "postgresql")
        )
        (dropped if skip else kept).append(item)
    if dropped:
        config.hook.pytest_deselected(items=dropped)
        items[:] = kept


@pytest.fixture
def world(app: Flask, db: Session) -> Iterator[World]:
    units = make_small_organisation(db)
    kari = make_member(
        db, units["0001"], first_name="Kari", last_name="Nordmann", roles=["lokallagsleder@0001"]
    )
    anne = make_member(db, units["0001"], first_name="Anne", last_name="Berg")
    vera = make_member(db, units["0002"], first_name="Vera", last_name="Vik")
    ola = make_member(db, units["0301"], first_name="Ola", last_name="Oslo")
    siri = make_member(
        db, units["0301"], first_name="Siri", last_name="Sentral", roles=["sentraladmin@S"]
    )
    db.commit()
    ids = location_group_ids(db, ["0001", "0002", "0301"])
    db.commit()
    yield World(app, db, ids["0001"], ids["0002"], ids["0301"], kari, anne, vera, ola, siri)
    get_engine(app).close()
