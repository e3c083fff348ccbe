"""After Redis comes back, live updates resume within seconds: the queue's subscription is
retried at most REDIS_RETRY_MAX_SECONDS apart, however long the outage lasted (python-socketio
itself doubles the wait up to a minute)."""

from __future__ import annotations

import threading

import redis

from innsiden import realtime
from tests.ownredis import OwnRedis


def test_the_live_queue_resubscribes_within_seconds_of_redis_coming_back():
    server = OwnRedis()  # not started: Redis is down
    queue = realtime.RedisQueue(server.url, channel="retry-test", write_only=True)
    waits: list[float] = []
    received = threading.Event()

    def publish_until_received() -> None:
        # A page's live event, sent again until the listener has it (it subscribes meanwhile).
        publisher = redis.Redis.from_url(server.url)
        while not received.wait(0.05):
            publisher.publish("retry-test", b"live event")
        publisher.close()

    def wait(seconds: float) -> None:
        waits.append(seconds)
        if len(waits) == 7:  # an outage of 1 + 2 + 4 + 4 + 4 + 4 s so far: Redis returns
            server.start()
            threading.Thread(target=publish_until_received, daemon=True).start()

    queue.sleep = wait
    try:
        first = next(queue._redis_listen_with_retries())
    finally:
        received.set()
        if server.process is not None:
            server.process.terminate()
            server.process.wait(10)

    assert first["data"] == b"live event"
    assert waits == [1, 2, 4, 4, 4, 4, 4]
