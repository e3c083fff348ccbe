"""Fixtures of the operations tests."""

from tests.ownredis import own_redis  # noqa: F401 - a redis-server the test may stop
