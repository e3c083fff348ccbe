"""The meetings' tables: versioned statute profiles, meetings with their agenda, the voting
roll with its complaints, attendance, and votes held during the meeting.

What is copied from the register, and why (architecture.md, "Derive, don't copy"): the roll
(`meeting_roll_entry`) is computed from the mirror and then kept on purpose, because after it
is frozen a later sync must not change it; every change to it after the computation is
written to the audit log. A vote's electorate (`meeting_vote_elector`) is frozen at its
opening from those checked in, with the proxies their holders carry in.

A written (secret) ballot keeps the polls' design (`innsiden.polls.secrecy`): the elector row
says only *that* a right was used; the choice lives in `meeting_ballot` with a hash of the
voter's receipt and nothing pointing back at a member (no number, no time, a random key,
WITHOUT ROWID on SQLite), and both tables are rewritten at the close (`meetings.secret.seal`).
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
    false,
)
from sqlalchemy.orm import Mapped, mapped_column

from membersync.db import Base, utcnow

AGENDA_KINDS = (
    "approve_notice",
    "approve_agenda",
    "elect_chair",
    "elect_minute_takers",
    "elect_minute_signers",
    "item",
)
ROLL_STATES = ("none", "open", "frozen")
COMPLAINT_STATES = ("pending", "upheld", "rejected")
VOTE_STATES = ("open", "closed")
VOTE_CHOICES = ("ja", "nei", "blank")
PROXY_STATES = ("offered", "accepted", "declined", "revoked", "voided")


class MeetingProfile(Base):
    """One version of a statute profile; never changed once a meeting points at it."""

    __tablename__ = "meeting_profile"
    __table_args__ = (UniqueConstraint("key", "version", name="uq_meeting_profile_version"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(40))  # "parti", "nif", or the organisation's own
    version: Mapped[int] = mapped_column(Integer)
    data: Mapped[dict[str, Any]] = mapped_column(JSON)
    created_by: Mapped[int | None] = mapped_column(BigInteger, default=None)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class Meeting(Base):
    """An årsmøte of a lokallag's or fylkeslag's group."""

    __tablename__ = "meeting"
    __table_args__ = (
        CheckConstraint("roll_state IN ('none', 'open', 'frozen')", name="roll_state"),
        CheckConstraint("place <> '' OR online_url <> ''", name="where"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    group_id: Mapped[int] = mapped_column(
        ForeignKey("portal_group.id", ondelete="CASCADE"), index=True
    )
    profile_id: Mapped[int] = mapped_column(ForeignKey("meeting_profile.id"), index=True)
    title: Mapped[str] = mapped_column(String(200))
    starts_at: Mapped[datetime] = mapped_column(index=True)
    place: Mapped[str] = mapped_column(String(300), default="")
    online_url: Mapped[str] = mapped_column(String(500), default="")
    # The day the register is read as of for the roll, and when complaints close.
    cutoff_on: Mapped[date] = mapped_column(Date)
    complaints_until: Mapped[datetime] = mapped_column()
    roll_state: Mapped[str] = mapped_column(String(8), default="none")
    roll_computed_at: Mapped[datetime | None] = mapped_column(default=None)
    roll_frozen_at: Mapped[datetime | None] = mapped_column(default=None)
    # Check-in: a short code shown in the room; None while check-in is closed.
    room_code: Mapped[str | None] = mapped_column(String(12), default=None)
    called_by: Mapped[int | None] = mapped_column(BigInteger, default=None)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class AgendaItem(Base):
    """A numbered item of the agenda; the opening items are generated from the profile."""

    __tablename__ = "meeting_agenda_item"
    __table_args__ = (UniqueConstraint("meeting_id", "position", name="uq_agenda_position"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(ForeignKey("meeting.id", ondelete="CASCADE"))
    position: Mapped[int] = mapped_column(Integer)
    kind: Mapped[str] = mapped_column(String(24))
    title: Mapped[str] = mapped_column(String(300), default="")  # kind "item" only


class RollEntry(Base):
    """One member's line on the roll: whether they may vote, and why (reason codes)."""

    __tablename__ = "meeting_roll_entry"

    meeting_id: Mapped[int] = mapped_column(
        ForeignKey("meeting.id", ondelete="CASCADE"), primary_key=True
    )
    member_number: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    eligible: Mapped[bool] = mapped_column(Boolean)
    # [{"code": "status", "status": "aktiv"}, {"code": "paid", "until": "2026-12-31"}, …]
    reasons: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    # register: computed; complaint: decided on a complaint; correction: after the freeze.
    source: Mapped[str] = mapped_column(String(12), default="register")


class RollComplaint(Base):
    """A member's objection to their line on the roll, and the board's decision."""

    __tablename__ = "meeting_roll_complaint"
    __table_args__ = (
        CheckConstraint("status IN ('pending', 'upheld', 'rejected')", name="status"),
        Index("ix_complaint_meeting_status", "meeting_id", "status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(ForeignKey("meeting.id", ondelete="CASCADE"))
    member_number: Mapped[int] = mapped_column(BigInteger)
    text: Mapped[str] = mapped_column(Text)
    filed_at: Mapped[datetime] = mapped_column(default=utcnow)
    status: Mapped[str] = mapped_column(String(8), default="pending")
    decided_by: Mapped[int | None] = mapped_column(BigInteger, default=None)
    decided_at: Mapped[datetime | None] = mapped_column(default=None)
    decision_note: Mapped[str] = mapped_column(Text, default="")


class Attendance(Base):
    """A member's presence: checked in with the room code, out and back again."""

    __tablename__ = "meeting_attendance"
    __table_args__ = (Index("ix_attendance_present", "meeting_id", "present"),)

    meeting_id: Mapped[int] = mapped_column(
        ForeignKey("meeting.id", ondelete="CASCADE"), primary_key=True
    )
    member_number: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    present: Mapped[bool] = mapped_column(Boolean, default=True)
    first_in_at: Mapped[datetime] = mapped_column(default=utcnow)
    changed_at: Mapped[datetime] = mapped_column(default=utcnow)
    check_ins: Mapped[int] = mapped_column(Integer, default=1)
    # Checked in from afar with a one-time code (innsiden.meetings.room), not in the room.
    remote: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())


class MeetingVote(Base):
    """A vote on a proposal during the meeting, opened and closed by the chair (open ballot)."""

    __tablename__ = "meeting_vote"
    __table_args__ = (CheckConstraint("state IN ('open', 'closed')", name="state"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(
        ForeignKey("meeting.id", ondelete="CASCADE"), index=True
    )
    question: Mapped[str] = mapped_column(String(300))
    # The majority rule as in the profile ({"fraction": "2/3", "strict": false, "base": "cast"}).
    majority: Mapped[dict[str, Any]] = mapped_column(JSON)
    state: Mapped[str] = mapped_column(String(8), default="open")
    opened_by: Mapped[int | None] = mapped_column(BigInteger, default=None)
    opened_at: Mapped[datetime] = mapped_column(default=utcnow)
    electorate_size: Mapped[int] = mapped_column(Integer, default=0)
    # Drawn at the opening when the profile settles ties by lot; its sha256 is shown from the
    # opening, the seed itself only with the result.
    tie_seed: Mapped[str | None] = mapped_column(String(64), default=None)
    closed_at: Mapped[datetime | None] = mapped_column(default=None)
    present_at_close: Mapped[int | None] = mapped_column(Integer, default=None)
    # The rights that could still be used at the close (caster checked in, proxy still held).
    electorate_at_close: Mapped[int | None] = mapped_column(Integer, default=None)
    # A written (secret) ballot: chosen by the chair, or asked for by one voter (who and when
    # are recorded: the request is made openly in the meeting).
    secret: Mapped[bool] = mapped_column(Boolean, default=False)
    secret_requested_by: Mapped[int | None] = mapped_column(BigInteger, default=None)
    secret_requested_at: Mapped[datetime | None] = mapped_column(default=None)
    # Set at the close: the counts and the decision, as the minutes show them.
    result: Mapped[dict[str, Any] | None] = mapped_column(JSON, default=None)


class VoteElector(Base):
    """One right to vote in one meeting vote, frozen at its opening: a member checked in, or a
    proxy giver's right carried by a holder checked in (`cast_by`)."""

    __tablename__ = "meeting_vote_elector"
    __table_args__ = (Index("ix_vote_elector_cast_by", "vote_id", "cast_by"),)

    vote_id: Mapped[int] = mapped_column(
        ForeignKey("meeting_vote.id", ondelete="CASCADE"), primary_key=True
    )
    member_number: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    # The proxy holder who casts this right; None: the member casts it.
    cast_by: Mapped[int | None] = mapped_column(BigInteger, default=None)
    voted: Mapped[bool] = mapped_column(Boolean, default=False)
    # ja / nei / blank in an open vote (the minutes may show who voted how); never set in a
    # written ballot, whose choice is in `MeetingBallot`.
    choice: Mapped[str | None] = mapped_column(String(5), default=None)


# --- Motions, elections and delegates (issue #24) -----------------------------------------
# A motion's and an amendment's text is kept as lines joined by "\n" (line 1 first); the
# voting order is computed from them, never stored. A secret election ballot holds no voter:
# who voted is in `meeting_election_elector`, what was chosen in `meeting_election_ballot`.

MOTION_STATES = ("submitted", "voting", "adopted", "rejected", "withdrawn")
AMENDMENT_STATES = ("pending", "adopted", "rejected", "fallen")
ELECTION_STATES = ("nominating", "open", "tie", "counted", "closed")


class MeetingMotion(Base):
    """A motion (forslag) to the årsmøte with line-numbered text."""

    __tablename__ = "meeting_motion"
    __table_args__ = (UniqueConstraint("meeting_id", "number", name="uq_motion_number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(ForeignKey("meeting.id", ondelete="CASCADE"))
    number: Mapped[int] = mapped_column(Integer)
    title: Mapped[str] = mapped_column(String(200))
    text: Mapped[str] = mapped_column(Text)
    proposer_number: Mapped[int] = mapped_column(BigInteger)
    submitted_at: Mapped[datetime] = mapped_column(default=utcnow)
    state: Mapped[str] = mapped_column(String(10), default="submitted")
    # The drafting committee's (redaksjonskomiteens) recommendation on the motion as a whole.
    recommendation: Mapped[str] = mapped_column(Text, default="")
    adopted_text: Mapped[str | None] = mapped_column(Text, default=None)
    decided_at: Mapped[datetime | None] = mapped_column(default=None)


class MotionSupporter(Base):
    """A member who supports a motion (where the statutes ask for supporters)."""

    __tablename__ = "meeting_motion_supporter"

    motion_id: Mapped[int] = mapped_column(
        ForeignKey("meeting_motion.id", ondelete="CASCADE"), primary_key=True
    )
    member_number: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    supported_at: Mapped[datetime] = mapped_column(default=utcnow)


class MeetingAmendment(Base):
    """A change to lines of a motion, or of another amendment's new text (`target_id`)."""

    __tablename__ = "meeting_amendment"
    __table_args__ = (UniqueConstraint("motion_id", "number", name="uq_amendment_number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    motion_id: Mapped[int] = mapped_column(ForeignKey("meeting_motion.id", ondelete="CASCADE"))
    number: Mapped[int] = mapped_column(Integer)
    target_id: Mapped[int | None] = mapped_column(
        ForeignKey("meeting_amendment.id", ondelete="CASCADE"), index=True, default=None
    )
    operation: Mapped[str] = mapped_column(String(16))  # replace, delete, insert_before, add_after
    start_line: Mapped[int] = mapped_column(Integer)
    end_line: Mapped[int] = mapped_column(Integer)
    text: Mapped[str] = mapped_column(Text, default="")
    proposer_number: Mapped[int] = mapped_column(BigInteger)
    submitted_at: Mapped[datetime] = mapped_column(default=utcnow)
    # The drafting committee: "adopt", "reject" or "" (none yet), with a note.
    recommendation: Mapped[str] = mapped_column(String(8), default="")
    recommendation_note: Mapped[str] = mapped_column(Text, default="")
    state: Mapped[str] = mapped_column(String(8), default="pending")


class MotionStep(Base):
    """One vote held on a motion, in the voting order: an amendment, or (None) the whole."""

    __tablename__ = "meeting_motion_step"
    __table_args__ = (UniqueConstraint("motion_id", "position", name="uq_motion_step"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    motion_id: Mapped[int] = mapped_column(ForeignKey("meeting_motion.id", ondelete="CASCADE"))
    position: Mapped[int] = mapped_column(Integer)
    amendment_id: Mapped[int | None] = mapped_column(
        ForeignKey("meeting_amendment.id", ondelete="CASCADE"), index=True, default=None
    )
    vote_id: Mapped[int] = mapped_column(
        ForeignKey("meeting_vote.id", ondelete="CASCADE"), unique=True
    )
    # A block vote (blokkvotering) on the drafting committee's recommendations: the amendments
    # it settles as they stood when it opened, {"<amendment id>": "adopt" | "reject"}.
    block: Mapped[dict[str, str] | None] = mapped_column(JSON, default=None)


class MotionPullOut(Base):
    """A voter takes an amendment out of the block vote for a separate vote (an open act)."""

    __tablename__ = "meeting_motion_pull_out"

    amendment_id: Mapped[int] = mapped_column(
        ForeignKey("meeting_amendment.id", ondelete="CASCADE"), primary_key=True
    )
    member_number: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    motion_id: Mapped[int] = mapped_column(
        ForeignKey("meeting_motion.id", ondelete="CASCADE"), index=True
    )
    pulled_at: Mapped[datetime] = mapped_column(default=utcnow)


class Election(Base):
    """One election at the årsmøte: leader, board, substitutes, delegates or their substitutes."""

    __tablename__ = "meeting_election"
    __table_args__ = (Index("ix_election_meeting", "meeting_id", "position"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(ForeignKey("meeting.id", ondelete="CASCADE"))
    position: Mapped[int] = mapped_column(Integer)
    kind: Mapped[str] = mapped_column(String(24))
    title: Mapped[str] = mapped_column(String(200))
    seats: Mapped[int] = mapped_column(Integer)
    state: Mapped[str] = mapped_column(String(10), default="nominating")
    round: Mapped[int] = mapped_column(Integer, default=0)  # the ballot (valgomgang) held last
    standing: Mapped[list[int] | None] = mapped_column(JSON, default=None)  # nominee ids
    tie_seed: Mapped[str] = mapped_column(String(64))
    # Delegates: the meeting they are elected to (a fylkesårsmøte).
    to_meeting_id: Mapped[int | None] = mapped_column(
        ForeignKey("meeting.id", ondelete="SET NULL"), index=True, default=None
    )
    # The count's record beside the ballots: the chair's tie decisions ("chair_ties") and a
    # tie waiting for the chair ("pending_tie", while the state is "tie").
    report: Mapped[dict[str, Any] | None] = mapped_column(JSON, default=None)
    elected: Mapped[list[int] | None] = mapped_column(JSON, default=None)  # member numbers
    opened_at: Mapped[datetime | None] = mapped_column(default=None)
    closed_at: Mapped[datetime | None] = mapped_column(default=None)


class ElectionNominee(Base):
    """A candidate: from the nomination committee (with consent recorded) or the floor."""

    __tablename__ = "meeting_nominee"
    __table_args__ = (UniqueConstraint("election_id", "member_number", name="uq_nominee"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    election_id: Mapped[int] = mapped_column(ForeignKey("meeting_election.id", ondelete="CASCADE"))
    member_number: Mapped[int] = mapped_column(BigInteger)
    gender: Mapped[str] = mapped_column(String(8))  # kvinne, mann, annet
    consent: Mapped[bool] = mapped_column(Boolean, default=False)
    source: Mapped[str] = mapped_column(String(10))  # committee, floor
    nominated_by: Mapped[int] = mapped_column(BigInteger)
    nominated_at: Mapped[datetime] = mapped_column(default=utcnow)


class ElectionElector(Base):
    """Who may vote in one ballot of an election (frozen at its opening) and whether they did."""

    __tablename__ = "meeting_election_elector"
    __table_args__ = {"sqlite_with_rowid": False}  # noqa: RUF012 - SQLAlchemy reads it as is.

    election_id: Mapped[int] = mapped_column(
        ForeignKey("meeting_election.id", ondelete="CASCADE"), primary_key=True
    )
    round: Mapped[int] = mapped_column(Integer, primary_key=True)
    member_number: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    voted: Mapped[bool] = mapped_column(Boolean, default=False)


class ElectionBallot(Base):
    """A secret ballot: a random key, the receipt's hash and the choices; never the voter."""

    __tablename__ = "meeting_election_ballot"
    __table_args__ = (
        Index("ix_election_ballot_round", "election_id", "round"),
        {"sqlite_with_rowid": False},
    )

    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    election_id: Mapped[int] = mapped_column(ForeignKey("meeting_election.id", ondelete="CASCADE"))
    round: Mapped[int] = mapped_column(Integer)
    receipt_hash: Mapped[str] = mapped_column(String(64))
    choices: Mapped[list[int]] = mapped_column(JSON)  # nominee ids, in ranked order


class Delegate(Base):
    """A delegate or ranked substitute a lokallag elected to a fylkesårsmøte.

    The delegation's size is how many rows have role "delegate"; whoever of the delegation
    has not withdrawn, delegates first and then substitutes in rank, fills those seats.
    """

    __tablename__ = "meeting_delegate"
    __table_args__ = (
        UniqueConstraint("to_meeting_id", "member_number", name="uq_delegate_member"),
        Index("ix_delegate_from", "from_meeting_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    to_meeting_id: Mapped[int] = mapped_column(ForeignKey("meeting.id", ondelete="CASCADE"))
    from_meeting_id: Mapped[int] = mapped_column(ForeignKey("meeting.id", ondelete="CASCADE"))
    unit_id: Mapped[str] = mapped_column(String(64))
    member_number: Mapped[int] = mapped_column(BigInteger)
    role: Mapped[str] = mapped_column(String(10))  # delegate, substitute
    rank: Mapped[int] = mapped_column(Integer)
    withdrawn_at: Mapped[datetime | None] = mapped_column(default=None)


class MeetingBallot(Base):
    """A written ballot: the choice and a hash of the receipt code, and nothing else."""

    __tablename__ = "meeting_ballot"
    __table_args__ = (
        UniqueConstraint("vote_id", "receipt_hash", name="uq_meeting_ballot_receipt"),
        {"sqlite_with_rowid": False},
    )

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=uuid.uuid4)
    vote_id: Mapped[int] = mapped_column(ForeignKey("meeting_vote.id", ondelete="CASCADE"))
    receipt_hash: Mapped[str] = mapped_column(String(64))
    choice: Mapped[str] = mapped_column(String(5))


class MeetingProxy(Base):
    """A member's proxy (fullmakt) to another on the roll: one per giver and meeting, offered,
    then accepted or declined by the holder, revoked by the giver, voided when the giver
    checks in. Every change is audit-logged."""

    __tablename__ = "meeting_proxy"
    __table_args__ = (
        CheckConstraint(
            "state IN ('offered', 'accepted', 'declined', 'revoked', 'voided')", name="state"
        ),
        Index("ix_meeting_proxy_holder", "meeting_id", "holder_number", "state"),
    )

    meeting_id: Mapped[int] = mapped_column(
        ForeignKey("meeting.id", ondelete="CASCADE"), primary_key=True
    )
    giver_number: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    holder_number: Mapped[int] = mapped_column(BigInteger)
    state: Mapped[str] = mapped_column(String(9), default="offered")
    issued_at: Mapped[datetime] = mapped_column(default=utcnow)
    accepted_at: Mapped[datetime | None] = mapped_column(default=None)
    ended_at: Mapped[datetime | None] = mapped_column(default=None)
