"""Votes during the meeting: the chair opens one (its electorate frozen from those checked in
with the right to vote, and the proxies their holders carry in), members vote ja / nei /
blank while checked in — a proxy holder once for each right they carry — the chair closes it
(the electorate recorded again) and the counting engine decides by the profile's majority,
quorum and tie rule. Never commits; the pages push the live count after their commit.

A vote is open (the record shows who voted how) unless it is a written ballot: chosen by the
chair, or asked for by one voter where the statutes allow (`request_written`). Written
ballots go through `meetings.secret` (the polls' receipts design): no choice beside a voter.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from typing import Any

from flask_babel import gettext as _
from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from innsiden import access, audit, events
from innsiden.counting import Chair, Lot, TieRule, commitment, decide
from innsiden.errors import Conflict, NotFound, ValidationFailed
from innsiden.meetings import attendance, proxies, roll, secret
from innsiden.meetings.models import (
    VOTE_CHOICES,
    Attendance,
    Meeting,
    MeetingBallot,
    MeetingVote,
    VoteElector,
)
from innsiden.meetings.profiles import MajorityRule, StatuteProfile
from innsiden.meetings.service import profile_of
from membersync.db import utcnow
from membersync.models import Member

KINDS = ("decision", "statute")


@dataclass(frozen=True)
class Right:
    """One right to vote that a member may use in a vote: their own, or a proxy's."""

    member_number: int  # whose right it is
    proxy: bool  # cast by the member as the giver's proxy holder
    voted: bool
    choice: str | None  # open votes only
    name: str = ""  # the giver's name, for a proxy


def electorate(session: Session, meeting: Meeting) -> list[tuple[int, int | None]]:
    """The rights to vote now: (member, None) for each voter checked in, and (giver, holder)
    for each accepted proxy whose holder is checked in with the right to vote."""
    present = attendance.present_voters(session, meeting)
    here = set(present)
    rights: list[tuple[int, int | None]] = [(n, None) for n in present]
    eligible_givers = set(_eligible(session, meeting))
    for proxy in proxies.accepted(session, meeting):
        giver, holder = proxy.giver_number, proxy.holder_number
        if holder in here and giver not in here and giver in eligible_givers:
            rights.append((giver, holder))
    return sorted(rights)


def _eligible(session: Session, meeting: Meeting) -> list[int]:
    return sorted(roll.eligible_numbers(session, meeting))


def open_vote(session: Session, actor: Member, meeting: Meeting, question: str,
              kind: str = "decision", *, written: bool = False) -> MeetingVote:  # fmt: skip
    """Open a vote; its electorate (with proxies) is frozen now."""
    access.require(session, actor, "meeting.manage", meeting, visible=True)
    question = " ".join(question.split())
    errors: dict[str, str] = {}
    if not 1 <= len(question) <= 300:
        errors["question"] = _("Skriv hva det stemmes over (høyst 300 tegn).")
    if kind not in KINDS:
        errors["kind"] = _("Velg vanlig vedtak eller vedtektsendring.")
    if errors:
        raise ValidationFailed(fields=errors)
    if meeting.roll_state != "frozen":
        raise Conflict(_("Lås manntallet før den første avstemningen."))
    if open_votes(session, meeting):
        raise Conflict(_("Lukk den åpne avstemningen først."))
    rights = electorate(session, meeting)
    if not rights:
        raise Conflict(_("Ingen stemmeberettigede er sjekket inn."))
    profile = profile_of(session, meeting)
    rule = profile.statute_majority if kind == "statute" else profile.majority
    vote = MeetingVote(
        meeting_id=meeting.id, question=question, majority=_rule_data(rule),
        opened_by=actor.number, electorate_size=len(rights), secret=written,
        tie_seed=secrets.token_hex(16) if profile.decision_tie == "lot" else None,
    )  # fmt: skip
    session.add(vote)
    session.flush()
    session.add_all(
        VoteElector(vote_id=vote.id, member_number=n, cast_by=by, voted=False)
        for n, by in rights
    )  # fmt: skip
    session.flush()
    events.record(session, "meeting.vote_changed", meeting_id=meeting.id)
    audit.record(session, "meeting.vote_opened", actor_number=actor.number,
                 target=f"meeting_vote:{vote.id}", meeting_id=meeting.id,
                 electorate=len(rights), proxies=sum(1 for _n, by in rights if by),
                 written=written)  # fmt: skip
    return vote


def _rule_data(rule: MajorityRule) -> dict[str, Any]:
    return {"fraction": rule.fraction, "strict": rule.strict, "base": rule.base}


def open_votes(session: Session, meeting: Meeting) -> list[MeetingVote]:
    query = select(MeetingVote).where(
        MeetingVote.meeting_id == meeting.id, MeetingVote.state == "open"
    )
    return list(session.scalars(query))


def votes_of(session: Session, meeting: Meeting) -> list[MeetingVote]:
    query = select(MeetingVote).where(MeetingVote.meeting_id == meeting.id)
    return list(session.scalars(query.order_by(MeetingVote.opened_at, MeetingVote.id)))


def vote_for(session: Session, meeting: Meeting, vote_id: int) -> MeetingVote:
    vote = session.get(MeetingVote, vote_id)
    if vote is None or vote.meeting_id != meeting.id:
        raise NotFound()
    return vote


def _locked(session: Session, vote: MeetingVote, *, shared: bool) -> MeetingVote:
    """The vote row again, locked (PostgreSQL): casts share it, the close and a request for a
    written ballot take it alone, so neither runs between a cast's check and its write.
    (SQLite runs one writer at a time anyway.)"""
    query = select(MeetingVote).where(MeetingVote.id == vote.id)
    query = query.with_for_update(read=shared).execution_options(populate_existing=True)
    return session.scalars(query).one()


def rights_of(session: Session, vote: MeetingVote, member_number: int) -> list[Right]:
    """The rights `member_number` may use in `vote`: their own first, then proxies held."""
    rows = list(session.scalars(
        select(VoteElector).where(VoteElector.vote_id == vote.id).where(
            ((VoteElector.member_number == member_number) & VoteElector.cast_by.is_(None))
            | (VoteElector.cast_by == member_number)
        )
    ))  # fmt: skip
    givers = {r.member_number for r in rows if r.cast_by is not None}
    names = proxies.names_of(session, givers)
    rights = [
        Right(r.member_number, r.cast_by is not None, r.voted, r.choice,
              names.get(r.member_number, "") if r.cast_by is not None else "")
        for r in rows
    ]  # fmt: skip
    return sorted(rights, key=lambda r: (r.proxy, r.member_number))


def cast(session: Session, actor: Member, meeting: Meeting, vote: MeetingVote, choice: str,
         for_member: int | None = None) -> str | None:  # fmt: skip
    """Use one right, once, while the vote is open and the caster is checked in: my own, or
    (`for_member`) a proxy I hold that is still in force. A written ballot returns its receipt."""
    access.require(session, actor, "meeting.take_part", meeting)
    if choice not in VOTE_CHOICES:
        raise ValidationFailed(fields={"choice": _("Velg ja, nei eller blankt.")})
    vote = _locked(session, vote, shared=True)
    if vote.state != "open":
        raise Conflict(_("Avstemningen er lukket."))
    number = actor.number if for_member is None or for_member == actor.number else for_member
    proxy = number != actor.number
    row = session.get(VoteElector, (vote.id, number))
    if proxy and (row is None or row.cast_by != actor.number):
        raise Conflict(_("Du har ikke fullmakt fra dette medlemmet i denne avstemningen."))
    if not proxy and (row is None or row.cast_by is not None):
        raise Conflict(_("Du var ikke sjekket inn med stemmerett da avstemningen åpnet."))
    if not attendance.is_present(session, meeting, actor.number):
        raise Conflict(_("Du er sjekket ut. Sjekk inn igjen for å stemme."))
    if proxy and not proxies.is_accepted(session, meeting, number, actor.number):
        raise Conflict(_("Fullmakten gjelder ikke lenger (trukket tilbake, eller giveren er "
                         "sjekket inn)."))  # fmt: skip
    # One statement decides "first vote wins", also when two requests race.
    done = session.execute(
        update(VoteElector)
        .where(VoteElector.vote_id == vote.id, VoteElector.member_number == number)
        .where(VoteElector.voted.is_(False))
        .values(voted=True, choice=None if vote.secret else choice)
    )
    if done.rowcount != 1:  # type: ignore[attr-defined]
        raise Conflict(_("Stemmen er allerede avgitt."))
    receipt = secret.add_ballot(session, vote, choice) if vote.secret else None
    session.flush()
    return receipt


def request_written(session: Session, actor: Member, meeting: Meeting, vote: MeetingVote
                    ) -> int:  # fmt: skip
    """One voter asks for a written ballot, where the statutes allow: the vote becomes secret.
    Open votes already given are set aside and everyone votes again in writing (returned: how
    many were set aside). Asking again changes nothing."""
    access.require(session, actor, "meeting.take_part", meeting)
    if "voter_requests" not in profile_of(session, meeting).written_ballot:
        raise Conflict(_("Vedtektene for dette møtet gir ikke én stemmeberettiget rett til å "
                         "kreve skriftlig avstemning."))  # fmt: skip
    vote = _locked(session, vote, shared=False)
    if vote.state != "open":
        raise Conflict(_("Avstemningen er lukket."))
    if not rights_of(session, vote, actor.number):
        raise Conflict(_("Bare de som stemmer i denne avstemningen, kan kreve skriftlig "
                         "avstemning."))  # fmt: skip
    if vote.secret:
        return 0
    reset = session.execute(
        update(VoteElector)
        .where(VoteElector.vote_id == vote.id, VoteElector.voted.is_(True))
        .values(voted=False, choice=None)
    ).rowcount  # type: ignore[attr-defined]
    vote.secret, vote.secret_requested_by, vote.secret_requested_at = True, actor.number, utcnow()
    session.flush()
    events.record(session, "meeting.vote_changed", meeting_id=meeting.id)
    audit.record(session, "meeting.written_ballot_requested", actor_number=actor.number,
                 target=f"meeting_vote:{vote.id}", meeting_id=meeting.id,
                 votes_set_aside=int(reset))  # fmt: skip
    return int(reset)


def turnout(session: Session, vote: MeetingVote) -> int:
    """How many rights have been used (never how)."""
    query = (
        select(func.count())
        .select_from(VoteElector)
        .where(VoteElector.vote_id == vote.id, VoteElector.voted.is_(True))
    )
    return int(session.scalar(query) or 0)


def tally(session: Session, vote: MeetingVote) -> dict[str, int]:
    if vote.secret:
        query = (
            select(MeetingBallot.choice, func.count())
            .where(MeetingBallot.vote_id == vote.id)
            .group_by(MeetingBallot.choice)
        )
    else:
        query = (
            select(VoteElector.choice, func.count())
            .where(VoteElector.vote_id == vote.id, VoteElector.choice.is_not(None))
            .group_by(VoteElector.choice)
        )
    counts = {choice: 0 for choice in VOTE_CHOICES}
    counts.update({str(c): int(n) for c, n in session.execute(query)})
    counts["voted"] = sum(counts[c] for c in VOTE_CHOICES)
    return counts


def electorate_now(session: Session, meeting: Meeting, vote: MeetingVote) -> int:
    """The vote's rights that could still be used now: the caster checked in, and a proxy
    still in force."""
    rows = session.execute(
        select(VoteElector.member_number, VoteElector.cast_by).where(VoteElector.vote_id == vote.id)
    ).all()
    here = set(session.scalars(
        select(Attendance.member_number).where(
            Attendance.meeting_id == meeting.id, Attendance.present.is_(True)
        )
    ))  # fmt: skip
    held = {(p.giver_number, p.holder_number) for p in proxies.accepted(session, meeting)}
    return sum(
        1 for n, by in rows
        if (by is None and n in here) or (by is not None and by in here and (n, by) in held)
    )  # fmt: skip


def close_vote(session: Session, actor: Member, meeting: Meeting, vote: MeetingVote,
               chair_choice: str | None = None) -> dict[str, Any]:  # fmt: skip
    """Close and count. A tie the profile leaves to the chair needs `chair_choice` (ja/nei).
    A base of "electorate" is the electorate frozen at the opening."""
    access.require(session, actor, "meeting.manage", meeting, visible=True)
    vote = _locked(session, vote, shared=False)
    if vote.state != "open":
        raise Conflict(_("Avstemningen er allerede lukket."))
    profile = profile_of(session, meeting)
    counts = tally(session, vote)
    present = attendance.count(session, meeting).voters
    on_roll = len(_eligible(session, meeting))
    at_close = electorate_now(session, meeting, vote)
    rule = MajorityRule(**vote.majority)
    ties = _tie_rule(profile, vote, counts, chair_choice)
    decision = decide(
        counts["ja"], counts["nei"], counts["blank"], rule=rule.engine(),
        present=max(vote.electorate_size, counts["voted"]), electorate=vote.electorate_size,
        ties=ties,
    )  # fmt: skip
    quorum_needed = _quorum(profile, on_roll)
    quorate = present >= quorum_needed
    result: dict[str, Any] = {
        "yes": decision.yes, "no": decision.no, "blank": decision.blank,
        "base": decision.base.value, "base_count": decision.base_count, "needed": decision.needed,
        "adopted": decision.adopted and quorate, "quorum_needed": quorum_needed,
        "quorate": quorate, "present": present, "rule": dict(vote.majority),
        "electorate_at_opening": vote.electorate_size, "electorate_at_close": at_close,
        "written": vote.secret,
        "tie": None if decision.tie is None else {
            "by": decision.tie.by, "chosen": decision.tie.chosen, "seed": decision.tie.seed,
            "commitment": decision.tie.commitment,
        },
    }  # fmt: skip
    vote.state, vote.closed_at, vote.present_at_close, vote.result = (
        "closed", utcnow(), present, result
    )  # fmt: skip
    vote.electorate_at_close = at_close
    session.flush()
    secret.seal(session, vote)
    events.record(session, "meeting.vote_changed", meeting_id=meeting.id)
    audit.record(
        session, "meeting.vote_closed", actor_number=actor.number,
        target=f"meeting_vote:{vote.id}", meeting_id=meeting.id, result=result,
    )  # fmt: skip
    return result


def _tie_rule(profile: StatuteProfile, vote: MeetingVote, counts: dict[str, int],
              chair_choice: str | None) -> TieRule:  # fmt: skip
    if profile.decision_tie == "lot" and vote.tie_seed:
        return (Lot(vote.tie_seed),)
    if profile.decision_tie == "chair":
        tied = counts["ja"] == counts["nei"] and counts["ja"] > 0
        if chair_choice in ("ja", "nei"):
            other = "nei" if chair_choice == "ja" else "ja"
            return (Chair((chair_choice, other)),)
        if tied:
            raise Conflict(_("Stemmelikhet: møteleder må avgjøre (ja eller nei)."))
    return ()


def _quorum(profile: StatuteProfile, electorate: int) -> int:
    if profile.quorum_kind == "count":
        return profile.quorum_value
    if profile.quorum_kind == "percent":
        return -(-profile.quorum_value * electorate // 100)
    return 0


def seed_commitment(vote: MeetingVote) -> str | None:
    return commitment(vote.tie_seed) if vote.tie_seed else None


def _decision_words(result: dict[str, Any]) -> str:
    """The decision as the minutes say it: "Vedtatt med 2/3 av avgitte stemmer: ja 41 av 58"."""
    majority = _majority_words(result)
    figures = {"yes": result["yes"], "total": result["base_count"]}
    if not result["quorate"]:
        return _(
            "Ikke vedtatt: møtet var ikke vedtaksført (%(present)s til stede, krav %(needed)s).",
            present=result["present"], needed=result["quorum_needed"],
        )  # fmt: skip
    if result["adopted"]:
        return _("Vedtatt med %(majority)s: ja %(yes)s av %(total)s", majority=majority,
                 **figures)  # fmt: skip
    return _("Ikke vedtatt (krever %(majority)s): ja %(yes)s av %(total)s", majority=majority,
             **figures)  # fmt: skip


def _majority_words(result: dict[str, Any]) -> str:
    base = {
        "cast": _("avgitte stemmer"),
        "present": _("fremmøtte stemmeberettigede"),
        "electorate": _("stemmeberettigede da avstemningen åpnet"),
    }[result["base"]]
    rule = result.get("rule") or {}
    fraction, strict = rule.get("fraction", "1/2"), rule.get("strict", True)
    if fraction == "1/2" and strict:
        return _("alminnelig flertall av %(base)s", base=base)
    if strict:
        return _("mer enn %(fraction)s av %(base)s", fraction=fraction, base=base)
    return _("%(fraction)s av %(base)s", fraction=fraction, base=base)


def result_words(result: dict[str, Any]) -> str:
    """The decision in words; a vote counted on paper says so, and who counted it."""
    words = _decision_words(result)
    paper = result.get("paper")
    if paper:
        first, second = paper["names"]
        words = _("%(words)s (skriftlig, talt av %(first)s og %(second)s)", words=words,
                  first=first, second=second)  # fmt: skip
    return words
