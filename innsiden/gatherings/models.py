"""The gatherings' tables: events in a group, their questions, replies with the waiting list,
reminder choices, organisers' messages and personal calendar feed tokens."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    CheckConstraint,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from innsiden.groups.models import Group
from membersync.db import Base, utcnow

AUDIENCES = ("group", "organisation", "fylkeslag")
STATUSES = ("scheduled", "cancelled")
# confirmed: has a place; waiting: on the waiting list (ordered by queue_number);
# maybe: "Kanskje" (takes no place); declined: "Kommer ikke".
REPLY_STATUSES = ("confirmed", "waiting", "maybe", "declined")
SIGNED_UP = ("confirmed", "waiting", "maybe")  # told about changes, may get messages
QUESTION_KINDS = ("text", "choice")
CHANNELS = ("email", "sms")


class Gathering(Base):
    """One event (a meeting, a course, a stand) in a group."""

    __tablename__ = "gathering"
    __table_args__ = (
        CheckConstraint("audience IN ('group', 'organisation', 'fylkeslag')", name="audience"),
        CheckConstraint("status IN ('scheduled', 'cancelled')", name="status"),
        CheckConstraint("capacity IS NULL OR capacity > 0", name="capacity"),
        CheckConstraint("ends_at >= starts_at", name="ends_after_start"),
        Index("ix_gathering_group_starts", "group_id", "starts_at"),
        Index("ix_gathering_audience_starts", "audience", "starts_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    group_id: Mapped[int] = mapped_column(ForeignKey("portal_group.id", ondelete="CASCADE"))
    title: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text, default="")  # Markdown as written
    description_html: Mapped[str] = mapped_column(Text, default="")  # sanitised, shown as is
    starts_at: Mapped[datetime] = mapped_column(index=True)
    ends_at: Mapped[datetime]
    place: Mapped[str] = mapped_column(String(300), default="")
    online_url: Mapped[str | None] = mapped_column(String(500), default=None)
    capacity: Mapped[int | None] = mapped_column(Integer, default=None)
    signup_deadline: Mapped[datetime | None] = mapped_column(default=None)
    audience: Mapped[str] = mapped_column(String(16), default="group")
    # The fylkeslag whose members may see and sign up when audience is "fylkeslag".
    audience_unit_id: Mapped[str | None] = mapped_column(
        ForeignKey("org_unit.id"), index=True, default=None
    )
    status: Mapped[str] = mapped_column(String(10), default="scheduled")
    cancel_reason: Mapped[str] = mapped_column(Text, default="")
    cancelled_at: Mapped[datetime | None] = mapped_column(default=None)
    # RFC 5545 SEQUENCE: bumped on every change calendar apps must pick up.
    sequence: Mapped[int] = mapped_column(Integer, default=0)
    created_by: Mapped[int | None] = mapped_column(BigInteger, default=None)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    group: Mapped[Group] = relationship(lazy="joined", innerjoin=True)
    questions: Mapped[list[GatheringQuestion]] = relationship(
        order_by="GatheringQuestion.position",
        cascade="all, delete-orphan",
        lazy="selectin",
        back_populates="gathering",
    )

    @property
    def cancelled(self) -> bool:
        return self.status == "cancelled"

    @property
    def closes_at(self) -> datetime:
        """When replies can no longer be given or changed: the deadline, or the start."""
        if self.signup_deadline is not None and self.signup_deadline < self.starts_at:
            return self.signup_deadline
        return self.starts_at


class GatheringOrganiser(Base):
    """A member who organises the event: sees the attendee list, checks in, messages."""

    __tablename__ = "gathering_organiser"

    gathering_id: Mapped[int] = mapped_column(
        ForeignKey("gathering.id", ondelete="CASCADE"), primary_key=True
    )
    member_number: Mapped[int] = mapped_column(
        ForeignKey("member.number", ondelete="CASCADE"), primary_key=True, index=True
    )


class GatheringQuestion(Base):
    """A question asked at sign-up: free text, or one of a few choices."""

    __tablename__ = "gathering_question"
    __table_args__ = (CheckConstraint("kind IN ('text', 'choice')", name="kind"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    gathering_id: Mapped[int] = mapped_column(
        ForeignKey("gathering.id", ondelete="CASCADE"), index=True
    )
    position: Mapped[int] = mapped_column(Integer, default=0)
    kind: Mapped[str] = mapped_column(String(8), default="text")
    label: Mapped[str] = mapped_column(String(300))
    choices: Mapped[list[str]] = mapped_column(JSON, default=list)

    gathering: Mapped[Gathering] = relationship(back_populates="questions")

    @property
    def required(self) -> bool:
        return self.kind == "choice"  # free text may be left empty; a choice must be made


class GatheringReply(Base):
    """One member's reply: Kommer (a place or the waiting list), Kanskje, Kommer ikke."""

    __tablename__ = "gathering_reply"
    __table_args__ = (
        UniqueConstraint("gathering_id", "member_number"),
        # A waiting-list number is handed out once per event, whatever the concurrency.
        UniqueConstraint("gathering_id", "queue_number", name="uq_gathering_reply_queue"),
        Index("ix_gathering_reply_gathering_status", "gathering_id", "status"),
        CheckConstraint("status IN ('confirmed', 'waiting', 'maybe', 'declined')", name="status"),
        CheckConstraint(
            "reminder_channel IS NULL OR reminder_channel IN ('email', 'sms')",
            name="reminder_channel",
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    gathering_id: Mapped[int] = mapped_column(ForeignKey("gathering.id", ondelete="CASCADE"))
    member_number: Mapped[int] = mapped_column(
        ForeignKey("member.number", ondelete="CASCADE"), index=True
    )
    status: Mapped[str] = mapped_column(String(10))
    queue_number: Mapped[int | None] = mapped_column(Integer, default=None)
    answers: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    # When the member took their place or joined the waiting list (list order for organisers).
    signed_up_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
    checked_in_at: Mapped[datetime | None] = mapped_column(default=None)
    checked_in_by: Mapped[int | None] = mapped_column(BigInteger, default=None)
    # The reminder: this event's own choice, or the member's default (follows_default).
    reminder_follows_default: Mapped[bool] = mapped_column(Boolean, default=True)
    reminder_channel: Mapped[str | None] = mapped_column(String(5), default=None)
    reminder_minutes: Mapped[int | None] = mapped_column(Integer, default=None)
    reminder_due_at: Mapped[datetime | None] = mapped_column(index=True, default=None)
    # Set when a job runner claims the reminder (before sending): it is sent at most once.
    reminder_sent_at: Mapped[datetime | None] = mapped_column(default=None)


class ReminderPreference(Base):
    """A member's default reminder for events they sign up for (no row: no reminder)."""

    __tablename__ = "gathering_preference"
    __table_args__ = (
        CheckConstraint(
            "reminder_channel IS NULL OR reminder_channel IN ('email', 'sms')",
            name="reminder_channel",
        ),
    )

    member_number: Mapped[int] = mapped_column(
        ForeignKey("member.number", ondelete="CASCADE"), primary_key=True
    )
    reminder_channel: Mapped[str | None] = mapped_column(String(5), default=None)
    reminder_minutes: Mapped[int | None] = mapped_column(Integer, default=None)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)


class GatheringMessage(Base):
    """A message from an organiser to everyone signed up, e-mailed by the job runner."""

    __tablename__ = "gathering_message"

    id: Mapped[int] = mapped_column(primary_key=True)
    gathering_id: Mapped[int] = mapped_column(
        ForeignKey("gathering.id", ondelete="CASCADE"), index=True
    )
    sender_number: Mapped[int | None] = mapped_column(BigInteger, default=None)
    subject: Mapped[str] = mapped_column(String(200))
    body: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class GatheringMessageRecipient(Base):
    """One recipient of an organiser's message: `claimed_at` while a runner sends it,
    `sent_at` once the mail has gone."""

    __tablename__ = "gathering_message_recipient"
    __table_args__ = (Index("ix_gathering_message_recipient_sent", "sent_at", "message_id"),)

    message_id: Mapped[int] = mapped_column(
        ForeignKey("gathering_message.id", ondelete="CASCADE"), primary_key=True
    )
    member_number: Mapped[int] = mapped_column(
        ForeignKey("member.number", ondelete="CASCADE"), primary_key=True, index=True
    )
    claimed_at: Mapped[datetime | None] = mapped_column(default=None)
    sent_at: Mapped[datetime | None] = mapped_column(default=None)


class CalendarFeedToken(Base):
    """A member's secret calendar feed address, stored only as a hash.

    It works while the member's access epoch is the one it was made under, so "log out
    everywhere", a suspension or deactivation ends it with every other credential.
    """

    __tablename__ = "gathering_feed_token"

    member_number: Mapped[int] = mapped_column(
        ForeignKey("member.number", ondelete="CASCADE"), primary_key=True
    )
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    access_epoch: Mapped[int] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
