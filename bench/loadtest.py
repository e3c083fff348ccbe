"""`make loadtest`: the deployed topology under load while its services fail (issue #21).

nginx (deploy/nginx/innsiden.conf) in front of three gunicorn web processes on PostgreSQL,
Redis and an S3 endpoint (moto behind a switch that answers 503), all on loopback, as
tests/deploy runs them. While members hold Socket.IO connections in one thread room of one
group, others view pages at a fixed rate and write (replies, event sign-ups, organisers'
messages that the job runner e-mails), and in turn:

1. PostgreSQL is restarted (pg_ctlcluster … restart),
2. Redis is stopped for a while (`redis-cli shutdown nosave`, then started again),
3. the S3 endpoint answers 503 for a while.

Printed: requests and errors by kind, latency, for each fault how long after the service's
return the processes were ready again, the last error and the first live update that reached
every connected member; and every acknowledged write counted in the database afterwards
(posts, sign-ups, organisers' message mails in the outbox). Times are figures, not asserted;
the exit status is 1 when an acknowledged write was lost or any write or live delivery was
doubled. PostgreSQL and Redis are always left running (other users of the machine need them).

    python -m bench.loadtest                       # a short smoke run (defaults)
    python -m bench.loadtest --sockets 500 --views 50 --redis-down 60   # the issue's scale
"""

from __future__ import annotations

import argparse
import collections
import contextlib
import email
import email.policy
import email.utils
import logging
import math
import random
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import requests
from flask import Flask
from sqlalchemy import create_engine, text

# The deployed topology and a member's browser are the deployment test's own helpers.
from tests import services
from tests.conftest import _postgres_database
from tests.deploy import topology as deployed
from tests.deploy.portal import live_client, submit
from tests.realtime.processes import SOURCE_ROOT, wait_until
from tests.s3 import BUCKET, REGION

TOKEN = re.compile(r"lt-[0-9a-f]{12}")
LOGIN_PAGE = re.compile(r"/logg-inn(\?|$)")  # not /logg-inn/kode, the code step
REQUEST_TIMEOUT = 10.0


def token() -> str:
    return f"lt-{uuid.uuid4().hex[:12]}"


# ---------------------------------------------------------------- what happened, when


class Recorder:
    """Every request's start, kind, outcome ("ok" or an error kind) and latency."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.rows: list[tuple[float, str, str, float]] = []

    def add(self, kind: str, started: float, outcome: str) -> None:
        with self.lock:
            self.rows.append((started, kind, outcome, time.monotonic() - started))

    def timed(self, kind: str, call: Callable[[], requests.Response], ok: set[int]) -> Any:
        started = time.monotonic()
        try:
            response = call()
        except requests.Timeout:
            self.add(kind, started, "timeout")
            return None
        except requests.ConnectionError:
            self.add(kind, started, "connection refused/reset")
            return None
        except requests.HTTPError as error:  # the form's page itself failed
            status = error.response.status_code if error.response is not None else "?"
            self.add(kind, started, f"form page HTTP {status}")
            return None
        except requests.RequestException as error:
            self.add(kind, started, type(error).__name__)
            return None
        except AssertionError:  # a page without the form's CSRF token
            self.add(kind, started, "form page without form")
            return None
        outcome = "ok" if response.status_code in ok else f"HTTP {response.status_code}"
        if LOGIN_PAGE.search(response.headers.get("Location", "")):
            outcome = "sent to the login page"  # the session was not accepted
        self.add(kind, started, outcome)
        return response if outcome == "ok" else None


@dataclass
class Fault:
    service: str
    down_at: float = 0.0
    back_at: float = 0.0
    ready_after: float | None = None  # every process's /klar 200 again, after back_at
    ready_while_out: bool | None = None  # /klar just before the return (None: not sampled)
    live_after: float | None = None  # a post acknowledged after back_at reached every socket


# ---------------------------------------------------------------- the S3 switch


class Switchable503:
    """WSGI layer in front of moto's S3 app: while `failing`, every request gets a 503 with
    S3's own error body ("SlowDown"), as an overloaded or broken S3 service answers."""

    def __init__(self, app: Callable[..., Any]) -> None:
        self.app = app
        self.failing = False
        self.refused = 0

    def __call__(self, environ: dict[str, Any], start_response: Callable[..., Any]) -> Any:
        if self.failing:
            self.refused += 1
            body = (
                b'<?xml version="1.0" encoding="UTF-8"?><Error><Code>SlowDown</Code>'
                b"<Message>Service unavailable (load test)</Message></Error>"
            )
            start_response(
                "503 Service Unavailable",
                [("Content-Type", "application/xml"), ("Content-Length", str(len(body)))],
            )
            return [body]
        return self.app(environ, start_response)


@contextlib.contextmanager
def s3_endpoint() -> Iterator[tuple[str, Switchable503]]:
    import boto3
    from moto.server import DomainDispatcherApplication, create_backend_app
    from werkzeug.serving import make_server

    switch = Switchable503(DomainDispatcherApplication(create_backend_app))
    server = make_server("127.0.0.1", 0, switch, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    endpoint = f"http://127.0.0.1:{server.server_port}"
    keys = {"aws_access_key_id": "testing", "aws_secret_access_key": "testing"}  # moto's
    boto3.session.Session(**keys).client(
        "s3", endpoint_url=endpoint, region_name=REGION
    ).create_bucket(Bucket=BUCKET, CreateBucketConfiguration={"LocationConstraint": REGION})
    try:
        yield endpoint, switch
    finally:
        server.shutdown()
        thread.join(timeout=10)


# ---------------------------------------------------------------- PostgreSQL and Redis


def pg_cluster() -> tuple[str, str]:
    versions = sorted(p.name for p in Path("/etc/postgresql").iterdir())
    return versions[-1], "main"


def tool(
    *command: str, check: bool = False, timeout: float = 60
) -> subprocess.CompletedProcess[str]:
    """Run one of the machine's service tools (pg_ctlcluster, redis-cli, …)."""
    program = shutil.which(command[0]) or command[0]
    return subprocess.run(  # noqa: S603 - fixed arguments to the machine's own tools
        [program, *command[1:]], capture_output=True, text=True, check=check, timeout=timeout
    )


def pg_ready() -> bool:
    return tool("pg_isready", "-h", "127.0.0.1", "-p", "5432", "-q", timeout=10).returncode == 0


def redis_ready() -> bool:
    return (
        tool("redis-cli", "-h", "127.0.0.1", "-p", "6379", "ping", timeout=10).stdout.strip()
        == "PONG"
    )


def start_redis() -> None:
    tool(
        "redis-server", "--daemonize", "yes", "--bind", "127.0.0.1", "--port", "6379", "--save", ""
    )


def restore_services() -> list[str]:
    """Leave PostgreSQL and Redis running, whatever happened; what could not be restored."""
    problems = []
    if not pg_ready():
        version, cluster = pg_cluster()
        tool("pg_ctlcluster", "--skip-systemctl-redirect", version, cluster, "start")
        with contextlib.suppress(AssertionError):
            wait_until(pg_ready, 60, "PostgreSQL")
    if not redis_ready():
        start_redis()
        with contextlib.suppress(AssertionError):
            wait_until(redis_ready, 30, "Redis")
    if not pg_ready():
        problems.append("PostgreSQL is NOT running")
    if not redis_ready():
        problems.append("Redis is NOT running")
    return problems


# ---------------------------------------------------------------- members


def cookie_for(credential: str) -> str:
    """A session cookie as a completed login leaves (the portal's own signing)."""
    app = Flask("loadtest")
    app.secret_key = deployed.SECRET_KEY
    serializer = app.session_interface.get_signing_serializer(app)
    assert serializer is not None
    return serializer.dumps({"_user_id": credential, "_fresh": True})


def source_of(index: int) -> str:
    """A loopback address per member: nginx's ip_hash spreads them over the processes."""
    return f"127.{1 + index // 250}.{index % 250}.1"


def browser(topology: deployed.Topology, credential: str, source: str) -> requests.Session:
    session = topology.session(source)
    session.cookies.set("session", cookie_for(credential), domain="127.0.0.1", path="/")
    return session


class LiveMember:
    """One member's Socket.IO connection through nginx, in the thread's room, reconnected by
    the supervisor when it drops. Counts what it hears per post."""

    def __init__(self, topology: deployed.Topology, credential: str, source: str) -> None:
        self.topology, self.credential, self.source = topology, credential, source
        self.lock = threading.Lock()
        self.heard: dict[int, int] = collections.Counter()
        self.intervals: list[list[float]] = []  # [joined, left (inf while connected)]
        self.client: Any = None
        self.connects = 0

    @property
    def connected(self) -> bool:
        return bool(self.intervals) and self.intervals[-1][1] == math.inf

    def connect(self, thread_id: int, recorder: Recorder) -> bool:
        started = time.monotonic()
        try:
            session = browser(self.topology, self.credential, self.source)
            client = live_client(session, self.topology.https, self.topology.ca_file, self.source)
            client.on("discussions:post", self._heard)
            client.on("disconnect", self._left)
            client.connect(self.topology.https, wait_timeout=REQUEST_TIMEOUT)
            joined = client.call("join", {"room": f"thread:{thread_id}"}, timeout=REQUEST_TIMEOUT)
        except Exception as error:  # any failure to connect is one outcome to count
            recorder.add("socket connect", started, f"socket: {type(error).__name__}")
            with contextlib.suppress(Exception):
                client.disconnect()
            return False
        if joined != {"ok": True}:
            recorder.add("socket connect", started, "socket: join refused")
            client.disconnect()
            return False
        recorder.add("socket connect", started, "ok")
        with self.lock:
            self.client = client
            self.connects += 1
            self.intervals.append([time.monotonic(), math.inf])
        return True

    def _heard(self, data: dict[str, Any]) -> None:
        if data.get("action") == "created":
            with self.lock:
                self.heard[int(data["post_id"])] += 1

    def _left(self, *_args: Any) -> None:
        with self.lock:
            if self.connected:
                self.intervals[-1][1] = time.monotonic()

    def was_connected(self, start: float, end: float) -> bool:
        return any(joined <= start and left >= end for joined, left in self.intervals)

    def close(self) -> None:
        with contextlib.suppress(Exception):
            if self.client is not None:
                self.client.disconnect()


# ---------------------------------------------------------------- the run


@dataclass
class Writes:
    lock: threading.Lock = field(default_factory=threading.Lock)
    posts: dict[str, tuple[float, float, int | None]] = field(default_factory=dict)  # token →
    # (sent, acknowledged or nan, post id)
    unacked_posts: set[str] = field(default_factory=set)
    signups: set[int] = field(default_factory=set)  # acknowledged, by member index
    unacked_signups: set[int] = field(default_factory=set)
    messages: set[str] = field(default_factory=set)  # acknowledged subjects
    unacked_messages: set[str] = field(default_factory=set)


@dataclass
class Run:
    args: argparse.Namespace
    topology: deployed.Topology
    seeded: deployed.Seeded
    thread_id: int
    gathering_id: int
    recorder: Recorder = field(default_factory=Recorder)
    writes: Writes = field(default_factory=Writes)
    live: list[LiveMember] = field(default_factory=list)
    stop: threading.Event = field(default_factory=threading.Event)
    jobs: collections.Counter[str] = field(default_factory=collections.Counter)

    def member(self, index: int) -> tuple[str, str]:
        return self.seeded.credentials[index], source_of(index)


def create_content(topology: deployed.Topology, seeded: deployed.Seeded) -> tuple[int, int]:
    """The leader (member 0) starts the thread and the event everybody uses."""
    leader = browser(topology, seeded.credentials[0], source_of(0))
    base, group = topology.https, seeded.group_id
    made = submit(
        leader, f"{base}/diskusjoner/gruppe/{group}/ny",
        {"title": "Lasttest", "body": "Tråden lasttesten svarer i."},
    )  # fmt: skip
    assert made.status_code == 302, made.text
    thread_id = int(made.headers["Location"].split("?")[0].rstrip("/").rsplit("/", 1)[1])
    starts = datetime.now() + timedelta(days=30)
    event = submit(
        leader,
        f"{base}/arrangementer/gruppe/{group}/nytt",
        {
            "title": "Lasttestmøtet",
            "description": "Påmelding under last.",
            "starts_at": starts.strftime("%Y-%m-%dT18:00"),
            "ends_at": starts.strftime("%Y-%m-%dT20:00"),
            "place": "Folkets hus",
            "audience": "group",
        },
    )
    assert event.status_code == 302, event.text
    gathering_id = int(event.headers["Location"].rstrip("/").rsplit("/", 1)[1])
    return thread_id, gathering_id


def viewer_loop(run: Run) -> None:
    """Page views at a fixed rate, each from one of the members, whatever the answers take."""
    base, rate = run.topology.https, run.args.views
    pages = [
        "/",
        f"/diskusjoner/gruppe/{run.seeded.group_id}",
        f"/diskusjoner/traad/{run.thread_id}?siste=1",
        f"/arrangementer/{run.gathering_id}",
    ]
    viewers = [
        browser(run.topology, *run.member(i)) for i in range(min(len(run.seeded.credentials), 60))
    ]
    rng = random.Random(7)
    next_at = time.monotonic()
    with ThreadPoolExecutor(max_workers=max(8, int(rate * 2))) as pool:
        while not run.stop.is_set():
            session, page = rng.choice(viewers), rng.choice(pages)
            pool.submit(
                run.recorder.timed,
                "page view",
                lambda s=session, p=page: s.get(base + p, timeout=REQUEST_TIMEOUT),
                {200},
            )
            next_at += 1 / rate
            run.stop.wait(max(0.0, next_at - time.monotonic()))


def login_loop(run: Run) -> None:
    """Someone asks for a login code every `--login-interval` s (a new browser, a member's
    address, from an address of its own): the first step of every login, rate limited
    through Redis."""
    base, step = run.topology.https, 0
    while not run.stop.wait(run.args.login_interval):
        _number, address = run.seeded.members[step % len(run.seeded.members)]
        with run.topology.session(f"127.9.{step % 250}.1") as anonymous:
            run.recorder.timed(
                "login: ask code",
                lambda s=anonymous, a=address: submit(s, f"{base}/logg-inn", {"identifier": a}),
                {302},
            )
        step += 1


def writer_loop(run: Run, writer: int, signups: Iterator[int], lock: threading.Lock) -> None:
    """Replies, sign-ups and (the leader) organisers' messages, one every interval."""
    base = run.topology.https
    credential, source = run.member(writer)
    session = browser(run.topology, credential, source)
    thread_page = f"{base}/diskusjoner/traad/{run.thread_id}?siste=1"
    event_page = f"{base}/arrangementer/{run.gathering_id}"
    step = 0
    while not run.stop.wait(run.args.write_interval):
        step += 1
        if writer == 0 and step % 5 == 0:
            subject = token()
            done = run.recorder.timed(
                "write: message",
                lambda s=subject: submit(
                    session,
                    f"{event_page}/melding",
                    {"subject": s, "body": "Husk møtet."},
                    page=f"{event_page}/melding",
                ),
                {302},
            )
            with run.writes.lock:
                (run.writes.messages if done else run.writes.unacked_messages).add(subject)
        elif step % 3 == 0:
            with lock:
                index = next(signups, None)
            if index is None:
                continue
            member = browser(run.topology, *run.member(index))
            done = run.recorder.timed(
                "write: sign-up",
                lambda m=member: submit(
                    m, f"{event_page}/svar", {"answer": "kommer"}, page=event_page
                ),
                {302},
            )
            with run.writes.lock:
                (run.writes.signups if done else run.writes.unacked_signups).add(index)
        else:
            body = f"Svar {token()} under last."
            mark = TOKEN.search(body).group(0)  # type: ignore[union-attr]
            sent = time.monotonic()
            done = run.recorder.timed(
                "write: post",
                lambda b=body: submit(
                    session,
                    f"{base}/diskusjoner/traad/{run.thread_id}/svar",
                    {"body": b},
                    page=thread_page,
                ),
                {302},
            )
            if done is None:
                with run.writes.lock:
                    run.writes.unacked_posts.add(mark)
                continue
            post = re.search(r"#innlegg-(\d+)", done.headers.get("Location", ""))
            with run.writes.lock:
                run.writes.posts[mark] = (
                    sent,
                    time.monotonic(),
                    int(post.group(1)) if post else None,
                )


def jobs_env(run: Run) -> dict[str, str]:
    import os

    env = {**os.environ, **run.topology.env}
    env.pop("PROMETHEUS_MULTIPROC_DIR", None)  # as the units: jobs are not web processes
    env["PYTHONPATH"] = str(SOURCE_ROOT)
    return env


def run_jobs_once(run: Run) -> bool:
    innsiden = Path(sys.executable).with_name("innsiden")
    done = subprocess.run(  # noqa: S603 - the portal's own command
        [str(innsiden), "jobs", "run"], env=jobs_env(run), capture_output=True, check=False,
        timeout=300, cwd=SOURCE_ROOT,
    )  # fmt: skip
    run.jobs["ok" if done.returncode == 0 else f"exit {done.returncode}"] += 1
    return done.returncode == 0


def jobs_loop(run: Run) -> None:
    """The job runner as the timer runs it, only more often (every `--jobs-interval` s)."""
    while not run.stop.wait(run.args.jobs_interval):
        run_jobs_once(run)


def supervisor_loop(run: Run) -> None:
    """Reconnect dropped Socket.IO members, as the page script does."""
    with ThreadPoolExecutor(max_workers=8) as pool:
        while not run.stop.wait(0.5):
            dropped = [m for m in run.live if not m.connected]
            list(pool.map(lambda m: m.connect(run.thread_id, run.recorder), dropped))


def all_ready(run: Run) -> bool:
    return all(
        _ok(f"{process.url}/klar") for process in run.topology.processes
    )  # directly, as a load balancer's health check


def _ok(url: str) -> bool:
    try:
        return requests.get(url, timeout=2).status_code == 200
    except requests.RequestException:
        return False


def fault(run: Run, name: str, down: Callable[[], None], up: Callable[[], None]) -> Fault:
    happened = Fault(name)
    happened.down_at = time.monotonic()
    print(f"  {name}: down", flush=True)
    down()
    if name != "postgres restart":  # (the restart is one command: nothing to sample in it)
        happened.ready_while_out = all_ready(run)
    up()
    happened.back_at = time.monotonic()
    print(f"  {name}: back after {happened.back_at - happened.down_at:.1f} s", flush=True)
    with contextlib.suppress(AssertionError):
        wait_until(lambda: all_ready(run), run.args.settle * 3, f"ready after {name}")
        happened.ready_after = time.monotonic() - happened.back_at
    # Then let the load run on, so errors after the return and live updates show.
    run.stop.wait(max(0.0, run.args.settle - (time.monotonic() - happened.back_at)))
    return happened


def restart_postgres() -> None:
    version, cluster = pg_cluster()
    tool(
        "pg_ctlcluster",
        "--skip-systemctl-redirect",
        version,
        cluster,
        "restart",
        check=True,
        timeout=120,
    )
    wait_until(pg_ready, 60, "PostgreSQL to accept connections")


def faults(run: Run, switch: Switchable503) -> list[Fault]:
    happened = []
    if "postgres" in run.args.faults:
        happened.append(fault(run, "postgres restart", restart_postgres, lambda: None))

    if "redis" in run.args.faults:

        def stop_redis() -> None:
            tool("redis-cli", "-h", "127.0.0.1", "-p", "6379", "shutdown", "nosave")
            wait_until(lambda: not redis_ready(), 30, "Redis to stop")
            run.stop.wait(run.args.redis_down)

        def start_redis_again() -> None:
            start_redis()
            wait_until(redis_ready, 30, "Redis to answer")

        happened.append(fault(run, "redis stopped", stop_redis, start_redis_again))

    if "s3" in run.args.faults:

        def s3_down() -> None:
            switch.failing = True
            run.stop.wait(run.args.s3_down)

        def s3_up() -> None:
            switch.failing = False

        happened.append(fault(run, "s3 503", s3_down, s3_up))
    return happened


# ---------------------------------------------------------------- counting afterwards


@dataclass
class Count:
    acknowledged: int = 0
    found: int = 0
    lost: int = 0
    doubled: int = 0
    unacknowledged_but_kept: int = 0


def count_writes(run: Run, database_url: str) -> dict[str, Count]:
    writes, counts = run.writes, {"posts": Count(), "sign-ups": Count(), "message mails": Count()}
    engine = create_engine(database_url)
    try:
        with engine.connect() as conn:
            bodies = conn.execute(
                text("SELECT body_source FROM discussion_post WHERE thread_id = :t"),
                {"t": run.thread_id},
            ).scalars()
            in_db = collections.Counter(m for b in bodies for m in TOKEN.findall(b or ""))
            replies = dict(
                conn.execute(
                    text(
                        "SELECT member_number, count(*) FROM gathering_reply"
                        " WHERE gathering_id = :g AND status = 'confirmed' GROUP BY member_number"
                    ),
                    {"g": run.gathering_id},
                ).all()
            )
            recipients = conn.execute(
                text(
                    "SELECT m.subject, member.email FROM gathering_message m"
                    " JOIN gathering_message_recipient r ON r.message_id = m.id"
                    " JOIN member ON member.number = r.member_number WHERE m.gathering_id = :g"
                ),
                {"g": run.gathering_id},
            ).all()
            subjects = set(
                conn.execute(
                    text("SELECT subject FROM gathering_message WHERE gathering_id = :g"),
                    {"g": run.gathering_id},
                ).scalars()
            )
    finally:
        engine.dispose()

    posts = counts["posts"]
    posts.acknowledged = len(writes.posts)
    for mark in writes.posts:
        posts.found += in_db[mark] >= 1
        posts.lost += in_db[mark] == 0
    posts.doubled = sum(1 for n in in_db.values() if n > 1)
    posts.unacknowledged_but_kept = sum(1 for m in writes.unacked_posts if in_db[m])

    signups = counts["sign-ups"]
    numbers = [run.seeded.members[i][0] for i in writes.signups]
    signups.acknowledged = len(numbers)
    signups.found = sum(1 for n in numbers if replies.get(n))
    signups.lost = signups.acknowledged - signups.found
    signups.doubled = sum(1 for n in replies.values() if n > 1)
    signups.unacknowledged_but_kept = sum(
        1 for i in writes.unacked_signups if replies.get(run.seeded.members[i][0])
    )

    # Every recipient row of an acknowledged message must have exactly one e-mail.
    mails = collections.Counter()
    for path in run.topology.outbox.glob("*.eml"):
        message = email.message_from_bytes(path.read_bytes(), policy=email.policy.default)
        for mark in TOKEN.findall(str(message["Subject"] or "")):
            mails[(mark, email.utils.parseaddr(str(message["To"]))[1])] += 1
    messages = counts["message mails"]
    for subject, address in recipients:
        if subject not in writes.messages and subject not in writes.unacked_messages:
            continue
        messages.acknowledged += subject in writes.messages
        n = mails[(subject, address)]
        messages.found += n >= 1
        messages.lost += n == 0 and subject in writes.messages
        messages.doubled += n > 1
    messages.lost += sum(1 for s in writes.messages if s not in subjects)  # the message itself
    messages.unacknowledged_but_kept = sum(1 for s in writes.unacked_messages if s in subjects)
    return counts


@dataclass
class Deliveries:
    expected: int = 0
    delivered: int = 0
    lost_quiet: int = 0  # while no service was down
    lost_in_fault: int = 0  # sent while a service was down or within `settle` of its return
    doubled: int = 0


def count_deliveries(run: Run, happened: list[Fault]) -> Deliveries:
    counted = Deliveries()
    windows = [(f.down_at, f.back_at + run.args.settle) for f in happened]
    for sent, acked, post_id in run.writes.posts.values():
        if post_id is None:
            continue
        for member in run.live:
            heard = member.heard.get(post_id, 0)
            counted.doubled += heard > 1
            if not member.was_connected(sent, acked + 2):
                continue
            counted.expected += 1
            counted.delivered += heard >= 1
            if heard == 0:
                in_fault = any(start <= acked <= end for start, end in windows)
                if in_fault:
                    counted.lost_in_fault += 1
                else:
                    counted.lost_quiet += 1
    for f in happened:
        # The first post acknowledged after the return that every connected member heard.
        after = sorted(
            (acked, post_id)
            for sent, acked, post_id in run.writes.posts.values()
            if post_id is not None and sent >= f.back_at
        )
        for acked, post_id in after:
            listening = [m for m in run.live if m.was_connected(acked, acked + 2)]
            if listening and all(m.heard.get(post_id) for m in listening):
                f.live_after = acked - f.back_at
                break
    return counted


# ---------------------------------------------------------------- report


def report(
    run: Run, happened: list[Fault], writes: dict[str, Count], deliveries: Deliveries,
    seconds: float,
) -> bool:  # fmt: skip
    args, rows = run.args, run.recorder.rows
    print()
    print(
        f"Innsiden load and fault run: {len(run.live)} Socket.IO members in one room, "
        f"{args.views:g} page views/s, {args.writers} writers, 3 web processes, {seconds:.0f} s"
    )
    print(f"\n{'requests':<18}{'total':>7}{'ok':>7}{'errors':>8}{'p50 ms':>9}{'p95 ms':>9}")
    by_kind: dict[str, list[tuple[float, str, str, float]]] = collections.defaultdict(list)
    for row in rows:
        by_kind[row[1]].append(row)
    for kind, group in sorted(by_kind.items()):
        ok = [r[3] * 1000 for r in group if r[2] == "ok"]
        p50 = statistics.median(ok) if ok else math.nan
        p95 = statistics.quantiles(ok, n=20)[-1] if len(ok) >= 20 else max(ok, default=math.nan)
        errors = len(group) - len(ok)
        print(f"{kind:<18}{len(group):>7}{len(ok):>7}{errors:>8}{p50:>9.0f}{p95:>9.0f}")
    errors = collections.Counter((r[1], r[2]) for r in rows if r[2] != "ok")
    print("\nerrors by kind" + ("" if errors else ": none"))
    for (kind, outcome), n in errors.most_common():
        print(f"  {kind:<18}{outcome:<28}{n:>6}")
    print(f"job runs: {dict(run.jobs)}")
    reconnects = sum(max(0, m.connects - 1) for m in run.live)
    print(f"socket reconnections: {reconnects}")

    print(
        f"\n{'fault':<18}{'out for':>9}{'views ok while out':>20}{'writes ok while out':>21}"
        f"{'/klar while out':>17}{'ready after':>13}{'errors until':>14}{'live after':>12}"
    )
    for f in happened:
        out_rows = [r for r in rows if f.down_at <= r[0] < f.back_at]
        views = [r for r in out_rows if r[1] == "page view"]
        written = [r for r in out_rows if r[1].startswith("write")]
        views_ok = f"{sum(r[2] == 'ok' for r in views)}/{len(views)}"
        writes_ok = f"{sum(r[2] == 'ok' for r in written)}/{len(written)}"
        failed_after = [r[0] + r[3] - f.back_at for r in rows if r[0] >= f.back_at and r[2] != "ok"]
        until = f"{max(failed_after):.1f} s" if failed_after else "none"
        ready = f"{f.ready_after:.1f} s" if f.ready_after is not None else "never"
        live = f"{f.live_after:.1f} s" if f.live_after is not None else "not seen"
        out = f"{f.back_at - f.down_at:.1f} s"
        klar = {None: "-", True: "200", False: "503"}[f.ready_while_out]
        print(
            f"{f.service:<18}{out:>9}{views_ok:>20}{writes_ok:>21}{klar:>17}{ready:>13}{until:>14}"
            f"{live:>12}"
        )
    print("  after the service's return: 'ready' = every process's /klar answers 200; 'errors")
    print("  until' = the last failed request (of any kind, to the end of the run) ended; 'live'")
    print("  = the first post acknowledged after it reached every connected member")

    print(f"\n{'writes':<16}{'acked':>7}{'found':>7}{'lost':>6}{'doubled':>9}{'kept unacked':>14}")
    for name, c in writes.items():
        print(
            f"{name:<16}{c.acknowledged:>7}{c.found:>7}{c.lost:>6}{c.doubled:>9}"
            f"{c.unacknowledged_but_kept:>14}"
        )
    print(
        f"\nlive deliveries: {deliveries.delivered} of {deliveries.expected} expected; lost "
        f"{deliveries.lost_quiet} with every service up, {deliveries.lost_in_fault} during a "
        f"fault or its settle time; doubled {deliveries.doubled}"
    )
    failed = any(c.lost or c.doubled for c in writes.values()) or deliveries.doubled > 0
    print(
        "\nRESULT: " + ("FAILED: writes lost or doubled" if failed else "nothing lost or doubled")
    )
    return not failed


# ---------------------------------------------------------------- main


def parse(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m bench.loadtest", description=__doc__.split("\n\n")[0]
    )
    parser.add_argument("--sockets", type=int, default=30, help="Socket.IO members (issue: 500)")
    parser.add_argument("--views", type=float, default=5, help="page views per second (issue: 50)")
    parser.add_argument("--writers", type=int, default=2, help="members writing in turn")
    parser.add_argument(
        "--write-interval", type=float, default=0.5, help="seconds between one writer's writes"
    )
    parser.add_argument(
        "--warmup", type=float, default=5, help="seconds of load before the first fault"
    )
    parser.add_argument(
        "--settle", type=float, default=10, help="seconds of load after each service returns"
    )
    parser.add_argument(
        "--redis-down", type=float, default=10, help="seconds Redis stays stopped (issue: 60)"
    )
    parser.add_argument("--s3-down", type=float, default=10, help="seconds S3 answers 503")
    parser.add_argument(
        "--login-interval", type=float, default=2, help="seconds between login code requests"
    )
    parser.add_argument(
        "--jobs-interval", type=float, default=2, help="seconds between job runner passes"
    )
    parser.add_argument(
        "--faults", default="postgres,redis,s3",
        help="which services fail, in this order (comma-separated; empty for load only)",
    )  # fmt: skip
    args = parser.parse_args(argv)
    args.faults = {f.strip() for f in args.faults.split(",") if f.strip()}
    if not 0 < args.sockets <= 2000 or not 0 < args.views <= 500 or args.redis_down > 600:
        parser.error("bounded: at most 2000 sockets, 500 views/s, Redis down 600 s")
    return args


def preflight() -> str | None:
    if deployed.nginx_binary() is None:
        return "nginx is not installed (apt-get install nginx-light)"
    for program in ("pg_ctlcluster", "pg_isready", "redis-cli", "redis-server"):
        if shutil.which(program) is None:
            return f"{program} is not installed"
    if not pg_ready():
        return "PostgreSQL does not answer on 127.0.0.1:5432"
    if not redis_ready():
        return "Redis does not answer on 127.0.0.1:6379"
    if not services.REDIS_URL.startswith("redis://127.0.0.1"):
        return "loopback only: INNSIDEN_TEST_REDIS_URL must be on 127.0.0.1"
    return None


def main(argv: list[str] | None = None) -> int:
    args = parse(sys.argv[1:] if argv is None else argv)
    logging.getLogger("werkzeug").setLevel(logging.ERROR)  # moto's request lines
    problem = preflight()
    if problem:
        print(f"loadtest: {problem}", file=sys.stderr)
        return 2
    ok = False
    try:
        ok = _run(args)
    finally:
        problems = restore_services()
        for problem in problems:
            print(f"loadtest: {problem}; start it by hand", file=sys.stderr)
        print("PostgreSQL and Redis: " + ("; ".join(problems) or "running"))
    return 0 if ok else 1


def _run(args: argparse.Namespace) -> bool:
    members = args.sockets + args.writers
    database = _postgres_database()
    url = next(database)
    workdir = Path(tempfile.mkdtemp(prefix="innsiden-loadtest-"))
    # Each WebSocket holds one of a process's gthread threads for as long as it is open.
    threads = str(max(50, args.sockets // 2 + 40))
    try:
        with s3_endpoint() as (endpoint, switch), deployed.running(
            workdir, url, services.REDIS_URL, endpoint, BUCKET, REGION,
            deployed.nginx_binary() or "nginx", extra_env={"INNSIDEN_THREADS": threads},
        ) as topology:  # fmt: skip
            seeded = deployed.seed(url, members=members, leaders=1)
            thread_id, gathering_id = create_content(topology, seeded)
            run = Run(args, topology, seeded, thread_id, gathering_id)
            print(f"connecting {args.sockets} Socket.IO members…", flush=True)
            run.live = [
                LiveMember(topology, *run.member(args.writers + i)) for i in range(args.sockets)
            ]
            with ThreadPoolExecutor(max_workers=16) as pool:
                connected = sum(pool.map(lambda m: m.connect(thread_id, run.recorder), run.live))
            print(f"  {connected} connected", flush=True)
            signups = iter(range(args.writers, members))
            signup_lock = threading.Lock()
            loops = [
                threading.Thread(target=viewer_loop, args=(run,), daemon=True),
                threading.Thread(target=login_loop, args=(run,), daemon=True),
                threading.Thread(target=jobs_loop, args=(run,), daemon=True),
                threading.Thread(target=supervisor_loop, args=(run,), daemon=True),
                *(
                    threading.Thread(
                        target=writer_loop, args=(run, w, signups, signup_lock), daemon=True
                    )
                    for w in range(args.writers)
                ),
            ]
            started = time.monotonic()
            for loop in loops:
                loop.start()
            print(f"load for {args.warmup:g} s, then the faults", flush=True)
            run.stop.wait(args.warmup)
            happened = faults(run, switch)
            run.stop.set()
            for loop in loops:
                loop.join(timeout=60)
            seconds = time.monotonic() - started
            # Let the last live push arrive, then send what the job runner still owes.
            with contextlib.suppress(AssertionError):
                wait_until(lambda: _last_post_heard(run), 5, "the last post's live push")
            for _ in range(10):
                if run_jobs_once(run) and _queue_empty(url):
                    break
            for member in run.live:
                member.close()
            writes = count_writes(run, url)
            deliveries = count_deliveries(run, happened)
            return report(run, happened, writes, deliveries, seconds)
    finally:
        # The database is dropped only with PostgreSQL up again.
        restore_services()
        database.close()
        shutil.rmtree(workdir, ignore_errors=True)


def _last_post_heard(run: Run) -> bool:
    acked = [(a, post) for _s, a, post in run.writes.posts.values() if post is not None]
    if not acked:
        return True
    _acked, post_id = max(acked)
    return all(m.heard.get(post_id) for m in run.live if m.connected)


def _queue_empty(url: str) -> bool:
    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            waiting = conn.scalar(
                text("SELECT count(*) FROM gathering_message_recipient WHERE sent_at IS NULL")
            )
        return not waiting
    finally:
        engine.dispose()


if __name__ == "__main__":
    sys.exit(main())
