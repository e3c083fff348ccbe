"""Running a sync: read, validate, plan, check safety, apply — one transaction, one record.

The public API of membersync: `run_sync` for a whole source (CLI, cron, `innsiden demo`)
and `apply_member_event` for one change pushed by the register (the webhook). Both take the
same path through validation, the plan and the apply step.
"""

from __future__ import annotations

import logging
import os
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

from sqlalchemy import select, text
from sqlalchemy.orm import Session

from membersync.apply import apply_plan
from membersync.db import utcnow
from membersync.models import OrgUnit
from membersync.plan import KINDS, Plan, Progress, build_plan
from membersync.readers import ApiSettings, SourceError, open_source
from membersync.readers.jsonl import object_row
from membersync.records import MEMBER_COLUMNS, RawRegister, RegisterData, Rejection
from membersync.reshape_report import reshape_lines
from membersync.runs import SessionFactory, finish_run, finish_run_apart, start_run
from membersync.validate import validate

log = logging.getLogger(__name__)

MAX_REMOVAL_ENV = "MEMBERSYNC_MAX_REMOVAL_PERCENT"
DEFAULT_MAX_REMOVAL_PERCENT = 5.0
# Exit codes a scheduler can act on (see README): 0 fine, 1 try again, 2 fix the export,
# 3 look at the export, then re-run with --allow-mass-removal if it is right.
EXIT_CODES = {"applied": 0, "dry_run": 0, "failed": 1, "aborted": 2, "stopped": 3}
_ADVISORY_LOCK = 0x6D656D62  # "memb": one sync at a time on PostgreSQL
Hook = Callable[[Session], None]


@dataclass
class SyncOptions:
    """How a run behaves; the defaults suit a scheduled full sync."""

    trigger: str = "cli"  # cli, cron, webhook, demo, admin
    actor: str | None = None
    dry_run: bool = False
    allow_mass_removal: bool = False
    max_removal_percent: float | None = None  # None: $MEMBERSYNC_MAX_REMOVAL_PERCENT, else 5
    on_bad_rows: Literal["abort", "skip"] = "abort"
    updated_since: str | None = None  # HTTP API only: an incremental run
    api_token: str | None = None  # None: $MEMBERSYNC_API_TOKEN
    http_timeout: float = 30.0
    http_retries: int = 3
    retry_backoff: float = 1.0
    batch_size: int = 2000
    preview_rows: int = 5
    progress: Progress | None = None

    def removal_limit(self) -> float:
        if self.max_removal_percent is not None:
            return self.max_removal_percent
        configured = os.environ.get(MAX_REMOVAL_ENV, "").strip().replace(",", ".")
        return float(configured) if configured else DEFAULT_MAX_REMOVAL_PERCENT

    def api_settings(self) -> ApiSettings:
        return ApiSettings(
            token=self.api_token,
            timeout=self.http_timeout,
            retries=self.http_retries,
            backoff=self.retry_backoff,
            updated_since=self.updated_since,
        )


@dataclass
class SyncResult:
    """What a run did: its outcome, the counts by kind, the rejected rows, a preview."""

    outcome: str  # applied, dry_run, stopped, aborted, failed
    run_id: int | None
    mode: str
    counts: dict[str, int] = field(default_factory=dict)
    rejected: list[Rejection] = field(default_factory=list)
    error: str | None = None
    preview: dict[str, list[str]] = field(default_factory=dict)
    # Merges, splits and moves of units, as sentences ("0012 Nord-Fron slås sammen med …").
    reshapes: list[str] = field(default_factory=list)
    seconds: float = 0.0

    @property
    def exit_code(self) -> int:
        return EXIT_CODES.get(self.outcome, 1)

    @property
    def changed(self) -> int:
        """How many changes the run made (or, in a dry run, would make)."""
        return sum(self.counts.get(kind, 0) for kind in KINDS)

    def summary(self) -> str:
        """One line for logs and the demo: outcome, then the counts that are not zero."""
        shown = [f"{self.counts.get('read', 0)} lest"]
        shown += [f"{n} {LABELS[k]}" for k, n in self.counts.items() if n and k in LABELS]
        text_ = f"{OUTCOMES.get(self.outcome, self.outcome)} (kjøring {self.run_id}): "
        text_ += ", ".join(shown) if self.changed or self.counts else "ingenting lest"
        if not self.changed and self.outcome == "applied":
            text_ += ", ingen endringer"
        return text_ + (f" – {self.error}" if self.error else "")


OUTCOMES = {
    "applied": "utført",
    "dry_run": "prøvekjøring",
    "stopped": "stoppet",
    "aborted": "avbrutt",
    "failed": "feilet",
}
LABELS = {
    "created": "nye",
    "updated": "endret",
    "moved": "flyttet",
    "positions_changed": "med endrede verv",
    "deactivated": "deaktivert",
    "reactivated": "reaktivert",
    "unit_created": "nye enheter",
    "unit_renamed": "enheter med nytt navn",
    "unit_reparented": "enheter flyttet",
    "unit_removed": "enheter fjernet",
    "unit_merged": "enheter slått sammen",
    "unit_split": "enheter delt ut",
    "rejected": "avvist",
}


def run_sync(
    session_factory: SessionFactory, source: str, options: SyncOptions | None = None
) -> SyncResult:
    """Sync the mirror with `source` (a directory, a .jsonl file or the API's base URL)."""
    options = options or SyncOptions()
    mode = "incremental" if options.updated_since else "full"
    started = time.monotonic()
    run_id = start_run(session_factory, source, options.trigger, options.actor, mode)
    try:
        raw = open_source(source, options.api_settings())
        data = validate(raw, _mirror_units(session_factory))
    except SourceError as error:
        outcome = "aborted" if error.bad_input else "failed"
        return _end_apart(session_factory, run_id, mode, started, outcome, error=error.message)
    except Exception as error:  # recorded, then reported by exit code: the run must end here
        log.exception("membersync run %s failed while reading", run_id)
        return _end_apart(session_factory, run_id, mode, started, "failed", error=_text(error))
    return _execute(session_factory, run_id, data, options, started)


class InvalidEvent(ValueError):
    """A pushed event that is not `member.updated` / `member.removed` with a member."""


def apply_member_event(
    session_factory: SessionFactory,
    event: Mapping[str, Any],
    *,
    trigger: str = "webhook",
    actor: str | None = None,
    before_apply: Hook | None = None,
) -> SyncResult:
    """Apply one change pushed by the register, as a single-member run.

    `before_apply` runs inside the data transaction (the webhook remembers the delivery there,
    so it counts as seen exactly when its change lands).
    """
    name, member = _event_parts(event)
    options = SyncOptions(trigger=trigger, actor=actor, on_bad_rows="abort")
    started = time.monotonic()
    run_id = start_run(session_factory, f"webhook {name}", trigger, actor, "single")
    if name == "member.removed":
        data = RegisterData(source="webhook", mode="single", units=None, members=[])
        data.removed_numbers.add(int(member["medlemsnummer"]))
        data.read_count = 1
    else:
        row = object_row("webhook", 1, member, MEMBER_COLUMNS)
        raw = RawRegister(source="webhook", mode="single", units=None, members=[row])
        data = validate(raw, _mirror_units(session_factory))
    return _execute(session_factory, run_id, data, options, started, before_apply)


def _event_parts(event: Mapping[str, Any]) -> tuple[str, Mapping[str, Any]]:
    name, member = event.get("event"), event.get("member")
    if name not in {"member.updated", "member.removed"}:
        raise InvalidEvent(f"ukjent hendelse «{name}»")
    if not isinstance(member, Mapping):
        raise InvalidEvent("hendelsen mangler «member»")
    number = str(member.get("medlemsnummer", "")).strip()
    if name == "member.removed" and not (number.isascii() and number.isdigit()):
        raise InvalidEvent("hendelsen mangler et gyldig medlemsnummer")
    return name, member


def _mirror_units(session_factory: SessionFactory) -> dict[str, bool]:
    with session_factory() as session:
        rows = session.execute(select(OrgUnit.id, OrgUnit.removed_at)).all()
    return {unit_id: removed_at is None for unit_id, removed_at in rows}


def _execute(
    session_factory: SessionFactory,
    run_id: int,
    data: RegisterData,
    options: SyncOptions,
    started: float,
    before_apply: Hook | None = None,
) -> SyncResult:
    result = SyncResult("running", run_id, data.mode, rejected=data.rejected)
    result.counts = {"read": data.read_count, "rejected": len(data.rejected)}
    if data.rejected and options.on_bad_rows == "abort":
        error = (
            f"{len(data.rejected)} rader ble avvist, og ingenting er endret. Rett eksporten, "
            "eller kjør med --on-bad-rows skip for å bruke resten."
        )
        return _end_result(session_factory, result, started, "aborted", error)
    try:
        return _plan_and_apply(session_factory, result, data, options, started, before_apply)
    except Exception as error:  # recorded, then reported by exit code: the run must end here
        log.exception("membersync run %s failed", run_id)
        return _end_result(
            session_factory, result, started, "failed", f"{type(error).__name__}: {error}"
        )


def _plan_and_apply(
    session_factory: SessionFactory,
    result: SyncResult,
    data: RegisterData,
    options: SyncOptions,
    started: float,
    before_apply: Hook | None,
) -> SyncResult:
    assert result.run_id is not None
    with session_factory() as session:
        _one_sync_at_a_time(session)
        plan = build_plan(session, data, options.batch_size, options.progress)
        result.counts |= plan.counts() | {"unchanged": plan.unchanged}
        result.preview = plan.preview(options.preview_rows)
        result.reshapes = reshape_lines(plan)
        stop = _safety_stop(plan, data, options)
        if options.dry_run or stop:
            session.rollback()
            outcome = "dry_run" if options.dry_run else "stopped"
            return _end_result(session_factory, result, started, outcome, stop)
        if before_apply:
            before_apply(session)
        apply_plan(session, plan, result.run_id, utcnow(), options.batch_size, options.progress)
        finish_run(session, result.run_id, "applied", result.counts, data.rejected, mode=data.mode)
        session.commit()
    result.outcome = "applied"
    result.seconds = time.monotonic() - started
    log.info("membersync: %s", result.summary())
    return result


def _one_sync_at_a_time(session: Session) -> None:
    # SQLite serialises writers at BEGIN IMMEDIATE; PostgreSQL needs a lock of its own so two
    # runs (cron and a webhook) never plan from the same snapshot.
    if session.get_bind().dialect.name == "postgresql":
        session.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _ADVISORY_LOCK})


def _safety_stop(plan: Plan, data: RegisterData, options: SyncOptions) -> str | None:
    """Why the run must stop before changing anything, or None.

    Only members losing access count. Members of a merged unit move to the unit it merged
    into (the register says so with erstattet_av, and validation moves anyone the export still
    lists at the merged unit), so a merge — of any share of the units — removes no one."""
    if data.mode == "single" or options.allow_mass_removal or not plan.removals:
        return None
    limit = options.removal_limit()
    share = 100 * plan.removals / max(plan.with_access, 1)
    if share <= limit:
        return None
    return (
        f"Stoppet: kjøringen ville fjerne tilgangen for {plan.removals} av {plan.with_access} "
        f"medlemmer med tilgang ({_percent(share)} %), over grensen på {_percent(limit)} %. "
        "Ingenting er endret. Er eksporten riktig, kjør på nytt med --allow-mass-removal."
    )


def _text(error: Exception) -> str:
    return f"{type(error).__name__}: {error}"[:2000]


def _percent(value: float) -> str:
    return f"{value:.1f}".rstrip("0").rstrip(".").replace(".", ",")


def _end_result(
    session_factory: SessionFactory,
    result: SyncResult,
    started: float,
    outcome: str,
    error: str | None,
) -> SyncResult:
    assert result.run_id is not None
    result.outcome, result.error = outcome, error
    result.seconds = time.monotonic() - started
    finish_run_apart(
        session_factory, result.run_id, outcome=outcome, counts=result.counts,
        rejected=result.rejected, error=error, mode=result.mode,
    )  # fmt: skip
    log.log(
        logging.INFO if outcome == "dry_run" else logging.WARNING,
        "membersync: %s",
        result.summary(),
    )
    return result


def _end_apart(
    session_factory: SessionFactory,
    run_id: int,
    mode: str,
    started: float,
    outcome: str,
    error: str,
) -> SyncResult:
    return _end_result(
        session_factory, SyncResult("running", run_id, mode), started, outcome, error
    )
