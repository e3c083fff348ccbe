"""Årsmøte votes benchmark: 300 checked-in voters (20 of them carrying a proxy) in one meeting.

    python -m bench meeting_votes [--voters 300] [--proxies 20] [--rounds 20]
                                  [--sampled 30] [--database-url URL]

Each round the chair opens a vote, every right is cast, and the chair closes it. Measured, in
one process through the real routes (Flask test clients, the Socket.IO test client):
- close → result: from the chair's "close vote" form post until a member's JSON of the vote
  (`GET /api/v1/meetings/<id>/votes/<vote>`) shows the result (target p95 < 1 s);
- live count latency: from a member's cast (`POST …/cast`) until the `meeting:votes` count
  reaches the meeting's room — sampled on `--sampled` casts per round, the rest cast through
  the service to keep the run short.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import select

TARGET_P95_S = 1.0
FIRST = 200_000


def _populate(engine: Any, voters: int, givers: int) -> None:
    from membersync.models import Member, OrgUnit, Position

    with engine.begin() as conn:
        conn.execute(OrgUnit.__table__.insert(), [
            {"id": "S", "name": "Sentralt", "type": "sentralt", "parent_id": None},
            {"id": "F01", "name": "Vestland fylkeslag", "type": "fylkeslag", "parent_id": "S"},
            {"id": "0001", "name": "Bergen", "type": "lokallag", "parent_id": "F01"},
        ])  # fmt: skip
        conn.execute(Member.__table__.insert(), [
            {"number": FIRST + n, "first_name": "Delegat", "last_name": str(n),
             "email": f"d{n}@example.no", "lokallag_id": "0001", "status": "aktiv",
             "joined_on": date(2020, 1, 1), "paid_until": date(2099, 12, 31),
             "in_register": True, "access_epoch": 0}
            for n in range(voters + givers)
        ])  # fmt: skip
        leader = {"member_number": FIRST, "role": "lokallagsleder", "unit_id": "0001"}
        conn.execute(Position.__table__.insert(), [leader])


def _pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench meeting_votes")
    parser.add_argument("--voters", type=int, default=300)
    parser.add_argument("--proxies", type=int, default=20)
    parser.add_argument("--rounds", type=int, default=20)
    parser.add_argument("--sampled", type=int, default=30)
    parser.add_argument("--database-url", default="", help="default: a fresh SQLite file")
    args = parser.parse_args(argv)

    work = Path(tempfile.mkdtemp(prefix="meeting-bench-"))
    os.environ["INNSIDEN_INSTANCE_PATH"] = str(work / "instance")
    url = args.database_url or f"sqlite:///{work / 'bench.db'}"
    from innsiden import create_app, migrate

    migrate.upgrade(url)
    app = create_app({
        "DATABASE_URL": url, "SECRET_KEY": "meeting-bench", "WTF_CSRF_ENABLED": False,
        "RATELIMIT_ENABLED": False, "OUTBOX_DIR": str(work / "outbox"),
    })  # fmt: skip
    from innsiden import realtime
    from innsiden.auth.session import credential_id
    from innsiden.db import session_factory
    from innsiden.groups.anchors import location_group_ids
    from innsiden.groups.models import Group
    from innsiden.meetings import attendance, live, proxies, roll, service, voting
    from innsiden.meetings.models import Meeting, MeetingProfile, MeetingVote
    from innsiden.meetings.profiles import PARTY, revised
    from membersync.db import utcnow
    from membersync.models import Member

    engine = app.extensions["innsiden.engine"]
    factory = session_factory(app)
    voters = [FIRST + n for n in range(args.voters)]
    givers = [FIRST + args.voters + n for n in range(args.proxies)]
    holders = voters[1 : 1 + args.proxies]
    try:
        _populate(engine, args.voters, args.proxies)
        with app.test_request_context(), factory() as s:
            leader = s.get(Member, FIRST)
            group_id = location_group_ids(s, ["0001"])["0001"]
            data = revised(PARTY, name="Bench", proxies_allowed=True, proxy_cap=1).to_data()
            profile = MeetingProfile(key="bench", version=1, data=data)
            s.add(profile)
            s.flush()
            meeting = service.call_meeting(s, leader, s.get(Group, group_id), service.MeetingInput(
                title="Fylkesårsmøte", starts_at=utcnow() + timedelta(days=40), place="Bergen",
                online_url="", profile_id=profile.id, items=(),
            ))  # fmt: skip
            meeting.cutoff_on = utcnow().date()
            roll.compute(s, meeting, leader)
            meeting.complaints_until = utcnow() - timedelta(seconds=1)
            roll.freeze(s, leader, meeting)
            code = attendance.open_check_in(s, leader, meeting)
            for giver, holder in zip(givers, holders, strict=True):
                proxies.issue(s, s.get(Member, giver), meeting, holder)
                proxies.accept(s, s.get(Member, holder), meeting, giver)
            for n in voters:
                attendance.check_in(s, s.get(Member, n), meeting, code)
            s.commit()
            meeting_id = meeting.id
            credentials = {n: credential_id(s.get(Member, n)) for n in voters}

        clients: dict[int, Any] = {}

        def client(number: int) -> Any:
            if number not in clients:
                c = app.test_client()
                with c.session_transaction() as cookie:
                    cookie["_user_id"], cookie["_fresh"] = credentials[number], True
                clients[number] = c
            return clients[number]

        emitted: list[float] = []
        real_emit = realtime.emit_to_room

        def timed_emit(room: str, event: str, payload: dict[str, Any]) -> None:
            if event == "meeting:votes":
                emitted.append(time.perf_counter())
            real_emit(room, event, payload)

        realtime.emit_to_room = timed_emit  # type: ignore[assignment]
        watcher = realtime.socketio.test_client(app, flask_test_client=client(voters[-1]))
        assert watcher.emit("join", {"room": live.meeting_room(meeting_id)}, callback=True)
        chair, member = client(FIRST), client(voters[-1])
        base = f"/grupper/{group_id}/arsmote/{meeting_id}"
        close_s: list[float] = []
        live_s: list[float] = []
        for round_no in range(args.rounds):
            chair.post(f"{base}/voteringer", data={"question": f"Sak {round_no + 1}"})
            with factory() as s:
                vote_id = s.scalars(select(MeetingVote.id).where(MeetingVote.state == "open")).one()
            sampled = voters[: args.sampled]
            for n in sampled:  # through the API, timing the live count
                emitted.clear()
                started = time.perf_counter()
                done = client(n).post(f"/api/v1/meetings/{meeting_id}/votes/{vote_id}/cast",
                                      json={"choice": "ja"})  # fmt: skip
                assert done.status_code == 200, done.get_data(as_text=True)
                live_s.append(emitted[0] - started)
            with app.test_request_context(), factory() as s:  # the rest through the service
                meeting, the_vote = s.get(Meeting, meeting_id), s.get(MeetingVote, vote_id)
                rest = [(n, None) for n in voters[args.sampled :]]
                rest += [(h, g) for g, h in zip(givers, holders, strict=True)]
                for n, for_member in rest:
                    voting.cast(s, s.get(Member, n), meeting, the_vote,
                                "nei" if n % 4 == 0 else "ja", for_member)  # fmt: skip
                s.commit()
            watcher.get_received()
            started = time.perf_counter()
            chair.post(f"{base}/voteringer/{vote_id}/lukk")
            shown = member.get(f"/api/v1/meetings/{meeting_id}/votes/{vote_id}").get_json()
            close_s.append(time.perf_counter() - started)
            assert shown["state"] == "closed" and shown["result_words"], shown
        voted = shown["voted"]
        watcher.disconnect()
        backend = url.split(":", 1)[0]
        p95 = _pct(close_s, 0.95)
        print(f"meeting_votes: {args.voters} voters + {args.proxies} proxies, {args.rounds} rounds,"
              f" {backend} (load average {os.getloadavg()[0]:.1f})")  # fmt: skip
        print(f"  rights cast per vote:               {voted}")
        print(f"  close vote → result (JSON), p50:    {statistics.median(close_s) * 1000:8.1f} ms")
        print(f"  close vote → result (JSON), p95:    {p95 * 1000:8.1f} ms"
              f"   (target < {TARGET_P95_S * 1000:.0f} ms)")  # fmt: skip
        print(f"  cast → live count event, p50:       {statistics.median(live_s) * 1000:8.1f} ms")
        print(f"  cast → live count event, p95:       {_pct(live_s, 0.95) * 1000:8.1f} ms"
              f"   ({len(live_s)} casts through the API)")  # fmt: skip
        return 0 if p95 < TARGET_P95_S and voted == args.voters + args.proxies else 1
    finally:
        engine.dispose()
        shutil.rmtree(work, ignore_errors=True)
