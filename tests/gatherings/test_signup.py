"""Replies: places, the waiting list in order, moving up when someone cancels, deadlines."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import update

from innsiden.gatherings.models import Gathering
from membersync.db import utcnow
from tests.factories import make_member
from tests.gatherings.conftest import create_gathering, reply, run_jobs


def test_a_member_signs_up_through_the_page_and_sees_their_place(world):
    kari, anne = world.client(world.kari), world.client(world.anne)
    page = kari.post(
        f"/arrangementer/gruppe/{world.bergen}/nytt",
        data={
            "title": "Årsmøte 2027",
            "description": "**Saker:** valg",
            "starts_at": "2030-10-24T18:00",
            "ends_at": "2030-10-24T21:00",
            "place": "Folkets hus",
            "capacity": "40",
            "audience": "group",
            "questions": "Matallergier?\nOvernatting? [Ja | Nei]",
        },
    )
    assert page.status_code == 302, page.text
    gathering_id = int(page.location.rsplit("/", 1)[1])
    shown = anne.get(f"/arrangementer/{gathering_id}").text
    assert "torsdag 24. oktober 2030 kl. 18:00–21:00" in shown
    assert "<strong>Saker:</strong>" in shown
    questions = anne.get(f"/api/v1/gatherings/{gathering_id}").get_json()["questions"]
    text_q, choice_q = questions

    missing = anne.post(f"/arrangementer/{gathering_id}/svar", data={"answer": "kommer"})
    assert missing.status_code == 400
    assert "Velg et av svarene." in missing.text

    done = anne.post(
        f"/arrangementer/{gathering_id}/svar",
        data={"answer": "kommer", f"q{text_q['id']}": "Nøtter", f"q{choice_q['id']}": "Ja"},
        follow_redirects=True,
    )
    assert "Du er påmeldt" in done.text
    mine = anne.get(f"/api/v1/gatherings/{gathering_id}").get_json()["mine"]
    assert mine["status"] == "confirmed"
    assert mine["answers"] == {str(text_q["id"]): "Nøtter", str(choice_q["id"]): "Ja"}


def test_past_capacity_members_wait_in_order_and_a_cancellation_moves_one_up(world, db, outbox):
    gathering = create_gathering(world.client(world.kari), world.bergen, capacity=2)
    gid = gathering["id"]
    extra = make_member(db, "0001", first_name="Eli", email="eli@example.no")
    db.commit()
    people = [world.kari, world.anne, world.per, extra]
    outcomes = [reply(world.client(m), gid).get_json()["reply"] for m in people]
    assert [o["status"] for o in outcomes] == ["confirmed", "confirmed", "waiting", "waiting"]
    assert [o["position"] for o in outcomes[2:]] == [1, 2]

    # Anne cancels: Per (first in line) gets her place; Eli is now first in line.
    cancelled = reply(world.client(world.anne), gid, "no").get_json()
    assert cancelled["promoted"] == [world.per.number]
    counts = world.client(world.kari).get(f"/api/v1/gatherings/{gid}").get_json()["counts"]
    assert counts == {"confirmed": 2, "waiting": 1, "maybe": 0, "declined": 1}
    eli = world.client(extra).get(f"/api/v1/gatherings/{gid}").get_json()["mine"]
    assert eli == {**eli, "status": "waiting", "position": 1}

    run_jobs(world.app, db)
    [mail] = outbox.notifications(to="per@example.no")
    assert mail["Subject"] == "Du har fått plass på «Årsmøte»"
    bell = world.client(world.per).get("/api/v1/notifications").get_json()
    assert bell["unread"] == 1
    assert outbox.notifications(to="eli@example.no") == []  # still waiting: no news of a place


def test_saying_yes_again_keeps_ones_place_in_the_queue(world):
    gid = create_gathering(world.client(world.kari), world.bergen, capacity=1)["id"]
    reply(world.client(world.kari), gid)
    first = reply(world.client(world.anne), gid).get_json()["reply"]
    again = reply(world.client(world.anne), gid).get_json()["reply"]
    assert first["status"] == again["status"] == "waiting"
    assert again["position"] == 1
    maybe = reply(world.client(world.per), gid, "maybe").get_json()["reply"]
    assert maybe["status"] == "maybe"  # "Kanskje" takes no place


def test_replies_cannot_change_after_the_deadline(world, db):
    gid = create_gathering(
        world.client(world.kari),
        world.bergen,
        signup_deadline=(utcnow() + timedelta(days=1)).isoformat(),
    )["id"]
    assert reply(world.client(world.anne), gid).status_code == 200
    db.execute(
        update(Gathering)
        .where(Gathering.id == gid)
        .values(signup_deadline=utcnow() - timedelta(minutes=1))
    )
    db.commit()
    late = reply(world.client(world.per), gid)
    assert late.status_code == 409
    assert "Påmeldingen er stengt" in late.get_json()["detail"]
    withdraw = reply(world.client(world.anne), gid, "no")
    assert withdraw.status_code == 409
    page = world.client(world.anne).post(
        f"/arrangementer/{gid}/svar", data={"answer": "kommer-ikke"}, follow_redirects=True
    )
    assert "Påmeldingen er stengt" in page.text
    assert (
        world.client(world.anne).get(f"/api/v1/gatherings/{gid}").get_json()["mine"]["status"]
        == "confirmed"
    )


def test_an_organiser_raising_capacity_moves_the_waiting_list_up(world):
    kari = world.client(world.kari)
    created = create_gathering(kari, world.bergen, capacity=1)
    gid = created["id"]
    for member in (world.kari, world.anne, world.per):
        reply(world.client(member), gid)
    body = {key: created[key] for key in ("title", "starts_at", "ends_at", "place")}
    changed = kari.put(f"/api/v1/gatherings/{gid}", json={**body, "capacity": 3})
    assert changed.status_code == 200, changed.get_json()
    assert changed.get_json()["counts"]["confirmed"] == 3
    assert changed.get_json()["counts"]["waiting"] == 0
