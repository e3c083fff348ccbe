"""The discussions' tables: threads, posts and their edit history, reactions, reports,
read marks and image attachments.

A post's text is kept twice: the Markdown the member wrote (for editing) and the sanitised
HTML rendered from it once, at write time, which every page, e-mail and API answer shows.
Posts carry their group id too (copied from the thread, which never moves) so unread
counts, digests and listings across groups need no join through threads.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import (
    BigInteger,
    Boolean,
    CheckConstraint,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from innsiden.groups.models import Group
from innsiden.storedkeys import stored_keys
from membersync.db import Base, utcnow

POST_STATES = ("visible", "deleted", "hidden")
REACTION_KINDS = ("tommel", "hjerte", "smil", "feiring", "tenker")
REACTION_EMOJI = {"tommel": "👍", "hjerte": "❤️", "smil": "😄", "feiring": "🎉", "tenker": "🤔"}
REPORT_STATUSES = ("open", "hidden", "dismissed")


class Thread(Base):
    """A discussion in one group: a title, an opening post and replies in order."""

    __tablename__ = "discussion_thread"
    __table_args__ = (
        # The group page: pinned first, then by latest activity (keyset on last_post_id).
        Index("ix_discussion_thread_listing", "group_id", "pinned", "last_post_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    group_id: Mapped[int] = mapped_column(ForeignKey("portal_group.id", ondelete="CASCADE"))
    title: Mapped[str] = mapped_column(String(200))
    author_number: Mapped[int | None] = mapped_column(
        ForeignKey("member.number", ondelete="SET NULL"), index=True, default=None
    )
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    # The newest post (any state): orders the listing and tells what is unread.
    last_post_id: Mapped[int] = mapped_column(Integer, default=0)
    last_post_at: Mapped[datetime] = mapped_column(default=utcnow)
    reply_count: Mapped[int] = mapped_column(Integer, default=0)
    pinned: Mapped[bool] = mapped_column(Boolean, default=False)
    locked: Mapped[bool] = mapped_column(Boolean, default=False)

    group: Mapped[Group] = relationship(lazy="joined", innerjoin=True)


class Post(Base):
    """One post (the opening post is the thread's first). Deleted and hidden posts stay."""

    __tablename__ = "discussion_post"
    __table_args__ = (
        CheckConstraint("state IN ('visible', 'deleted', 'hidden')", name="state"),
        Index("ix_discussion_post_thread_id_id", "thread_id", "id"),
        Index("ix_discussion_post_group_id_id", "group_id", "id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    thread_id: Mapped[int] = mapped_column(ForeignKey("discussion_thread.id", ondelete="CASCADE"))
    group_id: Mapped[int] = mapped_column(ForeignKey("portal_group.id", ondelete="CASCADE"))
    author_number: Mapped[int | None] = mapped_column(
        ForeignKey("member.number", ondelete="SET NULL"), index=True, default=None
    )
    quote_of_id: Mapped[int | None] = mapped_column(
        ForeignKey("discussion_post.id", ondelete="SET NULL"), index=True, default=None
    )
    body_source: Mapped[str] = mapped_column(Text, default="")
    body_html: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    edited_at: Mapped[datetime | None] = mapped_column(default=None)
    edit_count: Mapped[int] = mapped_column(Integer, default=0)
    state: Mapped[str] = mapped_column(String(8), default="visible")
    # Moderation: who hid it, when, and why (shown to moderators only).
    hidden_reason: Mapped[str | None] = mapped_column(Text, default=None)
    hidden_by: Mapped[int | None] = mapped_column(BigInteger, default=None)
    hidden_at: Mapped[datetime | None] = mapped_column(default=None)
    deleted_at: Mapped[datetime | None] = mapped_column(default=None)

    # Many-to-one by primary key: served from the identity map once the thread is loaded.
    thread: Mapped[Thread] = relationship()


class PostRevision(Base):
    """A previous version of an edited post (the edit history members can see)."""

    __tablename__ = "discussion_post_revision"

    id: Mapped[int] = mapped_column(primary_key=True)
    post_id: Mapped[int] = mapped_column(
        ForeignKey("discussion_post.id", ondelete="CASCADE"), index=True
    )
    body_source: Mapped[str] = mapped_column(Text)
    body_html: Mapped[str] = mapped_column(Text)
    # When this version was first shown (the post's creation or the edit before).
    written_at: Mapped[datetime] = mapped_column()
    replaced_at: Mapped[datetime] = mapped_column(default=utcnow)


class Reaction(Base):
    """One member's reaction of one kind to one post (one row each, unique)."""

    __tablename__ = "discussion_reaction"
    __table_args__ = (
        CheckConstraint("kind IN ('tommel', 'hjerte', 'smil', 'feiring', 'tenker')", name="kind"),
    )

    post_id: Mapped[int] = mapped_column(
        ForeignKey("discussion_post.id", ondelete="CASCADE"), primary_key=True
    )
    member_number: Mapped[int] = mapped_column(
        ForeignKey("member.number", ondelete="CASCADE"), primary_key=True, index=True
    )
    kind: Mapped[str] = mapped_column(String(8), primary_key=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class Report(Base):
    """A member telling the group's moderators that a post breaks the rules."""

    __tablename__ = "discussion_report"
    __table_args__ = (
        CheckConstraint("status IN ('open', 'hidden', 'dismissed')", name="status"),
        Index("ix_discussion_report_group_status", "group_id", "status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    post_id: Mapped[int] = mapped_column(
        ForeignKey("discussion_post.id", ondelete="CASCADE"), index=True
    )
    group_id: Mapped[int] = mapped_column(ForeignKey("portal_group.id", ondelete="CASCADE"))
    reporter_number: Mapped[int | None] = mapped_column(
        ForeignKey("member.number", ondelete="SET NULL"), index=True, default=None
    )
    reason: Mapped[str] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(10), default="open")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    decided_by: Mapped[int | None] = mapped_column(BigInteger, default=None)
    decided_at: Mapped[datetime | None] = mapped_column(default=None)


class ReadMark(Base):
    """How far one member has read one thread (the newest post id they were shown)."""

    __tablename__ = "discussion_read_mark"

    member_number: Mapped[int] = mapped_column(
        ForeignKey("member.number", ondelete="CASCADE"), primary_key=True
    )
    thread_id: Mapped[int] = mapped_column(
        ForeignKey("discussion_thread.id", ondelete="CASCADE"), primary_key=True, index=True
    )
    last_read_post_id: Mapped[int] = mapped_column(Integer, default=0)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)


class Attachment(Base):
    """A picture attached to a post: our re-encoding and its thumbnail, in storage."""

    __tablename__ = "discussion_attachment"

    id: Mapped[int] = mapped_column(primary_key=True)
    post_id: Mapped[int] = mapped_column(
        ForeignKey("discussion_post.id", ondelete="CASCADE"), index=True
    )
    storage_key: Mapped[str] = mapped_column(String(200))
    thumb_key: Mapped[str] = mapped_column(String(200))
    mime_type: Mapped[str] = mapped_column(String(32))
    width: Mapped[int] = mapped_column(Integer)
    height: Mapped[int] = mapped_column(Integer)
    thumb_width: Mapped[int] = mapped_column(Integer)
    thumb_height: Mapped[int] = mapped_column(Integer)
    size: Mapped[int] = mapped_column(BigInteger)
    filename: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


# The orphan sweep (innsiden.orphans) keeps every object these columns point at.
stored_keys(Attachment.storage_key, Attachment.thumb_key)
