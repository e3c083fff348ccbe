"""Elections at the årsmøte: nominees from the nomination committee (consent and gender
recorded), benkeforslag from the floor within the profile's window, secret ballots with
receipts checked against the rules before they are cast, and the count by
`innsiden.counting` with its round-by-round report. Never commits.

The usual order and how each kind is counted:
- leader: one seat, more than half the valid votes; otherwise a new ballot between the top two.
- board, delegates: k of n together (NIF's block vote, exactly k names on a ballot); seats
  left open go to a new ballot where the most votes win. The profile's gender rule is checked
  on each first-round ballot and applied in the count.
- substitutes, delegate_substitutes: ranked (preferansevalg, STV); the order they are elected
  in is their rank.

Secrecy as for polls (`innsiden.polls.secrecy`): a ballot row holds a random key, the round,
a hash of the voter's receipt and the choices, never the voter; the elector row says only that
a member voted. The ballots are rewritten in random order when the ballot closes.
"""

from __future__ import annotations

import hashlib
import secrets
import uuid
from collections.abc import Sequence
from fractions import Fraction
from typing import Any

from flask_babel import gettext as _
from sqlalchemy import delete, func, insert, select, update
from sqlalchemy.orm import Session

from innsiden import access, audit, events
from innsiden.counting import (
    BalanceRule,
    BallotRule,
    Chair,
    EarlierRound,
    Lot,
    Report,
    TieRule,
    TieUnresolved,
    ballot_problems,
    count_block,
    count_single_seat,
    count_stv,
    read_ranked,
)
from innsiden.counting_text import render
from innsiden.errors import Conflict, NotFound, ValidationFailed
from innsiden.meetings import attendance
from innsiden.meetings.models import (
    Election,
    ElectionBallot,
    ElectionElector,
    ElectionNominee,
    Meeting,
)
from innsiden.meetings.profiles import StatuteProfile
from innsiden.meetings.service import profile_of
from innsiden.polls.secrecy import new_receipt, normalise_receipt
from membersync.db import utcnow
from membersync.models import Member

KINDS = ("leader", "board", "substitutes", "delegates", "delegate_substitutes")
METHOD = {
    "leader": "single",
    "board": "block",
    "delegates": "block",
    "substitutes": "stv",
    "delegate_substitutes": "stv",
}
GENDERS = ("kvinne", "mann", "annet")
BALANCED = frozenset({"kvinne", "mann"})
_random = secrets.SystemRandom()


def kind_words(kind: str) -> str:
    return {
        "leader": _("Leder"),
        "board": _("Styremedlemmer"),
        "substitutes": _("Varamedlemmer (rangert)"),
        "delegates": _("Delegater"),
        "delegate_substitutes": _("Vararepresentanter for delegatene (rangert)"),
    }[kind]


# --- Reading ------------------------------------------------------------------------------


def elections_of(session: Session, meeting: Meeting) -> list[Election]:
    query = select(Election).where(Election.meeting_id == meeting.id)
    return list(session.scalars(query.order_by(Election.position, Election.id)))


def election_for(session: Session, meeting: Meeting, election_id: int) -> Election:
    election = session.get(Election, election_id)
    if election is None or election.meeting_id != meeting.id:
        raise NotFound()
    return election


def nominees_of(session: Session, election: Election) -> list[ElectionNominee]:
    query = select(ElectionNominee).where(ElectionNominee.election_id == election.id)
    return list(session.scalars(query.order_by(ElectionNominee.nominated_at, ElectionNominee.id)))


def names(session: Session, nominees: Sequence[ElectionNominee]) -> dict[str, str]:
    """Nominee id (as the engine names candidates) → the member's name."""
    found = {}
    for nominee in nominees:
        member = session.get(Member, nominee.member_number)
        found[str(nominee.id)] = (
            f"{member.first_name} {member.last_name}" if member else str(nominee.member_number)
        )
    return found


def standing(session: Session, election: Election) -> list[ElectionNominee]:
    """Who stands in the current (or next) ballot."""
    nominees = nominees_of(session, election)
    if election.standing is None:
        return nominees
    keep = set(election.standing)
    return [n for n in nominees if n.id in keep]


# --- Setting up and nominating ------------------------------------------------------------


def create(
    session: Session,
    actor: Member,
    meeting: Meeting,
    kind: str,
    title: str,
    seats: int | None,
    to_meeting_id: int | None = None,
) -> Election:
    """An election on the meeting's list, in the order they are added."""
    access.require(session, actor, "meeting.manage", meeting, visible=True)
    errors: dict[str, str] = {}
    if kind not in KINDS:
        errors["kind"] = _("Velg hva som skal velges.")
    title = " ".join(title.split()) or (kind_words(kind) if kind in KINDS else "")
    if len(title) > 200:
        errors["title"] = _("Tittelen kan være høyst 200 tegn.")
    to_meeting = None
    if kind in ("delegates", "delegate_substitutes"):
        from innsiden.meetings import delegates

        to_meeting = delegates.target_meeting(session, meeting, to_meeting_id, errors)
        if kind == "delegates" and seats is None and to_meeting is not None:
            seats = delegates.delegation_size(session, to_meeting, meeting)
    if kind == "leader":
        seats = 1
    if seats is None or not 1 <= seats <= 100:
        errors["seats"] = _("Oppgi hvor mange som skal velges (1–100).")
    if errors:
        raise ValidationFailed(fields=errors)
    assert seats is not None
    position = (
        session.scalar(select(func.max(Election.position)).where(Election.meeting_id == meeting.id))
        or 0
    ) + 1
    election = Election(
        meeting_id=meeting.id,
        position=position,
        kind=kind,
        title=title,
        seats=seats,
        tie_seed=secrets.token_hex(16),
        to_meeting_id=to_meeting.id if to_meeting else None,
    )
    session.add(election)
    session.flush()
    audit.record(
        session,
        "meeting.election_created",
        actor_number=actor.number,
        target=f"meeting_election:{election.id}",
        kind=kind,
        seats=seats,
    )
    return election


def floor_open(session: Session, meeting: Meeting, election: Election) -> bool:
    """Whether benkeforslag are taken now, by the profile's rule."""
    rule = profile_of(session, meeting).floor_nominations
    if rule == "none" or election.state != "nominating" or election.round:
        return False
    if rule == "before_meeting":
        return utcnow() < meeting.starts_at
    return True  # until the first ballot opens


def nominate(
    session: Session,
    actor: Member,
    meeting: Meeting,
    election: Election,
    member_number: int | None,
    gender: str,
    consent: bool,
    floor: bool,
) -> ElectionNominee:
    """Put a candidate forward: the nomination committee (those who manage the meeting) at any
    time before the first ballot, any member from the floor within the profile's window."""
    if floor:
        access.require(session, actor, "meeting.take_part", meeting)
    else:
        access.require(session, actor, "meeting.manage", meeting, visible=True)
    errors: dict[str, str] = {}
    member = session.get(Member, member_number) if member_number else None
    if member is None:
        errors["member_number"] = _("Finner ikke et medlem med det medlemsnummeret.")
    if gender not in GENDERS:
        errors["gender"] = _("Oppgi kjønn (kvinne, mann eller annet).")
    if not consent:
        errors["consent"] = _("Kandidaten må ha sagt ja til å stille.")
    if errors:
        raise ValidationFailed(fields=errors)
    assert member is not None
    if election.state != "nominating" or election.round:
        raise Conflict(_("Valget har begynt; nye kandidater tas ikke imot."))
    if floor and not floor_open(session, meeting, election):
        raise Conflict(_("Fristen for benkeforslag er ute for dette valget."))
    exists = session.scalar(
        select(ElectionNominee.id).where(
            ElectionNominee.election_id == election.id,
            ElectionNominee.member_number == member.number,
        )
    )
    if exists:
        raise Conflict(_("Kandidaten er allerede foreslått."))
    nominee = ElectionNominee(
        election_id=election.id,
        member_number=member.number,
        gender=gender,
        consent=True,
        source="floor" if floor else "committee",
        nominated_by=actor.number,
    )
    session.add(nominee)
    session.flush()
    audit.record(
        session,
        "meeting.nominated",
        actor_number=actor.number,
        target=f"meeting_election:{election.id}",
        nominee=member.number,
        source=nominee.source,
    )
    return nominee


# --- Ballots ------------------------------------------------------------------------------


def balance_rule(
    profile: StatuteProfile, election: Election, nominees: Sequence[ElectionNominee]
) -> BalanceRule | None:
    if profile.gender_balance == "none" or METHOD[election.kind] == "single":
        return None
    groups = {str(n.id): n.gender for n in nominees}
    if profile.gender_balance == "nif":
        return BalanceRule.nif(groups, election.seats, BALANCED)
    return BalanceRule.share(groups, election.seats, Fraction(2, 5), BALANCED)


def _open_seats(session: Session, election: Election) -> int:
    if election.round <= 1:
        return election.seats
    return election.seats - len(_report(session, election, election.round - 1).elected)


def ballot_rule(session: Session, meeting: Meeting, election: Election) -> BallotRule:
    """What a valid ballot looks like in the current round."""
    nominees = standing(session, election)
    candidates = frozenset(str(n.id) for n in nominees)
    method = METHOD[election.kind]
    if method == "stv":
        return BallotRule(candidates, len(candidates))
    if method == "single":
        return BallotRule(candidates, 1)
    balance = None
    if election.round <= 1:
        balance = balance_rule(profile_of(session, meeting), election, nominees)
    return BallotRule(candidates, _open_seats(session, election), exact=True, balance=balance)


def open_ballot(session: Session, actor: Member, meeting: Meeting, election: Election) -> None:
    """Open the next ballot; its electorate is those present with the right to vote, now."""
    access.require(session, actor, "meeting.manage", meeting, visible=True)
    if election.state not in ("nominating", "counted"):
        raise Conflict(_("Valget har en åpen valgomgang, eller er avgjort."))
    if meeting.roll_state != "frozen":
        raise Conflict(_("Lås manntallet før den første avstemningen."))
    if not nominees_of(session, election):
        raise Conflict(_("Valget har ingen kandidater."))
    electorate = attendance.present_voters(session, meeting)
    if not electorate:
        raise Conflict(_("Ingen stemmeberettigede er sjekket inn."))
    election.round += 1
    election.state = "open"
    election.opened_at = election.opened_at or utcnow()
    session.add_all(
        ElectionElector(election_id=election.id, round=election.round, member_number=n)
        for n in electorate
    )
    session.flush()
    events.record(session, "meeting.vote_changed", meeting_id=meeting.id)
    audit.record(
        session,
        "meeting.ballot_opened",
        actor_number=actor.number,
        target=f"meeting_election:{election.id}",
        round=election.round,
        electorate=len(electorate),
    )


def receipt_hash(election: Election, round_: int, receipt: str) -> str:
    text = f"innsiden-election:{election.id}:{round_}:{normalise_receipt(receipt)}"
    return hashlib.sha256(text.encode()).hexdigest()


def problem_words(problem: Any, rule: BallotRule) -> str:
    """A refused ballot's reason as the voter reads it."""
    if problem.code == "too_many":
        return _(
            "Du har valgt %(count)s, men kan velge høyst %(seats)s.",
            count=problem.detail,
            seats=rule.seats,
        )
    if problem.code == "too_few":
        return _(
            "Du har valgt %(count)s, men skal velge %(seats)s.",
            count=problem.detail,
            seats=rule.seats,
        )
    if problem.code == "group_minimum":
        return _(
            "Stemmeseddelen bryter kjønnsbalansen: velg flere av kjønnet «%(group)s».",
            group=problem.detail,
        )
    if problem.code == "group_maximum":
        return _(
            "Stemmeseddelen bryter kjønnsbalansen: du har valgt for mange av kjønnet «%(group)s».",
            group=problem.detail,
        )
    if problem.code == "duplicate":
        return _("Du har valgt samme kandidat to ganger.")
    return _("Du har valgt noen som ikke står på valg i denne valgomgangen.")


def cast(
    session: Session, actor: Member, meeting: Meeting, election: Election, choices: Sequence[int]
) -> str:
    """Cast a secret ballot (nominee ids, in ranked order for a ranked election) and return its
    receipt. A ballot that breaks the rules is refused before anything is stored."""
    access.require(session, actor, "meeting.take_part", meeting)
    if election.state != "open":
        raise Conflict(_("Valget har ingen åpen valgomgang."))
    elector = session.get(ElectionElector, (election.id, election.round, actor.number))
    if elector is None:
        raise Conflict(_("Du var ikke sjekket inn med stemmerett da valgomgangen åpnet."))
    if not attendance.is_present(session, meeting, actor.number):
        raise Conflict(_("Du er sjekket ut. Sjekk inn igjen for å stemme."))
    rule = ballot_rule(session, meeting, election)
    selection = [str(c) for c in choices]
    problems = ballot_problems(selection, rule)
    if problems:
        raise ValidationFailed(
            fields={"choices": " ".join(dict.fromkeys(problem_words(p, rule) for p in problems))}
        )
    done = session.execute(
        update(ElectionElector)
        .where(ElectionElector.election_id == election.id, ElectionElector.round == election.round)
        .where(ElectionElector.member_number == actor.number, ElectionElector.voted.is_(False))
        .values(voted=True)
    )
    if done.rowcount != 1:  # type: ignore[attr-defined]
        raise Conflict(_("Du har allerede stemt i denne valgomgangen."))
    receipt = new_receipt()
    session.add(
        ElectionBallot(
            id=uuid.uuid4().hex,
            election_id=election.id,
            round=election.round,
            receipt_hash=receipt_hash(election, election.round, receipt),
            choices=[int(c) for c in selection],
        )
    )
    session.flush()
    return receipt


def has_voted(session: Session, election: Election, member_number: int) -> tuple[bool, bool]:
    """(in this round's electorate, has voted)."""
    row = session.get(ElectionElector, (election.id, election.round, member_number))
    return (row is not None, bool(row and row.voted))


# --- Counting -----------------------------------------------------------------------------


def _ballots(session: Session, election: Election, round_: int) -> list[list[str]]:
    query = select(ElectionBallot.choices).where(
        ElectionBallot.election_id == election.id, ElectionBallot.round == round_
    )
    return sorted([str(c) for c in choices] for choices in session.scalars(query))


def _report(session: Session, election: Election, through: int) -> Report:
    """The engine's count of rounds 1..`through` (the same ballots always give the same)."""
    meeting = session.get(Meeting, election.meeting_id)
    assert meeting is not None
    nominees = nominees_of(session, election)
    candidates = [str(n.id) for n in nominees]
    ties = _tie_rule(profile_of(session, meeting), election)
    rounds = [_ballots(session, election, r) for r in range(1, through + 1)]
    method = METHOD[election.kind]
    if method == "single":
        votes = [[b[0] if b else None for b in ballots] for ballots in rounds]
        return count_single_seat(votes, candidates, method="runoff", ties=ties)
    balance = balance_rule(profile_of(session, meeting), election, nominees)
    if method == "block":
        return count_block(
            rounds, candidates, election.seats, exact=True, ties=ties, balance=balance
        )
    ranked = read_ranked(rounds[0] if rounds else [], candidates)
    return count_stv(ranked, candidates, election.seats, ties=ties, balance=balance)


def _tie_rule(profile: StatuteProfile, election: Election) -> TieRule:
    """Earlier rounds first; then a lot, or where the statutes leave it to the chair, the
    chair's decisions so far (each applies to the tie it was made on)."""
    if profile.election_tie != "chair":
        return (EarlierRound(), Lot(election.tie_seed))
    decided = (election.report or {}).get("chair_ties", [])
    return (EarlierRound(), *(Chair(tuple(d["order"])) for d in decided))


def pending_tie(election: Election) -> dict[str, Any] | None:
    """The tie waiting for the chair: {"purpose", "tied" (nominee ids), "round"}, or None."""
    if election.state != "tie":
        return None
    pending = (election.report or {}).get("pending_tie")
    return dict(pending) if pending else None


def tie_purpose_words(purpose: str) -> str:
    """What the chair's choice in a tie decides, as the form asks it."""
    if purpose == "eliminate":
        return _("Hvem av dem som står likt, skal utgå?")
    return _("Hvem av dem som står likt, skal gå foran (velges eller gå videre)?")


def chair_ties(election: Election) -> list[dict[str, Any]]:
    """The ties the chair has decided in this election, in order."""
    return list((election.report or {}).get("chair_ties", []))


def report(session: Session, election: Election) -> Report | None:
    """The count so far (None before the first ballot is closed, or while a tie waits for
    the chair)."""
    if election.state == "tie":
        return None
    held = election.round if election.state != "open" else election.round - 1
    return _report(session, election, held) if held >= 1 else None


def report_text(session: Session, election: Election) -> str:
    shown = report(session, election)
    return render(shown, names(session, nominees_of(session, election))) if shown else ""


def close_ballot(
    session: Session, actor: Member, meeting: Meeting, election: Election
) -> Report | None:
    """Close the open ballot and count. If seats are left open, the next ballot is among those
    the count names; otherwise the election is decided. A tie the statutes leave to the chair
    stops the count (None, state "tie") until the chair decides it (`decide_tie`)."""
    access.require(session, actor, "meeting.manage", meeting, visible=True)
    if election.state != "open":
        raise Conflict(_("Valget har ingen åpen valgomgang."))
    _seal(session, election)
    election.closed_at = utcnow()
    return _count(session, actor, meeting, election)


def _count(session: Session, actor: Member, meeting: Meeting, election: Election) -> Report | None:
    try:
        counted = _report(session, election, election.round)
    except TieUnresolved as error:
        if profile_of(session, meeting).election_tie != "chair":
            raise Conflict(
                _("Stemmelikhet som vedtektene ikke avgjør: møteleder må avgjøre.")
            ) from error
        election.state = "tie"
        pending = {"purpose": error.purpose, "tied": list(error.tied), "round": error.round}
        election.report = {**(election.report or {}), "pending_tie": pending}
        session.flush()
        events.record(session, "meeting.vote_changed", meeting_id=meeting.id)
        audit.record(
            session,
            "meeting.election_tie",
            actor_number=actor.number,
            target=f"meeting_election:{election.id}",
            round=election.round,
            tied=[int(t) for t in error.tied],
            purpose=error.purpose,
        )
        return None
    if counted.next_round is not None and METHOD[election.kind] != "stv":
        election.state = "counted"
        election.standing = [int(c) for c in counted.next_round.candidates]
    else:
        election.state = "closed"
        by_id = {str(n.id): n.member_number for n in nominees_of(session, election)}
        election.elected = [by_id[c] for c in counted.elected]
        if election.kind in ("delegates", "delegate_substitutes"):
            from innsiden.meetings import delegates

            delegates.record_elected(session, actor, election)
    session.flush()
    events.record(session, "meeting.vote_changed", meeting_id=meeting.id)
    audit.record(
        session,
        "meeting.ballot_closed",
        actor_number=actor.number,
        target=f"meeting_election:{election.id}",
        round=election.round,
        elected=election.elected,
        state=election.state,
    )
    return counted


def decide_tie(
    session: Session, actor: Member, meeting: Meeting, election: Election, nominee_id: int | None
) -> Report | None:
    """The chair decides the tie the count stopped at: `nominee_id` is the one elected (or,
    when the tie is over who is eliminated, the one who goes out), only among those tied.
    The count then goes on; it may stop at another tie (None)."""
    access.require(session, actor, "meeting.decide_tie", meeting, visible=True)
    pending = pending_tie(election)
    if pending is None:
        raise Conflict(_("Valget har ingen stemmelikhet som venter på møteleder."))
    tied = [str(t) for t in pending["tied"]]
    chosen = str(nominee_id) if nominee_id is not None else ""
    if chosen not in tied:
        raise ValidationFailed(fields={"nominee": _("Velg en av kandidatene som står likt.")})
    others = sorted(t for t in tied if t != chosen)
    order = [*others, chosen] if pending["purpose"] == "eliminate" else [chosen, *others]
    decision = {**pending, "chosen": chosen, "order": order, "by": actor.number}
    record = {k: v for k, v in (election.report or {}).items() if k != "pending_tie"}
    election.report = {**record, "chair_ties": [*record.get("chair_ties", []), decision]}
    session.flush()
    audit.record(
        session,
        "meeting.election_tie_decided",
        actor_number=actor.number,
        target=f"meeting_election:{election.id}",
        round=pending["round"],
        purpose=pending["purpose"],
        tied=[int(t) for t in tied],
        chosen=int(chosen),
    )
    return _count(session, actor, meeting, election)


def _seal(session: Session, election: Election) -> None:
    """Rewrite this round's ballots in random order under new random keys (see
    `innsiden.polls.secrecy`: afterwards neither key nor order says when a ballot came)."""
    rows = list(
        session.execute(
            select(ElectionBallot.receipt_hash, ElectionBallot.choices).where(
                ElectionBallot.election_id == election.id, ElectionBallot.round == election.round
            )
        )
    )
    _random.shuffle(rows)
    session.execute(
        delete(ElectionBallot).where(
            ElectionBallot.election_id == election.id, ElectionBallot.round == election.round
        )
    )
    if rows:
        session.execute(
            insert(ElectionBallot),
            [
                {
                    "id": uuid.uuid4().hex,
                    "election_id": election.id,
                    "round": election.round,
                    "receipt_hash": h,
                    "choices": c,
                }
                for h, c in rows
            ],
        )
    session.flush()


def published_ballots(session: Session, election: Election) -> list[tuple[int, str, list[int]]]:
    """Closed rounds' ballots as (round, receipt fingerprint, choices), for voters to find
    theirs with their receipt; never who cast them."""
    last = election.round if election.state != "open" else election.round - 1
    query = select(ElectionBallot).where(
        ElectionBallot.election_id == election.id, ElectionBallot.round <= last
    )
    rows = session.scalars(query.order_by(ElectionBallot.round, ElectionBallot.receipt_hash))
    return [(r.round, r.receipt_hash[:12], list(r.choices)) for r in rows]
