"""`innsiden backup`: the database and a manifest of the stored objects, in one folder.

- PostgreSQL: `pg_dump --format=custom` (restore with `pg_restore --no-owner -d NEWDB`);
  SQLite: the online backup API (a consistent copy while the portal runs).
- `manifest.json`: every storage key a row points at, with its size where the row knows
  it, and whether storage held it at backup time. The objects themselves stay in storage:
  on S3 keep bucket versioning on (deleted or overwritten objects stay restorable); on
  local disk copy INNSIDEN_UPLOADS_DIR after the dump (`rsync -a`), never before.
- `innsiden backup check FOLDER` answers whether storage holds every object the manifest
  names (after a restore, or in a restore drill).

The search index is never backed up: `innsiden search rebuild` re-derives it from the rows.
"""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import subprocess
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session

from innsiden.storage import Storage
from innsiden.storedkeys import key_columns
from membersync.db import utcnow

MANIFEST = "manifest.json"


@dataclass(frozen=True)
class BackupResult:
    folder: Path
    database_file: Path
    objects: int
    missing: int  # keys rows point at that storage did not hold at backup time


def referenced_keys(session: Session) -> list[str]:
    keys: set[str] = set()
    for column in key_columns():
        keys.update(k for k in session.scalars(select(column).where(column.is_not(None))) if k)
    return sorted(keys)


def dump_database(url: str, folder: Path) -> Path:
    parsed = make_url(url)
    if parsed.get_backend_name() == "postgresql":
        target = folder / "database.dump"
        subprocess.run(  # noqa: S603 - fixed program, arguments from our own settings
            [_program("pg_dump"), "--format=custom", "--no-owner", "--file", str(target),
             "--dbname", _libpq(url)],
            check=True, env=_pg_env(url),
        )  # fmt: skip
        return target
    if parsed.get_backend_name() == "sqlite" and parsed.database:
        target = folder / "database.sqlite3"
        source = sqlite3.connect(parsed.database)
        copy = sqlite3.connect(target)
        try:
            source.backup(copy)  # online: consistent while writers go on
        finally:
            copy.close()
            source.close()
        return target
    raise RuntimeError(f"cannot back up a {parsed.get_backend_name()} database")


def restore_database(dump: Path, url: str) -> None:
    """Restore a dump made by `dump_database` into an empty database at `url`."""
    if dump.suffix == ".dump":
        subprocess.run(  # noqa: S603 - fixed program, arguments from our own settings
            [_program("pg_restore"), "--no-owner", "--exit-on-error", "--dbname", _libpq(url),
             str(dump)],
            check=True, env=_pg_env(url),
        )  # fmt: skip
    else:
        database = make_url(url).database
        assert database, "restore needs a file for SQLite"
        shutil.copyfile(dump, database)


def backup(session: Session, storage: Storage, url: str, target: Path) -> BackupResult:
    """Dump the database into a new folder under `target`, then write the manifest."""
    folder = target / f"innsiden-{utcnow():%Y%m%dT%H%M%SZ}"
    folder.mkdir(parents=True)
    database_file = dump_database(url, folder)
    # After the dump: every key the dump's rows point at was stored before the dump began
    # (rows come second), so the manifest of now holds them all (and maybe a few more).
    keys = referenced_keys(session)
    present = {key for key in keys if storage.exists(key)}
    manifest: dict[str, Any] = {
        "created_at": utcnow().isoformat(),
        "database": database_file.name,
        "objects": [{"key": key, "stored": key in present} for key in keys],
    }
    (folder / MANIFEST).write_text(json.dumps(manifest, indent=1))
    return BackupResult(folder, database_file, len(keys), len(keys) - len(present))


def missing_objects(folder: Path, storage: Storage) -> list[str]:
    """Keys the manifest names that storage does not hold now."""
    manifest = json.loads((folder / MANIFEST).read_text())
    return [item["key"] for item in manifest["objects"] if not storage.exists(item["key"])]


def created_at(folder: Path) -> datetime:
    return datetime.fromisoformat(json.loads((folder / MANIFEST).read_text())["created_at"])


def _program(name: str) -> str:
    found = shutil.which(name)
    if found is None:
        raise RuntimeError(f"{name} not found: install postgresql-client")
    return found


def _libpq(url: str) -> str:
    # libpq knows postgresql://, not SQLAlchemy's driver suffix; the password goes by env.
    parsed = make_url(url).set(drivername="postgresql", password=None)
    return parsed.render_as_string(hide_password=False)


def _pg_env(url: str) -> dict[str, str]:
    env = dict(os.environ)
    password = make_url(url).password
    if password:
        env["PGPASSWORD"] = str(password)
    return env
