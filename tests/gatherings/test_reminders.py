"""Reminders: chosen per event or in one's settings, sent once even by two runners at once."""

from __future__ import annotations

import threading
from datetime import datetime, timedelta

from innsiden.db import session_factory
from innsiden.gatherings.reminders import send_due_reminders
from tests.factories import make_member
from tests.gatherings.conftest import create_gathering, in_days, reply

EMAIL_DAY_BEFORE = {"channel": "email", "minutes": 1440}


def run_reminders(app, now: datetime) -> int:
    """One job runner's pass, as `innsiden jobs run` makes it, at the given moment."""
    with app.app_context(), session_factory(app)() as session:
        sent = send_due_reminders(session, now=now)
        session.commit()
        return sent


def test_two_runners_at_once_send_each_reminder_once(app, db, world, outbox):
    starts = in_days(3)
    gid = create_gathering(world.client(world.kari), world.bergen, starts_at=starts.isoformat())[
        "id"
    ]
    members = [make_member(db, "0001", email=f"r{n}@example.no") for n in range(30)]
    db.commit()
    for member in members:
        reply(world.client(member), gid, reminder=EMAIL_DAY_BEFORE)
    reply(world.client(world.anne), gid, reminder={"channel": "sms", "minutes": 60})

    moment = starts - timedelta(minutes=30)  # both reminders are due
    start = threading.Barrier(2)
    sent: list[int] = []

    def runner() -> None:
        start.wait()
        sent.append(run_reminders(app, moment))

    threads = [threading.Thread(target=runner) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert sum(sent) == 31
    for member in members:
        [mail] = outbox.mails(to=member.email)
        assert mail["Subject"] == "Påminnelse: Årsmøte"
        assert "kl." in mail.get_body(("plain",)).get_content()
    [sms] = outbox.sms(to="+4799887766")
    assert sms["text"].startswith("Påminnelse: Årsmøte, ")
    assert run_reminders(app, moment) == 0  # and never again


def test_nothing_is_sent_before_its_time(app, world, outbox):
    starts = in_days(3)
    gid = create_gathering(world.client(world.kari), world.bergen, starts_at=starts.isoformat())[
        "id"
    ]
    reply(world.client(world.per), gid, reminder=EMAIL_DAY_BEFORE)
    assert run_reminders(app, starts - timedelta(days=2)) == 0
    assert run_reminders(app, starts - timedelta(hours=23)) == 1
    assert len(outbox.mails(to="per@example.no")) == 1


def test_the_default_from_settings_applies_and_follows_a_change_of_mind(app, world, outbox):
    per = world.client(world.per)
    saved = per.post(
        "/arrangementer/innstillinger", data={"reminder_channel": "email", "reminder_minutes": "60"}
    )
    assert saved.status_code == 302
    starts = in_days(3)
    gid = create_gathering(world.client(world.kari), world.bergen, starts_at=starts.isoformat())[
        "id"
    ]
    page = per.post(f"/arrangementer/{gid}/svar", data={"answer": "kommer"})
    assert page.status_code == 302
    assert run_reminders(app, starts - timedelta(hours=2)) == 0  # one hour before, not two
    # Per changes the default to one day before: the coming event follows.
    per.post(
        "/arrangementer/innstillinger",
        data={"reminder_channel": "email", "reminder_minutes": "1440"},
    )
    assert run_reminders(app, starts - timedelta(hours=2)) == 1
    # SMS needs a mobile number in the register.
    refused = per.post(
        "/arrangementer/innstillinger", data={"reminder_channel": "sms", "reminder_minutes": "60"}
    )
    assert refused.status_code == 400
    assert "mobilnummeret" in refused.text


def test_no_reminders_for_the_waiting_list_cancelled_events_or_those_who_said_no(
    app, db, world, outbox
):
    starts = in_days(3)
    kari = world.client(world.kari)
    gid = create_gathering(kari, world.bergen, starts_at=starts.isoformat(), capacity=1)["id"]
    reply(world.client(world.anne), gid, reminder=EMAIL_DAY_BEFORE)
    reply(world.client(world.per), gid, reminder=EMAIL_DAY_BEFORE)  # waiting list
    assert run_reminders(app, starts - timedelta(hours=1)) == 1
    assert outbox.mails(to="per@example.no") == []

    other = create_gathering(kari, world.bergen, starts_at=starts.isoformat())["id"]
    reply(world.client(world.per), other, reminder=EMAIL_DAY_BEFORE)
    assert kari.post(f"/api/v1/gatherings/{other}/cancel", json={}).status_code == 200
    assert run_reminders(app, starts - timedelta(hours=1)) == 0


def test_moving_the_event_moves_the_reminder(app, world, outbox):
    kari = world.client(world.kari)
    starts = in_days(3)
    made = create_gathering(kari, world.bergen, starts_at=starts.isoformat())
    reply(world.client(world.per), made["id"], reminder=EMAIL_DAY_BEFORE)
    assert run_reminders(app, starts - timedelta(hours=1)) == 1

    later = starts + timedelta(days=7)
    body = {"title": made["title"], "starts_at": later.isoformat(), "place": made["place"]}
    assert kari.put(f"/api/v1/gatherings/{made['id']}", json=body).status_code == 200
    assert run_reminders(app, starts) == 0  # the old time is gone
    assert run_reminders(app, later - timedelta(hours=1)) == 1
    assert len(outbox.mails(to="per@example.no")) == 2
