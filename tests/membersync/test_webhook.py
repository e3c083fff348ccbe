"""The register's push: signed, fresh and new deliveries apply; anything else changes nothing."""

import json
import time

import pytest
from sqlalchemy import select

from membersync import webhook
from membersync.models import Member, SyncRun, WebhookDelivery
from tests.conftest import login_as
from tests.membersync.helpers import active_member_row, snapshot, sync

SECRET = "test-webhook-secret"  # as in tests/conftest.py's app_config


def post(client, payload, *, secret=SECRET, timestamp=None, signature=None, headers=None):
    body = json.dumps(payload).encode()
    timestamp = str(int(time.time())) if timestamp is None else timestamp
    sent = {
        webhook.TIMESTAMP_HEADER: timestamp,
        webhook.SIGNATURE_HEADER: signature or webhook.sign(secret, timestamp, body),
    }
    if headers is not None:
        sent = headers
    return client.post(
        "/membersync/webhook", data=body, headers=sent, content_type="application/json"
    )


@pytest.fixture
def synced(factory, register, tmp_path):
    sync(factory, register.write_csv(tmp_path / "first"))
    return register


def updated_event(row, **changes):
    return {"event": "member.updated", "member": {**row, **changes}}


def test_a_signed_update_is_applied_as_a_single_member_run(client, db, synced):
    row = active_member_row(synced)
    response = post(client, updated_event(row, etternavn="Nyttnavn", mobil="004798765432"))

    assert response.status_code == 200, response.json
    assert response.json["outcome"] == "applied"
    db.commit()
    member = db.get(Member, int(row["medlemsnummer"]))
    assert (member.last_name, member.mobile) == ("Nyttnavn", "+4798765432")
    run = db.get(SyncRun, response.json["run"])
    assert (run.trigger, run.mode, run.outcome) == ("webhook", "single", "applied")


def test_a_removed_member_loses_access_at_once(client, app, db, synced):
    row = active_member_row(synced)
    member_client = app.test_client()
    login_as(member_client, db.get(Member, int(row["medlemsnummer"])))
    assert member_client.get("/").status_code == 200

    event = {"event": "member.removed", "member": {"medlemsnummer": row["medlemsnummer"]}}
    response = post(client, event)

    assert response.status_code == 200, response.json
    assert response.json["changes"]["deactivated"] == 1
    assert member_client.get("/").status_code == 302


@pytest.mark.parametrize(
    "fault",
    [
        "wrong signature",
        "wrong secret",
        "missing signature",
        "missing timestamp",
        "stale",
        "tampered",
    ],
)
def test_a_bad_signature_changes_nothing(client, db, synced, fault):
    before = snapshot(db)
    row = active_member_row(synced)
    event = updated_event(row, status="utmeldt")
    body = json.dumps(event).encode()
    now = str(int(time.time()))
    headers = {
        webhook.TIMESTAMP_HEADER: now,
        webhook.SIGNATURE_HEADER: webhook.sign(SECRET, now, body),
    }
    if fault == "wrong signature":
        headers[webhook.SIGNATURE_HEADER] = "sha256=" + "0" * 64
    elif fault == "wrong secret":
        headers[webhook.SIGNATURE_HEADER] = webhook.sign("another secret", now, body)
    elif fault == "missing signature":
        del headers[webhook.SIGNATURE_HEADER]
    elif fault == "missing timestamp":
        del headers[webhook.TIMESTAMP_HEADER]
    elif fault == "stale":
        old = str(int(time.time()) - 600)
        headers = {
            webhook.TIMESTAMP_HEADER: old,
            webhook.SIGNATURE_HEADER: webhook.sign(SECRET, old, body),
        }
    elif fault == "tampered":
        body = json.dumps(updated_event(row, status="avdod")).encode()
    response = client.post(
        "/membersync/webhook", data=body, headers=headers, content_type="application/json"
    )

    assert response.status_code == 401
    assert snapshot(db) == before
    assert db.scalars(select(SyncRun).where(SyncRun.trigger == "webhook")).all() == []


def test_a_replayed_delivery_changes_nothing(client, db, synced):
    row = active_member_row(synced)
    body = json.dumps(updated_event(row, etternavn="Første")).encode()
    now = str(int(time.time()))
    headers = {
        webhook.TIMESTAMP_HEADER: now,
        webhook.SIGNATURE_HEADER: webhook.sign(SECRET, now, body),
    }
    first = client.post(
        "/membersync/webhook", data=body, headers=headers, content_type="application/json"
    )
    assert first.status_code == 200
    # Someone changes the member in between; the replay must not undo it.
    fresh = updated_event(row, etternavn="Andre")
    assert post(client, fresh).status_code == 200
    before = snapshot(db)

    replay = client.post(
        "/membersync/webhook", data=body, headers=headers, content_type="application/json"
    )

    assert replay.status_code == 401
    assert snapshot(db) == before
    assert db.get(Member, int(row["medlemsnummer"])).last_name == "Andre"


def test_expired_deliveries_are_forgotten(client, db, synced, factory):
    from datetime import timedelta

    from membersync.db import utcnow

    with factory() as session:
        session.add(WebhookDelivery(key="old", received_at=utcnow() - timedelta(hours=1)))
        session.commit()
    assert post(client, updated_event(active_member_row(synced))).status_code == 200
    db.commit()
    assert db.get(WebhookDelivery, "old") is None


def test_an_invalid_member_is_refused_and_not_remembered(client, db, synced):
    row = active_member_row(synced)
    response = post(client, updated_event(row, status="sovende"))
    assert response.status_code == 422
    assert "avvist" in response.json["error"]
    db.commit()
    assert db.scalars(select(WebhookDelivery)).all() == []


def test_malformed_events_are_answered_400(client, synced):
    assert post(client, {"event": "member.exploded", "member": {}}).status_code == 400
    body = b"not json"
    now = str(int(time.time()))
    headers = {
        webhook.TIMESTAMP_HEADER: now,
        webhook.SIGNATURE_HEADER: webhook.sign(SECRET, now, body),
    }
    response = client.post("/membersync/webhook", data=body, headers=headers)
    assert response.status_code == 400


@pytest.fixture
def app_without_secret(app_config):
    app_config["REGISTER_WEBHOOK_SECRET"] = ""


def test_without_a_secret_the_webhook_does_not_exist(app_without_secret, client, synced):
    response = post(client, updated_event(active_member_row(synced)), secret="")
    assert response.status_code == 404
