"""The tables of the meeting room: the agenda item on the projector, and votes held on paper with
the two counters the chair named and each counter's own entry of the counts. A paper vote's
result is written to `meeting_vote` only when both entries agree (meetings/paper_votes.py)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, BigInteger, CheckConstraint, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from membersync.db import Base, utcnow

PAPER_STATES = ("counting", "recorded")


class PaperVote(Base):
    """A vote held on paper: its question, its electorate's size frozen at the opening and the
    two counters. Becomes a closed `meeting_vote` once both counters agree."""

    __tablename__ = "meeting_paper_vote"
    __table_args__ = (
        CheckConstraint("state IN ('counting', 'recorded')", name="state"),
        CheckConstraint("first_counter <> second_counter", name="two_counters"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(
        ForeignKey("meeting.id", ondelete="CASCADE"), index=True
    )
    question: Mapped[str] = mapped_column(String(300))
    kind: Mapped[str] = mapped_column(String(10), default="decision")
    electorate_size: Mapped[int] = mapped_column(Integer)
    first_counter: Mapped[int] = mapped_column(BigInteger)
    second_counter: Mapped[int] = mapped_column(BigInteger)
    state: Mapped[str] = mapped_column(String(10), default="counting")
    # How often the two entries differed and both counters were told to count again.
    recounts: Mapped[int] = mapped_column(Integer, default=0)
    # Drawn at the opening when the profile settles ties by lot (as for votes on screens).
    tie_seed: Mapped[str | None] = mapped_column(String(64), default=None)
    opened_by: Mapped[int | None] = mapped_column(BigInteger, default=None)
    opened_at: Mapped[datetime] = mapped_column(default=utcnow)
    # The meeting vote holding the agreed result, once recorded.
    vote_id: Mapped[int | None] = mapped_column(
        ForeignKey("meeting_vote.id", ondelete="SET NULL"), index=True, default=None
    )


class PaperCount(Base):
    """One counter's entry of the counts ({"ja": 12, "nei": 3, "blank": 1}); replaced when
    the counters are told to count again."""

    __tablename__ = "meeting_paper_count"

    paper_vote_id: Mapped[int] = mapped_column(
        ForeignKey("meeting_paper_vote.id", ondelete="CASCADE"), primary_key=True
    )
    counter_number: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    counts: Mapped[dict[str, Any]] = mapped_column(JSON)
    entered_at: Mapped[datetime] = mapped_column(default=utcnow)


class MeetingScreen(Base):
    """What the projector shows besides the votes: the agenda item being dealt with."""

    __tablename__ = "meeting_screen"

    meeting_id: Mapped[int] = mapped_column(
        ForeignKey("meeting.id", ondelete="CASCADE"), primary_key=True
    )
    agenda_item_id: Mapped[int | None] = mapped_column(
        ForeignKey("meeting_agenda_item.id", ondelete="SET NULL"), index=True, default=None
    )
    changed_at: Mapped[datetime] = mapped_column(default=utcnow)
