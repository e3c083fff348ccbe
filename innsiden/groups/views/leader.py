"""The register's member list of a unit, for its leaders: a page, a CSV file, an .xlsx file.

These GET pages write an audit entry, so they use a writing session of their own (the
request's read-only session never commits); nothing is shown unless the entry is committed.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date

from flask import Response, render_template, request
from sqlalchemy.orm import Session

from innsiden.db import session_factory
from innsiden.errors import NotFound
from innsiden.groups import export, unit_members
from innsiden.groups.blueprint import bp
from innsiden.web import acting_member
from membersync.models import STATUSES, Member, OrgUnit


@contextmanager
def _audited() -> Iterator[tuple[Session, Member]]:
    with session_factory()() as session:
        actor = session.get(Member, acting_member().number)
        assert actor is not None  # the logged-in member was loaded from the same table
        yield session, actor


def _filters() -> unit_members.UnitListFilter:
    args = request.args
    return unit_members.UnitListFilter(
        status=args.get("status", ""), query=args.get("q", ""), lokallag_id=args.get("lokallag", "")
    )


@bp.get("/enhet/<unit_id>/medlemsliste")
def unit_list(unit_id: str) -> str:
    filters = _filters()
    with _audited() as (session, actor):
        unit, members = unit_members.member_list(session, actor, unit_id, filters, "view")
        lokallag = unit_members.lokallag_of(session, unit)
        session.commit()
        return render_template(
            "groups/unit_list.html",
            unit=unit,
            members=members,
            filters=filters,
            lokallag=lokallag,
            statuses=STATUSES,
        )


@bp.get("/enhet/<unit_id>/medlemsliste.<fmt>")
def unit_export(unit_id: str, fmt: str) -> Response:
    if fmt not in ("csv", "xlsx"):
        raise NotFound()
    filters = _filters()
    with _audited() as (session, actor):
        unit, members = unit_members.member_list(session, actor, unit_id, filters, fmt)
        rows = [unit_members.export_row(m) for m in members]
        session.commit()
    header = unit_members.export_header()
    body = export.to_csv(header, rows) if fmt == "csv" else export.to_xlsx(header, rows)
    mimetype = export.CSV_MIMETYPE if fmt == "csv" else export.XLSX_MIMETYPE
    response = Response(body, mimetype=mimetype)
    name = f"medlemmer-{_safe(unit)}-{date.today().isoformat()}.{fmt}"
    response.headers["Content-Disposition"] = f'attachment; filename="{name}"'
    response.headers["Cache-Control"] = "no-store"
    return response


def _safe(unit: OrgUnit) -> str:
    return "".join(c if c.isalnum() or c == "-" else "-" for c in unit.id)
