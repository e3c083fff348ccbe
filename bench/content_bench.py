"""Content benchmark: a lokallag's news page, and a page deep in a tree of 2,000 pages with
50 versions each (SQLite).

    python -m bench.content_bench [--rebuild] [--rounds 50]

The dataset (bench/data/content.db) is generated once with set-wise inserts and reused:
20 fylkeslag × 20 lokallag × 20 members; lokallag L0001 has 2,000 pages (20 top pages,
10 children each, 9 grandchildren each) with 50 versions each (100,000 versions) and 300
news items; its fylkeslag and the organisation add 60 cascading news items, and every other
lokallag has news of its own. Measured through the Flask test client, warm, one worker:
the median (p50) and the SQL statement count of each page, which must be the same
whichever page of the tree is shown (target p50 < 30 ms, a fixed number of statements).
"""

from __future__ import annotations

import argparse
import os
import sqlite3
import statistics
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

DATA = Path(__file__).parent / "data"
DB_PATH = DATA / "content.db"
SECRET = "content-bench-secret"  # noqa: S105 - signs the bench's own session cookies
TARGET_MS = 30.0
FYLKER, LAG_PER_FYLKE, MEMBERS_PER_LAG = 20, 20, 20
TOP, CHILDREN, GRANDCHILDREN, VERSIONS = 20, 10, 9, 50
NEWS_OWN, NEWS_CASCADING, NEWS_ELSEWHERE = 300, 30, 5
BODY = (
    "Lokallaget møtes første tirsdag i måneden. Her står det vi har blitt enige om, "
    "og hvordan du kan bidra.\n\n## Slik gjør vi det\n\n1. Les sakspapirene.\n"
    "2. Meld deg på.\n3. Ta med en venn.\n"
)
HTML = (
    "<p>Lokallaget møtes første tirsdag i måneden. Her står det vi har blitt enige om, "
    "og hvordan du kan bidra.</p><h3>Slik gjør vi det</h3><ol><li>Les sakspapirene.</li>"
    "<li>Meld deg på.</li><li>Ta med en venn.</li></ol>"
)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.content_bench")
    parser.add_argument("--rebuild", action="store_true", help="generate the dataset again")
    parser.add_argument("--rounds", type=int, default=50, help="timed requests per page")
    args = parser.parse_args(argv)
    if args.rebuild or not DB_PATH.exists():
        build(DB_PATH)
    results = measure(f"sqlite:///{DB_PATH}", args.rounds)
    slow = any(ms >= TARGET_MS for ms, _n in results.values())
    pages = [n for name, (_ms, n) in results.items() if name.startswith("page")]
    return 1 if slow or len(set(pages)) != 1 else 0


def _ts(moment: datetime) -> str:
    # How SQLAlchemy stores an aware UTC timestamp on SQLite (membersync.db.UTCDateTime).
    return moment.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S.%f")


def build(path: Path) -> None:
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
    _register(db, _ts(now))
    _pages(db, now)
    _news(db, now)
    db.execute("COMMIT")
    db.execute("ANALYZE")
    db.execute("PRAGMA journal_mode=WAL")
    db.close()
    print(f"  dataset built in {time.perf_counter() - started:.0f} s → {path}")


def _register(db: sqlite3.Connection, stamp: str) -> None:
    """Units, members and location groups: L0001 is group 1, fylkeslag F01 group 401."""
    units = [("S", "Sentralt", "sentralt", None, None, stamp, stamp)]
    lags = []
    for f in range(1, FYLKER + 1):
        units.append((f"F{f:02d}", f"Fylke {f}", "fylkeslag", "S", None, stamp, stamp))
        for n in range(LAG_PER_FYLKE):
            lag = f"L{(f - 1) * LAG_PER_FYLKE + n + 1:04d}"
            lags.append(lag)
            units.append((lag, f"Lokallag {lag[1:]}", "lokallag", f"F{f:02d}", None, stamp, stamp))
    db.executemany("INSERT INTO org_unit VALUES (?, ?, ?, ?, ?, ?, ?)", units)
    members, number = [], 0
    for lag in lags:
        for _ in range(MEMBERS_PER_LAG):
            number += 1
            members.append((
                number, "Medlem", f"Nr{number}", f"m{number}@example.no", None, None, None,
                None, None, lag, "aktiv", "2020-01-01", "2030-12-31", None, 1, 0, stamp,
            ))  # fmt: skip
    db.executemany(f"INSERT INTO member VALUES ({', '.join('?' * 17)})", members)  # noqa: S608 - only marks
    db.execute("INSERT INTO position VALUES (1, 'lokallagsleder', 'L0001')")
    groups = [(i, "lokallag", lag) for i, lag in enumerate(lags, start=1)]
    groups += [(len(lags) + f, "fylkeslag", f"F{f:02d}") for f in range(1, FYLKER + 1)]
    db.executemany(
        "INSERT INTO portal_group (id, kind, unit_id, description, status, created_at) "
        "VALUES (?, ?, ?, '', 'active', ?)",
        [(*g, stamp) for g in groups],
    )


_ITEM = (
    "INSERT INTO content_item (id, kind, group_id, parent_id, position, title, lead, "
    "body_source, body_html, state, live, cascade, inherit_roles, published_at, version, "
    "created_by, created_at, updated_at) "
    "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 'publisert', 1, ?, 1, ?, ?, 2, ?, ?)"
)


def _pages(db: sqlite3.Connection, now: datetime) -> None:
    rows, item_id = [], 0
    stamp = _ts(now - timedelta(days=30))

    def add(parent: int | None, position: int, title: str) -> int:
        nonlocal item_id
        item_id += 1
        rows.append((item_id, "page", 1, parent, position, title, "", BODY, HTML, 0, stamp,
                     VERSIONS, stamp, stamp))  # fmt: skip
        return item_id

    for t in range(TOP):
        top = add(None, t, f"Tema {t + 1}")
        for c in range(CHILDREN):
            child = add(top, c, f"Tema {t + 1}.{c + 1}")
            for g in range(GRANDCHILDREN):
                add(child, g, f"Tema {t + 1}.{c + 1}.{g + 1}")
    db.executemany(_ITEM, rows)
    versions = (
        (page, number, f"Side {page}", f"{BODY}\nEndring {number}.", 2, stamp)
        for page in range(1, item_id + 1)
        for number in range(1, VERSIONS + 1)
    )
    db.executemany(
        "INSERT INTO content_version (item_id, number, title, lead, body_source, note, saved_by, "
        "saved_at) VALUES (?, ?, ?, '', ?, '', ?, ?)",
        versions,
    )


def _news(db: sqlite3.Connection, now: datetime) -> None:
    start = db.execute("SELECT max(id) FROM content_item").fetchone()[0] + 1
    rows = []
    places = [(1, False, NEWS_OWN), (401, True, NEWS_CASCADING), (None, True, NEWS_CASCADING)]
    places += [(g, False, NEWS_ELSEWHERE) for g in range(2, 421) if g != 401]
    for group, cascade, count in places:
        for _n in range(count):
            item = start + len(rows)
            when = _ts(now - timedelta(hours=item))
            rows.append((item, "news", group, None, 0, f"Nyhet {item}", "Kort ingress om saken.",
                         BODY, HTML, int(cascade), when, 1, when, when))  # fmt: skip
    db.executemany(_ITEM, rows)


def _app(url: str, instance: str):  # noqa: ANN202 - a Flask app
    os.environ["INNSIDEN_INSTANCE_PATH"] = instance
    from innsiden import create_app

    return create_app({
        "DATABASE_URL": url, "SECRET_KEY": SECRET, "WTF_CSRF_ENABLED": False,
        "RATELIMIT_ENABLED": False, "OUTBOX_DIR": f"{instance}/outbox",
        "UPLOADS_DIR": f"{instance}/uploads",
    })  # fmt: skip


def measure(url: str, rounds: int) -> dict[str, tuple[float, int]]:
    from sqlalchemy import event

    from innsiden.auth.session import credential_id
    from innsiden.db import session_factory
    from membersync.models import Member

    instance = tempfile.mkdtemp(prefix="content-bench-")
    app = _app(url, instance)
    with app.app_context(), session_factory(app)() as session:
        credential = credential_id(session.get(Member, 2))  # an ordinary member of L0001
    client = app.test_client()
    with client.session_transaction() as cookie:
        cookie["_user_id"], cookie["_fresh"] = credential, True
    deep = TOP * (1 + CHILDREN * (1 + GRANDCHILDREN))  # the last grandchild
    pages = {
        "news page of a lokallag (20 of 360)": "/innhold/sted/1/nyheter",
        "page at the top of the tree": "/innhold/1",
        "page two levels down (2,000 pages)": f"/innhold/{deep}",
        "API: news of a lokallag (100)": "/api/v1/content?place=1&kind=news",
    }
    engine = app.extensions["innsiden.engine"]
    results = {}
    print(f"  p50 of {rounds} warm requests, one worker (target < {TARGET_MS:.0f} ms):")
    for name, path in pages.items():
        for _ in range(5):
            assert client.get(path).status_code == 200, path
        statements: list[str] = []

        def count(_c, _cur, statement, *_a: object, found=statements) -> None:  # noqa: ANN001
            found.append(statement)

        event.listen(engine, "before_cursor_execute", count)
        client.get(path)
        event.remove(engine, "before_cursor_execute", count)
        timings, cpu = [], []
        for _ in range(rounds):
            started, started_cpu = time.perf_counter(), time.process_time()
            response = client.get(path)
            timings.append((time.perf_counter() - started) * 1000)
            cpu.append((time.process_time() - started_cpu) * 1000)
            assert response.status_code == 200
        p50 = statistics.median(timings)
        results[("page " if path.startswith("/innhold/") and "sted" not in path else "") + name] = (
            p50, len(statements),
        )  # fmt: skip
        verdict = "ok" if p50 < TARGET_MS else "SLOW"
        print(f"    {name:40s} {p50:6.1f} ms  (cpu {statistics.median(cpu):5.1f} ms)  "
              f"{len(statements):3d} statements  {verdict}")  # fmt: skip
    return results


if __name__ == "__main__":
    raise SystemExit(main())
