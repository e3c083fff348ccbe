"""Messages from the leader's desk: previewed, queued, sent by the job runner once per member,
reported per recipient, and audited."""

from __future__ import annotations

import re

from sqlalchemy import update

from innsiden.desk.models import DeskMessage, DeskRecipient
from membersync.models import Member
from tests.desk.conftest import audit_entries, run_sender, sms_form

PREVIEW = "/mitt-lag/0001/meldinger/forhandsvis"
SEND = "/mitt-lag/0001/meldinger"


def _send(client, form) -> int:
    response = client.post(SEND, data=form)
    assert response.status_code == 302, response.text
    return int(response.headers["Location"].rsplit("/", 1)[1])


def test_a_leader_sends_an_sms_to_restanse_one_per_member_with_a_phone(app, db, world, outbox):
    client = world.client(world.leader)
    preview = client.post(PREVIEW, data=sms_form())
    assert preview.status_code == 200
    assert "4 mottakere" in preview.text  # three with a phone, one without
    assert re.search(r"data-by-sms>3<", preview.text)
    assert re.search(r"data-sms-parts>1<", preview.text)
    assert "kr 1.35" in preview.text  # 3 SMS × 1 part × 0.45
    assert "Hei Åse! Husk kontingenten." in preview.text
    assert outbox.sms() == []  # nothing is sent from the request

    message_id = _send(client, sms_form())
    run_sender(app)

    sent = outbox.sms()
    assert sorted(s["to"] for s in sent) == sorted(m.mobile for m in world.owing)
    for member in world.owing:
        [sms] = outbox.sms(to=member.mobile)
        assert sms["text"].startswith(f"Hei {member.first_name}! Husk kontingenten.")
        assert "STOPP" in sms["text"]

    report = client.get(f"{SEND}/{message_id}")
    assert report.status_code == 200
    for member in world.owing:
        row = re.search(rf'data-member="{member.number}">(.*?)</tr>', report.text, re.S)
        assert row and "Sendt" in row.group(1)
    row = re.search(rf'data-member="{world.owing_no_phone.number}">(.*?)</tr>', report.text, re.S)
    assert row and "Mangler adresse" in row.group(1)
    assert str(world.paid.number) not in report.text

    [entry] = audit_entries(db, "desk.message_sent")
    assert entry.actor_number == world.leader.number and entry.target == "unit:0001"
    assert entry.detail["segment"] == "restanse" and entry.detail["count"] == 4
    [looked] = audit_entries(db, "desk.report_viewed")
    assert (looked.actor_number, looked.detail["count"]) == (world.leader.number, 4)
    [resolved] = audit_entries(db, "desk.message_resolved")
    assert resolved.detail["count"] == 4
    assert run_sender(app) == 0  # and never again
    assert len(outbox.sms()) == 3


def test_a_member_unsubscribed_from_leader_email_gets_none_and_still_gets_login_codes(
    app, db, world, outbox
):
    from tests.auth_helpers import AuthActions

    client = world.client(world.leader)
    first = {"channel": "email", "segment": "all", "subject": "Årsmøte",
             "reply_to": "leder@example.no", "body": "Hei {fornavn}, velkommen!"}  # fmt: skip
    _send(client, {**sms_form(), **first})
    run_sender(app)
    [mail] = outbox.mails(to="per@example.no")
    assert mail["Subject"] == "Årsmøte" and mail["Reply-To"] == "leder@example.no"
    assert mail["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    link = mail["List-Unsubscribe"].strip().strip("<>").removeprefix("http://localhost")
    assert "Hei Per, velkommen!" in mail.get_body(("plain",)).get_content()

    # A link scanner opening it changes nothing; the mail client's one-click POST does.
    assert app.test_client().get(link).status_code == 200
    assert app.test_client().post(link).status_code == 200

    _send(client, {**sms_form(), "channel": "email", "segment": "all", "subject": "Igjen",
                   "body": "Andre melding"})  # fmt: skip
    run_sender(app)
    assert [m["Subject"] for m in outbox.mails(to="per@example.no")] == ["Årsmøte"]
    assert [m["Subject"] for m in outbox.mails(to="kari@example.no")] == ["Årsmøte", "Igjen"]
    state = db.scalar(
        DeskRecipient.__table__.select()
        .with_only_columns(DeskRecipient.state)
        .where(DeskRecipient.member_number == world.plain.number, DeskRecipient.message_id == 2)
    )
    db.commit()
    assert state == "unsubscribed"

    auth = AuthActions(app, app.test_client())
    auth.request_code("per@example.no")
    assert auth.code_from_mail("per@example.no")


def test_email_else_sms_falls_back_to_sms_and_sms_stopp_is_honoured(app, db, world, outbox):
    app.config["DESK_SMS_INBOUND_TOKEN"] = "gateway-token"
    anon = app.test_client()
    stop = {"from": "91000002", "text": "Stopp"}
    assert anon.post("/mitt-lag/sms/innkommende", json=stop).status_code == 404
    answer = anon.post(
        "/mitt-lag/sms/innkommende", json=stop, headers={"Authorization": "Bearer gateway-token"}
    )
    assert answer.get_json() == {"stopped": 1}

    db.execute(update(Member).where(Member.number == world.owing[0].number).values(email=None))
    db.commit()
    client = world.client(world.leader)
    _send(client, {**sms_form(), "channel": "email_else_sms", "segment": "all", "subject": "Hei"})
    run_sender(app)
    assert outbox.sms(to=world.owing[0].mobile)  # no e-mail: SMS instead
    assert outbox.mails(to=world.owing[1].email) and not outbox.sms(to=world.owing[1].mobile)
    assert not outbox.sms(to=world.paid.mobile)  # said STOPP (has an e-mail, gets that)
    assert outbox.mails(to=world.paid.email)


def test_a_member_removed_by_the_register_between_writing_and_sending_gets_nothing(
    app, db, world, outbox
):
    client = world.client(world.leader)
    _send(client, sms_form())
    gone, lapsed_out = world.owing[0], world.owing[1]
    db.execute(update(Member).where(Member.number == gone.number).values(in_register=False))
    db.execute(update(Member).where(Member.number == lapsed_out.number).values(status="utmeldt"))
    db.commit()
    run_sender(app)
    assert [s["to"] for s in outbox.sms()] == [world.owing[2].mobile]
    message = db.get(DeskMessage, 1)
    assert message.recipient_count == 2 and message.estimated_count == 4
    db.commit()


def test_two_job_runners_at_once_send_each_message_once(app, db, world, outbox):
    import threading

    from tests.factories import make_member

    many = [make_member(db, "0001", email=f"n{n}@example.no") for n in range(120)]
    db.commit()
    client = world.client(world.leader)
    _send(client, {**sms_form(), "channel": "email", "segment": "all", "subject": "Til alle"})
    start = threading.Barrier(2)
    sent: list[int] = []

    def runner() -> None:
        start.wait()
        sent.append(run_sender(app))

    threads = [threading.Thread(target=runner) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)

    everyone = [world.leader, world.plain, world.paid, *world.owing, world.owing_no_phone, *many]
    assert sum(sent) == len(everyone)
    for member in everyone:
        assert len(outbox.mails(to=member.email)) == 1, member.email
    assert run_sender(app) == 0


def test_a_failing_provider_is_retried_and_sending_is_throttled(app, db, world, outbox):
    real = app.extensions["innsiden.sms"]

    class Down:
        def send(self, sms) -> None:
            raise OSError("gateway unreachable")

    app.extensions["innsiden.sms"] = Down()
    client = world.client(world.leader)
    message_id = _send(client, sms_form())
    assert run_sender(app) == 0
    assert "Venter" in client.get(f"{SEND}/{message_id}").text  # retried later

    app.extensions["innsiden.sms"] = real
    app.config["DESK_SMS_PER_MINUTE"] = 2
    db.execute(update(DeskRecipient).values(next_attempt_at=None))
    db.commit()
    assert run_sender(app) == 2  # the provider takes two a minute
    assert run_sender(app) == 0
    app.config["DESK_SMS_PER_MINUTE"] = 0
    assert run_sender(app) == 1
    assert len(outbox.sms()) == 3
    assert "Ferdig sendt" in client.get(f"{SEND}/{message_id}").text


def test_the_json_api_previews_queues_and_reports(app, db, world, outbox):
    client = world.client(world.leader)
    body = {"channel": "sms", "segment": "restanse", "body": "Hei {fornavn}!"}
    assert client.get("/api/v1/desk/units").get_json()["units"][0]["id"] == "0001"
    shown = client.post("/api/v1/desk/0001/preview", json=body).get_json()
    assert (shown["recipients"], shown["by_sms"], shown["sms_parts"]) == (4, 3, 1)
    assert shown["sms_cost"] == "1.35"
    answer = client.post("/api/v1/desk/0001/messages", json=body)
    assert answer.status_code == 202
    run_sender(app)
    report = client.get(f"/api/v1/desk/0001/messages/{answer.get_json()['id']}").get_json()
    assert report["counts"] == {"sent": 3, "no_address": 1}
    assert world.client(world.plain).get("/api/v1/desk/0001/messages/1").status_code == 404
    bad = client.post("/api/v1/desk/0001/messages", json={**body, "channel": "brev"})
    assert bad.status_code == 400


def test_a_runner_that_dies_after_claiming_never_sends_that_batch_again(app, db, world, outbox):
    from datetime import timedelta

    from innsiden.db import session_factory
    from innsiden.desk import sending
    from membersync.db import utcnow

    message_id = _send(world.client(world.leader), sms_form())
    with app.app_context(), session_factory(app)() as session:
        sending._resolve_next(session)
        _claim, rows = sending._claim(session, message_id, 2)  # …and the runner dies here
    assert len(rows) == 2
    run_sender(app)
    assert len(outbox.sms()) == 1  # only the unclaimed one
    db.execute(update(DeskRecipient).values(claimed_at=utcnow() - timedelta(hours=1)))
    db.commit()
    run_sender(app)
    assert len(outbox.sms()) == 1
    report = world.client(world.leader).get(f"{SEND}/{message_id}").text
    assert "Feilet: 2" in report and "Ferdig sendt" in report


def test_segments_new_since_a_date_and_with_a_position(app, db, world):
    from datetime import date

    db.execute(
        update(Member).where(Member.number == world.paid.number).values(joined_on=date(2026, 9, 1))
    )
    db.commit()
    client = world.client(world.leader)
    body = {"channel": "email", "subject": "Velkommen", "body": "Hei {fornavn}"}

    def recipients(**segment: str) -> int:
        return client.post("/api/v1/desk/0001/preview", json={**body, **segment}).get_json()[
            "recipients"
        ]

    assert recipients(segment="new_since", since="2026-08-01") == 1
    assert recipients(segment="position") == 1  # the leader herself
    assert recipients(segment="position", role="kasserer") == 0
    assert recipients(segment="all") == 7  # not Voss, not the utmeldt
    missing = client.post("/api/v1/desk/0001/preview", json={**body, "segment": "new_since"})
    assert missing.status_code == 400
