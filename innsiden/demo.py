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
from innsiden.demo_logins import KARI, OLA, demo_logins
from membersync import demo_register

Seeder = Callable[[Session], None]
_seeders: list[tuple[str, Seeder]] = []


# The two demo members whose names are fixed by the generator (the others are read from the
# register by `demo_logins`, which `innsiden demo` prints).
DEMO_LOGINS = (
    ("Kari Nordmann", KARI, "lokallagsleder i Bergen lokallag"),
    ("Ola Nordmann", OLA, "portaladministrator (sentraladmin)"),
)


def seeder(name: str) -> Callable[[Seeder], Seeder]:
    def register(function: Seeder) -> Seeder:
        _seeders.append((name, function))
        return function

    return register


@click.command("demo")
@click.option("--members", default=600, show_default=True)
@click.option(
    "--directory",
    default=None,
    help="where the generated register is written [default: demo-register/ in the instance "
    "folder, INNSIDEN_INSTANCE_PATH]",
)
@click.option("--host", default="127.0.0.1", show_default=True, help="as given to `serve`")
@click.option("--port", default=5000, show_default=True, help="as given to `serve`")
def demo_command(members: int, directory: str | None, host: str, port: int) -> None:
    """Generate a demo register, sync it with membersync, and add demo content."""
    from innsiden.cli import address
    from membersync.sync import SyncOptions, run_sync

    app = current_app._get_current_object()  # type: ignore[attr-defined]
    target = Path(directory) if directory else Path(app.instance_path) / "demo-register"
    demo_register.generate(members).write_csv(target)
    factory = session_factory(app)
    result = run_sync(factory, str(target), SyncOptions(trigger="demo", actor="make run"))
    click.echo(f"Demo register loaded: {result.summary()}")
    for name, function in _seeders:
        with factory() as session:
            function(session)
            session.commit()
        click.echo(f"Demo content: {name}")
    outbox = current_app.config["OUTBOX_DIR"]
    click.echo(f"\nLog in at {address(host, port, '/logg-inn')} as one of:")
    with factory() as session:
        for login in demo_logins(session):
            click.echo(f"  {login.name} <{login.email}> – {login.role}")
    click.echo(f"The one-time code arrives as an e-mail file in {outbox}/ (newest .eml).\n")
