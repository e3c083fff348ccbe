"""The demo: Kari's SMS reminder to Bergen's restanse is queued once and sent by the job."""

from __future__ import annotations

from sqlalchemy import select

from innsiden.db import session_factory
from innsiden.desk.demo import seed_desk
from innsiden.desk.models import DeskMessage
from tests.desk.conftest import run_sender
from tests.factories import make_member, make_small_organisation


def test_the_demo_reminder_is_seeded_once_and_reaches_restanse(app, db, outbox):
    units = make_small_organisation(db)
    make_member(db, units["0001"], number=100_001, first_name="Kari", roles=["lokallagsleder@0001"])
    owing = make_member(db, units["0001"], status="restanse", mobile="+4790000001")
    make_member(db, units["0001"], mobile="+4790000002")
    db.commit()
    for _ in range(2):
        with app.app_context(), session_factory(app)() as session:
            seed_desk(session)
            session.commit()
    assert len(db.scalars(select(DeskMessage)).all()) == 1
    db.commit()
    run_sender(app)
    [sms] = outbox.sms()
    assert sms["to"] == owing.mobile and sms["text"].startswith("Hei Test! Vi ser")
