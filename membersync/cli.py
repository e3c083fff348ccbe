"""The `membersync` command: run a sync (from cron, a systemd timer or by hand), make registers.

Exit codes: 0 applied (or nothing to change, or a dry run), 1 failed (try again later),
2 bad input (unreadable export, or bad rows with --on-bad-rows abort), 3 stopped by the safety
threshold (check the export; re-run with --allow-mass-removal if it is right).
"""

from __future__ import annotations

import getpass
import logging
import os
import sys
from datetime import datetime
from pathlib import Path
from typing import Any

import click
from sqlalchemy.orm import sessionmaker

from membersync import demo_register
from membersync.db import engine_for_url
from membersync.sync import LABELS, OUTCOMES, SyncOptions, SyncResult, run_sync

# Progress bars only where a run takes long enough to wonder about.
PROGRESS_FROM = 10_000
SHOWN_REJECTIONS = 20
STAGES = {"plan": "Sammenligner", "apply": "Skriver"}


def default_database_url() -> str:
    """The portal's default: DATABASE_URL, else the SQLite file in the instance folder."""
    if os.environ.get("DATABASE_URL"):
        return os.environ["DATABASE_URL"]
    instance = os.environ.get("INNSIDEN_INSTANCE_PATH") or str(
        Path(__file__).resolve().parent.parent / "instance"
    )
    return f"sqlite:///{Path(instance) / 'innsiden.db'}"


@click.group()
def main() -> None:
    """Keep the portal's mirror of the member register in sync."""


@main.command("run")
@click.option("--source", required=True, help="A directory, a members.jsonl file or the API's URL.")
@click.option("--dry-run", is_flag=True, help="Show the plan; change nothing.")
@click.option("--allow-mass-removal", is_flag=True, help="Apply even past the safety threshold.")
@click.option(
    "--on-bad-rows", type=click.Choice(["abort", "skip"]), default="abort", show_default=True
)
@click.option(
    "--max-removal-percent",
    type=float,
    default=None,
    help="Safety threshold (default $MEMBERSYNC_MAX_REMOVAL_PERCENT, else 5).",
)
@click.option("--updated-since", default=None, help="API only: an incremental run (ISO 8601).")
@click.option("--api-token", default=None, help="Bearer token (default $MEMBERSYNC_API_TOKEN).")
@click.option("--http-timeout", default=30.0, show_default=True, help="Seconds per API request.")
@click.option("--http-retries", default=3, show_default=True, help="Retries per API request.")
@click.option("--trigger", default="cli", show_default=True, help="e.g. cron, systemd.")
@click.option("--actor", default=None, help="Who runs it (default: the system user).")
@click.option("--database-url", default=None, help="Default: $DATABASE_URL, else the portal's.")
@click.option("--quiet", is_flag=True, help="Only the summary line (for cron mail).")
def run_command(**params: Any) -> None:
    """Sync the mirror with the register."""
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s %(message)s")
    # The report below says what the run's own log lines would; errors still show.
    logging.getLogger("membersync.sync").setLevel(logging.ERROR)
    _check_timestamp(params["updated_since"])
    url = params["database_url"] or default_database_url()
    engine = engine_for_url(url)
    factory = sessionmaker(engine, expire_on_commit=False)
    progress = None if params["quiet"] else _Progress()
    options = SyncOptions(
        trigger=params["trigger"],
        actor=params["actor"] or _system_user(),
        dry_run=params["dry_run"],
        allow_mass_removal=params["allow_mass_removal"],
        max_removal_percent=params["max_removal_percent"],
        on_bad_rows=params["on_bad_rows"],
        updated_since=params["updated_since"],
        api_token=params["api_token"],
        http_timeout=params["http_timeout"],
        http_retries=params["http_retries"],
        progress=progress,
    )
    if progress:
        click.echo(f"Leser {params['source']} …", err=True)
    try:
        result = run_sync(factory, params["source"], options)
    finally:
        engine.dispose()
    if progress:
        progress.close()
    if params["quiet"]:
        click.echo(result.summary())
    else:
        _report(result)
    sys.exit(result.exit_code)


@main.command("demo-register")
@click.option("--members", default=600, show_default=True)
@click.option("--lokallag", type=int, default=None, help="Default: one per ~50 members.")
@click.option("--seed", default=2026, show_default=True)
@click.option("--out", required=True, type=click.Path(file_okay=False, path_type=Path))
@click.option("--format", "format_", type=click.Choice(["csv", "jsonl"]), default="csv")
def demo_register_command(
    members: int, lokallag: int | None, seed: int, out: Path, format_: str
) -> None:
    """Write a generated register in the register format (with an extra column, as real ones)."""
    register = demo_register.generate(members, lokallag=lokallag, seed=seed)
    register.write_csv(out)
    if format_ == "jsonl":
        (out / "medlemmer.csv").unlink()
        register.write_jsonl(out / "members.jsonl")
    click.echo(f"{members} medlemmer i {len(register.units)} enheter skrevet til {out}")


def _check_timestamp(value: str | None) -> None:
    if value is None:
        return
    try:
        datetime.fromisoformat(value)
    except ValueError:
        raise click.BadParameter(
            f"not an ISO 8601 time: {value}", param_hint="--updated-since"
        ) from None


def _system_user() -> str:
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return "ukjent"


class _Progress:
    """Progress bars on stderr, one per stage, for runs of PROGRESS_FROM rows or more."""

    def __init__(self) -> None:
        self.stage: str | None = None
        self.bar: Any = None
        self.shown = 0

    def __call__(self, stage: str, done: int, total: int) -> None:
        if total < PROGRESS_FROM:
            return
        if stage != self.stage:
            self.close()
            self.stage, self.shown = stage, 0
            self.bar = click.progressbar(
                length=total, label=STAGES.get(stage, stage), file=sys.stderr
            )
            self.bar.__enter__()
        self.bar.update(done - self.shown)
        self.shown = done

    def close(self) -> None:
        if self.bar is not None:
            self.bar.__exit__(None, None, None)
            self.bar = None


def _report(result: SyncResult) -> None:
    outcome = OUTCOMES.get(result.outcome, result.outcome)
    click.echo(f"\nKjøring {result.run_id} ({result.mode}): {outcome} på {result.seconds:.1f} s")
    rows = [("lest", result.counts.get("read", 0))]
    rows += [(LABELS[kind], count) for kind, count in result.counts.items() if kind in LABELS]
    rows.append(("uendret", result.counts.get("unchanged", 0)))
    width = max(len(label) for label, _ in rows)
    for label, count in rows:
        click.echo(f"  {label:<{width}}  {count:>9,}".replace(",", " "))
    if result.reshapes:
        heading = "Endringer i organisasjonen"
        click.echo(f"\n{heading}{' (ingenting er endret)' if result.outcome != 'applied' else ''}:")
        for line in result.reshapes:
            click.echo(f"  {line}")
    if result.outcome == "dry_run" and result.preview:
        click.echo("\nFørste endringer av hvert slag (ingenting er endret):")
        for kind, lines in result.preview.items():
            click.echo(f"  {LABELS.get(kind, kind)}:")
            for line in lines:
                click.echo(f"    {line}")
    if result.rejected:
        click.echo(f"\nAvviste rader ({len(result.rejected)}):")
        for rejection in result.rejected[:SHOWN_REJECTIONS]:
            click.echo(f"  {rejection}")
        if len(result.rejected) > SHOWN_REJECTIONS:
            click.echo(f"  … og {len(result.rejected) - SHOWN_REJECTIONS} til")
    if result.error:
        click.echo(f"\n{result.error}", err=result.exit_code != 0)
