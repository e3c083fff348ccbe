"""While Redis does not answer, every page tells the member that it will not update by itself,
and the notice goes away when Redis is back. Without Redis configured there is nothing to say."""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Iterator

import pytest
import redis

from innsiden.ops import degraded
from tests import services
from tests.conftest import login_as
from tests.factories import make_member, make_small_organisation
from tests.realtime.processes import free_port, wait_until

NOTICE = "Siden oppdaterer seg ikke av seg selv"


class OwnRedis:
    """A redis-server of this test's own, which it may stop and start again."""

    def __init__(self) -> None:
        self.port = free_port()
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.process: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        binary = shutil.which("redis-server")
        assert binary is not None
        self.process = subprocess.Popen(
            [binary, "--bind", "127.0.0.1", "--port", str(self.port), "--save", ""],
            stdout=subprocess.DEVNULL,
        )
        wait_until(self._answers, 10, "redis-server to answer")

    def stop(self) -> None:
        assert self.process is not None
        self.process.terminate()
        self.process.wait(10)
        wait_until(lambda: not self._answers(), 10, "redis-server to stop")

    def _answers(self) -> bool:
        try:
            return bool(redis.Redis.from_url(self.url, socket_connect_timeout=0.2).ping())
        except redis.RedisError:
            return False


@pytest.fixture
def own_redis() -> Iterator[OwnRedis]:
    if shutil.which("redis-server") is None:
        services.unavailable("redis", "redis-server is not installed")
    server = OwnRedis()
    server.start()
    yield server
    if server.process and server.process.poll() is None:
        server.process.terminate()
        server.process.wait(10)


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
