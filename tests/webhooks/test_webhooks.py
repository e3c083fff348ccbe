"""Outgoing webhooks: an administrator registers a receiver; news and events for the whole
organisation reach it signed, retried after a failure, never with a group's content."""

from __future__ import annotations

import hashlib
import hmac
import json
import re
from datetime import timedelta

from sqlalchemy import func, select, update

from innsiden import events
from innsiden.audit import AuditEntry
from innsiden.webhooks.delivery import BACKOFF
from innsiden.webhooks.models import Webhook, WebhookDelivery
from membersync.db import utcnow
from tests.content.conftest import Org, client_for, publish
from tests.gatherings.conftest import create_gathering, reply
from tests.groups.helpers import make_interest_group
from tests.webhooks.conftest import Receiver, make_retries_due, run_webhook_jobs

__all__ = ["org"]
from tests.content.conftest import org


def _register(app, admin, url: str, *kinds: str) -> str:
    """Register through the admin page; returns the secret it shows once."""
    page = client_for(app, admin).post("/admin/webhooks", data={"url": url, "events": list(kinds)})
    assert page.status_code == 200, page.get_data(as_text=True)
    found = re.search(r"<code>(whsec_[^<]+)</code>", page.get_data(as_text=True))
    assert found, "the secret is shown once"
    return found.group(1)


def _verified(received, secret: str) -> dict:
    """The body of a delivery, after checking its signature as a receiver would."""
    header = received.headers["Innsiden-Signature"]
    parts = dict(part.split("=", 1) for part in header.split(","))
    expected = hmac.new(
        secret.encode(), parts["t"].encode() + b"." + received.body, hashlib.sha256
    ).hexdigest()
    assert hmac.compare_digest(parts["v1"], expected)
    return json.loads(received.body)


ALL = ("news.published", "event.created", "event.signup")


def test_only_what_every_member_sees_is_sent_signed(app, db, org: Org, receiver: Receiver):
    admin, leader = client_for(app, org.admin), client_for(app, org.leader)
    publish(app, admin, "organisasjonen", title="Før mottakeren fantes")  # history: not sent
    secret = _register(app, org.admin, receiver.url, *ALL)
    db.commit()  # the history before the first receiver is never read, let alone sent
    newest = db.scalar(select(func.max(events.DomainEvent.id)))
    assert db.get(events.EventCursor, "webhooks").last_event_id == newest > 0
    db.commit()

    # Not for everyone: a lokallag's news, a lokallag's event, a hidden group's event.
    publish(app, leader, org.groups["0001"], title="Dugnad i Bergen")
    create_gathering(leader, org.groups["0001"], title="Lokallagsmøte")
    hidden = make_interest_group(db, "Hemmelig utvalg", "hidden", admin=org.writer)
    db.commit()
    create_gathering(client_for(app, org.writer), hidden.id, title="Hemmelig møte")
    # For everyone: the organisation's news and an event open to the whole organisation.
    publish(app, admin, "organisasjonen", title="Ny portal for alle")
    open_event = create_gathering(leader, org.groups["0001"], title="Sommerfest",
                                  audience="organisation")  # fmt: skip
    assert reply(client_for(app, org.oslo), open_event["id"]).status_code == 200
    run_webhook_jobs(app, db)

    bodies = [_verified(r, secret) for r in receiver.at("/hook")]
    assert [(b["type"], b["data"].get("title")) for b in bodies] == [
        ("news.published", "Ny portal for alle"),
        ("event.created", "Sommerfest"),
        ("event.signup", None),
    ]
    signup = bodies[2]["data"]
    assert signup["event"]["title"] == "Sommerfest" and signup["confirmed"] == 1
    text = b"".join(r.body for r in receiver.requests).decode()
    for never in ("Før mottakeren", "Dugnad", "Lokallagsmøte", "Hemmelig", "Oskar"):
        assert never not in text
    assert str(org.oslo.number) not in text  # who signed up is never sent
    assert receiver.requests[0].headers["Innsiden-Event"] == "news.published"


def test_a_failed_delivery_is_retried_with_backoff_until_it_lands(app, db, org, receiver):
    secret = _register(app, org.admin, receiver.url, "event.created")
    receiver.answers = [500]
    create_gathering(client_for(app, org.leader), org.groups["0001"], audience="organisation")
    run_webhook_jobs(app, db)
    db.commit()
    delivery = db.scalars(select(WebhookDelivery)).one()
    assert (delivery.state, delivery.attempts, delivery.last_status) == ("pending", 1, 500)
    assert delivery.next_attempt_at > delivery.created_at + BACKOFF[0] / 2

    run_webhook_jobs(app, db)  # not due yet: nothing is sent
    assert len(receiver.requests) == 1
    make_retries_due(db)
    run_webhook_jobs(app, db)
    db.commit()
    db.refresh(delivery)
    assert (delivery.state, delivery.attempts, delivery.last_status) == ("delivered", 2, 200)
    first, second = (_verified(r, secret) for r in receiver.requests)
    assert first == second  # the same delivery, with the same id for the receiver to dedupe

    page = client_for(app, org.admin).get("/admin/webhooks").get_data(as_text=True)
    assert "event.created" in page and "Levert" in page


def test_a_redirect_is_never_followed_and_the_last_failure_gives_up(app, db, org, receiver):
    _register(app, org.admin, receiver.url, "event.created")
    receiver.answers = [302] * (len(BACKOFF) + 1)
    create_gathering(client_for(app, org.leader), org.groups["0001"], audience="organisation")
    run_webhook_jobs(app, db)
    for _ in BACKOFF:
        make_retries_due(db)
        run_webhook_jobs(app, db)
    db.commit()
    delivery = db.scalars(select(WebhookDelivery)).one()
    assert (delivery.state, delivery.attempts, delivery.last_status) == (
        "failed", len(BACKOFF) + 1, 302,
    )  # fmt: skip
    assert receiver.at("/elsewhere") == [] and len(receiver.at("/hook")) == len(BACKOFF) + 1


def test_only_administrators_register_https_receivers_and_it_is_audited(app, db, org, receiver):
    assert client_for(app, org.leader).get("/admin/webhooks").status_code == 404
    refused = client_for(app, org.leader).post(
        "/admin/webhooks", data={"url": receiver.url, "events": ["event.created"]}
    )
    assert refused.status_code == 404
    admin = client_for(app, org.admin)
    for url in ("http://example.org/hook", "ftp://example.org/", "https://u:p@example.org/"):
        page = admin.post("/admin/webhooks", data={"url": url, "events": ["event.created"]})
        assert page.status_code == 400, url
    assert (
        admin.post("/admin/webhooks", data={"url": "https://example.org/hook"}).status_code == 400
    )
    assert db.scalars(select(Webhook)).all() == []

    _register(app, org.admin, "https://example.org/hook", "news.published")
    db.commit()
    hook = db.scalars(select(Webhook)).one()
    assert admin.post(f"/admin/webhooks/{hook.id}/fjern").status_code == 302
    db.commit()
    assert db.scalars(select(Webhook)).all() == []
    actions = db.scalars(select(AuditEntry.action).where(AuditEntry.action.like("webhook.%")))
    assert sorted(actions) == ["webhook.registered", "webhook.removed"]


def test_plain_http_elsewhere_is_refused_even_where_loopback_is_allowed(app, org):
    from innsiden.webhooks.service import url_refusal

    assert url_refusal("http://127.0.0.1:8080/x", allow_loopback_http=True) is None
    assert url_refusal("http://[::1]/x", allow_loopback_http=True) is None
    assert url_refusal("http://127.0.0.1:8080/x", allow_loopback_http=False) is not None
    assert url_refusal("http://10.0.0.1/x", allow_loopback_http=True) is not None


def test_a_delivery_about_an_event_narrowed_to_a_group_since_is_withheld(app, db, org, receiver):
    from innsiden.jobs import run_all

    _register(app, org.admin, receiver.url, "event.created")
    leader = client_for(app, org.leader)
    create_gathering(leader, org.groups["0001"], audience="organisation", title="Fest")
    run_webhook_jobs(app, db)  # queued and sent
    assert len(receiver.requests) == 1
    second = create_gathering(leader, org.groups["0001"], audience="organisation", title="Lukket")
    db.execute(update(events.DomainEvent).values(created_at=utcnow() - timedelta(minutes=1)))
    db.commit()
    run_all(app, only=["webhooks.collect"])
    changed = leader.put(f"/api/v1/gatherings/{second['id']}", json={
        "group_id": org.groups["0001"], "title": "Lukket", "starts_at": second["starts_at"],
        "audience": "group",
    })  # fmt: skip
    assert changed.status_code == 200, changed.get_json()
    run_webhook_jobs(app, db)
    db.commit()
    states = sorted(d.state for d in db.scalars(select(WebhookDelivery)))
    assert states == ["delivered", "withheld"]  # queued while open, narrowed before it was sent
    assert len(receiver.requests) == 1 and b"Lukket" not in receiver.requests[0].body
