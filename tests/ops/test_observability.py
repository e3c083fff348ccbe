"""What an operator's tools see: Prometheus metrics (only where allowed), a readiness answer
naming what failed, and a request id shared by the response and every log line."""

from __future__ import annotations

import json
import logging

import pytest
from prometheus_client.parser import text_string_to_metric_families

from innsiden import events
from innsiden.ops import requestlog
from membersync.models import SyncRun
from tests.conftest import login_as
from tests.factories import make_member, make_small_organisation


def _samples(text: str) -> dict[tuple[str, tuple[tuple[str, str], ...]], float]:
    found = {}
    for family in text_string_to_metric_families(text):
        for sample in family.samples:
            found[(sample.name, tuple(sorted(sample.labels.items())))] = sample.value
    return found


def test_metrics_are_off_by_default(app_config, tmp_path, monkeypatch):
    from innsiden import create_app

    monkeypatch.setenv("INNSIDEN_INSTANCE_PATH", str(tmp_path / "other"))
    assert create_app(app_config).test_client().get("/metrics").status_code == 404


@pytest.fixture
def app(app):
    app.config["METRICS_TOKEN"] = "s3cret-scraper-token"
    return app


def test_metrics_need_the_token_or_an_allowed_address(app, client):
    assert client.get("/metrics").status_code == 404
    wrong = client.get("/metrics", headers={"Authorization": "Bearer guess"})
    assert wrong.status_code == 404
    app.config["METRICS_ALLOW"] = ["127.0.0.0/8"]
    from_loopback = client.get("/metrics", environ_base={"REMOTE_ADDR": "127.0.0.1"})
    assert from_loopback.status_code == 200
    elsewhere = client.get("/metrics", environ_base={"REMOTE_ADDR": "192.0.2.7"})
    assert elsewhere.status_code == 404


def test_metrics_show_latency_by_route_lag_outbox_and_sync_runs(app, client, db):
    units = make_small_organisation(db)
    kari = make_member(db, units["0001"], first_name="Kari")
    db.add(SyncRun(source="register.csv", trigger="cron", outcome="applied"))
    db.add(SyncRun(source="register.csv", trigger="cron", outcome="failed"))
    events.record(db, "test.nothing")
    db.commit()
    login_as(client, kari)
    assert client.get("/varsler").status_code == 200
    client.get("/finnes-ikke")

    response = client.get("/metrics", headers={"Authorization": "Bearer s3cret-scraper-token"})
    assert response.status_code == 200
    assert response.content_type.startswith("text/plain")
    samples = _samples(response.text)
    route = (("endpoint", "notifications.index"), ("method", "GET"), ("status", "200"))
    count = next(
        v for (name, labels), v in samples.items()
        if name == "innsiden_request_duration_seconds_count"
        and labels == route
    )  # fmt: skip
    assert count >= 1
    unmatched = [
        labels for (name, labels), _v in samples.items()
        if name == "innsiden_request_duration_seconds_count"
        and ("endpoint", "unmatched") in labels
    ]  # fmt: skip
    assert unmatched  # an unknown path is one route, not one label per path
    assert samples[("innsiden_sync_runs_total", (("outcome", "applied"),))] == 1
    assert samples[("innsiden_sync_runs_total", (("outcome", "failed"),))] == 1
    assert ("innsiden_outbox_queue", (("kind", "notification_email"),)) in samples
    assert ("innsiden_socketio_connections", ()) in samples
    # The event above is not consumed yet: every consumer with a cursor is behind by it.
    lag = {k: v for k, v in samples.items() if k[0] == "innsiden_consumer_events_behind"}
    assert all(v >= 1 for v in lag.values())


def test_ready_answers_200_when_everything_answers(client):
    response = client.get("/klar")
    assert response.status_code == 200
    assert response.get_json()["checks"] == {
        "database": "ok",
        "redis": "not configured",
        "storage": "ok",
    }
    assert client.get("/ready").status_code == 200


def test_ready_answers_503_naming_what_failed(app, client, tmp_path):
    app.config["REDIS_URL"] = "redis://127.0.0.1:1/0"  # nothing listens there
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("x")
    app.extensions["innsiden.storage"].root = blocker
    response = client.get("/klar")
    assert response.status_code == 503
    assert response.get_json()["failed"] == ["redis", "storage"]
    assert response.get_json()["checks"]["database"] == "ok"


def test_request_id_is_taken_or_made_echoed_and_logged(app, client, caplog):
    given = client.get("/klar", headers={"X-Request-Id": "nginx-4f2a9c1e77"})
    assert given.headers["X-Request-Id"] == "nginx-4f2a9c1e77"
    made = client.get("/klar", headers={"X-Request-Id": "<script>"})
    assert made.headers["X-Request-Id"] != "<script>"
    assert len(made.headers["X-Request-Id"]) == 32

    # A request that logs: readiness names the dependency that failed.
    app.config["REDIS_URL"] = "redis://127.0.0.1:1/0"
    handler = logging.Handler()
    handler.addFilter(requestlog.RequestIdFilter())
    handler.setFormatter(requestlog.JsonFormatter())
    lines: list[str] = []
    handler.emit = lambda record: lines.append(handler.format(record))  # type: ignore[method-assign]
    logger = logging.getLogger("innsiden.ops.readiness")
    logger.addHandler(handler)
    try:
        response = client.get("/klar", headers={"X-Request-Id": "abc-123-def-456"})
    finally:
        logger.removeHandler(handler)
    assert response.headers["X-Request-Id"] == "abc-123-def-456"
    entry = json.loads(lines[-1])
    assert entry["request_id"] == "abc-123-def-456"
    assert entry["level"] == "WARNING"
    assert entry["message"].startswith("readiness: redis failed")
    assert entry["path"] == "/klar"
