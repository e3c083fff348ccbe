"""Organisers' tools: attendee list with answers, a formula-safe CSV, check-in at the door,
a message to everyone signed up, changing and cancelling (everyone signed up is told)."""

from __future__ import annotations

import csv
import io

from sqlalchemy import select

from innsiden.audit import AuditEntry
from innsiden.db import session_factory
from innsiden.gatherings import messages
from innsiden.mail import SmtpMailBackend
from tests.factories import make_member
from tests.gatherings.conftest import create_gathering, reply, run_jobs

QUESTIONS = [{"label": "Matallergier?"}, {"label": "Overnatting?", "choices": ["Ja", "Nei"]}]


def _with_answers(world, db, **fields):
    kari = world.client(world.kari)
    made = create_gathering(kari, world.bergen, questions=QUESTIONS, **fields)
    text_q, choice_q = (str(q["id"]) for q in made["questions"])
    reply(world.client(world.anne), made["id"], answers={text_q: '=HYPERLINK("x")', choice_q: "Ja"})
    reply(world.client(world.per), made["id"], "maybe", answers={text_q: "Gluten", choice_q: "Nei"})
    return kari, made


def test_the_attendee_list_shows_answers_and_every_look_is_audited(world, db):
    kari, made = _with_answers(world, db)
    page = kari.get(f"/arrangementer/{made['id']}/deltakere")
    assert page.status_code == 200
    assert "Anne Berg" in page.text and "Per Dahl" in page.text
    assert "Gluten" in page.text
    assert "=HYPERLINK(&#34;x&#34;)" in page.text  # shown as text, escaped
    assert "Kommer: 1" in page.text and "Kanskje: 1" in page.text
    db.commit()
    actions = db.scalars(
        select(AuditEntry.action).where(AuditEntry.target == f"gathering:{made['id']}")
    ).all()
    assert actions == ["gathering.attendees_view"]


def test_the_csv_export_cannot_run_formulas(world, db):
    kari, made = _with_answers(world, db)
    response = kari.get(f"/arrangementer/{made['id']}/deltakere.csv")
    assert response.status_code == 200
    assert response.mimetype == "text/csv"
    assert "attachment" in response.headers["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(response.data.decode("utf-8-sig")), delimiter=";"))
    header, anne, per = rows
    assert header[-2:] == ["Matallergier?", "Overnatting?"]
    assert anne[1:4] == ["Anne", "Berg", "Kommer"]
    assert anne[-2:] == ['\'=HYPERLINK("x")', "Ja"]
    assert per[3] == "Kanskje" and per[-2:] == ["Gluten", "Nei"]
    db.commit()
    assert db.scalar(
        select(AuditEntry.action).where(AuditEntry.action == "gathering.attendees_export")
    )


def test_check_in_at_the_door(world, db):
    kari, made = _with_answers(world, db)
    gid = made["id"]
    door = kari.get(f"/arrangementer/{gid}/innsjekk")
    assert "0 av 2 har møtt" in door.text
    people = kari.get(f"/api/v1/gatherings/{gid}/attendees").get_json()
    anne_reply = people["confirmed"][0]["reply_id"]
    done = kari.post(f"/arrangementer/{gid}/innsjekk/{anne_reply}", data={"q": ""})
    assert done.status_code == 302 and done.location.endswith(f"#r{anne_reply}")
    assert "1 av 2 har møtt" in kari.get(f"/arrangementer/{gid}/innsjekk").text
    found = kari.get(f"/arrangementer/{gid}/innsjekk?q=per").text
    assert "Per Dahl" in found and "Anne Berg" not in found
    kari.post(f"/arrangementer/{gid}/innsjekk/{anne_reply}", data={"present": "nei"})
    after = kari.get(f"/api/v1/gatherings/{gid}/attendees").get_json()
    assert after["confirmed"][0]["checked_in"] is False
    # A reply of another event cannot be checked in from this one.
    other = create_gathering(kari, world.bergen)["id"]
    assert kari.post(f"/arrangementer/{other}/innsjekk/{anne_reply}").status_code == 404


def test_a_message_reaches_everyone_signed_up_once_through_the_job(world, db, outbox):
    kari, made = _with_answers(world, db)
    declined = make_member(db, "0001", email="nei@example.no")
    db.commit()
    reply(world.client(declined), made["id"], "no")
    sent = kari.post(
        f"/arrangementer/{made['id']}/melding",
        data={"subject": "Husk nøkkelen", "body": "Vi møtes ved inngangen."},
    )
    assert sent.status_code == 302
    assert outbox.mails() == []  # not sent in the request
    run_jobs(world.app, db)
    run_jobs(world.app, db)
    # The day's digest (news of the event in the lokallag) is not the organiser's message.
    for address in ("anne@example.no", "per@example.no"):
        [mail] = outbox.without_digests(to=address)
        assert mail["Subject"] == "Årsmøte: Husk nøkkelen"
        assert "Vi møtes ved inngangen." in mail.get_body(("plain",)).get_content()
    assert outbox.without_digests(to="nei@example.no") == []
    # The news of the new event reaches the lokallag, but not the organiser who made it.
    news = "Nytt arrangement: Årsmøte"
    [digest] = outbox.digests(to="per@example.no")
    assert news in digest.get_body(("plain",)).get_content()
    assert not any(
        news in mail.get_body(("plain",)).get_content()
        for mail in outbox.digests(to=world.kari.email)
    )


def test_cancelling_tells_everyone_signed_up(world, db, outbox):
    kari, made = _with_answers(world, db, capacity=1)
    reply(world.client(world.kari), made["id"])  # Kari is on the waiting list
    page = kari.post(f"/arrangementer/{made['id']}/avlys", data={"reason": "Lokalet brant"})
    assert page.status_code == 302
    shown = world.client(world.anne).get(f"/arrangementer/{made['id']}").text
    assert "Arrangementet er avlyst." in shown and "Lokalet brant" in shown
    assert reply(world.client(world.anne), made["id"], "no").status_code == 409
    run_jobs(world.app, db)
    for address in ("anne@example.no", "per@example.no"):
        [mail] = outbox.mails(to=address)
        assert mail["Subject"].startswith("Avlyst: «Årsmøte»")
    assert outbox.mails(to="kari@example.no") == []  # she cancelled it herself
    ics = kari.get(f"/arrangementer/{made['id']}.ics").text
    assert "STATUS:CANCELLED" in ics and "SEQUENCE:1" in ics


def test_a_new_time_or_place_is_told_to_those_signed_up(world, db, outbox):
    kari, made = _with_answers(world, db)
    body = {key: made[key] for key in ("title", "starts_at", "ends_at")} | {"place": "Nytt sted"}
    assert kari.put(f"/api/v1/gatherings/{made['id']}", json=body).status_code == 200
    run_jobs(world.app, db)
    [mail] = outbox.notifications(to="anne@example.no")
    assert mail["Subject"] == "Endret sted: «Årsmøte»"
    notes = world.client(world.per).get("/api/v1/notifications").get_json()["notifications"]
    assert [n["title"] for n in notes] == ["Endret sted: «Årsmøte»"]


def test_the_form_refuses_bad_input_and_keeps_what_was_typed(world):
    kari = world.client(world.kari)
    page = kari.post(
        f"/arrangementer/gruppe/{world.bergen}/nytt",
        data={
            "title": "Sommerfest",
            "starts_at": "2031-06-20T18:00",
            "ends_at": "2031-06-20T17:00",
            "online_url": "javascript:alert(1)",
            "capacity": "mange",
            "questions": "Hva vil du spise? [Pizza]",
        },
    )
    assert page.status_code == 400
    assert "Skriv et helt tall." in page.text
    page = kari.post(
        f"/arrangementer/gruppe/{world.bergen}/nytt",
        data={
            "title": "Sommerfest",
            "starts_at": "2031-06-20T18:00",
            "ends_at": "2031-06-20T17:00",
            "online_url": "javascript:alert(1)",
            "questions": "Hva vil du spise? [Pizza]",
        },
    )
    assert "Slutten kan ikke være før starten." in page.text
    assert "Lenken må være en nettadresse" in page.text
    assert 'value="Sommerfest"' in page.text


def test_organisers_named_by_the_creator_can_organise(world):
    kari = world.client(world.kari)
    made = create_gathering(kari, world.bergen, organisers=[world.anne.number])
    anne = world.client(world.anne)
    assert anne.get(f"/arrangementer/{made['id']}/deltakere").status_code == 200
    refused = kari.post(
        "/api/v1/gatherings",
        json={
            "group_id": world.bergen,
            "title": "Møte",
            "starts_at": "2031-01-01T18:00",
            "organisers": [world.outsider.number],
        },
    )
    assert refused.status_code == 400
    assert "kan ikke se arrangementet" in refused.get_json()["fields"]["organisers"]


def test_a_message_the_mail_server_refused_is_sent_on_the_next_run(world, db, outbox):
    kari, made = _with_answers(world, db)
    kari.post(
        f"/arrangementer/{made['id']}/melding",
        data={"subject": "Ny dør", "body": "Bruk bakdøra i kveld."},
    )
    app = world.app
    working = app.extensions["innsiden.mail"]
    # A mail server that is down: nothing listens on port 1.
    app.extensions["innsiden.mail"] = SmtpMailBackend("127.0.0.1", 1, "", "", False, "x@y.no")
    with app.app_context(), session_factory(app)() as session:
        assert messages.send_messages(session) == 0
    assert outbox.without_digests(to="anne@example.no") == []
    app.extensions["innsiden.mail"] = working
    with app.app_context(), session_factory(app)() as session:
        assert messages.send_messages(session) == 2  # Anne and Per, once each
        assert messages.send_messages(session) == 0
    for address in ("anne@example.no", "per@example.no"):
        [mail] = outbox.without_digests(to=address)
        assert mail["Subject"] == "Årsmøte: Ny dør"
