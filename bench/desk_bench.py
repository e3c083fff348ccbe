"""Leader's desk benchmark: queue one message to a fylkeslag of 20,000 members and send it to
the outbox.

    python -m bench desk [--members 20000] [--channel email|sms] [--database-url URL]

Measures, in one process: writing the message (the request's work), then the job runner's
pass that resolves the recipients from the register and sends every one to the outbox
(target < 60 s), and the process's resident memory while sending, sampled per batch
(target: flat — recipients are streamed in batches of 500, never loaded whole). The
providers' rate limits are off for the run; in production they spread the work over minutes.
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import tempfile
import time
from datetime import date
from pathlib import Path
from typing import Any

from sqlalchemy import Engine

TARGET_S = 60.0


def _rss_mb() -> float:
    with open("/proc/self/statm") as statm:
        pages = int(statm.read().split()[1])
    return pages * os.sysconf("SC_PAGE_SIZE") / 1e6


def _populate(engine: Engine, members: int) -> None:
    from membersync.models import Member, OrgUnit, Position

    with engine.begin() as conn:
        conn.execute(
            OrgUnit.__table__.insert(),
            [
                {"id": "S", "name": "Sentralt", "type": "sentralt", "parent_id": None},
                {"id": "F01", "name": "Vestland fylkeslag", "type": "fylkeslag", "parent_id": "S"},
            ]
            + [
                {"id": f"{n:04d}", "name": f"Lokallag {n}", "type": "lokallag", "parent_id": "F01"}
                for n in range(1, 41)
            ],
        )
        rows = [
            {
                "number": 100_000 + n,
                "first_name": "Kari" if n % 3 else "Åsmund",
                "last_name": f"Nordmann{n}",
                "email": f"medlem{n}@example.no",
                "mobile": f"+479{n:07d}",
                "lokallag_id": f"{n % 40 + 1:04d}",
                "status": "restanse" if n % 7 == 0 else "aktiv",
                "joined_on": date(2020, 1, 1),
                "in_register": True,
                "access_epoch": 0,
            }
            for n in range(members)
        ]
        for start in range(0, len(rows), 5000):
            conn.execute(Member.__table__.insert(), rows[start : start + 5000])
        conn.execute(
            Position.__table__.insert(),
            [{"member_number": 100_000, "role": "fylkesleder", "unit_id": "F01"}],
        )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench desk")
    parser.add_argument("--members", type=int, default=20_000)
    parser.add_argument("--channel", choices=["email", "sms"], default="email")
    parser.add_argument("--database-url", default="", help="default: a fresh SQLite file")
    args = parser.parse_args(argv)

    work = Path(tempfile.mkdtemp(prefix="desk-bench-"))
    os.environ["INNSIDEN_INSTANCE_PATH"] = str(work / "instance")
    url = args.database_url or f"sqlite:///{work / 'bench.db'}"
    from innsiden import create_app, migrate

    migrate.upgrade(url)
    app = create_app(
        {
            "DATABASE_URL": url,
            "SECRET_KEY": "desk-bench",
            "OUTBOX_DIR": str(work / "outbox"),
            "DESK_EMAIL_PER_MINUTE": 0,
            "DESK_SMS_PER_MINUTE": 0,
        }
    )
    from innsiden.db import session_factory
    from innsiden.desk import sending, service
    from innsiden.desk.segments import Segment
    from membersync.models import Member, OrgUnit

    engine = app.extensions["innsiden.engine"]
    try:
        _populate(engine, args.members)
        with app.test_request_context(), session_factory(app)() as session:
            actor = session.get(Member, 100_000)
            unit = session.get(OrgUnit, "F01")
            draft = service.Draft(
                args.channel, Segment("all"), "Årsmøte 12. mars", "Hei {fornavn}! Velkommen.", ""
            )
            started = time.perf_counter()
            count = service.segment_count(session, unit, Segment("all"))
            service.queue(session, actor, unit, draft, count)
            session.commit()
            queued = time.perf_counter() - started

        samples: list[float] = []
        real_claim = sending._claim

        def sampled_claim(*a: Any, **k: Any) -> Any:
            samples.append(_rss_mb())
            return real_claim(*a, **k)

        sending._claim = sampled_claim  # type: ignore[assignment]
        with app.app_context(), session_factory(app)() as session:
            started, cpu = time.perf_counter(), time.process_time()
            sent = sending.send_messages(session)
            session.commit()
            elapsed, cpu = time.perf_counter() - started, time.process_time() - cpu
        files = sum(1 for _ in (work / "outbox").iterdir())
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1000
        backend = url.split(":", 1)[0]
        print(f"desk: {args.members} members, channel {args.channel}, {backend}")
        print(f"  queue the message (request):      {queued * 1000:8.1f} ms")
        print(f"  resolve and send (job), wall:     {elapsed:8.1f} s   (target < {TARGET_S:.0f} s)")
        print(
            f"  resolve and send (job), CPU:      {cpu:8.1f} s   "
            f"(load average {os.getloadavg()[0]:.1f})"
        )
        print(f"  sent / files in the outbox:       {sent} / {files}")
        print(f"  throughput:                       {sent / elapsed:8.0f} per s")
        first = samples[1] if len(samples) > 1 else samples[0]
        print(
            f"  RSS per batch: first {first:.0f} MB, last {samples[-1]:.0f} MB, "
            f"max {max(samples):.0f} MB over {len(samples)} batches; peak RSS {peak:.0f} MB"
        )
        return 0 if elapsed < TARGET_S and sent == args.members else 1
    finally:
        engine.dispose()
        shutil.rmtree(work, ignore_errors=True)
