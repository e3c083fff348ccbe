"""The meeting's record tables: the notice with its proof of sending, the papers, the
officers chosen at the constitution, and the minutes with their versions and signatures.

A notice recipient row is claimed before anything is sent (pending → sending with a claim
token, committed first), exactly as the leader's desk does, so a crash never sends twice and
a resend adds only those not yet reached. A signature belongs to one version of the minutes:
a changed text is a new version, and the old signatures no longer count.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import BigInteger, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from membersync.db import Base, utcnow

# pending → sending (claimed) → sent | failed | no_address | unsubscribed | skipped.
NOTICE_STATES = ("pending", "sending", "sent", "failed", "no_address", "unsubscribed", "skipped")
OFFICER_ROLES = ("chair", "minute_taker", "signer")
MINUTES_STATES = ("draft", "published")


class MeetingNotice(Base):
    """The notice of one meeting (innkalling); sent again, it reaches only those not reached."""

    __tablename__ = "meeting_notice"

    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(
        ForeignKey("meeting.id", ondelete="CASCADE"), unique=True
    )
    text: Mapped[str] = mapped_column(Text, default="")  # the leader's own words, if any
    # queued: waiting for the job; sending: recipients resolved; done.
    state: Mapped[str] = mapped_column(String(8), default="queued", index=True)
    # roll: the voting roll's members with the right to vote; members: the unit's members
    # (the roll was not computed yet when the notice went out).
    audience: Mapped[str | None] = mapped_column(String(8), default=None)
    sent_by: Mapped[int | None] = mapped_column(BigInteger, default=None)
    queued_at: Mapped[datetime] = mapped_column(default=utcnow)
    finished_at: Mapped[datetime | None] = mapped_column(default=None)


class NoticeRecipient(Base):
    """One member the notice goes to, and when it was handed to the provider on which channels."""

    __tablename__ = "meeting_notice_recipient"
    __table_args__ = (
        UniqueConstraint("notice_id", "member_number"),
        Index("ix_notice_recipient_state", "notice_id", "state"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    notice_id: Mapped[int] = mapped_column(ForeignKey("meeting_notice.id", ondelete="CASCADE"))
    member_number: Mapped[int] = mapped_column(BigInteger)
    state: Mapped[str] = mapped_column(String(16), default="pending")
    channels: Mapped[str] = mapped_column(String(16), default="")  # "email sms", as sent
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[datetime | None] = mapped_column(default=None)
    claim: Mapped[str | None] = mapped_column(String(32), index=True, default=None)
    claimed_at: Mapped[datetime | None] = mapped_column(default=None)
    sent_at: Mapped[datetime | None] = mapped_column(default=None)  # handed to the provider
    delivered_at: Mapped[datetime | None] = mapped_column(default=None)  # if it reports
    error: Mapped[str | None] = mapped_column(String(300), default=None)


class MeetingPaper(Base):
    """A file of the group's file area attached to the meeting (or one agenda item)."""

    __tablename__ = "meeting_paper"
    __table_args__ = (UniqueConstraint("meeting_id", "file_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(ForeignKey("meeting.id", ondelete="CASCADE"))
    file_id: Mapped[int] = mapped_column(
        ForeignKey("group_file.id", ondelete="CASCADE"), index=True
    )
    agenda_item_id: Mapped[int | None] = mapped_column(
        ForeignKey("meeting_agenda_item.id", ondelete="SET NULL"), index=True, default=None
    )
    added_by: Mapped[int | None] = mapped_column(BigInteger, default=None)
    added_at: Mapped[datetime] = mapped_column(default=utcnow)


class MeetingOfficer(Base):
    """Who the meeting elected as chair, minute-taker and minute-signer (the constitution)."""

    __tablename__ = "meeting_officer"

    meeting_id: Mapped[int] = mapped_column(
        ForeignKey("meeting.id", ondelete="CASCADE"), primary_key=True
    )
    role: Mapped[str] = mapped_column(String(16), primary_key=True)
    member_number: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    recorded_by: Mapped[int | None] = mapped_column(BigInteger, default=None)
    recorded_at: Mapped[datetime] = mapped_column(default=utcnow)


class MeetingMinutes(Base):
    """The minutes (protokoll) of a meeting: drafted, edited in versions, signed, published."""

    __tablename__ = "meeting_minutes"

    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(
        ForeignKey("meeting.id", ondelete="CASCADE"), unique=True
    )
    state: Mapped[str] = mapped_column(String(10), default="draft")
    version: Mapped[int] = mapped_column(Integer, default=1)  # the current version's number
    sign_by: Mapped[datetime] = mapped_column()  # the statutes' deadline for signing
    published_at: Mapped[datetime | None] = mapped_column(default=None)
    # The published document in the group's file area.
    file_id: Mapped[int | None] = mapped_column(
        ForeignKey("group_file.id", ondelete="SET NULL"), index=True, default=None
    )


class MinutesVersion(Base):
    """One text of the minutes; never changed once written."""

    __tablename__ = "meeting_minutes_version"
    __table_args__ = (UniqueConstraint("minutes_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    minutes_id: Mapped[int] = mapped_column(ForeignKey("meeting_minutes.id", ondelete="CASCADE"))
    number: Mapped[int] = mapped_column(Integer)
    body: Mapped[str] = mapped_column(Text)
    written_by: Mapped[int | None] = mapped_column(BigInteger, default=None)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class MinutesSignature(Base):
    """A minute-signer's signature on one version, made with a one-time code."""

    __tablename__ = "meeting_minutes_signature"

    version_id: Mapped[int] = mapped_column(
        ForeignKey("meeting_minutes_version.id", ondelete="CASCADE"), primary_key=True
    )
    member_number: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    channel: Mapped[str] = mapped_column(String(8))  # how the code reached the signer
    signed_at: Mapped[datetime] = mapped_column(default=utcnow)
