"""Front-page benchmark: a member of 6 groups among 400, with many posts and other events.

    python -m bench home [--posts 1000000] [--rounds 200] [--rebuild]

The dataset (SQLite, bench/data/home-<posts>.db) is generated once with set-wise inserts and
reused: 400 groups (200 lokallag, 20 fylkeslag, 180 interest groups), 4,000 members, the
posts in threads of 10 spread over every group, one stream entry per post, and a tenth as
many other events (files, events, polls, newcomers) with their rows. The viewer is in their
lokallag, its fylkeslag and 4 interest groups, with open polls to vote in and events coming.

Measured through the Flask test client on one worker, warm: p50 and p95 of the front page
(targets 30 ms and 80 ms), the stream API and "Vis eldre", and the front page's number of
SQL statements (the same whatever the number of groups: tests/home/test_query_counts.py).
"""

from __future__ import annotations

import argparse
import os
import random
import sqlite3
import statistics
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

DATA = Path(__file__).parent / "data"
SECRET = "home-bench-secret"  # noqa: S105 - signs the bench's own session cookies
TARGET_P50_MS, TARGET_P95_MS = 30.0, 80.0

FYLKER, LAG_PER_FYLKE, MEMBERS_PER_LAG, INTEREST_GROUPS = 20, 10, 20, 180
VIEWER = 1  # member 1: Lokallag 0001 (group 1), Fylke 01 (group 201), interest 221–224
POSTS_PER_THREAD = 10
OTHER_PER_POSTS = 10  # one other event per ten posts
BODY = "<p>Takk for innspillet! Jeg mener vi bør ta dette opp på neste styremøte.</p>"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench home")
    parser.add_argument("--posts", type=int, default=1_000_000, help="the scale (posts)")
    parser.add_argument("--rounds", type=int, default=200, help="timed requests per page")
    parser.add_argument("--rebuild", action="store_true", help="generate the dataset again")
    args = parser.parse_args(argv)
    path = DATA / f"home-{args.posts}.db"
    if args.rebuild or not path.exists():
        build(path, args.posts)
    print(f"home: {_counts(path)}; load average {os.getloadavg()[0]:.1f}")
    results = measure(f"sqlite:///{path}", args.rounds)
    p50, p95 = results["front page"]
    return 0 if p50 < TARGET_P50_MS and p95 < TARGET_P95_MS else 1


# -- the dataset ---------------------------------------------------------------------------


def _ts(moment: datetime) -> str:
    # How SQLAlchemy stores an aware UTC timestamp on SQLite (membersync.db.UTCDateTime).
    return moment.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S.%f")


def build(path: Path, posts: int) -> None:
    from innsiden import migrate

    DATA.mkdir(parents=True, exist_ok=True)
    for suffix in ("", "-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)
    started = time.perf_counter()
    migrate.upgrade(f"sqlite:///{path}")
    db = sqlite3.connect(path, isolation_level=None)
    db.execute("PRAGMA journal_mode=OFF")
    db.execute("PRAGMA synchronous=OFF")
    db.execute("BEGIN")
    now = datetime.now(UTC)
    rng = random.Random(2026)
    pools = _register(db, now, rng)
    entries = _threads_and_posts(db, rng, pools, now, posts)
    entries += _other_events(db, rng, pools, now, posts // OTHER_PER_POSTS)
    _stream(db, entries)
    db.execute("COMMIT")
    db.execute("ANALYZE")
    db.execute("PRAGMA journal_mode=WAL")
    db.close()
    print(f"  dataset built in {time.perf_counter() - started:.0f} s → {path}")


def _register(db: sqlite3.Connection, now: datetime, rng: random.Random) -> dict[int, list[int]]:
    """Units, members, groups; returns group id → member numbers who write in it."""
    stamp = _ts(now)
    units = [("S", "Sentralt", "sentralt", None, None, stamp, stamp)]
    lag_ids = []
    for f in range(1, FYLKER + 1):
        units.append((f"F{f:02d}", f"Fylke {f}", "fylkeslag", "S", None, stamp, stamp))
        for n in range(LAG_PER_FYLKE):
            lag = f"L{(f - 1) * LAG_PER_FYLKE + n + 1:04d}"
            lag_ids.append(lag)
            units.append((lag, f"Lokallag {lag[1:]}", "lokallag", f"F{f:02d}", None, stamp, stamp))
    db.executemany("INSERT INTO org_unit VALUES (?, ?, ?, ?, ?, ?, ?)", units)
    members, by_lag, number = [], {}, 0
    for lag in lag_ids:
        for _ in range(MEMBERS_PER_LAG):
            number += 1
            by_lag.setdefault(lag, []).append(number)
            members.append((
                number, "Medlem", f"Nr{number}", f"m{number}@example.no", None, None, None,
                None, None, lag, "aktiv", "2020-01-01", "2030-12-31", None, 1, 0, stamp,
            ))  # fmt: skip
    marks = ", ".join("?" * 17)
    db.executemany(f"INSERT INTO member VALUES ({marks})", members)  # noqa: S608 - only marks
    db.execute("INSERT INTO position VALUES (1, 'lokallagsleder', 'L0001')")
    groups, pools = [], {}
    for index, lag in enumerate(lag_ids, start=1):
        groups.append((index, "lokallag", lag, None, "", None, None, "active", None, stamp))
        pools[index] = by_lag[lag]
    for f in range(1, FYLKER + 1):
        group_id = len(groups) + 1
        groups.append((group_id, "fylkeslag", f"F{f:02d}", None, "", None, None, "active",
                       None, stamp))  # fmt: skip
        lags = lag_ids[(f - 1) * LAG_PER_FYLKE : f * LAG_PER_FYLKE]
        pools[group_id] = [n for lag in lags for n in by_lag[lag][:5]]
    memberships = []
    for n in range(INTEREST_GROUPS):
        group_id = len(groups) + 1
        visibility = ("open", "closed", "hidden")[n % 3]
        groups.append((group_id, "interest", None, f"Interessegruppe {n + 1}", "", visibility,
                       None, "active", 2, stamp))  # fmt: skip
        chosen = set(rng.sample(range(2, number + 1), 30))
        if n < 4:
            chosen.add(VIEWER)
        memberships += [(group_id, m, stamp) for m in sorted(chosen)]
        pools[group_id] = sorted(chosen)
    db.executemany(
        "INSERT INTO portal_group (id, kind, unit_id, own_name, description, visibility, "
        "scope_unit_id, status, created_by, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        groups,
    )
    db.executemany("INSERT INTO group_membership VALUES (?, ?, ?)", memberships)
    return pools


Entry = tuple[datetime, str, int, str, int, str, int]  # time, kind, group, subject, id, key, actor


def _threads_and_posts(
    db: sqlite3.Connection, rng: random.Random, pools: dict[int, list[int]], now: datetime,
    posts: int,
) -> list[Entry]:  # fmt: skip
    threads = max(1, posts // POSTS_PER_THREAD)
    group_ids = sorted(pools)
    group_of = [group_ids[t % len(group_ids)] for t in range(threads)]
    start = now - timedelta(days=365)
    step = timedelta(days=364) / max(posts, 1)
    entries: list[Entry] = []
    post_id = 0
    for round_number in range(POSTS_PER_THREAD):  # replies interleave across threads
        rows = []
        for t in range(threads):
            post_id += 1
            group, author = group_of[t], rng.choice(pools[group_of[t]])
            created = start + step * post_id
            rows.append((post_id, t + 1, group, author, BODY, _ts(created)))
            kind = "thread" if round_number == 0 else "reply"
            key = f"thread:{t + 1}:{'new' if round_number == 0 else 'replies'}"
            entries.append((created, kind, group, "post", post_id, key, author))
        if round_number == 0:
            db.executemany(
                "INSERT INTO discussion_thread (id, group_id, title, author_number, created_at, "
                "last_post_id, last_post_at, reply_count, pinned, locked) "
                "VALUES (?, ?, ?, ?, ?, 0, ?, 0, 0, 0)",
                [(r[1], r[2], f"Tråd nummer {r[1]}", r[3], r[5], r[5]) for r in rows],
            )
        db.executemany(
            "INSERT INTO discussion_post (id, thread_id, group_id, author_number, body_source, "
            "body_html, created_at, edit_count, state) "
            "VALUES (?, ?, ?, ?, 'Takk for innspillet!', ?, ?, 0, 'visible')",
            rows,
        )
    return entries


def _other_events(
    db: sqlite3.Connection, rng: random.Random, pools: dict[int, list[int]], now: datetime,
    count: int,
) -> list[Entry]:  # fmt: skip
    group_ids = sorted(pools)
    viewer_groups = [1, 201, 221, 222, 223, 224]
    start = now - timedelta(days=365)
    files, gatherings, polls, electors, entries = [], [], [], [], []
    for n in range(count):
        group = group_ids[n % len(group_ids)] if n % 50 else rng.choice(viewer_groups)
        actor = rng.choice(pools[group])
        created = start + timedelta(days=364) * (n / max(count, 1))
        stamp = _ts(created)
        kind = ("file", "gathering", "poll_opened", "joined")[n % 4]
        ident = n + 1
        if kind == "file":
            files.append((ident, group, f"Referat {ident}.pdf", actor, stamp, stamp))
            entries.append((created, kind, group, "file", ident, f"files:{group}", actor))
        elif kind == "gathering":
            # The newest tenth are still to come, so "Kommer snart" has something to show.
            begins = now + timedelta(days=1 + n % 60) if n > count * 0.9 else created
            gatherings.append((ident, group, f"Medlemsmøte {ident}", _ts(begins),
                               _ts(begins + timedelta(hours=2)), actor, stamp, stamp))  # fmt: skip
            entries.append((created, kind, group, "gathering", ident, f"gathering:{ident}", actor))
        elif kind == "poll_opened":
            open_now = n > count * 0.95
            closes = now + timedelta(days=7) if open_now else created + timedelta(days=7)
            polls.append((ident, group, actor, f"Skal vi støtte forslag {ident}?", stamp,
                          _ts(closes), stamp, stamp, stamp))  # fmt: skip
            if open_now and group in viewer_groups:
                electors.append((ident, VIEWER))
            entries.append((created, kind, group, "poll", ident, f"poll:{ident}:{kind}", actor))
        else:
            entries.append((created, kind, group, "group", group, f"joined:{group}", actor))
    db.executemany(
        "INSERT INTO group_file (id, group_id, name, description, uploaded_by, version_count, "
        "created_at, updated_at) VALUES (?, ?, ?, '', ?, 1, ?, ?)",
        files,
    )
    db.executemany(
        "INSERT INTO gathering (id, group_id, title, description, description_html, starts_at, "
        "ends_at, place, audience, status, cancel_reason, sequence, created_by, created_at, "
        "updated_at) VALUES (?, ?, ?, '', '', ?, ?, 'Folkets hus', 'group', 'scheduled', '', "
        "0, ?, ?, ?)",
        gatherings,
    )
    db.executemany(
        "INSERT INTO poll (id, group_id, created_by, kind, question, description_source, "
        "description_html, opens_at, closes_at, electorate, secret, may_change, results_shown, "
        "quorum_kind, closing_soon_sent, sealed_ballots, opened_at, created_at, updated_at) "
        "VALUES (?, ?, ?, 'yes_no', ?, '', '', ?, ?, 'members', 1, 0, 'after_close', 'none', 0, 0, "
        "?, ?, ?)",
        polls,
    )
    db.executemany("INSERT INTO poll_elector (poll_id, member_number) VALUES (?, ?)", electors)
    return entries


def _stream(db: sqlite3.Connection, entries: list[Entry]) -> None:
    entries.sort(key=lambda e: e[0])
    db.executemany(
        "INSERT INTO home_stream_entry (id, event_id, kind, group_id, subject_kind, subject_id, "
        "group_key, actor_number, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [(i, i, kind, group, sk, sid, key, actor, _ts(at))
         for i, (at, kind, group, sk, sid, key, actor) in enumerate(entries, start=1)],
    )  # fmt: skip


def _counts(path: Path) -> str:
    db = sqlite3.connect(path)
    names = ("portal_group", "discussion_post", "home_stream_entry", "gathering", "poll")
    counts = {n: db.execute(f"SELECT count(*) FROM {n}").fetchone()[0] for n in names}  # noqa: S608 - fixed names
    viewer = db.execute(
        "SELECT count(*) FROM home_stream_entry WHERE group_id IN (1, 201, 221, 222, 223, 224)"
    ).fetchone()[0]
    db.close()
    return ", ".join(f"{v:,} {k}" for k, v in counts.items()) + f"; {viewer:,} in the viewer's 6"


# -- timings ------------------------------------------------------------------------------------


def measure(url: str, rounds: int) -> dict[str, tuple[float, float]]:
    from sqlalchemy import event

    from innsiden import create_app
    from innsiden.auth.session import credential_id
    from innsiden.db import session_factory
    from membersync.models import Member

    instance = tempfile.mkdtemp(prefix="home-bench-")
    os.environ["INNSIDEN_INSTANCE_PATH"] = instance
    app = create_app({
        "DATABASE_URL": url, "SECRET_KEY": SECRET, "WTF_CSRF_ENABLED": False,
        "RATELIMIT_ENABLED": False, "OUTBOX_DIR": f"{instance}/outbox",
        "UPLOADS_DIR": f"{instance}/uploads",
    })  # fmt: skip
    with app.app_context(), session_factory(app)() as session:
        credential = credential_id(session.get(Member, VIEWER))
    client = app.test_client()
    with client.session_transaction() as cookie:
        cookie["_user_id"], cookie["_fresh"] = credential, True
    cursor = client.get("/api/v1/home/stream").get_json()["next"]
    pages = {
        "front page": "/",
        "stream API": "/api/v1/home/stream",
        "Vis eldre (page 2)": f"/forsiden/aktivitet?for={cursor}",
        "one group, discussions": "/api/v1/home/stream?group=1&kind=diskusjoner",
    }
    statements: list[str] = []
    engine = app.extensions["innsiden.engine"]
    event.listen(engine, "before_cursor_execute", lambda *a: statements.append(a[2]))
    results = {}
    print(f"  {rounds} warm requests each, one worker "
          f"(targets p50 < {TARGET_P50_MS:.0f} ms, p95 < {TARGET_P95_MS:.0f} ms):")  # fmt: skip
    for name, path in pages.items():
        for _ in range(5):
            assert client.get(path).status_code == 200, path
        statements.clear()
        client.get(path)
        count = len(statements)
        timings, cpu = [], []
        for _ in range(rounds):
            started, started_cpu = time.perf_counter(), time.process_time()
            response = client.get(path)
            timings.append((time.perf_counter() - started) * 1000)
            cpu.append((time.process_time() - started_cpu) * 1000)
            assert response.status_code == 200
        p50, p95 = statistics.median(timings), _p95(timings)
        results[name] = (p50, p95)
        verdict = "ok" if p50 < TARGET_P50_MS and p95 < TARGET_P95_MS else "SLOW"
        # CPU time shows the request's own work when other processes share the cores.
        print(f"    {name:26s} p50 {p50:6.1f} ms  p95 {p95:6.1f} ms  "
              f"(CPU p50 {statistics.median(cpu):5.1f}, p95 {_p95(cpu):5.1f})  "
              f"{count:3d} statements  {verdict}")  # fmt: skip
    return results


def _p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[max(0, int(len(ordered) * 0.95) - 1)]
