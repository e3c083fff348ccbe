"""Page benchmark: Innsiden's member pages beside a bare Flask + Jinja page, under gunicorn.

    python -m bench.pages_bench [--rebuild] [--seconds 10] [--connections 16] [--workers 2]

The dataset (500 members in 20 lokallag, 2,000 threads of 20 posts of ~400 characters) is
made once through the project's own register sync and services into bench/data/pages.db and
reused (brought to the tree's newest migration first). Both apps are served by gunicorn with
sync workers and --preload, as the production docs say; a member logs in through the code
flow (the code read from the outbox); each page must answer 200 (not a redirect), then wrk
measures it with `--connections` connections. Printed per page: requests/s and its ratio to
the bare page's, the single-connection p50, the server's CPU time per request and its ratio
(steady on a busy machine, where req/s is not), SQL statements per request, and the RSS and
PSS of gunicorn's process tree idle and at peak (sampled while wrk runs). The bare page is
measured before and after the portal, and compared with the mean of the two.

Needs `wrk` (Debian's package) and gunicorn (in the dev extras). Figures, not assertions:
the goals (thread page and listing within 3× of the bare page; master + workers under 130 MB
idle and 250 MB at peak) are printed beside them.
"""

from __future__ import annotations

import argparse
import contextlib
import email
import http.client
import os
import re
import shutil
import signal
import socket
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from dataclasses import dataclass
from pathlib import Path

DATA = Path(__file__).parent / "data"
DB_PATH = DATA / "pages.db"
MEMBERS, LOKALLAG, THREADS, POSTS_PER_THREAD = 500, 20, 2000, 20
SECRET = "pages-bench-secret"  # noqa: S105 - signs the bench's own sessions
WRK = shutil.which("wrk")
GOAL_RATIO, GOAL_IDLE_MB, GOAL_PEAK_MB = 3.0, 130, 250
PARAGRAPH = (
    "Jeg har sett på forslaget til budsjett for neste år, og mener vi bør sette av mer til "
    "medlemsmøter i distriktet. Mange av de eldre medlemmene våre ønsker å møtes fysisk, "
    "og det koster lite når vi bruker **grendehuset** eller biblioteket. Samtidig bør vi "
    "se på om vi kan samarbeide med nabolaget om felles arrangementer i vår. Hva tenker "
    "dere om å ta dette opp på neste styremøte?"
)
TITLES = (
    "Budsjett for {year}",
    "Medlemsmøte i {month}",
    "Innspill til årsmøtet {year}",
    "Stand på torget i {month}",
    "Ny leder for valgkomiteen",
)
MONTHS = ("januar", "februar", "mars", "april", "mai", "juni", "september", "oktober")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.pages_bench")
    parser.add_argument("--rebuild", action="store_true", help="make the dataset again")
    parser.add_argument("--seconds", type=int, default=10, help="wrk duration per page")
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--single", type=int, default=200, help="requests for the p50")
    parser.add_argument("--extra", action="append", default=[], help="another path to probe")
    parser.add_argument("--app", default="innsiden.wsgi:app", help="what gunicorn serves")
    args = parser.parse_args(argv)
    if WRK is None:
        print("pages: wrk is not installed (apt-get install wrk); skipped")
        return 0
    if args.rebuild or not DB_PATH.exists():
        build(DB_PATH)
    else:
        _upgrade(DB_PATH)
    with tempfile.TemporaryDirectory(prefix="innsiden-pages-content-") as tmp:
        _ensure_content_page(Path(tmp))
    with tempfile.TemporaryDirectory(prefix="innsiden-pages-") as tmp:
        return run(args, Path(tmp))


# -- the dataset ---------------------------------------------------------------------------


def _environment(instance: Path) -> dict[str, str]:
    return {
        "DATABASE_URL": f"sqlite:///{DB_PATH}",
        "INNSIDEN_INSTANCE_PATH": str(instance),
        "INNSIDEN_SECRET_KEY": SECRET,
        "INNSIDEN_SEARCH_DIR": str(DATA / "pages-search"),
        "INNSIDEN_UPLOADS_DIR": str(instance / "uploads"),
    }


def _upgrade(path: Path) -> None:
    """A reused dataset may be older than the tree's schema: bring it to the newest."""
    from innsiden import migrate

    migrate.upgrade(f"sqlite:///{path}")


def build(path: Path) -> None:
    """Register sync, then threads and replies through the discussions service."""
    DATA.mkdir(parents=True, exist_ok=True)
    for suffix in ("", "-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)
    shutil.rmtree(DATA / "pages-search", ignore_errors=True)
    started = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="innsiden-pages-build-") as tmp:
        os.environ.update(_environment(Path(tmp)))
        _seed(Path(tmp))
    print(f"  dataset built in {time.perf_counter() - started:.0f} s → {path}")


def _seed(tmp: Path) -> None:
    import random

    from innsiden import create_app, migrate
    from innsiden.db import session_factory
    from innsiden.discussions import service
    from innsiden.groups.anchors import location_group_ids
    from innsiden.search import indexer
    from membersync import demo_register
    from membersync.models import Member
    from membersync.sync import SyncOptions, run_sync

    migrate.upgrade(f"sqlite:///{DB_PATH}")
    app = create_app()
    register_dir = tmp / "register"
    demo_register.generate(MEMBERS, lokallag=LOKALLAG).write_csv(register_dir)
    factory = session_factory(app)
    print("  " + run_sync(factory, str(register_dir), SyncOptions(trigger="bench")).summary())
    rng = random.Random(2026)
    with app.app_context(), factory() as session:
        members = session.query(Member).filter(Member.status == "aktiv").all()
        by_lag: dict[str, list[Member]] = {}
        for member in members:
            by_lag.setdefault(member.lokallag_id or "", []).append(member)
        groups = location_group_ids(session, sorted(lag for lag in by_lag if lag))
        lags = [lag for lag in sorted(groups) if len(by_lag[lag]) >= 2]
        for number in range(THREADS):
            lag = lags[number % len(lags)]
            people = by_lag[lag]
            title = rng.choice(TITLES).format(year=2026 + number % 3, month=rng.choice(MONTHS))
            thread, _opening = service.create_thread(
                session, people[number % len(people)], groups[lag], title=title, body=PARAGRAPH
            )
            for reply in range(POSTS_PER_THREAD - 1):
                writer = people[(number + reply + 1) % len(people)]
                service.reply(session, writer, thread, body=f"{reply + 1}. {PARAGRAPH}")
            session.commit()
            if number % 200 == 199:
                print(f"  {number + 1} threads")
    indexer.rebuild(app, None)
    with contextlib.closing(sqlite3.connect(DB_PATH)) as db:
        db.execute("ANALYZE")


def _ensure_content_page(tmp: Path) -> None:
    """A published page ("how we work") in the measured group, written and published by the
    lokallag's leader through the content workflow; made once, also in an older dataset."""
    from innsiden import create_app
    from innsiden.content import editing, workflow
    from innsiden.content.editing import ItemText
    from innsiden.content.models import ContentItem
    from innsiden.content.permissions import Place
    from innsiden.db import session_factory
    from innsiden.groups.models import Group
    from membersync.models import Member, Position

    group_id = _probe_group_id()
    os.environ.update(_environment(tmp))
    app = create_app()
    with app.app_context(), session_factory(app)() as session:
        published = session.query(ContentItem).filter(
            ContentItem.group_id == group_id, ContentItem.state == "publisert"
        )
        if published.first() is not None:
            return
        group = session.get(Group, group_id)
        assert group is not None
        leader = (
            session.query(Member)
            .join(Position, Position.member_number == Member.number)
            .filter(Position.unit_id == group.unit_id, Position.role == "lokallagsleder")
            .first()
        )
        assert leader is not None, "the demo register gives every lokallag a leader"
        body = "\n\n".join(f"## Del {n}\n\n{PARAGRAPH}" for n in range(1, 6))
        item = editing.create_item(
            session, leader, Place(group), "page", ItemText(title="Slik jobber vi")
        )
        editing.save_item(
            session, leader, item, ItemText(title="Slik jobber vi", body=body), item.version
        )
        workflow.transition(session, leader, item, "publiser")
        session.commit()
        print("  content page added to the dataset")


def _probe_group_id() -> int:
    with contextlib.closing(sqlite3.connect(DB_PATH)) as db:
        return int(
            db.execute("SELECT group_id FROM discussion_thread ORDER BY id LIMIT 1").fetchone()[0]
        )


# -- serving -------------------------------------------------------------------------------


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@dataclass
class Server:
    process: subprocess.Popen[bytes]
    port: int

    def tree(self) -> list[int]:
        """The master and every process below it."""
        children: dict[int, list[int]] = {}
        for entry in Path("/proc").iterdir():
            if entry.name.isdigit():
                try:
                    fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
                except OSError:
                    continue
                children.setdefault(int(fields[1]), []).append(int(entry.name))
        found, todo = [], [self.process.pid]
        while todo:
            pid = todo.pop()
            found.append(pid)
            todo.extend(children.get(pid, []))
        return found

    def cpu_seconds(self) -> float:
        """User + system CPU time of the tree so far (the workers live as long as the test)."""
        ticks = 0
        for pid in self.tree():
            try:
                fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            ticks += int(fields[11]) + int(fields[12])  # utime, stime
        return ticks / os.sysconf("SC_CLK_TCK")

    def memory_mb(self) -> tuple[float, float]:
        """RSS and PSS of the process tree in MB (PSS shares forked pages fairly)."""
        rss = pss = 0
        for pid in self.tree():
            try:
                for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
                    if line.startswith("Rss:"):
                        rss += int(line.split()[1])
                    elif line.startswith("Pss:"):
                        pss += int(line.split()[1])
            except OSError:
                continue
        return rss / 1024, pss / 1024

    def stop(self) -> None:
        self.process.send_signal(signal.SIGTERM)
        try:
            self.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.process.kill()


def serve(app_spec: str, workers: int, env: dict[str, str]) -> Server:
    port = _free_port()
    command = [
        sys.executable, "-m", "gunicorn", "--workers", str(workers), "--worker-class", "sync",
        "--bind", f"127.0.0.1:{port}", "--preload", "--log-level", "warning", app_spec,
    ]  # fmt: skip
    process = subprocess.Popen(command, env={**os.environ, **env})  # noqa: S603 - fixed args
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"gunicorn exited ({process.returncode}) serving {app_spec}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                break
        except OSError:
            time.sleep(0.2)
    else:
        process.kill()
        raise RuntimeError(f"{app_spec} did not start")
    time.sleep(1.0)  # let every worker finish booting before the idle reading
    return Server(process, port)


# -- logging in through the code flow --------------------------------------------------------


class Browser:
    """A keep-alive HTTP client with cookies and CSRF tokens, enough for the login forms."""

    def __init__(self, port: int) -> None:
        self.connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        self.cookies: dict[str, str] = {}

    def request(
        self, method: str, path: str, form: dict[str, str] | None = None
    ) -> tuple[int, str, str]:
        headers = {"Cookie": self.cookie_header()}
        body = None
        if form is not None:
            body = urllib.parse.urlencode(form)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        self.connection.request(method, path, body=body, headers=headers)
        response = self.connection.getresponse()
        text = response.read().decode("utf-8", "replace")
        for header in response.headers.get_all("Set-Cookie") or []:
            name, _, rest = header.partition("=")
            self.cookies[name.strip()] = rest.split(";", 1)[0]
        return response.status, response.headers.get("Location", ""), text

    def cookie_header(self) -> str:
        return "; ".join(f"{k}={v}" for k, v in self.cookies.items() if v)

    def post_form(self, page: str, action: str, fields: dict[str, str]) -> tuple[int, str, str]:
        _status, _location, html = self.request("GET", page)
        token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', html)
        return self.request(
            "POST", action, {**fields, "csrf_token": token.group(1) if token else ""}
        )


def log_in(port: int, outbox: Path, address: str, number: int) -> str:
    browser = Browser(port)
    browser.post_form("/logg-inn", "/logg-inn", {"identifier": address})
    message = email.message_from_bytes(max(outbox.glob("*.eml"), key=os.path.getmtime).read_bytes())
    text = "".join(
        part.get_payload(decode=True).decode("utf-8", "replace")
        for part in message.walk()
        if part.get_content_type() == "text/plain"
    )
    code = re.search(r"\b(\d{6})\b", text)
    assert code, "no code in the login e-mail"
    _status, location, _ = browser.post_form(
        "/logg-inn/kode", "/logg-inn/kode", {"code": code.group(1)}
    )
    if location.endswith("/logg-inn/hvem"):
        browser.post_form("/logg-inn/hvem", "/logg-inn/hvem", {"member": str(number)})
    status, _location, _ = browser.request("GET", "/")
    assert status == 200, f"login failed ({status})"
    return browser.cookie_header()


# -- measuring -----------------------------------------------------------------------------


@dataclass
class Load:
    rate: float  # requests/s under wrk
    errors: int  # non-2xx/3xx answers, socket errors and timeouts
    cpu_ms: float  # server CPU per request: what the page costs, whatever else the machine does
    p50: float = 0.0  # single-connection median, ms


def load(server: Server, path: str, cookie: str, args: argparse.Namespace) -> Load:
    cpu_before = server.cpu_seconds()
    rate, errors, count = wrk(server.port, path, cookie, args.seconds, args.connections)
    cpu_ms = (server.cpu_seconds() - cpu_before) * 1000 / max(count, 1)
    return Load(rate, errors, cpu_ms, single_p50(server.port, path, cookie, args.single))


def wrk(
    port: int, path: str, cookie: str, seconds: int, connections: int
) -> tuple[float, int, int]:
    """Requests/s, the count of non-2xx/3xx answers plus socket errors and timeouts, and the
    number of requests made."""
    command = [
        WRK, f"-t{min(2, connections)}", f"-c{connections}", f"-d{seconds}s", "--timeout", "10s",
        "-H", f"Cookie: {cookie}",
        f"http://127.0.0.1:{port}{path}",
    ]  # fmt: skip
    output = subprocess.run(command, capture_output=True, text=True, check=True).stdout  # noqa: S603
    rate = re.search(r"Requests/sec:\s+([\d.]+)", output)
    errors = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", output)
    sockets = re.search(
        r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", output
    )
    failed = int(errors.group(1)) if errors else 0
    failed += sum(int(n) for n in sockets.groups()) if sockets else 0
    count = re.search(r"(\d+) requests in", output)
    return (float(rate.group(1)) if rate else 0.0), failed, int(count.group(1)) if count else 0


def single_p50(port: int, path: str, cookie: str, count: int) -> float:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    times = []
    for _ in range(count):
        started = time.perf_counter()
        connection.request("GET", path, headers={"Cookie": cookie})
        connection.getresponse().read()
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times)


class PeakSampler:
    """Samples the server tree's memory every 200 ms while load runs (cheaply: the
    machine running wrk and the server has few cores)."""

    def __init__(self, server: Server) -> None:
        self.server, self.peak = server, (0.0, 0.0)
        self.stop = threading.Event()
        self.thread = threading.Thread(target=self._loop, daemon=True)

    def _loop(self) -> None:
        while not self.stop.wait(0.2):
            rss, pss = self.server.memory_mb()
            self.peak = (max(self.peak[0], rss), max(self.peak[1], pss))

    def __enter__(self) -> PeakSampler:
        self.thread.start()
        return self

    def __exit__(self, *_exc: object) -> None:
        self.stop.set()
        self.thread.join()


def statements_per_page(
    paths: dict[str, str], address: str, number: int, instance: Path
) -> dict[str, int]:
    """SQL statements one request of each page runs, counted in-process."""
    from sqlalchemy import event

    from innsiden import create_app

    os.environ.update(_environment(instance))
    app = create_app({"RATELIMIT_ENABLED": False, "WTF_CSRF_ENABLED": False})
    client = app.test_client()
    engine = app.extensions["innsiden.engine"]
    count = [0]

    def counted(*_args: object) -> None:
        count[0] += 1

    event.listen(engine, "before_cursor_execute", counted)
    outbox = Path(app.config["OUTBOX_DIR"])
    _client_login(client, outbox, address, number)
    counts = {}
    for name, path in paths.items():
        client.get(path)  # warm
        count[0] = 0
        client.get(path)
        counts[name] = count[0]
    event.remove(engine, "before_cursor_execute", counted)
    return counts


def _client_login(client: object, outbox: Path, address: str, number: int) -> None:
    client.post("/logg-inn", data={"identifier": address})  # type: ignore[attr-defined]
    message = email.message_from_bytes(max(outbox.glob("*.eml"), key=os.path.getmtime).read_bytes())
    text = "".join(
        part.get_payload(decode=True).decode("utf-8", "replace")
        for part in message.walk()
        if part.get_content_type() == "text/plain"
    )
    code = re.search(r"\b(\d{6})\b", text)
    assert code
    response = client.post("/logg-inn/kode", data={"code": code.group(1)})  # type: ignore[attr-defined]
    if response.location.endswith("/logg-inn/hvem"):
        client.post("/logg-inn/hvem", data={"member": str(number)})  # type: ignore[attr-defined]


def _probe_targets() -> tuple[dict[str, str], int, str, int]:
    """Paths to measure, the bare page's thread id, and the member who logs in."""
    with contextlib.closing(sqlite3.connect(DB_PATH)) as db:
        group_id, thread_id = db.execute(
            "SELECT group_id, id FROM discussion_thread ORDER BY id LIMIT 1"
        ).fetchone()
        number, address = db.execute(
            "SELECT m.number, m.email FROM member m "
            "JOIN portal_group g ON g.unit_id = m.lokallag_id "
            "WHERE g.id = ? AND m.status = 'aktiv' AND m.email IS NOT NULL "
            "ORDER BY m.number LIMIT 1",
            (group_id,),
        ).fetchone()
    paths = {
        "thread page": f"/diskusjoner/traad/{thread_id}",
        "group listing": f"/diskusjoner/gruppe/{group_id}",
        "search": "/sok?q=budsjett",
        "front page": "/",
    }
    with contextlib.closing(sqlite3.connect(DB_PATH)) as db:
        page = db.execute(
            "SELECT id FROM content_item WHERE group_id = ? AND state = 'publisert' "
            "ORDER BY id LIMIT 1",
            (group_id,),
        ).fetchone()
    if page is not None:
        paths["content page"] = f"/innhold/{page[0]}"
    return paths, thread_id, address, number


def run(args: argparse.Namespace, tmp: Path) -> int:
    paths, thread_id, address, number = _probe_targets()
    for extra in args.extra:
        paths[extra] = extra
    instance = tmp / "instance"
    env = _environment(instance)
    statements = statements_per_page(paths, address, number, tmp / "counting")
    bare_env = {"BARE_DATABASE": str(DB_PATH), "BARE_THREAD": str(thread_id)}
    results: dict[str, Load] = {}

    # The bare page is measured before and after the portal, and the ratio taken to their
    # mean: on a shared machine, load that comes and goes then weighs on both sides alike.
    bare_before, bare_idle = _measure_bare(bare_env, args)
    server = serve(args.app, args.workers, env)
    try:
        idle = server.memory_mb()
        cookie = log_in(server.port, instance / "outbox", address, number)
        _check_pages(server.port, paths, cookie)
        with PeakSampler(server) as sampler:
            for name, path in paths.items():
                results[name] = load(server, path, cookie, args)
        peak = sampler.peak
    finally:
        server.stop()
    bare_after, _idle = _measure_bare(bare_env, args)
    bare = Load(
        (bare_before.rate + bare_after.rate) / 2,
        bare_before.errors + bare_after.errors,
        (bare_before.cpu_ms + bare_after.cpu_ms) / 2,
        (bare_before.p50 + bare_after.p50) / 2,
    )
    results = {"bare Flask page": bare, **results}
    print(
        f"  bare page req/s before / after the portal: "
        f"{bare_before.rate:.0f} / {bare_after.rate:.0f}"
    )
    _report(results, statements, idle, peak, bare_idle, args)
    return 0


def _measure_bare(
    env: dict[str, str], args: argparse.Namespace
) -> tuple[Load, tuple[float, float]]:
    bare = serve("bench.bare_app:app", args.workers, env)
    try:
        idle = bare.memory_mb()
        return load(bare, "/", "", args), idle
    finally:
        bare.stop()


def _check_pages(port: int, paths: dict[str, str], cookie: str) -> None:
    """Every probe must be the page itself: a redirect (unread posts, login) or an error
    page would be measured as a fast page."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    for name, path in paths.items():
        connection.request("GET", path, headers={"Cookie": cookie})
        response = connection.getresponse()
        response.read()
        if response.status != 200:
            raise RuntimeError(f"{name} ({path}) answered {response.status}, not 200")


def _report(
    results: dict[str, Load],
    statements: dict[str, int],
    idle: tuple[float, float],
    peak: tuple[float, float],
    bare_idle: tuple[float, float],
    args: argparse.Namespace,
) -> None:
    bare = results["bare Flask page"]
    print(
        f"pages: gunicorn {args.workers} sync workers, wrk {args.connections} connections × "
        f"{args.seconds} s, p50 over {args.single} single-connection requests"
    )
    print(
        f"  {'page':<18} {'req/s':>7} {'÷ bare':>7} {'p50 ms':>7} {'CPU ms':>7} {'÷ bare':>7}"
        f" {'SQL':>4} {'errors':>7}"
    )
    for name, result in results.items():
        ratio = (bare.rate or 1.0) / result.rate if result.rate else float("inf")
        cpu_ratio = result.cpu_ms / bare.cpu_ms if bare.cpu_ms else float("inf")
        sql = statements.get(name, "")
        print(
            f"  {name:<18} {result.rate:7.0f} {ratio:6.1f}× {result.p50:7.1f} "
            f"{result.cpu_ms:7.1f} {cpu_ratio:6.1f}× {sql!s:>4} {result.errors:7d}"
        )
    print(
        f"  memory (master + workers): idle RSS {idle[0]:.0f} MB / PSS {idle[1]:.0f} MB; "
        f"peak RSS {peak[0]:.0f} MB / PSS {peak[1]:.0f} MB "
        f"(goals: under {GOAL_IDLE_MB} MB idle, {GOAL_PEAK_MB} MB peak)"
    )
    print(f"  bare Flask app idle: RSS {bare_idle[0]:.0f} MB / PSS {bare_idle[1]:.0f} MB")
    print(f"  goal: thread page and group listing within {GOAL_RATIO:.0f}× of the bare page")
    print(
        "  (CPU ms: the server's CPU time per request under wrk, which a busy machine moves "
        "far less than req/s)"
    )


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
