"""Votes during the meeting: the chair opens one (its electorate frozen from those checked in
with the right to vote), members vote ja / nei / blank while present, the chair closes it and
the counting engine decides by the profile's majority, quorum and tie rule. Never commits.

This slice runs open votes (the record shows who voted); a written ballot on request goes
through the polls' secret ballots with receipts (issue #23, not built yet).
"""

from __future__ import annotations

import secrets
from typing import Any

from flask_babel import gettext as _
from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from innsiden import access, audit, events
from innsiden.counting import Chair, Lot, TieRule, commitment, decide
from innsiden.errors import Conflict, NotFound, ValidationFailed
from innsiden.meetings import attendance, roll
from innsiden.meetings.models import VOTE_CHOICES, Meeting, MeetingVote, VoteElector
from innsiden.meetings.profiles import MajorityRule, StatuteProfile
from innsiden.meetings.service import profile_of
from membersync.db import utcnow
from membersync.models import Member

KINDS = ("decision", "statute")


def open_vote(session: Session, actor: Member, meeting: Meeting, question: str,
              kind: str = "decision") -> MeetingVote:  # fmt: skip
    """Open a vote; its electorate is those present with the right to vote, frozen now."""
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
    electorate = attendance.present_voters(session, meeting)
    if not electorate:
        raise Conflict(_("Ingen stemmeberettigede er sjekket inn."))
    profile = profile_of(session, meeting)
    rule = profile.statute_majority if kind == "statute" else profile.majority
    vote = MeetingVote(
        meeting_id=meeting.id, question=question, majority=_rule_data(rule),
        opened_by=actor.number, electorate_size=len(electorate),
        tie_seed=secrets.token_hex(16) if profile.decision_tie == "lot" else None,
    )  # fmt: skip
    session.add(vote)
    session.flush()
    session.add_all(VoteElector(vote_id=vote.id, member_number=n) for n in electorate)
    session.flush()
    events.record(session, "meeting.vote_changed", meeting_id=meeting.id)
    audit.record(session, "meeting.vote_opened", actor_number=actor.number,
                 target=f"meeting_vote:{vote.id}", meeting_id=meeting.id,
                 electorate=len(electorate))  # fmt: skip
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


def my_choice(session: Session, vote: MeetingVote, member_number: int) -> tuple[bool, str | None]:
    """(in the electorate, choice so far)."""
    row = session.get(VoteElector, (vote.id, member_number))
    return (row is not None, row.choice if row else None)


def cast(session: Session, actor: Member, meeting: Meeting, vote: MeetingVote, choice: str
         ) -> None:  # fmt: skip
    """One vote, once, while the vote is open and the voter is checked in."""
    access.require(session, actor, "meeting.take_part", meeting)
    if choice not in VOTE_CHOICES:
        raise ValidationFailed(fields={"choice": _("Velg ja, nei eller blankt.")})
    if vote.state != "open":
        raise Conflict(_("Avstemningen er lukket."))
    elector, _choice = my_choice(session, vote, actor.number)
    if not elector:
        raise Conflict(_("Du var ikke sjekket inn med stemmerett da avstemningen åpnet."))
    if not attendance.is_present(session, meeting, actor.number):
        raise Conflict(_("Du er sjekket ut. Sjekk inn igjen for å stemme."))
    # One statement decides "first vote wins", also when two requests race.
    done = session.execute(
        update(VoteElector)
        .where(VoteElector.vote_id == vote.id, VoteElector.member_number == actor.number)
        .where(VoteElector.choice.is_(None))
        .values(choice=choice)
    )
    if done.rowcount != 1:  # type: ignore[attr-defined]
        raise Conflict(_("Du har allerede stemt."))
    session.flush()
    events.record(session, "meeting.turnout", meeting_id=meeting.id, vote_id=vote.id)


def tally(session: Session, vote: MeetingVote) -> dict[str, int]:
    query = (
        select(VoteElector.choice, func.count())
        .where(VoteElector.vote_id == vote.id, VoteElector.choice.is_not(None))
        .group_by(VoteElector.choice)
    )
    counts = {choice: 0 for choice in VOTE_CHOICES}
    counts.update({str(c): int(n) for c, n in session.execute(query)})
    counts["voted"] = sum(counts[c] for c in VOTE_CHOICES)
    return counts


def close_vote(session: Session, actor: Member, meeting: Meeting, vote: MeetingVote,
               chair_choice: str | None = None) -> dict[str, Any]:  # fmt: skip
    """Close and count. A tie the profile leaves to the chair needs `chair_choice` (ja/nei)."""
    access.require(session, actor, "meeting.manage", meeting, visible=True)
    if vote.state != "open":
        raise Conflict(_("Avstemningen er allerede lukket."))
    profile = profile_of(session, meeting)
    counts = tally(session, vote)
    present = attendance.count(session, meeting).voters
    electorate = len(roll.eligible_numbers(session, meeting))
    rule = MajorityRule(**vote.majority)
    ties = _tie_rule(profile, vote, counts, chair_choice)
    decision = decide(
        counts["ja"], counts["nei"], counts["blank"], rule=rule.engine(),
        present=max(vote.electorate_size, counts["voted"]), electorate=electorate, ties=ties,
    )  # fmt: skip
    quorum_needed = _quorum(profile, electorate)
    quorate = present >= quorum_needed
    result: dict[str, Any] = {
        "yes": decision.yes, "no": decision.no, "blank": decision.blank,
        "base": decision.base.value, "base_count": decision.base_count, "needed": decision.needed,
        "adopted": decision.adopted and quorate, "quorum_needed": quorum_needed,
        "quorate": quorate, "present": present, "rule": dict(vote.majority),
        "tie": None if decision.tie is None else {
            "by": decision.tie.by, "chosen": decision.tie.chosen, "seed": decision.tie.seed,
            "commitment": decision.tie.commitment,
        },
    }  # fmt: skip
    vote.state, vote.closed_at, vote.present_at_close, vote.result = (
        "closed", utcnow(), present, result
    )  # fmt: skip
    session.flush()
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
        "electorate": _("stemmeberettigede i manntallet"),
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
