"""`innsiden demo`: a generated register loaded through membersync, plus demo content.

Capabilities add their demo content (threads, polls, files, events) with `@seeder`; each
seeder must be idempotent, because `make run` calls this on every start.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import click
from flask import current_app
from sqlalchemy.orm import Session

from innsiden.db import session_factory
from membersync import demo_register

Seeder = Callable[[Session], None]
_seeders: list[tuple[str, Seeder]] = []

DEMO_LOGINS = (
    ("Kari Nordmann", "kari.nordmann@example.no", "lokallagsleder i Bergen lokallag"),
    ("Ola Nordmann", "ola.nordmann@example.no", "portaladministrator (sentraladmin)"),
)


def seeder(name: str) -> Callable[[Seeder], Seeder]:
    def register(function: Seeder) -> Seeder:
        _seeders.append((name, function))
        return function

    return register


@click.command("demo")
@click.option("--members", default=600, show_default=True)
@click.option("--directory", default="instance/demo-register", show_default=True)
def demo_command(members: int, directory: str) -> None:
    """Generate a demo register, sync it with membersync, and add demo content."""
    from membersync.sync import SyncOptions, run_sync

    target = Path(directory)
    demo_register.generate(members).write_csv(target)
    factory = session_factory(current_app._get_current_object())  # type: ignore[attr-defined]
    result = run_sync(factory, str(target), SyncOptions(trigger="demo", actor="make run"))
    click.echo(f"Demo register loaded: {result.summary()}")
    for name, function in _seeders:
        with factory() as session:
            function(session)
            session.commit()
        click.echo(f"Demo content: {name}")
    outbox = current_app.config["OUTBOX_DIR"]
    click.echo("\nLog in at http://127.0.0.1:5000/logg-inn as one of:")
    for name, email, what in DEMO_LOGINS:
        click.echo(f"  {name} <{email}> – {what}")
    click.echo(f"The one-time code arrives as an e-mail file in {outbox}/ (newest .eml).\n")
