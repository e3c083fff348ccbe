"""Deliveries of outgoing webhooks, made by two jobs from the durable domain-event table.

`webhooks.collect` reads committed events with a cursor of its own (`innsiden.events`) and
queues one delivery per subscribed endpoint, with a payload holding only what every member of
the organisation may see (`permissions.py`). `webhooks.send` posts the due deliveries, signed:

    Innsiden-Signature: t=<unix time>,v1=<hex HMAC-SHA256 of "<t>.<body>" with the secret>

A 2xx answer delivers; anything else (another status, a redirect — never followed — or no
answer within the timeout) is retried after a growing pause, and given up after the last.
Before every attempt the subject is checked again: one no longer for the whole organisation
is withheld, never sent.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
import time
import urllib.error
import urllib.request
from datetime import timedelta
from typing import Any

from flask import current_app
from sqlalchemy import select, update
from sqlalchemy.orm import Session

from innsiden import events
from innsiden.content.models import ContentItem
from innsiden.gatherings import signup
from innsiden.gatherings.models import Gathering
from innsiden.jobs import job
from innsiden.webhooks.models import Webhook, WebhookDelivery
from innsiden.webhooks.permissions import organisation_wide_gathering, organisation_wide_news
from innsiden.webhooks.service import CONSUMER, url_refusal
from membersync.db import utcnow

log = logging.getLogger(__name__)

SIGNATURE_HEADER = "Innsiden-Signature"
TIMEOUT_SECONDS = 5.0
BATCH = 50
# The pause before each retry; after the last, a delivery is given up ("failed").
BACKOFF = (
    timedelta(minutes=1), timedelta(minutes=5), timedelta(minutes=30), timedelta(hours=2),
    timedelta(hours=6), timedelta(hours=24),
)  # fmt: skip
# A claimed delivery is not claimed again by another runner for this long.
LEASE = timedelta(seconds=60)


def sign(secret: str, timestamp: int, body: bytes) -> str:
    """The `Innsiden-Signature` header's value for `body` sent at `timestamp`."""
    signed = str(timestamp).encode() + b"." + body
    digest = hmac.new(secret.encode(), signed, hashlib.sha256).hexdigest()
    return f"t={timestamp},v1={digest}"


def _link(endpoint: str, **values: Any) -> str:
    """An absolute link into the portal (where a member logs in to see the thing)."""
    path = current_app.url_map.bind("localhost").build(endpoint, values)
    return current_app.config["BASE_URL"] + path


def _gathering_data(gathering: Gathering) -> dict[str, Any]:
    return {
        "id": gathering.id,
        "title": gathering.title,
        "starts_at": gathering.starts_at.isoformat() if gathering.starts_at else None,
        "ends_at": gathering.ends_at.isoformat() if gathering.ends_at else None,
        "place": gathering.place,
        "url": _link("gatherings.show", gathering_id=gathering.id),
    }


def payload_of(session: Session, event: events.Event) -> tuple[str, dict[str, Any]] | None:
    """The webhook kind and data of a domain event, or None when it is not sent at all (not a
    kind receivers subscribe to, or not visible to the whole organisation's membership)."""
    data = event.payload
    if event.name == "content.went_live" and data.get("kind") == "news" and data.get("first"):
        item = session.get(ContentItem, data.get("item_id"))
        if item is None or not organisation_wide_news(item):
            return None
        return "news.published", {
            "id": item.id,
            "title": item.title,
            "lead": item.lead,
            "published_at": item.published_at.isoformat() if item.published_at else None,
            "url": _link("content.show", item_id=item.id),
        }
    if event.name in ("gathering.created", "gathering.signed_up"):
        gathering = session.get(Gathering, data.get("gathering_id"))
        if gathering is None or gathering.cancelled or not organisation_wide_gathering(gathering):
            return None
        if event.name == "gathering.created":
            return "event.created", _gathering_data(gathering)
        # Who signed up is never sent: only that someone did, and the counts after it.
        counts = signup.counts(session, [gathering.id]).get(gathering.id)
        return "event.signup", {
            "event": _gathering_data(gathering),
            "confirmed": counts.confirmed if counts else 0,
            "waiting": counts.waiting if counts else 0,
        }
    return None


def still_organisation_wide(session: Session, kind: str, data: dict[str, Any]) -> bool:
    """Whether what a queued delivery is about may still leave the portal: asked again before
    every attempt, so news moved into a group or an event narrowed to one since is withheld."""
    if kind == "news.published":
        return organisation_wide_news(session.get(ContentItem, data.get("id")))
    subject = data.get("event") if kind == "event.signup" else data
    gathering = session.get(Gathering, (subject or {}).get("id"))
    return organisation_wide_gathering(gathering) and not (gathering and gathering.cancelled)


@job("webhooks.collect")
def collect(session: Session) -> int:
    """Queue a delivery per subscribed endpoint for each new event; returns how many."""
    hooks = list(session.scalars(select(Webhook)))
    if not hooks:
        return 0  # nobody to send to; the first receiver starts the cursor at its creation
    queued = 0

    def handle(event: events.Event) -> None:
        nonlocal queued
        wanting = [h for h in hooks if event.id is not None and event.id > h.after_event_id]
        if not wanting:
            return
        found = payload_of(session, event)
        if found is None:
            return
        kind, data = found
        for hook in wanting:
            if kind not in hook.kinds:
                continue
            body = {"id": event.id, "type": kind, "created_at": utcnow().isoformat(), "data": data}
            session.add(
                WebhookDelivery(webhook_id=hook.id, event_id=event.id, kind=kind, payload=body)
            )
            queued += 1

    events.consume(session, CONSUMER, handle)
    return queued


class _NoRedirects(urllib.request.HTTPRedirectHandler):
    """A redirect is an answer like any other non-2xx one: never followed."""

    def redirect_request(self, *_args: Any, **_kwargs: Any) -> None:
        return None


# No proxies from the environment either: the registered URL is the one contacted.
_opener = urllib.request.build_opener(urllib.request.ProxyHandler({}), _NoRedirects())


def post(url: str, secret: str, body: bytes, kind: str, delivery_id: int) -> int:
    """POST one signed delivery; returns the HTTP status (raises OSError without an answer)."""
    request = urllib.request.Request(  # noqa: S310 - https (or loopback http) checked before
        url,
        data=body,
        method="POST",
        headers={
            "Content-Type": "application/json",
            "User-Agent": "Innsiden-Webhooks/1",
            "Innsiden-Event": kind,
            "Innsiden-Delivery": str(delivery_id),
            SIGNATURE_HEADER: sign(secret, int(time.time()), body),
        },
    )
    try:
        with _opener.open(request, timeout=TIMEOUT_SECONDS) as answer:
            return int(answer.status)
    except urllib.error.HTTPError as refused:
        refused.close()
        return int(refused.code)


@job("webhooks.send")
def send_due(session: Session) -> int:
    """Send the due deliveries, one transaction each; returns how many were delivered."""
    now = utcnow()
    due = session.scalars(
        select(WebhookDelivery.id)
        .where(WebhookDelivery.state == "pending", WebhookDelivery.next_attempt_at <= now)
        .order_by(WebhookDelivery.id)
        .limit(BATCH)
    ).all()
    session.commit()
    delivered = 0
    for delivery_id in due:
        delivered += _send_one(session, delivery_id)
    return delivered


def _send_one(session: Session, delivery_id: int) -> int:
    now = utcnow()
    claimed = session.execute(
        update(WebhookDelivery)
        .where(
            WebhookDelivery.id == delivery_id,
            WebhookDelivery.state == "pending",
            WebhookDelivery.next_attempt_at <= now,
        )
        .values(next_attempt_at=now + LEASE)
    )
    session.commit()  # the claim holds while the receiver is asked, with no transaction open
    if not claimed.rowcount:
        return 0
    delivery = session.get(WebhookDelivery, delivery_id)
    hook = session.get(Webhook, delivery.webhook_id) if delivery else None
    if delivery is None or hook is None:
        return 0
    if not still_organisation_wide(session, delivery.kind, delivery.payload.get("data", {})):
        delivery.state, delivery.last_error = "withheld", "no longer for the whole organisation"
        session.commit()
        return 0
    status: int | None = None
    error: str | None = url_refusal(
        hook.url, current_app.config.get("WEBHOOKS_ALLOW_LOOPBACK_HTTP", False)
    )
    if error is None:
        body = json.dumps(delivery.payload, ensure_ascii=False, separators=(",", ":")).encode()
        try:
            status = post(hook.url, hook.secret, body, delivery.kind, delivery.id)
        except (OSError, ValueError) as failure:
            error = str(failure)[:300] or type(failure).__name__
    delivery.attempts += 1
    delivery.last_status = status
    delivery.last_error = error
    done_at = utcnow()
    if status is not None and 200 <= status < 300:
        delivery.state, delivery.delivered_at = "delivered", done_at
    elif delivery.attempts > len(BACKOFF):
        delivery.state = "failed"
    else:
        delivery.next_attempt_at = done_at + BACKOFF[delivery.attempts - 1]
    session.commit()
    return 1 if delivery.state == "delivered" else 0
