"""`innsiden search …`: rebuild the index from the database, follow events, show its state."""

from __future__ import annotations

from collections.abc import Callable

import click
from flask import current_app
from flask.cli import with_appcontext

from innsiden.search import engine_name, get_engine, indexer


@click.group("search")
def search_group() -> None:
    """The search index."""


@search_group.command("rebuild")
@with_appcontext
def rebuild_command() -> None:
    """Rebuild the index from the database; the portal keeps using the old one until done."""
    app = current_app._get_current_object()  # type: ignore[attr-defined]
    bars: list[click.progressbar[int]] = []

    def progress(name: str, expected: int | None) -> Callable[[int], None]:
        bar: click.progressbar[int] = click.progressbar(
            length=expected, label=f"{name:<12}", show_pos=True, show_eta=True
        )
        bar.__enter__()
        bars.append(bar)
        return bar.update

    try:
        total = indexer.rebuild(app, progress)
    finally:
        for bar in bars:
            bar.render_finish()
    click.echo(f"Search index rebuilt: {total} documents.")


@search_group.command("follow")
@click.option("--interval", default=1.0, show_default=True, help="seconds between passes")
@with_appcontext
def follow_command(interval: float) -> None:
    """Index new events every INTERVAL seconds until stopped (a service of its own).

    With INNSIDEN_SEARCH=postgres one follower (or `innsiden jobs run`) serves every server."""
    click.echo(f"Following events every {interval:g} s; Ctrl-C stops.")
    try:
        indexer.follow(current_app._get_current_object(), interval)  # type: ignore[attr-defined]
    except KeyboardInterrupt:
        click.echo("Stopped.")


@search_group.command("status")
@with_appcontext
def status_command() -> None:
    """How many documents the index holds and where it lives."""
    app = current_app._get_current_object()  # type: ignore[attr-defined]
    where = "PostgreSQL" if engine_name(app) == "postgres" else app.config["SEARCH_DIR"]
    click.echo(f"{where}: {get_engine().doc_count()} documents")
