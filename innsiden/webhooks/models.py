"""The tables of outgoing webhooks: the endpoints administrators register, and each delivery."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, BigInteger, ForeignKey, Index, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from membersync.db import Base, utcnow


class Webhook(Base):
    """An endpoint an administrator registered, with the secret its deliveries are signed with.

    The secret is kept as given (signing needs it) and shown once, when the endpoint is made."""

    __tablename__ = "outgoing_webhook"

    id: Mapped[int] = mapped_column(primary_key=True)
    url: Mapped[str] = mapped_column(String(500))
    secret: Mapped[str] = mapped_column(String(128))
    # The chosen kinds, comma-separated ("news.published,event.created").
    events: Mapped[str] = mapped_column(String(200))
    # Only domain events after this one are sent: a new endpoint starts now, not from history.
    after_event_id: Mapped[int] = mapped_column(BigInteger, default=0)
    created_by: Mapped[int | None] = mapped_column(BigInteger, default=None)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    @property
    def kinds(self) -> list[str]:
        return [kind for kind in self.events.split(",") if kind]


class WebhookDelivery(Base):
    """One event for one endpoint: pending until the receiver answers 2xx, retried with backoff,
    failed after the last attempt."""

    __tablename__ = "outgoing_webhook_delivery"
    __table_args__ = (
        UniqueConstraint("webhook_id", "event_id", name="webhook_event"),
        Index("ix_outgoing_webhook_delivery_due", "state", "next_attempt_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    webhook_id: Mapped[int] = mapped_column(ForeignKey("outgoing_webhook.id", ondelete="CASCADE"))
    event_id: Mapped[int] = mapped_column(BigInteger)
    kind: Mapped[str] = mapped_column(String(32))  # news.published, event.created, event.signup
    payload: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    # pending, then delivered | failed | withheld (no longer for the whole organisation)
    state: Mapped[str] = mapped_column(String(16), default="pending")
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_status: Mapped[int | None] = mapped_column(Integer, default=None)
    last_error: Mapped[str | None] = mapped_column(String(300), default=None)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    delivered_at: Mapped[datetime | None] = mapped_column(default=None)
