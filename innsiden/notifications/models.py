"""Notifications stored per recipient, each member's e-mail choice, and used unsubscribe links."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import BigInteger, CheckConstraint, ForeignKey, Index, String, Text, false
from sqlalchemy.orm import Mapped, mapped_column

from membersync.db import Base, utcnow

EMAIL_MODES = ("immediate", "digest", "none")
# pending: to be e-mailed at once; sending: claimed by a job runner; sent; digest: waits for
# the daily digest; skipped: no e-mail wanted; withheld: the recipient may no longer see it.
EMAIL_STATES = ("pending", "sending", "sent", "digest", "skipped", "withheld")


class Notification(Base):
    """Something that happened that concerns one member (a mention, a reply, a poll opening)."""

    __tablename__ = "notification"
    __table_args__ = (
        Index("ix_notification_recipient_unread", "recipient_number", "read_at"),
        Index("ix_notification_email_state", "email_state", "id"),
        CheckConstraint(
            "email_state IN ('pending', 'sending', 'sent', 'digest', 'skipped', 'withheld')",
            name="email_state",
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    recipient_number: Mapped[int] = mapped_column(ForeignKey("member.number", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(48))  # e.g. "discussions.mention"
    # The group the thing lives in (checked again at delivery); None for personal things.
    group_id: Mapped[int | None] = mapped_column(
        ForeignKey("portal_group.id", ondelete="CASCADE"), index=True, default=None
    )
    # "kind:id" of the thing itself, e.g. "post:42": its visibility is checked at delivery.
    subject: Mapped[str | None] = mapped_column(String(96), default=None)
    actor_number: Mapped[int | None] = mapped_column(BigInteger, default=None)
    title: Mapped[str] = mapped_column(String(300))
    excerpt: Mapped[str] = mapped_column(Text, default="")  # plain text, from sanitised HTML
    url: Mapped[str] = mapped_column(String(500))  # a path inside the portal
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    read_at: Mapped[datetime | None] = mapped_column(default=None)
    email_state: Mapped[str] = mapped_column(String(10), default="pending")
    claimed_at: Mapped[datetime | None] = mapped_column(default=None)
    emailed_at: Mapped[datetime | None] = mapped_column(default=None)


class NotificationSettings(Base):
    """A member's global e-mail choice; no row means the defaults (immediate)."""

    __tablename__ = "notification_settings"
    __table_args__ = (
        CheckConstraint("email_mode IN ('immediate', 'digest', 'none')", name="email_mode"),
    )

    member_number: Mapped[int] = mapped_column(
        ForeignKey("member.number", ondelete="CASCADE"), primary_key=True
    )
    email_mode: Mapped[str] = mapped_column(String(10), default="immediate")
    # When the last daily digest was claimed for this member (claimed once per day).
    last_digest_at: Mapped[datetime | None] = mapped_column(default=None)
    # Announcements to a whole group (a poll opening) go to the digest unless this is set.
    announcements_immediate: Mapped[bool] = mapped_column(default=False, server_default=false())
    # The hourly cap on immediate e-mails: when this member's current hour began, and how
    # many immediate e-mails they have had in it.
    mail_window_start: Mapped[datetime | None] = mapped_column(default=None)
    mail_window_count: Mapped[int] = mapped_column(default=0, server_default="0")
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)


class UsedUnsubscribeToken(Base):
    """An unsubscribe link already used: each link works once."""

    __tablename__ = "used_unsubscribe_token"

    token_id: Mapped[str] = mapped_column(String(32), primary_key=True)
    member_number: Mapped[int] = mapped_column(BigInteger)
    used_at: Mapped[datetime] = mapped_column(default=utcnow)
