"""Motions to the årsmøte: submitted by members before the statutes' deadline (with the
supporters the profile asks for), amendments by line range and amendments to amendments, the
drafting committee's recommendations, the voting order, the votes held in that order through
`innsiden.meetings.voting`, and the adopted text. Never commits.

A motion's states: "submitted" → "voting" (its votes are being held; no more amendments) →
"adopted" or "rejected"; or "withdrawn" by its proposer before voting.

Block vote (blokkvotering): the chair may open one vote on the drafting committee's
recommendations as the motion's first vote: adopted, it adopts every amendment in the block
recommended "adopt" and rejects every one recommended "reject". Before it opens, any voter
(or as many as the profile's `block_pull_out` asks) takes an amendment out of the block for a
separate vote; pulling out is open and audit-logged. The separate votes then follow in the
voting order; if the block vote falls, its amendments are voted separately too.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from flask_babel import gettext as _
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from innsiden import access, audit, events
from innsiden.errors import Conflict, NotFound, ValidationFailed
from innsiden.meetings import motion_text, voting
from innsiden.meetings.models import (
    Meeting,
    MeetingAmendment,
    MeetingMotion,
    MeetingVote,
    MotionPullOut,
    MotionStep,
    MotionSupporter,
)
from innsiden.meetings.service import OSLO, _end_of, profile_of
from membersync.db import utcnow
from membersync.models import Member

RECOMMENDATIONS = ("adopt", "reject", "")


def _problem_words(problem: str) -> str:
    return {
        "operation": _(
            "Velg hva forslaget gjør: erstatte, stryke, sette inn før eller legge til etter."
        ),
        "range": _("Linjene finnes ikke i teksten (en innsetting gjelder én linje)."),
        "text": _("Skriv den nye teksten (et strykningsforslag har ingen tekst)."),
        "empty_text": _("Skriv forslagets tekst."),
        "too_long": _("Teksten er for lang (høyst 2000 linjer på 2000 tegn)."),
    }[problem]


# --- Deadlines ----------------------------------------------------------------------------


def motion_deadline(session: Session, meeting: Meeting) -> datetime:
    """The last moment to submit a motion (or support one): the end of the statutes' day."""
    profile = profile_of(session, meeting)
    day = meeting.starts_at.astimezone(OSLO).date() - timedelta(days=profile.motion_days)
    return _end_of(day)


def amendment_deadline(session: Session, meeting: Meeting) -> datetime | None:
    """The last moment for amendments, or None: until the motion's voting starts."""
    profile = profile_of(session, meeting)
    if not profile.amendment_days:
        return None
    day = meeting.starts_at.astimezone(OSLO).date() - timedelta(days=profile.amendment_days)
    return _end_of(day)


# --- Reading ------------------------------------------------------------------------------


def motions_of(session: Session, meeting: Meeting) -> list[MeetingMotion]:
    query = select(MeetingMotion).where(MeetingMotion.meeting_id == meeting.id)
    return list(session.scalars(query.order_by(MeetingMotion.number)))


def motion_for(session: Session, meeting: Meeting, motion_id: int) -> MeetingMotion:
    motion = session.get(MeetingMotion, motion_id)
    if motion is None or motion.meeting_id != meeting.id:
        raise NotFound()
    return motion


def amendments_of(session: Session, motion: MeetingMotion) -> list[MeetingAmendment]:
    query = select(MeetingAmendment).where(MeetingAmendment.motion_id == motion.id)
    return list(session.scalars(query.order_by(MeetingAmendment.number)))


def supporters(session: Session, motion: MeetingMotion) -> list[int]:
    query = select(MotionSupporter.member_number).where(MotionSupporter.motion_id == motion.id)
    return list(session.scalars(query.order_by(MotionSupporter.supported_at)))


def lines(motion: MeetingMotion) -> tuple[str, ...]:
    return motion_text.split_lines(motion.text)


def label(amendment: MeetingAmendment) -> str:
    """How the meeting names an amendment: "E3"."""
    return f"E{amendment.number}"


def engine_form(
    motion: MeetingMotion, amendments: list[MeetingAmendment]
) -> tuple[motion_text.Motion, list[motion_text.Amendment]]:
    """The motion and its amendments as the pure text logic takes them (ids: row ids)."""
    return motion_text.Motion(str(motion.id), lines(motion)), [
        motion_text.Amendment(
            str(a.id),
            a.operation,
            a.start_line,
            a.end_line,  # type: ignore[arg-type]
            motion_text.split_lines(a.text),
            str(a.target_id) if a.target_id else None,
        )
        for a in amendments
    ]


@dataclass(frozen=True)
class OrderLine:
    """One line of the voting order as shown: the amendment (None: the whole motion), what
    falls if it is adopted, and the vote held on it so far."""

    number: int
    amendment: MeetingAmendment | None
    falls_if_adopted: tuple[MeetingAmendment, ...]
    vote: MeetingVote | None
    in_block: bool = False  # settled by the block vote (or to be, if it opens now)


def order(session: Session, motion: MeetingMotion) -> list[OrderLine]:
    """The voting order, with the votes held on each line so far."""
    amendments = amendments_of(session, motion)
    by_id = {str(a.id): a for a in amendments}
    plan = motion_text.voting_order(*engine_form(motion, amendments))
    held_steps = steps(session, motion)
    held = {
        s.amendment_id: session.get(MeetingVote, s.vote_id) for s in held_steps if s.block is None
    }
    blocked = {a.id for a in block_members(session, motion)}
    return [
        OrderLine(
            item.number,
            by_id[item.amendment] if item.amendment else None,
            tuple(by_id[f] for f in item.falls_if_adopted if f in by_id),
            held.get(int(item.amendment) if item.amendment else None),
            item.amendment is not None and int(item.amendment) in blocked,
        )
        for item in plan
    ]


@dataclass(frozen=True)
class HeldVote:
    """A vote held on the motion, in the order held: on an amendment, on a block of them
    (`block`), or on the whole motion (neither)."""

    position: int
    vote: MeetingVote
    amendment: MeetingAmendment | None
    block: tuple[MeetingAmendment, ...] | None


def held_votes(session: Session, motion: MeetingMotion) -> list[HeldVote]:
    """The votes held on the motion so far, in the order they were held."""
    by_id = {a.id: a for a in amendments_of(session, motion)}
    found = []
    for step in steps(session, motion):
        vote = session.get(MeetingVote, step.vote_id)
        assert vote is not None
        block = None
        if step.block is not None:
            block = tuple(by_id[int(k)] for k in step.block if int(k) in by_id)
            block = tuple(sorted(block, key=lambda a: a.number))
        amendment = by_id.get(step.amendment_id) if step.amendment_id else None
        found.append(HeldVote(step.position, vote, amendment, block))
    return found


def steps(session: Session, motion: MeetingMotion) -> list[MotionStep]:
    query = select(MotionStep).where(MotionStep.motion_id == motion.id)
    return list(session.scalars(query.order_by(MotionStep.position)))


# --- Block votes (blokkvotering) ----------------------------------------------------------


def pull_outs(session: Session, motion: MeetingMotion) -> dict[int, list[int]]:
    """Amendment id → the voters who took it out of the block, in the order they did."""
    query = select(MotionPullOut).where(MotionPullOut.motion_id == motion.id)
    found: dict[int, list[int]] = {}
    for row in session.scalars(
        query.order_by(MotionPullOut.pulled_at, MotionPullOut.member_number)
    ):
        found.setdefault(row.amendment_id, []).append(row.member_number)
    return found


def _block_step(session: Session, motion: MeetingMotion) -> MotionStep | None:
    return next((s for s in steps(session, motion) if s.block is not None), None)


def block_members(session: Session, motion: MeetingMotion) -> list[MeetingAmendment]:
    """The amendments the block vote settles: as it opened, or (before) those the committee
    recommends adopting or rejecting that enough voters have not taken out. Empty when the
    motion's voting began without a block vote."""
    amendments = amendments_of(session, motion)
    step = _block_step(session, motion)
    if step is not None:
        assert step.block is not None
        return [a for a in amendments if str(a.id) in step.block]
    if motion.state != "submitted":
        return []
    meeting = session.get(Meeting, motion.meeting_id)
    assert meeting is not None
    needed = profile_of(session, meeting).block_pull_out
    pulled = pull_outs(session, motion)
    return [
        a
        for a in amendments
        if a.recommendation in ("adopt", "reject") and len(pulled.get(a.id, [])) < needed
    ]


def _voters(session: Session, meeting: Meeting) -> set[int]:
    """Who votes now: voters checked in, and holders of proxies in force."""
    return {holder or number for number, holder in voting.electorate(session, meeting)}


def pull_out(
    session: Session,
    actor: Member,
    meeting: Meeting,
    motion: MeetingMotion,
    amendment_id: int | None,
) -> None:
    """A voter takes an amendment out of the block vote for a separate vote, before the
    motion's voting (and so the block vote) opens."""
    access.require(session, actor, "meeting.take_part", meeting)
    row = session.get(MeetingAmendment, amendment_id) if amendment_id else None
    if row is None or row.motion_id != motion.id:
        raise NotFound()
    if motion.state != "submitted":
        raise Conflict(
            _(
                "Blokkvoteringen er åpnet eller voteringen har begynt; det er for sent å ta ut "
                "forslag."
            )
        )
    if row.recommendation not in ("adopt", "reject"):
        raise Conflict(_("Forslaget har ingen innstilling og voteres uansett for seg."))
    if actor.number not in _voters(session, meeting):
        raise Conflict(_("Bare de som er sjekket inn med stemmerett, kan ta ut forslag."))
    if session.get(MotionPullOut, (row.id, actor.number)) is not None:
        raise Conflict(_("Du har allerede tatt ut dette forslaget."))
    session.add(MotionPullOut(amendment_id=row.id, member_number=actor.number, motion_id=motion.id))
    session.flush()
    audit.record(
        session,
        "meeting.amendment_pulled_out",
        actor_number=actor.number,
        target=f"meeting_amendment:{row.id}",
        motion_id=motion.id,
    )
    events.record(session, "meeting.motions_changed", meeting_id=meeting.id)


def open_block(
    session: Session, actor: Member, meeting: Meeting, motion: MeetingMotion
) -> MeetingVote:
    """Open the block vote on the committee's recommendations as the motion's first vote;
    the chair closes it as any other vote, then opens the separate votes (`advance`)."""
    access.require(session, actor, "meeting.manage", meeting, visible=True)
    if motion.state != "submitted":
        raise Conflict(_("Blokkvotering må være forslagets første votering."))
    if not supported(session, meeting, motion):
        raise Conflict(_("Forslaget har ikke så mange støttespillere som vedtektene krever."))
    members = block_members(session, motion)
    if not members:
        raise Conflict(_("Ingen endringsforslag med innstilling er igjen i blokken."))
    question = _(
        "Forslag %(number)s: redaksjonskomiteens innstilling en bloc (%(labels)s)",
        number=motion.number,
        labels=", ".join(label(a) for a in members),
    )[:300]
    vote = voting.open_vote(session, actor, meeting, question)
    motion.state = "voting"
    block = {str(a.id): a.recommendation for a in members}
    session.add(MotionStep(motion_id=motion.id, position=1, vote_id=vote.id, block=block))
    session.flush()
    audit.record(
        session,
        "meeting.block_vote_opened",
        actor_number=actor.number,
        target=f"meeting_motion:{motion.id}",
        vote_id=vote.id,
        block=[a.id for a in members],
        pulled_out=sorted(pull_outs(session, motion)),
    )
    return vote


# --- Submitting ---------------------------------------------------------------------------


def submit(
    session: Session, actor: Member, meeting: Meeting, title: str, text: str
) -> MeetingMotion:
    """A member's motion, before the statutes' deadline."""
    access.require(session, actor, "meeting.take_part", meeting)
    title = " ".join(title.split())
    body = motion_text.split_lines(text)
    errors: dict[str, str] = {}
    if not 1 <= len(title) <= 200:
        errors["title"] = _("Gi forslaget en tittel på opptil 200 tegn.")
    problems = motion_text.text_problems(body)
    if problems:
        errors["text"] = _problem_words(problems[0])
    if errors:
        raise ValidationFailed(fields=errors)
    if utcnow() > motion_deadline(session, meeting):
        raise Conflict(_("Fristen for forslag til årsmøtet er ute."))
    number = (
        session.scalar(
            select(func.max(MeetingMotion.number)).where(MeetingMotion.meeting_id == meeting.id)
        )
        or 0
    ) + 1
    motion = MeetingMotion(
        meeting_id=meeting.id,
        number=number,
        title=title,
        text=motion_text.join_lines(body),
        proposer_number=actor.number,
    )
    session.add(motion)
    session.flush()
    audit.record(
        session,
        "meeting.motion_submitted",
        actor_number=actor.number,
        target=f"meeting_motion:{motion.id}",
        meeting_id=meeting.id,
    )
    events.record(session, "meeting.motions_changed", meeting_id=meeting.id)
    return motion


def support(session: Session, actor: Member, meeting: Meeting, motion: MeetingMotion) -> None:
    """Add one's name to a motion's supporters, before the motion deadline."""
    access.require(session, actor, "meeting.take_part", meeting)
    if motion.proposer_number == actor.number:
        raise Conflict(_("Du har fremmet forslaget selv."))
    if utcnow() > motion_deadline(session, meeting):
        raise Conflict(_("Fristen for forslag til årsmøtet er ute."))
    if session.get(MotionSupporter, (motion.id, actor.number)) is not None:
        raise Conflict(_("Du støtter allerede forslaget."))
    session.add(MotionSupporter(motion_id=motion.id, member_number=actor.number))
    session.flush()


def supported(session: Session, meeting: Meeting, motion: MeetingMotion) -> bool:
    """Whether the motion has the supporters the statutes ask for."""
    return len(supporters(session, motion)) >= profile_of(session, meeting).motion_supporters


def amend(
    session: Session,
    actor: Member,
    meeting: Meeting,
    motion: MeetingMotion,
    operation: str,
    start: int | None,
    end: int | None,
    text: str,
    target_id: int | None = None,
) -> MeetingAmendment:
    """An amendment to lines `start`..`end` of the motion, or of amendment `target_id`'s text."""
    access.require(session, actor, "meeting.take_part", meeting)
    if motion.state != "submitted":
        raise Conflict(
            _("Voteringen over forslaget har begynt; nye endringsforslag tas ikke imot.")
        )
    deadline = amendment_deadline(session, meeting)
    if deadline is not None and utcnow() > deadline:
        raise Conflict(_("Fristen for endringsforslag er ute."))
    target_lines = lines(motion)
    if target_id is not None:
        parent = session.get(MeetingAmendment, target_id)
        if parent is None or parent.motion_id != motion.id:
            raise ValidationFailed(fields={"target_id": _("Finner ikke endringsforslaget.")})
        if parent.operation == "delete":
            raise ValidationFailed(
                fields={"target_id": _("Et strykningsforslag har ingen tekst å endre.")}
            )
        target_lines = motion_text.split_lines(parent.text)
    new = motion_text.split_lines(text)
    end = start if end is None else end
    problems = motion_text.amendment_problems(target_lines, operation, start, end, new)
    if problems:
        field = {
            "operation": "operation",
            "range": "start",
            "text": "text",
            "too_long": "text",
            "empty_text": "text",
        }
        raise ValidationFailed(fields={field[p]: _problem_words(p) for p in problems})
    assert start is not None and end is not None
    number = (
        session.scalar(
            select(func.max(MeetingAmendment.number)).where(MeetingAmendment.motion_id == motion.id)
        )
        or 0
    ) + 1
    row = MeetingAmendment(
        motion_id=motion.id,
        number=number,
        target_id=target_id,
        operation=operation,
        start_line=start,
        end_line=end,
        text=motion_text.join_lines(new),
        proposer_number=actor.number,
    )
    session.add(row)
    session.flush()
    audit.record(
        session,
        "meeting.amendment_submitted",
        actor_number=actor.number,
        target=f"meeting_amendment:{row.id}",
        motion_id=motion.id,
    )
    return row


def recommend(
    session: Session,
    actor: Member,
    meeting: Meeting,
    motion: MeetingMotion,
    amendment_id: int | None,
    recommendation: str,
    note: str,
) -> None:
    """The drafting committee's recommendation: on an amendment ("adopt"/"reject"/"") with a
    note, or (amendment_id None) on the motion as a whole (the note is the recommendation)."""
    access.require(session, actor, "meeting.manage", meeting, visible=True)
    note = note.strip()
    if len(note) > 4000:
        raise ValidationFailed(fields={"note": _("Innstillingen kan være høyst 4000 tegn.")})
    if amendment_id is None:
        motion.recommendation = note
    else:
        row = session.get(MeetingAmendment, amendment_id)
        if row is None or row.motion_id != motion.id:
            raise NotFound()
        if recommendation not in RECOMMENDATIONS:
            raise ValidationFailed(
                fields={"recommendation": _("Velg vedta, ikke vedta eller ingen innstilling.")}
            )
        row.recommendation, row.recommendation_note = recommendation, note
    session.flush()
    audit.record(
        session,
        "meeting.motion_recommended",
        actor_number=actor.number,
        target=f"meeting_motion:{motion.id}",
        amendment_id=amendment_id,
        recommendation=recommendation,
    )


# --- Voting -------------------------------------------------------------------------------


def _question(motion: MeetingMotion, amendment: MeetingAmendment | None) -> str:
    if amendment is None:
        text = _(
            "Forslag %(number)s «%(title)s» i sin helhet", number=motion.number, title=motion.title
        )
    else:
        text = _(
            "Forslag %(number)s: endringsforslag %(label)s",
            number=motion.number,
            label=label(amendment),
        )
    return text[:300]


def _results(
    session: Session, motion: MeetingMotion, plan: list[motion_text.VoteItem]
) -> tuple[dict[str | None, bool], bool]:
    """The results of the votes held so far (an adopted block vote's decisions read into the
    voting order), keyed as the text logic keys them, and whether one is still open."""
    separate: dict[str | None, bool] = {}
    block: dict[str, bool] = {}
    waiting = False
    for step in steps(session, motion):
        vote = session.get(MeetingVote, step.vote_id)
        assert vote is not None
        if vote.state != "closed" or vote.result is None:
            waiting = True
            continue
        yes = bool(vote.result["adopted"])
        if step.block is not None:
            if yes:  # a block that falls leaves its amendments to separate votes
                block = {aid: rec == "adopt" for aid, rec in step.block.items()}
            continue
        separate[str(step.amendment_id) if step.amendment_id else None] = yes
    return motion_text.settled(plan, separate, block), waiting


def advance(
    session: Session, actor: Member, meeting: Meeting, motion: MeetingMotion
) -> MeetingVote | None:
    """Open the next vote in the voting order (the chair closes it on the control page as
    any other vote). When every vote is held, settle the motion and return None."""
    access.require(session, actor, "meeting.manage", meeting, visible=True)
    if motion.state not in ("submitted", "voting"):
        raise Conflict(_("Forslaget er allerede avgjort."))
    if motion.state == "submitted" and not supported(session, meeting, motion):
        raise Conflict(_("Forslaget har ikke så mange støttespillere som vedtektene krever."))
    amendments = amendments_of(session, motion)
    plan = motion_text.voting_order(*engine_form(motion, amendments))
    results, waiting = _results(session, motion, plan)
    if waiting:
        raise Conflict(_("Lukk og tell den åpne voteringen over forslaget først."))
    step = motion_text.next_vote(plan, results)
    if step.item is None:
        _settle(session, actor, motion, amendments, results)
        return None
    by_id = {str(a.id): a for a in amendments}
    amendment = by_id[step.item.amendment] if step.item.amendment else None
    vote = voting.open_vote(session, actor, meeting, _question(motion, amendment))
    motion.state = "voting"
    position = len(steps(session, motion)) + 1
    session.add(
        MotionStep(
            motion_id=motion.id,
            position=position,
            vote_id=vote.id,
            amendment_id=amendment.id if amendment else None,
        )
    )
    session.flush()
    return vote


def _settle(
    session: Session,
    actor: Member,
    motion: MeetingMotion,
    amendments: list[MeetingAmendment],
    results: dict[str | None, bool],
) -> None:
    outcome = motion_text.adopted(*engine_form(motion, amendments), results)
    for row in amendments:
        key = str(row.id)
        row.state = (
            "adopted"
            if key in outcome.adopted
            else "rejected"
            if key in outcome.rejected
            else "fallen"
        )
    motion.state = "adopted" if outcome.motion_adopted else "rejected"
    motion.adopted_text = motion_text.join_lines(outcome.text) if outcome.motion_adopted else None
    motion.decided_at = utcnow()
    session.flush()
    audit.record(
        session,
        "meeting.motion_decided",
        actor_number=actor.number,
        target=f"meeting_motion:{motion.id}",
        outcome=motion.state,
        adopted=outcome.adopted,
        fallen=outcome.fallen,
    )
    events.record(session, "meeting.motions_changed", meeting_id=motion.meeting_id)


def adopted_diff(motion: MeetingMotion) -> list[motion_text.DiffLine]:
    """The adopted text against the motion as submitted (empty until adopted)."""
    if motion.adopted_text is None:
        return []
    return motion_text.diff(lines(motion), motion_text.split_lines(motion.adopted_text))
