"""The front page's read model: one stream of what happened in groups, and each member's
"last seen" mark.

The stream is filled by the job runner from the domain events (see stream.py), never by a
page view; a row holds what a page needs to find, group, check and render an entry.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import BigInteger, ForeignKey, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from membersync.db import Base, utcnow


class StreamEntry(Base):
    """One thing that happened in a group ("reply", "file", "poll_opened", …)."""

    __tablename__ = "home_stream_entry"
    __table_args__ = (
        # A page reads each group's newest rows by id (keyset), one index seek per group.
        Index("ix_home_stream_entry_group_id_id", "group_id", "id"),
        Index("ix_home_stream_entry_subject", "subject_kind", "subject_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    # The domain event it came from: a batch handled twice after a crash adds nothing twice.
    event_id: Mapped[int] = mapped_column(BigInteger, unique=True)
    kind: Mapped[str] = mapped_column(String(24))
    group_id: Mapped[int] = mapped_column(ForeignKey("portal_group.id", ondelete="CASCADE"))
    subject_kind: Mapped[str] = mapped_column(String(16))  # "post", "file", "poll", …
    subject_id: Mapped[int] = mapped_column(Integer)
    # Rows with the same key next to each other are shown as one ("3 nye svar i …").
    group_key: Mapped[str] = mapped_column(String(48))
    actor_number: Mapped[int | None] = mapped_column(BigInteger, default=None)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class HomeVisit(Base):
    """What the member had seen of the stream when they last opened the front page."""

    __tablename__ = "home_visit"

    member_number: Mapped[int] = mapped_column(
        ForeignKey("member.number", ondelete="CASCADE"), primary_key=True
    )
    seen_entry_id: Mapped[int] = mapped_column(Integer, default=0)
    seen_at: Mapped[datetime] = mapped_column(default=utcnow)
