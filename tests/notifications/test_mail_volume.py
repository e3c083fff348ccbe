"""E-mail volume: a poll opening reaches a whole group through the digest, not forty inboxes at
once; an hourly cap per member moves the rest to the digest; the digest covers the member's
own lokallag as well as their interest groups."""

from __future__ import annotations

from sqlalchemy import select

from innsiden.db import session_factory
from innsiden.groups import service as groups
from innsiden.groups.anchors import location_group_ids
from innsiden.notifications import service
from innsiden.notifications.models import Notification
from innsiden.notifications.registry import DigestItem
from membersync.db import utcnow
from membersync.models import Member
from tests.conftest import login_as, run_jobs
from tests.factories import make_member, make_small_organisation
from tests.notifications.conftest import DIGEST_ITEMS
from tests.polls.conftest import create_poll

QUESTION = "Skal lokallaget stille liste ved kommunevalget?"


def _opening_mails(outbox, members):
    return [
        member.email
        for member in members
        for mail in outbox.mails(to=member.email)
        if mail["Subject"].startswith("Ny avstemning i")
    ]


def test_opening_a_poll_in_a_group_of_40_emails_only_those_who_asked(app, client, db, outbox):
    units = make_small_organisation(db)
    leader = make_member(db, units["0001"], first_name="Kari", email="kari@example.no",
                         roles=["lokallagsleder@0001"])  # fmt: skip
    members = [
        make_member(db, units["0001"], first_name=f"Medlem{i}", email=f"m{i}@example.no")
        for i in range(39)
    ]
    db.commit()
    eager = members[:4]
    for member in eager[1:]:
        service.set_announcements_immediate(db, member, True)
    db.commit()
    # One of them says so on the settings page, as a member would.
    login_as(client, eager[0])
    page = client.get("/varsler/innstillinger")
    assert "når en avstemning åpner" in page.text
    saved = client.post(
        "/varsler/innstillinger",
        data={"email_mode": "immediate", "announcements_immediate": "1"},
    )
    assert saved.status_code == 302
    group_id = location_group_ids(db, ["0001"])["0001"]
    db.commit()

    create_poll(app, leader, group_id, question=QUESTION)
    run_jobs(app, db)

    everyone = [leader, *members]
    assert sorted(_opening_mails(outbox, everyone)) == sorted(m.email for m in eager)
    # Everyone else finds the poll in the bell and in the daily digest, not as its own e-mail.
    quiet = members[10]
    with session_factory(app)() as session:
        shown = session.scalars(
            select(Notification).where(Notification.recipient_number == quiet.number)
        ).all()
    assert [n.email_state for n in shown] == ["sent"]  # sent in the digest
    [digest] = outbox.mails(to=quiet.email)
    assert QUESTION in digest.get_body(("plain",)).get_content()


def test_the_hourly_cap_moves_the_rest_to_the_digest(app, db, outbox):
    from innsiden import events

    app.config["EMAILS_PER_HOUR"] = 3
    units = make_small_organisation(db)
    kari = make_member(db, units["0001"], first_name="Kari", email="kari@example.no")
    ola = make_member(db, units["0001"], first_name="Ola", email="ola@example.no")
    db.commit()
    # The digest goes out at once on a first run; let it pass, so what follows is the hour's.
    run_jobs(app, db)
    outbox_before = len(outbox.notifications(to="ola@example.no"))
    for post in range(1, 8):
        events.record(db, "test.mentioned", member=ola.number, actor=kari.number, post=post)
    db.commit()
    run_jobs(app, db)

    mentions = outbox.notifications(to="ola@example.no")[outbox_before:]  # not a digest
    assert len(mentions) == 3
    states = db.scalars(
        select(Notification.email_state).where(Notification.recipient_number == ola.number)
    ).all()
    assert sorted(states) == ["digest"] * 4 + ["sent"] * 3


def test_the_digest_shows_the_members_own_lokallag_and_interest_groups(app, db, outbox):
    from innsiden.groups.interest import create_interest_group, join

    units = make_small_organisation(db)
    admin = make_member(db, units["0301"], roles=["sentraladmin@S"])
    ola = make_member(db, units["0001"], first_name="Ola", email="ola@example.no")
    climate = create_interest_group(db, admin, name="Klima", visibility="open")
    db.flush()
    join(db, ola, climate)
    db.commit()
    member = db.get(Member, ola.number)
    bergen = next(g for g in groups.groups_of_member(db, member) if g.unit_id == "0001")
    db.commit()
    DIGEST_ITEMS.extend([
        DigestItem(bergen.id, bergen.name, "Ny tråd: dugnad i parken", "/a", "", utcnow()),
        DigestItem(climate.id, climate.name, "Ny tråd: vindkraft", "/b", "", utcnow()),
    ])  # fmt: skip
    run_jobs(app, db)
    [digest] = outbox.mails(to="ola@example.no")
    text = digest.get_body(("plain",)).get_content()
    assert "dugnad i parken" in text and "vindkraft" in text
