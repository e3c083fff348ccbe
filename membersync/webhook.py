"""The register's push: signature and replay checks, and the memory of deliveries seen.

Signed material: the `X-Register-Timestamp` header (Unix seconds), a dot, then the raw body.
`X-Register-Signature: sha256=<hex HMAC-SHA256 of that under the shared secret>`. A delivery
is accepted once, within `WINDOW` of its timestamp; its signature is its key.
"""

from __future__ import annotations

import hashlib
import hmac
from datetime import datetime, timedelta

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from membersync.models import WebhookDelivery

SIGNATURE_HEADER = "X-Register-Signature"
TIMESTAMP_HEADER = "X-Register-Timestamp"
WINDOW = timedelta(minutes=5)
PREFIX = "sha256="


class WebhookRejected(Exception):
    """The delivery is not authentic or not fresh; nothing may change."""


def sign(secret: str, timestamp: str, body: bytes) -> str:
    """The signature header value for `body` sent at `timestamp`."""
    material = timestamp.encode("ascii") + b"." + body
    return PREFIX + hmac.new(secret.encode("utf-8"), material, hashlib.sha256).hexdigest()


def verify(
    secret: str, timestamp: str | None, signature: str | None, body: bytes, now: datetime
) -> str:
    """The delivery's key if it is signed with `secret` and fresh; else WebhookRejected."""
    if not secret:
        raise WebhookRejected("webhook is not configured")
    if not timestamp or not signature:
        raise WebhookRejected("missing signature or timestamp")
    timestamp = timestamp.strip()
    if not (timestamp.isascii() and timestamp.isdigit()) or len(timestamp) > 12:
        raise WebhookRejected("malformed timestamp")
    expected = sign(secret, timestamp, body)
    # Constant-time comparison: the time taken says nothing about how much of it matched.
    if not hmac.compare_digest(expected.encode("ascii"), signature.strip().encode("utf-8")):
        raise WebhookRejected("bad signature")
    sent = datetime.fromtimestamp(int(timestamp), tz=now.tzinfo)
    if abs(now - sent) > WINDOW:
        raise WebhookRejected("timestamp outside the window")
    return expected.removeprefix(PREFIX)


def already_seen(session: Session, key: str) -> bool:
    return (
        session.execute(select(WebhookDelivery.key).where(WebhookDelivery.key == key)).first()
        is not None
    )


def remember(session: Session, key: str, now: datetime) -> None:
    """Note the delivery (in the transaction that applies it) and forget expired ones."""
    session.execute(delete(WebhookDelivery).where(WebhookDelivery.received_at < now - 2 * WINDOW))
    session.add(WebhookDelivery(key=key, received_at=now))
    session.flush()
