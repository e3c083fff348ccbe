"""Votes held on paper, counted by two counters: the chair names two members present, each
enters the counts on their own; when both entries agree the result is recorded as a closed
meeting vote marked "skriftlig, talt av X og Y", and when they differ both entries are
dropped, both are told to count again and nothing is recorded. Every step is audit-logged.
Never commits.

The electorate's size is frozen at the opening from those checked in with the right to vote
and the proxies they carry, as for a vote on screens; who voted is not known (a paper ballot
has no name on it), so a paper vote has no `meeting_vote_elector` rows
and cannot be voted on screens.
"""

from __future__ import annotations

import secrets
from typing import Any

from flask_babel import gettext as _
from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from innsiden import access, audit, events
from innsiden.counting import decide
from innsiden.errors import Conflict, NotFound, ValidationFailed
from innsiden.meetings import attendance, roll, voting
from innsiden.meetings.models import VOTE_CHOICES, Meeting, MeetingVote
from innsiden.meetings.profiles import MajorityRule
from innsiden.meetings.room_models import PaperCount, PaperVote
from innsiden.meetings.service import profile_of
from membersync.db import utcnow
from membersync.models import Member

WAITING, RECOUNT, RECORDED = "waiting", "recount", "recorded"


def open_paper_vote(session: Session, actor: Member, meeting: Meeting, question: str,
                    kind: str, counters: tuple[int | None, int | None]) -> PaperVote:  # fmt: skip
    """Hold a vote on paper, counted by two members present whom the chair names."""
    access.require(session, actor, "meeting.manage", meeting, visible=True)
    question = " ".join(question.split())
    errors: dict[str, str] = {}
    if not 1 <= len(question) <= 300:
        errors["question"] = _("Skriv hva det stemmes over (høyst 300 tegn).")
    if kind not in voting.KINDS:
        errors["kind"] = _("Velg vanlig vedtak eller vedtektsendring.")
    first, second = counters
    if first is None or second is None or first == second:
        errors["counters"] = _("Velg to ulike tellere blant de fremmøtte.")
    elif not all(attendance.is_present(session, meeting, n) for n in (first, second)):
        errors["counters"] = _("Begge som teller, må være sjekket inn på møtet.")
    if errors:
        raise ValidationFailed(fields=errors)
    assert first is not None and second is not None
    if meeting.roll_state != "frozen":
        raise Conflict(_("Lås manntallet før den første avstemningen."))
    if voting.open_votes(session, meeting) or counting(session, meeting):
        raise Conflict(_("Lukk den åpne avstemningen først."))
    electorate = voting.electorate(session, meeting)  # with the proxies present holders carry
    if not electorate:
        raise Conflict(_("Ingen stemmeberettigede er sjekket inn."))
    profile = profile_of(session, meeting)
    paper = PaperVote(
        meeting_id=meeting.id, question=question, kind=kind, electorate_size=len(electorate),
        first_counter=first, second_counter=second, opened_by=actor.number,
        tie_seed=secrets.token_hex(16) if profile.decision_tie == "lot" else None,
    )  # fmt: skip
    session.add(paper)
    session.flush()
    events.record(session, "meeting.screen", meeting_id=meeting.id)
    audit.record(session, "meeting.paper_vote_opened", actor_number=actor.number,
                 target=f"meeting_paper_vote:{paper.id}", meeting_id=meeting.id,
                 electorate=len(electorate), counters=[first, second])  # fmt: skip
    return paper


def counting(session: Session, meeting: Meeting) -> list[PaperVote]:
    """Paper votes whose counts are not yet agreed."""
    query = select(PaperVote).where(
        PaperVote.meeting_id == meeting.id, PaperVote.state == "counting"
    )
    return list(session.scalars(query.order_by(PaperVote.id)))


def counting_for(session: Session, meeting: Meeting, member_number: int) -> list[PaperVote]:
    """The paper votes this member was named to count and has still to count."""
    return [p for p in counting(session, meeting) if member_number in counters_of(p)]


def counters_of(paper: PaperVote) -> tuple[int, int]:
    return (paper.first_counter, paper.second_counter)


def paper_for(session: Session, meeting: Meeting, paper_id: int) -> PaperVote:
    paper = session.get(PaperVote, paper_id)
    if paper is None or paper.meeting_id != meeting.id:
        raise NotFound()
    return paper


def my_entry(session: Session, paper: PaperVote, member_number: int) -> PaperCount | None:
    return session.get(PaperCount, (paper.id, member_number))


def parse_counts(form: dict[str, str], paper: PaperVote) -> dict[str, int]:
    """Whole numbers, none negative, together no more than the electorate."""
    counts: dict[str, int] = {}
    errors: dict[str, str] = {}
    for choice in VOTE_CHOICES:
        raw = (form.get(choice) or "").strip()
        if not raw.isdigit():
            errors[choice] = _("Skriv antallet stemmesedler som et helt tall (0 eller mer).")
        else:
            counts[choice] = int(raw)
    if not errors and sum(counts.values()) > paper.electorate_size:
        errors["blank"] = _(
            "Det er flere stemmesedler enn de %(n)s stemmeberettigede som var til stede.",
            n=paper.electorate_size,
        )  # fmt: skip
    if errors:
        raise ValidationFailed(fields=errors)
    return counts


def enter_counts(session: Session, actor: Member, meeting: Meeting, paper: PaperVote,
                 counts: dict[str, int]) -> str:  # fmt: skip
    """One counter's entry. Returns WAITING (the other has not entered), RECOUNT (the two
    differed: both entries dropped) or RECORDED (agreed: the result is in the record)."""
    access.require(session, actor, "meeting.count_paper", paper, visible=True)
    if paper.state != "counting":
        raise Conflict(_("Opptellingen er allerede registrert."))
    row = my_entry(session, paper, actor.number)
    if row is None:
        session.add(PaperCount(paper_vote_id=paper.id, counter_number=actor.number,
                               counts=counts))  # fmt: skip
    else:
        row.counts, row.entered_at = counts, utcnow()
    session.flush()
    audit.record(session, "meeting.paper_count_entered", actor_number=actor.number,
                 target=f"meeting_paper_vote:{paper.id}", meeting_id=meeting.id,
                 counts=counts)  # fmt: skip
    other_number = next(n for n in counters_of(paper) if n != actor.number)
    other = my_entry(session, paper, other_number)
    if other is None:
        return WAITING
    if dict(other.counts) != counts:
        session.execute(delete(PaperCount).where(PaperCount.paper_vote_id == paper.id))
        paper.recounts += 1
        session.flush()
        audit.record(session, "meeting.paper_counts_differed", actor_number=actor.number,
                     target=f"meeting_paper_vote:{paper.id}", meeting_id=meeting.id,
                     entries={str(actor.number): counts,
                              str(other_number): dict(other.counts)})  # fmt: skip
        return RECOUNT
    _record(session, actor, meeting, paper, counts)
    return RECORDED


def _record(session: Session, actor: Member, meeting: Meeting, paper: PaperVote,
            counts: dict[str, int]) -> MeetingVote:  # fmt: skip
    """Both entries agree: count as a vote on screens is counted, and keep it as closed."""
    profile = profile_of(session, meeting)
    rule = profile.statute_majority if paper.kind == "statute" else profile.majority
    vote = MeetingVote(
        meeting_id=meeting.id, question=paper.question, majority=voting._rule_data(rule),
        opened_by=paper.opened_by, opened_at=paper.opened_at,
        electorate_size=paper.electorate_size, tie_seed=paper.tie_seed,
    )  # fmt: skip
    session.add(vote)
    session.flush()
    voted = sum(counts.values())
    tally = {**counts, "voted": voted}
    try:
        ties = voting._tie_rule(profile, vote, tally, None)
    except Conflict:  # a tie left to the chair: the paper count alone does not adopt
        ties = ()
    present = attendance.count(session, meeting).voters
    electorate = len(roll.eligible_numbers(session, meeting))
    decision = decide(
        counts["ja"], counts["nei"], counts["blank"], rule=MajorityRule(**vote.majority).engine(),
        present=max(paper.electorate_size, voted), electorate=electorate, ties=ties,
    )  # fmt: skip
    quorum_needed = voting._quorum(profile, electorate)
    quorate = present >= quorum_needed
    names = [_name(session, n) for n in counters_of(paper)]
    result: dict[str, Any] = {
        "yes": decision.yes, "no": decision.no, "blank": decision.blank,
        "base": decision.base.value, "base_count": decision.base_count, "needed": decision.needed,
        "adopted": decision.adopted and quorate, "quorum_needed": quorum_needed,
        "quorate": quorate, "present": present, "rule": dict(vote.majority),
        "tie": None if decision.tie is None else {
            "by": decision.tie.by, "chosen": decision.tie.chosen, "seed": decision.tie.seed,
            "commitment": decision.tie.commitment,
        },
        "paper": {"counters": list(counters_of(paper)), "names": names},
    }  # fmt: skip
    vote.state, vote.closed_at, vote.present_at_close, vote.result = (
        "closed", utcnow(), present, result
    )  # fmt: skip
    paper.state, paper.vote_id = "recorded", vote.id
    session.flush()
    events.record(session, "meeting.vote_changed", meeting_id=meeting.id)
    audit.record(session, "meeting.paper_vote_recorded", actor_number=actor.number,
                 target=f"meeting_vote:{vote.id}", meeting_id=meeting.id,
                 paper_vote=paper.id, result=result)  # fmt: skip
    return vote


def _name(session: Session, number: int) -> str:
    member = session.get(Member, number)
    return member.full_name if member is not None else str(number)
