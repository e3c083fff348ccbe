"""Written (secret) ballots in a meeting vote, by the polls' design (`innsiden.polls.secrecy`,
whose notes on what remains — PostgreSQL's xmin and heap order until the seal, WAL, access
logs — hold here too).

A written ballot is one transaction: the elector row marked `voted` (it keeps no choice) and a
`meeting_ballot` row with the choice and the SHA-256 of a fresh receipt code mixed with the
vote id, under a random UUID key, with no member number and no time. The receipt is shown to
the voter once, never stored readable. Nothing is written to the audit log, the domain events
or the logs about who cast which ballot; the live count carries only how many have voted.

`seal` rewrites the vote's ballots in random order under new keys and its elector rows in
member-number order in one transaction, so afterwards no row order or transaction id (xmin)
joins a ballot to a voter. It runs at the close.
"""

from __future__ import annotations

import hashlib
import secrets
import uuid

from sqlalchemy import delete, insert, select
from sqlalchemy.orm import Session

from innsiden.meetings.models import MeetingBallot, MeetingVote, VoteElector
from innsiden.polls.secrecy import new_receipt, normalise_receipt

__all__ = ["add_ballot", "new_receipt", "receipt_hash", "seal"]

_random = secrets.SystemRandom()


def receipt_hash(vote_id: int, receipt: str) -> str:
    """What is kept with the ballot; the vote id is mixed in, so a code means nothing elsewhere."""
    text = f"innsiden-meeting-vote:{vote_id}:{normalise_receipt(receipt)}"
    return hashlib.sha256(text.encode()).hexdigest()


def add_ballot(session: Session, vote: MeetingVote, choice: str) -> str:
    """Store one written ballot; returns its receipt (to show once)."""
    receipt = new_receipt()
    session.add(MeetingBallot(vote_id=vote.id, receipt_hash=receipt_hash(vote.id, receipt),
                              choice=choice))  # fmt: skip
    return receipt


def seal(session: Session, vote: MeetingVote) -> None:
    """Rewrite a written vote's ballots (random order, new keys) and electors (number order)."""
    if not vote.secret:
        return
    ballots = list(session.execute(
        select(MeetingBallot.receipt_hash, MeetingBallot.choice)
        .where(MeetingBallot.vote_id == vote.id)
    ))  # fmt: skip
    electors = sorted(session.execute(
        select(VoteElector.member_number, VoteElector.cast_by, VoteElector.voted)
        .where(VoteElector.vote_id == vote.id)
    ))  # fmt: skip
    _random.shuffle(ballots)
    session.execute(delete(MeetingBallot).where(MeetingBallot.vote_id == vote.id))
    session.execute(delete(VoteElector).where(VoteElector.vote_id == vote.id))
    if ballots:
        session.execute(insert(MeetingBallot), [
            {"id": uuid.uuid4(), "vote_id": vote.id, "receipt_hash": h, "choice": c}
            for h, c in ballots
        ])  # fmt: skip
    if electors:
        session.execute(insert(VoteElector), [
            {"vote_id": vote.id, "member_number": n, "cast_by": by, "voted": voted, "choice": None}
            for n, by, voted in electors
        ])  # fmt: skip
    session.flush()
