"""Notifications: created after commit, shown in the page, e-mailed once, permission at delivery."""

from __future__ import annotations

import threading

from sqlalchemy import func, select

from innsiden import events, realtime
from innsiden.groups import service as groups
from innsiden.groups.interest import create_interest_group, join
from innsiden.notifications.delivery import send_immediate
from innsiden.notifications.models import Notification
from innsiden.notifications.registry import DigestItem
from innsiden.notifications.service import unread_count
from membersync.access import end_all_credentials
from tests.conftest import login_as, run_jobs
from tests.factories import make_member, make_small_organisation
from tests.notifications.conftest import DIGEST_ITEMS, HIDDEN_SUBJECTS, age_events


def _lokallag_group(db, member):
    group = next(g for g in groups.groups_of_member(db, member) if g.unit_id == "0001")
    db.commit()  # end the read, so the next write starts from a fresh snapshot
    return group


def _people(db):
    units = make_small_organisation(db)
    kari = make_member(db, units["0001"], first_name="Kari", email="kari@example.no")
    ola = make_member(db, units["0001"], first_name="Ola", email="ola@example.no")
    db.commit()
    return units, kari, ola


def test_mention_gives_one_page_notification_one_email_and_a_live_bell(app, client, db, outbox):
    _units, kari, ola = _people(db)
    group = _lokallag_group(db, ola)
    login_as(client, ola)
    socket = realtime.socketio.test_client(app, flask_test_client=client)
    assert socket.is_connected()
    events.record(db, "test.mentioned", member=ola.number, actor=kari.number,
                  group_id=group.id, post=1)  # fmt: skip
    db.commit()
    run_jobs(app, db)

    page = client.get("/varsler")
    assert page.status_code == 200
    assert "Kari nevnte deg i «Årsmøtet»" in page.text
    [mail] = outbox.mails(to="ola@example.no")
    assert mail["Subject"] == "Kari nevnte deg i «Årsmøtet»"
    assert "http://localhost/test/innlegg/1" in mail.get_body(("plain",)).get_content()
    assert mail["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert "<img" not in mail.get_body(("html",)).get_content()  # no tracking pixels
    pushed = [m for m in socket.get_received() if m["name"] == "notifications:count"]
    assert pushed[-1]["args"][0] == {"unread": 1}
    # Running the jobs again sends nothing more.
    run_jobs(app, db)
    assert len(outbox.mails(to="ola@example.no")) == 1


def test_bell_and_mark_read(app, client, db):
    _units, kari, ola = _people(db)
    for post in (1, 2):
        events.record(db, "test.mentioned", member=ola.number, actor=kari.number, post=post)
    db.commit()
    run_jobs(app, db)
    login_as(client, ola)
    assert "data-notification-count>2<" in client.get("/").text
    first = db.scalars(select(Notification).order_by(Notification.id)).first()
    assert client.post(f"/varsler/{first.id}/lest").status_code == 302
    assert "data-notification-count>1<" in client.get("/").text
    client.post("/varsler/alle-lest")
    assert client.get("/api/v1/notifications").get_json()["unread"] == 0


def test_another_members_notification_cannot_be_marked(app, client, db):
    _units, kari, ola = _people(db)
    events.record(db, "test.mentioned", member=ola.number, actor=kari.number, post=1)
    db.commit()
    run_jobs(app, db)
    notification = db.scalars(select(Notification)).one()
    login_as(client, kari)
    assert client.post(f"/varsler/{notification.id}/lest").status_code == 404
    assert client.post(f"/api/v1/notifications/{notification.id}/read").status_code == 404


def test_muted_group_sends_nothing(app, client, db, outbox):
    _units, kari, ola = _people(db)
    group = _lokallag_group(db, ola)
    groups.set_notification_level(db, ola, group, "none")
    events.record(db, "test.mentioned", member=ola.number, actor=kari.number,
                  group_id=group.id, post=1)  # fmt: skip
    db.commit()
    run_jobs(app, db)
    assert db.scalar(select(func.count()).select_from(Notification)) == 0
    assert outbox.mails(to="ola@example.no") == []


def test_hidden_subject_is_neither_shown_nor_sent(app, client, db, outbox):
    _units, kari, ola = _people(db)
    events.record(db, "test.mentioned", member=ola.number, actor=kari.number, post=7)
    db.commit()
    age_events(db)
    from innsiden.notifications.delivery import create_from_events

    with app.app_context():
        create_from_events(db)
    HIDDEN_SUBJECTS.add("7")  # hidden by a moderator before the mail went out
    with app.app_context():
        send_immediate(db)
    assert outbox.mails(to="ola@example.no") == []
    login_as(client, ola)
    assert "Årsmøtet" not in client.get("/varsler").text
    assert unread_count(db, ola) == 0  # the bell does not count what the list hides


def test_deactivated_member_gets_no_email_at_all(app, db, outbox):
    _units, kari, ola = _people(db)
    events.record(db, "test.mentioned", member=ola.number, actor=kari.number, post=1)
    db.commit()
    age_events(db)
    from innsiden.notifications.delivery import create_from_events

    with app.app_context():
        create_from_events(db)
    ola.status = "utmeldt"
    end_all_credentials(db, ola.number)
    db.commit()
    run_jobs(app, db)
    assert outbox.mails(to="ola@example.no") == []


def test_two_runners_at_once_send_each_email_once(app, db, outbox):
    units = make_small_organisation(db)
    actor = make_member(db, units["0001"])
    recipients = [make_member(db, units["0001"], email=f"r{i}@example.no") for i in range(20)]
    db.commit()
    for i, member in enumerate(recipients):
        events.record(db, "test.mentioned", member=member.number, actor=actor.number, post=i)
    db.commit()
    age_events(db)
    from innsiden.db import session_factory
    from innsiden.notifications.delivery import create_from_events

    with app.app_context():
        create_from_events(db)
    barrier = threading.Barrier(2)

    def runner():
        barrier.wait()
        with app.app_context(), session_factory(app)() as session:
            send_immediate(session)

    threads = [threading.Thread(target=runner) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    sent_to = sorted(str(m["To"]) for m in outbox.mails())
    assert sent_to == sorted(m.email for m in recipients)


def _interest(db, admin, name):
    group = create_interest_group(db, admin, name=name, visibility="open")
    db.flush()
    return group


def test_digest_holds_a_days_activity_from_unmuted_groups_once(app, db, outbox):
    units = make_small_organisation(db)
    admin = make_member(db, units["0301"], roles=["sentraladmin@S"])
    ola = make_member(db, units["0001"], first_name="Ola", email="ola@example.no")
    climate, farming = _interest(db, admin, "Klima"), _interest(db, admin, "Landbruk")
    join(db, ola, climate)
    join(db, ola, farming)
    groups.set_notification_level(db, ola, farming, "none")
    db.commit()
    from membersync.db import utcnow

    for group, title in ((climate, "Nytt om vindkraft"), (farming, "Nytt om melkekvoter")):
        DIGEST_ITEMS.append(DigestItem(group.id, group.name, title, "/x", "", utcnow()))
    run_jobs(app, db)
    [digest] = outbox.mails(to="ola@example.no")
    text = digest.get_body(("plain",)).get_content()
    assert "Nytt om vindkraft" in text
    assert "melkekvoter" not in text
    run_jobs(app, db)
    assert len(outbox.mails(to="ola@example.no")) == 1


def test_member_removed_from_group_before_digest_hears_nothing_of_it(app, db, outbox):
    units = make_small_organisation(db)
    admin = make_member(db, units["0301"], roles=["sentraladmin@S"])
    ola = make_member(db, units["0001"], first_name="Ola", email="ola@example.no")
    climate = _interest(db, admin, "Klima")
    join(db, ola, climate)
    db.commit()
    from innsiden.groups.interest import leave
    from membersync.db import utcnow

    DIGEST_ITEMS.append(DigestItem(climate.id, climate.name, "Hemmelig plan", "/x", "", utcnow()))
    leave(db, ola, climate)
    db.commit()
    run_jobs(app, db)
    assert all(
        "Hemmelig plan" not in m.get_body(("plain",)).get_content()
        for m in outbox.mails(to="ola@example.no")
    )


def test_unsubscribe_link_works_once_without_login_and_only_for_its_member(app, db, outbox):
    _units, kari, ola = _people(db)
    events.record(db, "test.mentioned", member=ola.number, actor=kari.number, post=1)
    db.commit()
    run_jobs(app, db)
    [mail] = outbox.mails(to="ola@example.no")
    link = mail["List-Unsubscribe"].strip("<>").removeprefix("http://localhost")
    anonymous = app.test_client()
    assert "Vil du slutte" in anonymous.get(link).text  # a scanner's GET changes nothing
    assert client_email_mode(anonymous, app, db, ola) == "immediate"
    response = anonymous.post(link, data={"List-Unsubscribe": "One-Click"})
    assert response.status_code == 200, response.text
    assert "Du får ikke flere e-poster" in response.text, response.text
    assert client_email_mode(anonymous, app, db, ola) == "none"
    # Ola turns e-mail back on; the old link cannot switch it off again.
    from innsiden.notifications.service import set_email_mode

    set_email_mode(db, ola, "immediate")
    db.commit()
    assert "allerede brukt" in anonymous.post(link).text
    assert client_email_mode(anonymous, app, db, ola) == "immediate"
    # Altering the token (e.g. to another member) breaks its signature.
    token = link.rsplit("/", 1)[1]
    forged = token[:10] + ("A" if token[10] != "A" else "B") + token[11:]
    assert anonymous.post(f"/avmeld/{forged}").status_code == 404
    assert client_email_mode(anonymous, app, db, kari) == "immediate"


def client_email_mode(_client, _app, db, member) -> str:
    from innsiden.notifications.service import email_mode

    db.commit()  # a fresh snapshot: see what the requests committed
    return email_mode(db, member.number)
