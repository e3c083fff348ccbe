"""The profile's tables: the portal's own data about a member beyond the groups' profile row,
requests to the register, archives of a member's data, and the retention clock.

What other members see (presentation, which contact details show) stays in
`innsiden.groups.models.MemberProfile`, where the member lists read it.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, BigInteger, CheckConstraint, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from innsiden.storedkeys import stored_keys
from membersync.db import Base, utcnow

REQUEST_STATES = ("pending", "sent", "confirmed", "failed")
EXPORT_STATES = ("pending", "ready", "failed")


class ProfilePicture(Base):
    """The member's picture: our re-encoding of it (no metadata), and a small thumbnail."""

    __tablename__ = "profile_picture"

    member_number: Mapped[int] = mapped_column(
        ForeignKey("member.number", ondelete="CASCADE"), primary_key=True
    )
    storage_key: Mapped[str] = mapped_column(String(64))
    thumb_key: Mapped[str] = mapped_column(String(64))
    mime_type: Mapped[str] = mapped_column(String(32))
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)


class ProfileInterest(Base):
    """One interest a member chose (a word or two); they suggest interest groups."""

    __tablename__ = "profile_interest"

    member_number: Mapped[int] = mapped_column(
        ForeignKey("member.number", ondelete="CASCADE"), primary_key=True
    )
    interest: Mapped[str] = mapped_column(String(60), primary_key=True)


class ChangeRequest(Base):
    """A member asking the register to change what it holds; the register decides."""

    __tablename__ = "profile_change_request"
    __table_args__ = (
        CheckConstraint("state IN ('pending', 'sent', 'confirmed', 'failed')", name="state"),
        Index("ix_profile_change_request_state", "state", "id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    member_number: Mapped[int] = mapped_column(
        ForeignKey("member.number", ondelete="CASCADE"), index=True
    )
    kind: Mapped[str] = mapped_column(String(16))  # address, mobile, email, moved, resign
    # The register's field names and the values asked for, e.g. {"email": "ny@example.no"}.
    fields: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    message: Mapped[str] = mapped_column(Text, default="")
    channel: Mapped[str] = mapped_column(String(8), default="email")  # email | api
    state: Mapped[str] = mapped_column(String(10), default="pending")
    error: Mapped[str | None] = mapped_column(String(300), default=None)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    sent_at: Mapped[datetime | None] = mapped_column(default=None)
    confirmed_at: Mapped[datetime | None] = mapped_column(default=None)


class DataExport(Base):
    """An archive of everything held about a member, built by a job, for them only."""

    __tablename__ = "profile_data_export"
    __table_args__ = (CheckConstraint("state IN ('pending', 'ready', 'failed')", name="state"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    member_number: Mapped[int] = mapped_column(
        ForeignKey("member.number", ondelete="CASCADE"), index=True
    )
    state: Mapped[str] = mapped_column(String(8), default="pending", index=True)
    storage_key: Mapped[str | None] = mapped_column(String(64), default=None)
    size: Mapped[int | None] = mapped_column(BigInteger, default=None)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    ready_at: Mapped[datetime | None] = mapped_column(default=None)
    expires_at: Mapped[datetime | None] = mapped_column(default=None, index=True)


class Departure(Base):
    """When the portal saw a member lose access: the retention period runs from here."""

    __tablename__ = "profile_departure"

    member_number: Mapped[int] = mapped_column(
        ForeignKey("member.number", ondelete="CASCADE"), primary_key=True
    )
    left_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)


class Anonymisation(Base):
    """That a former member was anonymised, and why: nothing that names them.

    The member number stays (as in the audit log) so that a later sync carrying the
    register's old data for that number is scrubbed again.
    """

    __tablename__ = "profile_anonymisation"
    __table_args__ = (CheckConstraint("trigger IN ('retention', 'forget')", name="trigger"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    member_number: Mapped[int] = mapped_column(BigInteger, index=True)
    trigger: Mapped[str] = mapped_column(String(10))
    at: Mapped[datetime] = mapped_column(default=utcnow)
    # How many rows of each kind were changed or removed (counts only).
    counts: Mapped[dict[str, int]] = mapped_column(JSON, default=dict)


# The orphan sweep (innsiden.orphans) keeps every object these columns point at.
stored_keys(ProfilePicture.storage_key, ProfilePicture.thumb_key, DataExport.storage_key)
