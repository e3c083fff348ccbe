"""The `innsiden` command: database, jobs, serving, demo data."""

from __future__ import annotations

import os

import click
from flask import Flask, current_app
from flask.cli import FlaskGroup

from innsiden import jobs, migrate


@click.group("db")
def db_group() -> None:
    """Database schema."""


@db_group.command("upgrade")
@click.option("--revision", default="head", show_default=True)
def db_upgrade(revision: str) -> None:
    """Apply migrations up to REVISION."""
    migrate.upgrade(current_app.config["DATABASE_URL"], revision)
    click.echo(f"Database is at {revision}.")


@db_group.command("revision")
@click.option("-m", "--message", required=True)
@click.option("--rev-id", default=None, help="e.g. 0005_polls: keeps files in order")
def db_revision(message: str, rev_id: str | None) -> None:
    """Write a new migration from the models (for developers)."""
    migrate.revision(current_app.config["DATABASE_URL"], message, rev_id)


@click.group("jobs")
def jobs_group() -> None:
    """Periodic jobs (reminders, notifications, closing polls)."""


@jobs_group.command("run")
def jobs_run() -> None:
    """Run every periodic job once. Safe every minute from cron, and in parallel."""
    done = jobs.run_all(current_app._get_current_object())  # type: ignore[attr-defined]
    for name, count in done.items():
        click.echo(f"{name}: {'FAILED' if count < 0 else count}")
    if any(count < 0 for count in done.values()):
        raise SystemExit(1)


@click.command("serve")
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=5000, show_default=True)
@click.option("--with-jobs/--no-jobs", default=True, show_default=True)
def serve(host: str, port: int, with_jobs: bool) -> None:
    """Serve the portal with Socket.IO support (single process; use gunicorn in production)."""
    from innsiden.realtime import socketio

    app = current_app._get_current_object()  # type: ignore[attr-defined]
    if with_jobs:
        jobs.start_in_process(app)
        # Search follows events every second, so edits and deletions show within seconds.
        from innsiden.search.indexer import start_follower

        start_follower(app)
    click.echo(f"Innsiden serves on http://{host}:{port}")
    # Flask refuses app.run() inside its own CLI unless told this is deliberate.
    os.environ.pop("FLASK_RUN_FROM_CLI", None)
    socketio.run(app, host=host, port=port, allow_unsafe_werkzeug=True)


def init_app(app: Flask) -> None:
    from innsiden.demo import demo_command
    from innsiden.search.cli import search_group

    app.cli.add_command(demo_command)
    app.cli.add_command(db_group)
    app.cli.add_command(jobs_group)
    app.cli.add_command(serve)
    app.cli.add_command(search_group)


def main() -> None:
    from innsiden import create_app

    FlaskGroup(create_app=create_app, add_default_commands=False)(prog_name="innsiden")
