"""Operator commands: `innsiden storage sweep`, `innsiden backup`."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import click
from flask import current_app
from flask.cli import with_appcontext

from innsiden.db import session_factory
from innsiden.ops import backup, orphans
from innsiden.storage import get_storage


@click.group("storage")
def storage_group() -> None:
    """Stored files and pictures."""


@storage_group.command("sweep")
@click.option(
    "--grace-minutes",
    default=int(orphans.GRACE.total_seconds() // 60),
    show_default=True,
    help="Keep objects younger than this: they may be on their way to a commit.",
)
@with_appcontext
def sweep(grace_minutes: int) -> None:
    """Delete stored objects that no row points at (left by a crash mid-upload)."""
    app = current_app._get_current_object()  # type: ignore[attr-defined]
    with session_factory(app)() as session:
        report = orphans.sweep(session, get_storage(), grace=timedelta(minutes=grace_minutes))
        session.rollback()
    click.echo(
        f"{report.listed} objects, {report.young} within the grace period, "
        f"{report.referenced} in use, {report.deleted} orphans deleted"
    )


@click.group("backup", invoke_without_command=True)
@click.option(
    "--to",
    "target",
    type=click.Path(file_okay=False, path_type=Path),
    default=Path("backups"),
    show_default=True,
    help="Folder to write the new backup folder into.",
)
@click.pass_context
@with_appcontext
def backup_command(ctx: click.Context, target: Path) -> None:
    """Dump the database (pg_dump / SQLite backup) and a manifest of stored objects."""
    if ctx.invoked_subcommand is not None:
        return
    app = current_app._get_current_object()  # type: ignore[attr-defined]
    with session_factory(app)() as session:
        result = backup.backup(session, get_storage(), app.config["DATABASE_URL"], target)
        session.rollback()
    click.echo(f"Backup in {result.folder}: {result.database_file.name}, {result.objects} objects")
    if result.missing:
        click.echo(f"{result.missing} objects rows point at were missing from storage", err=True)
        raise SystemExit(1)


@backup_command.command("check")
@click.argument("folder", type=click.Path(exists=True, file_okay=False, path_type=Path))
@with_appcontext
def backup_check(folder: Path) -> None:
    """Does storage hold every object the backup's manifest names?"""
    missing = backup.missing_objects(folder, get_storage())
    for key in missing:
        click.echo(f"missing: {key}")
    click.echo(f"{len(missing)} objects missing")
    if missing:
        raise SystemExit(1)
