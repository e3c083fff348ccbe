"""The `innsiden` command: database, jobs, serving, demo data."""

from __future__ import annotations

import click
from flask import Flask, current_app
from flask.cli import FlaskGroup

from innsiden import jobs

# Alembic (10 MB) is for these commands only, never for a web worker: imported in them.


@click.group("db")
def db_group() -> None:
    """Database schema."""


@db_group.command("upgrade")
@click.option("--revision", default="head", show_default=True)
def db_upgrade(revision: str) -> None:
    """Apply migrations up to REVISION."""
    from innsiden import migrate

    migrate.upgrade(current_app.config["DATABASE_URL"], revision)
    click.echo(f"Database is at {revision}.")


@db_group.command("revision")
@click.option("-m", "--message", required=True)
@click.option("--rev-id", default=None, help="e.g. 0005_polls: keeps files in order")
def db_revision(message: str, rev_id: str | None) -> None:
    """Write a new migration from the models (for developers)."""
    from innsiden import migrate

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
    """Serve the portal with Socket.IO on one threaded process (the demo and small
    installations; production runs gunicorn's gthread worker, see the README)."""
    from werkzeug.serving import make_server

    app = current_app._get_current_object()  # type: ignore[attr-defined]
    if with_jobs:
        # Notifications follow events every second, so the bell and e-mails keep up with the
        # page; every other job runs every minute, as from cron.
        jobs.start_in_process(app, 1.0, only=jobs.PROMPT_JOBS, name="innsiden-prompt-jobs")
        jobs.start_in_process(app, skip=jobs.PROMPT_JOBS)
        # Search follows events every second, so edits and deletions show within seconds.
        from innsiden.search.indexer import start_follower

        start_follower(app)
    # A threaded WSGI server, not the reloading debug server: WebSockets work through
    # simple-websocket (Flask-SocketIO's threading mode), each connection on its own thread.
    server = make_server(host, port, app, threaded=True)
    click.echo(f"Innsiden serves on {address(host, port)}  (Ctrl+C stops it)")
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()


def address(host: str, port: int, path: str = "") -> str:
    """The address to open in a browser for a server bound to host:port."""
    shown = "127.0.0.1" if host in ("0.0.0.0", "") else host  # noqa: S104 - only compared
    if ":" in shown:
        shown = f"[{shown}]"  # an IPv6 literal
    return f"http://{shown}:{port}{path}"


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
