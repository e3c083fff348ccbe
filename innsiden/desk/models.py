"""The leader's desk: messages to a unit's members, their recipients, and members' opt-outs."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import BigInteger, Date, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from membersync.db import Base, utcnow

CHANNELS = ("email", "sms", "email_else_sms")
SEGMENTS = ("all", "restanse", "new_since", "position")
# queued: written, recipients not yet resolved; sending: resolved, being sent; done.
MESSAGE_STATES = ("queued", "sending", "done")
# pending → sending (claimed) → sent | failed | unsubscribed | no_address | skipped.
RECIPIENT_STATES = ("pending", "sending", "sent", "failed", "unsubscribed", "no_address", "skipped")
OPT_OUT_CHANNELS = ("email", "sms")


class DeskMessage(Base):
    """One message a leader wrote to a segment of their unit; sent by the job runner."""

    __tablename__ = "desk_message"

    id: Mapped[int] = mapped_column(primary_key=True)
    unit_id: Mapped[str] = mapped_column(ForeignKey("org_unit.id"), index=True)
    sender_number: Mapped[int] = mapped_column(BigInteger, index=True)
    channel: Mapped[str] = mapped_column(String(16))
    segment: Mapped[str] = mapped_column(String(16))
    since: Mapped[date | None] = mapped_column(Date, default=None)  # segment new_since
    role: Mapped[str | None] = mapped_column(String(64), default=None)  # segment position
    subject: Mapped[str] = mapped_column(String(200), default="")
    body: Mapped[str] = mapped_column(Text)
    reply_to: Mapped[str | None] = mapped_column(String(320), default=None)
    state: Mapped[str] = mapped_column(String(16), default="queued", index=True)
    estimated_count: Mapped[int] = mapped_column(Integer, default=0)  # when written
    recipient_count: Mapped[int | None] = mapped_column(Integer, default=None)  # when sent
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    resolved_at: Mapped[datetime | None] = mapped_column(default=None)
    finished_at: Mapped[datetime | None] = mapped_column(default=None)


class DeskRecipient(Base):
    """One member a message goes to, resolved from the register when sending starts.

    A runner claims a row by moving it from pending to sending with a conditional UPDATE and
    commits the claim before sending, so no two runners (nor a restarted one) send it twice.
    """

    __tablename__ = "desk_recipient"
    __table_args__ = (
        UniqueConstraint("message_id", "member_number"),
        Index("ix_desk_recipient_message_state", "message_id", "state"),
        Index("ix_desk_recipient_channel_sent", "channel", "sent_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    message_id: Mapped[int] = mapped_column(ForeignKey("desk_message.id", ondelete="CASCADE"))
    member_number: Mapped[int] = mapped_column(BigInteger, index=True)
    state: Mapped[str] = mapped_column(String(16), default="pending")
    channel: Mapped[str | None] = mapped_column(String(8), default=None)  # as sent
    address: Mapped[str | None] = mapped_column(String(320), default=None)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[datetime | None] = mapped_column(default=None)
    claim: Mapped[str | None] = mapped_column(String(32), index=True, default=None)
    claimed_at: Mapped[datetime | None] = mapped_column(default=None)
    sent_at: Mapped[datetime | None] = mapped_column(default=None)
    error: Mapped[str | None] = mapped_column(String(300), default=None)


class DeskOptOut(Base):
    """A member does not want leader messages on one channel (never affects login codes)."""

    __tablename__ = "desk_opt_out"

    member_number: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    channel: Mapped[str] = mapped_column(String(8), primary_key=True)
    source: Mapped[str] = mapped_column(String(16))  # link, settings, stopp, admin
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
