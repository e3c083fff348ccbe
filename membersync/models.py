"""The register mirror: org units, members, positions (verv), and the record of every sync run."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    CheckConstraint,
    Date,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from membersync.db import Base, utcnow

UNIT_TYPES = ("sentralt", "fylkeslag", "lokallag")
STATUSES = ("aktiv", "restanse", "utmeldt", "avdod", "strøket")


class OrgUnit(Base):
    """An organisation unit as the register has it; removed units are kept, marked removed."""

    __tablename__ = "org_unit"
    __table_args__ = (
        CheckConstraint("type IN ('sentralt', 'fylkeslag', 'lokallag')", name="type"),
    )

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    type: Mapped[str] = mapped_column(String(16))
    parent_id: Mapped[str | None] = mapped_column(
        ForeignKey("org_unit.id"), index=True, default=None
    )
    # Set when a full export no longer lists the unit; its group is archived, never deleted.
    removed_at: Mapped[datetime | None] = mapped_column(default=None)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    parent: Mapped[OrgUnit | None] = relationship(remote_side=[id], lazy="joined", join_depth=2)


class Member(Base):
    """One member as the register last described them (only the fields the portal needs)."""

    __tablename__ = "member"

    number: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    first_name: Mapped[str] = mapped_column(String(200))
    last_name: Mapped[str] = mapped_column(String(200))
    email: Mapped[str | None] = mapped_column(String(320), index=True, default=None)
    mobile: Mapped[str | None] = mapped_column(String(20), index=True, default=None)  # E.164
    address: Mapped[str | None] = mapped_column(String(300), default=None)
    postal_code: Mapped[str | None] = mapped_column(String(4), default=None)
    postal_place: Mapped[str | None] = mapped_column(String(100), default=None)
    municipality: Mapped[str | None] = mapped_column(String(100), default=None)
    lokallag_id: Mapped[str | None] = mapped_column(
        ForeignKey("org_unit.id"), index=True, default=None
    )
    status: Mapped[str] = mapped_column(String(16), index=True)
    joined_on: Mapped[date | None] = mapped_column(Date, default=None)
    paid_until: Mapped[date | None] = mapped_column(Date, default=None)
    register_changed_at: Mapped[datetime | None] = mapped_column(default=None)
    # False once a full export no longer lists the member: no access, whatever the status says.
    in_register: Mapped[bool] = mapped_column(Boolean, default=True)
    # Bumped whenever every credential the member holds must stop working (deactivation,
    # "log out everywhere", suspension). Sessions, links and feed tokens carry the epoch.
    access_epoch: Mapped[int] = mapped_column(Integer, default=0)
    synced_at: Mapped[datetime] = mapped_column(default=utcnow)

    lokallag: Mapped[OrgUnit | None] = relationship(lazy="joined")
    positions: Mapped[list[Position]] = relationship(
        back_populates="member", cascade="all, delete-orphan", lazy="selectin"
    )

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}".strip()


class Position(Base):
    """A position of trust (verv): ROLE@UNIT from the register's `verv` column."""

    __tablename__ = "position"

    member_number: Mapped[int] = mapped_column(
        ForeignKey("member.number", ondelete="CASCADE"), primary_key=True
    )
    role: Mapped[str] = mapped_column(String(64), primary_key=True)
    unit_id: Mapped[str] = mapped_column(ForeignKey("org_unit.id"), primary_key=True, index=True)

    member: Mapped[Member] = relationship(back_populates="positions")


class SyncRun(Base):
    """One run of membersync: where it read from, who or what started it, and what it did."""

    __tablename__ = "sync_run"

    id: Mapped[int] = mapped_column(primary_key=True)
    source: Mapped[str] = mapped_column(String(500))
    trigger: Mapped[str] = mapped_column(String(32))  # cli, cron, webhook, demo, admin
    actor: Mapped[str | None] = mapped_column(String(200), default=None)
    mode: Mapped[str] = mapped_column(String(16), default="full")  # full, incremental, single
    started_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    finished_at: Mapped[datetime | None] = mapped_column(default=None)
    # running, applied, dry_run, stopped (safety threshold), failed
    outcome: Mapped[str] = mapped_column(String(16), default="running")
    error: Mapped[str | None] = mapped_column(Text, default=None)
    counts: Mapped[dict[str, int]] = mapped_column(JSON, default=dict)
    rejected: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)


class SyncChange(Base):
    """What one run changed for one member or unit, so the portal and operators can act on it."""

    __tablename__ = "sync_change"
    __table_args__ = (Index("ix_sync_change_kind_id", "kind", "id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    run_id: Mapped[int] = mapped_column(ForeignKey("sync_run.id"), index=True)
    # created, updated, moved, deactivated, reactivated, positions_changed,
    # unit_created, unit_renamed, unit_reparented (moved), unit_removed, unit_merged
    # ({"til": target}), unit_split ({"fra": source})
    kind: Mapped[str] = mapped_column(String(32))
    member_number: Mapped[int | None] = mapped_column(BigInteger, index=True, default=None)
    unit_id: Mapped[str | None] = mapped_column(String(64), default=None)
    detail: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class WebhookDelivery(Base):
    """A webhook delivery already applied, kept for the replay window (then pruned)."""

    __tablename__ = "webhook_delivery"

    # The delivery's signature: unique to its timestamp and body.
    key: Mapped[str] = mapped_column(String(128), primary_key=True)
    received_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
