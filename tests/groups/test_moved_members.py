"""A member the register moves to another lokallag is told, once, where they now belong."""

from datetime import timedelta

from sqlalchemy import select, update

from innsiden.db import session_factory
from innsiden.notifications.models import Notification
from membersync.db import utcnow
from membersync.models import OrgUnit, SyncChange
from tests.conftest import run_jobs
from tests.membersync.helpers import active_member_row, changed, small_register, sync


def test_a_moved_member_is_told_of_their_new_lokallag_once(app, db, outbox, tmp_path):
    factory = session_factory(app)
    register = small_register()
    sync(factory, register.write_csv(tmp_path / "first"))
    row = active_member_row(register)
    number, old_unit = int(row["medlemsnummer"]), row["lokallag_id"]
    new_unit = next(
        u["id"] for u in register.units if u["type"] == "lokallag" and u["id"] != old_unit
    )
    after = changed(register)
    next(r for r in after.members if r["medlemsnummer"] == str(number))["lokallag_id"] = new_unit
    sync(factory, after.write_csv(tmp_path / "second"))
    # The job reads sync changes past its safety lag; make them old instead of waiting.
    db.execute(update(SyncChange).values(created_at=utcnow() - timedelta(minutes=1)))
    db.commit()

    run_jobs(app, db)
    run_jobs(app, db)  # a second run tells nobody again

    new_name = db.get(OrgUnit, new_unit).name
    told = db.scalars(select(Notification).where(Notification.kind == "groups.moved")).all()
    assert [(n.recipient_number, n.title) for n in told] == [
        (number, f"Du hører nå til {new_name}")
    ]
    [mail] = [m for m in outbox.mails(to=row["epost"]) if "Du hører nå til" in m["Subject"]]
    assert new_name in mail["Subject"]
