"""The polls' tables: a poll with its options and rules, its frozen electorate, who has voted,
and — kept apart, with nothing pointing at a member — the ballots of secret polls.

What links a secret ballot to its voter, and what does not (see `innsiden.polls.secrecy`
for the residual risks and how they are narrowed):
- `poll_voter` says only *that* a member voted: no choice (in a secret poll), no time.
- `poll_ballot` holds the choices and a hash of the voter's receipt code: no member number,
  no foreign key to `poll_voter`, a random UUID key (no order), no timestamp at all.
- Both are tables WITHOUT ROWID on SQLite, so no hidden rowid keeps the voting order.
"""

from __future__ import annotations

import uuid
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
    UniqueConstraint,
    Uuid,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from membersync.db import Base, utcnow

KINDS = ("yes_no", "single", "multiple", "date")
ELECTORATES = ("members", "aktiv")  # every group member, or only register status `aktiv`
RESULTS_SHOWN = ("live", "after_close", "admins")
QUORUM_KINDS = ("none", "count", "percent")
DATE_ANSWERS = ("yes", "maybe", "no")


class Poll(Base):
    """A question put to a group's members, with rules fixed before the first vote."""

    __tablename__ = "poll"
    __table_args__ = (
        CheckConstraint("kind IN ('yes_no', 'single', 'multiple', 'date')", name="kind"),
        CheckConstraint("electorate IN ('members', 'aktiv')", name="electorate"),
        CheckConstraint("results_shown IN ('live', 'after_close', 'admins')", name="results"),
        CheckConstraint("quorum_kind IN ('none', 'count', 'percent')", name="quorum_kind"),
        CheckConstraint("closes_at > opens_at", name="times"),
        Index("ix_poll_group_closes", "group_id", "closes_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    group_id: Mapped[int] = mapped_column(ForeignKey("portal_group.id", ondelete="CASCADE"))
    created_by: Mapped[int | None] = mapped_column(BigInteger, default=None)
    kind: Mapped[str] = mapped_column(String(10))
    question: Mapped[str] = mapped_column(String(300))
    description_source: Mapped[str] = mapped_column(Text, default="")
    description_html: Mapped[str] = mapped_column(Text, default="")
    max_choices: Mapped[int | None] = mapped_column(Integer, default=None)  # kind "multiple"
    opens_at: Mapped[datetime] = mapped_column(index=True)
    closes_at: Mapped[datetime] = mapped_column(index=True)
    electorate: Mapped[str] = mapped_column(String(8), default="members")
    secret: Mapped[bool] = mapped_column(Boolean, default=True)
    may_change: Mapped[bool] = mapped_column(Boolean, default=False)
    results_shown: Mapped[str] = mapped_column(String(12), default="after_close")
    quorum_kind: Mapped[str] = mapped_column(String(8), default="none")
    quorum_value: Mapped[int | None] = mapped_column(Integer, default=None)
    # Set when the electorate is frozen (at or just after `opens_at`).
    opened_at: Mapped[datetime | None] = mapped_column(default=None)
    electorate_size: Mapped[int | None] = mapped_column(Integer, default=None)
    # Set to `closes_at` when the poll is closed: the results are final from then.
    closed_at: Mapped[datetime | None] = mapped_column(default=None)
    closing_soon_sent: Mapped[bool] = mapped_column(Boolean, default=False)
    # Ballots counted at the last reshuffle (secrecy.seal); a new one means reshuffle again.
    sealed_ballots: Mapped[int] = mapped_column(Integer, default=0)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    options: Mapped[list[PollOption]] = relationship(
        back_populates="poll",
        cascade="all, delete-orphan",
        order_by="PollOption.position",
        lazy="selectin",
    )


class PollOption(Base):
    """One answer to choose (for a date poll: one date, answered yes / maybe / no)."""

    __tablename__ = "poll_option"

    id: Mapped[int] = mapped_column(primary_key=True)
    poll_id: Mapped[int] = mapped_column(ForeignKey("poll.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(Integer)
    label: Mapped[str] = mapped_column(String(200))
    day: Mapped[date | None] = mapped_column(Date, default=None)  # date polls

    poll: Mapped[Poll] = relationship(back_populates="options")


class PollElector(Base):
    """A member who may vote in a poll: written once, when the poll opens, never after."""

    __tablename__ = "poll_elector"
    __table_args__ = {"sqlite_with_rowid": False}  # noqa: RUF012 - SQLAlchemy reads it as is.

    poll_id: Mapped[int] = mapped_column(
        ForeignKey("poll.id", ondelete="CASCADE"), primary_key=True
    )
    member_number: Mapped[int] = mapped_column(BigInteger, primary_key=True, index=True)


class PollVoter(Base):
    """That a member has voted (the unique key makes it once). In a secret poll nothing
    else: the choices live in `PollBallot`. In an open poll the choices are kept here."""

    __tablename__ = "poll_voter"
    __table_args__ = {"sqlite_with_rowid": False}  # noqa: RUF012 - SQLAlchemy reads it as is.

    poll_id: Mapped[int] = mapped_column(
        ForeignKey("poll.id", ondelete="CASCADE"), primary_key=True
    )
    member_number: Mapped[int] = mapped_column(BigInteger, primary_key=True, index=True)
    voted: Mapped[bool] = mapped_column(Boolean, default=True)
    # Open polls only; SQL NULL (not JSON null) in a secret poll.
    choices: Mapped[Any | None] = mapped_column(JSON(none_as_null=True), default=None)


class PollBallot(Base):
    """A secret ballot: the choices and a hash of the receipt code, and nothing else."""

    __tablename__ = "poll_ballot"
    __table_args__ = (
        UniqueConstraint("poll_id", "receipt_hash"),
        {"sqlite_with_rowid": False},
    )

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=uuid.uuid4)
    poll_id: Mapped[int] = mapped_column(ForeignKey("poll.id", ondelete="CASCADE"))
    receipt_hash: Mapped[str] = mapped_column(String(64))
    choices: Mapped[Any] = mapped_column(JSON)


class PollSettings(Base):
    """A group's poll settings: may ordinary members create polls? (No row: no.)"""

    __tablename__ = "poll_settings"

    group_id: Mapped[int] = mapped_column(
        ForeignKey("portal_group.id", ondelete="CASCADE"), primary_key=True
    )
    members_may_create: Mapped[bool] = mapped_column(Boolean, default=False)
