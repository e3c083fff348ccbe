"""The front page a member lands on, its live fragments, and a health check."""

from __future__ import annotations

from flask import Blueprint, flash, jsonify, redirect, render_template, request, url_for
from flask_babel import gettext as _
from sqlalchemy import text
from werkzeug import Response

from innsiden.db import get_session
from innsiden.errors import Conflict, ValidationFailed
from innsiden.home import page, service, wording
from innsiden.web import acting_member, int_value, public

bp = Blueprint("home", __name__)


@bp.context_processor
def _helpers() -> dict[str, object]:
    return {"home_headline": wording.headline, "home_by_line": wording.by_line}


def _filters() -> page.Filters:
    args = request.args
    kind = args.get("type", "")
    return page.Filters(
        int_value(args.get("gruppe")),
        kind if kind in page.feed.KIND_FILTERS else "",
        int_value(args.get("for")),
    )


@bp.get("/")
def index() -> str:
    session, member = get_session(), acting_member()
    context = page.front_page(session, member, _filters())
    # Render before marking: a flush would forget the standings primed for the page's
    # access checks, and a commit would expire every loaded row.
    html = render_template("home/index.html", **context)
    page.mark_seen(session, member, context)
    session.commit()
    return html


@bp.get("/forsiden/aktivitet")
def stream_fragment() -> str:
    """The stream alone (for "N nye – vis" and "Vis eldre" without a reload)."""
    session, member = get_session(), acting_member()
    filters = _filters()
    visit = service.last_visit(session, member)
    _groups, found = page.stream(session, member, filters, visit.seen_entry_id if visit else None)
    return render_template("home/_stream.html", page=found, filters=filters)


@bp.post("/forsiden/arrangement/<int:gathering_id>/kommer")
def sign_up(gathering_id: int) -> Response:
    session, member = get_session(), acting_member()
    try:
        outcome = service.sign_up(session, member, gathering_id)
    except (Conflict, ValidationFailed) as error:
        session.rollback()
        flash(error.message, "error")
        return redirect(url_for("home.index"))
    session.commit()
    flash(_signed_up_message(outcome.reply.status, outcome.position), "success")
    return redirect(url_for("home.index"))


def _signed_up_message(status: str, position: int | None) -> str:
    if status == "waiting":
        return _("Det er fullt. Du står som nummer %(n)d på ventelisten.", n=position or 0)
    return _("Du er påmeldt. Velkommen!")


@bp.get("/helse")
@public
def health() -> Response:
    get_session().execute(text("SELECT 1"))
    return jsonify({"status": "ok"})
