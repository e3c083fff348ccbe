"""Discussions benchmark: 2,000 groups, 100,000 threads, 1,000,000 posts (SQLite).

    python -m bench.discussions_bench [--rebuild] [--clients 500] [--rounds 50]

The dataset is generated once into bench/data/discussions.db with set-wise inserts (a few
minutes at most) and reused. Measured, on one worker:
- the median render time of a thread page of 50 posts and of a group page of 30 threads,
  through the Flask test client, warm (targets < 30 ms);
- a reply reaching N connected Socket.IO clients of its thread: python-socketio clients
  against a live server process, from the POST to the last client receiving (target < 2 s).
"""

from __future__ import annotations

import argparse
import json
import os
import random
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta
from http.cookiejar import Cookie, CookieJar
from pathlib import Path

DATA = Path(__file__).parent / "data"
DB_PATH = DATA / "discussions.db"
SECRET = "discussions-bench-secret"  # noqa: S105 - signs the bench's own session cookies
TARGET_MS = 30.0
TARGET_FANOUT_S = 2.0

FYLKER, LOKALLAG_PER_FYLKE, MEMBERS_PER_LAG = 20, 50, 20
INTEREST_GROUPS, INTEREST_MEMBERS = 980, 30
BIG_LAG_MEMBERS = 600  # the benchmarked lokallag: enough members for the socket clients
THREADS, LONG_EVERY, SHORT_POSTS, LONG_POSTS = 100_000, 100, 9, 109
BODY = (
    "<p>Takk for innspillet! Jeg mener vi bør ta dette opp på neste styremøte, "
    "og gjerne invitere <strong>lokalpressen</strong>. Se også "
    '<a href="https://example.no/sak" rel="nofollow noopener">saken</a>.</p>'
)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.discussions_bench")
    parser.add_argument("--rebuild", action="store_true", help="generate the dataset again")
    parser.add_argument("--clients", type=int, default=500)
    parser.add_argument("--rounds", type=int, default=50, help="timed requests per page")
    parser.add_argument("--threads", type=int, default=THREADS, help="smaller for a quick try")
    args = parser.parse_args(argv)
    path = DB_PATH if args.threads == THREADS else DATA / f"discussions-{args.threads}.db"
    if args.rebuild or not path.exists():
        build(path, args.threads)
    url = f"sqlite:///{path}"
    print(f"discussions: {_counts(path)}")
    pages = measure_pages(url, args.rounds)
    fanout = measure_fanout(url, args.clients)
    failed = any(ms >= TARGET_MS for ms in pages.values()) or fanout >= TARGET_FANOUT_S
    return 1 if failed else 0


# -- the dataset ---------------------------------------------------------------------------


def _ts(moment: datetime) -> str:
    # How SQLAlchemy stores an aware UTC timestamp on SQLite (membersync.db.UTCDateTime).
    return moment.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S.%f")


def build(path: Path, threads: int) -> None:
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
    rng = random.Random(2026)
    now = datetime.now(UTC)
    pools = _register(db, now)
    _threads_and_posts(db, rng, pools, now, threads)
    db.execute("COMMIT")
    db.execute("ANALYZE")
    db.execute("PRAGMA journal_mode=WAL")
    db.close()
    print(f"  dataset built in {time.perf_counter() - started:.0f} s → {path}")


def _register(db: sqlite3.Connection, now: datetime) -> dict[int, list[int]]:
    """Units, members, groups; returns group id → member numbers who write in it."""
    stamp = _ts(now)
    units = [("S", "Sentralt", "sentralt", None, None, stamp, stamp)]
    lag_ids = []
    for f in range(1, FYLKER + 1):
        units.append((f"F{f:02d}", f"Fylke {f}", "fylkeslag", "S", None, stamp, stamp))
        for n in range(LOKALLAG_PER_FYLKE):
            lag = f"L{(f - 1) * LOKALLAG_PER_FYLKE + n + 1:04d}"
            lag_ids.append(lag)
            units.append((lag, f"Lokallag {lag[1:]}", "lokallag", f"F{f:02d}", None, stamp, stamp))
    db.executemany("INSERT INTO org_unit VALUES (?, ?, ?, ?, ?, ?, ?)", units)
    members, number = [], 0
    by_lag: dict[str, list[int]] = {}
    for lag in lag_ids:
        for _ in range(BIG_LAG_MEMBERS if lag == "L0001" else MEMBERS_PER_LAG):
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
    # Lokallag groups first (L0001 is group 1), then the fylkeslag, then interest groups.
    for index, lag in enumerate(lag_ids, start=1):
        groups.append((index, "lokallag", lag, None, "", None, None, "active", None, stamp))
        pools[index] = by_lag[lag]
    for f in range(1, FYLKER + 1):
        group_id = len(groups) + 1
        groups.append((group_id, "fylkeslag", f"F{f:02d}", None, "", None, None, "active",
                       None, stamp))  # fmt: skip
        fylke_lags = lag_ids[(f - 1) * LOKALLAG_PER_FYLKE : f * LOKALLAG_PER_FYLKE]
        pools[group_id] = [n for lag in fylke_lags for n in by_lag[lag][:5]]
    rng = random.Random(7)
    memberships = []
    for n in range(INTEREST_GROUPS):
        group_id = len(groups) + 1
        groups.append((group_id, "interest", None, f"Interessegruppe {n + 1}", "", "open", None,
                       "active", 1, stamp))  # fmt: skip
        chosen = sorted(set(rng.sample(range(1, number + 1), INTEREST_MEMBERS)) | {2})
        memberships += [(group_id, m, stamp) for m in chosen]
        pools[group_id] = chosen
    db.executemany(
        "INSERT INTO portal_group (id, kind, unit_id, own_name, description, visibility, "
        "scope_unit_id, status, created_by, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        groups,
    )
    db.executemany("INSERT INTO group_membership VALUES (?, ?, ?)", memberships)
    return pools


def _threads_and_posts(
    db: sqlite3.Connection,
    rng: random.Random,
    pools: dict[int, list[int]],
    now: datetime,
    threads: int,
) -> None:
    group_count = len(pools)
    sizes = [
        LONG_POSTS if (t - 1) % LONG_EVERY == 0 else SHORT_POSTS for t in range(1, threads + 1)
    ]
    group_of = [((t - 1) % group_count) + 1 for t in range(1, threads + 1)]
    start = now - timedelta(days=400)
    last_post = [0] * threads
    post_id = 0
    # Posts arrive in rounds across threads, so a thread's posts interleave with others'.
    for round_number in range(max(sizes)):
        rows, reactions = [], []
        for t in range(threads):
            if sizes[t] <= round_number:
                continue
            post_id += 1
            group = group_of[t]
            author = rng.choice(pools[group])
            created = _ts(start + timedelta(seconds=post_id * 30))
            quote = last_post[t] if round_number and post_id % 10 == 0 else None
            rows.append((post_id, t + 1, group, author, quote, BODY, created))
            if post_id % 4 == 0:
                kinds = ("tommel", "hjerte", "smil", "feiring", "tenker")
                reactions.append((post_id, rng.choice(pools[group]), kinds[post_id % 5], created))
            last_post[t] = post_id
        if round_number == 0:
            db.executemany(
                "INSERT INTO discussion_thread (id, group_id, title, author_number, created_at, "
                "last_post_id, last_post_at, reply_count, pinned, locked) "
                "VALUES (?, ?, ?, ?, ?, 0, ?, 0, ?, 0)",
                [(r[1], r[2], f"Tråd nummer {r[1]}", r[3], r[6], r[6], int(r[1] % 500 == 1))
                 for r in rows],
            )  # fmt: skip
        db.executemany(
            "INSERT INTO discussion_post (id, thread_id, group_id, author_number, quote_of_id, "
            "body_source, body_html, created_at, edit_count, state) "
            "VALUES (?, ?, ?, ?, ?, 'Takk for innspillet!', ?, ?, 0, 'visible')",
            rows,
        )
        db.executemany("INSERT OR IGNORE INTO discussion_reaction VALUES (?, ?, ?, ?)", reactions)
    db.executemany(
        "UPDATE discussion_thread SET last_post_id = ?, reply_count = ?, "
        "last_post_at = (SELECT created_at FROM discussion_post WHERE id = ?) WHERE id = ?",
        [(last_post[t], sizes[t] - 1, last_post[t], t + 1) for t in range(threads)],
    )
    # The viewer (member 2, Lokallag 0001) has read half of their group's threads.
    db.execute(
        "INSERT INTO discussion_read_mark SELECT 2, id, last_post_id, created_at "
        "FROM discussion_thread WHERE group_id = 1 AND id % 2 = 0"
    )


def _counts(path: Path) -> str:
    db = sqlite3.connect(path)
    names = ("portal_group", "discussion_thread", "discussion_post", "discussion_reaction")
    counts = {n: db.execute(f"SELECT count(*) FROM {n}").fetchone()[0] for n in names}  # noqa: S608 - fixed names
    db.close()
    return ", ".join(f"{v:,} {k}" for k, v in counts.items())


# -- page render times ------------------------------------------------------------------------


def _app(url: str, instance: str):  # noqa: ANN202 - a Flask app
    os.environ["INNSIDEN_INSTANCE_PATH"] = instance
    from innsiden import create_app

    return create_app({
        "DATABASE_URL": url, "SECRET_KEY": SECRET, "WTF_CSRF_ENABLED": False,
        "RATELIMIT_ENABLED": False, "OUTBOX_DIR": f"{instance}/outbox",
        "UPLOADS_DIR": f"{instance}/uploads",
    })  # fmt: skip


def _long_thread(url: str) -> int:
    db = sqlite3.connect(url.removeprefix("sqlite:///"))
    (thread_id,) = db.execute(
        "SELECT id FROM discussion_thread WHERE group_id = 1 AND reply_count >= 100 "
        "ORDER BY id DESC LIMIT 1"
    ).fetchone()
    db.close()
    return int(thread_id)


def measure_pages(url: str, rounds: int) -> dict[str, float]:
    from innsiden.auth.session import credential_id
    from innsiden.db import session_factory
    from membersync.models import Member

    instance = tempfile.mkdtemp(prefix="discussions-bench-")
    app = _app(url, instance)
    with app.app_context(), session_factory(app)() as session:
        viewer = session.get(Member, 2)
        credential = credential_id(viewer)
    client = app.test_client()
    with client.session_transaction() as cookie:
        cookie["_user_id"], cookie["_fresh"] = credential, True
    thread_id = _long_thread(url)
    pages = {
        "thread page, 50 posts": f"/diskusjoner/traad/{thread_id}?fra=0",
        "thread page, newest 50": f"/diskusjoner/traad/{thread_id}?siste=1",
        "group page (discussions), 30 threads": "/diskusjoner/gruppe/1",
        "group front page, 30 threads": "/grupper/1",
        "API thread, 50 posts": f"/api/v1/discussions/threads/{thread_id}",
    }
    results = {}
    print(f"  median of {rounds} warm requests, one worker (target < {TARGET_MS:.0f} ms):")
    for name, path in pages.items():
        for _ in range(5):
            assert client.get(path).status_code == 200, path
        timings = []
        for _ in range(rounds):
            started = time.perf_counter()
            response = client.get(path)
            timings.append((time.perf_counter() - started) * 1000)
            assert response.status_code == 200
        results[name] = statistics.median(timings)
        verdict = "ok" if results[name] < TARGET_MS else "SLOW"
        print(f"    {name:40s} {results[name]:6.1f} ms  (p90 {_p90(timings):.1f})  {verdict}")
    return results


def _p90(values: list[float]) -> float:
    return sorted(values)[int(len(values) * 0.9) - 1]


# -- Socket.IO fan-out ------------------------------------------------------------------------


def measure_fanout(url: str, clients: int) -> float:
    import socketio

    from innsiden.auth.session import credential_id
    from innsiden.db import session_factory
    from membersync.models import Member

    instance = tempfile.mkdtemp(prefix="discussions-bench-live-")
    app = _app(url, instance)
    serializer = app.session_interface.get_signing_serializer(app)
    with app.app_context(), session_factory(app)() as session:
        numbers = [m.number for m in session.query(Member).filter(Member.lokallag_id == "L0001")]
        cookies = {
            n: serializer.dumps({"_user_id": credential_id(session.get(Member, n)), "_fresh": True})
            for n in numbers[: clients + 1]
        }
    thread_id = _long_thread(url)
    with _server(url, instance) as base:
        received: dict[int, float] = {}
        done = threading.Event()
        lock = threading.Lock()
        sockets = []

        def connect(number: int) -> socketio.Client:
            client = socketio.Client(reconnection=False, websocket_extra_options={"origin": base})

            @client.on("discussions:post")
            def _on_post(_data: dict) -> None:
                with lock:
                    received[number] = time.perf_counter()
                    if len(received) == clients:
                        done.set()

            cookie = {"Cookie": f"session={cookies[number]}"}
            client.connect(base, headers=cookie, transports=["websocket"])
            answer = client.call("join", {"room": f"thread:{thread_id}"}, timeout=30)
            assert answer == {"ok": True}, answer
            return client

        started = time.perf_counter()
        with ThreadPoolExecutor(max_workers=32) as pool:
            sockets = list(pool.map(connect, numbers[1 : clients + 1]))
        print(f"  {clients} Socket.IO clients connected and joined in "
              f"{time.perf_counter() - started:.1f} s")  # fmt: skip
        opener = _logged_in(base, cookies[numbers[0]])
        token = _csrf_token(opener, f"{base}/diskusjoner/traad/{thread_id}?siste=1")
        request = urllib.request.Request(  # noqa: S310 - the local bench server
            f"{base}/api/v1/discussions/threads/{thread_id}/posts",
            data=json.dumps({"body": "Svar som skal nå alle"}).encode(),
            headers={"Content-Type": "application/json", "X-CSRFToken": token},
            method="POST",
        )
        sent = time.perf_counter()
        with opener.open(request) as response:
            assert response.status == 201
        answered = time.perf_counter() - sent
        reached = done.wait(timeout=30)
        last = max(received.values()) - sent if received else float("inf")
    # The server is gone: closing the clients now costs no handshake timeout each.
    with ThreadPoolExecutor(max_workers=100) as pool:
        list(pool.map(lambda client: client.disconnect(), sockets))
    verdict = "ok" if reached and last < TARGET_FANOUT_S else "SLOW"
    print(f"  a reply reached {len(received)}/{clients} clients {last:.2f} s after the POST "
          f"(the POST answered in {answered * 1000:.0f} ms; target < {TARGET_FANOUT_S:.0f} s)  "
          f"{verdict}")  # fmt: skip
    return last if reached else float("inf")


def _logged_in(base: str, cookie_value: str) -> urllib.request.OpenerDirector:
    jar = CookieJar()
    host = base.split("//", 1)[1].split(":", 1)[0]
    jar.set_cookie(Cookie(
        0, "session", cookie_value, None, False, host, False, False, "/", True, False, None,
        True, None, None, {},
    ))  # fmt: skip
    return urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))


def _csrf_token(opener: urllib.request.OpenerDirector, page: str) -> str:
    with opener.open(page) as response:
        html = response.read().decode()
    return html.split('name="csrf-token" content="', 1)[1].split('"', 1)[0]


class _server:
    """`innsiden serve` in its own process (one worker), for the duration of a with-block."""

    def __init__(self, url: str, instance: str) -> None:
        import socket

        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            self.port = probe.getsockname()[1]
        self.base = f"http://127.0.0.1:{self.port}"
        self.env = {
            **os.environ, "DATABASE_URL": url, "INNSIDEN_SECRET_KEY": SECRET,
            "INNSIDEN_BASE_URL": self.base, "INNSIDEN_INSTANCE_PATH": instance,
        }  # fmt: skip
        self.log = Path(instance) / "server.log"

    def __enter__(self) -> str:
        code = "from innsiden.cli import main; main()"
        self.process = subprocess.Popen(  # noqa: S603 - our own server
            [sys.executable, "-c", code, "serve", "--port", str(self.port), "--no-jobs"],
            env=self.env, stdout=self.log.open("wb"), stderr=subprocess.STDOUT,
        )  # fmt: skip
        deadline = time.monotonic() + 60
        while not _answers(f"{self.base}/helse"):
            if time.monotonic() > deadline or self.process.poll() is not None:
                self.process.kill()
                raise RuntimeError(self.log.read_text())
            time.sleep(0.1)
        return self.base

    def __exit__(self, *_exc: object) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()


def _answers(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=1) as response:  # noqa: S310 - local server
            return response.status == 200
    except OSError:
        return False


if __name__ == "__main__":
    sys.exit(main())
