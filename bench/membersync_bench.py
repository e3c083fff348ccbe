"""membersync benchmark: 200,000 members in 400 lokallag, on SQLite and on PostgreSQL.

    python -m bench.membersync_bench [--members N] [--lokallag N] [--backend sqlite|postgresql]

Per backend: a first full sync into an empty mirror, a repeat with no changes, and a run with
1 % of members changed (moves, resignations, new e-mail addresses, new positions). Each run is
a fresh process pinned to one core, so its time and its peak memory (resident, interpreter
and libraries included) are its own. Besides wall time it prints the process's CPU time: on
SQLite that is all the work, and it does not grow when other processes share the machine.
Targets: first < 30 s, repeat < 10 s, 1 % < 10 s, peak < 500 MB.
PostgreSQL runs in a scratch database (INNSIDEN_TEST_POSTGRES_URL, as the test suite), dropped
afterwards; it is skipped if no server answers.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

POSTGRES_URL = os.environ.get(
    "INNSIDEN_TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test"
)
TARGETS = {"first": 30.0, "repeat": 10.0, "one_percent": 10.0}
PEAK_TARGET_MB = 500.0


def main(argv: list[str] | None = None) -> int:
    args = _arguments(argv)
    if args.phase:
        return _measure(args.url, args.source)
    with tempfile.TemporaryDirectory(prefix="membersync-bench-") as folder:
        work = Path(folder)
        sources = _write_registers(work, args.members, args.lokallag)
        print(f"membersync: {args.members:,} members in {args.lokallag} lokallag, one core per run")
        failed = False
        for backend in args.backend or ["sqlite", "postgresql"]:
            with _database(backend, work) as url:
                if url is None:
                    print(f"  {backend}: skipped (no server)")
                    continue
                failed |= _run_backend(backend, url, sources)
    return 1 if failed else 0


def _arguments(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench.membersync_bench")
    parser.add_argument("--members", type=int, default=200_000)
    parser.add_argument("--lokallag", type=int, default=400)
    parser.add_argument("--backend", action="append", choices=["sqlite", "postgresql"])
    parser.add_argument("--phase", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--url", help=argparse.SUPPRESS)
    parser.add_argument("--source", help=argparse.SUPPRESS)
    return parser.parse_args(argv)


def _write_registers(work: Path, members: int, lokallag: int) -> dict[str, Path]:
    from membersync import demo_register

    register = demo_register.generate(members, lokallag=lokallag)
    first = register.write_csv(work / "first")
    _change_one_percent(register, random.Random(7))
    changed = register.write_csv(work / "changed")
    return {"first": first, "repeat": first, "one_percent": changed}


def _change_one_percent(register: object, rng: random.Random) -> None:
    members = register.members  # type: ignore[attr-defined]
    lokallag = [u["id"] for u in register.units if u["type"] == "lokallag"]  # type: ignore[attr-defined]
    chosen = rng.sample(range(2, len(members)), len(members) // 100)
    for turn, index in enumerate(chosen):
        row = members[index]
        match turn % 4:
            case 0:
                row["lokallag_id"] = rng.choice(lokallag)
            case 1:
                row["status"] = "utmeldt" if row["status"] in {"aktiv", "restanse"} else "aktiv"
            case 2:
                row["epost"] = f"ny.adresse{index}@example.no"
            case _:
                row["verv"] = f"styremedlem@{row['lokallag_id']}"
        row["endret"] = "2026-11-20T09:00:00+01:00"


@contextmanager
def _database(backend: str, work: Path) -> Iterator[str | None]:
    from innsiden import migrate

    if backend == "sqlite":
        url = f"sqlite:///{work / 'bench.db'}"
        migrate.upgrade(url)
        yield url
        return
    import psycopg
    from sqlalchemy.engine import make_url

    server = make_url(POSTGRES_URL)
    admin = {
        "host": server.host, "port": server.port or 5432, "user": server.username,
        "password": server.password, "dbname": server.database, "autocommit": True,
    }  # fmt: skip
    try:
        psycopg.connect(**admin, connect_timeout=3).close()
    except psycopg.Error:
        yield None
        return
    name = f"membersync_bench_{uuid.uuid4().hex[:10]}"
    with psycopg.connect(**admin) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    try:
        url = server.set(database=name).render_as_string(hide_password=False)
        migrate.upgrade(url)
        yield url
    finally:
        with psycopg.connect(**admin) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _run_backend(backend: str, url: str, sources: dict[str, Path]) -> bool:
    failed = False
    for phase, source in sources.items():
        figures = _run_phase(url, source)
        over = figures["seconds"] >= TARGETS[phase] or figures["peak_mb"] >= PEAK_TARGET_MB
        failed |= over
        print(
            f"  {backend:<10} {phase:<12} {figures['seconds']:6.1f} s "
            f"(target < {TARGETS[phase]:.0f} s, cpu {figures['cpu']:5.1f} s)  "
            f"peak {figures['peak_mb']:4.0f} MB"
            f"{'  OVER TARGET' if over else ''}  {figures['summary']}",
            flush=True,
        )
    return failed


def _run_phase(url: str, source: Path) -> dict[str, object]:
    command = [sys.executable, "-m", "bench.membersync_bench", "--phase", "--url", url]
    command += ["--source", str(source)]
    done = subprocess.run(command, capture_output=True, text=True, check=True)  # noqa: S603
    return json.loads(done.stdout.strip().splitlines()[-1])


def _measure(url: str, source: str) -> int:
    """One run in this process, pinned to one core; prints its figures as JSON."""
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})
    from sqlalchemy.orm import sessionmaker

    from membersync.db import engine_for_url
    from membersync.sync import SyncOptions, run_sync

    factory = sessionmaker(engine_for_url(url), expire_on_commit=False)
    started, cpu_started = time.perf_counter(), time.process_time()
    result = run_sync(factory, source, SyncOptions(trigger="bench", actor="benchmark"))
    seconds, cpu = time.perf_counter() - started, time.process_time() - cpu_started
    peak_mb = _peak_mb()
    figures = {"seconds": seconds, "cpu": cpu, "peak_mb": peak_mb, "summary": result.summary()}
    print(json.dumps(figures))
    return 0 if result.outcome == "applied" else 1


def _peak_mb() -> float:
    """This process's peak resident memory. Linux's VmHWM starts afresh at exec; ru_maxrss
    would carry over the parent's peak (the generator's)."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


if __name__ == "__main__":
    sys.exit(main())
