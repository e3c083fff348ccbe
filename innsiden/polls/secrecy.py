"""Keeping secret ballots unlinkable to voters: receipts, and reshuffling the tables.

What the schema guarantees (see `innsiden.polls.models`): the ballot row holds only a random
UUID key, the poll id, a SHA-256 hash of the voter's receipt code and the choices — no member
number, no reference to the voter row, no timestamp. The voter row holds only the poll id and
the member number. Both are SQLite tables WITHOUT ROWID (stored in key order: ballots by
random UUID, voters by member number), so on SQLite the physical order says nothing either.
The portal writes no audit entry, domain event or log line for a vote.

What remains, honestly, and what narrows it:
- PostgreSQL keeps rows in insertion order on the heap (`ctid`) and stamps each with the id
  of the transaction that wrote it (`xmin`); the ballot and the voter row of one vote are
  written in one transaction (that is what makes "one vote per member" atomic). Someone with
  direct database access could therefore join them while they are fresh. `seal` rewrites a
  poll's ballots in random order and its voter rows in member-number order within one
  transaction, so afterwards every live row carries the same `xmin` and no order. The job
  seals open secret polls with new ballots every run (about once a minute) and every poll at
  its close: the link lives at most until the next run. The old row versions stay on disk as
  dead tuples until (auto)vacuum reclaims them, readable only with superuser tools.
- Write-ahead logs (PostgreSQL WAL, archived WAL, logical replication, point-in-time backups;
  SQLite's -wal file until a checkpoint) record the writes in commit order. Whoever can read
  them and the voter rows can link a ballot to a vote's commit. Restrict who can read
  them and keep WAL archives and backups taken during a poll as secret as the poll.
- An HTTP access log records when each vote request came; with live results in a secret
  poll, someone watching the counts change at that moment learns the vote. Prefer showing
  results after the close for anything sensitive (the form says so).
- The receipt proves to anyone shown it how its holder voted (a receipt is not coercion-
  resistant). Anyone holding a receipt can also replace that ballot while changes are
  allowed. It is shown once and never stored in readable form.
"""

from __future__ import annotations

import hashlib
import secrets
import uuid

from sqlalchemy import delete, insert, select
from sqlalchemy.orm import Session

from innsiden.polls.models import Poll, PollBallot, PollVoter

# 31 letters and digits without look-alikes (no 0/O, 1/I/L): 16 of them carry 79 bits.
RECEIPT_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
RECEIPT_LENGTH = 16
_random = secrets.SystemRandom()


def new_receipt() -> str:
    """A fresh receipt code, grouped for reading aloud: ABCD-EFGH-JKMN-PQRS."""
    code = "".join(secrets.choice(RECEIPT_ALPHABET) for _ in range(RECEIPT_LENGTH))
    return "-".join(code[i : i + 4] for i in range(0, RECEIPT_LENGTH, 4))


def normalise_receipt(text: str) -> str:
    """The code as typed (any case, spaces or dashes) in its printed form."""
    code = "".join(ch for ch in text.upper() if ch.isalnum())
    return "-".join(code[i : i + 4] for i in range(0, len(code), 4))


def receipt_hash(poll_id: int, receipt: str) -> str:
    """What is stored with the ballot. The poll id is mixed in, so one code means nothing
    in another poll. Anyone can recompute it from the code to find their ballot in the list."""
    text = f"innsiden-poll:{poll_id}:{normalise_receipt(receipt)}"
    return hashlib.sha256(text.encode()).hexdigest()


def fingerprint(hash_hex: str) -> str:
    """The short form of a receipt hash shown in the published ballot list."""
    return hash_hex[:12]


def seal(session: Session, poll: Poll) -> None:
    """Rewrite a secret poll's ballots (random order, new random keys) and voter rows
    (member-number order) in this transaction. The caller holds the poll row's lock."""
    if not poll.secret:
        return
    ballots = list(
        session.execute(
            select(PollBallot.receipt_hash, PollBallot.choices).where(PollBallot.poll_id == poll.id)
        )
    )
    voters = sorted(
        session.scalars(select(PollVoter.member_number).where(PollVoter.poll_id == poll.id))
    )
    _random.shuffle(ballots)
    session.execute(delete(PollBallot).where(PollBallot.poll_id == poll.id))
    session.execute(delete(PollVoter).where(PollVoter.poll_id == poll.id))
    if ballots:
        session.execute(
            insert(PollBallot),
            [
                {"id": uuid.uuid4(), "poll_id": poll.id, "receipt_hash": h, "choices": c}
                for h, c in ballots
            ],
        )
    if voters:
        session.execute(
            insert(PollVoter),
            [{"poll_id": poll.id, "member_number": n, "voted": True} for n in voters],
        )
    poll.sealed_ballots = len(ballots)
    session.flush()
