"""Registering and removing webhook endpoints (portal administrators; every change audited)."""

from __future__ import annotations

import ipaddress
import secrets
from urllib.parse import urlsplit

from flask_babel import gettext as _
from sqlalchemy import delete, func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from innsiden import access, audit
from innsiden.errors import NotFound, ValidationFailed
from innsiden.events import DomainEvent, EventCursor
from innsiden.webhooks.models import Webhook, WebhookDelivery
from membersync.models import Member

# What a receiver may subscribe to, in the order the admin page offers them.
KINDS = ("news.published", "event.created", "event.signup")
# The durable consumer (`innsiden.events.consume`) that turns events into deliveries.
CONSUMER = "webhooks"
LOOPBACK_NAMES = frozenset({"localhost"})


def is_loopback(host: str) -> bool:
    if host.lower() in LOOPBACK_NAMES:
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def url_refusal(url: str, allow_loopback_http: bool) -> str | None:
    """Why `url` may not receive deliveries, or None: https only (plain http only to this very
    machine, and only where the setting allows it, for tests and development)."""
    try:
        parts = urlsplit(url)
        host = parts.hostname or ""
        parts.port  # noqa: B018 - raises ValueError on a port that is not a number
    except ValueError:
        return _("Adressen er ikke en gyldig URL.")
    if not host or parts.username or parts.password:
        return _("Adressen må ha et vertsnavn og ingen brukernavn eller passord.")
    if parts.scheme == "https":
        return None
    if parts.scheme == "http" and allow_loopback_http and is_loopback(host):
        return None
    return _("Adressen må begynne med https://.")


def register(
    session: Session, actor: Member, url: str, kinds: list[str], *, allow_loopback_http: bool
) -> tuple[Webhook, str]:
    """Register an endpoint; returns it and its new secret (shown to the administrator once)."""
    access.require(session, actor, "webhook.manage")
    url = url.strip()
    fields: dict[str, str] = {}
    refusal = url_refusal(url, allow_loopback_http) if url else _("Skriv adressen til mottakeren.")
    if refusal or len(url) > 500:
        fields["url"] = refusal or _("Adressen er for lang.")
    chosen = [kind for kind in KINDS if kind in kinds]
    if not chosen or len(chosen) != len(set(kinds)):
        fields["events"] = _("Velg minst én hendelse.")
    if fields:
        raise ValidationFailed(fields=fields)
    latest = session.scalar(select(func.max(DomainEvent.id))) or 0
    _start_consumer(session, latest)
    secret = "whsec_" + secrets.token_urlsafe(32)
    hook = Webhook(
        url=url, secret=secret, events=",".join(chosen), after_event_id=latest,
        created_by=actor.number,
    )  # fmt: skip
    session.add(hook)
    session.flush()
    audit.record(
        session, "webhook.registered", actor_number=actor.number, target=f"webhook:{hook.id}",
        url=url, events=chosen,
    )  # fmt: skip
    return hook, secret


def _start_consumer(session: Session, latest: int) -> None:
    """While no receiver exists the consumer reads nothing; the first one starts (or moves) it
    to the newest event, so it never reads the history before (no receiver gets that)."""
    if session.scalar(select(func.count(Webhook.id))):
        return  # the consumer is running for the receivers already there
    cursor = session.get(EventCursor, CONSUMER, with_for_update=True)
    if cursor is not None:
        cursor.last_event_id, cursor.open_gaps = max(cursor.last_event_id or 0, latest), None
        return
    try:
        with session.begin_nested():
            session.add(EventCursor(consumer=CONSUMER, last_event_id=latest))
    except IntegrityError:
        pass  # another registration started it just now


def remove(session: Session, actor: Member, webhook_id: int) -> None:
    """Remove an endpoint with its delivery log; nothing more is sent to it."""
    access.require(session, actor, "webhook.manage")
    hook = session.get(Webhook, webhook_id)
    if hook is None:
        raise NotFound()
    audit.record(
        session, "webhook.removed", actor_number=actor.number, target=f"webhook:{hook.id}",
        url=hook.url,
    )  # fmt: skip
    session.execute(delete(WebhookDelivery).where(WebhookDelivery.webhook_id == hook.id))
    session.delete(hook)
    session.flush()
