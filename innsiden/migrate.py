"""Schema migrations through Alembic: the only way Innsiden's tables are created or changed."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config

MIGRATIONS = Path(__file__).parent / "migrations"


def alembic_config(database_url: str) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    # Files are named by their revision id (0002_auth.py …) so they sort in order.
    config.set_main_option("file_template", "%%(rev)s")
    config.set_main_option("sqlalchemy.url", database_url.replace("%", "%%"))
    return config


def upgrade(database_url: str, revision: str = "head") -> None:
    """Bring the database at `database_url` to `revision` (the newest by default)."""
    command.upgrade(alembic_config(database_url), revision)


def revision(database_url: str, message: str, rev_id: str | None = None) -> None:
    """Write a new migration from the difference between the models and the database."""
    command.revision(
        alembic_config(database_url), message=message, autogenerate=True, rev_id=rev_id
    )
