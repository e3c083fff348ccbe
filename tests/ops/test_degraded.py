"""While Redis does not answer, every page tells the member that it will not update by itself,
and the notice goes away when Redis is back. Without Redis configured there is nothing to say."""

from __future__ import annotations

import pytest

from innsiden.ops import degraded
from tests.conftest import login_as
from tests.factories import make_member, make_small_organisation

NOTICE = "Siden oppdaterer seg ikke av seg selv"


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def app_config(app_config, own_redis):
    return {**app_config, "REDIS_URL": own_redis.url}


def test_pages_say_live_updates_are_down_while_redis_does_not_answer(app, db, own_redis):
    units = make_small_organisation(db)
    member = make_member(db, units["0001"])
    db.commit()
    clock = Clock()
    checker = degraded.health(app)
    assert checker is not None
    checker.clock = clock
    client = app.test_client()
    login_as(client, member)

    assert NOTICE not in client.get("/").get_data(as_text=True)

    own_redis.stop()
    # The answer is kept for PROBE_INTERVAL: pages do not ask Redis on every request.
    assert NOTICE not in client.get("/").get_data(as_text=True)
    clock.now += degraded.PROBE_INTERVAL
    assert NOTICE in client.get("/").get_data(as_text=True)
    assert NOTICE in client.get("/grupper/").get_data(as_text=True)

    own_redis.start()
    clock.now += degraded.PROBE_INTERVAL
    assert NOTICE not in client.get("/").get_data(as_text=True)


def test_without_redis_configured_nothing_is_probed_or_shown(app_config, db, tmp_path, monkeypatch):
    from innsiden import create_app, realtime

    monkeypatch.setenv("INNSIDEN_INSTANCE_PATH", str(tmp_path / "plain"))
    portal = create_app({**app_config, "REDIS_URL": ""})
    units = make_small_organisation(db)
    member = make_member(db, units["0001"])
    db.commit()
    client = portal.test_client()
    login_as(client, member)

    try:
        assert degraded.health(portal) is None
        assert NOTICE not in client.get("/").get_data(as_text=True)
    finally:
        realtime.stop(portal)
        portal.extensions["innsiden.engine"].dispose()
