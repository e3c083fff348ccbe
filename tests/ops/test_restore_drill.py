"""The restore drill: back up a portal with files in it, restore the dump into a new
database, re-derive the search index, and find every file again — by search, by download,
and in the manifest check. On PostgreSQL through pg_dump/pg_restore; on SQLite through the
online backup API."""

from __future__ import annotations

import uuid
from pathlib import Path

import psycopg
import pytest
from sqlalchemy.engine import make_url

from innsiden import create_app
from innsiden.ops import backup
from tests import services
from tests.conftest import login_as
from tests.files.helpers import PDF, client_for, fetch, make_org, uploaded_id

PAPERS = {
    "Årsmøtereferat 2026.pdf": PDF + b"% referat\n",
    "Budsjettforslag vindkraft.pdf": PDF + b"% budsjett\n",
}


def _new_database(url: str, tmp_path: Path):
    """An empty database of the same kind as `url`, and how to drop it."""
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        return f"sqlite:///{tmp_path / 'restored.db'}", lambda: None
    name = f"innsiden_restore_{uuid.uuid4().hex[:10]}"
    server = make_url(services.POSTGRES_URL)
    admin = dict(
        host=server.host, port=server.port or 5432, user=server.username,
        password=server.password, dbname=server.database, autocommit=True,
    )  # fmt: skip
    with psycopg.connect(**admin) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')

    def drop() -> None:
        with psycopg.connect(**admin) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    return parsed.set(database=name).render_as_string(hide_password=False), drop


def test_a_restored_dump_with_a_rebuilt_index_finds_every_file(
    app, app_config, db, tmp_path, monkeypatch
):
    if make_url(app_config["DATABASE_URL"]).get_backend_name() == "postgresql":
        for program in ("pg_dump", "pg_restore"):
            if not backup.shutil.which(program):
                pytest.skip(f"{program} not installed")
    org = make_org(db)
    leader = client_for(app, org.leader)
    ids = {name: uploaded_id(leader, org.bergen, name, body) for name, body in PAPERS.items()}

    result = app.test_cli_runner().invoke(args=["backup", "--to", str(tmp_path / "backups")])
    assert result.exit_code == 0, result.output
    [folder] = (tmp_path / "backups").iterdir()
    assert result.output.rstrip().endswith("2 objects")  # one per uploaded paper

    restored_url, drop = _new_database(app_config["DATABASE_URL"], tmp_path)
    try:
        backup.restore_database(next(folder.glob("database.*")), restored_url)
        monkeypatch.setenv("INNSIDEN_INSTANCE_PATH", str(tmp_path / "restored-instance"))
        restored = create_app(
            {**app_config, "DATABASE_URL": restored_url, "SEARCH_DIR": str(tmp_path / "idx")}
        )
        runner = restored.test_cli_runner()
        rebuilt = runner.invoke(args=["search", "rebuild"])
        assert rebuilt.exit_code == 0, rebuilt.output
        checked = runner.invoke(args=["backup", "check", str(folder)])
        assert checked.exit_code == 0, checked.output
        assert "0 objects missing" in checked.output

        member = restored.test_client()
        login_as(member, org.member)
        for name, body in PAPERS.items():
            word = name.split()[0].removesuffix(".pdf")
            page = member.get("/sok", query_string={"q": word})
            assert f"/filer/{ids[name]}" in page.text, name
            assert fetch(member, f"/filer/{ids[name]}/last-ned") == body
        restored.extensions["innsiden.engine"].dispose()
    finally:
        drop()
