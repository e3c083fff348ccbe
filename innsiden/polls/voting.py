"""Casting and changing votes: one vote per member of the frozen electorate, enforced by
the database, accepted only while the poll is open by the clock.

A vote is one transaction: the poll row's shared lock, the time check, the voter row (its
primary key (poll_id, member_number) refuses a second one, also from a second tab at the
same instant), and — in a secret poll — the ballot, which holds a hash of a fresh receipt
code and nothing that points back at the voter.

Changing a vote (where the poll allows it): in an open poll the voter row is updated; in a
secret poll the member gives the receipt they got, which finds their ballot without the
portal ever knowing which ballot is theirs. (Forbidding changes in secret polls would be
simpler, but people misclick, and a receipt is something they already have.)
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from flask_babel import format_datetime
from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from innsiden import access
from innsiden.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from innsiden.polls import lifecycle, secrecy, service
from innsiden.polls.models import DATE_ANSWERS, Poll, PollBallot, PollVoter
from membersync.db import utcnow
from membersync.models import Member


@dataclass(frozen=True)
class VoteOutcome:
    """What the voter is told: the receipt (secret polls, first vote only) and whether
    this replaced an earlier vote."""

    receipt: str | None
    changed: bool


def cast_vote(
    session: Session, member: Member, poll: Poll, choices: Any, *, receipt: str | None = None
) -> VoteOutcome:
    """Record the member's vote (or replace it, where allowed). Flushes; never commits."""
    lifecycle.bring_up_to_date(session, poll)
    lifecycle.lock(session, poll, shared=True)
    if not access.can(session, member, "poll.read", poll):
        raise NotFound()  # before anything else: an outsider learns nothing, not even times
    _check_open(poll)
    if not access.can(session, member, "poll.vote", poll):
        raise PermissionDenied(
            _(
                "Du er ikke med i manntallet for denne avstemningen. Manntallet ble fastsatt "
                "da avstemningen åpnet."
            )
        )
    normalised = normalise_choices(poll, choices)
    if service.has_voted(session, poll, member.number):
        return _change(session, member, poll, normalised, receipt)
    return record_first_vote(session, member, poll, normalised)


def _check_open(poll: Poll) -> None:
    now = utcnow()
    when = format_datetime(poll.closes_at if now >= poll.closes_at else poll.opens_at)
    if poll.closed_at is not None or now >= poll.closes_at:
        raise Conflict(
            _("Avstemningen stengte %(when)s. Stemmen din ble ikke registrert.", when=when)
        )
    if now < poll.opens_at:
        raise Conflict(_("Avstemningen åpner %(when)s. Du kan ikke stemme ennå.", when=when))


def record_first_vote(session: Session, member: Member, poll: Poll, choices: Any) -> VoteOutcome:
    """The voter row and (secret polls) the ballot. Checks nothing but uniqueness: callers
    go through `cast_vote`, except demo data."""
    voter = PollVoter(
        poll_id=poll.id,
        member_number=member.number,
        voted=True,
        choices=None if poll.secret else choices,
    )
    try:
        with session.begin_nested():
            session.add(voter)
            session.flush()
    except IntegrityError:
        # The same member voting from another tab at the same instant got there first.
        raise Conflict(_("Du har allerede stemt i denne avstemningen.")) from None
    receipt = None
    if poll.secret:
        receipt = secrecy.new_receipt()
        session.add(
            PollBallot(
                poll_id=poll.id,
                receipt_hash=secrecy.receipt_hash(poll.id, receipt),
                choices=choices,
            )
        )
    session.flush()
    return VoteOutcome(receipt=receipt, changed=False)


def _change(
    session: Session, member: Member, poll: Poll, choices: Any, receipt: str | None
) -> VoteOutcome:
    if not poll.may_change:
        raise Conflict(_("Du har allerede stemt, og stemmen kan ikke endres i denne avstemningen."))
    if not poll.secret:
        voter = session.get(PollVoter, (poll.id, member.number), with_for_update=True)
        assert voter is not None  # has_voted said so, and voter rows are never deleted
        voter.choices = choices
        session.flush()
        return VoteOutcome(receipt=None, changed=True)
    ballot = None
    if receipt:
        ballot = session.scalar(
            select(PollBallot)
            .where(
                PollBallot.poll_id == poll.id,
                PollBallot.receipt_hash == secrecy.receipt_hash(poll.id, receipt),
            )
            .with_for_update()
        )
    if ballot is None:
        raise ValidationFailed(
            _("Du har allerede stemt. For å endre stemmen trenger du kvitteringskoden din."),
            fields={"receipt": _("Fant ingen stemmeseddel med den kvitteringskoden.")},
        )
    ballot.choices = choices
    session.flush()
    return VoteOutcome(receipt=None, changed=True)


def normalise_choices(poll: Poll, choices: Any) -> Any:
    """The stored form: a sorted list of option ids, or for a date poll {option id: answer}.

    Accepts what forms and the API send: one id, a list of ids, or a mapping for dates."""
    ids = {option.id for option in poll.options}
    if poll.kind == "date":
        return _date_answers(ids, choices)
    picked = _ids(choices)
    if not picked <= ids:
        raise ValidationFailed(fields={"choices": _("Velg blant alternativene som er gitt.")})
    if poll.kind in ("yes_no", "single") and len(picked) != 1:
        raise ValidationFailed(fields={"choices": _("Velg ett alternativ.")})
    if poll.kind == "multiple" and not 1 <= len(picked) <= (poll.max_choices or 1):
        raise ValidationFailed(
            fields={
                "choices": _(
                    "Velg minst ett og høyst %(max)d alternativer.", max=poll.max_choices or 1
                )
            }
        )
    return sorted(picked)


def _ids(choices: Any) -> set[int]:
    values = choices if isinstance(choices, list | tuple | set) else [choices]
    picked: set[int] = set()
    for value in values:
        text = str(value).strip()
        if not text.isdigit():
            raise ValidationFailed(fields={"choices": _("Velg blant alternativene som er gitt.")})
        picked.add(int(text))
    return picked


def _date_answers(ids: set[int], choices: Any) -> dict[str, str]:
    given = choices if isinstance(choices, dict) else {}
    answers: dict[str, str] = {}
    for option_id in sorted(ids):
        answer = str(given.get(str(option_id), given.get(option_id, "no")))
        if answer not in DATE_ANSWERS:
            raise ValidationFailed(fields={"choices": _("Svar ja, kanskje eller nei.")})
        answers[str(option_id)] = answer
    unknown = {str(k) for k in given} - set(answers)
    if unknown:
        raise ValidationFailed(fields={"choices": _("Velg blant alternativene som er gitt.")})
    return answers
