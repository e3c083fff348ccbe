"""Demo events: Bergen lokallag's annual meeting (places, questions, sign-ups, a waiting
list) and a course open to the whole organisation, both a few weeks ahead."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from innsiden.demo import seeder
from innsiden.gatherings import service, signup
from innsiden.gatherings.models import Gathering
from innsiden.gatherings.questions import QuestionInput
from innsiden.gatherings.timefmt import OSLO, local
from innsiden.groups.anchors import location_group_ids
from innsiden.groups.membership import has_access_clause
from innsiden.groups.models import Group
from membersync.db import utcnow
from membersync.models import Member

ANNUAL_MEETING = "Årsmøte i Bergen lokallag"
COURSE = "Kurs: Bli en trygg møteleder"


def _holiday(day: date) -> bool:
    """Nobody holds an årsmøte in the Christmas week or the common July holiday."""
    return (
        (day.month == 12 and day.day >= 20) or (day.month == 1 and day.day <= 3) or (day.month == 7)
    )


def _at(weekday: int, days_ahead: int, hour: int) -> datetime:
    """The first `weekday` (0 = Monday) at least `days_ahead` days from now, at `hour` Oslo,
    outside the holidays."""
    day = local(utcnow()).date() + timedelta(days=days_ahead)
    day += timedelta(days=(weekday - day.weekday()) % 7)
    while _holiday(day):
        day += timedelta(days=7)
    return datetime.combine(day, time(hour, 0), tzinfo=OSLO)


@seeder("gatherings")
def seed_gatherings(session: Session) -> None:
    """Idempotent: events that exist already (by title in the group) are left alone."""
    group_id = location_group_ids(session, ["0001"]).get("0001")
    kari = session.get(Member, 100_001)
    group = session.get(Group, group_id) if group_id else None
    if group is None or kari is None:
        return
    existing = set(session.scalars(select(Gathering.title).where(Gathering.group_id == group.id)))
    people = list(
        session.scalars(
            select(Member)
            .where(Member.lokallag_id == "0001", has_access_clause(), Member.number != kari.number)
            .order_by(Member.number)
            .limit(14)
        )
    )
    if ANNUAL_MEETING not in existing:
        _annual_meeting(session, kari, group, people)
    if COURSE not in existing:
        _course(session, kari, group, people)
    session.flush()


def _annual_meeting(session: Session, kari: Member, group: Group, people: list[Member]) -> None:
    starts = _at(3, 14, 18)  # a Thursday evening two or three weeks ahead
    meeting = service.create(
        session,
        kari,
        group,
        service.GatheringInput(
            title=ANNUAL_MEETING,
            description=(
                "Velkommen til årsmøtet!\n\n**Saker:** årsberetning, regnskap, valg av nytt "
                "styre og handlingsplan for neste år. Det blir enkel servering."
            ),
            starts_at=starts.astimezone(UTC),
            ends_at=(starts + timedelta(hours=3)).astimezone(UTC),
            place="Bergen folkebibliotek, Strømgaten 6, 5015 Bergen",
            capacity=10,
            signup_deadline=(starts - timedelta(days=2)).astimezone(UTC),
            questions=[
                QuestionInput("Matallergier eller andre hensyn?"),
                QuestionInput("Blir du med på middag etterpå?", "choice", ("Ja", "Nei")),
            ],
        ),
    )
    for index, member in enumerate(people[:12]):
        answers = {str(q.id): "" for q in meeting.questions if q.kind == "text"}
        answers.update(
            {str(q.id): ("Ja", "Nei")[index % 2] for q in meeting.questions if q.kind == "choice"}
        )
        signup.respond(session, member, meeting.id, "yes", answers)
    for member in people[12:]:
        signup.respond(
            session,
            member,
            meeting.id,
            "maybe",
            {str(q.id): "Nei" for q in meeting.questions if q.kind == "choice"},
        )


def _course(session: Session, kari: Member, group: Group, people: list[Member]) -> None:
    starts = _at(5, 40, 10)  # a Saturday some six weeks ahead
    course = service.create(
        session,
        kari,
        group,
        service.GatheringInput(
            title=COURSE,
            description="Et dagskurs for alle medlemmer: møteledelse, talelister og voteringer.",
            starts_at=starts.astimezone(UTC),
            ends_at=(starts + timedelta(hours=6)).astimezone(UTC),
            place="Bergen folkebibliotek, Strømgaten 6, 5015 Bergen",
            online_url="https://meet.example.no/kurs-moteleder",
            capacity=25,
            audience="organisation",
        ),
    )
    ola = session.get(Member, 100_002)
    for member in [m for m in (ola, *people[:4]) if m is not None]:
        signup.respond(session, member, course.id, "yes", {})
