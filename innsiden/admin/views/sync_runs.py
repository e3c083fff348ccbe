"""Admin pages: every membersync run (source, trigger, outcome, counts) and what one run changed."""

from __future__ import annotations

from flask import current_app, render_template, request
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select

from innsiden import access, audit
from innsiden.admin.blueprint import bp
from innsiden.db import get_session, session_factory
from innsiden.errors import NotFound
from innsiden.web import current_member
from membersync.models import SyncChange, SyncRun
from membersync.plan import KINDS

RUNS_PER_PAGE = 50
CHANGES_PER_PAGE = 200

KIND_LABELS = {
    "read": _l("Lest"),
    "created": _l("Nye medlemmer"),
    "updated": _l("Endret"),
    "moved": _l("Flyttet lokallag"),
    "positions_changed": _l("Endrede verv"),
    "deactivated": _l("Deaktivert"),
    "reactivated": _l("Reaktivert"),
    "unit_created": _l("Nye enheter"),
    "unit_renamed": _l("Enheter med nytt navn"),
    "unit_reparented": _l("Enheter flyttet"),
    "unit_removed": _l("Enheter fjernet"),
    "unit_merged": _l("Enheter slått sammen"),
    "unit_split": _l("Enheter delt ut"),
    "rejected": _l("Avviste rader"),
    "unchanged": _l("Uendret"),
}
OUTCOME_LABELS = {
    "running": _l("pågår (eller avbrutt underveis)"),
    "applied": _l("utført"),
    "dry_run": _l("prøvekjøring"),
    "stopped": _l("stoppet av sikkerhetsgrensen"),
    "aborted": _l("avbrutt: feil i eksporten"),
    "failed": _l("feilet"),
}


@bp.get("/synk")
def sync_runs() -> str:
    access.require(get_session(), current_member(), "admin.use")
    page = max(1, request.args.get("side", 1, type=int))
    query = select(SyncRun).order_by(SyncRun.id.desc())
    runs = get_session().scalars(query.limit(RUNS_PER_PAGE + 1).offset((page - 1) * RUNS_PER_PAGE))
    runs = list(runs)
    return render_template(
        "admin/sync_runs.html",
        runs=runs[:RUNS_PER_PAGE],
        page=page,
        has_next=len(runs) > RUNS_PER_PAGE,
        kind_labels=KIND_LABELS,
        outcome_labels=OUTCOME_LABELS,
    )


@bp.get("/synk/<int:run_id>")
def sync_run(run_id: int) -> str:
    db = get_session()
    access.require(db, current_member(), "admin.use")
    run = db.get(SyncRun, run_id)
    if run is None:
        raise NotFound()
    kind = request.args.get("slag") if request.args.get("slag") in KINDS else None
    page = max(1, request.args.get("side", 1, type=int))
    changes, total = _changes(run_id, kind, page)
    _audit_view(run_id, kind, page)
    return render_template(
        "admin/sync_run.html",
        run=run,
        changes=changes,
        total=total,
        kind=kind,
        page=page,
        has_next=page * CHANGES_PER_PAGE < total,
        kind_labels=KIND_LABELS,
        outcome_labels=OUTCOME_LABELS,
        kinds=[k for k in KINDS if run.counts.get(k)],
    )


def _changes(run_id: int, kind: str | None, page: int) -> tuple[list[SyncChange], int]:
    conditions = [SyncChange.run_id == run_id]
    if kind:
        conditions.append(SyncChange.kind == kind)
    db = get_session()
    total = db.execute(select(func.count()).where(*conditions)).scalar_one()
    query = (
        select(SyncChange)
        .where(*conditions)
        .order_by(SyncChange.id)
        .limit(CHANGES_PER_PAGE)
        .offset((page - 1) * CHANGES_PER_PAGE)
    )
    return list(db.scalars(query)), total


def _audit_view(run_id: int, kind: str | None, page: int) -> None:
    # A run's changes name members (who left, who moved): every view of them is logged. The
    # page's own session only reads, so the entry is written in a short session of its own.
    viewer = current_member()
    with session_factory(current_app._get_current_object())() as session:  # type: ignore[attr-defined]
        audit.record(
            session,
            "admin.sync_run_viewed",
            actor_number=viewer.number if viewer else None,
            target=f"sync_run:{run_id}",
            kind=kind,
            page=page,
        )
        session.commit()
