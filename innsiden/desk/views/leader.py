"""Mitt lag: the leader's desk pages — changes, restanse, messages and address copies.

Pages that show members write an audit entry, so they use a writing session of their own
(the request's read-only session never commits); nothing is shown unless it is committed.
"""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from flask import Blueprint, current_app, redirect, render_template, request, url_for
from werkzeug import Response

from innsiden.db import get_session
from innsiden.desk import changes, segments, service
from innsiden.desk import report as delivery
from innsiden.desk.audited import audited_session
from innsiden.desk.models import CHANNELS
from innsiden.desk.segments import Segment
from innsiden.errors import NotFound, ValidationFailed
from innsiden.groups import unit_members
from innsiden.web import acting_member

bp = Blueprint("desk", __name__, url_prefix="/mitt-lag")
REPORT_ROWS = 1000


def _date(value: str | None) -> date | None:
    try:
        return date.fromisoformat(value) if value else None
    except ValueError:
        return None


@bp.get("/")
def index() -> str | Response:
    session = get_session()
    units = service.desk_units(session, acting_member())
    if not units:
        raise NotFound()
    if len(units) == 1:
        return redirect(url_for("desk.unit", unit_id=units[0].id))
    return render_template("desk/index.html", units=units)


@bp.get("/<unit_id>")
def unit(unit_id: str) -> str:
    session = get_session()
    desk_unit = service.desk_unit(session, acting_member(), unit_id)
    return render_template(
        "desk/unit.html", unit=desk_unit, messages=service.messages_of_unit(session, desk_unit, 10)
    )


@bp.get("/<unit_id>/endringer")
def unit_changes(unit_id: str) -> str:
    end = _date(request.args.get("til")) or date.today()
    start = _date(request.args.get("fra")) or end - timedelta(days=7)
    if start > end:
        start, end = end, start
    with audited_session() as (session, actor):
        desk_unit = service.desk_unit(session, actor, unit_id)
        found = changes.changes(session, actor, desk_unit, start, end)
        session.commit()
        return render_template(
            "desk/changes.html", unit=desk_unit, found=found, start=start, end=end
        )


@bp.get("/<unit_id>/restanse")
def restanse(unit_id: str) -> str:
    filters = unit_members.UnitListFilter(
        status="restanse",
        query=request.args.get("q", ""),
        lokallag_id=request.args.get("lokallag", ""),
    )
    with audited_session() as (session, actor):
        service.desk_unit(session, actor, unit_id)
        desk_unit, members = unit_members.member_list(session, actor, unit_id, filters, "view")
        lokallag = unit_members.lokallag_of(session, desk_unit)
        session.commit()
        return render_template(
            "desk/restanse.html",
            unit=desk_unit,
            members=members,
            filters=filters,
            lokallag=lokallag,
        )


def _segment(form: dict[str, str]) -> Segment:
    return Segment(
        kind=form.get("segment", "all"),
        since=_date(form.get("since")),
        role=form.get("role") or None,
    )


@bp.get("/<unit_id>/epostadresser")
def addresses_form(unit_id: str) -> str:
    session = get_session()
    desk_unit = service.desk_unit(session, acting_member(), unit_id)
    ids = segments.unit_ids(session, desk_unit)
    return render_template(
        "desk/addresses.html", unit=desk_unit, roles=segments.roles_in_unit(session, ids),
        addresses=None, form={},
    )  # fmt: skip


@bp.post("/<unit_id>/epostadresser")
def addresses_copy(unit_id: str) -> str:
    session = get_session()
    actor = acting_member()
    desk_unit = service.desk_unit(session, actor, unit_id)
    form = request.form.to_dict()
    addresses = service.email_addresses(session, actor, desk_unit, _segment(form))
    session.commit()
    ids = segments.unit_ids(session, desk_unit)
    return render_template(
        "desk/addresses.html", unit=desk_unit, roles=segments.roles_in_unit(session, ids),
        addresses=addresses, form=form, segment=_segment(form),
    )  # fmt: skip


def _draft(form: dict[str, str]) -> service.Draft:
    return service.Draft(
        channel=form.get("channel", ""),
        segment=_segment(form),
        subject=form.get("subject", ""),
        body=form.get("body", ""),
        reply_to=form.get("reply_to", ""),
    )


def _compose(unit_id: str, form: dict[str, str], errors: dict[str, str] | None = None) -> str:
    session = get_session()
    actor = acting_member()
    desk_unit = service.desk_unit(session, actor, unit_id)
    ids = segments.unit_ids(session, desk_unit)
    form = {"reply_to": actor.email or "", "channel": "email", "segment": "all", **form}
    return render_template(
        "desk/compose.html", unit=desk_unit, form=form, errors=errors or {}, channels=CHANNELS,
        roles=segments.roles_in_unit(session, ids),
    )  # fmt: skip


@bp.get("/<unit_id>/meldinger/ny")
def compose(unit_id: str) -> str:
    return _compose(unit_id, request.args.to_dict())


def _price() -> Decimal:
    return Decimal(str(current_app.config["DESK_SMS_PRICE"]))


@bp.post("/<unit_id>/meldinger/forhandsvis")
def preview(unit_id: str) -> tuple[str, int] | str:
    session = get_session()
    actor = acting_member()
    desk_unit = service.desk_unit(session, actor, unit_id)
    form = request.form.to_dict()
    try:
        shown = service.preview(session, actor, desk_unit, _draft(form), _price())
    except ValidationFailed as error:
        return _compose(unit_id, form, error.fields), 400
    session.rollback()
    return render_template(
        "desk/preview.html", unit=desk_unit, form=form, preview=shown, price=_price(),
        segment=_segment(form),
    )  # fmt: skip


@bp.post("/<unit_id>/meldinger")
def send(unit_id: str) -> Response | tuple[str, int]:
    session = get_session()
    actor = acting_member()
    desk_unit = service.desk_unit(session, actor, unit_id)
    form = request.form.to_dict()
    draft = _draft(form)
    try:
        count = service.segment_count(session, desk_unit, draft.segment.checked())
        message = service.queue(session, actor, desk_unit, draft, count)
    except ValidationFailed as error:
        return _compose(unit_id, form, error.fields), 400
    session.commit()
    return redirect(url_for("desk.report", unit_id=desk_unit.id, message_id=message.id))


@bp.get("/<unit_id>/meldinger")
def messages(unit_id: str) -> str:
    session = get_session()
    desk_unit = service.desk_unit(session, acting_member(), unit_id)
    return render_template(
        "desk/messages.html", unit=desk_unit, messages=service.messages_of_unit(session, desk_unit)
    )


@bp.get("/<unit_id>/meldinger/<int:message_id>")
def report(unit_id: str, message_id: int) -> str:
    with audited_session() as (session, actor):
        desk_unit = service.desk_unit(session, actor, unit_id)
        message = service.message_of_unit(session, desk_unit, message_id)
        rows = delivery.audited_rows(session, actor, desk_unit, message, REPORT_ROWS)
        counts = delivery.counts(session, message.id)
        session.commit()
        return render_template(
            "desk/report.html",
            unit=desk_unit,
            message=message,
            segment=Segment(message.segment, message.since, message.role),
            counts=counts,
            rows=rows,
            limit=REPORT_ROWS,
            state_label=delivery.state_label,
            channel_label=delivery.channel_label,
        )
