"""The demo shows upcoming events with sign-ups, and seeding twice adds nothing."""

from __future__ import annotations

from sqlalchemy import func, select

from innsiden.db import session_factory
from innsiden.gatherings.demo import ANNUAL_MEETING, COURSE, seed_gatherings
from innsiden.gatherings.models import Gathering, GatheringReply
from tests.factories import make_member, make_small_organisation


def test_demo_events_with_sign_ups_are_seeded_once(app, db):
    units = make_small_organisation(db)
    make_member(db, units["0001"], number=100_001, first_name="Kari", roles=["lokallagsleder@0001"])
    make_member(db, units["0002"], number=100_002, first_name="Ola")
    for _ in range(20):
        make_member(db, units["0001"])
    db.commit()
    for _ in range(2):
        with app.app_context(), session_factory(app)() as session:
            seed_gatherings(session)
            session.commit()
    db.commit()
    titles = sorted(db.scalars(select(Gathering.title)))
    assert titles == sorted([ANNUAL_MEETING, COURSE])
    meeting = db.scalar(select(Gathering).where(Gathering.title == ANNUAL_MEETING))
    by_status = dict(
        db.execute(
            select(GatheringReply.status, func.count())
            .where(GatheringReply.gathering_id == meeting.id)
            .group_by(GatheringReply.status)
        ).all()
    )
    assert by_status == {"confirmed": 10, "waiting": 2, "maybe": 2}
    assert [q.label for q in meeting.questions] == [
        "Matallergier eller andre hensyn?",
        "Blir du med på middag etterpå?",
    ]
    course = db.scalar(select(Gathering).where(Gathering.title == COURSE))
    assert course.audience == "organisation"
    ola_replied = db.scalar(
        select(GatheringReply.status).where(
            GatheringReply.gathering_id == course.id, GatheringReply.member_number == 100_002
        )
    )
    assert ola_replied == "confirmed"  # a member of another lokallag signed up
