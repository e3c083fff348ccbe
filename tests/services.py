"""Finding the real local servers the suite runs against (PostgreSQL, Redis, Chromium, nginx).

A server that is not reachable makes its tests skip with the reason — unless the run says
the server must be there (INNSIDEN_REQUIRE_SERVICES, set by .ci/run), then they fail.
"""

from __future__ import annotations

import os
import shutil
import socket

import pytest

POSTGRES_URL = os.environ.get(
    "INNSIDEN_TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test"
)
REDIS_URL = os.environ.get("INNSIDEN_TEST_REDIS_URL", "redis://127.0.0.1:6379/15")
CHROMIUM = os.environ.get("INNSIDEN_TEST_CHROMIUM", "/usr/bin/chromium")
REQUIRED = {s.strip() for s in os.environ.get("INNSIDEN_REQUIRE_SERVICES", "").split(",") if s}


def unavailable(service: str, reason: str) -> None:
    """Skip the test, or fail it where this run requires the service."""
    if service in REQUIRED:
        pytest.fail(f"{service} is required for this run but {reason}")
    pytest.skip(f"{service} not available: {reason}")


def port_open(host: str, port: int) -> bool:
    try:
        with socket.create_connection((host, port), timeout=1):
            return True
    except OSError:
        return False


def postgres_reachable() -> str | None:
    """None if PostgreSQL answers, else why not."""
    import psycopg
    from sqlalchemy.engine import make_url

    url = make_url(POSTGRES_URL)
    try:
        psycopg.connect(
            host=url.host, port=url.port or 5432, user=url.username, dbname=url.database,
            password=url.password, connect_timeout=3,
        ).close()  # fmt: skip
    except psycopg.Error as error:
        return str(error).strip() or type(error).__name__
    return None


def redis_reachable() -> str | None:
    import redis

    try:
        redis.Redis.from_url(REDIS_URL, socket_connect_timeout=2).ping()
    except redis.RedisError as error:
        return str(error)
    return None


def chromium_path() -> str | None:
    if os.path.exists(CHROMIUM):
        return CHROMIUM
    return shutil.which("chromium") or shutil.which("chromium-browser")
