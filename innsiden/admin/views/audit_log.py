"""Admin page: the audit log, filtered by actor, action, subject and time, newest first, paged
by id (keyset, so a page is as fast at the millionth entry as at the first). Looking at it is
itself logged."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from flask import current_app, render_template, request
from sqlalchemy import select
from sqlalchemy.orm import Session

from innsiden import access, audit
from innsiden.admin.blueprint import bp
from innsiden.audit import AuditEntry
from innsiden.db import get_session, session_factory
from innsiden.web import acting_member, int_arg, int_value
from membersync.models import Member

ENTRIES_PER_PAGE = 50
OSLO = ZoneInfo("Europe/Oslo")


@dataclass(frozen=True)
class AuditFilter:
    actor: int | None = None
    action: str = ""  # "auth." matches every auth action; "auth.login" only that one
    subject: str = ""  # "member:100001", or "member:" for every member
    since: date | None = None
    until: date | None = None

    def as_args(self) -> dict[str, str]:
        args = {
            "aktor": str(self.actor) if self.actor is not None else "",
            "handling": self.action,
            "gjelder": self.subject,
            "fra": self.since.isoformat() if self.since else "",
            "til": self.until.isoformat() if self.until else "",
        }
        return {key: value for key, value in args.items() if value}


def _day(text: str | None) -> date | None:
    try:
        return date.fromisoformat((text or "").strip())
    except ValueError:
        return None


def _oslo_midnight_utc(day: date) -> datetime:
    # Stored times are UTC; the filter speaks Oslo days.
    return datetime.combine(day, time(0), tzinfo=OSLO).astimezone(UTC)


def filter_from_args() -> AuditFilter:
    args = request.args
    return AuditFilter(
        actor=int_value(args.get("aktor")),
        action=args.get("handling", "").strip()[:64],
        subject=args.get("gjelder", "").strip()[:128],
        since=_day(args.get("fra")),
        until=_day(args.get("til")),
    )


def entries(
    session: Session, wanted: AuditFilter, before_id: int | None, limit: int = ENTRIES_PER_PAGE
) -> list[AuditEntry]:
    """One page of matching entries, newest first, older than `before_id`."""
    query = select(AuditEntry)
    if wanted.actor is not None:
        query = query.where(AuditEntry.actor_number == wanted.actor)
    if wanted.action:
        if wanted.action.endswith("."):
            query = query.where(AuditEntry.action.startswith(wanted.action, autoescape=True))
        else:
            query = query.where(AuditEntry.action == wanted.action)
    if wanted.subject:
        if wanted.subject.endswith(":"):
            query = query.where(AuditEntry.target.startswith(wanted.subject, autoescape=True))
        else:
            query = query.where(AuditEntry.target == wanted.subject)
    if wanted.since:
        query = query.where(AuditEntry.at >= _oslo_midnight_utc(wanted.since))
    if wanted.until:
        query = query.where(AuditEntry.at < _oslo_midnight_utc(wanted.until + timedelta(days=1)))
    if before_id is not None:
        query = query.where(AuditEntry.id < before_id)
    return list(session.scalars(query.order_by(AuditEntry.id.desc()).limit(limit)))


def _names(session: Session, numbers: set[int]) -> dict[int, str]:
    if not numbers:
        return {}
    rows = session.execute(
        select(Member.number, Member.first_name, Member.last_name).where(
            Member.number.in_(sorted(numbers))
        )
    )
    return {number: f"{first} {last}".strip() for number, first, last in rows}


@bp.get("/logg")
def audit_log() -> str:
    db = get_session()
    viewer = acting_member()
    access.require(db, viewer, "admin.use")
    wanted = filter_from_args()
    before_id = int_arg("foer")
    rows = entries(db, wanted, before_id, ENTRIES_PER_PAGE + 1)
    page, has_next = rows[:ENTRIES_PER_PAGE], len(rows) > ENTRIES_PER_PAGE
    names = _names(db, {row.actor_number for row in page if row.actor_number is not None})
    _log_view(viewer.number, wanted, before_id)
    return render_template(
        "admin/audit_log.html",
        entries=page,
        names=names,
        wanted=wanted,
        args=wanted.as_args(),
        next_before=page[-1].id if has_next else None,
        first_page=before_id is None,
    )


def _log_view(viewer_number: int, wanted: AuditFilter, before_id: int | None) -> None:
    # The log names members and what was done to them, so reading it is recorded too, in a
    # short session of its own (the page's session only reads).
    detail: dict[str, Any] = {**wanted.as_args(), "foer": before_id}
    with session_factory(current_app._get_current_object())() as session:  # type: ignore[attr-defined]
        audit.record(session, "admin.audit_log_viewed", actor_number=viewer_number, **detail)
        session.commit()
