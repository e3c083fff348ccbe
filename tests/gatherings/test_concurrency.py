"""300 members signing up in the same second for 50 places, against the running app."""

from __future__ import annotations

import http.client
import json
import threading
import time
from urllib.parse import urlsplit

import pytest
from sqlalchemy import select

from innsiden.auth.session import credential_id
from innsiden.gatherings.models import GatheringReply
from tests.factories import make_member
from tests.gatherings.conftest import create_gathering, reply

MEMBERS = 300
PLACES = 50


def session_cookie(app, member) -> str:
    serializer = app.session_interface.get_signing_serializer(app)
    return serializer.dumps({"_user_id": credential_id(member), "_fresh": True})


def connect(base: str) -> http.client.HTTPConnection:
    parts = urlsplit(base)
    connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=120)
    connection.connect()
    return connection


def post_reply(
    connection: http.client.HTTPConnection, cookie: str, gathering_id: int
) -> tuple[int, dict]:
    try:
        connection.request(
            "POST",
            f"/api/v1/gatherings/{gathering_id}/reply",
            body=json.dumps({"answer": "yes"}),
            headers={"Content-Type": "application/json", "Cookie": f"session={cookie}"},
        )
        response = connection.getresponse()
        return response.status, json.loads(response.read() or b"{}")
    finally:
        connection.close()


@pytest.mark.slow
def test_300_at_once_for_50_places_give_50_places_and_an_unbroken_waiting_list(
    app, db, world, live_server
):
    gathering_id = create_gathering(world.client(world.kari), world.bergen, capacity=PLACES)["id"]
    members = [make_member(db, "0001", first_name=f"Deltaker{n}") for n in range(MEMBERS)]
    db.commit()
    cookies = [session_cookie(app, member) for member in members]
    # Connected one by one first (the test server's listen queue is short), so that all
    # 300 requests then go out in the same instant.
    connections = [connect(live_server) for _ in range(MEMBERS)]
    start = threading.Barrier(MEMBERS)
    answers: list[tuple[int, dict]] = [(0, {})] * MEMBERS

    def sign_up(index: int) -> None:
        start.wait()  # everyone posts in the same instant
        answers[index] = post_reply(connections[index], cookies[index], gathering_id)

    threads = [threading.Thread(target=sign_up, args=(i,)) for i in range(MEMBERS)]
    began = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    elapsed = time.perf_counter() - began
    print(f"{MEMBERS} concurrent sign-ups took {elapsed:.2f}s")

    assert [status for status, _ in answers] == [200] * MEMBERS, answers[:3]
    statuses = [body["reply"]["status"] for _, body in answers]
    assert statuses.count("confirmed") == PLACES
    assert statuses.count("waiting") == MEMBERS - PLACES
    told = sorted(body["reply"]["position"] for _, body in answers if body["reply"]["position"])
    assert told == list(range(1, MEMBERS - PLACES + 1))

    db.commit()  # a fresh snapshot
    rows = db.scalars(
        select(GatheringReply).where(GatheringReply.gathering_id == gathering_id)
    ).all()
    mine = [r for r in rows if r.member_number in {m.number for m in members}]
    confirmed = [r for r in mine if r.status == "confirmed"]
    waiting = sorted((r for r in mine if r.status == "waiting"), key=lambda r: r.queue_number)
    assert len(confirmed) == PLACES
    assert [r.queue_number for r in waiting] == list(range(1, MEMBERS - PLACES + 1))
    # In order: places went to the first in, and the queue follows the order of arrival.
    assert max(r.signed_up_at for r in confirmed) <= waiting[0].signed_up_at
    arrival = [r.signed_up_at for r in waiting]
    assert arrival == sorted(arrival)

    # One with a place cancels: exactly one moves up, the first in line.
    first_in_line = waiting[0].member_number
    leaver = next(m for m in members if m.number == confirmed[0].member_number)
    cancelled = reply(world.client(leaver), gathering_id, "no").get_json()
    assert cancelled["promoted"] == [first_in_line]
    counts = world.client(world.kari).get(f"/api/v1/gatherings/{gathering_id}").get_json()
    assert counts["counts"]["confirmed"] == PLACES
    assert counts["counts"]["waiting"] == MEMBERS - PLACES - 1
