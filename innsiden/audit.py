"""The audit log: who did what to whom (logins, suspensions, member lists, moderation)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from flask import has_request_context, request
from sqlalchemy import JSON, BigInteger, String
from sqlalchemy.orm import Mapped, Session, mapped_column

from membersync.db import Base, utcnow


class AuditEntry(Base):
    """One audited action. Never updated or deleted by the portal."""

    __tablename__ = "audit_entry"

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    # The member who acted (None for the system, the register or an anonymous visitor).
    actor_number: Mapped[int | None] = mapped_column(BigInteger, index=True, default=None)
    action: Mapped[str] = mapped_column(String(64), index=True)  # e.g. "auth.login"
    # What it was done to, as "kind:id" (e.g. "member:100001", "unit:0301").
    target: Mapped[str | None] = mapped_column(String(128), index=True, default=None)
    detail: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    client_address: Mapped[str | None] = mapped_column(String(64), default=None)


def record(
    session: Session,
    action: str,
    *,
    actor_number: int | None = None,
    target: str | None = None,
    **detail: Any,
) -> AuditEntry:
    """Add an audit entry to the session; it is kept if and only if the session commits."""
    entry = AuditEntry(
        actor_number=actor_number,
        action=action,
        target=target,
        detail=detail,
        client_address=request.remote_addr if has_request_context() else None,
    )
    session.add(entry)
    return entry
