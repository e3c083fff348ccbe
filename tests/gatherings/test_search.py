"""Events in search: found by exactly those who may see them, and updated when they change."""

from __future__ import annotations

import pytest

from innsiden.db import session_factory
from innsiden.search import get_engine
from innsiden.search.audiences import allowed_audiences
from innsiden.search.engine import SearchQuery
from tests.gatherings.conftest import create_gathering, run_jobs


@pytest.fixture(autouse=True)
def _close_the_index(app):
    yield
    get_engine(app).close()


def found(app, member, text: str) -> set[str]:
    with app.app_context(), session_factory(app)() as session:
        audiences = allowed_audiences(session, session.get(type(member), member.number))
    return {hit.id for hit in get_engine(app).search(SearchQuery(text, audiences)).hits}


def test_events_are_found_by_their_audience_only(app, db, world):
    kari = world.client(world.kari)
    group = create_gathering(kari, world.bergen, title="Styremøte om budsjettet")
    fylke = create_gathering(
        kari, world.bergen, title="Fylkessamling om budsjettet", audience="fylkeslag"
    )
    whole = create_gathering(
        kari, world.bergen, title="Landskurs om budsjettet", audience="organisation"
    )
    run_jobs(app, db)
    ids = {
        name: f"event:{made['id']}"
        for name, made in (("group", group), ("fylke", fylke), ("whole", whole))
    }
    assert found(app, world.anne, "budsjettet") == set(ids.values())
    assert found(app, world.voss, "budsjettet") == {ids["fylke"], ids["whole"]}
    assert found(app, world.outsider, "budsjettet") == {ids["whole"]}

    kari.post(f"/api/v1/gatherings/{whole['id']}/cancel", json={})
    run_jobs(app, db)
    hits = get_engine(app).search(SearchQuery("landskurs", {"org"})).hits
    assert [h.title.striptags() for h in hits] == ["Avlyst: Landskurs om budsjettet"]
