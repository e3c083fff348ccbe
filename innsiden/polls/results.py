"""Counting: counts and percentages per option, turnout, quorum, winners and ties; the
published ballot list and receipt check of secret polls; who voted what in open polls.

Nothing is stored: results are counted from the ballots (secret polls) or the voter rows
(open polls) whenever asked. Once the poll is closed no vote can change them, so they are
final. Percentages are of the ballots cast. Ties are reported as ties, never broken.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from innsiden.polls import secrecy, service
from innsiden.polls.models import Poll, PollBallot, PollOption, PollVoter
from membersync.models import Member


@dataclass(frozen=True)
class OptionResult:
    option: PollOption
    count: int  # ballots choosing it (date polls: "yes")
    percent: float
    maybe: int = 0  # date polls only
    no: int = 0


@dataclass(frozen=True)
class Results:
    ballots: int
    electorate: int
    turnout_percent: float
    quorum_required: int | None
    quorum_met: bool | None
    options: list[OptionResult]
    winners: list[int]  # option ids sure of a place
    tied: list[int] = field(default_factory=list)  # option ids tied for the last place(s)
    seats: int = 1
    final: bool = False

    @property
    def is_tie(self) -> bool:
        return bool(self.tied)

    def labels(self, option_ids: list[int]) -> list[str]:
        by_id = {row.option.id: row.option.label for row in self.options}
        return [by_id[i] for i in option_ids if i in by_id]


def _percent(part: int, whole: int) -> float:
    return round(100.0 * part / whole, 1) if whole else 0.0


def quorum_required(poll: Poll) -> int | None:
    """How many must vote for the result to count (None: no requirement)."""
    if poll.quorum_kind == "count":
        return poll.quorum_value
    if poll.quorum_kind == "percent" and poll.quorum_value is not None:
        electorate = poll.electorate_size or 0
        return -(-electorate * poll.quorum_value // 100)  # rounded up
    return None


def ballot_choices(session: Session, poll: Poll) -> list[Any]:
    """Every ballot's choices (secret: the ballot table; open: the voter rows)."""
    if poll.secret:
        return list(
            session.scalars(select(PollBallot.choices).where(PollBallot.poll_id == poll.id))
        )
    return list(session.scalars(select(PollVoter.choices).where(PollVoter.poll_id == poll.id)))


def count(session: Session, poll: Poll) -> Results:
    ballots = [c for c in ballot_choices(session, poll) if c is not None]
    electorate = poll.electorate_size or 0
    rows = _date_rows(poll, ballots) if poll.kind == "date" else _choice_rows(poll, ballots)
    seats = (poll.max_choices or 1) if poll.kind == "multiple" else 1
    contenders = rows
    if poll.kind == "yes_no":
        contenders = rows[:2]  # a blank vote is counted, but never wins
    winners, tied = _places(contenders, seats, date=poll.kind == "date")
    required = quorum_required(poll)
    return Results(
        ballots=len(ballots),
        electorate=electorate,
        turnout_percent=_percent(len(ballots), electorate),
        quorum_required=required,
        quorum_met=None if required is None else len(ballots) >= required,
        options=rows,
        winners=winners,
        tied=tied,
        seats=seats,
        final=service.state_of(poll) == "closed",
    )


def _choice_rows(poll: Poll, ballots: list[Any]) -> list[OptionResult]:
    tally = {option.id: 0 for option in poll.options}
    for choices in ballots:
        for option_id in choices:
            if option_id in tally:
                tally[option_id] += 1
    return [OptionResult(o, tally[o.id], _percent(tally[o.id], len(ballots))) for o in poll.options]


def _date_rows(poll: Poll, ballots: list[Any]) -> list[OptionResult]:
    rows = []
    for option in poll.options:
        answers = [b.get(str(option.id), "no") for b in ballots]
        yes, maybe = answers.count("yes"), answers.count("maybe")
        rows.append(
            OptionResult(
                option, yes, _percent(yes, len(ballots)), maybe, len(answers) - yes - maybe
            )
        )
    return rows


def _places(rows: list[OptionResult], seats: int, *, date: bool) -> tuple[list[int], list[int]]:
    """Options sure of one of `seats` places, and those tied for the remaining ones."""

    def score(row: OptionResult) -> tuple[int, int]:
        return (row.count, row.maybe) if date else (row.count, 0)

    ranked = sorted((r for r in rows if r.count or r.maybe), key=score, reverse=True)
    if len(ranked) <= seats:
        return [r.option.id for r in ranked], []
    cut = score(ranked[seats - 1])
    above = [r.option.id for r in ranked if score(r) > cut]
    at_cut = [r.option.id for r in ranked if score(r) == cut]
    if len(above) + len(at_cut) == seats:
        return above + at_cut, []
    return above, at_cut


@dataclass(frozen=True)
class PublishedBallot:
    fingerprint: str
    labels: list[str]


def labels_of(poll: Poll, choices: Any) -> list[str]:
    """What a ballot says, in words ("Ja"; "Anne, Per"; "3. mars: ja, 4. mars: kanskje")."""
    by_id = {o.id: o for o in poll.options}
    if poll.kind == "date":
        words = {"yes": "ja", "maybe": "kanskje", "no": "nei"}
        return [
            f"{by_id[int(k)].label}: {words.get(v, v)}"
            for k, v in sorted(choices.items(), key=lambda kv: by_id[int(kv[0])].position)
            if int(k) in by_id
        ]
    return [by_id[i].label for i in sorted(choices, key=lambda i: by_id[i].position) if i in by_id]


def published_ballots(session: Session, poll: Poll) -> list[PublishedBallot]:
    """Every ballot of a closed secret poll, by receipt fingerprint (in hash order)."""
    rows = session.execute(
        select(PollBallot.receipt_hash, PollBallot.choices)
        .where(PollBallot.poll_id == poll.id)
        .order_by(PollBallot.receipt_hash)
    )
    return [PublishedBallot(secrecy.fingerprint(h), labels_of(poll, c)) for h, c in rows]


def check_receipt(session: Session, poll: Poll, receipt: str) -> list[str] | None:
    """The choices on the ballot with this receipt, or None if there is no such ballot."""
    choices = session.scalar(
        select(PollBallot.choices).where(
            PollBallot.poll_id == poll.id,
            PollBallot.receipt_hash == secrecy.receipt_hash(poll.id, receipt),
        )
    )
    return None if choices is None else labels_of(poll, choices)


@dataclass(frozen=True)
class OpenVote:
    member_number: int
    name: str
    labels: list[str]


def open_votes(session: Session, poll: Poll) -> list[OpenVote]:
    """Who voted what, in an open (not secret) poll, by name."""
    if poll.secret:
        return []
    rows = session.execute(
        select(PollVoter.member_number, Member.first_name, Member.last_name, PollVoter.choices)
        .join(Member, Member.number == PollVoter.member_number)
        .where(PollVoter.poll_id == poll.id)
        .order_by(Member.last_name, Member.first_name, Member.number)
    )
    return [
        OpenVote(number, f"{first} {last}".strip(), labels_of(poll, choices or []))
        for number, first, last, choices in rows
    ]


def own_open_vote(session: Session, poll: Poll, member_number: int) -> list[str] | None:
    """The member's own choices in an open poll (a secret poll cannot say)."""
    if poll.secret:
        return None
    voter = session.get(PollVoter, (poll.id, member_number))
    return None if voter is None or voter.choices is None else labels_of(poll, voter.choices)


def as_json(results: Results) -> dict[str, Any]:
    return {
        "ballots": results.ballots,
        "electorate": results.electorate,
        "turnout_percent": results.turnout_percent,
        "quorum_required": results.quorum_required,
        "quorum_met": results.quorum_met,
        "final": results.final,
        "seats": results.seats,
        "winners": results.winners,
        "tied": results.tied,
        "options": [
            {
                "id": r.option.id,
                "label": r.option.label,
                "count": r.count,
                "percent": r.percent,
                **({"maybe": r.maybe, "no": r.no} if r.option.day is not None else {}),
            }
            for r in results.options
        ],
    }
